"""Who saves, and who pays: savings by payer, and the financing arrangements side by side."""

from __future__ import annotations

import html
import math
from dataclasses import fields

import ipywidgets as w
import pandas as pd

from .. import catalogue, charts, engine, financing, i18n, links, model
from ..scenario import Scenario
from . import common

SCENARIO_LEVERS = ("caseload_after", "effect_scale", "horizon_years")
TEXT = {
    "da": {
        "title": "Hvem sparer, og hvem betaler?",
        "intro": "Kommunen betaler for de ekstra sagsbehandlere, men en del af gevinsten lander hos "
                 "staten. Og investeringen kan finansieres på flere måder. Her ses begge dele for "
                 "den valgte sag.",
        "names": {"self_financed": "Kommunen selv", "state_grant": "Statsligt tilskud (pulje)",
                  "conditional_grant": "Betinget tilskud (DSI)",
                  "impact_bond": "Social impact bond"},
        "financing": "Finansiering",
        "share_kommune": "Kommunens andel af gevinsten",
        "pocket": "Af gevinsten på {total} går {kommune} til kommunen og {stat} til staten{region}.",
        "region": " og {region} til regionerne",
        "bond_works": "Med denne obligation betaler kommunen {extra} {more_less} end ved selv at "
                      "finansiere indsatsen (nutidsværdi), og investoren får {irr} om året.",
        "more": "mere", "less": "mindre",
        "bond_fails": "Den målte effekt ({measured} af den dokumenterede) når ikke tærsklen på "
                      "{trigger}: investoren mister {lost}, og kommunen betaler intet.",
        "no_loss": "Kommunen bærer intet tab, hvis effekten er under {threshold} af den "
                   "dokumenterede.",
        "no_loss_never": "Ved dette sagstal når effekten aldrig tærsklen.",
        "irr_none": "ikke noget positivt afkast",
        "columns": {"arrangement": "Finansiering", "pv_kommune": "Kommune", "pv_stat": "Stat",
                    "pv_investor": "Investor", "investor_irr": "Investors afkast pr. år",
                    "kommune_extra_cost": "Kommunen betaler ekstra"},
        "table_note": "Nutidsværdier i mio. kr.",
        "peterborough": "Til sammenligning: Peterborough-obligationen (2010) betalte kun ved mindst "
                        "{trigger} færre domme og højst {cap} om året. Resultatet blev {result} "
                        "færre; investorerne fik deres kapital tilbage plus godt {ret} om året.",
        "chart_payers": "Gevinst pr. part", "chart_arrangements": "Finansiering",
    },
    "en": {
        "title": "Who saves, and who pays?",
        "intro": "The kommune pays for the extra caseworkers, but part of the savings lands with the "
                 "state. And the investment can be financed in several ways. Both are shown here "
                 "for the chosen case.",
        "names": {"self_financed": "The kommune itself", "state_grant": "State grant (pool)",
                  "conditional_grant": "Conditional grant (DSI)",
                  "impact_bond": "Social impact bond"},
        "financing": "Financing",
        "share_kommune": "The kommune's share of savings",
        "pocket": "Of savings of {total}, {kommune} go to the kommune and {stat} to the state{region}.",
        "region": " and {region} to the regions",
        "bond_works": "With this bond the kommune pays {extra} {more_less} than financing it itself "
                      "(present value), and the investor earns {irr} a year.",
        "more": "more", "less": "less",
        "bond_fails": "The measured effect ({measured} of the documented one) misses the trigger of "
                      "{trigger}: the investor loses {lost} and the kommune pays nothing.",
        "no_loss": "The kommune carries no loss if the effect is below {threshold} of the documented "
                   "one.",
        "no_loss_never": "At this caseload the effect never reaches the trigger.",
        "irr_none": "no positive return",
        "columns": {"arrangement": "Arrangement", "pv_kommune": "Kommune", "pv_stat": "State",
                    "pv_investor": "Investor", "investor_irr": "Investor's return a year",
                    "kommune_extra_cost": "Kommune pays extra"},
        "table_note": "Present values in DKK m.",
        "peterborough": "For comparison: the Peterborough bond (2010) paid only for at least "
                        "{trigger} fewer reconvictions and at most {cap} a year. The result was "
                        "{result} fewer; investors got their capital back plus just over {ret} a "
                        "year.",
        "chart_payers": "Savings by party", "chart_arrangements": "Arrangements",
    },
}


