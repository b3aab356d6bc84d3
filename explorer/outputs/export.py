"""The yearly table as people open it: headers in the page's language with units, calendar
years, whole kroner, and a last column, "Om tabellen" / "About this table", with the scenario
(and every input that differs from the case's preset), the price year, the link and the sources.

Danish CSV is what Danish Excel expects: ``;`` between fields and a decimal comma. English CSV is
the usual comma form. The first line is the header and every column but the last is numbers::

    pandas.read_csv(path, sep=";", decimal=",")   # Danish
    pandas.read_csv(path)                          # English

``changed_inputs`` and ``fitted_line`` say in words what a download rests on; the chart files,
the workbook and the read view use them too.
"""

from __future__ import annotations

import csv
import io
import math

import pandas as pd

from explorer import catalogue
from explorer.analysis import calibration
from explorer.analysis.financing import Terms
from explorer.catalogue.reader import Case
from explorer.data import i18n
from explorer.model import Result, fields
from explorer.model.fields import Field
from explorer.model.scenario import Outcome, Price, Scenario
from explorer.outputs import sources

SEPARATORS = {"da": (";", ","), "en": (",", ".")}
#: What a spreadsheet would read as a formula at the start of a cell.
FORMULA_START = ("=", "+", "-", "@")


def _unit(lang: str, key: str) -> str:
    return i18n.t(f"unit.{key}", lang, year=catalogue.price_year())


def table(result: Result, lang: str = "da") -> pd.DataFrame:
    """The yearly table with headers in ``lang`` (with units), calendar years and whole kroner."""
    y, s = result.yearly, result.scenario
    out = {f"{i18n.t('column.calendar_year', lang)}": y["calendar_year"].astype(int)}

    def money(column: str, header: str) -> None:
        out[f"{header} ({_unit(lang, 'money')})"] = y[column].round().astype("int64")

    for column in ("cost_staff", "cost_other", "cost"):
        money(column, i18n.t(f"column.{column}", lang))
    for o in s.outcomes:
        label = o.label(lang)
        out[f"{i18n.t('column.new', lang, outcome=label)} ({_unit(lang, 'people')})"] = y[
            f"new_{o.key}"
        ].round(1)
        out[f"{i18n.t('column.people', lang, outcome=label)} ({_unit(lang, 'person_years')})"] = y[
            f"people_{o.key}"
        ].round(1)
        money(f"savings_{o.key}", i18n.t("column.outcome_savings", lang, outcome=label))
    for column in (
        "savings_kommune",
        "savings_region",
        "savings_stat",
        "wider_gains",
        "savings",
        "net",
        "cumulative_net",
        "net_kommune",
        "cumulative_net_kommune",
    ):
        money(column, i18n.t(f"column.{column}", lang))
    out[i18n.t("column.discount_factor", lang)] = y["discount_factor"].round(4)
    money("pv_net", i18n.t("column.pv_net", lang))
    money("cumulative_pv_net", i18n.t("column.cumulative_pv_net", lang))
    return pd.DataFrame(out)


def _differs(a: float, b: float) -> bool:
    return not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _shown(f: Field, value: float, lang: str) -> str:
    """A value as the field shows it, with its unit where the number alone does not say it."""
    text = f.show(value, lang)
    return f"{text} {f.unit_text(lang)}" if f.unit.format == "number" else text


def _preset(scenario: Scenario) -> Scenario | None:
    return catalogue.load_case(scenario.case) if scenario.case in catalogue.cases() else None


def changed_inputs(
    scenario: Scenario,
    lang: str = "da",
    base: Scenario | None = None,
    terms: Terms | None = None,
) -> list[str]:
    """Every input of ``scenario`` that differs from ``base`` (default: the preset of its case;
    nothing for a case outside the catalogue), in words and in the field's format: 'Løn pr.
    sagsbehandler: 100.000 kr. (forudindstilling: 505.868 kr.)'. Outcome inputs and prices are
    named by their outcome: 'Institution placements, deadweight: 30% (preset: 0%)'. ``terms``:
    the financing terms a page used, each that differs from its default listed too."""
    out = _changed_terms(terms, lang) if terms is not None else []
    base = base if base is not None else _preset(scenario)
    if base is None:
        return out
    scenario_changes = []
    for name, f in fields.of(Scenario).items():
        value, old = getattr(scenario, name), getattr(base, name)
        if _differs(value, old):
            scenario_changes.append(_item(f.label[lang], f, value, old, lang))
    old_outcomes = {o.key: o for o in base.outcomes}
    for o in scenario.outcomes:
        if o.key not in old_outcomes:
            continue
        for name, f in fields.of(Outcome).items():
            value, old = getattr(o, name), getattr(old_outcomes[o.key], name)
            if _differs(value, old):
                label = f"{o.label(lang)}, {fields.lower(f.label[lang])}"
                scenario_changes.append(_item(label, f, value, old, lang))
        for price, old_price in zip(o.prices, old_outcomes[o.key].prices):
            scenario_changes += _changed_price(o, price, old_price, lang)
    return scenario_changes + out


