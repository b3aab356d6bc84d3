"""The arithmetic of model v1, pinned by hand-computed numbers (docs/model.md)."""

import math

import numpy as np
import numpy_financial as npf
import pytest

import explorer
from explorer import engine, evaluate, sweep


def test_hand_computed_yearly_table(hand_case):
    # extra = 100/25 - 100/50 = 2; staff cost 2 * 500k, half in year 0, plus 100k one-off.
    # dose 1, inflow 10 * 0.5 = 5 a year, stays = 1 - 1/2; stock at year end 5, 7.5, 8.75;
    # person-years (mean of start and end stock) 2.5, 6.25, 8.125; price 200k.
    y = evaluate(hand_case).yearly
    assert y["extra_workers"].tolist() == [2, 2, 2]
    assert y["cost"].tolist() == pytest.approx([600_000, 1_000_000, 1_000_000])
    assert y["people_placement"].tolist() == pytest.approx([2.5, 6.25, 8.125])
    assert y["savings"].tolist() == pytest.approx([500_000, 1_250_000, 1_625_000])
    assert y["savings_kommune"].tolist() == pytest.approx([375_000, 937_500, 1_218_750])
    assert y["savings_stat"].tolist() == pytest.approx([125_000, 312_500, 406_250])
    assert y["net"].tolist() == pytest.approx([-100_000, 250_000, 625_000])
    assert y["cumulative_net"].tolist() == pytest.approx([-100_000, 150_000, 775_000])
    assert y["discount_factor"].tolist() == pytest.approx([1, 1 / 1.05, 1 / 1.05**2])


def test_hand_computed_kpis(hand_case):
    r = evaluate(hand_case)
    assert r.total_cost == pytest.approx(2_600_000)
    assert r.total_savings == pytest.approx(3_375_000)
    assert r.npv == pytest.approx(-100_000 + 250_000 / 1.05 + 625_000 / 1.05**2)
    pv_s = 500_000 + 1_250_000 / 1.05 + 1_625_000 / 1.05**2
    pv_c = 600_000 + 1_000_000 / 1.05 + 1_000_000 / 1.05**2
    assert r.benefit_cost_ratio == pytest.approx(pv_s / pv_c)
    assert r.payback_year == 1
    assert r.payback_year_kommune is None  # kommune cumulative: -225k, -287.5k, -68.75k
    # cumulative cost / cumulative savings: 1.2, 0.914, 0.7704 -> the smallest
    assert r.break_even_effect == pytest.approx(2_600_000 / 3_375_000)


def test_phase_in_is_the_yearly_mean_of_a_linear_ramp():
    got = engine.phase_in(np.array([0.0, 1.0, 2.0, 1.5]), 3)
    assert got[0].tolist() == [1, 1, 1]
    assert got[1].tolist() == pytest.approx([0.5, 1, 1])
    assert got[2].tolist() == pytest.approx([0.25, 0.75, 1])
    assert got[3].tolist() == pytest.approx([1 / 3, 1.25 - 1 / 3, 1])


def test_dose_scales_with_log_caseload_ratio_and_is_never_negative():
    assert engine.dose(48.0, 24.0, 48.0, 24.0) == pytest.approx(1)
    assert engine.dose(48.0, 34.0, 48.0, 24.0) == pytest.approx(math.log(48 / 34) / math.log(2))
    assert engine.dose(48.0, 12.0, 48.0, 24.0) == pytest.approx(2)
    assert engine.dose(30.0, 30.0, 48.0, 24.0) == 0
    assert engine.dose(20.0, 30.0, 48.0, 24.0) == 0
    assert engine.dose(48.0, 6.0, 48.0, 24.0) == pytest.approx(3)
    assert engine.dose(48.0, 6.0, 48.0, 24.0, 2.0) == 2  # capped at max_dose


def test_payer_columns_sum_to_savings_for_every_case():
    for name in explorer.cases():
        y = evaluate(explorer.load_case(name)).yearly
        payers = y["savings_kommune"] + y["savings_region"] + y["savings_stat"]
        assert np.allclose(payers, y["savings"])
        outcomes = y.filter(like="savings_").drop(
            columns=["savings_kommune", "savings_region", "savings_stat"]).sum(axis=1)
        assert np.allclose(outcomes, y["savings"])


def test_zero_effect_scale_gives_no_savings_and_no_payback():
    r = evaluate(explorer.load_case("herning").replace(effect_scale=0))
    assert (r.yearly["savings"] == 0).all()
    assert r.payback_year is None and r.payback_year_kommune is None
    assert r.total_cost > 0


