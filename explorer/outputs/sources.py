"""docs/sources.md, generated from data/figures.csv: every figure with its source and grade."""

from __future__ import annotations

import re

from explorer import catalogue
from explorer.data import i18n
from explorer.data.figures import CatalogueError
from explorer.model import fields

GROUPS = {
    "prices": "The price year",
    "cpi": "Consumer prices (the price index)",
    "dk": "Danish unit costs, rates, trends and discount rates",
    "som": "SØM conventions",
    "model": "Model settings",
    "price": "Prices per person-year",
    "refusion": "State refusion",
    "herning": "Herning",
    "aabenraa": "Aabenraa",
    "hjoerring": "Hjørring",
    "financing": "Financing arrangements",
    "impact60": "IMPACT60, Denmark's first social impact investment",
    "peterborough": "The Peterborough social impact bond",
    "uncertainty": "Uncertainty (Monte Carlo spreads)",
    "claims": "Figures behind the debate claims",
    "study": "Studies abroad (the outside check, data/studies.yaml)",
}


def label(case, what: str, lang: str) -> str:
    """What a case's value is, in words: 'Sagstal efter', 'Institutionsanbringelser: Effekt ...'."""

    key, _, rest = what.partition(".")
    if not rest:
        return fields.field("scenario", key).label[lang]
    outcome = case.scenario.outcome(key)
    attr, _, index = rest.partition(".")
    if attr == "price":
        number, _, payer = index.partition(".")
        price = outcome.prices[int(number)]
        text = f"{outcome.label(lang)}: {price.label(lang)}"
        return f"{text} ({i18n.t(f'payer.{payer}', lang).lower()})" if payer else text
    return f"{outcome.label(lang)}: {fields.field('outcome', attr).label[lang]}"


def case_sources(case, lang: str) -> list[tuple[str, str, catalogue.Figure]]:
    """(what, label, figure) for every value of a case that comes from a figure."""
    return [
        (what, label(case, what, lang), catalogue.figure(key)) for what, key in case.sources.items()
    ]


#: Units of a figure that is a share or a relative change, shown in per cent.
SHARE = re.compile(
    r"^(state share|share|relative|rise|return|reduction|standard error of the rise)"
)


def shown(f: catalogue.Figure, lang: str = "en") -> str:
    """A figure's value as a reader writes it: a share in per cent ('61,83 %', not 0,6183), a
    calendar year without a thousands separator, any other number with its separators."""
    if f.unit == "calendar year":
        return f"{f.value:.0f}"
    if SHARE.match(f.unit):
        return i18n.short(f.value * 100, lang, 2) + ("\u00a0%" if lang == "da" else "%")
    return i18n.short(f.value, lang, 6)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The sources page (``python -m explorer sources``)."""
    year = catalogue.price_year()
    lines = [
        "# Sources",
        "",
        "Generated from `data/figures.csv` by `python -m explorer sources`; do not edit by hand.",
        "",
        "Evidence grades: "
        + "; ".join(f"**{g}** {i18n.grade_text(g, 'en').lower()}" for g in i18n.GRADES)
        + ".",
        "",
        f"Amounts are shown as stated, in the prices of the year in the *prices* column; the "
        f"model converts them to {year} prices with the consumer price index below "
        f"(the *in {year} prices* column). Fitted figures (F) name the documented results they "
        "were fitted to; derived figures name the figures they come from.",
        "",
    ]
    figures = catalogue.figures()
    for prefix, title in GROUPS.items():
        rows = [f for k, f in figures.items() if k.split(".")[0] == prefix]
        if not rows:
            continue
        lines += [
            f"## {title}",
            "",
            f"| key | value | unit | year | prices | in {year} prices | grade | source | note |",
            "|---|---:|---|---|---|---:|---|---|---|",
        ]
        for f in rows:
            source = (
                f"[{_cell(f.source_title or f.source_url)}]({f.source_url})"
                if f.source_url
                else "none"
            )
            note = f.note
            if f.derived_from:
                note += " Derived from " + ", ".join(f"`{k}`" for k in f.derived_from) + "."
            if f.fitted_to:
                note += " Fitted to " + ", ".join(f"`{k}`" for k in f.fitted_to) + "."
            now = f"{f.in_prices:,.0f}" if f.is_money else ""
            lines.append(
                f"| `{f.key}` | {shown(f)} | {_cell(f.unit)} | {f.year} | "
                f"{f.price_year or ''} | {now} | {f.grade} | {source} | {_cell(note)} |"
            )
        lines.append("")
    unknown = sorted({k.split(".")[0] for k in figures} - set(GROUPS))
    if unknown:
        raise CatalogueError(
            f"figures.csv: key prefixes without a section on the sources page: {', '.join(unknown)}"
        )
    return "\n".join(lines)
