"""What the pages show in words and tables: KPI cards, the fit, the sources, the discount choice."""

from __future__ import annotations

import html

import pandas as pd

from explorer import catalogue
from explorer.analysis import calibration, claims, uncertainty
from explorer.catalogue.reader import Case
from explorer.data import i18n
from explorer.model import Result, fields
from explorer.model.scenario import Scenario
from explorer.outputs import export, key_figures, sources
from explorer.outputs.payback import payback_notes
from explorer.ui.content import glossary

#: Below this share of the point estimate a median's distance from it goes unremarked.
SKEW_NOTE = 0.05


def payback_warnings(r: Result, lang: str) -> str:
    """Below the cards: ``payback_notes`` as paragraphs."""
    return "".join(
        f"<p class='payback-warning'>{html.escape(text)}</p>" for text in payback_notes(r, lang)
    )


#: The cards an embed of the main result shows (keys of ``card``).
MAIN_CARDS = ("npv", "payback-year", "payback-year-kommune", "benefit-cost-ratio")


def main(r: Result, lang: str) -> str:
    """The explorer's KPI cards: every key figure (outputs/key_figures.py)."""
    t = i18n.t
    cards = key_figures.cards(r, lang)
    html_cards = "".join(card(key, value, sub, lang) for key, value, sub in cards)
    note = t(
        "explorer.kpi_note", lang, amounts=t("amounts_note", lang, year=catalogue.price_year())
    )
    return (
        f"<div class='kpi-grid'>{html_cards}</div>{payback_warnings(r, lang)}"
        f"<p class='kpi-note'>{html.escape(note)}</p>"
    )


def chance_cards(sim, lang: str) -> str:
    """The two chances of a Monte Carlo run: paying back within the horizon (undiscounted) and
    a positive NPV, which is paying back discounted; the note below says how they relate."""
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


def _input_value(s: Scenario, name: str, lang: str) -> str:
    """An input's point value with its unit: '1 år', '100 %'."""
    attr = name.partition(".")[2]
    spec = fields.field("outcome", attr) if attr else fields.field("scenario", name)
    value = uncertainty.value_scale(s, name)
    shown = spec.show(value, lang)
    if spec.unit.format != "number":
        return shown
    unit = spec.unit_text(lang)
    if lang == "en" and value == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{shown} {unit}"


def median_note(sim, point: float, lang: str, spreads=None, case: Case | None = None) -> str:
    """Beside the median card: how far the draws' median lies from the point estimate and why.

    Named first are the inputs at a bound of their range (their draws move one way only); then,
    for a median below the point, the product of uncertain figures. Within ``SKEW_NOTE`` of the
    point only the general note is given."""
    t = lambda key, **kw: i18n.t(f"how_sure.{key}", lang, **kw)
    s, median = sim.scenario, sim.median_npv
    gap = median - point
    if abs(gap) <= SKEW_NOTE * abs(point):
        close = t("median_close", share=i18n.percent(SKEW_NOTE, lang))
        return f"<p class='grades median-note'>{html.escape(close)}</p>"
    direction = "above" if gap > 0 else "below"
    if point != 0 and abs(gap) <= 2 * abs(point):
        head = t(f"skew_{direction}", share=i18n.percent(abs(gap) / abs(point), lang))
    else:
        head = t(
            f"skew_{direction}_amount",
            median=i18n.millions(median, lang),
            point=i18n.millions(point, lang),
        )
    reasons = [
        t(
            f"skew_bound_{side}",
            input=claims.input_label(s, item.name, lang),
            value=_input_value(s, item.name, lang),
        )
        for item, side in uncertainty.inputs_at_bound(s, spreads, case)
    ]
    if gap < 0 or not reasons:
        reasons.append(t(f"skew_product_{direction}"))
    text = head + ": " + "; ".join(reasons) + "."
    return f"<p class='grades median-note skew'>{html.escape(text)}</p>"


def card(key: str, value: str, sub: str, lang: str, title: str | None = None) -> str:
    """One KPI card; its title explains itself where the glossary has the word."""
    title = title or i18n.t(f"kpi.{key}", lang)
    head = glossary.term_html(key, title, lang)
    return (
        f"<div class='kpi kpi-{key.replace('_', '-')}'><div class='kpi-title'>{head}</div>"
        f"<div class='kpi-value'>{html.escape(value)}</div>"
        f"<div class='kpi-sub'>{html.escape(sub or '')}</div></div>"
    )


