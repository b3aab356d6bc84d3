"""The outside check (explorer/analysis/external.py): studies abroad configured from sourced or
graded figures, predictions computed by the engine from the presets' fitted effects, tolerances
fixed by the data before any comparison, verdicts that can fail, the table in docs/model.md and on
How the model works, and the evidence-based effect for an own case."""

from __future__ import annotations

import dataclasses
import inspect
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer
from explorer import catalogue
from explorer.analysis import external
from explorer.data import files, i18n, yamlfile
from explorer.model import engine

ROOT = Path(__file__).resolve().parent.parent
STUDIES = external.load_studies()
GERMANY, AUSTRIA = STUDIES["hainmueller2016"], STUDIES["boeheim2023"]


def raw_studies() -> dict:
    return yamlfile.parse(files.data_path("studies.yaml").read_text("utf-8"), "studies.yaml")


def used_figures(study: external.Study) -> set[str]:
    keys = set(study.sources.values())
    for pub in study.published:
        keys |= {pub.figure} | ({pub.se_figure} if pub.se_figure else set())
    return keys


def test_every_figure_a_study_uses_has_a_source_or_says_it_is_an_assumption():
    for study in STUDIES.values():
        for key in used_figures(study):
            f = explorer.figure(key)
            assert f.grade != "F", (key, "a study's figure must not be fitted to anything")
            if f.grade == "A":
                said = f.note.lower()
                assert any(w in said for w in ("assumption", "stand-in", "a choice")), key
            else:
                assert f.source_url.startswith("http"), key
    # the studies' own results come from the papers (grade H), none is assumed
    for study in STUDIES.values():
        for pub in study.published:
            assert explorer.figure(pub.figure).grade == "H", pub.figure


def test_the_tolerance_is_fixed_by_the_data_before_any_comparison():
    raw = raw_studies()
    for key, study in STUDIES.items():
        for pub, row in zip(study.published, raw[key]["published"], strict=True):
            value = explorer.figure(row["figure"]).value
            if "window" in row:
                assert pub.band == tuple(row["window"])
            else:  # the study's own standard error, from figures.csv
                se = explorer.figure(row["se"]).value
                assert pub.band == pytest.approx((value - 2 * se, value + 2 * se))
                assert row["within_se"] == 2
            assert pub.band[0] <= value <= pub.band[1]
    # a verdict sees only the prediction and the band, and the band is the same whatever the model
    assert list(inspect.signature(external.verdict).parameters) == ["predicted", "band"]
    ref = explorer.load_case("aabenraa")
    key = next(o.key for o in ref.outcomes if o.kind == "exit")
    half = ref.replace_outcome(key, effect=ref.outcome(key).effect / 2)
    a, b = external.compare(), external.compare(presets=(half,))
    for col in ("low", "high"):
        assert set(a[col]) == set(b[col])


def test_the_tolerances_say_what_the_docs_say():
    """Two standard errors for the trial; 6 to 18 months for a payback 'after about ten months'."""
    (payback,) = GERMANY.published
    assert payback.band == (6, 18) and payback.value == 10
    days = next(p for p in AUSTRIA.published if p.measure == "days_unemployed")
    assert days.band == (-36 - 2 * 4, -36 + 2 * 4)


@pytest.mark.parametrize("preset", external.PRESETS)
def test_first_year_exits_are_the_engines_dose_rule_by_hand(preset):
    """The prediction is computed: 1 − (1 − m)^steps of those who would stay, with steps the
    caseload part of the preset's effect at the study's log dose (docs/model.md, section 3)."""
    ref = explorer.load_case(preset)
    source = next(o for o in ref.outcomes if o.kind == "exit")
    rows = external.compare(presets=(preset,))
    for study in (GERMANY, AUSTRIA):
        r = study.base_rate
        dose = math.log(study.caseload_before / study.caseload_after) / math.log(
            ref.reference_caseload_before / ref.reference_caseload_after
        )
        steps = (1 - ref.services_share) * min(dose, ref.max_dose)
        moved = min(source.moved_share(), 1 - engine.MOVED_CAP)  # the preset's own moved share
        s = external.scenario(study, preset, "moved")
        by_hand = (1 - (1 - moved) ** steps) * (1 - r)
        assert s.outcomes[0].moved_share() == pytest.approx(moved, rel=1e-9)
        result = explorer.evaluate(s)
        assert external.exits_first_year(result, study) == pytest.approx(by_hand, rel=1e-9)
        # days out of unemployment follow from the same people, year by year
        assert external.days_unemployed(result, study) == pytest.approx(
            -365 * result.paths.people[0].sum() / s.cases
        )
    austria = rows[(rows.study == "boeheim2023") & (rows.measure == "exits_first_year")]
    assert set(austria.reading) == set(external.READINGS)


def test_the_effect_as_entered_cannot_move_more_than_those_who_would_stay():
    """Read as a relative rise in exits, a preset's effect at a base rate of 53 % can exceed what
    the group allows; the prediction is then everyone who would stay, and no more."""
    for preset in external.PRESETS:
        source = next(o for o in explorer.load_case(preset).outcomes if o.kind == "exit")
        s = external.scenario(AUSTRIA, preset, "entered")
        target = s.outcomes[0]
        assert target.effect == min(source.effect, target.max_effect)
        share = external.exits_first_year(explorer.evaluate(s), AUSTRIA)
        assert 0 < share <= 1 - AUSTRIA.base_rate + 1e-9


