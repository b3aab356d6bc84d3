"""How sure are we: Monte Carlo fan, chance of paying back, tornado and break-even answers, on
draws weighted by the documented results (the effective number of draws beside the chances, and
a plain warning above them when the conditioning is weak)."""

from __future__ import annotations

import asyncio
import html

import ipywidgets as w
import pandas as pd

from explorer import catalogue, model
from explorer.analysis import calibration, claims, uncertainty
from explorer.analysis.uncertainty import Spreads
from explorer.data import figures, i18n
from explorer.model import fields
from explorer.model.scenario import Scenario
from explorer.ui.content import charts, kpis
from explorer.ui.live import page, widgets

SCENARIO = ("caseload_after", "effect_scale", "horizon_years")
DRAWS = ("1000", "5000", "10000", "20000")
DEFAULT_DRAWS = "5000"
#: Seconds after a lever move before the charts and the tornado follow the KPIs (see ``show``).
REST_DELAY = 0.1
#: A tornado bar shorter than this share of the widest swing is too short to see: named below.
SHORT_BAR = 0.01


class HowSure(page.Page):
    name = "how_sure"
    offers = page.Offers(charts=("fan", "payback", "tornado"), files=page.TABLE_FILES)
    embed = page.Embed(cards=("p-payback", "p-npv", "median-npv"), chart="fan")
    edits = ("spreads",)
    _live = False  # set once the page is built: from then on, moves defer the rest of the page
    _rest: asyncio.TimerHandle | None = None

    def __init__(self, query: str = "", url: str | None = None) -> None:
        super().__init__(query, url)
        self._live = True

    def build(self) -> None:
        s, lang = self.base, self.lang
        self.picker = self.case_choice()
        for name in SCENARIO:
            self.lever(name, getattr(s, name))
        spreads = Spreads(**self.extras.get("spreads", {}))
        for name in fields.of(Spreads):
            self.lever(name, getattr(spreads, name), group="spreads")
        draws = self.params.get("draws", DEFAULT_DRAWS)
        if draws not in DRAWS:
            self.notices.append(
                page.links.Notice(
                    "clamped", "draws", draws[:20], DEFAULT_DRAWS, DRAWS[0], DRAWS[-1]
                )
            )
            draws = DEFAULT_DRAWS
        self.draws = widgets.Choice(
            fields.field("page", "draws").label[lang],
            [(d, i18n.number(int(d), lang)) for d in DRAWS],
            draws,
            css="draws",
        )
        self.draws.observe(self.on_change, "value")
        self.kpi_box = widgets.html_box("kpis")
        self.fitted = widgets.html_box("fitted-note")
        self.breakeven = widgets.html_box("breakeven")
        self.intro = widgets.html_box("summary")
        self.chart_box = w.VBox()
        self.left_out = widgets.html_box("tornado-note")
        self.cost = self.lever("cost_per_child", 0, group="page", slider=False)
        self.gain = self.lever(
            "gain_per_child",
            fields.default_value(fields.field("page", "gain_per_child")),
            group="page",
            slider=False,
        )
        for lever in (self.cost, self.gain):
            lever.unobserve(self.on_change, "value")
            lever.observe(self.show_casa, "value")
        self.casa = widgets.html_box("casa")

    def layout(self) -> w.Widget:
        lang = self.lang
        t = lambda key: i18n.t(f"how_sure.{key}", lang)
        controls = w.VBox(
            [self.picker]
            + [self.levers[n] for n in SCENARIO]
            + [self.draws]
            + [w.HTML(f"<h3>{html.escape(t('spreads'))}</h3>")]
            + [self.levers[n] for n in fields.of(Spreads)]
            + [w.HTML(f"<p class='grades'>{html.escape(t('seed'))}</p>")]
        )
        controls.add_class("levers")
        # on a phone the case stays on top and the other levers follow the results
        self.picker.add_class("case-choice")
        casa_note = i18n.t("how_sure.casa_note", lang, year=figures.price_year())
        casa = w.VBox(
            [
                w.HTML(f"<h2>{html.escape(t('casa_title'))}</h2>"),
                self.cost,
                self.gain,
                self.casa,
                w.HTML(f"<p class='grades'>{html.escape(casa_note)}</p>"),
            ]
        )
        casa.add_class("casa-box")
        results = w.VBox(
            [
                self.notice_box,
                self.kpi_box,
                self.fitted,
                self.breakeven,
                self.chart_box,
                self.download_bar(lambda: self.result),
                casa,
            ]
        )
        results.add_class("results")
        main = w.Box([controls, results])
        main.add_class("main")
        return w.VBox([w.HTML(f"<h1>{html.escape(t('title'))}</h1>"), self.intro, main])

    def refresh(self) -> None:
        self.extras["spreads"] = self.lever_values("spreads")
        super().refresh()

    def page_params(self) -> dict[str, str]:
        return {} if self.draws.value == DEFAULT_DRAWS else {"draws": self.draws.value}

    def show(self, s: Scenario) -> None:
        """The KPIs at once; the rest of the page (5,000 draws' charts and a 20-run tornado) 0.1 s
        later in a running kernel, dropped if the reader moves a lever again before then, so a
        dragged slider updates the KPIs at every step."""
        lang = self.lang
        t = lambda key, **kw: i18n.t(f"how_sure.{key}", lang, **kw)
        spreads = Spreads(**self.lever_values("spreads"))
        self.sim = sim = uncertainty.simulate(s, int(self.draws.value), seed=0, spreads=spreads)
        self.result = r = model.evaluate(s)
        self.kpi_box.value = (
            weak_note(sim, lang)
            + "<div class='kpi-grid'>"
            + "".join(
                [
                    kpis.chance_cards(sim, lang),
                    effective_card(sim, lang),
                    kpis.card(
                        "median_npv",
                        i18n.millions(sim.median_npv, lang),
                        t("median_sub", point=i18n.millions(r.npv, lang)),
                        lang,
                        title=t("median_npv"),
                    ),
                ]
            )
            + "</div>"
            + kpis.median_note(sim, r.npv, lang, spreads)
            + f"<p class='grades chance-note'>{html.escape(t('chance_note'))}</p>"
            + conditioning_note(sim, lang)
        )
        self.intro.value = (
            f"<p class='summary'>{html.escape(t('intro', draws=i18n.number(sim.draws, lang)))}</p>"
        )
        if self._rest is not None:
            self._rest.cancel()
            self._rest = None
        loop = _running_loop()
        if self._live and loop is not None:
            self._rest = loop.call_later(REST_DELAY, self.show_rest, s, spreads)
        else:
            self.show_rest(s, spreads)

    def show_rest(self, s: Scenario, spreads: Spreads) -> None:
        """The fit and its held-out check, break-even words, charts and the CASA answer for
        scenario ``s``."""
        self._rest = None
        lang, sim, r = self.lang, self.sim, self.result
        self.fitted.value = kpis.fitted_note(s, lang, result=r)
        t = lambda key, **kw: i18n.t(f"how_sure.{key}", lang, **kw)
        be = r.break_even_effect
        words = (
            t("breakeven", be=i18n.percent(be, lang), years=s.horizon_years)
            if be is not None
            else t("breakeven_none", years=s.horizon_years)
        )
        paying = uncertainty.paying_caseloads(s.replace(effect_scale=1))
        words += (
            t("caseloads", lo=i18n.people(paying[0], lang), hi=i18n.people(paying[1], lang))
            if paying
            else t("caseloads_none")
        )
        self.breakeven.value = f"<p>{html.escape(words)}</p>"
        tornado = uncertainty.tornado(s, spreads, sim=sim)
        labels = {name: claims.input_label(s, name, lang) for name in tornado["input"]}
        self.chart_box.children = [
            self.chart("fan", charts.fan(sim.bands(), lang), s),
            self.chart(
                "payback",
                charts.payback_distribution(sim.payback_distribution(), s.start_year, lang),
                s,
            ),
            self.chart("tornado", charts.tornado(tornado, labels, r.npv, lang), s),
            self.left_out,
        ]
        self.left_out.value = "".join(
            f"<p class='grades'>{html.escape(p)}</p>"
            for p in self.tornado_notes(s, spreads, sim, tornado, labels, r.npv)
        )
        if self.cost.value == 0:
            self.cost.set(round(r.total_cost / s.cases))
        self.show_casa()

    def tornado_notes(
        self,
        s: Scenario,
        spreads: Spreads,
        sim: uncertainty.Simulation,
        tornado: pd.DataFrame,
        labels: dict[str, str],
        npv: float,
    ) -> list[str]:
        """Under the tornado: an input it draws no bar for, and an input with one bar too short
        to see (under ``SHORT_BAR`` of the widest swing) beside a clear other one, with why."""
        lang = self.lang
        t = lambda key, **kw: i18n.t(f"how_sure.{key}", lang, **kw)
        out = []
        still = [labels[name] for name in tornado.loc[~tornado["moves_alone"], "input"]]
        if still:
            out.append(t("tornado_left_out", inputs="; ".join(still)))
        moving = tornado[tornado["moves_alone"].astype(bool)]
        widest = moving["swing"].max() if len(moving) else 0.0
        bounds = {(item.name, side) for item, side in uncertainty.inputs_at_bound(s, spreads)}
        for row in moving.itertuples():
            for end, other, side in (("low", "high", "lo"), ("high", "low", "hi")):
                value = getattr(row, f"npv_{end}")
                clear = abs(getattr(row, f"npv_{other}") - npv) > 5 * SHORT_BAR * widest
                if abs(value - npv) > SHORT_BAR * widest or not clear:
                    continue
                words = t(
                    "tornado_short",
                    input=labels[row.input],
                    end=t(f"tornado_end.{end}"),
                    npv=i18n.millions(value, lang),
                    point=i18n.millions(npv, lang),
                )
                if (row.input, side) in bounds:
                    words += " " + t("tornado_at_bound")
                elif sim.conditioning.conditioned:
                    words += " " + t("tornado_follows")
                out.append(words)
        return out

    def show_casa(self, _=None) -> None:
        lang = self.lang
        cost, gain = self.cost.value, self.gain.value
        share = uncertainty.success_share_needed(cost, gain)
        one_in = i18n.number(1 / share, lang) if share > 0 else "—"
        text = i18n.t(
            "how_sure.casa",
            lang,
            cost=i18n.dkk(cost, lang),
            gain=i18n.millions(gain, lang),
            share=i18n.percent(share, lang, 1),
            one_in=one_in,
        )
        case = self.case_file()
        if case is not None and case.area != "children":  # CASA's gain is a child's
            text += " " + i18n.t("how_sure.casa_adults", lang)
        self.casa.value = f"<p>{html.escape(i18n.tidy(text))}</p>"


