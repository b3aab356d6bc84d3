"""Property tests (hypothesis): conservation and monotonicity in the levers."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer
from explorer import evaluate

CASES = st.sampled_from(["herning", "aabenraa", "hjoerring"])
SHARE = st.floats(0, 1)


@st.composite
def scenarios(draw):
    s = explorer.load_case(draw(CASES))
    before = draw(st.floats(20, 120))
    return s.replace(caseload_before=before,
                     caseload_after=draw(st.floats(5, before)),
                     worker_cost=draw(st.floats(200_000, 1_000_000)),
                     horizon_years=draw(st.integers(1, 20)),
                     discount_rate=draw(st.floats(0, 0.1)),
                     effect_scale=draw(st.floats(0, 3)),
                     phase_in_years=draw(st.floats(0, 10)),
                     optimism_bias=draw(st.floats(0, 0.6)),
                     programme_years=draw(st.integers(1, 20)))


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_money_is_conserved_across_payers_and_outcomes(s):
    y = evaluate(s).yearly
    assert np.allclose(y[["savings_kommune", "savings_region", "savings_stat"]].sum(axis=1),
                       y["savings"], rtol=1e-9, atol=1e-6)
    assert np.allclose(y["net"], y["savings"] - y["cost"], atol=1e-6)
    assert (y["cost"] >= 0).all() and (y["savings"] >= -1e-9).all()


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.floats(0.01, 1))
def test_more_effect_never_lowers_npv_and_never_delays_payback(s, more):
    low = evaluate(s)
    high = evaluate(s.replace(effect_scale=min(3, s.effect_scale + more)))
    assert high.npv >= low.npv - 1e-6
    assert high.total_savings >= low.total_savings - 1e-6
    if low.payback_year is not None:
        assert high.payback_year is not None and high.payback_year <= low.payback_year


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.floats(0.5, 0.99))
def test_lower_caseload_costs_more_and_saves_more(s, factor):
    lower = s.replace(caseload_after=max(1, s.caseload_after * factor))
    a, b = evaluate(s), evaluate(lower)
    assert b.extra_workers >= a.extra_workers
    assert b.total_cost >= a.total_cost - 1e-6
    assert b.total_savings >= a.total_savings - 1e-6


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.floats(0.001, 0.05))
def test_higher_discount_rate_shrinks_present_values(s, more):
    a = evaluate(s)
    b = evaluate(s.replace(discount_rate=min(0.1, s.discount_rate + more)))
    assert abs(b.yearly["pv_net"]).sum() <= abs(a.yearly["pv_net"]).sum() + 1e-6


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.floats(200_000, 2_000_000))
def test_kommune_never_pays_back_before_the_public_sector(s, cost):
    r = evaluate(s.replace(worker_cost=cost))
    if r.payback_year_kommune is not None:
        assert r.payback_year is not None and r.payback_year <= r.payback_year_kommune
