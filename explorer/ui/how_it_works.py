"""How the model works: the chain from caseload to savings, with live numbers, and the words."""

from __future__ import annotations

import html
import math

import ipywidgets as w

from explorer import catalogue, model
from explorer.analysis import calibration
from explorer.data import i18n
from explorer.model import engine
from explorer.model.scenario import PAYERS, Scenario

from . import charts, glossary, kpis, page, widgets


class HowItWorks(page.Page):
    name = "how_it_works"

    def build(self) -> None:
        s = self.base
        self.picker = self.case_choice()
        self.lever("caseload_after", s.caseload_after)
        self.lever("effect_scale", s.effect_scale)
        self.chain = widgets.html_box("chain")
        self.chart_box = w.VBox()
        self.calibration = widgets.html_box("calibration")

    def layout(self) -> w.Widget:
        lang = self.lang
        controls = w.VBox([self.picker, self.levers["caseload_after"], self.levers["effect_scale"]])
        controls.add_class("levers")
        results = w.VBox([self.notice_box, self.chain, self.chart_box, self.calibration])
        results.add_class("results")
        main = w.Box([controls, results])
        main.add_class("main")
        words = w.HTML(
            f"<h2>{html.escape(i18n.t('how.words_title', lang))}</h2>{glossary.section_html(lang)}"
        )
        words.add_class("glossary-box")
        head = w.HTML(
            f"<h1>{html.escape(i18n.t('how.title', lang))}</h1>"
            f"<p class='summary'>{html.escape(i18n.t('how.intro', lang))}</p>"
        )
        return w.VBox([head, main, words])

    def show(self, s: Scenario) -> None:
        lang = self.lang
        r = model.evaluate(s)
        self.chain.value = "".join(
            f"<div class='step'>{html.escape(i18n.tidy(p))}</div>" for p in steps(r, lang)
        )
        self.chart_box.children = [self.chart("cumulative", charts.cumulative_net(r, lang), s)]
        self.calibration.value = (
            kpis.calibration_table(calibration.table(s.case, s), lang)
            if s.case in catalogue.cases()
            else ""
        )


def steps(r: model.Result, lang: str) -> list[str]:
    """The model's chain for one result, in words with its numbers."""
    s, y = r.scenario, r.yearly
    t = lambda key, **kw: i18n.t(f"how.{key}", lang, **kw)
    n = lambda v, d=1: i18n.number(v, lang, d)
    pct = lambda v: i18n.percent(v, lang)
    out = [
        t(
            "staff",
            cases=n(s.cases, 0),
            before=i18n.short(s.caseload_before, lang),
            after=i18n.short(s.caseload_after, lang),
            extra=n(r.extra_workers),
            cost=i18n.millions(
                engine.staff_cost(r.extra_workers, s.worker_cost, s.overhead, 1), lang
            ),
        ),
        t(
            "dose",
            rb=i18n.short(s.reference_caseload_before, lang),
            ra=i18n.short(s.reference_caseload_after, lang),
            dose=n(engine.scenario_dose(s), 2),
            scale=n(s.effect_scale, 2),
        ),
    ]
    if s.services_share > 0:
        out.append(
            t(
                "services",
                share=pct(s.services_share),
                other=i18n.millions(s.other_cost_per_year, lang),
                ref=i18n.millions(s.reference_other_cost, lang),
                services=pct(
                    float(engine.services_dose(s.other_cost_per_year, s.reference_other_cost))
                ),
                total=n(engine.effect_share(s), 2),
            )
        )
    last = min(s.horizon_years, s.programme_years) - 1
    for o in s.outcomes:
        common = dict(
            label=o.label(lang),
            rate=pct(o.base_rate),
            effect=pct(o.effect),
            deadweight=pct(o.deadweight),
        )
        if o.kind == "entry":
            out.append(
                t(
                    "entry",
                    at_risk=n(s.cases * o.base_rate),
                    moved=n(y[f"new_{o.key}"].iloc[min(1, last)]),
                    **common,
                )
            )
        else:
            out.append(t("exit", moved=n(y[f"new_{o.key}"].iloc[0], 0), **common))
        other = t("other", share=pct(o.other_benefit_share)) if o.other_benefit_share else ""
        out.append(
            t(
                "stock",
                duration=i18n.short(o.duration_years, lang),
                years=last + 1,
                stock=n(r.paths.stock[0, s.outcomes.index(o), last], 0),
                other=other,
            )
        )
        per_payer = o.price_by_payer()
        split = ", ".join(
            f"{i18n.t(f'payer.{p}', lang)} {i18n.dkk(v, lang)}"
            for p, v in zip(PAYERS, per_payer)
            if not math.isclose(v, 0)
        )
        out.append(
            t(
                "price",
                price=i18n.dkk(sum(per_payer), lang),
                split=split,
                year=s.start_year + last,
                saving=i18n.millions(y[f"savings_{o.key}"].iloc[last], lang),
            )
        )
    out.append(
        t(
            "result",
            horizon=s.horizon_years,
            cost=i18n.millions(r.total_cost, lang),
            savings=i18n.millions(r.total_savings, lang),
            npv=i18n.millions(r.npv, lang),
            pb=i18n.year_or_never(r.calendar(r.payback_year_discounted), lang),
            pbk=i18n.year_or_never(r.calendar(r.payback_year_kommune_discounted), lang),
        )
    )
    return out


def app(query: str | None = None) -> w.Widget:
    return page.app(HowItWorks, query)
