"""What the pages show in words and tables: KPI cards, the fit, the sources, the discount choice."""

from __future__ import annotations

import html

import pandas as pd

from .. import catalogue, fields, i18n, sources
from ..cases import Case
from ..model import Result
from ..scenario import Scenario
from . import glossary, widgets


def _payback(plain: int | None, discounted: int | None, lang: str) -> tuple[str, str]:
    """(value, sub-line) for a payback card: the discounted year, the undiscounted beside it."""
    never = i18n.t("never", lang)
    if discounted is not None and discounted == plain:
        return str(discounted), i18n.t("kpi_sub.same_year", lang)
    if discounted is not None:
        return str(discounted), i18n.t("kpi_sub.undiscounted", lang, year=plain)
    if plain is not None:
        return never, i18n.t("kpi_sub.plain_only", lang, year=plain)
    return never, ""


def main(r: Result, lang: str) -> str:
    """The explorer's KPI cards."""
    s = r.scenario
    t = i18n.t
    be = r.break_even_effect
    pv_public = _payback(r.calendar(r.payback_year), r.calendar(r.payback_year_discounted), lang)
    pv_kommune = _payback(
        r.calendar(r.payback_year_kommune), r.calendar(r.payback_year_kommune_discounted), lang
    )
    wider = t("kpi_sub.wider_counted" if s.wider_gains else "kpi_sub.wider_not_counted", lang)
    cards = [
        (
            "extra_workers",
            i18n.number(r.extra_workers, lang, 1),
            t(
                "kpi_sub.staff",
                lang,
                before=i18n.number(s.cases / s.caseload_before, lang, 1),
                after=i18n.number(s.cases / s.caseload_after, lang, 1),
            ),
        ),
        (
            "total_cost",
            i18n.millions(r.total_cost, lang),
            t("kpi_sub.years", lang, n=s.horizon_years, start=s.start_year),
        ),
        ("total_savings", i18n.millions(r.total_savings, lang), ""),
        (
            "npv",
            i18n.millions(r.npv, lang),
            t("kpi_sub.rate", lang, rate=i18n.percent(s.discount_rate, lang, 1)),
        ),
        ("benefit_cost_ratio", i18n.factor(r.benefit_cost_ratio, lang), ""),
        ("payback_year", *pv_public),
        ("payback_year_kommune", *pv_kommune),
        (
            "break_even_effect",
            i18n.percent(be, lang) if be is not None else t("break_even.above", lang),
            t("kpi_sub.break_even", lang),
        ),
        ("pv_wider_gains", i18n.millions(r.pv_wider_gains, lang), wider),
    ]
    html_cards = "".join(card(key, value, sub, lang) for key, value, sub in cards)
    note = t(
        "explorer.kpi_note", lang, amounts=t("amounts_note", lang, year=catalogue.price_year())
    )
    warn = ""
    if r.payback_year is not None and r.payback_year_discounted is None:
        plain = t("payback.only_plain", lang, plain=r.calendar(r.payback_year))
        warn = f"<p class='payback-warning'>{html.escape(plain)}</p>"
    return (
        f"<div class='kpi-grid'>{html_cards}</div>{warn}<p class='kpi-note'>{html.escape(note)}</p>"
    )


def chance_cards(sim, lang: str) -> str:
    """The two chances of a Monte Carlo run: paying back within the horizon, a positive NPV."""
    return card(
        "p_payback",
        i18n.percent(sim.p_payback, lang),
        i18n.t("how_sure.p_payback_sub", lang),
        lang,
        title=i18n.t("how_sure.p_payback", lang),
    ) + card(
        "p_npv",
        i18n.percent(sim.p_npv_positive, lang),
        i18n.t("how_sure.p_npv_sub", lang),
        lang,
        title=i18n.t("how_sure.p_npv", lang),
    )


def card(key: str, value: str, sub: str, lang: str, title: str | None = None) -> str:
    """One KPI card; its title explains itself where the glossary has the word."""
    title = title or i18n.t(f"kpi.{key}", lang)
    head = glossary.term_html(key, title, lang)
    return (
        f"<div class='kpi kpi-{key.replace('_', '-')}'><div class='kpi-title'>{head}</div>"
        f"<div class='kpi-value'>{html.escape(value)}</div>"
        f"<div class='kpi-sub'>{html.escape(sub or '')}</div></div>"
    )


def _documented(key: str, lang: str) -> str:
    f = catalogue.figure(key)
    if f.is_money:
        return f"{i18n.millions(f.in_prices, lang)} ({f.year})"
    return f"{i18n.number(f.value, lang)} {f.unit_in(lang)} ({f.year})"


def fitted_note(s: Scenario, lang: str) -> str:
    """Beside the KPIs: which inputs of this preset were fitted to which documented results."""
    if s.case not in catalogue.cases():
        return ""
    case = catalogue.case(s.case)
    fitted = case.fitted(catalogue.figures())
    if not fitted:
        return ""
    inputs = [
        sources.label(case, what, lang) for what, key in case.sources.items() if key in fitted
    ]
    targets = sorted({t for ts in fitted.values() for t in ts})
    text = i18n.t(
        "calibration.fitted_kpi",
        lang,
        inputs=", ".join(inputs),
        year=catalogue.price_year(),
        targets=" og ".join(_documented(k, lang) for k in targets)
        if lang == "da"
        else " and ".join(_documented(k, lang) for k in targets),
    )
    return f"<p class='fitted'><span class='grade-badge grade-F'>F</span> {html.escape(text)}</p>"