class WhoPays(common.PresetPage):
    """Scenario levers, financing terms, the wrong-pocket chart and the arrangements compared."""

    def __init__(self, query: str = ""):
        link = links.parse(query, financing.Terms)
        self.lang, lang, s = link.lang, link.lang, link.scenario
        self.text = TEXT[lang]
        self.defaults = financing.default_terms()
        terms = self.defaults.replace(**link.extras)
        self.case_picker = common.case_picker(lang, link.case)
        self.levers = {n: common.Lever(Scenario, n, lang, getattr(s, n),
                                       **({"hi": s.caseload_before, "step": 0.5}
                                          if n == "caseload_after" else {}))
                       for n in SCENARIO_LEVERS}
        self.terms = {f.name: common.Lever(financing.Terms, f.name, lang, getattr(terms, f.name),
                                           common.figure_tooltip(f.metadata["source"], lang))
                      for f in fields(financing.Terms)}
        self.kpis = {k: common.kpi_card(k, t) for k, t in (
            ("payback_year", i18n.t("payback_year", lang)),
            ("payback_year_kommune", i18n.t("payback_year_kommune", lang)),
            ("share_kommune", self.text["share_kommune"]))}
        self.words = w.HTML()
        self.words.add_class("plain-words")
        self.table = w.HTML()
        self.table.add_class("arrangements-table")
        self.notices = w.HTML(common.notices_html(link.notices, [], lang))
        self.url = common.UrlSync()
        self.base = s
        self._compute(s, terms)
        self.chart_widgets = {k: common.jupyter_chart(c, lang) for k, c in self.figures.items()}
        for key, chart in self.chart_widgets.items():
            chart.add_class(f"chart-{key}")
        self.downloads = common.DownloadBar(
            lang, {"payers": self.text["chart_payers"],
                   "arrangements": self.text["chart_arrangements"]},
            lambda: (f"{self.result.scenario.case}-finansiering", self.flows_table()),
            lambda: self.figures)
        self.widget = self._layout()
        self.case_picker.observe(self._on_case, "value")
        for lever in list(self.levers.values()) + list(self.terms.values()):
            lever.slider.observe(self._update, "value")
        self._render()

    def _layout(self) -> w.Widget:
        lang = self.lang
        controls = w.VBox([w.HTML(f"<b>{i18n.t('case', lang)}</b>"), self.case_picker]
                          + list(self.levers.values())
                          + [w.HTML(f"<b>{self.text['financing']}</b>")] + list(self.terms.values()))
        controls.add_class("levers")
        kpis = w.Box(list(self.kpis.values()))
        kpis.add_class("kpis")
        chart_box = w.Box(list(self.chart_widgets.values()))
        chart_box.add_class("charts")
        right = w.VBox([self.notices, kpis, self.words, chart_box, self.table, self.downloads],
                       layout=w.Layout(flex="1", padding="0 0 0 16px"))
        top = (f"<div class='topbar'><a href='index.ipynb?lang={lang}'>{i18n.t('home', lang)}</a>"
               f"</div><h1>{self.text['title']}</h1><p class='summary'>{self.text['intro']}</p>")
        page = w.VBox([common.style(), w.HTML(top), w.HBox([controls, right]), self.url])
        page.add_class("app")
        return page

    def current_terms(self) -> financing.Terms:
        return financing.Terms(**{n: lever.value for n, lever in self.terms.items()})

    def _compute(self, s: Scenario, terms: financing.Terms) -> None:
        self.result = model.evaluate(s)
        self.summary = financing.summary(self.result, terms)
        self.current = terms
        start = catalogue.case(s.case).start_year
        self.figures = {"payers": charts.savings_by_payer(self.result, start, self.lang),
                        "arrangements": charts.arrangements(self.summary, self.text["names"],
                                                            self.lang)}


    def _update(self, _=None):
        if self._busy:
            return
        s = self.base.replace(**{n: lever.value for n, lever in self.levers.items()})
        self._compute(s, self.current_terms())
        for key, chart in self.figures.items():
            self.chart_widgets[key].chart = chart
        self._render()

    def flows_table(self) -> pd.DataFrame:
        """Every arrangement's yearly flows per party, one row per arrangement and year."""
        frames = [flows.assign(arrangement=name) for name, flows in
                  financing.arrangements(self.result, self.current).items()]
        return pd.concat(frames, ignore_index=True)

    def _render(self):
        lang, r = self.lang, self.result
        s = r.scenario
        start = catalogue.case(s.case).start_year
        common.set_kpi(self.kpis["payback_year"], i18n.payback(r.payback_year, start, lang))
        common.set_kpi(self.kpis["payback_year_kommune"],
                       i18n.payback(r.payback_year_kommune, start, lang))
        y = r.yearly
        total = y["savings"].sum()
        share = y["savings_kommune"].sum() / total if total > 0 else float("nan")
        common.set_kpi(self.kpis["share_kommune"],
                       i18n.percent(share, lang, 0) if total > 0 else i18n.t("not_defined", lang))
        self.words.value = "".join(f"<p>{p}</p>" for p in self._sentences(total))
        self.table.value = self._table_html()
        self.url.query = links.build(s, lang, common.changed_values(self.terms, self.defaults))

    def _sentences(self, total: float) -> list[str]:
        lang, r, text, terms = self.lang, self.result, self.text, self.current
        y = r.yearly
        m = lambda v: i18n.millions(v, lang)  # noqa: E731
        pct = lambda v: i18n.percent(v, lang, 0)  # noqa: E731
        region = y["savings_region"].sum()
        out = [text["pocket"].format(total=m(total), kommune=m(y["savings_kommune"].sum()),
                                     stat=m(y["savings_stat"].sum()),
                                     region=text["region"].format(region=m(region)) if region else "")]
        bond = self.summary.set_index("arrangement").loc["impact_bond"]
        measured = financing.measured_share(r)
        if measured >= terms.bond_trigger:
            extra = bond["kommune_extra_cost"]
            irr = bond["investor_irr"]
            out.append(text["bond_works"].format(
                extra=m(abs(extra)), more_less=text["more"] if extra >= 0 else text["less"],
                irr=pct(irr) if irr is not None and irr > 0 else text["irr_none"]))
        else:
            out.append(text["bond_fails"].format(measured=pct(measured), trigger=pct(terms.bond_trigger),
                                                 lost=m(r.total_cost)))
        d = engine.scenario_dose(r.scenario)
        out.append(text["no_loss"].format(threshold=pct(terms.bond_trigger / d)) if d > 0
                   else text["no_loss_never"])
        f = catalogue.figure
        out.append(text["peterborough"].format(
            trigger=i18n.percent(f("peterborough.trigger").value, lang, 1),
            cap=pct(f("peterborough.cap").value), result=pct(f("peterborough.result").value),
            ret=pct(f("peterborough.investor_return").value)))
        return out

    def _table_html(self) -> str:
        lang, cols = self.lang, self.text["columns"]
        rows = []
        for row in self.summary.itertuples():
            irr = row.investor_irr
            cells = [html.escape(self.text["names"][row.arrangement])]
            cells += [i18n.number(getattr(row, c) / 1e6, lang, 1)
                      for c in ("pv_kommune", "pv_stat", "pv_investor")]
            cells.append("—" if irr is None or (isinstance(irr, float) and math.isnan(irr))
                         else i18n.percent(irr, lang))
            cells.append(i18n.number(row.kommune_extra_cost / 1e6, lang, 1))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{html.escape(cols[c])}</th>" for c in cols)
        return (f"<table class='sources'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
                f"</tbody></table><p class='grades'>{self.text['table_note']}</p>")


def app(query: str | None = None) -> w.Widget:
    return WhoPays(common.query_string() if query is None else query).widget
