"""Numbers written by hand in prose go stale when the model moves: each one with decimals in
docs/model.md and texts.yaml is a figure, in a table `make docs` writes, or computed here (or
in tests/test_project.py's worked examples) and found in the text as computed."""

import csv
import math
import re
from pathlib import Path

from test_project import worked_examples

import explorer
from explorer.data import i18n

ROOT = Path(__file__).resolve().parent.parent


def more_worked_examples() -> list[str]:
    """The rest of docs/model.md's hand-worked numbers: staff cost, Herning's first two years,
    the price index, the refusion shares, the held-out tolerances, the effect's spread."""
    from explorer.analysis import calibration
    from explorer.model import refusion

    f = explorer.figures()
    h = explorer.load_case("herning")
    r = explorer.evaluate(h)
    y = r.yearly
    rate, level = f["dk.institution_entry_rate"].value, 1 - f["dk.placed_children_trend"].value
    at_risk, moved = y["at_risk_institution"], y["new_institution"]
    out = [2 * y["people_institution"][0]]
    out.append(2 * y["people_institution"][1] - out[0])
    place = f["price.institution_placement"]
    _, _, state = h.outcomes[0].price_by_payer()
    tolerance = {c: calibration.held_out(c)["tolerance"].iloc[0] for c in ("aabenraa", "hjoerring")}
    return [
        f"cost DKK {h.extra_workers * h.cost_per_worker / 1e6:.2f} m a year",
        f"total cost DKK {r.total_cost / 1e6:.1f} m",
        f"`{h.cases} × {rate} = {at_risk[0]:.2f}` placements at risk",
        f"`{h.outcomes[0].effect:.4f} × {at_risk[0]:.2f} = {moved[0]:.2f}` avoided",
        f"`{rate} × {level:.4f} = {rate * level:.4f}` (the national trend)",
        f"on the {h.cases - (at_risk[0] - moved[0]):.1f} children not in care",
        f"`{h.cases} − ({at_risk[0]:.2f} − {moved[0]:.2f})`): {at_risk[1]:.2f} at risk",
        f"{rate * level:.4f} × {moved[0]:.2f} = {rate * level * moved[0]:.2f} of those kept out",
        f"so {out[1]:.2f} are out at the year's end",
        f"risk, not {2 * h.outcomes[0].effect:.2f}, and a dose",
        f"× {place.in_prices / place.value:.4f} =\nDKK {place.in_prices:,.0f} in 2024 prices",
        f"{100 * refusion.benefit_state_share(0, f):.1f} % from week 0",
        f"the state refunds {100 * state / place.in_prices:.2f} % of a DKK {place.in_prices:,.0f}",
        f"it now takes ±{100 * tolerance['aabenraa']:.1f} % and still misses",
        f"it now takes {100 * tolerance['hjoerring']:.1f} % and says so",
        # a normal multiplier centred on 1 with spread 0.5 is 0 or less 2 spreads below its mean
        f"about {50 * math.erfc(2 / math.sqrt(2)):.1f} % of draws are zero or harmful",
        f"`1,008 × (1 − 0.257) = {1008 * (1 - f['dk.kontanthjaelp_exit_rate'].value):.1f}`",
        audit_chances(),
        first_year_match(),
    ]


def audit_chances() -> str:
    """Section 7: the audit example's chances on 10,000 draws, unconditioned and conditioned."""
    from dataclasses import replace

    from explorer.analysis import uncertainty

    s = explorer.load_case("herning").replace(caseload_after=12, staffing_ramp=0.05)
    sim = uncertainty.simulate(s, 10_000, 0)
    flat = replace(sim, conditioning=uncertainty.Conditioning.none(10_000))
    return (
        f"it is now {flat.p_payback:.3f} beside {flat.p_npv_positive:.3f} on the same draws "
        f"unconditioned, and {sim.p_payback:.3f} beside\n{sim.p_npv_positive:.3f} conditioned"
    )


def first_year_match() -> str:
    """Section 14: the Austrian first-year exits (share moved) against Aabenraa's reference
    caseload before, a whole-number claim about the verdicts."""
    from explorer.analysis import external

    said = {"model_above": "it is above", "matches": "it matches", "model_below": "it is below"}
    aabenraa = explorer.load_case("aabenraa")
    words = []
    for before in (45, 70, 80):
        rows = external.compare(presets=(aabenraa.replace(reference_caseload_before=before),))
        row = rows[(rows.measure == "exits_first_year") & (rows.reading == "moved")].iloc[0]
        words.append(f"at {before} {said[row.verdict]}")
    return f"{', '.join(words)})."


def test_the_docs_other_worked_examples_are_the_models():
    docs = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    for text in more_worked_examples():
        assert text in docs, text


#: Numbers with decimals in docs/model.md's prose that neither make docs writes nor a test
#: computes, each with the reason.
NOT_COMPUTED = {
    "0.64": "history: P(payback) under the old first-touch rule",
    "0.27": "history: P(NPV > 0) beside it",
    "1.965": "history: the effect of the earlier fit",
    "7.46038": "the euro's rate, a figure the text quotes with its source",
    "14.5": "Aabenraa's budgeted net expense, as the source of its 10-month saving says it",
}


def prose_numbers(text: str) -> list[tuple[int, str]]:
    """Every number with decimals outside the tables make docs writes, with its line: 1.36,
    7.48 m, −5.74 m, 22.4 %; not a DOI's digits."""
    for marker in set(re.findall(r"<!-- /([\w-]+) -->", text)):
        start, end = text.index(f"<!-- {marker}"), text.index(f"<!-- /{marker} -->")
        text = text[:start] + "\n" * text[start:end].count("\n") + text[end:]
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = re.sub(r"doi:\S+", "", line)
        found += [(number, n) for n in re.findall(r"(?<![\w.,])\d[\d,]*\.\d+", line)]
    return found