def _value(value: float, money: bool, lang: str) -> str:
    if pd.isna(value):
        return "—"
    return i18n.millions(value, lang) if money else i18n.number(value, lang)


def calibration_table(table: pd.DataFrame, lang: str) -> str:
    """Documented versus model, with the difference and what was fitted."""
    if table.empty:
        return ""
    t = i18n.t
    head = "".join(
        f"<th scope='col'>{html.escape(t(f'calibration.{c}', lang))}</th>"
        for c in ("documented", "model_gross", "difference", "model")
    )
    rows = []
    for row in table.itertuples():
        f = catalogue.figure(row.figure)
        money = f.is_money
        tag = t("calibration.fitted" if row.fitted else "calibration.independent", lang)
        difference = "—" if pd.isna(row.difference) else i18n.percent(row.difference, lang, 0)
        rows.append(
            f"<tr class='{'fitted' if row.fitted else 'independent'}'>"
            f"<th scope='row' title='{html.escape(f.note_in(lang))}'>"
            f"{html.escape(getattr(row, 'label_' + lang))}</th>"
            f"<td class='num'>{_value(row.documented, money, lang)}</td>"
            f"<td class='num'>{_value(row.model_gross, money, lang)}</td>"
            f"<td class='num'>{difference}</td>"
            f"<td class='num'>{_value(row.model, money, lang)}</td>"
            f"<td>{html.escape(tag)}</td></tr>"
        )
    title = html.escape(t("calibration.title", lang))
    note = html.escape(
        t("calibration.note", lang) + " " + t("amounts_note", lang, year=catalogue.price_year())
    )
    return (
        f"<h3>{title}</h3><div class='table-wrap'><table class='calibration'><thead><tr>"
        f"<th scope='col'></th>{head}<th scope='col'></th></tr></thead><tbody>"
        f"{''.join(rows)}</tbody></table></div><p class='grades'>{note}</p>"
    )


def sources_table(case: Case, s: Scenario, lang: str) -> str:
    """Every figure behind a case's defaults: value, unit, year, grade and source."""
    t = i18n.t
    rows = []
    for _, label, f in sources.case_sources(case, lang):
        value = f.in_prices if f.is_money else f.value
        shown = i18n.dkk(value, lang) if f.is_money else i18n.short(value, lang, 4)
        link = (
            f"<a href='{html.escape(f.source_url)}' target='_blank' rel='noopener'>"
            f"{html.escape(f.source_title or f.source_url)}</a>"
            if f.source_url
            else html.escape(t("source.fitted" if f.is_fitted else "source.none", lang))
        )
        rows.append(
            f"<tr class='grade-{f.grade}'><th scope='row'>{html.escape(label)}</th>"
            f"<td class='num'>{html.escape(shown)}</td><td>{html.escape(f.unit_in(lang))}</td>"
            f"<td>{f.year}</td><td><span class='grade-badge grade-{f.grade}' "
            f"title='{html.escape(i18n.grade_text(f.grade, lang))}'>{f.grade}</span></td>"
            f"<td>{link}<div class='note'>{html.escape(f.note_in(lang))}</div></td></tr>"
        )
    head = "".join(
        f"<th scope='col'>{html.escape(t(f'source.{k}', lang))}</th>"
        for k in ("setting", "value", "unit", "year", "grade", "source")
    )
    legend = " · ".join(
        f"<span class='grade-badge grade-{g}'>{g}</span> {html.escape(i18n.grade_text(g, lang))}"
        for g in i18n.GRADES
    )
    money = html.escape(t("amounts_note", lang, year=catalogue.price_year()))
    return (
        f"<p class='grades'>{legend}. {money}</p><div class='table-wrap'>"
        f"<table class='sources'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
        f"</tbody></table></div>"
    )


def discount_options(lang: str, rate: float) -> list[tuple[str, str]]:
    options = []
    for f in catalogue.discount_presets().values():
        shown = i18n.percent(f.value, lang, 1)
        text = (
            i18n.t("discount_none", lang, rate=shown)
            if f.is_assumption
            else i18n.t(
                "discount_source",
                lang,
                rate=shown,
                source=f.source_title.split(":")[0],
                year=f.year,
            )
        )
        options.append((repr(f.value), text))
    if repr(float(rate)) not in [k for k, _ in options]:
        options.append((repr(float(rate)), i18n.percent(rate, lang, 1)))
    return options


def discount_choice(lang: str, rate: float) -> widgets.Choice:
    """The discount rate as a choice of the sourced presets (and the link's rate, if other)."""
    label = fields.field("scenario", "discount_rate").label[lang]
    return widgets.Choice(
        label, discount_options(lang, rate), repr(float(rate)), css="lever-discount"
    )


def discount_value(choice: widgets.Choice, rate: float) -> str:
    key = repr(float(rate))
    if key not in [k for k, _ in choice.options]:
        choice.options = [*choice.options, [key, key]]
    return key
