"""How sure are we: Monte Carlo fan, probability of payback, tornado and break-even answers."""

from __future__ import annotations

import html
from dataclasses import fields

import ipywidgets as w
import numpy as np

from .. import catalogue, charts, i18n, links, model, uncertainty
from ..scenario import Scenario
from ..uncertainty import Spreads
from . import common

SCENARIO_LEVERS = ("caseload_after", "effect_scale", "horizon_years")
DRAWS = (1_000, 10_000, 20_000)
TEXT = {
    "da": {
        "title": "Hvor sikre er vi?",
        "intro": "Tallene bag hver sag er usikre, og nogle er antagelser. Her trækkes de {draws} "
                 "gange omkring deres værdi med en spredning, der følger kildens evidens: jo "
                 "svagere kilde, jo bredere. Som hos WSIPP vises chancen for, at gevinsten "
                 "overstiger udgiften.",
        "p_payback": "Chance for at tjene sig hjem", "p_npv": "Chance for positiv nutidsværdi",
        "median_npv": "Median nutidsværdi", "draws": "Antal udfald",
        "spreads": "Spredning pr. evidens", "seed": "Udfaldene er faste (seed 0), så siden viser "
                                                    "det samme hver gang.",
        "breakeven": "<b>Hvor meget skal der til?</b> Effekten skal være mindst {be} af den "
                     "dokumenterede, for at investeringen er tjent hjem inden for {years} år.",
        "breakeven_none": "<b>Hvor meget skal der til?</b> Selv 3 gange den dokumenterede effekt "
                          "tjener ikke investeringen hjem inden for {years} år.",
        "caseloads": " Sagstal efter ændringen fra {lo} til {hi} betaler sig inden for horisonten "
                     "(med den dokumenterede effekt).",
        "caseloads_none": " Intet sagstal betaler sig inden for horisonten.",
        "casa_title": "Hvor mange skal lykkes? (CASA's spørgsmål)",
        "casa": "Koster indsatsen {cost} pr. barn, og giver hvert barn med et almindeligt liv en "
                "gevinst på {gain}, skal {share} af børnene lykkes: ét ud af {one_in}.",
        "cost_per_child": "Udgift pr. barn",
        "gain_per_child": "Gevinst pr. barn med et almindeligt liv",
        "casa_note": "Gevinsten er CASA's 8,5 mio. kr. pr. person (2010). Udgiften pr. barn er ikke "
                     "fundet i en kilde; standardværdien er Hernings ekstra sagsbehandlerudgift pr. "
                     "sag over horisonten, en antagelse.",
        "names": {"worker_cost": "Udgift pr. sagsbehandler", "discount_rate": "Diskonteringsrente",
                  "base_flow": "tilgang", "effect": "effekt", "duration_years": "varighed",
                  "price": "pris"},
        "chart_fan": "Udfaldsvifte", "chart_payback": "Tjent hjem", "chart_tornado": "Tornado",
    },
    "en": {
        "title": "How sure are we?",
        "intro": "The figures behind each case are uncertain, and some are assumptions. Here they "
                 "are drawn {draws} times around their values with a spread that follows the "
                 "source's evidence: the weaker the source, the wider. As WSIPP does, the page "
                 "shows the chance that the savings exceed the cost.",
        "p_payback": "Chance of paying back", "p_npv": "Chance of a positive NPV",
        "median_npv": "Median NPV", "draws": "Outcomes drawn",
        "spreads": "Spread per evidence grade", "seed": "The draws are fixed (seed 0), so the page "
                                                         "shows the same every time.",
        "breakeven": "<b>How much is needed?</b> The effect must be at least {be} of the documented "
                     "one for the investment to pay back within {years} years.",
        "breakeven_none": "<b>How much is needed?</b> Even 3 times the documented effect does not "
                          "pay back within {years} years.",
        "caseloads": " Caseloads after the change from {lo} to {hi} pay back within the horizon "
                     "(at the documented effect).",
        "caseloads_none": " No caseload pays back within the horizon.",
        "casa_title": "How many must succeed? (CASA's question)",
        "casa": "If the intervention costs {cost} per child, and each child with an ordinary life "
                "gains {gain}, then {share} of the children must succeed: one in {one_in}.",
        "cost_per_child": "Cost per child",
        "gain_per_child": "Gain per child with an ordinary life",
        "casa_note": "The gain is CASA's DKK 8.5 m per person (2010). The cost per child was not "
                     "found in a source; the default is Herning's extra caseworker cost per case "
                     "over the horizon, an assumption.",
        "names": {"worker_cost": "Cost per caseworker", "discount_rate": "Discount rate",
                  "base_flow": "flow", "effect": "effect", "duration_years": "duration",
                  "price": "price"},
        "chart_fan": "Fan", "chart_payback": "Payback", "chart_tornado": "Tornado",
    },
}


