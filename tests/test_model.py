"""The arithmetic of the model, pinned by hand-computed numbers (docs/model.md)."""

import ast
import dataclasses
import inspect
import math
import re

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer
from explorer import evaluate, sweep
from explorer.model import engine


def test_prevented_entries_by_hand(entry_case):
    # Staff: 100/25 - 100/50 = 2 extra at 500,000 x 1.2 overhead; half in place in year 0.
    # Caseload reached in year 0: 1 / (1/50 + 0.5 (1/25 - 1/50)) = 33.3: dose log(1.5)/log(2).
    # Moved share at the reference change after deadweight: 0.5 x 0.8 = 0.4; at dose d 1 - 0.6^d.
    # A closed group of 100 cases, entry rate 0.1 a year, no trend; a placement lasts 2 years
    # (half stay). Without the change 10 enter in year 0 and 0.1 x (100 - 10) = 9 in year 1:
    # 14 in care at its end (5 + 9). With it, entries come from those not in care; the moved
    # share is taken off them, and those kept out stay at risk (0.1 of them enter the next year).
    y = evaluate(entry_case).yearly
    assert y["cost"].tolist() == pytest.approx([2 * 600_000 * 0.5 + 100_000, 1_200_000, 1_200_000])
    dose0 = math.log(1.5) / math.log(2)
    assert y["dose"].tolist() == pytest.approx([dose0, 1, 1])
    base = [10, 10 * 0.5 + 9, 14 * 0.5 + 0.1 * (100 - 14)]  # in care without, at each year's end
    assert y["without_placement"].tolist() == pytest.approx(
        [base[0] / 2, (base[0] + base[1]) / 2, (base[1] + base[2]) / 2]
    )
    moved0 = 10 * (1 - 0.6**dose0)
    end = [moved0]
    at_risk = [10]
    moved = [moved0]
    for t in (1, 2):
        free = 100 - (base[t - 1] - end[t - 1])  # not in care with the change
        at_risk.append(0.1 * free)
        moved.append(0.4 * at_risk[t])
        end.append(end[t - 1] * 0.5 - 0.1 * end[t - 1] + moved[t])
    assert y["at_risk_placement"].tolist() == pytest.approx(at_risk)
    assert y["new_placement"].tolist() == pytest.approx(moved)
    people = [end[0] / 2, (end[0] + end[1]) / 2, (end[1] + end[2]) / 2]
    assert y["people_placement"].tolist() == pytest.approx(people)
    assert y["savings"].tolist() == pytest.approx([200_000 * p for p in people])
    assert y["savings_kommune"].tolist() == pytest.approx([150_000 * p for p in people])
    assert y["savings_stat"].tolist() == pytest.approx([50_000 * p for p in people])
    assert y["calendar_year"].tolist() == [2020, 2021, 2022]


def test_exits_by_hand(exit_case):
    # Moved share of those who would stay: 1 x 0.2 / 0.8 = 0.25 at dose 1.
    # Year 0: 100 on the benefit, 80 would stay, 20 moved; year 1: 10 of them have returned, so
    # 90 are on it, 72 would stay, 18 moved; year 2: the programme has ended, no one is moved.
    y = evaluate(exit_case).yearly
    assert y["new_benefit"].tolist() == pytest.approx([20, 18, 0])
    assert y["at_risk_benefit"].tolist() == pytest.approx([100, 90, 86])
    assert y["people_benefit"].tolist() == pytest.approx([10, 24, 21])
    # Half go to another benefit: nothing saved for them. Budget 100,000, wider 50,000.
    assert y["savings"].tolist() == pytest.approx([50_000 * 10, 50_000 * 24, 50_000 * 21])
    assert y["wider_gains"].tolist() == pytest.approx([25_000 * 10, 25_000 * 24, 25_000 * 21])
    assert (y["savings_society"] == 0).all()
    counted = evaluate(exit_case.replace(wider_gains=1)).yearly
    assert counted["savings"].tolist() == pytest.approx((y["savings"] + y["wider_gains"]).tolist())
    assert counted["savings_kommune"].tolist() == pytest.approx(y["savings_kommune"].tolist())


def test_kpis_by_hand(entry_case):
    r = evaluate(entry_case)
    y = r.yearly
    d = np.array([1, 1 / 1.05, 1 / 1.05**2])
    assert r.total_cost == pytest.approx(y["cost"].sum())
    assert r.npv == pytest.approx(((y["savings"] - y["cost"]) * d).sum())
    assert r.benefit_cost_ratio == pytest.approx((y["savings"] * d).sum() / (y["cost"] * d).sum())
    assert r.npv_kommune == pytest.approx(((y["savings_kommune"] - y["cost"]) * d).sum())
    cum = np.cumsum(y["net"])
    expected = next((i for i, v in enumerate(cum) if v >= 0), None)
    assert r.payback_year == expected
    assert r.calendar(r.payback_year) == (None if expected is None else 2020 + expected)


