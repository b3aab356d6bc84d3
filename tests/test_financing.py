"""Financing arrangements: money is conserved, the trigger and the cap bind where they should."""

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer
from explorer import financing
from explorer.financing import PARTIES, Terms, capped_payments, default_terms


def result(case="aabenraa", **changes):
    return explorer.evaluate(explorer.load_case(case).replace(**changes))


@settings(max_examples=40, deadline=None)
@given(case=st.sampled_from(["herning", "aabenraa", "hjoerring"]), scale=st.floats(0, 3),
       share=st.floats(0, 1), years=st.integers(1, 20), trigger=st.floats(0, 1),
       cap=st.floats(0, 0.5), repay=st.floats(0, 1))
def test_what_one_party_pays_another_receives(case, scale, share, years, trigger, cap, repay):
    r = result(case, effect_scale=scale)
    terms = Terms(grant_share=share, grant_years=years, repay_share=repay, bond_trigger=trigger,
                  bond_cap=cap)
    net = r.yearly["net"].to_numpy()
    for name, flows in financing.arrangements(r, terms).items():
        assert np.allclose(flows[list(PARTIES)].sum(axis=1), net, atol=1e-3), name


def test_self_financed_is_the_kommune_paying_everything():
    r = result()
    flows = financing.self_financed(r, default_terms())
    assert np.allclose(flows["kommune"], r.yearly["net_kommune"])
    assert np.allclose(flows["stat"], r.yearly["savings_stat"])
    assert (flows["investor"] == 0).all()


def test_state_grant_moves_its_share_of_cost_for_its_years():
    r = result()
    flows = financing.state_grant(r, default_terms().replace(grant_share=0.5, grant_years=2))
    base = financing.self_financed(r, default_terms())
    moved = flows["kommune"] - base["kommune"]
    assert np.allclose(moved[:2], 0.5 * r.yearly["cost"][:2])
    assert np.allclose(moved[2:], 0)


def test_conditional_grant_is_repaid_from_savings_and_never_more_than_granted():
    r = result()
    terms = default_terms().replace(grant_share=0.5, grant_years=3, repay_share=1, repay_years=4)
    flows = financing.conditional_grant(r, terms)
    stat_gain = flows["stat"] - r.yearly["savings_stat"]
    granted = 0.5 * r.yearly["cost"][:3].sum()
    assert stat_gain[:3].sum() == pytest.approx(-granted)
    assert 0 < stat_gain[3:7].sum() <= granted + 1e-6
    assert (stat_gain[7:] == 0).all()
    # With full repayment from ample savings, the fund gets everything back.
    assert stat_gain.sum() == pytest.approx(0, abs=1e-3)


def test_bond_pays_nothing_below_the_trigger_and_the_kommune_carries_no_loss():
    terms = default_terms().replace(bond_trigger=0.5)
    below = result(effect_scale=0.45)
    assert financing.measured_share(below) == pytest.approx(0.45)
    flows = financing.impact_bond(below, terms)
    assert (flows["investor"] <= 0).all()
    assert np.allclose(flows["kommune"], below.yearly["savings_kommune"])  # no cost, no payment
    table = financing.summary(below, terms).set_index("arrangement")
    assert table.loc["impact_bond", "investor_irr"] == -1.0
    assert table.loc["impact_bond", "investor_multiple"] == 0
    above = financing.impact_bond(result(effect_scale=0.55), terms)
    assert (above["investor"] > 0).any()


def test_the_cap_binds_the_investor_return():
    r = result(effect_scale=2)
    for cap in (0.0, 0.05, 0.13):
        terms = default_terms().replace(bond_outcome_share=1, bond_cap=cap)
        row = financing.summary(r, terms).set_index("arrangement").loc["impact_bond"]
        assert row["investor_irr"] == pytest.approx(cap, abs=1e-6)
    loose = financing.summary(r, default_terms().replace(bond_outcome_share=0.05, bond_cap=0.5))
    assert loose.set_index("arrangement").loc["impact_bond", "investor_irr"] < 0.5


def test_capped_payments_by_hand():
    # 100 in, 13 % cap: owed 113 after a year, 127.69 after two.
    assert capped_payments([100, 0, 0], [0, 200, 200], 0.13).tolist() == pytest.approx([0, 113, 0])
    assert capped_payments([100, 0, 0], [0, 50, 200], 0.13).tolist() == pytest.approx(
        [0, 50, (113 - 50) * 1.13])
    assert capped_payments([100, 0], [0, 0], 0.13).tolist() == [0, 0]


def test_investor_irr_equals_numpy_financial_on_the_same_flows():
    r = result(effect_scale=1.5)
    terms = default_terms()
    put, got = financing.bond_payments(r, terms)
    row = financing.summary(r, terms).set_index("arrangement").loc["impact_bond"]
    assert row["investor_irr"] == pytest.approx(npf.irr(got - put))
    assert row["investor_multiple"] == pytest.approx(got.sum() / put.sum())


def test_kommune_extra_cost_compares_with_self_financing():
    r = result(effect_scale=1.5)
    table = financing.summary(r, default_terms()).set_index("arrangement")
    assert table.loc["self_financed", "kommune_extra_cost"] == 0
    expected = table.loc["self_financed", "pv_kommune"] - table.loc["impact_bond", "pv_kommune"]
    assert table.loc["impact_bond", "kommune_extra_cost"] == pytest.approx(expected)
    assert table.loc["impact_bond", "kommune_extra_cost"] > 0  # it works, so the kommune pays


def test_peterborough_reproduces_the_documented_return():
    bond = financing.peterborough()
    documented = explorer.figure("peterborough.investor_return").value
    result_ = explorer.figure("peterborough.result").value
    assert bond.irr(result_) == pytest.approx(documented, abs=0.005)
    assert bond.irr(0.074) == -1.0  # below the 7.5 % trigger: nothing back
    assert bond.irr(0.075) > -1.0
    assert bond.irr(0.5) == pytest.approx(bond.cap)  # capped at 13 % a year
    assert bond.flows(result_)[: bond.draw_years].sum() == pytest.approx(-bond.capital)


@pytest.mark.parametrize("field, value, message", [
    ("grant_share", 1.2, "grant_share must be from 0 to 1 share of cost; got 1.2"),
    ("bond_cap", -0.1, "bond_cap must be from 0 to 0.5 return per year; got -0.1"),
    ("bond_trigger", 1.5, "bond_trigger must be from 0 to 1 share of the documented effect"),
    ("repay_years", 0, "repay_years must be from 1 to 20 years"),
])
def test_bad_terms_name_the_field_and_range(field, value, message):
    with pytest.raises(ValueError, match=message):
        default_terms().replace(**{field: value})


def test_every_default_term_comes_from_a_figure():
    terms = default_terms()
    assert terms.bond_cap == 0.13 and terms.grant_share == 0.5 and terms.repay_years == 4
