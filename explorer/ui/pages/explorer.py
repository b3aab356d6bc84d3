"""The caseload explorer: pick a case, move the caseload, read what it costs, saves and when."""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np

from explorer import catalogue, model
from explorer.analysis import calibration, claims
from explorer.data import i18n
from explorer.model import fields
from explorer.model.scenario import Scenario, caseload_after_for
from explorer.ui.content import addresses, charts, kpis
from explorer.ui.live import page, widgets

MAIN = ("worker_cost", "horizon_years", "effect_scale", "phase_in_years")
ADVANCED = (
    "overhead",
    "optimism_bias",
    "staffing_ramp",
    "programme_years",
    "one_off_cost",
    "other_cost_per_year",
    "max_dose",
)
#: The levers of each outcome: its other fields are facts of the case (fields.yaml's ``role``).
OUTCOME = tuple(n for n, f in fields.group("outcome").items() if not f.is_fact)
SWEEP_POINTS = 30


def sweep_span(s: Scenario) -> tuple[float, float]:
    """The caseloads the sweep chart covers, and the read view's slider: from a quarter of the
    highest the case allows (never below the lowest) to that highest."""
    lo, hi = fields.bounds(fields.field("scenario", "caseload_after"), fields.values(s))
    return max(lo, hi / 4), hi


