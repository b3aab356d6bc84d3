"""How the model works: the chain from caseload to savings, with live numbers, and the words."""

from __future__ import annotations

import html
import math

import ipywidgets as w

from explorer import catalogue, model
from explorer.analysis import calibration, external
from explorer.data import i18n
from explorer.model import engine, fields
from explorer.model.scenario import PAYERS, Outcome, Scenario
from explorer.ui.content import charts, glossary, kpis, services
from explorer.ui.live import page, widgets


class HowItWorks(page.Page):
    name = "how_it_works"
    offers = page.Offers(charts=("path", "cumulative"))

    def build(self) -> None:
        s = self.base
        self.picker = self.case_choice()
        self.lever("caseload_after", s.caseload_after)
        self.lever("effect_scale", s.effect_scale)
        self.chain = widgets.html_box("chain")
        self.chart_box = w.VBox()
        self.calibration = widgets.html_box("calibration")
        self.external = widgets.html_box("external", external_table(self.lang))

    def layout(self) -> w.Widget:
        lang = self.lang
        controls = w.VBox([self.picker, self.levers["caseload_after"], self.levers["effect_scale"]])
        controls.add_class("levers")
        # on a phone the case stays on top and the other levers follow the results
        self.picker.add_class("case-choice")
        results = w.VBox(
            [self.notice_box, self.chain, self.chart_box, self.calibration, self.external]
        )
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
        self.chart_box.children = [
            self.chart("path", charts.counterfactual_path(r, lang), s),
            self.chart("cumulative", charts.cumulative_net(r, lang), s),
        ]
        self.calibration.value = (
            kpis.calibration_table(calibration.table(s.case, result=r), lang)
            if s.case in catalogue.cases()
            else ""
        )


def steps(r: model.Result, lang: str) -> list[str]:
    """The model's chain for one result, in words with its numbers."""
    s = r.scenario
    out = [_staff(r, lang), _dose(s, lang)]
    if s.services_share > 0:
        total = _t("services_total", lang, total=i18n.number(engine.effect_share(s), lang, 2))
        out.append(f"{services.sentence(s, lang)} {total}")
    for o in s.outcomes:
        out += _outcome(r, o, lang)
    out.append(_result(r, lang))
    return out


def _t(key: str, lang: str, **kw: object) -> str:
    return i18n.t(f"how.{key}", lang, **kw)


def _staff(r: model.Result, lang: str) -> str:
    """Caseload to extra caseworkers to their cost a year."""
    s = r.scenario
    cost = engine.staff_cost(r.extra_workers, s.worker_cost, s.overhead, 1)
    return _t(
        "staff",
        lang,
        cases=i18n.number(s.cases, lang, 0),
        before=i18n.people(s.caseload_before, lang),
        after=i18n.people(s.caseload_after, lang),
        extra=i18n.people(r.extra_workers, lang),
        cost=i18n.millions(cost, lang),
    )


def _dose(s: Scenario, lang: str) -> str:
    """The lower caseload as a dose of the reference study's, and the effect's scale."""
    return _t(
        "dose",
        lang,
        rb=i18n.people(s.reference_caseload_before, lang),
        ra=i18n.people(s.reference_caseload_after, lang),
        dose=i18n.number(engine.scenario_dose(s), lang, 2),
        scale=i18n.number(s.effect_scale, lang, 2),
    )


def _last_year(s: Scenario) -> int:
    """Index of the last year the programme runs within the horizon."""
    return min(s.horizon_years, s.programme_years) - 1


def _outcome(r: model.Result, o: Outcome, lang: str) -> list[str]:
    """One outcome's steps: people moved, the stock they build up, what that saves."""
    return [_moved(r, o, lang), _stock(r, o, lang), _price(r, o, lang)]


def _moved(r: model.Result, o: Outcome, lang: str) -> str:
    """People the programme moves into (entry) or out of (exit) the outcome."""
    s, y = r.scenario, r.yearly
    common = dict(
        label=o.label(lang),
        # as the levers and the sources show them (2,9 %, not 3 % beside a lever's 2,9 %)
        rate=fields.field("outcome", "base_rate").show(o.base_rate, lang),
        effect=i18n.percent(o.effect, lang),
        deadweight=fields.field("outcome", "deadweight").show(o.deadweight, lang),
    )
    new = y[f"new_{o.key}"]
    if o.kind == "entry":
        at_risk = i18n.people(s.cases * o.base_rate, lang)
        moved = i18n.people(new.iloc[min(1, _last_year(s))], lang)
        return _t("entry", lang, at_risk=at_risk, moved=moved, **common)
    return _t("exit", lang, moved=i18n.number(new.iloc[0], lang, 0), **common)


