"""The presets at a glance, written by the model: the README's headline table and the
calibration, claims and inputs tables of docs/model.md (sections 9, 10 and 11).

``python -m explorer.outputs.summary`` prints them, ``--write`` puts them (and the studies' tables
of section 13) between their markers in README.md and docs/model.md (``make docs``);
tests/test_project.py fails when a copy differs, so no number there can go stale.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from explorer import catalogue, model
from explorer.analysis import calibration, claims, external, financing, uncertainty
from explorer.data import i18n
from explorer.model import fields

#: The draws behind the chance of paying back (seeded: the same table every time).
DRAWS = 10_000
HEAD = (
    "| case (2024 prices) | total cost | savings after deadweight | NPV at 3.5 % "
    "| pays back (public sector) | chance of paying back (effective draws) |\n"
    "|---|---|---|---|---|---|"
)


def _year(r: model.Result, index: float | None) -> str:
    return "never" if index is None else str(r.calendar(int(index)))


def row(name: str) -> str:
    """One preset's line: its KPIs at the preset and its chance of paying back."""
    s = catalogue.load_case(name)
    r = model.evaluate(s)
    plain, discounted = _year(r, r.payback_year), _year(r, r.payback_year_discounted)
    pays = plain if plain == discounted else f"{plain} ({discounted} discounted)"
    sim = uncertainty.simulate(s, draws=DRAWS, seed=0)
    chance = (
        f"{i18n.percent(sim.p_payback, 'en', 0)} ({i18n.number(round(sim.effective_draws), 'en')})"
    )
    money = [i18n.millions(v, "en") for v in (r.total_cost, r.total_savings, r.npv)]
    title = catalogue.case(name).title["en"].split(":")[0]
    return f"| {title} | {' | '.join(money)} | {pays} | {chance} |"


def table() -> str:
    """The Markdown table of every preset."""
    return "\n".join([HEAD, *(row(name) for name in catalogue.cases())])


CALIBRATION_HEAD = (
    "| case | documented (2024 prices) | without the programme | model | difference | role |\n"
    "|---|---|---|---|---|---|"
)


def _amount(value: float, money: bool) -> str:
    if math.isnan(value):
        return "—"
    return i18n.millions(value, "en", 2) if money else i18n.number(value, "en", 1)


def calibration_rows(name: str) -> list[str]:
    """One preset's documented results against the model, each with its role; a held-out row
    with its tolerance, stated beforehand, and its verdict."""
    case = catalogue.case(name)
    rows = calibration.table(case)
    checks = calibration.held_out(case, rows=rows).set_index("figure")
    fitted = [catalogue.figure(k) for k in case.fitted(catalogue.figures())]
    title = case.title["en"].split(":")[0]
    effects = ", ".join(f"{f.key.split('.', 1)[1]} {f.value:.4f}" for f in fitted)
    out = []
    for i, row in enumerate(rows.itertuples()):
        money = catalogue.figure(row.figure).is_money
        first = f"{title} ({effects})" if i == 0 and effects else title
        role = str(row.role).replace("_", " ")
        if row.figure in checks.index:
            check = checks.loc[row.figure]
            bound = (
                "a lower bound"
                if check["at_least"]
                else f"±{i18n.percent(check['tolerance'], 'en', 1)}"
            )
            role += f" ({bound}): {str(check['verdict']).replace('_', ' ')}"
        more = (
            "more than "
            if row.figure in checks.index and checks.loc[row.figure]["at_least"]
            else ""
        )
        out.append(
            f"| {first} | {row.label_en}: {more}{_amount(row.documented, money)} "
            f"| {_amount(row.without, money)} | {_amount(row.model, money)} "
            f"| {i18n.percent(row.difference, 'en', 0)} | {role} |"
        )
    return out


def calibration_markdown() -> str:
    """The calibration table of every preset."""
    return "\n".join(
        [CALIBRATION_HEAD, *(line for name in catalogue.cases() for line in calibration_rows(name))]
    )


def claims_markdown() -> str:
    """Every claim's verdict at the presets, by the model's parts (docs/model.md, section 10)."""
    lines = ["| claim | said by | verdict |", "|---|---|---|"]
    for c in claims.claims():
        verdict = i18n.t(f"verdict.{claims.default_answer(c.id).verdict}", "en")
        lines.append(f"| `{c.id}` | {c.said_by} | {verdict} |")
    return "\n".join(lines)


def between(text: str, marker: str, table_text: str) -> str:
    """``text`` with the lines between ``<!-- marker…-->`` and ``<!-- /marker -->`` replaced."""
    start = text.index(f"<!-- {marker}")
    first = text.index("-->", start) + len("-->")
    last = text.index(f"<!-- /{marker} -->", first)
    return text[:first] + "\n" + table_text.strip() + "\n" + text[last:]


def write(root: Path) -> None:
    """Every model-written table, put in README.md and docs/model.md under ``root``."""
    readme = root / "README.md"
    readme.write_text(between(readme.read_text("utf-8"), "headline", table()), "utf-8")
    docs = root / "docs" / "model.md"
    text = docs.read_text("utf-8")
    for marker, made in (
        ("calibration", calibration_markdown()),
        ("claims", claims_markdown()),
        ("chances", uncertainty.markdown()),
        ("fields", fields.markdown()),
        ("bonds", financing.markdown()),
        ("external-table", external.markdown()),
        ("external-evidence", external.evidence_markdown()),
    ):
        text = between(text, marker, made)
    docs.write_text(text, "utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write(Path.cwd())
    else:
        print(table(), calibration_markdown(), claims_markdown(), sep="\n\n")
