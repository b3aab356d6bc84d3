"""Construction validates: bad input raises ValueError naming the field and the allowed range."""

import math

import pytest

import explorer
from explorer import Outcome, Price, Scenario
from explorer.scenario import bounds, levers


@pytest.mark.parametrize("field, value, message", [
    ("cases", 0, "cases must be from 1 to 100000 cases; got 0"),
    ("cases", -5, "cases must be from 1 to 100000"),
    ("caseload_before", math.nan, "caseload_before must be a finite number from 1 to 200"),
    ("worker_cost", math.inf, "worker_cost must be a finite number"),
    ("horizon_years", 21, "horizon_years must be from 1 to 20 years; got 21"),
    ("horizon_years", 2.5, "horizon_years must be a whole number from 1 to 20"),
    ("effect_scale", 3.5, "effect_scale must be from 0 to 3 multiplier; got 3.5"),
    ("discount_rate", -0.01, "discount_rate must be from 0 to 0.1"),
    ("optimism_bias", 0.7, "optimism_bias must be from 0 to 0.6"),
    ("caseload_after", "abc", "caseload_after must be a number from 1 to 200"),
    ("caseload_after", 60, r"caseload_after must be from 1 to caseload_before \(48\)"),
    ("reference_caseload_after", 48, "reference_caseload_after must be below"),
])
def test_bad_values_name_the_field_and_range(field, value, message):
    with pytest.raises(ValueError, match=message):
        explorer.load_case("herning").replace(**{field: value})


def test_outcome_and_price_errors_name_their_owner():
    with pytest.raises(ValueError, match=r"outcome 'x': duration_years must be from 1 to 30"):
        Outcome("x", "x", "x", base_flow=1, effect=0.1, duration_years=0.5)
    with pytest.raises(ValueError, match=r"price 'p': payer shares .* must sum to 1"):
        Price("p", "p", 100, kommune=0.5, region=0.0, stat=0.2)
    with pytest.raises(ValueError, match=r"price 'p': stat must be from 0 to 1"):
        Price("p", "p", 100, kommune=1, stat=-0.1)
    with pytest.raises(ValueError, match="outcome key must be a plain name"):
        Outcome("two words", "x", "x")


def test_unknown_fields_and_duplicate_outcomes_are_refused():
    s = explorer.load_case("herning")
    with pytest.raises(ValueError, match="unknown Scenario field"):
        s.replace(caseload=3)
    with pytest.raises(ValueError, match="distinct keys"):
        s.replace(outcomes=s.outcomes * 2)


def test_replace_returns_a_new_validated_scenario():
    s = explorer.load_case("herning")
    t = s.replace(caseload_after=22)
    assert t.caseload_after == 22 and s.caseload_after == 24
    assert t.case == "herning"


def test_staffing_lever_both_ways():
    s = explorer.load_case("herning")
    assert s.extra_workers == pytest.approx(4)
    t = s.with_extra_workers(6)
    assert t.extra_workers == pytest.approx(6)
    assert t.caseload_after == pytest.approx(192 / 10)
    assert s.with_extra_workers(0).caseload_after == pytest.approx(s.caseload_before)
    with pytest.raises(ValueError, match="extra caseworkers must be 0 or more"):
        s.with_extra_workers(-1)


def test_every_lever_has_complete_metadata():
    for cls in (Scenario, Outcome, Price):
        for name in levers(cls):
            meta = bounds(cls, name)
            assert meta["lo"] < meta["hi"] and meta["step"] > 0
            assert meta["da"] and meta["en"] and meta["unit"]
    for name in levers(Scenario):
        assert bounds(Scenario, name)["help_da"] and bounds(Scenario, name)["help_en"]
        source = bounds(Scenario, name)["source"]
        if source:
            assert source in explorer.figures()
