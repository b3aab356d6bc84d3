"""Relations between fields, declared once in fields.yaml (``max:``, ``below:``, ``pair:``): the
scenario, the links, the levers and ``fields.bounds`` agree on what each allows."""

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pages import type_into

import explorer
from explorer.catalogue import caseedits, owncase
from explorer.data import yamlfile
from explorer.model import fields
from explorer.model.fields import FieldError
from explorer.model.scenario import (
    KINDS,
    Outcome,
    Price,
    Scenario,
    caseload_after_for,
    extra_workers_for,
)
from explorer.ui.content import links
from explorer.ui.pages import explorer as explorer_page
from explorer.ui.pages import how_it_works, how_sure, own_case, who_pays

SCENARIO = fields.of(Scenario)
RELATIONS = [f for f in SCENARIO.values() if f.max_field is not None]
HERNING = explorer.load_case("herning")
ROOT = Path(__file__).resolve().parents[1]


def test_the_spec_declares_the_caseload_relations():
    declared = {(f.name, f.max_field.name, f.max_field.strict) for f in RELATIONS if f.max_field}
    assert declared == {
        ("caseload_after", "caseload_before", False),
        ("reference_caseload_after", "reference_caseload_before", True),
    }
    before = SCENARIO["caseload_before"]
    assert before.min_field == fields.Bound("caseload_after", False)
    assert fields.field("page", "extra_workers").pair == "caseload_after"


def on_grid(f):
    """A value of field ``f`` on its step grid (so it travels in a link unchanged)."""
    return st.integers(0, int((f.hi - f.lo) / f.step)).map(lambda k: f.lo + k * f.step)


@st.composite
def pairs(draw):
    """A relation and values for its two fields, each inside its own range."""
    f = draw(st.sampled_from(RELATIONS))
    other = SCENARIO[f.max_field.name]
    return f, other, draw(on_grid(f)), draw(on_grid(other))


def allowed(f, value, values) -> bool:
    """What fields.bounds says: inside the narrowed range, and off an end a strict relation sets."""
    lo, hi = fields.bounds(f, values)
    return lo <= value <= hi and not (f.max_field.strict and value == values[f.max_field.name])


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_scenario_links_and_bounds_agree_on_every_relation(pair):
    f, other, value, bound = pair
    values = {**fields.values(HERNING), f.name: value, other.name: bound}
    ok = allowed(f, value, values)
    assert fields.breaks(f, values) is not ok
    try:
        HERNING.replace(**{f.name: value, other.name: bound})
        accepted = True
    except FieldError as error:
        accepted = False
        assert error.field is f and error.bounds == fields.bounds(f, values)
    assert accepted is ok
    # the own-case page reads a preset's facts from a link too (a preset's own pages ignore them)
    query = f"case=herning&{f.url}={value:g}&{other.url}={bound:g}&lang=en"
    link = links.parse(query, facts=True)
    notices = [n for n in link.notices if n.kind.startswith("bound_")]
    assert bool(notices) is not ok
    s = link.scenario
    if ok:
        assert (getattr(s, f.name), getattr(s, other.name)) == (value, bound)
    elif f.max_field.strict:  # the pair is dropped for the case's own
        assert getattr(s, f.name) == getattr(HERNING, f.name)
        assert getattr(s, other.name) == getattr(HERNING, other.name)
    else:  # clamped to the bound, as fields.bounds says
        assert getattr(s, f.name) == fields.bounds(f, values)[1] == bound
    for n in notices:
        assert "{" not in n.text("da") and "{" not in n.text("en")


def test_a_broken_strict_relation_names_both_fields_in_both_languages():
    with pytest.raises(FieldError) as caught:
        HERNING.replace(reference_caseload_after=50)
    assert str(caught.value) == (
        "reference_caseload_after must be below reference_caseload_before (48); got 50"
    )
    assert caught.value.text("da") == (
        "Referencesagstal efter skal være under referencesagstal før (48); fik 50"
    )


def bounded(levers):
    return {n: lv for n, lv in levers.items() if "." not in n and lv.field.group == "scenario"}