def _changed_price(o: Outcome, price: Price, old: Price, lang: str) -> list[str]:
    """A price's amount and payer shares that differ: 'Placements, Placement in an institution,
    amount: DKK 900,000 (preset: DKK 1,338,552)'."""
    out = []
    named = f"{o.label(lang)}, {fields.lower(price.label(lang))}"
    for name in ("amount", "kommune", "region", "stat"):
        f = fields.field("price", name)
        value, preset = getattr(price, name), getattr(old, name)
        if _differs(value, preset):
            label = f"{named}, {fields.lower(f.label[lang])}"
            out.append(_item(label, f, value, preset, lang))
    return out


def _changed_terms(terms: Terms, lang: str) -> list[str]:
    """The financing terms that differ from their defaults (the figures they come from)."""
    default = Terms()
    return [
        _item(f.label[lang], f, getattr(terms, name), getattr(default, name), lang)
        for name, f in fields.of(Terms).items()
        if _differs(getattr(terms, name), getattr(default, name))
    ]


def _item(label: str, f: Field, value: float, old: float, lang: str) -> str:
    return i18n.t(
        "export.changed_item",
        lang,
        label=label,
        value=_shown(f, value, lang),
        preset=f.show(old, lang),
    )


def _input_value(scenario: Scenario, what: str) -> float | None:
    """The scenario's value of a case's input ('caseload_after', 'institution.effect'); None
    for what a scenario cannot change (a price)."""
    key, _, attr = what.partition(".")
    if not attr:
        return getattr(scenario, key, None)
    outcome = next((o for o in scenario.outcomes if o.key == key), None)
    if outcome is None or "." in attr or attr not in fields.of(Outcome):
        return None
    return getattr(outcome, attr)


def fitted_line(scenario: Scenario, lang: str = "da", case: Case | None = None) -> str:
    """One line when the numbers rest on a fitted figure (evidence F) of ``case`` (default: the
    preset of the scenario's case) that the scenario still uses; else ''."""
    case = case or catalogue.preset(scenario.case)
    if case is None:
        return ""
    fitted = case.fitted(catalogue.figures())
    inputs = []
    for what, key in case.sources.items():
        if key not in fitted:
            continue
        now, then = _input_value(scenario, what), _input_value(case.scenario, what)
        if now is None or then is None or not _differs(now, then):
            inputs.append(sources.label(case, what, lang))
    if not inputs:
        return ""
    return i18n.t("export.fitted", lang, inputs=", ".join(inputs))


def held_out_checks(
    s: Scenario, lang: str = "da", case: Case | None = None, table: pd.DataFrame | None = None
) -> list[tuple[str, str]]:
    """The out-of-sample checks of the preset behind ``s``, as (text, verdict): each documented
    result the fit did not use against the model with ``s``, within its tolerance stated
    beforehand (its precision by calibration's one error model), with the programme's own part
    of the model's value beside it and, where the model passes, whether the path without the
    programme would pass too (then the check cannot tell the programme's effect); or why there
    is none (verdict 'none'). Empty for a case with no fitted figure. ``table``: the case's
    calibration table for ``s``, when at hand."""
    case = case or catalogue.preset(s.case)
    if case is None or not case.fitted(catalogue.figures()):
        return []
    rows = calibration.held_out(case, s, table)
    if rows.empty:
        reason = (case.no_held_out or {}).get(lang, i18n.t("calibration.none_held_out", lang))
        return [(reason, "none")]
    out = []
    for row in rows.itertuples():
        money = catalogue.figure(row.figure).is_money

        def shown(value: float, money: bool = money) -> str:
            if pd.isna(value):
                return "—"
            return i18n.millions(value, lang) if money else i18n.number(value, lang)

        share = i18n.percent(row.tolerance, lang, 1)
        alone = ""
        if row.verdict == "matches":
            key = "alone_passes" if row.without_passes else "programme_needed"
            alone = i18n.t(f"calibration.{key}", lang, without=shown(row.without))
        text = i18n.t(
            "calibration.held_out_kpi",
            lang,
            label=getattr(row, "label_" + lang),
            documented=(i18n.t("calibration.more_than", lang) + " " if row.at_least else "")
            + shown(row.documented)
            + (
                f" ({i18n.t('calibration.in_prices', lang, year=catalogue.price_year())})"
                if money
                else ""
            ),
            model=shown(row.model),
            programme=shown(row.programme),
            difference=i18n.percent(row.difference, lang, 0),
            tolerance=i18n.t(
                "calibration.lower_bound" if row.at_least else "calibration.tolerance",
                lang,
                share=share,
            ),
            verdict=i18n.t(f"calibration.verdict.{row.verdict}", lang),
            alone=alone,
        )
        out.append((text, str(row.verdict)))
    return out


