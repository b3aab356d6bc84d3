"""How the model works: the chain from caseload to savings per payer, with live numbers."""

from __future__ import annotations

import html
import math

import ipywidgets as w

from .. import catalogue, charts, engine, i18n, links, model
from ..scenario import PAYERS, Scenario
from . import common

STEPS = {
    "da": {
        "title": "Sådan virker modellen",
        "intro": "Fra sagstal til gevinst, trin for trin. Tallene følger håndtagene; formlerne står i "
                 "docs/model.md.",
        "staff": "<b>1. Sagstal og bemanding.</b> {cases} sager; {before} → {after} sager pr. "
                 "sagsbehandler kræver <code>sager/efter − sager/før</code> = <b>{extra}</b> ekstra "
                 "sagsbehandlere, som koster <b>{cost}</b> om året.",
        "time": "<b>2. Tid pr. sag.</b> Hver sag får <b>{more}</b> mere tid (før/efter − 1).",
        "dose": "<b>3. Dosis.</b> Effekten er målt ved {rb} → {ra}. Ændringen her giver "
                "<code>ln(før/efter) / ln(ref. før/ref. efter)</code> = <b>{dose}</b> gange den "
                "målte effekt (gange effektskalaen {scale}).",
        "outcome": "<b>4. {label}.</b> Tilgang {flow} personer om året × effekt {effect} × {dose} × "
                   "{scale} = <b>{inflow}</b> ekstra personer om året. Hvert forløb varer {duration} "
                   "år, så efter {years} år er <b>{stock}</b> personer ude af den dyre tilstand.",
        "price": "<b>5. Gevinst.</b> Et personår er værd {price}: {split}. I år {year} giver det "
                 "<b>{saving}</b>.",
        "result": "<b>6. Resultat.</b> Over {horizon} år: udgift {cost}, gevinst {savings}, "
                  "nettonutidsværdi {npv}. Tjent hjem for den offentlige sektor {pb}; for kommunen "
                  "alene {pbk}.",
    },
    "en": {
        "title": "How the model works",
        "intro": "From caseload to savings, step by step. The numbers follow the levers; the formulas "
                 "are in docs/model.md.",
        "staff": "<b>1. Caseload and staffing.</b> {cases} cases; {before} → {after} cases per "
                 "caseworker needs <code>cases/after − cases/before</code> = <b>{extra}</b> extra "
                 "caseworkers, costing <b>{cost}</b> a year.",
        "time": "<b>2. Time per case.</b> Each case gets <b>{more}</b> more time (before/after − 1).",
        "dose": "<b>3. Dose.</b> The effect was measured at {rb} → {ra}. This change gives "
                "<code>ln(before/after) / ln(ref. before/ref. after)</code> = <b>{dose}</b> times the "
                "measured effect (times the effect scale {scale}).",
        "outcome": "<b>4. {label}.</b> Flow {flow} people a year × effect {effect} × {dose} × "
                   "{scale} = <b>{inflow}</b> extra people a year. Each spell lasts {duration} "
                   "years, so after {years} years <b>{stock}</b> people are out of the costly state.",
        "price": "<b>5. Savings.</b> A person-year is worth {price}: {split}. In year {year} that "
                 "gives <b>{saving}</b>.",
        "result": "<b>6. Result.</b> Over {horizon} years: cost {cost}, savings {savings}, net present "
                  "value {npv}. Pays back for the public sector {pb}; for the kommune alone {pbk}.",
    },
}