def assert_levers_follow_the_bounds(levers, scenario):
    values = fields.values(scenario)
    checked = 0
    for lever in bounded(levers).values():
        f = lever.field
        if f.max_field or f.min_field:
            assert (lever.min, lever.max) == fields.bounds(f, values), f.name
            checked += 1
    assert checked


@pytest.mark.parametrize(
    "page_class",
    [explorer_page.Explorer, who_pays.WhoPays, how_sure.HowSure, how_it_works.HowItWorks],
)
def test_every_page_takes_its_lever_bounds_from_the_relation(page_class):
    p = page_class("case=hjoerring&caseload_after=95")  # above the caseload before (80): 80
    assert p.levers["caseload_after"].max == 80 == p.current.caseload_after
    assert_levers_follow_the_bounds(p.levers, p.current)
    p.on_case({"new": "aabenraa"})  # a new case moves the bounds before its values (55 < 80)
    assert p.current.caseload_after == explorer.load_case("aabenraa").caseload_after == 30
    assert p.levers["caseload_after"].max == 55
    assert_levers_follow_the_bounds(p.levers, p.current)


@settings(max_examples=8, deadline=None)
@given(st.integers(2, 100).map(lambda k: k * 1.0))
def test_a_moved_caseload_before_moves_the_caseload_after_s_maximum(before):
    p = own_case.OwnCasePage("case=herning&caseload_after=1")
    type_into(p.form_levers["caseload_before"], f"{before:g}")
    assert p.current.caseload_before == before
    assert p.form_levers["caseload_after"].max == before
    assert p.form_levers["caseload_before"].min == p.current.caseload_after
    assert_levers_follow_the_bounds(p.form_levers, p.current)


def test_the_own_case_form_takes_its_bounds_from_the_relations():
    p = own_case.OwnCasePage("case=herning&lang=en")
    assert_levers_follow_the_bounds(p.form_levers, p.current)
    assert p.form_levers["reference_caseload_after"].max == p.current.reference_caseload_before


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 100_000),
    st.floats(1, 200, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
)
def test_the_staffing_pair_functions_are_inverse_over_the_range(cases, before, share):
    after = max(1.0, before * share)  # any caseload after from 1 to before
    extra = extra_workers_for(cases, before, after)
    assert extra >= 0
    assert caseload_after_for(cases, before, extra) == pytest.approx(after, rel=1e-9)
    assert extra_workers_for(cases, before, caseload_after_for(cases, before, extra)) == (
        pytest.approx(extra, rel=1e-9, abs=1e-9)
    )
    s = Scenario(cases=cases, caseload_before=before, caseload_after=after)
    assert s.extra_workers == extra
    assert explorer.evaluate(s).extra_workers == pytest.approx(extra, rel=1e-12)
    if after > 1 + 1e-9:  # at the field's lower end the round trip can land a hair below 1
        assert s.with_extra_workers(extra).caseload_after == pytest.approx(after, rel=1e-9)


@pytest.mark.parametrize("cls", [Scenario, Outcome, Price])
def test_every_default_comes_from_the_spec(cls):
    spec = fields.of(cls)
    for f in dataclasses.fields(cls):
        if f.name in spec:
            assert f.default is dataclasses.MISSING, f"{cls.__name__}.{f.name} has its own default"
            if spec[f.name].default is not None:
                made = f.default_factory()  # type: ignore[operator]
                assert made == fields.default_value(spec[f.name]), f.name
        else:  # no number outside the spec: names, kinds and containers only
            assert not isinstance(f.default, (int, float)), f"{cls.__name__}.{f.name}"