def test_payback_discounted_and_undiscounted_are_both_reported_and_agree_with_npv():
    s = explorer.load_case("herning").replace(horizon_years=10)
    for scale in np.linspace(0.5, 1.2, 15):  # NPV < 0 up to 0.6, >= 0 from 0.65
        r = evaluate(s.replace(effect_scale=scale))
        # the cumulative present value by hand, from the yearly net and the discount rate
        net = r.yearly["net"].to_numpy()
        cum_pv = np.cumsum(net / (1 + s.discount_rate) ** np.arange(len(net)))
        assert r.npv == pytest.approx(cum_pv[-1])
        # discounted payback: the first year from which the cumulative present value stays >= 0
        stays = [t for t in range(len(net)) if (cum_pv[t:] >= 0).all()]
        assert r.payback_year_discounted == (stays[0] if stays else None)
        assert (r.payback_year_discounted is not None) == (r.npv >= 0)
        if r.payback_year_discounted is not None:
            assert r.payback_year is not None
            assert r.payback_year <= r.payback_year_discounted


def test_phase_in_is_the_yearly_mean_of_a_linear_ramp():
    got = engine.phase_in(np.array([0.0, 1.0, 2.0, 1.5]), 3)
    assert got[0].tolist() == [1, 1, 1]
    assert got[1].tolist() == pytest.approx([0.5, 1, 1])
    assert got[2].tolist() == pytest.approx([0.25, 0.75, 1])
    assert got[3].tolist() == pytest.approx([1 / 3, 1.25 - 1 / 3, 1])


def test_dose_scales_with_log_caseload_ratio_and_is_capped():
    assert engine.log_dose(48.0, 24.0, 48.0, 24.0) == pytest.approx(1)
    assert engine.log_dose(48.0, 34.0, 48.0, 24.0) == pytest.approx(math.log(48 / 34) / math.log(2))
    assert engine.log_dose(30.0, 30.0, 48.0, 24.0) == 0
    assert engine.log_dose(48.0, 6.0, 48.0, 24.0) == pytest.approx(3)
    assert engine.log_dose(48.0, 6.0, 48.0, 24.0, 2.0) == 2


def test_strength_moves_the_reference_share_at_one_step_and_never_more_than_all():
    m = np.array([[0.4]])
    steps = np.array([[[0.0, 1.0, 2.0, 50.0, -1.0]]])
    got = engine.strength(m, steps)[0, 0]
    assert got.tolist() == pytest.approx([0, 0.4, 1 - 0.6**2, 1, -0.4])
    everyone = engine.strength(np.array([[1.0]]), np.array([[[0.0, 1e-9, 1.0]]]))[0, 0]
    assert everyone.tolist() == pytest.approx([0, 0, 1], abs=1e-6)  # continuous at 0 steps


def test_payer_columns_sum_to_savings_for_every_case():
    for name in explorer.cases():
        y = evaluate(explorer.load_case(name)).yearly
        payers = y["savings_kommune"] + y["savings_region"] + y["savings_stat"]
        assert np.allclose(payers + y["savings_society"], y["savings"])
        outcomes = sum(y[f"savings_{o.key}"] for o in explorer.load_case(name).outcomes)
        assert np.allclose(outcomes, payers)


def test_npv_equals_numpy_financial_on_the_net_flows():
    for name in explorer.cases():
        for rate in (0.0, 0.035, 0.04):
            r = evaluate(explorer.load_case(name).replace(discount_rate=rate))
            assert r.npv == pytest.approx(npf.npv(rate, r.yearly["net"]), rel=1e-12)
            assert r.yearly["pv_net"].sum() == pytest.approx(r.npv)


def test_break_even_effect_has_npv_zero_there_and_negative_below():
    for name in explorer.cases():
        s = explorer.load_case(name)
        be = explorer.break_even_effect(s)
        assert be is not None and 0 < be < 3
        assert evaluate(s.replace(effect_scale=be)).npv >= 0
        assert evaluate(s.replace(effect_scale=be * 0.99)).npv < 0


def test_programme_end_stops_costs_and_new_effects_but_gains_last():
    s = explorer.load_case("aabenraa")
    y = evaluate(s).yearly
    years = s.programme_years
    assert (y["cost"][years:] == 0).all() and (y["cost"][:years] > 0).all()
    assert (y["new_self_support"][years:] == 0).all()
    people = y["people_self_support"].to_numpy()
    assert people[years] > 0 and (np.diff(people[years:]) < 0).all()  # decaying, not gone


def test_optimism_bias_takes_its_share_off_savings():
    s = explorer.load_case("hjoerring")
    full, biased = evaluate(s), evaluate(s.replace(optimism_bias=0.4))
    assert biased.total_savings == pytest.approx(0.6 * full.total_savings)
    assert biased.total_cost == full.total_cost


def test_overhead_raises_the_staff_cost_in_proportion():
    s = explorer.load_case("herning")
    none, some = evaluate(s.replace(overhead=0)), evaluate(s.replace(overhead=0.3))
    assert some.yearly["cost_staff"].sum() == pytest.approx(1.3 * none.yearly["cost_staff"].sum())
    assert some.total_savings == pytest.approx(none.total_savings)