def test_no_caseload_change_costs_nothing_and_saves_nothing():
    s = explorer.load_case("herning")
    r = evaluate(s.replace(caseload_after=s.caseload_before))
    assert r.extra_workers == 0
    assert r.total_cost == 0 and r.total_savings == 0
    assert r.payback_year is None and r.benefit_cost_ratio is None


def test_npv_equals_numpy_financial_on_the_net_flows():
    for name in explorer.cases():
        for rate in (0.0, 0.035, 0.04):
            r = evaluate(explorer.load_case(name).replace(discount_rate=rate))
            assert r.npv == pytest.approx(npf.npv(rate, r.yearly["net"]), rel=1e-12)
            assert r.yearly["pv_net"].sum() == pytest.approx(r.npv)


def test_break_even_effect_pays_back_exactly_there_and_not_below():
    for name in explorer.cases():
        s = explorer.load_case(name)
        be = explorer.break_even_effect(s)
        assert be is not None and 0 < be < 3
        assert evaluate(s.replace(effect_scale=be)).payback_year is not None
        assert evaluate(s.replace(effect_scale=be * 0.99)).payback_year is None


def test_break_even_is_none_when_no_scale_up_to_3_pays_back():
    s = explorer.load_case("herning").replace(worker_cost=2_000_000, horizon_years=2)
    assert explorer.break_even_effect(s) is None
    assert evaluate(s.replace(effect_scale=3)).payback_year is None


def test_programme_end_stops_costs_and_new_effects_but_gains_last():
    s = explorer.load_case("aabenraa").replace(programme_years=3)
    y = evaluate(s).yearly
    assert (y["cost"][3:] == 0).all() and (y["cost"][:3] > 0).all()
    assert (y["new_self_support"][3:] == 0).all()
    people = y["people_self_support"]
    assert people[3] > 0 and (np.diff(people[3:]) < 0).all()  # decaying, not gone


def test_optimism_bias_takes_its_share_off_savings():
    s = explorer.load_case("hjoerring")
    full, biased = evaluate(s), evaluate(s.replace(optimism_bias=0.4))
    assert biased.total_savings == pytest.approx(0.6 * full.total_savings)
    assert biased.total_cost == full.total_cost


def test_sweep_matches_evaluate_point_by_point():
    s = explorer.load_case("herning")
    values = np.linspace(12, 48, 30)
    table = sweep(s, "caseload_after", values)
    assert len(table) == 30
    for i in (0, 7, 29):
        r = evaluate(s.replace(caseload_after=values[i]))
        assert table["npv"][i] == pytest.approx(r.npv)
        assert table["total_cost"][i] == pytest.approx(r.total_cost)
        expected = np.nan if r.payback_year is None else r.payback_year
        assert table["payback_year"][i] == pytest.approx(expected, nan_ok=True)


def test_batch_of_many_scenarios_equals_one_by_one():
    base = explorer.load_case("aabenraa")
    scenarios = [base.replace(caseload_after=a, worker_cost=c, effect_scale=e)
                 for a, c, e in [(20, 450_000, 0.5), (30, 500_000, 1), (45, 600_000, 2)]]
    batch = engine.Batch.of(scenarios)
    paths = engine.run(batch)
    for i, s in enumerate(scenarios):
        y = evaluate(s).yearly
        assert np.allclose(paths.net[i], y["net"])
        assert np.allclose(paths.savings_payer[i, 0], y["savings_kommune"])


def test_sweep_rejects_values_outside_the_bounds():
    s = explorer.load_case("herning")
    with pytest.raises(ValueError, match="caseload_after must be from 1 to 200"):
        sweep(s, "caseload_after", [20, 500])
    with pytest.raises(ValueError, match="must not exceed caseload_before"):
        sweep(s, "caseload_after", [60])
    with pytest.raises(ValueError, match="cannot vary 'outcomes'"):
        sweep(s, "outcomes", [1])


def test_yearly_table_has_the_promised_columns_and_length():
    for name in explorer.cases():
        s = explorer.load_case(name)
        y = evaluate(s).yearly
        assert len(y) == s.horizon_years
        for col in ("year", "extra_workers", "cost", "savings", "savings_kommune",
                    "savings_region", "savings_stat", "net", "cumulative_net", "pv_net"):
            assert col in y.columns
