"""Calibration in the open: the fitted figures are what the fit gives, the documented-versus-model
table is computed from the model, and derived figures follow from their sources."""

import math

import numpy as np
import pytest

import explorer
from explorer import catalogue, evaluate
from explorer.analysis import calibration, uncertainty
from explorer.data import i18n


@pytest.mark.parametrize("case", ["herning", "aabenraa", "hjoerring"])
def test_stored_fitted_figures_are_what_the_fit_gives(case):
    for key, value in calibration.fit(case).items():
        assert explorer.figure(key).grade == "F"
        assert explorer.figure(key).value == pytest.approx(value, abs=5e-4), key


@pytest.mark.parametrize("case", ["herning", "aabenraa", "hjoerring"])
def test_documented_versus_model_table(case):
    c = catalogue.case(case)
    table = calibration.table(case)
    assert len(table) == len(c.documented)
    result = evaluate(c.scenario)
    for row, doc in zip(table.itertuples(), c.documented):
        assert row.documented == pytest.approx(explorer.figure(doc.figure).in_prices)
        without, programme = calibration.parts(result, doc, c)
        assert row.without == pytest.approx(without)
        assert row.model == pytest.approx(without + programme)
        assert row.difference == pytest.approx((row.model - row.documented) / row.documented)
        assert row.role == calibration.role(c, doc)
    # every case has something fitted, and says what to
    assert (table["role"] == "fitted").any()


def test_aabenraa_fit_nets_out_the_exits_that_would_have_happened_anyway():
    """Regression: the fit held 1,008 -> 499 against a group in which nobody leaves, crediting the
    programme with every exit (about 420 after deadweight). Cohort with cohort: at the national
    exit rate 259 of the 1,008 leave anyway, so the programme's own extra exits are about 250."""
    c = catalogue.case("aabenraa")
    f = explorer.figures()
    cases, rate = f["aabenraa.cases"].value, f["dk.kontanthjaelp_exit_rate"].value
    # by hand: 1,008 x (1 - 0.257) = 748.9 would still be on the benefit; 748.9 - 499 = 249.9
    anyway_left = cases * (1 - rate)
    assert anyway_left == pytest.approx(748.9, abs=0.1)
    extra = evaluate(c.scenario).paths.new_people[0, 0, 0]  # moved off in the first year
    assert extra == pytest.approx(anyway_left - 499, abs=1)
    assert 240 <= extra <= 300
    assert c.scenario.outcomes[0].deadweight == 0  # the trend is in the fit; not counted twice


def test_each_fit_counts_what_would_have_happened_anyway_once():
    """Savings rows are before-and-after figures: the model's savings plus what the national trend
    would have saved; the presets' deadweight is 0 so the trend is not taken off twice."""
    for name in explorer.cases():
        c = catalogue.case(name)
        assert c.scenario.trend > 0  # each preset states what would have happened anyway
        assert all(o.deadweight == 0 for o in c.scenario.outcomes)
        result = evaluate(c.scenario)
        for doc in c.documented:
            without, programme = calibration.parts(result, doc, c)
            if doc.measure == "savings_kommune":
                # the trend acts from each year's start: nothing has fallen within the first
                assert 0 <= without < programme
                assert without > 0 or doc.first in (None, c.start_year)
    # Golden value, derived by hand for Herning: a placement-year saves the kommune DKK 1,068,514
    # (docs/model.md). Without the change 192 x 0.0288 = 5.53 children enter care in 2013 (one-year
    # spells); in 2014 the national trend (2.46 % a year) takes 2.46 % off the rate for the 186.47
    # not in care: 0.0288 x 0.0246 x 186.47 = 0.132 fewer entries, 0.066 placement-years at
    # mid-year, x 1,068,514 = 70,600: the same path the forecast uses without the programme.
    h = catalogue.case("herning")
    row = next(d for d in h.documented if d.first == 2014 and d.last == 2014)
    without, _ = calibration.parts(evaluate(h.scenario), row, h)
    assert without == pytest.approx(70_600, rel=0.01)


