"""The model's discipline (docs/model.md, "Validation"): case facts that a link cannot move,
closed groups, and one counterfactual in the fit, the forecast and the check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer
from explorer import evaluate
from explorer.model import fields
from explorer.model.scenario import Outcome, Price, Scenario
from explorer.ui.content import links

PRESETS = explorer.cases()
FACTS = [f for f in fields.group("scenario").values() if f.is_fact]
OUTCOME_FACTS = [f for f in fields.group("outcome").values() if f.is_fact]
LEVERS = [f for f in fields.group("scenario").values() if not f.is_fact]
EPS = 1e-6


def on_grid(f):
    return st.integers(0, int(min((f.hi - f.lo) / f.step, 10_000))).map(lambda k: f.lo + k * f.step)


def test_every_field_has_a_role_and_the_presets_facts_are_the_documented_ones():
    roles = {f.name: f.role for f in fields.group("scenario").values()}
    assert {n for n, r in roles.items() if r == "fact"} == {
        "cases",
        "caseload_before",
        "reference_caseload_before",
        "reference_caseload_after",
        "start_year",
        "services_share",
        "reference_other_cost",
        "trend",
    }
    assert {f.name for f in OUTCOME_FACTS} == {
        "base_rate",
        "effect",
        "duration_years",
        "other_benefit_share",
    }
    assert all(f.role == "fact" for f in fields.group("price").values())
    assert all(f.role == "page" for f in fields.group("page").values())


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PRESETS), st.data())
def test_a_link_to_a_preset_cannot_move_a_case_fact(case, data):
    """Regression: /view/explorer?case=aabenraa&other_cost_per_year=100000&reference_other_cost=
    100000&services_share=1 showed "Aabenraa" at a cost of 0.3 m and a BCR of 454, no notice."""
    preset = explorer.load_case(case)
    f = data.draw(st.sampled_from(FACTS + OUTCOME_FACTS))
    value = data.draw(on_grid(f))
    name = f.url if f.group == "scenario" else f"{preset.outcomes[0].key}.{f.url}"
    link = links.parse(f"case={case}&{name}={value:g}&lang=en")
    assert link.scenario == preset
    notice = next(n for n in link.notices if n.kind == "case_fact")
    assert notice.name == name and "{" not in notice.text("da") + notice.text("en")
    # the own-case page, which says it is no longer the documented case, reads it
    own = links.parse(f"case={case}&{name}={value:g}&lang=en", facts=True)
    assert not [n for n in own.notices if n.kind == "case_fact"]


def test_the_hostile_link_of_the_issue_leaves_aabenraa_as_documented():
    query = (
        "case=aabenraa&caseload_after=55&other_cost_per_year=100000"
        "&reference_other_cost=100000&services_share=1&lang=en"
    )
    link = links.parse(query)
    r = evaluate(link.scenario)
    # no caseload change and a small part of the documented services: a small part of their
    # effect (at a better rate than all of them, as each krone moves a share of those left)
    full = evaluate(explorer.load_case("aabenraa"))
    assert r.total_savings < 0.05 * full.total_savings
    assert r.benefit_cost_ratio is not None and r.benefit_cost_ratio < 454 / 100
    assert {n.name for n in link.notices if n.kind == "case_fact"} == {
        "reference_other_cost",
        "services_share",
    }


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(PRESETS), st.data())
def test_no_lever_buys_the_documented_effect_for_less(case, data):
    """Over every lever of a preset: with no caseload change and no services bought, nothing is
    saved; and the share of the documented programme bought is at most what was paid for."""
    preset = explorer.load_case(case)
    changes = {}
    for f in LEVERS:
        if data.draw(st.booleans()):
            changes[f.name] = data.draw(on_grid(f))
    changes["caseload_after"] = min(
        changes.get("caseload_after", preset.caseload_after), preset.caseload_before
    )
    s = preset.replace(**changes)
    r = evaluate(s.replace(caseload_after=s.caseload_before, other_cost_per_year=0))
    assert abs(r.total_savings) < EPS
    assert r.benefit_cost_ratio in (None, 0) or r.benefit_cost_ratio < EPS


@st.composite
def groups(draw):
    """A scenario with an entry and an exit outcome, over the whole range of their facts."""
    rate = draw(st.floats(0, 0.99))
    exit_rate = draw(st.floats(0, 0.95))
    exit_effect = draw(st.floats(0, 5))
    moving = exit_rate
    most = (1 - exit_rate) / moving if moving > 0 else 5
    price = (Price("p", "p", 100_000),)
    return Scenario(
        cases=draw(st.integers(1, 5000)),
        caseload_before=40,
        caseload_after=draw(st.sampled_from([40, 30, 20, 10, 5])),
        reference_caseload_before=40,
        reference_caseload_after=20,
        horizon_years=draw(st.integers(1, 20)),
        effect_scale=draw(st.floats(0, 3)),
        max_dose=10,
        trend=draw(st.floats(0, 0.5)),
        outcomes=(
            Outcome(
                "entry",
                "e",
                "e",
                base_rate=rate,
                effect=draw(st.floats(0, 1)),
                duration_years=draw(st.floats(1, 30)),
                prices=price,
            ),
            Outcome(
                "out",
                "o",
                "o",
                kind="exit",
                base_rate=exit_rate,
                effect=min(exit_effect, most),
                duration_years=draw(st.floats(1, 30)),
                prices=price,
            ),
        ),
    )


@settings(max_examples=300, deadline=None)
@given(groups())
def test_nobody_is_counted_beyond_the_group(s):
    """Regression: Herning at a 50 % placement rate and 10-year spells counted 607 children in
    care out of 192 (1,427 at 90 % and 30 years). Every year, without and with the change."""
    p = evaluate(s).paths
    group = s.cases * (1 + EPS)
    for a in (p.without, p.people, p.stock, p.at_risk):
        assert (a <= group + EPS).all()
    assert (p.people <= p.without + EPS).all()  # nobody moved who was not in the state
    assert (p.without >= -EPS).all()
    assert (p.new_people <= p.at_risk + EPS).all()


@pytest.mark.parametrize("rate, years", [(0.5, 10), (0.9, 30)])
def test_herning_at_a_high_rate_counts_at_most_its_children(rate, years):
    s = explorer.load_case("herning").replace_outcome(
        "institution", base_rate=rate, duration_years=years
    )
    p = evaluate(s.replace(horizon_years=20)).paths
    assert p.without.max() <= s.cases and p.people.max() <= s.cases


def test_the_forecast_without_the_programme_follows_the_case_trend():
    """Hjørring's fit takes the national fall off its documented savings; the forecast's path
    without the programme falls with the same trend (it stayed at 1,700 every year)."""
    s = explorer.load_case("hjoerring")
    without = evaluate(s).paths.without[0, 0]
    years = np.arange(s.horizon_years)
    start = s.cases * (1 - s.trend) ** years  # on support at each year's start; mid-year:
    assert without == pytest.approx(start * (1 + (1 - s.trend)) / 2)
    flat = evaluate(s.replace(trend=0)).paths.without[0, 0]
    assert flat == pytest.approx(np.full(s.horizon_years, s.cases))


@pytest.mark.parametrize("raw", ["２５", "٢٥", "2５", "25\u0663"])
def test_only_ascii_digits_are_numbers_in_a_link(raw):
    """Regression: caseload_after=２５ (fullwidth) was read as 25 without a notice."""
    link = links.parse(f"case=herning&caseload_after={raw}")
    assert link.scenario.caseload_after == explorer.load_case("herning").caseload_after
    assert [n.kind for n in link.notices] == ["not_number"]


def test_a_fraction_of_a_whole_field_is_told_so_and_a_huge_number_is_clamped():
    link = links.parse("case=herning&horizon_years=2.5&lang=en")
    assert link.scenario.horizon_years == 2
    assert "must be a whole number" in link.notices[0].text("en")
    huge = links.parse("case=herning&caseload_after=" + "9" * 23 + "&lang=en")
    assert huge.scenario.caseload_after == explorer.load_case("herning").caseload_before
    assert next(n.kind for n in huge.notices) == "clamped"  # then to the caseload before


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_held_out_check_is_said_wherever_a_presets_numbers_appear(lang):
    """Aabenraa's only held-out check misses and Herning has none: the explorer said so, but who
    pays, the claims, the downloads (table and charts) rest on the same presets."""
    from explorer.analysis import calibration
    from explorer.data import i18n
    from explorer.outputs import export
    from explorer.ui.pages import claims, how_sure, who_pays

    for case in PRESETS:
        s = explorer.load_case(case)
        checks = export.held_out_checks(s, lang)
        assert checks, case
        texts = [text for text, _ in checks]
        pages: list = [
            who_pays.WhoPays(f"case={case}&lang={lang}"),
            how_sure.HowSure(f"case={case}&lang={lang}&draws=1000"),
        ]
        table = export.header_lines(evaluate(s), lang)
        chart = export.description(s, lang)
        for text in texts:
            for page in pages:
                shown = page.fitted.value.replace("&#x27;", "'").replace("&quot;", '"')
                assert text in shown, type(page).__name__
            assert text in table and text in chart
    verdicts = dict(export.held_out_checks(explorer.load_case("aabenraa"), lang))
    assert list(verdicts.values()) == ["model_below"]
    # beside each total, the programme's own part; Hjørring's bound the trend alone reaches
    part = {"da": "heraf programmet", "en": "of which the programme"}[lang]
    for case in ("aabenraa", "hjoerring"):
        s = explorer.load_case(case)
        [row] = calibration.held_out(case).itertuples()
        money = explorer.figure(row.figure).is_money
        shown = (i18n.millions if money else i18n.number)(row.programme, lang)
        [(text, _)] = export.held_out_checks(s, lang)
        assert f"{part} {shown}" in text
    [(hjoerring, verdict)] = export.held_out_checks(explorer.load_case("hjoerring"), lang)
    alone = {  # the trend alone stays below "more than 1,000": the programme's part is needed
        "da": "programmets egen del skal til for at bestå (uden den viser modellen 784)",
        "en": "the programme's own part is needed to pass (without it the model shows 784)",
    }
    assert verdict == "matches" and alone[lang] in hjoerring
    (none,) = export.held_out_checks(explorer.load_case("herning"), lang)
    assert none[1] == "none"
    body = claims.CheckClaim(f"claim=aabenraa_halved&lang={lang}").body.value
    assert "held-out-model_below" in body


@pytest.mark.parametrize("case", PRESETS)
def test_how_it_works_draws_the_one_counterfactual_as_a_path(case):
    from explorer.ui.content import charts
    from explorer.ui.pages import how_it_works

    page = how_it_works.HowItWorks(f"case={case}&lang=en")
    body = page.chart_inputs["path"][0]
    y = evaluate(explorer.load_case(case)).yearly
    o = explorer.load_case(case).outcomes[0]
    rows = body["data"]["values"]
    without = [r["value"] for r in rows if r["series"].endswith("without the programme")]
    with_ = [r["value"] for r in rows if r["series"].endswith("with the programme")]
    assert without == pytest.approx(y[f"without_{o.key}"].tolist())
    assert with_ == pytest.approx((y[f"without_{o.key}"] - y[f"people_{o.key}"]).tolist())
    assert all(a <= b + EPS for a, b in zip(with_, without))
    assert charts.for_page(body)  # a chart the page can draw


@settings(max_examples=200, deadline=None)
@given(groups(), st.floats(-1, -0.01))
def test_a_harmful_draw_keeps_the_group_closed(s, factor):
    """Regression: a harmful draw (effect multiplier below 0) kept more people on the benefit
    than the group has (Aabenraa 1,155 of 1,008 at -1; up to 116 times the group over 20
    years): those kept on are at most those who would have left anyway."""
    from dataclasses import replace

    from explorer.model import engine

    batch = engine.Batch.of([s])
    p = engine.run(replace(batch, factor=np.full((1, len(s.outcomes)), factor)))
    group = s.cases * (1 + EPS)
    assert (np.abs(p.people) <= group + EPS).all()
    assert (np.abs(p.stock) <= group + EPS).all()
    assert (p.without - p.people <= 2 * group + EPS).all()
    assert np.isfinite(p.net).all()


def test_the_reviews_harmful_aabenraa_draw_stays_within_its_group():
    from dataclasses import replace

    from explorer.model import engine

    s = explorer.load_case("aabenraa").replace(horizon_years=20, programme_years=20)
    p = engine.run(replace(engine.Batch.of([s]), factor=np.array([[-1.0]])))
    assert (p.without - p.people).max() <= 2 * s.cases
    assert (-p.people).max() <= s.cases


def test_extra_caseworkers_in_a_link_set_the_caseload_they_pair_with():
    """Regression: the fields table listed extra_workers as a link parameter, yet a link with it
    was told 'not a known setting'."""
    link = links.parse("case=herning&extra_workers=8&lang=en")
    assert not link.notices
    assert link.scenario.extra_workers == pytest.approx(8)
    assert link.scenario.caseload_after == pytest.approx(192 / (192 / 48 + 8))
    both = links.parse("case=herning&extra_workers=8&caseload_after=30&lang=en")
    assert both.scenario.caseload_after == 30  # the caseload itself wins, and says so
    (notice,) = both.notices  # regression: the extra caseworkers were dropped without a word
    assert notice.kind == "pair_ignored" and "extra_workers=8 (Extra caseworkers)" in notice.text(
        "en"
    )


def test_a_number_with_an_exponent_is_told_how_to_write_it():
    """Regression: caseload_after=1e308 was 'not a number' while 300 was clamped with a notice."""
    link = links.parse("case=herning&caseload_after=1e308&lang=en")
    (notice,) = link.notices
    assert notice.kind == "exponent"
    assert "without an exponent, from 1 to 200" in notice.text("en")
    assert "uden eksponent" in notice.text("da")
    assert link.scenario == explorer.load_case("herning")


@pytest.mark.parametrize(
    "typed, lang, told",
    [
        ("1.2", "da", "skriv 1,2"),
        ("1,2", "en", "write 1.2"),
    ],
)
def test_a_decimal_mark_of_the_other_language_is_told_how_to_write_it(typed, lang, told):
    """Regression: '1.2' typed on a Danish page was told it must be a number from 0 to 3."""
    from explorer.model.fields import FieldError

    f = fields.field("scenario", "effect_scale")
    with pytest.raises(FieldError) as raised:
        f.parse(typed, lang)
    assert raised.value.problem == "decimal" and told in raised.value.text(lang)
    with pytest.raises(FieldError) as thousands:
        f.parse("1.000", "da")
    assert thousands.value.problem == "range"  # 1.000 is a thousand, out of range


def test_the_tornado_draws_no_empty_row_for_an_input_that_does_not_move_the_npv():
    """Regression: Aabenraa's tornado showed an empty 'Wider gain' row while wider gains were not
    counted."""
    from explorer.ui.pages import how_sure

    page = how_sure.HowSure("case=aabenraa&lang=en&draws=1000")
    shown = {r["input"] for r in page.chart_inputs["tornado"][0]["data"]["values"]}
    assert "Off cash benefit: Wider gain" not in shown
    counted = how_sure.HowSure("case=aabenraa&lang=en&draws=1000&wider_gains=1")
    shown = {r["input"] for r in counted.chart_inputs["tornado"][0]["data"]["values"]}
    assert "Off cash benefit: Wider gain" in shown