def header_lines(
    result: Result,
    lang: str = "da",
    link: str | None = None,
    case: Case | None = None,
    terms: Terms | None = None,
) -> list[str]:
    """What the table is: what scenario (and every input that differs from the preset, one a
    line, with the financing ``terms`` a page used), which prices, where the figures come from
    (the sources of ``case``, else of the catalogue's case of the scenario's name)."""
    s = result.scenario
    case = case or catalogue.preset(s.case)
    title = case.title[lang] if case else s.case
    lines = [i18n.t("export.title", lang, case=title), scenario_line(s, lang)]
    changed = changed_inputs(s, lang, terms=terms)
    if changed:
        lines.append(i18n.t("export.changed", lang))
        lines += [f"  {item}" for item in changed]
    fitted = fitted_line(s, lang, case)
    if fitted:
        lines.append(fitted)
    lines += [text for text, _ in held_out_checks(s, lang, case)]
    lines += [
        i18n.t("amounts_note", lang, year=catalogue.price_year()),
        i18n.t("export.deadweight", lang),
    ]
    if link:
        lines.append(i18n.t("export.link", lang, link=link))
    lines.append(i18n.t("export.sources", lang))
    if case:
        for _, what, f in sources.case_sources(case, lang):
            source = f.source_url or i18n.grade_text(f.grade, lang)
            lines.append(f"  {what}: {f.key} ({f.year}, {f.grade}) {source}")
    return lines


def scenario_line(s: Scenario, lang: str = "da") -> str:
    """The scenario in one line: cases, caseloads, horizon, discount rate, effect scale."""
    return i18n.t(
        "export.scenario",
        lang,
        before=i18n.people(s.caseload_before, lang),
        after=i18n.people(s.caseload_after, lang),
        cases=i18n.number(s.cases, lang),
        years=s.horizon_years,
        start=s.start_year,
        rate=i18n.percent(s.discount_rate, lang, 1),
        scale=i18n.short(s.effect_scale, lang),
    )


def changed_line(s: Scenario, lang: str = "da", terms: Terms | None = None) -> str:
    """'Changed from the preset: ...' in one line (``changed_inputs``); empty where nothing is."""
    changed = changed_inputs(s, lang, terms=terms)
    return i18n.t("export.changed", lang) + " " + "; ".join(changed) + "." if changed else ""


def description(
    s: Scenario, lang: str = "da", case: Case | None = None, terms: Terms | None = None
) -> list[str]:
    """What a chart of ``s`` shows, for the lines under its title: the scenario, what differs
    from the preset (and the financing ``terms`` a page used), and whether the numbers rest on a
    fitted figure."""
    lines = [scenario_line(s, lang)]
    changed = changed_line(s, lang, terms)
    if changed:
        lines.append(changed)
    fitted = fitted_line(s, lang, case)
    if fitted:
        lines.append(fitted)
    lines += [text for text, _ in held_out_checks(s, lang, case)]
    return lines


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one line, never read as a formula."""
    text = text.replace("\r", " ").replace("\n", " ")
    return "'" + text if text.lstrip().startswith(FORMULA_START) else text


def with_about(frame: pd.DataFrame, lines: list[str], lang: str) -> pd.DataFrame:
    """``frame`` with a last text column holding ``lines``, one a row from the first; the last
    row holds the rest, joined with ' | '."""
    rows = len(frame)
    cells: list[str | None] = [None] * rows
    for i, line in enumerate(lines[:rows]):
        cells[i] = _cell(line)
    if len(lines) > rows > 0:
        cells[-1] = " | ".join(_cell(line) for line in lines[rows - 1 :])
    out = frame.rename(columns=_cell)
    out[i18n.t("export.about", lang)] = pd.Series(cells, index=frame.index, dtype=object)
    return out


def csv_text(
    result: Result,
    lang: str = "da",
    link: str | None = None,
    case: Case | None = None,
    terms: Terms | None = None,
) -> str:
    """The CSV file: the table, with what it is (``header_lines``) in its last column."""
    sep, decimal = SEPARATORS[i18n.check_lang(lang)]
    buffer = io.StringIO()
    about = header_lines(result, lang, link, case, terms)
    frame = with_about(table(result, lang), about, lang)
    frame.to_csv(
        buffer,
        sep=sep,
        decimal=decimal,
        index=False,
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\n",
    )
    return buffer.getvalue()


def file_name(case: str, what: str, lang: str, extension: str) -> str:
    """'herning-tabel.csv' / 'herning-table.csv': names in the page's language."""
    return f"{case}-{i18n.t(f'file.{what}', lang)}.{extension}"
