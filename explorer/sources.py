"""The sources page: every figure in data/ with its value, year, grade and source."""

from __future__ import annotations

from . import catalogue
from .catalogue import GRADES, CatalogueError

GROUPS = {
    "dk": "Danish unit costs and discount rates",
    "som": "SØM conventions",
    "model": "Model settings",
    "price": "Prices",
    "refusion": "State refusion of benefits",
    "herning": "Herning",
    "aabenraa": "Aabenraa",
    "hjoerring": "Hjørring",
    "financing": "Financing arrangements",
    "peterborough": "The Peterborough social impact bond",
    "uncertainty": "Uncertainty (Monte Carlo spreads)",
    "claims": "Figures behind the debate claims",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """docs/sources.md, generated from data/figures.csv (``python -m explorer sources``)."""
    lines = ["# Sources", "",
             "Generated from `data/figures.csv` by `python -m explorer sources`; do not edit by hand.",
             "", "Evidence grades: " + "; ".join(f"**{g}** {text}" for g, text in GRADES.items())
             + ".", ""]
    figures = catalogue.figures()
    for prefix, title in GROUPS.items():
        rows = [f for k, f in figures.items() if k.split(".")[0] == prefix]
        if not rows:
            continue
        lines += [f"## {title}", "", "| key | value | unit | year | grade | source | note |",
                  "|---|---:|---|---|---|---|---|"]
        for f in rows:
            source = f"[{_cell(f.source_title or f.source_url)}]({f.source_url})" if f.source_url \
                else "none (assumption)"
            lines.append(f"| `{f.key}` | {f.value:,.10g} | {_cell(f.unit)} | {f.year} | {f.grade} "
                         f"| {source} | {_cell(f.note)} |")
        lines.append("")
    unknown = sorted({k.split(".")[0] for k in figures} - set(GROUPS))
    if unknown:
        raise CatalogueError(f"figures.csv: key prefixes without a section on the sources page: "
                             f"{', '.join(unknown)}")
    return "\n".join(lines)
