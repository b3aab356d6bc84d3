"""Monte Carlo, tornado and break-even answers: seeded, centred, bounded, vectorised."""

import numpy as np
import pytest

import explorer
from explorer import Spreads, engine, model, uncertainty


def test_simulation_is_seeded_and_reproducible():
    s = explorer.load_case("aabenraa")
    a, b = uncertainty.simulate(s, 500, seed=3), uncertainty.simulate(s, 500, seed=3)
    assert np.array_equal(a.npv, b.npv)
    assert not np.array_equal(a.npv, uncertainty.simulate(s, 500, seed=4).npv)


def test_with_zero_spreads_every_draw_is_the_point_estimate():
    s = explorer.load_case("hjoerring")
    sim = uncertainty.simulate(s, 50, spreads=Spreads(H=0, M=0, L=0, A=0, F=0))
    assert np.allclose(sim.npv, explorer.evaluate(s).npv)


@pytest.mark.parametrize("case", ["herning", "aabenraa", "hjoerring"])
def test_each_input_alone_keeps_the_median_npv_at_the_point_estimate(case):
    # Draws are centred: any one input drawn alone leaves the median NPV where the point is
    # (exactly where the NPV rises or falls with the input; a base rate can turn the NPV back
    # where the moved share saturates, so a little slack).
    s = explorer.load_case(case)
    point = explorer.evaluate(s).npv
    spreads = uncertainty.default_spreads().as_dict()
    inputs = uncertainty.uncertain_inputs(s)
    half = np.random.default_rng(0).standard_normal(2000)
    symmetric = np.concatenate([half, -half, [0.0]])  # antithetic: no sampling noise in the median
    for item in inputs:
        z = {i.source: np.zeros(4001) for i in inputs}
        z[item.source] = symmetric
        batch = uncertainty._apply_draws(s, engine.Batch.of([s]).grow(4001), z, spreads)
        npv = model.summarise(engine.run(batch))["npv"]
        assert np.median(npv) == pytest.approx(point, rel=0.02), item.name


def test_inputs_with_one_source_share_one_draw():
    s = explorer.load_case("herning")
    sources = [i.source for i in uncertainty.uncertain_inputs(s)]
    # the reference caseloads and the caseloads are one source, prices and their derived lines one
    assert len(set(sources)) == len(sources) or any(sources.count(k) > 1 for k in set(sources))
    sim = uncertainty.simulate(s, 200, seed=0)
    assert sim.draws == 200


def test_the_effect_of_a_fitted_figure_is_drawn_widely_and_can_be_harmful():
    s = explorer.load_case("hjoerring")
    grades = {i.name: i.grade for i in uncertainty.uncertain_inputs(s)}
    assert grades["off_support.effect"] == "F"
    sim = uncertainty.simulate(s, 5000, seed=0)
    factor = sim.batch.factor[:, 0]
    assert factor.std() == pytest.approx(uncertainty.default_spreads().F, rel=0.05)
    assert (factor < 0).any() and (sim.npv < 0).any()


def test_probabilities_bands_and_payback_distribution_are_consistent():
    sim = uncertainty.simulate(explorer.load_case("herning"), 2000, seed=0)
    assert 0 < sim.p_payback < 1 and 0 < sim.p_npv_positive <= sim.p_payback + 1e-12
    bands = sim.bands()
    assert list(bands.columns) == ["year", "calendar_year", "p5", "p25", "p50", "p75", "p95"]
    assert (bands["p5"] <= bands["p25"]).all() and (bands["p75"] <= bands["p95"]).all()
    assert bands["calendar_year"][0] == 2013
    dist = sim.payback_distribution()
    assert dist.sum() == pytest.approx(1) and dist[-1] == pytest.approx(1 - sim.p_payback)


def test_tornado_lists_every_input_largest_swing_first():
    s = explorer.load_case("aabenraa")
    table = uncertainty.tornado(s)
    assert set(table["input"]) == {i.name for i in uncertainty.uncertain_inputs(s)} | {
        "discount_rate"
    }
    assert (np.diff(table["swing"]) <= 1e-9).all()


def test_paying_caseloads_and_success_share():
    s = explorer.load_case("aabenraa")
    lo, hi = uncertainty.paying_caseloads(s)
    assert lo < hi < s.caseload_before
    assert explorer.evaluate(s.replace(caseload_after=hi)).npv >= 0
    assert uncertainty.paying_caseloads(s.replace(effect_scale=0)) is None
    assert uncertainty.success_share_needed(100, 500) == 0.2
    with pytest.raises(ValueError):
        uncertainty.success_share_needed(-1, 5)


@pytest.mark.parametrize("draws", [0, 100_001, 2.5, True, "10"])
def test_bad_draw_counts_are_refused(draws):
    with pytest.raises(ValueError, match="draws must be a whole number from 1 to 100000"):
        uncertainty.simulate(explorer.load_case("herning"), draws)


def test_spreads_default_to_their_figures_and_are_validated():
    assert Spreads().as_dict() == uncertainty.default_spreads().as_dict()
    assert explorer.figure("uncertainty.spread_F").value == Spreads().F
    with pytest.raises(ValueError, match="H must be from"):
        Spreads(H=3)