def figure_numbers() -> set[str]:
    """The figures of figures.csv as the text may write them: as given, in the price year, as a
    percentage, in millions, or less one (1 − 0.257), rounded to 0-5 decimals."""
    out = set()
    for figure in explorer.figures().values():
        for value in (figure.value, figure.in_prices):
            for shown in (value, 100 * value, value / 1e6, 1 - value):
                out |= {f"{shown:,.{d}f}" for d in range(6)}
    return out


def test_every_number_in_the_prose_is_a_figure_or_computed():
    """A number the model produces, written by hand in docs/model.md or texts.yaml, goes stale
    when the model moves: each one with decimals is a figure, in a table make docs writes, one of
    the worked examples the test above computes, or in NOT_COMPUTED with the reason (texts.yaml:
    the English text; a page fills the model's numbers into placeholders)."""
    docs = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    found = [(f"docs/model.md:{line}", n) for line, n in prose_numbers(docs)]
    for key, text in i18n.catalogue().items():
        found += [(f"texts.yaml {key}", n) for _, n in prose_numbers(text["en"])]
    examples = worked_examples() + more_worked_examples()
    computed = {n for text in examples for _, n in prose_numbers(text)}
    known = computed | figure_numbers() | set(NOT_COMPUTED)
    stale = [f"{where}: {n}" for where, n in found if n not in known]
    assert not stale, (
        "numbers that are not the model's now (write the model's) or that no test computes (add "
        "the sentence to more_worked_examples in tests/test_prose.py):\n" + "\n".join(stale)
    )


def _staff(case: str) -> float:
    """The model's yearly staff cost of a preset with every extra caseworker in place (the
    salary with overhead, and whatever else the staff-cost formula charges)."""
    return float(explorer.evaluate(explorer.load_case(case)).yearly["cost_staff"].max())


def _other(case: str) -> float:
    f = explorer.figures()
    return f[f"{case}.programme_cost"].in_prices / f[f"{case}.programme_years"].value - _staff(case)


def _share(case: str) -> float:
    """The services' part of the effect: their part of the programme's cost at the preset."""
    return _other(case) / (_staff(case) + _other(case))


#: Every figure of figures.csv with ``derived_from``, computed again from the figures it names.
DERIVED = {
    "dk.institution_entry_rate": lambda f: (
        f["dk.placements_started_2018"]
        * (1 - f["dk.family_care_share_2018"])
        / f["dk.children_with_measures_2019"]
    ),
    "dk.placed_children_trend": lambda f: (
        1 - (f["dk.placed_0_17_2015"] / f["dk.placed_0_17_2013"]) ** 0.5
    ),
    "dk.kontanthjaelp_exit_rate": lambda f: (
        f["dk.kontanthjaelp_leavers_2016_2017"] / f["dk.kontanthjaelp_recipients_2016"] * 12 / 19
    ),
    "dk.kontanthjaelp_trend_2015_2018": lambda f: (
        1 - (1 - f["dk.kontanthjaelp_fall_2015_2018"]) ** (1 / 3)
    ),
    # DKK 1 m more on home-based placements against 6.7 m net saved: 1 / 7.7 of a place
    "herning.alternative_placement": lambda f: (
        f["price.institution_placement"] / (f["herning.documented.net_savings_2013_2015"] / 1e6 + 1)
    ),
    "aabenraa.other_cost_per_year": lambda f: _other("aabenraa"),
    "hjoerring.other_cost_per_year": lambda f: _other("hjoerring"),
    "aabenraa.services_share": lambda f: _share("aabenraa"),
    "hjoerring.services_share": lambda f: _share("hjoerring"),
    "study.de.cases": lambda f: (
        f["study.de.extra_caseworkers"]
        / (1 / f["study.de.caseload_after"] - 1 / f["study.de.caseload_before"])
    ),
    "study.de.base_exit_rate": lambda f: f["study.at.exit_rate_controls"],  # a stand-in, as it is
    "study.at.benefit_per_year": lambda f: (
        f["study.at.benefits_controls"] / f["study.at.benefit_days_controls"] * 365
    ),
}


def _written(key: str) -> str:
    """A figure's value as figures.csv writes it."""
    with (ROOT / "explorer" / "data" / "figures.csv").open(encoding="utf-8") as rows:
        return next(row["value"] for row in csv.DictReader(rows) if row["key"] == key)


def test_every_derived_figure_is_its_formula_of_its_inputs_within_rounding():
    """A figure derived by hand (aabenraa.other_cost_per_year from the programme's cost less the
    modelled staff cost) goes stale when an input moves (a lever, a salary): each equals its
    formula of today's inputs, to the last digit figures.csv writes."""
    figures = explorer.figures()
    derived = {key for key, figure in figures.items() if figure.derived_from}
    assert derived == set(DERIVED), (
        f"add the formula of {sorted(derived - set(DERIVED))} to DERIVED in tests/test_prose.py"
    )
    values = {key: figure.value for key, figure in figures.items()}
    for key, formula in DERIVED.items():
        written = _written(key)
        digits = len(written.split(".")[1]) if "." in written else 0
        expected = formula(values)
        assert abs(expected - float(written)) <= 0.5 * 10**-digits + 1e-9, (
            f"figures.csv {key} is {written}; its formula of {figures[key].derived_from} "
            f"gives {expected:.{digits + 2}f}"
        )
