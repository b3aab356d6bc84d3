"""Construction validates: bad input raises a ValueError naming the field and the allowed range."""

import math

import pytest

import explorer
from explorer import FieldError, Outcome, Price, Scenario


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("cases", 0, "cases must be from 1 to 100,000 cases; got 0"),
        ("caseload_before", math.nan, "caseload_before must be a finite number from 1 to 200"),
        ("worker_cost", math.inf, "worker_cost must be a finite number"),
        ("horizon_years", 21, "horizon_years must be from 1 to 20 years; got 21"),
        ("horizon_years", 2.5, "horizon_years must be a whole number from 1 to 20"),
        ("effect_scale", 3.5, "effect_scale must be from 0 to 3 times; got 3.5"),
        ("discount_rate", -0.01, "discount_rate must be from 0% to 10% a year"),
        ("caseload_after", "abc", "caseload_after must be a number from 1 to 200"),
        ("caseload_after", 60, r"caseload_after must be from 1 to 48 cases per caseworker; got 60"),
        ("reference_caseload_after", 48, "reference_caseload_after must be below"),
        ("overhead", 1.5, "overhead must be from 0% to 100%"),
        # what was given, not the rounded value that lies in the range (regression: "got 11")
        ("cases", 10.5, "cases must be a whole number from 1 to 100,000 cases; got 10.5$"),
        ("start_year", 2013.5, "start_year must be a whole number .*; got 2013.5$"),
        ("cases", 0.5, "cases must be from 1 to 100,000 cases; got 0.5$"),
        ("cases", True, "cases must be a number from 1 to 100,000 cases; got True$"),
    ],
)
def test_bad_values_name_the_field_and_range(field, value, message):
    with pytest.raises(ValueError, match=message):
        explorer.load_case("herning").replace(**{field: value})


def test_errors_are_field_errors_with_a_danish_text():
    with pytest.raises(FieldError) as caught:
        explorer.load_case("herning").replace(caseload_after=60)
    assert (
        caught.value.text("da")
        == "Sagstal efter skal være fra 1 til 48 sager pr. sagsbehandler; fik 60"
    )


def test_outcome_and_price_errors_name_their_owner():
    with pytest.raises(ValueError, match=r"outcome 'x': duration_years must be from 1 to 30"):
        Outcome("x", "x", "x", base_rate=0.1, effect=0.1, duration_years=0.5)
    with pytest.raises(ValueError, match=r"price 'p': payer shares .* must sum to 1"):
        Price("p", "p", 100, kommune=0.5, region=0.0, stat=0.2)
    with pytest.raises(ValueError, match=r"price 'p': stat must be from 0%"):
        Price("p", "p", 100, kommune=1, stat=-0.1)
    with pytest.raises(ValueError, match="outcome key must be a plain name"):
        Outcome("two words", "x", "x", base_rate=0.1, effect=0.1)
    with pytest.raises(ValueError, match=r"'x': effect must be from 0 to 1 times: a prevented"):
        Outcome("x", "x", "x", kind="entry", base_rate=0.1, effect=1.5)
    with pytest.raises(ValueError, match=r"effect must be from 0 to 1 times: otherwise .* stay"):
        Outcome("x", "x", "x", kind="exit", base_rate=0.5, effect=2)
    with pytest.raises(ValueError, match=r"base_rate must be under 100% .*: some must stay"):
        Outcome("x", "x", "x", kind="exit", base_rate=1, effect=0)
    with pytest.raises(ValueError, match=r"kind must be 'entry'"):
        Outcome("x", "x", "x", kind="sideways", base_rate=0.1, effect=0.1)


def test_outcomes_must_be_outcome_objects_with_a_clear_error():
    with pytest.raises(ValueError, match=r"outcomes must be Outcome objects; got 'x'"):
        Scenario(outcomes=("x",))  # type: ignore[arg-type]
    s = explorer.load_case("herning")
    with pytest.raises(ValueError, match="distinct keys"):
        s.replace(outcomes=s.outcomes * 2)
    with pytest.raises(ValueError, match="unknown Scenario field"):
        s.replace(caseload=3)


def test_replace_applies_changes_together():
    s = explorer.load_case("herning")
    t = s.replace(caseload_before=20, caseload_after=10)
    assert (t.caseload_before, t.caseload_after) == (20, 10)
    assert s.replace(caseload_after=22).case == "herning"


def test_staffing_lever_both_ways():
    s = explorer.load_case("herning")
    assert s.extra_workers == pytest.approx(4)
    t = s.with_extra_workers(6)
    assert t.extra_workers == pytest.approx(6)
    assert t.caseload_after == pytest.approx(192 / 10)
    assert s.with_extra_workers(0).caseload_after == pytest.approx(s.caseload_before)
    with pytest.raises(ValueError, match="extra caseworkers must be 0 or more"):
        s.with_extra_workers(-1)


def test_a_bare_scenario_takes_the_sourced_defaults():
    s = Scenario()
    assert s.worker_cost == pytest.approx(explorer.figure("dk.worker_salary").in_prices)
    assert s.discount_rate == explorer.figure("dk.discount.fm2021").value
    assert s.horizon_years == 10 and s.start_year == 2027
