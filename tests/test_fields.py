"""The field specification: every input described once, links that read back what they wrote,
and numbers read as people type them."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.data import yamlfile
from explorer.model import fields
from explorer.model.fields import FieldError, parse_number

ALL = [(g, f) for g, members in fields.spec().items() for f in members.values()]


@pytest.mark.parametrize("group, f", ALL, ids=[f"{g}.{f.name}" for g, f in ALL])
def test_every_field_is_complete(group, f):
    assert f.lo < f.hi and f.step > 0
    assert f.label["da"] and f.label["en"] and f.help["da"] and f.help["en"]
    assert f.unit.da and f.unit.en
    if isinstance(f.default, str):
        from explorer import catalogue

        assert f.check(catalogue.figure(f.default).in_prices) is not None


@st.composite
def field_values(draw):
    _group, f = draw(st.sampled_from(ALL))
    if f.whole:
        return f, draw(st.integers(int(f.lo), int(f.hi)))
    return f, draw(st.floats(f.lo, f.hi, allow_nan=False, allow_infinity=False))


@settings(max_examples=500, deadline=None)
@given(field_values())
def test_a_link_reads_back_exactly_what_it_wrote(pair):
    f, value = pair
    written = f.to_url(value)
    assert "e" not in written.lower() and "," not in written
    assert f.check(f.from_url(written)) == value


def test_large_values_are_written_without_an_exponent():
    f = fields.field("scenario", "worker_cost")
    assert f.to_url(1_000_000) == "1000000"
    assert f.from_url("1000000") == 1_000_000
    assert f.from_url("1e+06") is None and f.from_url("1e6") is None


@pytest.mark.parametrize(
    "text, lang, value",
    [
        ("2,5", "da", 2.5),
        ("1.000.000", "da", 1_000_000),
        ("1 000", "da", 1000),
        ("-0,5", "da", -0.5),
        ("2.5", "en", 2.5),
        ("1,000,000", "en", 1_000_000),
        ("12", "da", 12),
        ("\u22123", "en", -3),
    ],
)
def test_numbers_are_read_as_people_write_them(text, lang, value):
    assert parse_number(text, lang) == value


@pytest.mark.parametrize(
    "text, lang",
    [
        ("2.5", "da"),
        ("abc", "da"),
        ("", "da"),
        ("1,5,5", "en"),
        ("nan", "en"),
        ("inf", "da"),
        ("1" * 50, "en"),
    ],
)
def test_unclear_numbers_are_refused(text, lang):
    assert parse_number(text, lang) is None


def test_errors_name_the_field_and_range_in_both_languages():
    f = fields.field("scenario", "horizon_years")
    with pytest.raises(FieldError) as caught:
        f.parse("25", "da")
    assert str(caught.value) == "horizon_years must be from 1 to 20 years; got 25"
    assert caught.value.text("da") == "Tidshorisont skal være fra 1 til 20 år; fik 25"
    with pytest.raises(FieldError) as caught:
        f.parse("2,5", "da")
    assert caught.value.text("da").startswith("Tidshorisont skal være et helt tal")
    with pytest.raises(FieldError, match="must be a number"):
        f.parse("to", "en")


def test_clamp_stays_in_range():
    f = fields.field("scenario", "cases")
    assert f.clamp(-5) == 1 and f.clamp(1e12) == 100_000 and f.clamp(2.4) == 2
    assert not math.isnan(f.clamp(3))


def test_the_field_table_for_the_docs_lists_every_field():
    table = fields.markdown()
    for _, f in ALL:
        assert f"`{f.name}`" in table


def test_the_docs_table_shows_every_relation():
    rows = {line.split(" | ")[1]: line for line in fields.markdown().splitlines()[2:]}
    assert "1 to 200, at most `caseload_before` |" in rows["`caseload_after`"]
    assert "1 to 200, at least `caseload_after` |" in rows["`caseload_before`"]
    assert "below `reference_caseload_before` |" in rows["`reference_caseload_after`"]
    assert "above `reference_caseload_after` |" in rows["`reference_caseload_before`"]
    assert "the other side of `caseload_after` |" in rows["`extra_workers`"]
    assert ", entry: `effect <= 1`, exit: `effect * base_rate" in rows["`effect`"]
    assert "exit: `base_rate < 1`, exit: `effect * base_rate" in rows["`base_rate`"]
    assert (
        "exit: `effect * base_rate * (1 - deadweight) <= 1 - base_rate` |" in rows["`deadweight`"]
    )


@pytest.mark.parametrize(
    "rule, problem",
    [
        ("a / b <= 1", "divide by a number only"),
        ("a * (1 - a) <= 1", "a field twice in one product"),
        ("a <= nowhere", "'nowhere' is no field here"),
        ("a == 1", "a rule is LEFT <= RIGHT"),
        ("a ** 2 <= 1", r"only numbers, fields, \+ - \* and / by a number"),
        ("1 <= 2", "names no field"),
    ],
)
def test_a_kind_relation_the_spec_cannot_use_is_refused(rule, problem):
    units = {"u": fields.Unit("u", "u", "u", "number")}
    text = {"da": "a", "en": "a"}
    base = {"unit": "u", "lo": 0, "hi": 1, "step": 0.1, "label": text, "help": text}
    members = {name: fields._field("t", "outcome", name, base, units) for name in ("a", "b")}
    with pytest.raises(yamlfile.DataError, match=problem):
        fields._rule("t", "outcome", "exit", {"rule": rule, "why": text}, members)


def test_a_kind_relation_bounds_each_of_its_fields_from_the_others():
    (rule,) = [r for r in fields.kind_rules("outcome", "exit") if "deadweight" in r.names]
    values = {"base_rate": 0.25, "effect": 2.0, "deadweight": 0.2}
    assert rule.bounds("effect", values) == (-math.inf, pytest.approx(0.75 / 0.2))
    assert rule.bounds("deadweight", values) == (pytest.approx(1 - 0.75 / 0.5), math.inf)
    assert rule.bounds("base_rate", values)[1] == pytest.approx(1 / (1 + 2.0 * 0.8))
    assert fields.kind_rules("outcome", "sideways") == ()