def _stock(r: model.Result, o: Outcome, lang: str) -> str:
    """How many are in the outcome by the last programme year."""
    s, last = r.scenario, _last_year(r.scenario)
    share = o.other_benefit_share
    return _t(
        "stock",
        lang,
        duration=i18n.years(o.duration_years, lang),
        years=i18n.years(last + 1, lang),
        stock=i18n.number(r.paths.stock[0, s.outcomes.index(o), last], lang, 0),
        other=_t("other", lang, share=i18n.percent(share, lang)) if share else "",
    )


def _price(r: model.Result, o: Outcome, lang: str) -> str:
    """The outcome's price a person by payer, and what it saves in the last programme year."""
    s, last = r.scenario, _last_year(r.scenario)
    per_payer = o.price_by_payer()
    parts = [
        _t(f"saves.{p}", lang, amount=i18n.dkk(v, lang))
        for p, v in zip(PAYERS, per_payer)
        if not math.isclose(v, 0)
    ]  # a sentence: 'kommunen sparer 124.822 kr. og staten 31.206 kr.'
    split = _t("and", lang).join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    return _t(
        "price",
        lang,
        price=i18n.dkk(sum(per_payer), lang),
        split=split,
        year=s.start_year + last,
        saving=i18n.millions(r.yearly[f"savings_{o.key}"].iloc[last], lang),
    )


def _result(r: model.Result, lang: str) -> str:
    """The totals over the horizon and the payback years."""
    return _t(
        "result",
        lang,
        horizon=r.scenario.horizon_years,
        cost=i18n.millions(r.total_cost, lang),
        savings=i18n.millions(r.total_savings, lang),
        npv=i18n.millions(r.npv, lang),
        pb=i18n.year_or_never(r.calendar(r.payback_year_discounted), lang),
        pbk=i18n.year_or_never(r.calendar(r.payback_year_kommune_discounted), lang),
    )


def external_table(lang: str) -> str:
    """The studies abroad: each published result, its tolerance set beforehand, and what the
    model predicts with each preset's fitted effect in both readings (explorer.analysis.external).
    The same for every setting of the levers: the check is of the presets as fitted."""
    t = i18n.t
    rows = external.table()
    studies = external.shipped_studies()
    names = {p: catalogue.case(p).title[lang].split(":")[0] for p in external.PRESETS}
    heads = ("result", "published", "tolerance", *external.READINGS)
    head = "".join(f"<th scope='col'>{html.escape(t(f'external.{c}', lang))}</th>" for c in heads)
    body = []
    for key, study_rows in rows.groupby("study", sort=False):
        body.append(
            f"<tr class='study'><th scope='rowgroup' colspan='{len(heads)}'>"
            f"{html.escape(studies[key].name[lang])}. {html.escape(studies[key].short)}</th></tr>"
        )
        for figure, group in study_rows.groupby("figure", sort=False):
            first = group.iloc[0]
            pub = next(p for p in studies[key].published if p.figure == figure)
            published = external.shown(first.measure, first.published, lang)
            if not math.isnan(first.se):
                se = external.shown(first.measure, first.se, lang, signed=False)
                published += f" ({t('external.se', lang, se=se)})"
            low, high = (external.shown(first.measure, v, lang) for v in (first.low, first.high))
            tolerance = (
                t("external.not_compared", lang)
                if first.measure == "none"
                else t("external.band", lang, low=low, high=high)
            )
            cells = [(c, v) for c, v in (("published", published), ("tolerance", tolerance))]
            for reading in external.READINGS:
                hits = group[group.reading == reading]
                cells.append(
                    (
                        reading,
                        "<br>".join(
                            f"{html.escape(names[h.preset])}: "
                            f"{html.escape(external.shown(h.measure, h.model, lang))}, "
                            f"{html.escape(t(f'external.{h.verdict}', lang))}"
                            for h in hits.itertuples()
                        )
                        or "—",
                    )
                )
            body.append(
                f"<tr><th scope='row'>{html.escape(pub.label(lang))}</th>"
                + "".join(
                    f"<td data-label='{html.escape(t(f'external.{c}', lang))}'>"
                    f"{v if c in external.READINGS else html.escape(v)}</td>"
                    for c, v in cells
                )
                + "</tr>"
            )
    return (
        f"<h3>{html.escape(t('external.title', lang))}</h3>"
        f"<p>{html.escape(t('external.intro', lang))}</p>"
        f"<div class='table-wrap'><table class='calibration external'><thead><tr>{head}</tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
        f"<p class='grades'>{html.escape(t('external.note', lang))}</p>"
    )


def app(query: str | None = None) -> w.Widget:
    return page.app(HowItWorks, query)