def test_case_files_and_the_own_case_take_the_spec_s_defaults():
    from explorer.catalogue import reader

    outcome = fields.group("outcome")
    assert {
        name: f.default for name, f in outcome.items() if isinstance(f.default, str)
    } == reader.OUTCOME_DEFAULTS
    assert set(reader.OUTCOME_DEFAULTS) == {"deadweight", "duration_years", "other_benefit_share"}
    blank = owncase.blank()
    for name in ("cases", "caseload_before", "caseload_after", "start_year"):
        assert blank.levers[name] == owncase.default_lever(name)
        assert blank.lever(name).resolve() == getattr(Scenario(), name)
    for name in ("caseload_before", "caseload_after"):  # the references follow the own values
        assert blank.levers[caseedits.FOLLOWS[name]] == blank.levers[name]


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"max": "nowhere"}, "is no other field"),
        ({"max": "b", "below": "b"}, "max or below, not both"),
        ({"max": 3}, "name another field"),
        ({"pair": "b"}, "a page field names a scenario field"),
    ],
)
def test_a_relation_the_spec_cannot_use_is_refused(body, problem):
    units = {"u": fields.Unit("u", "u", "u", "number")}
    text = {"da": "a", "en": "a"}
    base = {"unit": "u", "lo": 0, "hi": 1, "step": 0.1, "label": text, "help": text}
    with pytest.raises(yamlfile.DataError, match=problem):
        members = {
            name: fields._field(
                "t", "scenario", name, {**base, **body} if name == "a" else base, units
            )
            for name in ("a", "b")
        }
        fields._relate("t", members)


# -- relations that hold for one kind of outcome (fields.yaml's ``relations:``) --------------------
OUTCOME_FIELDS = fields.group("outcome")
#: A preset of each kind, its first outcome's key.
OF_KIND = {"entry": ("herning", "institution"), "exit": ("aabenraa", "self_support")}


def test_the_spec_states_each_outcome_relation_once():
    stated = {
        kind: [r.text for r in fields.kind_rules("outcome", kind)]
        for kind in fields.rules()["outcome"]
    }
    assert stated == {
        "entry": ["effect <= 1"],
        "exit": ["base_rate < 1", "effect * base_rate * (1 - deadweight) <= 1 - base_rate"],
    }
    assert set(stated) <= set(KINDS)
    for rule in fields.rules()["outcome"]["exit"]:
        assert rule.why["da"] and rule.why["en"] and rule.why["da"] != rule.why["en"]


#: How a relation of outcome kinds looks when a module writes it out again by hand.
RESTATED = [
    r"effect\W*>\s*1\b",  # an entry's effect at most 1
    r"\(1 - [\w.]*rate\)\s*/",  # the exit's most effect, (1 - rate) / moving
    r"rate\W*>=\s*1\b",  # an exit's base rate below 1
    r"hi=1\.0",  # a lever narrowed by hand
    r'"effect"\)\.resolve\(\)\s*>\s*1\b',  # an entry's effect clamped by hand
]


@pytest.mark.parametrize(
    "module",
    [
        "explorer/model/scenario.py",
        "explorer/catalogue/owncase.py",
        "explorer/catalogue/caseedits.py",
        "explorer/catalogue/casefile.py",
        "explorer/ui/pages/explorer.py",
        "explorer/ui/pages/own_case.py",
        "explorer/ui/live/case_form.py",
    ],
)
def test_no_module_restates_an_outcome_relation(module):
    text = (ROOT / module).read_text(encoding="utf-8")
    for pattern in RESTATED:
        assert not re.search(pattern, text), f"{module} restates {pattern}"


def within(value, bounds) -> bool:
    lo, hi = bounds
    return lo - 1e-9 <= value <= hi + 1e-9


@st.composite
def outcomes(draw):
    """An outcome kind and values of its fields, each on its own grid inside its own range."""
    kind = draw(st.sampled_from(KINDS))
    values = {n: draw(on_grid(OUTCOME_FIELDS[n])) for n in ("base_rate", "effect", "deadweight")}
    return kind, values


