"""The yearly table as people open it: headers in the page's language with units, calendar
years, whole kroner, and a header block with the scenario, the price year and the sources.

Danish CSV is what Danish Excel expects: ``;`` between fields and a decimal comma. English CSV is
the usual comma form. Lines of the header block start with ``#``::

    pandas.read_csv(path, sep=";", decimal=",", comment="#")   # Danish
    pandas.read_csv(path, comment="#")                          # English
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from explorer import catalogue
from explorer.catalogue.reader import Case
from explorer.data import i18n
from explorer.model import Result
from explorer.outputs import sources

SEPARATORS = {"da": (";", ","), "en": (",", ".")}


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


def header_lines(
    result: Result, lang: str = "da", link: str | None = None, case: Case | None = None
) -> list[str]:
    """The block above the table: what scenario, which prices, where the figures come from
    (the sources of ``case``, else of the catalogue's case of the scenario's name)."""
    s = result.scenario
    case = case or catalogue.preset(s.case)
    title = case.title[lang] if case else s.case
    lines = [
        i18n.t("export.title", lang, case=title),
        i18n.t(
            "export.scenario",
            lang,
            before=i18n.short(s.caseload_before, lang),
            after=i18n.short(s.caseload_after, lang),
            cases=i18n.number(s.cases, lang),
            years=s.horizon_years,
            start=s.start_year,
            rate=i18n.percent(s.discount_rate, lang, 1),
            scale=i18n.short(s.effect_scale, lang),
        ),
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


def csv_text(
    result: Result, lang: str = "da", link: str | None = None, case: Case | None = None
) -> str:
    """The CSV file: the header block (lines starting with #), then the table."""
    sep, decimal = SEPARATORS[i18n.check_lang(lang)]
    buffer = io.StringIO()
    for line in header_lines(result, lang, link, case):
        buffer.write("# " + line.replace("\n", " ") + "\n")
    table(result, lang).to_csv(
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
