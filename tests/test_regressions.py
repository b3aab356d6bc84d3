"""What a sceptical reader found in the first release, each pinned so that it cannot come back.

Findings that are one scenario's numbers (Herning for one case, Hjørring hiring no one) are
scenario files in tests/scenarios/ (tests/test_scenarios.py)."""

import numpy as np
import pytest

import explorer
from explorer import evaluate, simulate
from explorer.analysis import calibration, claims


def test_placements_avoided_never_exceed_the_placements_at_risk():
    # Finding: Herning at caseload 12 avoided 5.9 placements a year of 3.7 that would happen.
    s = explorer.load_case("herning").replace(caseload_after=12, max_dose=10)
    y = evaluate(s).yearly
    assert (y["new_institution"] <= y["at_risk_institution"] + 1e-9).all()
    assert (y["people_institution"] <= y["without_institution"] + 1e-9).all()


def test_people_off_support_never_exceed_the_group():
    # Finding: Hjørring at caseload 16 had more people off support than the 1,700 in its group.
    s = explorer.load_case("hjoerring").replace(caseload_after=16, max_dose=10)
    y = evaluate(s).yearly
    assert (y["people_off_support"] <= s.cases).all()
    assert evaluate(s).paths.stock.max() <= s.cases


def test_payback_is_reported_discounted_beside_the_npv():
    # Finding: Herning at effect_scale 0.71 'paid back' in year 8 with a negative NPV, because
    # payback was undiscounted and NPV discounted without saying so.
    s = explorer.load_case("herning")
    for scale in np.linspace(0.3, 1.0, 36):
        r = evaluate(s.replace(effect_scale=scale))
        if r.npv < 0:
            assert r.payback_year_discounted is None
        else:
            assert r.payback_year_discounted is not None


def test_each_drawn_input_keeps_its_median_and_the_effect_can_be_zero_or_harmful():
    # Finding: log-normal factors on every input skewed the median NPV up (10 m against 7 m),
    # and an effect of zero was impossible however weak its evidence.
    s = explorer.load_case("herning")
    sim = simulate(s, 4000, seed=1)
    assert sim.batch.factor is not None
    factors = sim.batch.factor[:, 0]
    assert (factors <= 0).mean() > 0.01  # a fitted effect can be zero or harmful
    assert abs(np.median(factors) - 1) < 0.03  # centred on the point value
    assert (sim.paths.new_people < 0).any()  # harm shows up as more placements


def test_presets_fitted_to_a_result_do_not_confirm_it():
    # Finding: presets fitted to the documented results were then said to confirm them.
    for case in explorer.cases():
        table = calibration.table(case)
        fitted = set(table.loc[table["role"] == "fitted", "figure"])
        assert fitted, case
        for claim in claims.about(case):
            answer = claims.default_answer(claim.id)
            for part in answer.parts:
                if part.part.kind == "model" and set(part.part.rests_on) & fitted:
                    assert part.status == "by_construction"


@pytest.mark.parametrize(
    "key, grade",
    [
        ("herning.institution_effect", "F"),  # was the debate piece's 80 %, graded L
        ("aabenraa.exit_effect", "F"),
        ("hjoerring.exit_effect", "F"),
        ("herning.documented.cost_per_year", "H"),
    ],
)
def test_figures_carry_the_grade_they_have_earned(key, grade):
    assert explorer.figure(key).grade == grade


def test_figures_from_other_years_are_brought_to_one_price_year():
    # Finding: the kontanthjælp rate of 2024 was used for 2015-19, and amounts from different
    # years were added as if they were the same money. A past year's flow is worth its own rate
    # in constant prices, as the documented results it is fitted to are (they are converted by
    # the same index); an own case starting now takes the price year's rate.
    f = explorer.figures()
    assert explorer.price_year() == 2024
    assert explorer.load_case("aabenraa").outcome("self_support").prices[0].amount == pytest.approx(
        f["price.kontanthjaelp_30plus_2016"].in_prices
    )
    assert f["price.kontanthjaelp_30plus_2016"].price_year == 2016
    # The 2016 rate converted with the price index (2016 -> 2024 prices rose about 19 %).
    index = (
        f["price.kontanthjaelp_30plus_2016"].in_prices / f["price.kontanthjaelp_30plus_2016"].value
    )
    chained = np.prod([1 + f[f"cpi.{y}"].value for y in range(2017, 2025)])
    assert index == pytest.approx(chained)
    assert all(f[f"cpi.{y}"].source_url.startswith("https://www.dst.dk") for y in range(2016, 2024))
    # Hjørring's programme ran 2015-18 (four years), not five.
    assert explorer.load_case("hjoerring").programme_years == 4
    # The caseworker cost includes overhead.
    s = explorer.load_case("herning")
    assert s.cost_per_worker == pytest.approx(s.worker_cost * (1 + s.overhead)) and s.overhead > 0