def test_held_out_checks():
    """Every preset is checked against a documented result it was not fitted to, or says why it
    cannot be; each check's tolerance is its precision by the one error model, and it reports the
    programme's own part beside the model's total."""
    a = calibration.held_out("aabenraa")
    assert list(a["figure"]) == ["aabenraa.documented.savings_10_months"]
    h = calibration.held_out("hjoerring")
    assert list(h["figure"]) == ["hjoerring.documented.people_off_support"]
    assert bool(h["at_least"].iloc[0])  # "more than 1,000"
    assert calibration.held_out("herning").empty and catalogue.case("herning").no_held_out
    # stated in figures.csv before any comparison: an H figure 10 %, an M figure 20 %, each with
    # the model's 20 % in quadrature (not "DKK 9.7 m" to its last digit, ±0.5 %)
    assert a["tolerance"].iloc[0] == pytest.approx(math.hypot(0.1, 0.2))
    assert h["tolerance"].iloc[0] == pytest.approx(math.hypot(0.2, 0.2))  # not 1,000 ± 500
    for rows in (a, h):
        for row in rows.itertuples():
            assert row.programme == pytest.approx(row.model - row.without)
            below = row.difference < (0 if row.at_least else -row.tolerance)
            above = row.difference > row.tolerance and not row.at_least
            expected = "model_below" if below else "model_above" if above else "matches"
            assert row.verdict == expected
    # Aabenraa's miss needs the programme's part to come near; Hjørring's bound needs it too:
    # the trend alone (784) stays below "more than 1,000"
    assert a["programme"].iloc[0] > 2 * a["without"].iloc[0] and not a["without_passes"].iloc[0]
    assert h["without"].iloc[0] < 1000 <= h["model"].iloc[0] and not h["without_passes"].iloc[0]


def test_the_held_out_tolerance_is_the_conditionings_precision():
    """One error model: a documented result's precision is the same whether it conditions the
    draws or checks the model. Herning's H savings (fitted) and Aabenraa's H savings (held out)
    are the same kind of figure and get the same share; and every row's held-out tolerance is
    the standard deviation the draws would be held to, as a share of it."""
    [herning, _] = uncertainty.targets(catalogue.case("herning"))
    aabenraa = calibration.held_out("aabenraa").iloc[0]
    assert herning.sd / herning.documented == pytest.approx(aabenraa["tolerance"])
    for name in explorer.cases():
        case = catalogue.case(name)
        spec = {r.figure: r for r in case.documented}
        for row in calibration.held_out(case).itertuples():
            target = uncertainty.Target(
                spec[row.figure], row.documented, calibration.precision(spec[row.figure])
            )
            assert row.tolerance == pytest.approx(target.sd / row.documented)
        for target in uncertainty.targets(case):
            assert target.precision == calibration.precision(target.row)


def test_the_model_error_is_what_the_presets_fitted_residuals_say():
    """The model's own error (uncertainty.model_error, an assumption) is checked against the
    presets' fits: the residuals over the degrees of freedom left (documented results fitted to
    less the figures fitted), less the documents' own precision in quadrature. Only Herning has
    a degree of freedom (two savings figures, one effect): -18 % and +13 % give about 20 %."""
    excess, dof = 0.0, 0
    for name in explorer.cases():
        case = catalogue.case(name)
        table = calibration.table(case).set_index("figure")
        fitted = [r for r in case.documented if calibration.role(case, r) == "fitted"]
        left = len(fitted) - len(case.fitted(catalogue.figures()))
        if left < 1:  # fitted exactly: nothing left to estimate an error from
            continue
        squares = sum(table.loc[r.figure, "difference"] ** 2 for r in fitted)
        documents = np.mean([calibration.precision(r).documented ** 2 for r in fitted])
        excess += squares - left * documents
        dof += left
    assert dof >= 1
    estimate = math.sqrt(max(excess / dof, 0))
    assert calibration.model_error() == pytest.approx(estimate, abs=0.05)
    assert explorer.figure("uncertainty.model_error").grade == "A"


@pytest.mark.parametrize("scale", [0.03, 0.3])
def test_a_lower_bound_the_model_falls_below_is_reported_with_the_programmes_part(scale):
    """Regression: Hjørring's "more than 1,000" off support was said to match at effect scales
    of 0.03 (model about 800) and 0.3 (about 940), with no word that the trend alone (784) gets
    most of the way. Below the bound it is a miss, and the check reports the programme's part."""
    from explorer.outputs import export

    s = catalogue.case("hjoerring").scenario.replace(effect_scale=scale)
    row = calibration.held_out("hjoerring", s).iloc[0]
    assert row["model"] < 1000 and row["verdict"] == "model_below" and not row["without_passes"]
    assert row["programme"] == pytest.approx(row["model"] - row["without"])
    [(text, verdict)] = export.held_out_checks(s, "en")
    assert verdict == row["verdict"]
    assert f"of which the programme {i18n.number(row['programme'], 'en')}" in text


@pytest.mark.parametrize("scale", [0.03, 0.3])
def test_a_model_below_a_documented_lower_bound_is_a_miss(scale):
    """Regression (issue 25): Hjørring's "more than 1,000" off support matched at effect scales
    of 0.03 (model about 800) and 0.3 (about 940): below a documented lower bound is a miss."""
    s = catalogue.case("hjoerring").scenario.replace(effect_scale=scale)
    check = calibration.held_out("hjoerring", s).iloc[0]
    assert check["model"] < 1000 and check["verdict"] == "model_below"