def test_a_weaker_preset_effect_predicts_a_smaller_change():
    ref = explorer.load_case("hjoerring")
    key = next(o.key for o in ref.outcomes if o.kind == "exit")
    weaker = ref.replace_outcome(key, effect=ref.outcome(key).effect / 4)
    full, quarter = (
        external.compare(presets=(p,)).set_index(["figure", "reading"]) for p in (ref, weaker)
    )
    days = ("study.at.days_unemployed", "moved")
    assert quarter.loc[days, "model"] > full.loc[days, "model"]  # fewer days saved (less negative)
    months = ("study.de.payback_months", "moved")
    assert (
        math.isnan(quarter.loc[months, "model"])
        or quarter.loc[months, "model"] > full.loc[months, "model"]
    )


def with_published(study: external.Study, value: float, se: float) -> external.Study:
    pub = next(p for p in study.published if p.measure == "days_unemployed")
    made_up = dataclasses.replace(pub, value=value, se=se, band=(value - 2 * se, value + 2 * se))
    return dataclasses.replace(study, published=(made_up,))


def test_a_published_figure_far_from_the_model_gets_a_verdict_against_it():
    """The verdict can fail: the same prediction is 'model above' a made-up result of 2,000 fewer
    days and 'model below' one of 500 more; and the real one gets one of the three words."""
    far_down = external.compare({"x": with_published(AUSTRIA, -2000, 10)}, ("aabenraa",))
    far_up = external.compare({"x": with_published(AUSTRIA, 500, 10)}, ("aabenraa",))
    assert set(far_down.verdict) == {"model_above"}
    assert set(far_up.verdict) == {"model_below"}
    assert set(external.table().verdict) - {""} <= set(external.VERDICTS)
    assert external.verdict(5.9, (6, 18)) == "model_below"
    assert external.verdict(18.1, (6, 18)) == "model_above"
    assert external.verdict(None, (6, 18)) == "model_above"  # not within the horizon
    assert external.verdict(6, (6, 18)) == external.verdict(18, (6, 18)) == "matches"


def test_payback_months_by_hand_within_the_first_year():
    """Costs evenly, savings with the people out rising from 0: the cumulative net is
    S·f² − C·f in year 0, so it pays back after 12·C/S months when S > C."""
    result = explorer.evaluate(external.scenario(GERMANY, "aabenraa", "entered"))
    cost, savings = result.paths.cost[0, 0], result.paths.savings[0, 0]
    assert savings > cost  # the saturated effect pays within the year
    assert external.payback_months(result) == pytest.approx(12 * cost / savings, abs=0.02)


def test_a_programme_that_never_pays_back_has_no_payback_month():
    dear = dataclasses.replace(GERMANY, numbers={**GERMANY.numbers, "worker_cost": 250_000})
    result = explorer.evaluate(external.scenario(dear, "hjoerring", "moved"))
    assert result.paths.net[0].sum() < 0
    assert external.payback_months(result) is None


@settings(max_examples=25, deadline=None)
@given(st.floats(1.0, 3.0))
def test_a_caseload_above_the_fields_range_keeps_every_per_person_measure(factor):
    """The Austrian 250 is above the caseload field's range: the case is scaled with its group,
    which keeps the ratio the dose reads and every per-person measure."""
    numbers = {
        **GERMANY.numbers,
        **{k: GERMANY.numbers[k] * factor for k in ("cases", "caseload_before", "caseload_after")},
    }
    bigger = dataclasses.replace(GERMANY, numbers=numbers)
    for reading in external.READINGS:
        a, b = (
            explorer.evaluate(external.scenario(s, "hjoerring", reading)) for s in (GERMANY, bigger)
        )
        for measure in ("exits_first_year", "days_unemployed", "benefits"):
            assert external.MEASURES[measure](b, bigger) == pytest.approx(
                external.MEASURES[measure](a, GERMANY), rel=1e-9
            )


def test_every_published_result_is_in_the_table_once_per_preset_and_reading():
    rows = external.table()
    for study in STUDIES.values():
        for pub in study.published:
            mine = rows[rows.figure == pub.figure]
            expected = 1 if pub.measure == "none" else len(external.PRESETS) * 2
            assert len(mine) == expected, pub.figure
            if pub.measure != "none":
                assert mine.model.notna().any()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_how_it_works_shows_predicted_against_published(lang):
    from explorer.ui.pages import how_it_works

    page = how_it_works.HowItWorks(f"case=aabenraa&lang={lang}")
    shown = page.external.value
    assert i18n.t("external.title", lang) in shown
    for row in external.table().itertuples():
        assert external.shown(row.measure, row.published, lang) in shown
        if row.measure != "none":
            cell = (
                f"{external.shown(row.measure, row.model, lang)}, "
                f"{i18n.t(f'external.{row.verdict}', lang)}"
            )
            assert cell in shown, cell
    for study in STUDIES.values():
        assert study.name[lang] in shown