class Explorer(page.Page):
    name = "explorer"
    offers = page.Offers(charts=("cumulative", "flows", "sweep"), files=page.TABLE_FILES)
    #: The read view moves the caseload in the browser: the KPIs and the cumulative chart follow.
    browser_lever = page.BrowserLever(
        field="caseload_after",
        span=sweep_span,
        kpi_box="kpi_box",
        kpis=kpis.main,
        chart="cumulative",
        draw=charts.cumulative_net,
    )
    embed = page.Embed(cards=kpis.MAIN_CARDS, chart="cumulative")

    def build(self) -> None:
        s, lang = self.base, self.lang
        self.picker = self.case_choice()
        self.lever("caseload_after", s.caseload_after)
        self.extra = self.lever("extra_workers", s.extra_workers, group="page", slider=False)
        self.levers.pop("extra_workers")
        self.extra.unobserve(self.on_change, "value")
        self.extra.observe(self.on_extra, "value")
        for name in MAIN + ADVANCED:
            self.lever(name, getattr(s, name))
        self.discount = discount_choice(lang, s.discount_rate)
        self.discount.observe(self.on_change, "value")
        self.wider = widgets.Choice(
            fields_label("wider_gains", lang),
            kind="toggle",
            value=str(s.wider_gains),
            css="lever-wider-gains",
        )
        self.wider.observe(self.on_change, "value")
        self.outcome_box = w.VBox()
        self.build_outcome_levers()
        self.facts = widgets.html_box("case-facts")
        self.summary = widgets.html_box("summary")
        self.kpi_box = widgets.html_box("kpis")
        self.fitted = widgets.html_box("fitted-note")
        self.calibration = widgets.html_box("calibration")
        self.sources = widgets.html_box("sources-panel")
        self.claims_box = widgets.html_box("claims-panel")
        self.claims_panel = widgets.Disclosure(
            i18n.t("explorer.claims_title", lang), [self.claims_box], "claims-disclosure"
        )
        self.claims_panel.toggle.on_click(lambda _: self.show_claims())

    def build_outcome_levers(self) -> None:
        for name in [n for n in self.levers if "." in n]:
            self.levers.pop(name)
        boxes = []
        for o in self.base.outcomes:
            boxes.append(w.HTML(f"<h4>{html.escape(o.label(self.lang))}</h4>"))
            for attr in OUTCOME:
                lever = self.lever(f"{o.key}.{attr}", getattr(o, attr), group="outcome")
                # the relations of the outcome's kind (fields.yaml) narrow it beside its facts
                lever.min, lever.max = fields.kind_bounds(lever.field, o.kind, fields.values(o))
                boxes.append(lever)
        self.outcome_box.children = boxes

    def layout(self) -> w.Widget:
        lang = self.lang
        advanced = widgets.Disclosure(
            i18n.t("more_settings", lang),
            [self.levers[n] for n in ADVANCED] + [self.outcome_box, self.facts],
            "more-settings",
        )
        controls = w.VBox(
            [self.picker, self.levers["caseload_after"], self.extra]
            + [self.levers[n] for n in MAIN]
            + [self.discount, self.wider, advanced]
        )
        controls.add_class("levers")
        # on a phone the case stays on top and the other levers follow the results
        self.picker.add_class("case-choice")
        self.chart_box = w.VBox()
        self.chart_box.add_class("charts")
        sources = widgets.Disclosure(
            i18n.t("source.table_title", lang), [self.sources], "sources-disclosure"
        )
        results = w.VBox(
            [
                self.notice_box,
                self.kpi_box,
                self.fitted,
                self.chart_box,
                self.download_bar(lambda: self.result),
                self.calibration,
                self.claims_panel,
                sources,
            ]
        )
        results.add_class("results")
        main = w.Box([controls, results])
        main.add_class("main")
        title = w.HTML(f"<h1>{html.escape(i18n.t('explorer.title', lang))}</h1>")
        return w.VBox([title, self.summary, main])

    # -- reading ---------------------------------------------------------------------------
    def scenario(self) -> Scenario:
        s = super().scenario()
        return s.replace(
            discount_rate=float(self.discount.value), wider_gains=int(self.wider.value)
        )

    def on_extra(self, change) -> None:
        """Typing extra caseworkers moves the field they pair with (fields.yaml): caseload after."""
        if self._quiet:
            return
        s = self.current
        after = caseload_after_for(s.cases, s.caseload_before, change["new"])
        self.levers[self.extra.field.pair].set(after)
        self.refresh()

    def case_changed(self) -> None:
        s = self.base
        self._quiet = True
        try:
            for name, lever in self.levers.items():
                if "." not in name:
                    lever.set(getattr(s, name))
            self.discount.value = discount_value(self.discount, s.discount_rate)
            self.wider.value = str(s.wider_gains)
        finally:
            self._quiet = False
        self.build_outcome_levers()

    # -- showing ---------------------------------------------------------------------------
    def show(self, s: Scenario) -> None:
        lang = self.lang
        self.result = r = model.evaluate(s)
        self._quiet = True
        try:
            self.extra.set(r.extra_workers)
        finally:
            self._quiet = False
        self.kpi_box.value = kpis.main(r, lang)
        case = catalogue.case(s.case)
        documented = calibration.table(case, result=r)
        self.fitted.value = kpis.fitted_note(s, lang, documented)
        self.summary.value = (
            f"<p><b>{html.escape(case.title[lang])}.</b> {html.escape(case.summary[lang])}</p>"
        )
        table = model.sweep(s, "caseload_after", np.linspace(*sweep_span(s), SWEEP_POINTS))
        self.chart_box.children = [
            self.chart("cumulative", charts.cumulative_net(r, lang), s),
            self.chart("flows", charts.yearly_flows(r, lang), s),
            self.chart("sweep", charts.npv_by_caseload(table, s.caseload_after, r.npv, lang), s),
        ]
        self.calibration.value = kpis.calibration_table(documented, lang)
        own = f"{addresses.live_link('own_case')}?{html.escape(self.query(s))}"
        self.facts.value = (
            f"<p>{html.escape(i18n.t('explorer.facts', lang, case=case.title[lang]))} "
            f"<a href='{own}'>{html.escape(i18n.t('explorer.facts_link', lang))}</a></p>"
        )
        self.sources.value = kpis.sources_table(case, s, lang)
        if self.claims_panel.is_open:
            self.show_claims()

    def show_claims(self) -> None:
        """The claims about this case, answered with the reader's settings (on demand)."""
        if not self.claims_panel.is_open:
            return
        s, lang = self.current, self.lang
        items = []
        for c in claims.about(s.case):
            answer = claims.answer(c, s, draws=500)
            link = f"{addresses.live_link('claims')}?{html.escape(self.query(s))}&amp;claim={c.id}"
            items.append(
                f"<li><q>{html.escape(c.claim[lang])}</q> "
                f"<span class='verdict verdict-{answer.verdict}'>"
                f"{html.escape(i18n.t(f'verdict.{answer.verdict}', lang))}</span> "
                f"<a href='{link}'>{html.escape(i18n.t('explorer.claims_open', lang))}</a></li>"
            )
        self.claims_box.value = f"<ul class='case-claims'>{''.join(items)}</ul>"


def fields_label(name: str, lang: str) -> str:

    return fields.field("scenario", name).label[lang]


def app(query: str | None = None) -> w.Widget:
    return page.app(Explorer, query)


def discount_choice(lang: str, rate: float) -> widgets.Choice:
    """The discount rate as a choice of the sourced presets (and the link's rate, if other)."""
    label = fields.field("scenario", "discount_rate").label[lang]
    return widgets.Choice(
        label, kpis.discount_options(lang, rate), repr(float(rate)), css="lever-discount"
    )


def discount_value(choice: widgets.Choice, rate: float) -> str:
    key = repr(float(rate))
    if key not in [k for k, _ in choice.options]:
        choice.options = [*choice.options, [key, key]]
    return key