def test_deadweight_takes_its_share_off_the_moved_share():
    s = explorer.load_case("herning").replace(caseload_after=24)
    gross = evaluate(s.replace_outcome("institution", deadweight=0)).yearly
    net = evaluate(s.replace_outcome("institution", deadweight=0.25)).yearly
    # of the entries at risk each year (fewer kept out means fewer at risk again)
    share = net["new_institution"] / net["at_risk_institution"]
    gross_share = gross["new_institution"] / gross["at_risk_institution"]
    assert share.tolist() == pytest.approx((0.75 * gross_share).tolist())


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["entry", "exit"]),
    effect=st.floats(0, 1),
    deadweight=st.floats(0, 0.99),
    base_rate=st.floats(0.01, 0.99),
)
def test_the_effect_that_moves_a_share_is_the_inverse_of_the_share_it_moves(
    kind, effect, deadweight, base_rate
):
    """``effect_moving`` (a study's effect carried to another group) undoes ``moved_share``
    wherever the share is below everyone."""
    o = next(o for o in explorer.load_case("aabenraa").outcomes if o.kind == "exit")
    o = dataclasses.replace(o, kind=kind, base_rate=base_rate, deadweight=deadweight, effect=0)
    o = dataclasses.replace(o, effect=min(effect, o.max_effect))
    moved = o.moved_share()
    if moved < 1:
        assert o.effect_moving(moved) == pytest.approx(o.effect, rel=1e-9, abs=1e-12)
    assert dataclasses.replace(o, deadweight=1.0).effect_moving(0.1) == math.inf


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
    scenarios = [
        base.replace(caseload_after=a, worker_cost=c, effect_scale=e)
        for a, c, e in [(20, 450_000, 0.5), (30, 500_000, 1), (45, 600_000, 2)]
    ]
    paths = engine.run(engine.Batch.of(scenarios))
    for i, s in enumerate(scenarios):
        y = evaluate(s).yearly
        assert np.allclose(paths.net[i], y["net"])
        assert np.allclose(paths.savings_payer[i, 0], y["savings_kommune"])


def test_sweep_rejects_values_outside_the_bounds():
    s = explorer.load_case("herning")
    with pytest.raises(ValueError, match="caseload_after must be from 1 to 200"):
        sweep(s, "caseload_after", [20, 500])
    with pytest.raises(ValueError, match="caseload_after must be from 1 to 48"):
        sweep(s, "caseload_after", [60])
    with pytest.raises(ValueError, match="cannot sweep 'outcomes'"):
        sweep(s, "outcomes", [1])


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(engine.SCALARS)),
    st.one_of(st.floats(-1e10, 1e10), st.sampled_from([float("nan"), 3.5, 0.5, 1e12])),
)
def test_a_sweep_refuses_exactly_what_replace_refuses(name, value):
    """One validation path: sweep(aabenraa, "programme_years", [3.5]) charged 4 years and
    wider_gains=0.5 was accepted; now a sweep checks each value as Scenario.replace does."""
    s = explorer.load_case("aabenraa")
    try:
        expected = getattr(s.replace(**{name: value}), name)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            sweep(s, name, [value])
    else:
        assert sweep(s, name, [value])[name].iloc[0] == expected


def test_yearly_table_keeps_the_promised_columns():
    for name in explorer.cases():
        s = explorer.load_case(name)
        y = evaluate(s).yearly
        assert len(y) == s.horizon_years
        for col in (
            "year",
            "calendar_year",
            "extra_workers",
            "cost",
            "savings",
            "savings_kommune",
            "savings_region",
            "savings_stat",
            "net",
            "cumulative_net",
            "pv_net",
            "cumulative_pv_net",
        ):
            assert col in y.columns
        for o in s.outcomes:
            assert f"new_{o.key}" in y.columns and f"people_{o.key}" in y.columns


def test_evaluate_refuses_what_is_not_a_scenario():
    with pytest.raises(TypeError, match="evaluate takes a Scenario"):
        explorer.evaluate("herning")  # type: ignore[arg-type]


def test_staff_cost_by_hand():
    # 2 extra caseworkers at 500,000 with 20 % overhead, half of them in place: 2 x 600,000 / 2.
    assert engine.staff_cost(2, 500_000, 0.2, 0.5) == pytest.approx(600_000)
    staffing = np.array([[0.5, 1.0, 0.0]])
    cost = engine.staff_cost(
        np.array([[2.0]]), np.array([[500_000.0]]), np.array([[0.2]]), staffing
    )
    np.testing.assert_allclose(cost, [[600_000, 1_200_000, 0]])


def test_run_takes_the_steps_in_their_order():
    # engine.STEPS is the order the workbook's years sheet mirrors (tests/test_workbook.py): run
    # calls each step once, in that order.
    calls = sorted(
        (node.lineno, node.col_offset, node.func.id)
        for node in ast.walk(ast.parse(inspect.getsource(engine.run)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    )
    names = {step.__name__ for step in engine.STEPS}
    assert [name for *_, name in calls if name in names] == [s.__name__ for s in engine.STEPS]
