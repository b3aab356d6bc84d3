"""Financing arrangements: money is conserved, the contract term, trigger and cap bind."""

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
@given(
    case=st.sampled_from(["herning", "aabenraa", "hjoerring"]),
    scale=st.floats(0, 3),
    share=st.floats(0, 1),
    years=st.integers(1, 20),
    trigger=st.floats(0, 1),
    cap=st.floats(0, 0.5),
    repay=st.floats(0, 1),
    term=st.integers(1, 20),
)
def test_what_one_party_pays_another_receives(case, scale, share, years, trigger, cap, repay, term):
    r = result(case, effect_scale=scale)
    terms = Terms(
        grant_share=share,
        grant_years=years,
        repay_share=repay,
        bond_trigger=trigger,
        bond_cap=cap,
        bond_years=term,
    )
    net = r.yearly["net"].to_numpy()
    for name, flows in financing.arrangements(r, terms).items():
        assert np.allclose(flows[list(PARTIES)].sum(axis=1), net, atol=1e-3), name


def test_state_grant_moves_its_share_of_cost_for_its_years():
    r = result()
    flows = financing.state_grant(r, default_terms().replace(grant_share=0.5, grant_years=2))
    moved = flows["kommune"] - financing.self_financed(r, default_terms())["kommune"]
    assert np.allclose(moved[:2], 0.5 * r.yearly["cost"][:2]) and np.allclose(moved[2:], 0)


def test_the_bond_funds_only_the_contract_term_then_the_kommune_pays():
    r = result("herning")
    terms = default_terms().replace(bond_years=3)
    invest, paid = financing.bond_payments(r, terms)
    assert np.allclose(invest[:3], r.yearly["cost"][:3]) and (invest[3:] == 0).all()
    assert (paid[3:] == 0).all()  # outcome payments only for the contract's years
    flows = financing.impact_bond(r, terms)
    assert np.allclose(flows["kommune"][3:], r.yearly["net_kommune"][3:])


def test_bond_pays_nothing_below_the_trigger():
    terms = default_terms().replace(bond_trigger=0.5)
    below = result(effect_scale=0.45)
    assert financing.measured_share(below) == pytest.approx(0.45)
    flows = financing.impact_bond(below, terms)
    assert (flows["investor"] <= 0).all()
    table = financing.summary(below, terms).set_index("arrangement")
    assert table.loc["impact_bond", "investor_irr"] == -1.0
    assert table.loc["impact_bond", "investor_multiple"] == 0


def test_the_cap_binds_the_investor_return():
    r = result(effect_scale=2)
    for cap in (0.0, 0.05, 0.13):
        terms = default_terms().replace(bond_outcome_share=1, bond_cap=cap, bond_years=3)
        row = financing.summary(r, terms).set_index("arrangement").loc["impact_bond"]
        assert row["investor_irr"] == pytest.approx(cap, abs=1e-6)


def test_capped_payments_by_hand_and_vectorised():
    assert capped_payments([100, 0, 0], [0, 200, 200], 0.13).tolist() == pytest.approx([0, 113, 0])
    assert capped_payments([100, 0, 0], [0, 50, 200], 0.13).tolist() == pytest.approx(
        [0, 50, (113 - 50) * 1.13]
    )
    two = capped_payments([[100, 0, 0], [100, 0, 0]], [[0, 200, 200], [0, 50, 200]], 0.13)
    assert two[1].tolist() == pytest.approx([0, 50, (113 - 50) * 1.13])


def test_investor_irr_equals_numpy_financial_on_the_same_flows():
    r = result(effect_scale=1.5)
    terms = default_terms().replace(bond_outcome_share=0.9)
    put, got = financing.bond_payments(r, terms)
    row = financing.summary(r, terms).set_index("arrangement").loc["impact_bond"]
    assert row["investor_irr"] == pytest.approx(npf.irr(got - put))


def test_price_of_finance_compares_with_paying_for_the_same_programme():
    r = result(effect_scale=1.5)
    terms = default_terms().replace(bond_outcome_share=0.9)
    table = financing.summary(r, terms).set_index("arrangement")
    assert table.loc["self_financed", "kommune_extra_cost"] == 0
    invest, paid = financing.bond_payments(r, terms)
    d = r.yearly["discount_factor"]
    assert table.loc["impact_bond", "kommune_extra_cost"] == pytest.approx(
        ((paid - invest) * d).sum()
    )


def test_summary_never_holds_none_where_a_number_is_expected():
    table = financing.summary(result(effect_scale=0), default_terms())
    assert table.drop(columns="arrangement").dtypes.map(lambda t: t.kind == "f").all()


def test_peterborough_reproduces_the_documented_return():
    bond = financing.peterborough()
    documented = explorer.figure("peterborough.investor_return").value
    result_ = explorer.figure("peterborough.result").value
    assert bond.irr(result_) == pytest.approx(documented, abs=0.005)
    assert bond.irr(0.074) == -1.0
    assert bond.irr(0.5) == pytest.approx(bond.cap)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("grant_share", 1.2, "grant_share must be from 0% to 100% share; got 120%"),
        ("bond_cap", -0.1, "bond_cap must be from 0% to 50% a year"),
        ("repay_years", 0, "repay_years must be from 1 to 20 years"),
        ("bond_years", 30, "bond_years must be from 1 to 20 years"),
    ],
)
def test_bad_terms_name_the_field_and_range(field, value, message):
    with pytest.raises(ValueError, match=message):
        default_terms().replace(**{field: value})


def test_every_default_term_comes_from_a_figure():
    terms = default_terms()
    assert terms.bond_cap == 0.13 and terms.grant_share == 0.5 and terms.bond_years == 4