def effective_card(sim: uncertainty.Simulation, lang: str) -> str:
    """The effective number of draws (Kish), beside the chances it rests on."""
    draws = i18n.number(sim.draws, lang)
    sub = "effective_sub" if sim.conditioning.conditioned else "effective_sub_none"
    return kpis.card(
        "effective_draws",
        i18n.number(round(sim.effective_draws), lang),
        i18n.t(f"how_sure.{sub}", lang, draws=draws),
        lang,
        title=i18n.t("how_sure.effective_draws", lang),
    )


def _target(target: uncertainty.Target, lang: str) -> str:
    """A documented result and its precision: 'Saved in 2014 (DKK 4.4 m ± DKK 1.0 m)'; an
    expectation says it is one."""
    row, figure = target.row, catalogue.figure(target.row.figure)
    label = (row.label or {}).get(lang) or figure.note_in(lang)
    if figure.is_money:
        value = f"{i18n.millions(target.documented, lang)} ± {i18n.millions(target.sd, lang)}"
    else:
        shown = f"{i18n.number(target.documented, lang)} ± {i18n.number(target.sd, lang)}"
        value = f"{shown} {figure.unit_in(lang)}"
    if target.expectation:
        value += "; " + i18n.t("how_sure.expectation", lang)
    return f"{label} ({value})"


