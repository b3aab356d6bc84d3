"""The presets at a glance: the README's headline table, written by the model.

``python -m explorer.outputs.summary`` prints it; tests/test_project.py fails when the README's
copy differs, so no number there can go stale.
"""

from __future__ import annotations

from explorer import catalogue, model
from explorer.analysis import uncertainty
from explorer.data import i18n

#: The draws behind the chance of paying back (seeded: the same table every time).
DRAWS = 10_000
HEAD = (
    "| case (2024 prices) | total cost | savings after deadweight | NPV at 3.5 % "
    "| pays back (public sector) | chance of paying back |\n"
    "|---|---|---|---|---|---|"
)


def _year(r: model.Result, index: float | None) -> str:
    return "never" if index is None else str(r.calendar(index))


def row(name: str) -> str:
    """One preset's line: its KPIs at the preset and its chance of paying back."""
    s = catalogue.load_case(name)
    r = model.evaluate(s)
    plain, discounted = _year(r, r.payback_year), _year(r, r.payback_year_discounted)
    pays = plain if plain == discounted else f"{plain} ({discounted} discounted)"
    chance = uncertainty.simulate(s, draws=DRAWS, seed=0).p_payback
    money = [i18n.millions(v, "en") for v in (r.total_cost, r.total_savings, r.npv)]
    title = catalogue.case(name).title["en"].split(":")[0]
    return f"| {title} | {' | '.join(money)} | {pays} | {i18n.percent(chance, 'en', 0)} |"


def table() -> str:
    """The Markdown table of every preset."""
    return "\n".join([HEAD, *(row(name) for name in catalogue.cases())])


if __name__ == "__main__":
    print(table())