@settings(max_examples=300, deadline=None)
@given(outcomes())
def test_outcome_check_link_and_levers_agree_on_every_kind_relation(drawn):
    kind, values = drawn
    preset, key = OF_KIND[kind]
    base = explorer.load_case(preset)
    own = next(o for o in base.outcomes if o.key == key)
    values = {**fields.values(own), **values}
    ok = all(r.holds(values) for r in fields.kind_rules("outcome", kind))
    # the scenario's check: refused exactly when a rule breaks, naming the field and its range
    try:
        made = Outcome("x", "x", "x", kind=kind, **values)
    except FieldError as error:
        assert not ok
        rule = next(r for r in fields.kind_rules("outcome", kind) if not r.holds(values))
        assert error.field.name == rule.names[0]
        assert error.bounds == fields.kind_bounds(error.field, kind, values)
        assert rule.why["en"] in str(error) and rule.why["da"] in error.text("da")
    else:
        assert (
            ok and made.max_effect == fields.kind_bounds(OUTCOME_FIELDS["effect"], kind, values)[1]
        )
    # the narrowed ranges: every field of a rule inside its range exactly when the rules hold
    inside = all(
        within(values[n], fields.kind_bounds(OUTCOME_FIELDS[n], kind, values))
        and not (n == "base_rate" and kind == "exit" and values[n] >= 1)
        for r in fields.kind_rules("outcome", kind)
        for n in r.names
    )
    assert inside is ok
    # a link that carries the values (on the own-case page, which reads facts) drops them unless
    # they fit, with a notice
    query = "&".join(f"{key}.{n}={OUTCOME_FIELDS[n].to_url(values[n])}" for n in values)
    link = links.parse(f"case={preset}&{query}&lang=en", facts=True)
    dropped = [n for n in link.notices if n.kind == "outcome_pair"]
    assert bool(dropped) is not ok
    got = next(o for o in link.scenario.outcomes if o.key == key)
    assert fields.values(got) == (values if ok else fields.values(own))


def assert_outcome_levers_follow_the_rules(form, outcome, cases):
    values = fields.values(outcome)
    narrowed = {"base_rate": form.count, **form.levers}
    for name, lever in narrowed.items():
        lo, hi = fields.kind_bounds(OUTCOME_FIELDS[name], outcome.kind, values)
        scale = cases if lever is form.count else 1.0
        assert (lever.min, lever.max) == pytest.approx((lo * scale, hi * scale)), name


@pytest.mark.parametrize("kind", KINDS)
def test_the_own_case_form_narrows_each_outcome_by_its_kind(kind):
    preset, _ = OF_KIND[kind]
    p = own_case.OwnCasePage(f"case={preset}&lang=en")
    form, outcome = p.outcome_forms[0], p.current.outcomes[0]
    assert_outcome_levers_follow_the_rules(form, outcome, p.current.cases)
    if kind == "entry":
        assert form.levers["effect"].max == 1
    else:  # every stayer moved: (1 - 0.257) / 0.257 with no deadweight
        assert form.levers["effect"].max == pytest.approx(0.743 / 0.257)
        type_into(form.levers["deadweight"], "20")  # fewer movers let the effect rise
        outcome = p.current.outcomes[0]
        assert outcome.deadweight == 0.2
        assert p.outcome_forms[0].levers["effect"].max == pytest.approx(0.743 / 0.257 / 0.8)
        assert_outcome_levers_follow_the_rules(p.outcome_forms[0], outcome, p.current.cases)


@pytest.mark.parametrize("kind", KINDS)
def test_the_explorer_narrows_each_outcome_lever_by_its_kind(kind):
    preset, key = OF_KIND[kind]
    base = explorer.load_case(preset)
    steep = base.replace_outcome(key, effect=2.8) if kind == "exit" else base
    p = explorer_page.Explorer(f"case={preset}&lang=en")
    p.base = steep
    p.build_outcome_levers()
    outcome = next(o for o in steep.outcomes if o.key == key)
    for name in explorer_page.OUTCOME:
        lever = p.levers[f"{key}.{name}"]
        bounds = fields.kind_bounds(OUTCOME_FIELDS[name], kind, fields.values(outcome))
        assert (lever.min, lever.max) == bounds
    if kind == "exit":  # at 2.8 of at most 2.89 the deadweight cannot fall below 0
        assert p.levers[f"{key}.deadweight"].min == 0
        p.base = base.replace_outcome(key, effect=2.8, base_rate=0.27, deadweight=0.2)
        p.build_outcome_levers()
        lo = 1 - (1 - 0.27) / (0.27 * 2.8)  # fewer movers than stayers: a deadweight at least
        assert p.levers[f"{key}.deadweight"].min == pytest.approx(lo)