def _documented(case: Case, key: str, lang: str) -> str:
    """A documented result by the label its case gives it (its years), and its value."""
    f = catalogue.figure(key)
    label = next((r.label for r in case.documented if r.figure == key and r.label), None)
    if f.is_money:
        year = i18n.t("calibration.in_prices", lang, year=catalogue.price_year())
        value = f"{i18n.millions(f.in_prices, lang)} ({year})"
    else:
        value = f"{i18n.number(f.value, lang)} {f.unit_in(lang)}"
    return f"{fields.lower(label[lang])}: {value}" if label else f"{value} ({f.year})"


def fitted_note(
    s: Scenario, lang: str, table: pd.DataFrame | None = None, result: Result | None = None
) -> str:
    """Beside the KPIs: which inputs of this preset were fitted to which documented results, and
    the check against a documented result the fit did not use (or why there is none). ``table``:
    the case's calibration table for ``s``, when the page has it; or ``result``, the model's
    answer for ``s`` the page has already computed, so the check does not evaluate it again."""
    if s.case not in catalogue.cases():
        return ""
    case = catalogue.case(s.case)
    fitted = case.fitted(catalogue.figures())
    if not fitted:
        return ""
    if table is None and result is not None:
        table = calibration.table(case, result=result)
    inputs = [
        sources.label(case, what, lang) for what, key in case.sources.items() if key in fitted
    ]
    targets = sorted({t for ts in fitted.values() for t in ts})
    text = i18n.t(
        "calibration.fitted_kpi",
        lang,
        inputs=", ".join(inputs),
        targets=" og ".join(_documented(case, k, lang) for k in targets)
        if lang == "da"
        else " and ".join(_documented(case, k, lang) for k in targets),
    )
    if s != case.scenario:
        text += " " + i18n.t("calibration.your_settings", lang)
    return (
        f"<p class='fitted'><span class='grade-badge grade-F'>F</span> {html.escape(text)}</p>"
        + held_out_note(case, s, lang, table)
    )


def held_out_note(case: Case, s: Scenario, lang: str, table: pd.DataFrame | None = None) -> str:
    """The out-of-sample verdict: each held-out documented result against the model."""
    return "".join(
        f"<p class='held-out held-out-{verdict}'>{html.escape(text)}</p>"
        for text, verdict in export.held_out_checks(s, lang, case, table)
    )


def _value(value: float, money: bool, lang: str) -> str:
    if pd.isna(value):
        return "—"
    return i18n.millions(value, lang) if money else i18n.number(value, lang)


def calibration_table(table: pd.DataFrame, lang: str) -> str:
    """Documented versus model: the path without the programme, the model's count with it, the
    difference and the row's role (fitted to, used as an input, or held out as a check)."""
    if table.empty:
        return ""
    t = i18n.t
    head = "".join(
        f"<th scope='col'>{html.escape(t(f'calibration.{c}', lang))}</th>"
        for c in ("documented", "without", "model", "difference")
    )
    rows = []
    for row in table.itertuples():
        f = catalogue.figure(row.figure)
        money = f.is_money
        tag = t(f"calibration.{row.role}", lang)
        difference = "—" if pd.isna(row.difference) else i18n.percent(row.difference, lang, 0)
        rows.append(
            f"<tr class='{row.role}'>"
            f"<th scope='row' title='{html.escape(f.note_in(lang))}'>"
            f"{html.escape(getattr(row, 'label_' + lang))}</th>"
            + "".join(
                f"<td class='num' data-label='{html.escape(t(f'calibration.{c}', lang))}'>{v}</td>"
                for c, v in (
                    ("documented", _value(row.documented, money, lang)),
                    ("without", _value(row.without, money, lang)),
                    ("model", _value(row.model, money, lang)),
                    ("difference", difference),
                )
            )
            + f"<td class='role'>{html.escape(tag)}</td></tr>"
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
        shown = i18n.dkk(value, lang) if f.is_money else sources.shown(f, lang)
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