def test_a_malformed_study_is_named():
    text = files.data_path("studies.yaml").read_text("utf-8")
    with pytest.raises(yamlfile.DataError, match="the tolerance needs"):
        external.load_studies(text.replace("window: [6, 18]", "note: none"))
    with pytest.raises(yamlfile.DataError, match="must hold the published value"):
        external.load_studies(text.replace("window: [6, 18]", "window: [12, 18]"))
    with pytest.raises(yamlfile.DataError, match=r"no figure 'study\.at\.nowhere'"):
        external.load_studies(text.replace("study.at.cases", "study.at.nowhere"))
    with pytest.raises(yamlfile.DataError, match="unknown measure"):
        external.load_studies(text.replace("measure: benefits", "measure: happiness"))


# -- the evidence-based effect ---------------------------------------------------------------------


def test_the_evidence_pools_the_presets_and_the_trial_and_says_so():
    e = external.evidence()
    kinds = {s.name: s.kind for s in e.sources}
    assert kinds == {"aabenraa": "fitted", "hjoerring": "fitted", "boeheim2023": "randomised"}
    values = [s.per_log for s in e.sources]
    assert min(values) <= e.per_log <= max(values)
    assert e.low < e.per_log < e.high
    for lang in i18n.LANGS:
        label = e.label(lang)
        assert label.startswith(i18n.t("external.evidence", lang, sources="")[:20])
        assert AUSTRIA.short in label and "Aabenraa" in label


@pytest.mark.parametrize("preset", external.PRESETS)
def test_a_presets_source_is_its_fitted_effect_at_its_own_change(preset):
    """The engine, at the preset's reference change with no services bought, moves the share
    1 − (after/before)^per_log of the caseload part of its effect in the first year."""
    s = explorer.load_case(preset).replace(
        other_cost_per_year=0, phase_in_years=0, staffing_ramp=1, effect_scale=1
    )
    s = s.replace(caseload_before=s.reference_caseload_before)
    s = s.replace(caseload_after=s.reference_caseload_after)
    k = next(i for i, o in enumerate(s.outcomes) if o.kind == "exit")
    rate = s.outcomes[k].base_rate
    moved = explorer.evaluate(s).paths.new_people[0, k, 0] / (s.cases * (1 - rate))
    per_log = external.preset_source(preset).per_log
    expected = 1 - (s.reference_caseload_after / s.reference_caseload_before) ** per_log
    assert moved == pytest.approx(expected, rel=1e-9)


def test_the_trials_source_reproduces_its_published_exits():
    source = external.study_source(AUSTRIA)
    assert source is not None
    pub = next(p for p in AUSTRIA.published if p.measure == "exits_first_year")
    moved = 1 - (AUSTRIA.caseload_after / AUSTRIA.caseload_before) ** source.per_log
    assert moved * (1 - AUSTRIA.base_rate) == pytest.approx(pub.value)
    assert external.study_source(GERMANY) is None  # a payback gives no effect size


@settings(max_examples=40, deadline=None)
@given(
    st.floats(10, 200),
    st.floats(0.2, 0.95),
    st.floats(0.05, 0.8),
)
def test_an_own_case_with_the_evidence_effect_moves_what_the_evidence_says(before, cut, rate):
    """Entered at the own case's change (its own reference, no services), the evidence effect
    moves 1 − (after/before)^per_log of those who would stay in the first year, and its spread
    brackets it."""
    after = before * cut
    e = external.evidence()
    central, low, high = e.effect(before, after, rate)
    assert 0 <= low <= central <= high
    most = explorer.model.fields.field("outcome", "effect").hi
    if central == most:  # held at the field's top: a low base rate and a deep cut
        assert e.moved(before, after)[0] * (1 - rate) / rate > most
        return
    own = explorer.Scenario(
        cases=1000,
        caseload_before=before,
        caseload_after=after,
        reference_caseload_before=before,
        reference_caseload_after=after,
        services_share=0,
        outcomes=(
            explorer.Outcome("jobs", "Job", "Jobs", base_rate=rate, effect=central, kind="exit"),
        ),
    )
    moved = explorer.evaluate(own).paths.new_people[0, 0, 0] / (1000 * (1 - rate))
    assert moved == pytest.approx(1 - cut**e.per_log, rel=1e-9)
    assert e.effect(before, before, rate) == (0.0, 0.0, 0.0)


def test_pooling_widens_the_spread_when_sources_disagree():
    same = external.pool(tuple(external.Source(str(i), "fitted", 0.2, 0.1) for i in range(3)))
    assert same.per_log == pytest.approx(0.2) and same.tau == 0
    apart = external.pool(
        (external.Source("a", "fitted", 0.05, 0.05), external.Source("b", "fitted", 0.5, 0.05))
    )
    assert apart.tau > 0 and apart.low < 0.05 and apart.high > 0.5


def test_the_presets_names_in_the_tables_are_the_catalogues():
    for preset in external.PRESETS:
        name = catalogue.case(preset).title["en"].split(":")[0]
        assert name in external.markdown()
