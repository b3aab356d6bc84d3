"""Financing arrangements: money is conserved; the bond pays the documented deal's return at the
documented effect, nothing below its trigger and never more than its cap."""

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer
from explorer.analysis import financing
from explorer.analysis.financing import PARTIES, Terms, capped_payments, default_terms
from explorer.model import cashflow
from explorer.ui import who_pays


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
    linked=st.floats(0, 1),
)
def test_what_one_party_pays_another_receives(
    case, scale, share, years, trigger, cap, repay, term, linked
):
    r = result(case, effect_scale=scale)
    terms = Terms(
        grant_share=share,
        grant_years=years,
        repay_share=repay,
        bond_trigger=trigger,
        bond_cap=cap,
        bond_years=term,
        bond_outcome_share=linked,
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
    b = financing.bond(r, terms)
    assert np.allclose(b.invest[:3], r.yearly["cost"][:3]) and (b.invest[3:] == 0).all()
    assert (b.paid[3:] == 0).all()  # outcome payments only for the contract's years
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
    b = financing.bond(r, terms)
    row = financing.summary(r, terms).set_index("arrangement").loc["impact_bond"]
    assert row["investor_irr"] == pytest.approx(npf.irr(b.paid - b.invest))


def test_price_of_finance_compares_with_paying_for_the_same_programme():
    r = result(effect_scale=1.5)
    terms = default_terms().replace(bond_outcome_share=0.9)
    table = financing.summary(r, terms).set_index("arrangement")
    assert table.loc["self_financed", "kommune_extra_cost"] == 0
    b = financing.bond(r, terms)
    d = r.yearly["discount_factor"]
    assert table.loc["impact_bond", "kommune_extra_cost"] == pytest.approx(
        ((b.paid - b.invest) * d).sum()
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
    terms, f = default_terms(), explorer.figure
    assert terms.bond_cap == f("peterborough.cap").value
    assert terms.bond_trigger == pytest.approx(
        f("peterborough.trigger").value / f("peterborough.result").value, abs=1e-5
    )
    assert financing.documented_return() == f("peterborough.investor_return").value
    assert terms.grant_share == f("financing.state_grant_share").value
    assert terms.bond_years == f("financing.bond_years").value


# -- the bond at the documented effect, below its trigger and at its cap ------------------------
def documented_return():
    """The return of the deal behind the default terms, read from its own figure."""
    return explorer.figure("peterborough.investor_return").value


@pytest.mark.parametrize("case", ["herning", "aabenraa", "hjoerring"])
def test_each_preset_investor_gets_the_documented_return_at_the_documented_effect(case):
    row = financing.summary(result(case), default_terms()).set_index("arrangement")
    bond = row.loc["impact_bond"]
    assert bond["investor_irr"] == pytest.approx(documented_return(), abs=1e-6)
    assert bond["investor_multiple"] > 1


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(["herning", "aabenraa", "hjoerring"]),
    after=st.floats(0.3, 0.95),
    horizon=st.integers(1, 20),
    programme=st.integers(1, 20),
    term=st.integers(1, 20),
    linked=st.floats(0, 1),
    cap=st.floats(0.03, 0.5),
)
def test_the_contract_is_priced_so_the_documented_effect_pays_the_documented_return(
    case, after, horizon, programme, term, linked, cap
):
    """Over the page's levers: at effect_scale 1 the investor's flows are worth nothing at the
    documented return, so it gets its capital back with exactly that return."""
    s = explorer.load_case(case)
    s = s.replace(
        caseload_after=after * s.caseload_before,
        horizon_years=horizon,
        programme_years=min(programme, horizon),
    )
    r = explorer.evaluate(s)
    measured = financing.measured_share(r)
    terms = default_terms().replace(
        bond_years=term, bond_outcome_share=linked, bond_cap=cap, bond_trigger=min(measured, 1)
    )
    b = financing.bond(r, terms)
    if b.invest.sum() == 0 or b.price == 0:
        return  # nothing to finance, or nothing saved in the contract years to pay with
    value = cashflow.npv(documented_return(), b.paid - b.invest)
    assert value == pytest.approx(0, abs=1e-6 * b.invest.sum())


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(["herning", "aabenraa", "hjoerring"]),
    scale=st.floats(0, 3),
    trigger=st.floats(0, 1),
    linked=st.floats(0, 1),
    term=st.integers(1, 20),
)
def test_below_the_trigger_the_investor_gets_nothing(case, scale, trigger, linked, term):
    r = result(case, effect_scale=scale)
    terms = default_terms().replace(
        bond_trigger=trigger, bond_outcome_share=linked, bond_years=term
    )
    b = financing.bond(r, terms)
    if financing.measured_share(r) < trigger:
        assert not b.triggered and (b.paid == 0).all()
        row = financing.summary(r, terms).set_index("arrangement").loc["impact_bond"]
        assert row["investor_multiple"] == 0 and row["investor_irr"] == -1


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(["herning", "aabenraa", "hjoerring"]),
    scale=st.floats(0, 3),
    cap=st.floats(0, 0.5),
    linked=st.floats(0, 1),
    term=st.integers(1, 20),
)
def test_the_return_never_exceeds_the_cap(case, scale, cap, linked, term):
    r = result(case, effect_scale=scale)
    terms = default_terms().replace(bond_cap=cap, bond_outcome_share=linked, bond_years=term)
    b = financing.bond(r, terms)
    # Worth at most nothing at the cap rate: no return above it, whatever the IRR's root.
    assert cashflow.npv(cap, b.paid - b.invest) <= 1e-6 * max(b.invest.sum(), 1)
    irr = financing.summary(r, terms).set_index("arrangement").loc["impact_bond", "investor_irr"]
    assert np.isnan(irr) or irr <= cap + 1e-9


@settings(max_examples=30, deadline=None)
@given(case=st.sampled_from(["herning", "aabenraa", "hjoerring"]), scale=st.floats(0, 3))
def test_a_return_that_does_not_exist_is_said_in_words(case, scale):
    row = financing.summary(result(case, effect_scale=scale), default_terms())
    bond = row.set_index("arrangement").loc["impact_bond"]
    for lang in ("da", "en"):
        for cell in (False, True):
            text = who_pays.investor_return(bond, lang, cell)
            assert "nan" not in text.lower()
            if bond["investor_multiple"] < 1:
                assert explorer.data.i18n.percent(bond["investor_multiple"], lang) in text


def test_outcome_due_for_draws_is_the_bond_s_for_each_draw():
    terms = default_terms().replace(bond_outcome_share=0.4)
    r, documented = result("hjoerring", effect_scale=1.2), result("hjoerring")
    b = financing.bond(r, terms)
    term = (r.yearly["year"] < terms.bond_years).to_numpy()
    realised = [
        np.maximum(x.yearly["savings_kommune"].to_numpy(), 0) * term for x in (r, documented)
    ]
    due = financing.outcome_due(
        b.price, realised[1], np.stack(realised), np.array([0.4, 0.4]), np.array([True, False])
    )
    assert np.allclose(due[0], b.due) and (due[1] == 0).all()