def weak_note(sim: uncertainty.Simulation, lang: str) -> str:
    """A plain warning above the chances when they rest on fewer effective draws than
    ``uncertainty.min_effective_draws()``; nothing otherwise."""
    if not sim.weak:
        return ""
    text = i18n.t(
        "how_sure.weak",
        lang,
        effective=i18n.number(round(sim.effective_draws), lang),
        draws=i18n.number(sim.draws, lang),
        floor=i18n.number(uncertainty.min_effective_draws(), lang),
    )
    return f"<p class='notice weak-conditioning' role='status'>{html.escape(text)}</p>"


def conditioning_note(sim: uncertainty.Simulation, lang: str) -> str:
    """What the draws were weighted by and what their effective number means; or that a case
    with no documented result counts every draw alike."""
    c, draws = sim.conditioning, i18n.number(sim.draws, lang)
    if not c.conditioned:
        text = i18n.t("how_sure.unconditioned", lang, draws=draws)
    else:
        text = i18n.t(
            "how_sure.conditioned",
            lang,
            targets="; ".join(_target(target, lang) for target in c.targets),
            effective=i18n.number(round(sim.effective_draws), lang),
            draws=draws,
            h=i18n.percent(calibration.document_precision("H"), lang),
            m=i18n.percent(calibration.document_precision("M"), lang),
            expectation=i18n.percent(calibration.document_precision("", True), lang),
            model=i18n.percent(calibration.model_error(), lang),
            floor=i18n.number(uncertainty.min_effective_draws(), lang),
        )
    return f"<p class='grades conditioning-note'>{html.escape(text)}</p>"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop while it handles a message; None in plain Python."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def app(query: str | None = None) -> w.Widget:
    return page.app(HowSure, query)