class HowSure(common.PresetPage):
    """Monte Carlo and sensitivity for the chosen scenario, recomputed on every move."""

    def __init__(self, query: str = ""):
        link = links.parse(query, Spreads)
        self.lang, lang, s = link.lang, link.lang, link.scenario
        self.text = TEXT[lang]
        self.default_spreads = uncertainty.default_spreads()
        spreads = Spreads(**{**self.default_spreads.as_dict(), **link.extras})
        self.base = s
        self.case_picker = common.case_picker(lang, link.case)
        self.levers = {n: common.Lever(Scenario, n, lang, getattr(s, n),
                                       **({"hi": s.caseload_before, "step": 0.5}
                                          if n == "caseload_after" else {}))
                       for n in SCENARIO_LEVERS}
        self.spreads = {f.name: common.Lever(Spreads, f.name, lang, getattr(spreads, f.name),
                                             common.figure_tooltip(f.metadata["source"], lang))
                        for f in fields(Spreads)}
        self.draws = w.Dropdown(options=[(i18n.number(d, lang), d) for d in DRAWS], value=10_000,
                                layout=w.Layout(width="10em"))
        self.draws.add_class("draws")
        self.kpis = {k: common.kpi_card(k, self.text[k]) for k in ("p_payback", "p_npv", "median_npv")}
        self.breakeven = w.HTML()
        self.breakeven.add_class("breakeven")
        self.cost_per_child = w.BoundedFloatText(min=0, max=50e6, step=10_000,
                                                 layout=w.Layout(width="12em"))
        self.gain_per_child = w.BoundedFloatText(min=1, max=100e6, step=100_000,
                                                 value=catalogue.figure("claims.casa_gain_per_case").value,
                                                 layout=w.Layout(width="12em"))
        self.casa = w.HTML()
        self.casa.add_class("casa")
        self.notices = w.HTML(common.notices_html(link.notices, [], lang))
        self.url = common.UrlSync()
        self._compute()
        self.cost_per_child.value = round(self._herning_cost_per_case())
        self.chart_widgets = {k: common.jupyter_chart(c, lang) for k, c in self.figures.items()}
        for key, chart in self.chart_widgets.items():
            chart.add_class(f"chart-{key}")
        self.downloads = common.DownloadBar(
            lang, {k: self.text[f"chart_{k}"] for k in self.figures},
            lambda: (f"{self.sim.scenario.case}-usikkerhed", self.sim.bands()),
            lambda: self.figures)
        self.widget = self._layout()
        self.case_picker.observe(self._on_case, "value")
        for lever in list(self.levers.values()) + list(self.spreads.values()):
            lever.slider.observe(self._update, "value")
        self.draws.observe(self._update, "value")
        for box in (self.cost_per_child, self.gain_per_child):
            box.observe(self._render_casa, "value")
        self._render()

    def _layout(self) -> w.Widget:
        lang, text = self.lang, self.text
        controls = w.VBox([w.HTML(f"<b>{i18n.t('case', lang)}</b>"), self.case_picker]
                          + list(self.levers.values())
                          + [w.HBox([w.HTML(text["draws"] + "&nbsp;"), self.draws]),
                             w.HTML(f"<b>{text['spreads']}</b>")] + list(self.spreads.values())
                          + [w.HTML(f"<p class='grades'>{text['seed']}</p>")])
        controls.add_class("levers")
        kpis = w.Box(list(self.kpis.values()))
        kpis.add_class("kpis")
        chart_box = w.Box(list(self.chart_widgets.values()))
        chart_box.add_class("charts")
        casa = w.VBox([w.HTML(f"<h3>{text['casa_title']}</h3>"),
                       w.HBox([w.HTML(text["cost_per_child"] + "&nbsp;"), self.cost_per_child,
                               w.HTML("&nbsp;&nbsp;" + text["gain_per_child"] + "&nbsp;"),
                               self.gain_per_child]),
                       self.casa, w.HTML(f"<p class='grades'>{text['casa_note']}</p>")])
        right = w.VBox([self.notices, kpis, self.breakeven, chart_box, self.downloads, casa],
                       layout=w.Layout(flex="1", padding="0 0 0 16px"))
        self.intro = w.HTML()
        top = w.HTML(f"<div class='topbar'><a href='index.ipynb?lang={lang}'>{i18n.t('home', lang)}"
                     f"</a></div><h1>{text['title']}</h1>")
        page = w.VBox([common.style(), top, self.intro, w.HBox([controls, right]), self.url])
        page.add_class("app")
        return page

    def _herning_cost_per_case(self) -> float:
        r = model.evaluate(catalogue.load_case("herning"))
        return r.total_cost / r.scenario.cases

    def _scenario(self) -> Scenario:
        return self.base.replace(**{n: lever.value for n, lever in self.levers.items()})

    def _compute(self) -> None:
        s = self._scenario()
        spreads = self.current_spreads().as_dict()
        self.sim = uncertainty.simulate(s, self.draws.value, seed=0, spreads=spreads)
        self.tornado = uncertainty.tornado(s, spreads)
        self.result = model.evaluate(s)
        start = catalogue.case(s.case).start_year
        self.figures = {"fan": charts.fan(self.sim.bands(), start, self.lang),
                        "payback": charts.payback_distribution(self.sim.payback_distribution(),
                                                               start, self.lang),
                        "tornado": charts.tornado(self.tornado, self._input_labels(s),
                                                  self.result.npv, self.lang)}

    def current_spreads(self) -> Spreads:
        return Spreads(**{n: lever.value for n, lever in self.spreads.items()})

    def _input_labels(self, s: Scenario) -> dict[str, str]:
        names, lang = self.text["names"], self.lang
        labels = {"worker_cost": names["worker_cost"], "discount_rate": names["discount_rate"]}
        for o in s.outcomes:
            for attr in ("base_flow", "effect", "duration_years", "price"):
                labels[f"{o.key}.{attr}"] = f"{getattr(o, 'label_' + lang)}: {names[attr]}"
        return labels


    def _update(self, _=None):
        if self._busy:
            return
        self._compute()
        for key, chart in self.figures.items():
            self.chart_widgets[key].chart = chart
        self._render()

    def _render(self):
        lang, text, sim, r = self.lang, self.text, self.sim, self.result
        s = r.scenario
        self.intro.value = f"<p class='summary'>{text['intro'].format(draws=i18n.number(sim.draws, lang))}</p>"
        common.set_kpi(self.kpis["p_payback"], i18n.percent(sim.p_payback, lang, 0))
        common.set_kpi(self.kpis["p_npv"], i18n.percent(sim.p_npv_positive, lang, 0))
        common.set_kpi(self.kpis["median_npv"], i18n.millions(float(np.median(sim.npv)), lang))
        be = r.break_even_effect
        words = (text["breakeven"].format(be=i18n.percent(be, lang, 0), years=s.horizon_years)
                 if be is not None else text["breakeven_none"].format(years=s.horizon_years))
        paying = uncertainty.paying_caseloads(s.replace(effect_scale=1))
        words += (text["caseloads"].format(lo=i18n.number(paying[0], lang, 1),
                                           hi=i18n.number(paying[1], lang, 1))
                  if paying else text["caseloads_none"])
        self.breakeven.value = f"<p>{words}</p>"
        self._render_casa()
        self.url.query = links.build(s, lang, common.changed_values(self.spreads,
                                                                    self.default_spreads))

    def _render_casa(self, _=None):
        lang = self.lang
        share = uncertainty.success_share_needed(self.cost_per_child.value, self.gain_per_child.value)
        one_in = i18n.number(1 / share, lang, 0) if share > 0 else "—"
        self.casa.value = "<p>" + html.escape(i18n.tidy(self.text["casa"].format(
            cost=i18n.dkk(self.cost_per_child.value, lang), gain=i18n.millions(self.gain_per_child.value, lang),
            share=i18n.percent(share, lang, 1), one_in=one_in))) + "</p>"


def app(query: str | None = None) -> w.Widget:
    return HowSure(common.query_string() if query is None else query).widget
