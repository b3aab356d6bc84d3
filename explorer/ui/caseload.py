"""The caseload explorer: case preset, levers, KPIs, three charts, sources, downloads, URL state."""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np

from .. import catalogue, charts, i18n, links, model
from ..scenario import Outcome, Scenario, bounds
from . import common

MAIN = ("caseload_after", "cases", "worker_cost", "horizon_years", "effect_scale", "phase_in_years")
ADVANCED = ("caseload_before", "optimism_bias", "staffing_ramp", "programme_years", "one_off_cost",
            "other_cost_per_year", "max_dose")
OUTCOME_LEVERS = ("base_flow", "effect", "duration_years")
SWEEP_POINTS = 30


class CaseloadExplorer(common.Pausable):
    """The main app. ``widget`` is what the page shows; the attributes are for tests."""

    def __init__(self, query: str = ""):
        link = links.parse(query)
        self.lang, self.link_notices, self.errors = link.lang, link.notices, []
        lang = self.lang
        self.case_picker = common.case_picker(lang, link.case)
        self.summary = w.HTML()
        self.summary.add_class("summary")
        self.discount = w.Dropdown(options=[(_discount_label(f, lang), f.value)
                                            for f in catalogue.discount_presets().values()],
                                   layout=w.Layout(width="100%"))
        self.discount.add_class("lever-discount")
        self.extra = w.BoundedFloatText(min=0, max=10_000, step=0.5, layout=w.Layout(width="8em"))
        self.extra.add_class("lever-extra-workers")
        self.kpis = {k: common.kpi_card(k, i18n.t(k, lang)) for k in model.KPIS}
        self.notices = w.HTML()
        self.notices.add_class("notices")
        self.url = common.UrlSync()
        self.sources = w.HTML()
        self.sources.add_class("sources-panel")
        self._build_levers(link.scenario)
        self.result = model.evaluate(link.scenario)
        self.figures = self._charts(self.result)
        self.chart_widgets = {k: common.jupyter_chart(c, lang) for k, c in self.figures.items()}
        for key, chart in self.chart_widgets.items():
            chart.add_class(f"chart-{key}")
        self.widget = self._layout()
        self._load_case_text(link.case)
        self._show(link.scenario)
        self.case_picker.observe(self._on_case, "value")
        self.extra.observe(self._on_extra, "value")
        for lever in self.levers.values():
            lever.slider.observe(self._on_lever, "value")
        self.discount.observe(self._on_lever, "value")

    # -- building -----------------------------------------------------------------------------
    def _build_levers(self, s: Scenario) -> None:
        lang, case = self.lang, catalogue.case(s.case)
        tip = {k: common.figure_tooltip(v, lang) for k, v in case.sources.items()}
        self.levers = {}
        for name in MAIN + ADVANCED:
            limits = {"hi": s.caseload_before} if name == "caseload_after" else {}
            if name == "caseload_after":
                limits["step"] = 0.5
            if name == "cases":
                limits["hi"] = max(5_000, s.cases * 2)
            self.levers[name] = common.Lever(Scenario, name, lang, getattr(s, name),
                                             tip.get(name, ""), **limits)
        self._build_outcome_levers(s)
        self.discount.value = min(self.discount.options, key=lambda o: abs(o[1] - s.discount_rate))[1]
        self.extra.value = round(s.extra_workers, 2)

    def _charts(self, result: model.Result) -> dict:
        s, lang = result.scenario, self.lang
        start = catalogue.case(s.case).start_year
        lo = max(1.0, s.caseload_before / 4)
        table = model.sweep(s, "caseload_after", np.linspace(lo, s.caseload_before, SWEEP_POINTS))
        return {"cumulative": charts.cumulative_net(result, start, lang),
                "flows": charts.yearly_flows(result, start, lang),
                "sweep": charts.npv_by_caseload(table, s.caseload_after, result.npv, lang)}

    def _layout(self) -> w.Widget:
        lang = self.lang
        other = "en" if lang == "da" else "da"
        self.topbar = w.HTML()
        self.topbar.add_class("topbar")
        outcome_boxes = []
        for o in self.outcomes:
            title = w.HTML(f"<b>{html.escape(getattr(o, 'label_' + lang))}</b>")
            outcome_boxes += [title] + [self.outcome_levers[(o.key, a)] for a in OUTCOME_LEVERS]
        advanced = w.Accordion([w.VBox([self.levers[n] for n in ADVANCED] + outcome_boxes)])
        advanced.set_title(0, i18n.t("more_levers", lang))
        advanced.selected_index = None
        extra_row = w.HBox([w.HTML(i18n.t("extra_workers_lever", lang)), self.extra],
                           layout=w.Layout(justify_content="space-between"))
        levers = w.VBox([w.HTML(f"<b>{i18n.t('case', lang)}</b>"), self.case_picker,
                         self.levers["caseload_after"], extra_row]
                        + [self.levers[n] for n in MAIN[1:]]
                        + [w.HTML(i18n.t("discount_preset", lang)), self.discount, advanced])
        levers.add_class("levers")
        self.downloads = common.DownloadBar(
            lang, {k: i18n.t(f"chart_{k}", lang) for k in self.chart_widgets},
            lambda: (self.result.scenario.case, self.result.yearly),
            lambda: self.figures)
        sources = w.Accordion([self.sources])
        sources.set_title(0, i18n.t("sources", lang))
        sources.selected_index = None
        chart_box = w.Box(list(self.chart_widgets.values()))
        chart_box.add_class("charts")
        right = w.VBox([self.notices, w.Box(list(self.kpis.values())), chart_box, self.downloads,
                        sources], layout=w.Layout(flex="1", padding="0 0 0 16px"))
        right.children[1].add_class("kpis")
        self._other_lang = other
        page = w.VBox([common.style(), self.topbar, w.HTML(f"<h1>{i18n.t('app_title', lang)}</h1>"),
                       self.summary, w.HBox([levers, right]), self.url])
        page.add_class("app")
        return page

    # -- reading the levers ---------------------------------------------------------------------
    def scenario(self) -> Scenario:
        """The scenario the levers describe now."""
        values = {name: lever.value for name, lever in self.levers.items()}
        values["discount_rate"] = self.discount.value
        outcomes = tuple(Outcome(o.key, o.label_da, o.label_en, prices=o.prices,
                                 **{a: self.outcome_levers[(o.key, a)].value
                                    for a in OUTCOME_LEVERS}) for o in self.outcomes)
        return catalogue.load_case(self.case_picker.value).replace(outcomes=outcomes, **values)

    # -- reacting -------------------------------------------------------------------------------
    def _on_lever(self, _change=None) -> None:
        if self._busy:
            return
        self._update()

    def _on_extra(self, change) -> None:
        if self._busy:
            return
        s = self.result.scenario
        after = s.cases / (s.cases / s.caseload_before + change["new"])
        with self.paused():
            self.levers["caseload_after"].slider.value = max(1.0, after)
        self._update()

    def _on_case(self, change) -> None:
        preset = catalogue.load_case(change["new"])
        self.link_notices = []
        with self.paused():
            cases = self.levers["cases"].slider
            cases.max = max(cases.max, preset.cases * 2)
            common.set_levers(self.levers, preset)
            self.discount.value = min(self.discount.options,
                                      key=lambda o: abs(o[1] - preset.discount_rate))[1]
        self._build_outcome_levers(preset)  # outcomes differ per case: rebuild their levers
        self.widget.children = self._layout().children
        self._load_case_text(change["new"])
        self._show(preset)

    def _build_outcome_levers(self, s: Scenario) -> None:
        tip = {k: common.figure_tooltip(v, self.lang) for k, v in catalogue.case(s.case).sources.items()}
        self.outcomes = s.outcomes
        self.outcome_levers = {}
        for o in s.outcomes:
            for attr in OUTCOME_LEVERS:
                lever = common.Lever(Outcome, attr, self.lang, getattr(o, attr),
                                     tip.get(f"{o.key}.{attr}", ""),
                                     hi=min(bounds(Outcome, attr)["hi"], max(10, getattr(o, attr) * 4)))
                lever.slider.observe(self._on_lever, "value")
                self.outcome_levers[(o.key, attr)] = lever

    def _load_case_text(self, name: str) -> None:
        case = catalogue.case(name)
        self.summary.value = f"<p><b>{html.escape(case.title[self.lang])}.</b> {html.escape(case.summary[self.lang])}</p>"
        labels = {n: bounds(Scenario, n)[self.lang] for n in self.levers}
        labels.update({n: bounds(Scenario, n)[self.lang] for n in
                       ("discount_rate", "reference_caseload_before", "reference_caseload_after")})
        for o in case.scenario.outcomes:
            for attr in OUTCOME_LEVERS:
                labels[f"{o.key}.{attr}"] = f"{getattr(o, 'label_' + self.lang)}: {bounds(Outcome, attr)[self.lang]}"
            for i, p in enumerate(o.prices):
                labels[f"{o.key}.price.{i}"] = getattr(p, "label_" + self.lang)
        self.sources.value = common.sources_table(case, labels, self.lang)

    def _update(self) -> None:
        try:
            s = self.scenario()
        except ValueError as error:
            self.errors = [i18n.t("error", self.lang, message=str(error))]
            self.notices.value = common.notices_html(self.link_notices, self.errors, self.lang)
            return
        self.errors = []
        self._show(s)

    def _show(self, s: Scenario) -> None:
        """Evaluate, then refresh KPIs, charts, the extra-workers field and the address bar."""
        lang = self.lang
        self.result = r = model.evaluate(s)
        start = catalogue.case(s.case).start_year
        with self.paused():
            self.extra.value = round(r.extra_workers, 2)
        be = r.break_even_effect
        values = {
            "extra_workers": (i18n.number(r.extra_workers, lang, 1),
                              f"{i18n.number(s.cases / s.caseload_before, lang, 1)} → "
                              f"{i18n.number(s.cases / s.caseload_after, lang, 1)}"),
            "total_cost": (i18n.millions(r.total_cost, lang), i18n.t("n_years", lang, n=s.horizon_years)),
            "total_savings": (i18n.millions(r.total_savings, lang), ""),
            "npv": (i18n.millions(r.npv, lang), i18n.percent(s.discount_rate, lang)),
            "benefit_cost_ratio": (i18n.factor(r.benefit_cost_ratio, lang), ""),
            "payback_year": (i18n.payback(r.payback_year, start, lang), ""),
            "payback_year_kommune": (i18n.payback(r.payback_year_kommune, start, lang), ""),
            "break_even_effect": (i18n.t("times_effect", lang, value=i18n.number(be, lang, 2))
                                  if be is not None else i18n.t("above_range", lang), ""),
        }
        for key, (value, sub) in values.items():
            common.set_kpi(self.kpis[key], value, sub)
        self.figures = self._charts(r)
        for key, chart in self.figures.items():
            self.chart_widgets[key].chart = chart
        query = links.build(s, lang)
        self.url.query = query
        other = "en" if lang == "da" else "da"
        other_query = query.replace(f"lang={lang}", f"lang={other}")
        self.topbar.value = (f"<a href='index.ipynb?lang={lang}'>{i18n.t('home', lang)}</a>"
                             f"<a class='share-link' href='?{html.escape(query)}'>{i18n.t('share', lang)}</a>"
                             f"<a class='lang-link' href='?{html.escape(other_query)}'>{i18n.t('other_lang', lang)}</a>")
        self.notices.value = common.notices_html(self.link_notices, self.errors, lang)


def _discount_label(f: catalogue.Figure, lang: str) -> str:
    if f.is_assumption:
        return f"{i18n.percent(f.value, lang)} ({i18n.t('no_discounting', lang)})"
    return f"{i18n.percent(f.value, lang)} ({f.source_title.split(':')[0]} {f.year})"


def app(query: str | None = None) -> w.Widget:
    """The page's widget; reads the query string from Voilà when none is given."""
    return CaseloadExplorer(common.query_string() if query is None else query).widget