def test_a_lower_bound_says_it_takes_no_precision_off_and_why():
    """Regression: the check said "the model must reach it, less its precision of 28.3 %" and
    judged with none taken off. The text says the rule the verdict applies, and the reason holds:
    taken off, the trend alone would pass."""
    from explorer.outputs import export

    s = catalogue.case("hjoerring").scenario
    row = calibration.held_out("hjoerring", s).iloc[0]
    alone = (row["without"] - row["documented"]) / row["documented"]
    assert -row["tolerance"] < alone < 0 and not row["without_passes"]
    for lang in ("da", "en"):
        [(text, _)] = export.held_out_checks(s, lang)
        share = i18n.percent(row["tolerance"], lang, 1)
        assert i18n.t("calibration.lower_bound", lang, share=share) in text
    assert "not taken off" in i18n.t("calibration.lower_bound", "en", share="")


def test_a_model_below_a_lower_bound_is_a_miss():
    row = next(r for r in catalogue.case("hjoerring").documented if r.at_least)
    assert calibration.verdict(0.0, row) == "matches"
    assert calibration.verdict(-0.01, row) == "model_below"
    assert calibration.verdict(5.0, row) == "matches"  # above a lower bound is no miss
    # without the national trend, what is left of the 1,000 is the programme's alone: a miss
    s = catalogue.case("hjoerring").scenario.replace(trend=0.0, effect_scale=0.3)
    check = calibration.held_out("hjoerring", s).iloc[0]
    assert check["verdict"] == "model_below" and not check["without_passes"]


def test_a_held_out_check_can_fail_either_way():
    row = catalogue.case("aabenraa").documented[1]
    share = calibration.precision(row).share
    assert calibration.verdict(0.0, row) == "matches"
    assert calibration.verdict(-share - 0.01, row) == "model_below"
    assert calibration.verdict(share + 0.01, row) == "model_above"
    assert calibration.verdict(share - 0.01, row) == "matches"
    # a reader's scenario moves the check: no effect, no extra savings beyond the trend
    s = catalogue.case("aabenraa").scenario.replace(effect_scale=0)
    zero = calibration.held_out("aabenraa", s)
    assert zero["model"].iloc[0] == pytest.approx(zero["without"].iloc[0])
    assert zero["programme"].iloc[0] == pytest.approx(0)
    assert zero["verdict"].iloc[0] == "model_below"


def test_derived_figures_follow_from_their_sources():
    f = explorer.figures()
    assert f["herning.alternative_placement"].value == pytest.approx(
        f["price.institution_placement"].value / 7.7, abs=1
    )
    assert f["herning.cases"].value == 4 * f["herning.caseload_before"].value
    assert f["dk.institution_entry_rate"].value == pytest.approx(
        f["dk.placements_started_2018"].value
        * (1 - f["dk.family_care_share_2018"].value)
        / f["dk.children_with_measures_2019"].value,
        abs=1e-4,
    )
    assert f["dk.placed_children_trend"].value == pytest.approx(
        1 - (f["dk.placed_0_17_2015"].value / f["dk.placed_0_17_2013"].value) ** 0.5, abs=1e-4
    )
    assert f["dk.kontanthjaelp_trend_2015_2018"].value == pytest.approx(
        1 - (1 - f["dk.kontanthjaelp_fall_2015_2018"].value) ** (1 / 3), abs=1e-4
    )
    assert f["dk.kontanthjaelp_exit_rate"].value == pytest.approx(
        f["dk.kontanthjaelp_leavers_2016_2017"].value
        / f["dk.kontanthjaelp_recipients_2016"].value
        * 12
        / 19,
        abs=1e-3,
    )
    for name in ("aabenraa", "hjoerring"):
        s = explorer.load_case(name)
        staff = s.extra_workers * s.cost_per_worker
        per_year = f[f"{name}.programme_cost"].in_prices / f[f"{name}.programme_years"].value
        assert f[f"{name}.other_cost_per_year"].value == pytest.approx(per_year - staff, abs=1)
        # the effect split in proportion to what each part cost at the preset
        assert f[f"{name}.services_share"].value == pytest.approx(
            s.other_cost_per_year / (staff + s.other_cost_per_year), abs=1e-3
        )
        assert s.reference_other_cost == s.other_cost_per_year


def test_every_fitted_figure_names_documented_results_of_its_case():
    for name in explorer.cases():
        c = catalogue.case(name)
        documented = {d.figure for d in c.documented}
        for key, targets in c.fitted(catalogue.figures()).items():
            assert set(targets) <= documented, key
