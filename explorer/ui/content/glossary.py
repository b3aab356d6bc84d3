"""Words explained (data/glossary.yaml), where they appear and in one list."""

from __future__ import annotations

import html
from functools import cache

from explorer.data import files, yamlfile

#: KPI and heading keys that are glossary words.
WORDS = {
    "npv": "npv",
    "npv_kommune": "npv",
    "payback_year": "payback",
    "payback_year_kommune": "payback",
    "benefit_cost_ratio": "bcr",
    "break_even_effect": "break_even",
    "pv_wider_gains": "wider_gain",
    "deadweight": "deadweight",
    "refusion": "refusion",
    "grade": "grade",
    "impact_bond": "impact_bond",
    "irr": "irr",
    "aktivitetsparat": "aktivitetsparat",
    "price_year": "price_year",
}


@cache
def terms() -> dict[str, dict[str, dict[str, str]]]:
    raw = yamlfile.read(files.data_path("glossary.yaml"))
    for key, body in raw.items():
        for lang in ("da", "en"):
            entry = body.get(lang) if isinstance(body, dict) else None
            if not isinstance(entry, dict) or not entry.get("term") or not entry.get("text"):
                raise yamlfile.DataError(f"glossary.yaml, {key}.{lang}: needs a term and a text")
    return raw


def term_html(key: str, title: str, lang: str) -> str:
    """``title``, opening its explanation when it is a glossary word (keyboard: Enter/Space)."""
    word = WORDS.get(key)
    if word is None:
        return html.escape(title)
    entry = terms()[word][lang]
    return (
        f"<details class='term'><summary>{html.escape(title)}</summary>"
        f"<span class='term-text'>{html.escape(entry['text'])}</span></details>"
    )


def section_html(lang: str) -> str:
    """Every word with its explanation, as a definition list."""
    items = "".join(
        f"<dt id='word-{key}'>{html.escape(body[lang]['term'])}</dt>"
        f"<dd>{html.escape(body[lang]['text'])}</dd>"
        for key, body in terms().items()
    )
    return f"<dl class='glossary'>{items}</dl>"