class HowItWorks(common.PresetPage):
    """A few levers and the chain of the model's steps, recomputed on every move."""

    def __init__(self, query: str = ""):
        link = links.parse(query)
        self.lang, lang, s = link.lang, link.lang, link.scenario
        self.case_picker = common.case_picker(lang, link.case)
        self.levers = {"caseload_after": common.Lever(Scenario, "caseload_after", lang,
                                                      s.caseload_after, hi=s.caseload_before,
                                                      step=0.5),
                       "effect_scale": common.Lever(Scenario, "effect_scale", lang, s.effect_scale)}
        self.chain = w.HTML()
        self.chain.add_class("chain")
        self.notices = w.HTML(common.notices_html(link.notices, [], lang))
        self.url = common.UrlSync()
        self.base = s
        self.result = model.evaluate(s)
        self.chart = common.jupyter_chart(self._chart(), lang)
        self.chart.add_class("chart-cumulative")
        text = STEPS[lang]
        controls = w.VBox([w.HTML(f"<b>{i18n.t('case', lang)}</b>"), self.case_picker,
                           *self.levers.values()], layout=w.Layout(width="330px"))
        controls.add_class("levers")
        self.widget = w.VBox([common.style(),
                              w.HTML(f"<div class='topbar'><a href='index.ipynb?lang={lang}'>"
                                     f"{i18n.t('home', lang)}</a></div><h1>{text['title']}</h1>"
                                     f"<p>{text['intro']}</p>"),
                              self.notices,
                              w.HBox([controls, w.VBox([self.chain, self.chart],
                                                       layout=w.Layout(flex="1", padding="0 16px"))]),
                              self.url])
        self.widget.add_class("app")
        self.case_picker.observe(self._on_case, "value")
        for lever in self.levers.values():
            lever.slider.observe(self._update, "value")
        self._render()

    def _chart(self):
        return charts.cumulative_net(self.result, catalogue.case(self.base.case).start_year, self.lang)


    def _update(self, _=None):
        if self._busy:
            return
        self.result = model.evaluate(self.base.replace(
            **{name: lever.value for name, lever in self.levers.items()}))
        self.chart.chart = self._chart()
        self._render()

    def _render(self):
        lang, r = self.lang, self.result
        s, text = r.scenario, STEPS[lang]
        n = lambda v, d=1: i18n.number(v, lang, d)  # noqa: E731
        start = catalogue.case(s.case).start_year
        d = engine.scenario_dose(s)
        parts = [text["staff"].format(cases=n(s.cases, 0), before=n(s.caseload_before),
                                      after=n(s.caseload_after), extra=n(r.extra_workers),
                                      cost=i18n.millions(r.extra_workers * s.worker_cost, lang)),
                 text["time"].format(more=i18n.percent(s.caseload_before / s.caseload_after - 1, lang, 0)),
                 text["dose"].format(rb=n(s.reference_caseload_before), ra=n(s.reference_caseload_after),
                                     dose=n(d, 2), scale=n(s.effect_scale, 2))]
        y = r.yearly
        last = min(s.horizon_years, s.programme_years) - 1
        for o in s.outcomes:
            inflow = o.base_flow * o.effect * s.effect_scale * d
            parts.append(text["outcome"].format(
                label=html.escape(getattr(o, "label_" + lang)), flow=n(o.base_flow), effect=n(o.effect, 2),
                dose=n(d, 2), scale=n(s.effect_scale, 2), inflow=n(inflow), duration=n(o.duration_years),
                years=last + 1, stock=n(y[f"people_{o.key}"][last])))
            per_payer = o.price_by_payer()
            split = ", ".join(f"{i18n.t(p, lang)} {i18n.dkk(v, lang)}" for p, v in zip(PAYERS, per_payer)
                              if not math.isclose(v, 0))
            parts.append(text["price"].format(price=i18n.dkk(sum(per_payer), lang), split=split,
                                              year=start + last,
                                              saving=i18n.millions(y[f"savings_{o.key}"][last], lang)))
        parts.append(text["result"].format(
            horizon=s.horizon_years, cost=i18n.millions(r.total_cost, lang),
            savings=i18n.millions(r.total_savings, lang), npv=i18n.millions(r.npv, lang),
            pb=i18n.payback(r.payback_year, start, lang),
            pbk=i18n.payback(r.payback_year_kommune, start, lang)))
        steps = "".join(f"<div class='step'>{p}</div>" for p in parts)
        self.chain.value = i18n.tidy(steps)
        self.url.query = links.build(s, lang)


def app(query: str | None = None) -> w.Widget:
    return HowItWorks(common.query_string() if query is None else query).widget
