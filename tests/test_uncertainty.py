"""Monte Carlo, tornado and break-even answers."""

import numpy as np
import pytest

import explorer
from explorer import uncertainty as u
from explorer.uncertainty import Spreads

ZERO = {g: 0.0 for g in "HMLA"}


def test_reproducible_with_a_seed_and_different_with_another():
    s = explorer.load_case("aabenraa")
    a, b, c = u.simulate(s, 500, seed=1), u.simulate(s, 500, seed=1), u.simulate(s, 500, seed=2)
    assert np.array_equal(a.npv, b.npv) and not np.array_equal(a.npv, c.npv)


def test_zero_spread_collapses_onto_evaluate():
    for name in explorer.cases():
        s = explorer.load_case(name)
        sim = u.simulate(s, 200, seed=3, spreads=ZERO, phase_in_delay=0)
        r = explorer.evaluate(s)
        assert np.allclose(sim.npv, r.npv)
        assert np.allclose(sim.cumulative_net, r.yearly["cumulative_net"].to_numpy())
        assert sim.p_payback == (1.0 if r.payback_year is not None else 0.0)
        bands = sim.bands()
        assert np.allclose(bands["p5"], bands["p95"])


def test_probabilities_move_the_right_way_with_the_effect():
    s = explorer.load_case("herning")
    p = [u.simulate(s.replace(effect_scale=e), 2000, seed=0).p_npv_positive for e in (0.5, 1, 2)]
    assert p[0] < p[1] < p[2]
    q = [u.simulate(s.replace(effect_scale=e), 2000, seed=0).p_payback for e in (0.5, 1, 2)]
    assert q[0] < q[1] < q[2]


def test_wider_spreads_widen_the_bands():
    s = explorer.load_case("hjoerring")
    narrow = u.simulate(s, 2000, spreads={g: 0.05 for g in "HMLA"}).bands()
    wide = u.simulate(s, 2000, spreads={g: 0.5 for g in "HMLA"}).bands()
    assert ((wide["p95"] - wide["p5"]) >= (narrow["p95"] - narrow["p5"])).all()


def test_payback_distribution_sums_to_one_and_matches_p_payback():
    sim = u.simulate(explorer.load_case("herning"), 3000)
    dist = sim.payback_distribution()
    assert dist.sum() == pytest.approx(1)
    assert 1 - dist[-1] == pytest.approx(sim.p_payback)


def test_tornado_bars_match_one_at_a_time_evaluations():
    s = explorer.load_case("herning")
    spreads = u.grade_spreads()
    table = u.tornado(s, spreads).set_index("input")
    k = np.exp(spreads["M"])
    assert table.loc["worker_cost", "npv_high"] == pytest.approx(
        explorer.evaluate(s.replace(worker_cost=s.worker_cost * k)).npv)
    effect = s.outcome("institution").effect * np.exp(-spreads["L"])
    assert table.loc["institution.effect", "npv_low"] == pytest.approx(
        explorer.evaluate(s.replace_outcome("institution", effect=effect)).npv)
    price = s.outcome("institution").prices
    scaled = tuple(p.__class__(p.label_da, p.label_en, p.amount * np.exp(spreads["M"]),
                               p.kommune, p.region, p.stat) for p in price)
    assert table.loc["institution.price", "npv_high"] == pytest.approx(
        explorer.evaluate(s.replace_outcome("institution", prices=scaled)).npv)
    assert table.loc["discount_rate", "npv_low"] == pytest.approx(
        explorer.evaluate(s.replace(discount_rate=0)).npv)
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)


def test_paying_caseloads_are_verified_by_evaluating_at_them():
    for name in explorer.cases():
        s = explorer.load_case(name)
        lo, hi = u.paying_caseloads(s)
        assert explorer.evaluate(s.replace(caseload_after=lo)).payback_year is not None
        assert explorer.evaluate(s.replace(caseload_after=hi)).payback_year is not None
        if lo - 0.1 >= 1:
            assert explorer.evaluate(s.replace(caseload_after=lo - 0.1)).payback_year is None
    none = explorer.load_case("herning").replace(effect_scale=0)
    assert u.paying_caseloads(none) is None


def test_success_share_needed():
    assert u.success_share_needed(1_700_000, 8_500_000) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="gain_per_success above 0"):
        u.success_share_needed(1, 0)


@pytest.mark.parametrize("kwargs, message", [
    ({"draws": 0}, "draws must be a whole number from 1 to 100000"),
    ({"draws": 2.5}, "draws must be a whole number"),
    ({"spreads": {"H": 3, "M": 0, "L": 0, "A": 0}}, "H must be from 0 to 2"),
])
def test_bad_simulation_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        u.simulate(explorer.load_case("herning"), **{"draws": 10, **kwargs})


def test_default_spreads_come_from_data():
    assert u.default_spreads() == Spreads(H=0.1, M=0.2, L=0.35, A=0.5)
