"""Verdicts are computed from the model, the sources and the fit, never typed."""

import dataclasses
import html
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import explorer
from explorer import catalogue
from explorer.analysis import claims
from explorer.analysis.claims import combine, status_of
from explorer.data import files, yamlfile
from explorer.data.figures import PRICE_YEAR_KEY, CatalogueError, convert, price_index
from explorer.model import engine, fields

#: Few draws: these tests check rules, not shares.
FEW = 200


def verdicts():
    return {c.id: claims.default_answer(c.id).verdict for c in claims.claims()}


def test_golden_statuses_that_rest_on_the_sources():
    """Golden values: what the documents report (a documented figure against the claim's number),
    and the verdicts a documented figure or arithmetic by hand settles, so a refit of the model
    cannot move them. By hand, casa_one_in_five: Herning needs 192/24 - 192/48 = 4 extra
    caseworkers at DKK 505,868 a year plus 20 % overhead, over 10 years: DKK 24.3 m, or
    DKK 126,000 per case; CASA's DKK 8.5 m (2013 prices) times the CPI rises of 2014-24
    (1.0056 * 1.0045 * ... * 1.014 = 1.2005) is DKK 10.2 m, so 126,000 / 10.2 m = 1.2 % of the
    children must succeed, far below one in five in every draw: holds (the model's answer);
    'one in five' itself was not found at source, shown beside."""
    documents = {
        ("herning_saved", "herning.documented.net_savings_2013_2015"): "holds",  # 6.7 m >= 1 m
        ("herning_saved", "aabenraa.documented.savings_10_months"): "holds",  # 9.7 m >= 1 m
        ("aabenraa_halved", "aabenraa.documented.recipients_after_one_year"): "holds",  # 499
        ("kora_700k", "claims.kora_gain_6_years_high"): "holds",  # 760,000 >= 700,000
        ("herning_caseload", "herning.caseload_after"): "holds",  # KORA's 24 <= 25
    }
    found = {
        (c.id, p.part.figure): p.status
        for c in claims.claims()
        for p in claims.default_answer(c.id).documents
        if p.part.figure
    }
    assert {k: found[k] for k in documents} == documents
    golden = {
        "casa_one_in_five": "holds",  # derived by hand above
        "treatment_26x": "cannot_check",  # no model part: no treatment case
        "herning_caseload": "cannot_check",  # the caseload is an input, not a result
        "ds_survey": "cannot_check",  # no measure of job satisfaction
    }
    assert {k: v for k, v in verdicts().items() if k in golden} == golden


def test_every_verdict_is_one_of_the_verdicts_and_follows_from_its_model_parts():
    """Regression: a documents part that held made the claim 'hold in part' whatever the model
    said. The verdict is the model's answer; the documents are shown beside it."""
    for c in claims.claims():
        a = claims.default_answer(c.id)
        assert a.verdict in claims.VERDICTS
        model = [p.status for p in a.parts if p.part.kind == "model"]
        assert a.verdict == combine(model, c.universal)
        assert (a.verdict == "cannot_check") >= (not model)
        assert len(a.model_parts) + len(a.documents) == len(a.parts) == len(c.parts)
        if not model:
            assert c.because is not None and all(c.because.values())


#: Checks whose support says the investment saves money or moves people: at zero effect the
#: model cannot support them.
SAVING_CHECKS = {
    "savings_over_years",
    "state_fall",
    "group_fall",
    "kommune_yearly_net_turns",
    "kommune_pays_back_in",
    "pays_back",
    "returns_times",
}


def _zero(**levers):
    return [explorer.load_case(c).replace(effect_scale=0, **levers) for c in explorer.cases()]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([0.0, 0.035, 0.07]),
    st.floats(300_000, 900_000),
    st.integers(3, 20),
)
def test_at_zero_effect_no_saving_claim_holds_in_any_part(rate, salary, horizon):
    """Regression: at effect_scale 0, herning_saved, aabenraa_halved and kora_700k stayed 'holds
    in part' because their documents' part held. At zero effect, for every preset and other
    settings, every part that says the investment saves money is contradicted at the point values
    and in the draws, and a claim whose model parts all say so is contradicted."""
    zero = _zero(discount_rate=rate, worker_cost=salary, horizon_years=horizon)
    for c in claims.claims():
        if not c.cases():
            continue
        a = claims.answer(c, [s for s in zero if s.case in c.cases()], draws=FEW)
        saving = [p for p in a.model_parts if p.part.check in SAVING_CHECKS]
        for p in saving:
            assert p.status == "contradicted" and not p.supports_here, (c.id, p.part.says["en"])
        if saving and len(saving) == len(a.model_parts):
            assert a.verdict == "contradicted", c.id


# -- "by construction" describes the preset only ------------------------------------------------
def _fitted_parts():
    """(claim, index of part) of every model part that rests on a documented figure."""
    return [
        (c, i)
        for c in claims.claims()
        for i, p in enumerate(c.parts)
        if p.kind == "model" and p.rests_on
    ]


def test_a_part_on_a_fitted_result_is_by_construction_at_the_preset():
    for c, i in _fitted_parts():
        part = claims.default_answer(c.id).parts[i]
        fitted = claims.fitted_to(part.scenario)
        assert part.scenario == explorer.load_case(part.scenario.case)
        assert (part.status == "by_construction") == bool(fitted & set(c.parts[i].rests_on))


def test_the_herning_2013_15_part_does_not_move_with_the_discount_rate():
    """Regression: Herning's 2013-15 saving, an undiscounted sum, went from 'consistent by
    construction' to 'depends (65 %)' when only the discount rate moved."""
    c = claims.claim("herning_saved")
    herning = explorer.load_case("herning")
    at_preset = claims.answer(c, herning, draws=FEW).parts[1]
    assert at_preset.status == "by_construction"
    for rate in (0.0, 0.07):
        part = claims.answer(c, herning.replace(discount_rate=rate), draws=FEW).parts[1]
        assert (part.status, part.values) == (at_preset.status, at_preset.values)


def _unread(part: claims.Part, base) -> list[tuple[str, float, float]]:
    """(lever, lo, hi): each lever ``part``'s check does not read at ``base`` and the range it may
    move in unread: a lever it never reads over its whole range; a year lever of a check on
    calendar years from the check's last year up (it cuts no year the check reads); the dose cap
    from the scenario's dose up."""
    read = claims.reads(str(part.check))
    args = part.check_args()
    out = []
    for lever in claims.LEVERS:
        spec = fields.field("scenario", lever)
        lo, hi = fields.bounds(spec, fields.values(base))
        if lever not in read.levers:
            out.append((lever, lo, hi))
        elif read.window and lever in claims.YEAR_LEVERS:
            needed = args.get("last", base.start_year) - base.start_year + 1
            if max(lo, needed) <= hi:
                out.append((lever, max(lo, needed), hi))
        elif lever == "max_dose":
            dose = engine.log_dose(
                base.caseload_before,
                base.caseload_after,
                base.reference_caseload_before,
                base.reference_caseload_after,
            )
            if max(lo, float(dose)) <= hi:
                out.append((lever, max(lo, float(dose)), hi))
    return out


def _model_parts():
    return [(c, i) for c in claims.claims() for i, p in enumerate(c.parts) if p.kind == "model"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_lever_a_part_does_not_read_never_changes_its_answer(data):
    """Over every claim's model parts and every lever a part's check does not read (claims.READS,
    as the check sees it: the horizon and the programme's years of a check on calendar years past
    its last year, the dose cap above the dose), moved anywhere in that range from the preset or
    from other settings: the part's status, share of draws and numbers stay as they were.
    Regression: Herning's 2013-15 saving went from 'consistent by construction' to 'depends' at a
    horizon of 5 years, a 3-year programme or a dose cap of 3, none of which touch 2013-15."""
    c, i = data.draw(st.sampled_from(_model_parts()))
    part = c.parts[i]
    base = claims.scenario_of(part.scenario or c.scenario)
    assert base is not None
    if data.draw(st.booleans()):  # away from the preset in a lever the part reads
        read = sorted(claims.reads(str(part.check)).levers & {"effect_scale", "optimism_bias"})
        if read:
            base = base.replace(**{read[0]: data.draw(st.sampled_from([0.3, 0.5]))})
    unread = _unread(part, base)
    if not unread:
        return
    lever, lo, hi = data.draw(st.sampled_from(unread))
    spec = fields.field("scenario", lever)
    value = data.draw(st.floats(lo, hi, allow_nan=False))
    value = min(max(round(value), lo), hi) if spec.whole else value
    moved = base.replace(**{lever: value})
    before = claims.answer(c, base, draws=FEW).parts[i]
    after = claims.answer(c, moved, draws=FEW).parts[i]
    assert (after.status, after.share) == (before.status, before.share), (c.id, i, lever, value)
    for key, (v, _) in before.values.items():
        assert after.values[key][0] == pytest.approx(v, rel=1e-9, abs=1e-6, nan_ok=True), key


@pytest.mark.parametrize(
    "lever, value", [("horizon_years", 5), ("programme_years", 3), ("max_dose", 3.0)]
)
def test_herning_saved_does_not_move_with_levers_outside_2013_15(lever, value):
    """Regression: at a 5-year horizon, a 3-year programme or a dose cap of 3 (none of which
    touch 2013-15 at Herning's caseloads) the verdict flipped to 'depends' (78 %), because the
    part on Herning's 2013-15 saving stopped being 'consistent by construction'."""
    c = claims.claim("herning_saved")
    herning = explorer.load_case("herning")
    at_preset = claims.answer(c, herning, draws=FEW)
    moved = claims.answer(c, herning.replace(**{lever: value}), draws=FEW)
    assert moved.verdict == at_preset.verdict
    assert [(p.status, p.share) for p in moved.parts] == [
        (p.status, p.share) for p in at_preset.parts
    ]
    assert moved.parts[1].status == "by_construction"
    # a horizon that cuts the window is read: the part is checked, not by construction
    cut = claims.answer(c, herning.replace(horizon_years=2), draws=FEW)
    assert cut.parts[1].status != "by_construction"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_away_from_the_fit_no_part_is_by_construction(data):
    """Regression: a part stayed 'by construction' at any settings (Hjørring and Herning at zero
    effect). At another effect scale than the preset's the programme is another model, and the
    part is checked."""
    c, i = data.draw(st.sampled_from(_fitted_parts() or [(claims.claims()[0], 0)]))
    part = c.parts[i]
    preset = explorer.load_case((part.scenario or c.scenario or {})["case"])
    spec = fields.field("scenario", "effect_scale")
    moved = preset.replace(effect_scale=data.draw(st.floats(spec.lo, spec.hi, allow_nan=False)))
    if moved == preset:
        return
    answer = claims.answer(c, moved, draws=FEW)
    assert answer.parts[i].status != "by_construction"
    assert answer.parts[i].scenario == moved
    assert claims.fitted_to(moved) == set()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_around_the_fit_a_part_on_its_result_stays_by_construction(data):
    """Regression (hostile review): Herning at a caseload of 23.5 instead of 24, or a staffing ramp
    of 0.99, turned "consistent by construction" into "holds, 100 % of draws", the draws weighted
    by the very savings the effect was fitted to. A lever moved while the fitted figures are in
    use never confirms the result they were fitted to."""
    on_the_fit = [
        (c, i)
        for c, i in _fitted_parts()
        if claims.default_answer(c.id).parts[i].status == "by_construction"
    ]
    c, i = data.draw(st.sampled_from(on_the_fit))
    part = c.parts[i]
    preset = explorer.load_case((part.scenario or c.scenario or {})["case"])
    name = data.draw(st.sampled_from(["caseload_after", "staffing_ramp", "discount_rate"]))
    spec = fields.field("scenario", name)
    lo, hi = fields.bounds(spec, fields.values(preset))
    moved = preset.replace(**{name: data.draw(st.floats(lo, hi, allow_nan=False))})
    scenarios = [moved if s == preset.case else explorer.load_case(s) for s in c.cases()]
    answer = claims.answer(c, scenarios, draws=FEW)
    assert answer.parts[i].scenario == moved
    fitted = claims.fitted_to(moved, part) & set(part.rests_on)
    assert fitted and answer.parts[i].status == "by_construction"


@pytest.mark.parametrize(
    "claim_id, index",
    [
        ("herning_saved", 1),  # Herning's saving exceeded the cost in 2013-15
        ("herning_saved", 2),  # so did Aabenraa's in 2016
        ("herning_saved", 3),  # institutional placements fell by 80 %
        ("aabenraa_halved", 1),  # half the group left in a year
        ("hjoerring_four_years", 0),  # the yearly net turns positive after four years
        ("hjoerring_four_years", 1),  # the outlay pays back after four years
    ],
)
def test_at_zero_effect_the_savings_parts_are_contradicted(claim_id, index):
    c = claims.claim(claim_id)
    answer = claims.answer(c, [s for s in _zero() if s.case in c.cases()], draws=FEW)
    part = answer.parts[index]
    assert part.status == "contradicted"
    assert part.supports_here is False
    assert answer.verdict == "contradicted"


# -- Hjørring's four years ----------------------------------------------------------------------
def test_hjoerrings_four_years_quotes_the_seed_and_the_model_answers_both_readings():
    c = claims.claim("hjoerring_four_years")
    assert "der går fire år, før investeringen for alvor begynder at forrente sig" in c.claim["da"]
    a = claims.default_answer(c.id)
    yearly, cumulative = a.parts[0], a.parts[1]
    assert yearly.part.check == "kommune_yearly_net_turns"
    assert cumulative.part.check == "kommune_pays_back_in"
    for p in (yearly, cumulative):
        assert p.status != "by_construction" and p.share is not None
        assert "2018–19" in p.part.says["en"]
    result = explorer.evaluate(explorer.load_case("hjoerring"))
    years = result.yearly["calendar_year"].tolist()
    first = next((y for y, x in zip(years, result.yearly["net_kommune"]) if x > 0), None)
    payback = result.calendar(result.payback_year_kommune)
    for part, year in ((yearly, first), (cumulative, payback)):
        shown = part.values["year"][0]
        assert shown == year if year is not None else math.isnan(shown)
        assert part.supports_here == (year is not None and 2018 <= year <= 2019)


# -- "always" and "100 per cent" ----------------------------------------------------------------
@given(st.floats(0, 1))
def test_a_strict_claim_that_most_draws_support_is_never_called_contradicted(share):
    strict = status_of(share, strict=True)
    if share >= claims.STRICT:
        assert strict == "holds"
    elif share > claims.MOST:
        assert strict == "mostly"
    elif share <= claims.CONTRADICTED:
        assert strict == "contradicted"
    else:
        assert strict == "depends"
    assert status_of(share) in ("holds", "depends", "contradicted")
    assert (strict == "holds") <= (status_of(share) == "holds")


def test_the_kommune_zero_risk_verdict_says_what_it_rests_on():
    """Regression: '100 % free of risk' was 'contradicted' while 84-98 % of draws supported it.
    Now every part that most draws support says so, and says what the draws against it share."""
    a = claims.default_answer("kommune_zero_risk")
    for p in a.parts:
        assert p.share is not None
        if p.share > claims.MOST:
            assert p.status in ("holds", "mostly")
        if p.status == "mostly":
            assert p.against is not None
            assert 0 <= p.against["harmful"] <= 1
            assert "harmful" in p.text("en") and "skadelig" in p.text("da")
            assert "most" not in p.against or p.against["median"] <= p.against["most"]
    if {p.status for p in a.parts} <= {"holds", "mostly"}:
        assert a.verdict in ("holds", "mostly")


def test_draws_against_a_bond_part_have_weak_savings():
    """The draws where the kommune loses with the bond save less than the point values do."""
    c = claims.claim("kommune_zero_risk")
    for part in c.parts:
        s = claims.scenario_of(part.scenario)
        assert s is not None
        ev = claims.Evaluation.draws(s, 500)
        stat = claims.kommune_never_loses(ev)
        against = claims._against(ev, stat.supports)
        if against and "most" in against:
            assert against["median"] < 1


# -- one price year -----------------------------------------------------------------------------
def test_amounts_from_earlier_years_are_compared_in_the_price_year():
    """Regression: KORA's 2015 kroner and CASA's 2010 kroner were compared with 2024 costs.
    Golden value, by hand: 700,000 (2015) times the CPI rises of 2016-24 (Statistics Denmark's
    annual averages, PRIS113), 1.0025 * 1.0115 * 1.0081 * 1.0076 * 1.0042 * 1.0185 * 1.0770 *
    1.0331 * 1.014 = 1.18856, is DKK 831,989 in 2024 prices."""
    figures = catalogue.figures()
    to, index = int(figures[PRICE_YEAR_KEY].value), price_index(figures)
    for key in ("claims.kora_gain_6_years_low", "claims.kora_gain_6_years_high"):
        assert figures[key].price_year == 2015
    casa = figures["claims.casa_gain_per_case"]
    assert casa.price_year == max(casa.year, min(index))  # the nearest year the index covers
    assert casa.in_prices > casa.value
    kora = claims.claim("kora_700k").parts[1]
    assert kora.price_year == 2015
    assert kora.check_args()["amount"] == pytest.approx(convert(700_000, 2015, to, index))
    if to == 2024:
        assert kora.check_args()["amount"] == pytest.approx(831_989, abs=1)
    text = claims.default_answer("kora_700k").parts[1].text("en")
    assert "2015 prices" in text and f"{to} prices" in text


def test_every_money_figure_and_amount_of_a_claim_has_a_price_year():
    for key, f in catalogue.figures().items():
        if key.startswith("claims.") and ("DKK" in f.unit or "kr." in f.unit_da):
            assert f.is_money, key
    for c in claims.claims():
        for p in c.parts:
            if set(p.args) & set(claims.MONEY_ARGS):
                assert p.price_year is not None, c.id


# -- who said it, where and when; every seed claim accounted for ---------------------------------
def test_every_claim_names_who_where_and_when():
    said: list[claims.Claim | claims.Unchecked] = [*claims.claims(), *claims.unchecked()]
    for c in said:
        assert c.said_by and all(c.where.values()) and all(c.when.values())
        assert c.url is None or c.url.startswith("https://")
    for u in claims.unchecked():
        assert all(u.because.values())


SEEDS = Path("/work/shared/seeds")


def _plain(text: str) -> str:
    for mark in '\u201d\u201c\u00bb\u00ab"':
        text = text.replace(mark, '"')
    return " ".join(text.replace("\u2013", "-").split()).casefold()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed pieces are not on this machine")
def test_every_claim_quotes_its_seed_word_for_word():
    """Each claim's quote is found word for word in a seed piece, and every part names the words
    of that quote it tests (the loader refuses words that are not in the quote), so no part tests
    a claim the seed does not make ('those who left became self-supporting')."""
    seeds = [_plain(f.read_text(encoding="utf-8")) for f in sorted(SEEDS.glob("*.txt"))]
    for c in claims.claims():
        for passage in c.quote:
            assert any(_plain(passage) in seed for seed in seeds), (c.id, passage[:60])
        for p in c.parts:
            if p.kind == "model":
                assert p.words and any(_plain(p.words) in _plain(q) for q in c.quote), c.id
    checks = {p.check for c in claims.claims() for p in c.parts}
    assert "self_supporting_share" not in checks  # not in the seed: it says 'kom væk'
    assert "gejl" in _plain(claims.claim("herning_caseload").said_by)
    assert "20-25 børn per socialrådgiver" in claims.claim("herning_caseload").quote[0]
    assert "arbejdsglæde" in claims.claim("ds_survey").quote[0]


def test_a_part_with_words_not_in_the_quote_is_refused(tmp_path):
    text = files.data_path("claims.yaml").read_text(encoding="utf-8")
    path = tmp_path / "claims.yaml"
    old = 'words: "betød det, at 500 ud af 1000 aktivitetsparate borgere kom væk fra kontanthjælp"'
    assert old in text
    path.write_text(text.replace(old, 'words: "blev selvforsørgende"'), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"claim aabenraa_halved, part 2, words: must be"):
        claims.load_claims(path)


def test_kora_700k_is_judged_from_one_perspective_without_transfers():
    """Regression: the seed says 'samfundet kan spare' (society), and the part added the benefit
    saved (a transfer between pockets, not a gain to society) to KORA's gain. Now it counts
    society's gain only: KORA's gain a year over the person-years the case keeps a person off,
    so doubling the benefit's price changes nothing; it turns exactly where that gain meets the
    claim's amount; and the answer says it is partly circular (half the test is KORA's own) and
    names the duration assumption it rests on."""
    c = claims.claim("kora_700k")
    part = claims.default_answer(c.id).parts[1]
    assert part.part.check == "society_saving_per_person"
    assert "samfundet" in (part.part.words or "")
    assert set(part.values) == {"society", "person_years"}
    society, years = part.values["society"][0], part.values["person_years"][0]
    gain = catalogue.figure("price.kora_gain_per_year").in_prices
    assert society == pytest.approx(years * gain)
    assert part.supports_here == (society >= part.part.check_args()["amount"])
    aabenraa = explorer.load_case("aabenraa")
    ev = claims.Evaluation.point(aabenraa)
    richer = dataclasses.replace(ev, batch=dataclasses.replace(ev.batch, price=ev.batch.price * 2))
    check = claims.CHECKS["society_saving_per_person"]
    assert check(richer, years=6, amount=1.0).values["society"][0][0] == pytest.approx(society)
    for amount, supported in ((society * 0.999, True), (society * 1.001, False)):
        assert bool(check(ev, years=6, amount=amount).supports[0]) is supported
    assert part.part.circular is not None
    assert "circular" in part.text("en") and "cirkulært" in part.text("da")
    assert "Duration" in part.text("en") and "grade A" in part.text("en")


def test_aabenraa_halved_reads_the_fits_own_cohort_rule_and_says_what_turns_it():
    """Regression: the part counted the movers as the stock of the first year (thinned by the
    trend, 228), while the fit's cohort rule says 250 (the trend undone): the same quantity by two
    paths; and it declared no fitted result, though its answer is the fitted 499 through the
    base exit rate. Now it is calibration's own rule, consistent by construction at the preset,
    and it names the base rate as what turns it beside the fit."""
    from explorer.analysis import calibration

    c = claims.claim("aabenraa_halved")
    aabenraa = explorer.load_case("aabenraa")
    case = catalogue.case("aabenraa")
    (row,) = [r for r in case.documented if r.measure == "cohort_after"]
    without, programme = calibration.parts(explorer.evaluate(aabenraa), row, case)
    part = claims.default_answer(c.id).parts[1]
    assert part.values["moved"][0] == pytest.approx(-programme)
    assert part.values["anyway"][0] == pytest.approx(aabenraa.cases - without)
    # the fit reproduces the 499 (within the fit's tolerance), so the movers are 1,008 - 499 less
    # those the base rate takes anyway
    assert without + programme == pytest.approx(499, abs=1)
    assert part.status == "by_construction"
    assert "aabenraa.documented.recipients_after_one_year" in part.part.rests_on
    assert part.turns_on == ("self_support.base_rate",)
    assert "Yearly rate without the change (grade L)" in part.text("en")
    moved = claims.answer(c, aabenraa.replace(effect_scale=1.2), draws=FEW).parts[1]
    assert moved.status != "by_construction" and moved.share is not None


def test_a_part_on_a_fitted_figure_or_an_assumption_says_so():
    """A model part whose check reads a fitted figure (grade F) or an assumption (grade A) names
    it in its answer, with what it was fitted to, and says whether it turns the answer; the
    Herning fall of placements names the fitted effect and the one-year duration it rests on."""
    inputs = {}
    for c in claims.claims():
        for p in claims.default_answer(c.id).model_parts:
            if p.status == "by_construction" or p.scenario is None:
                continue
            for rest in p.rests:
                assert rest.grade in ("F", "A")
                label = claims.input_label(p.scenario, rest.name, "en")
                assert label in p.text("en"), (c.id, rest.name)
                assert claims.input_label(p.scenario, rest.name, "da") in p.text("da")
                inputs[(c.id, rest.name)] = rest
            if p.rests:
                assert "no measurement settles" in p.text("en")
    fall = claims.default_answer("herning_saved").parts[3]
    assert fall.part.check == "state_fall"
    names = {r.name: r.grade for r in fall.rests}
    assert names == {"institution.effect": "F", "institution.duration_years": "A"}
    assert "fitted to: The kommune's savings on placements in 2014" in fall.text("en")
    assert inputs


def test_herning_saved_reads_saved_as_its_sources_count_it():
    """'Sparet millioner' is read as the seeds' sources count it: savings before the programme's
    cost (KORA's 6.7 m for Herning, the 9.7 m in ten months for Aabenraa), not the net after it
    in the first year of Aabenraa's three-year programme. The part the model was fitted to is
    shown as not counted beside the verdict."""
    c = claims.claim("herning_saved")
    checks = [p.check for p in c.parts if p.kind == "model"]
    assert checks == ["savings_over_years", "savings_over_years", "state_fall"]
    a = claims.default_answer(c.id)
    aabenraa = a.parts[2]
    assert aabenraa.values["savings"][0] > aabenraa.part.check_args()["amount"]
    assert [p.part.check for p in a.by_construction] == ["savings_over_years"]
    from explorer.ui.pages import claims as page

    body = page.CheckClaim("claim=herning_saved&lang=en").body.value.split("</h2>", 1)[1]
    shown = html.unescape(body.split("</p>", 1)[0])
    assert "so it cannot check it: Herning: the programme's savings" in shown


def test_rigeligt_is_an_explicit_reading_the_reader_can_move():
    """Regression: 'tjener sig rigeligt hjem' was tested as 'pays for itself' (NPV above zero).
    Every part of the claim reads 'rigeligt' through a named assumption above 1 times the cost;
    a stricter reading is never easier to meet."""
    c = claims.claim("prevention_always_pays")
    assert "rigeligt" in _plain(c.quote[0])
    (reading,) = c.readings()
    assert reading.name == "rigeligt" and reading.value > 1 and reading.lo >= 1
    assert "Antagelse" in reading.note["da"] and "Assumption" in reading.note["en"]
    for p in c.parts:
        assert p.check == "returns_times" and p.args["times"] == "rigeligt"
        assert p.check_args()["times"] == reading.value
    loose = claims.answer(c, readings={"rigeligt": reading.lo}, draws=FEW)
    strict = claims.answer(c, readings={"rigeligt": reading.hi}, draws=FEW)
    for a, b in zip(loose.parts, strict.parts, strict=True):
        assert a.share is not None and b.share is not None and a.share >= b.share
        assert b.part.check_args({"rigeligt": reading.hi})["times"] == reading.hi
    assert f"{reading.hi:g}" in strict.parts[0].text("en")


def test_every_seed_claim_is_a_card_a_context_entry_or_says_why_not():
    known = {
        *(c.id for c in claims.claims()),
        *(c.id for c in claims.context()),
        *(u.id for u in claims.unchecked()),
    }
    assert {
        "social_spending_45bn",
        "herning_follow_up",
        "money_back_several_times",
        "price_of_waiting",
        "warm_hands",
        "effect_needs_scale",
        "addiction_psychiatry",
        "state_shares_risk",
        "too_early",
        "herning_caseload",  # Gejl: at most 20-25 children per social worker
        "ds_survey",  # DS's survey on social workers' job satisfaction
    } <= known


# -- the rest ------------------------------------------------------------------------------------
def test_a_claim_changes_verdict_when_the_model_does():
    c = claims.claim("kora_700k")
    shorter = explorer.load_case("aabenraa").replace_outcome("self_support", duration_years=1)
    assert claims.answer(c, shorter).parts[1].supports_here is False
    # KORA's six years need nearly six years off at KORA's gain a year: a person who stays off
    # for good (30 years on average) at a gain a fifth higher than the low end the case uses
    aabenraa = explorer.load_case("aabenraa")
    prices = tuple(
        dataclasses.replace(p, amount=p.amount * 1.2) if p.kind == "wider" else p
        for p in aabenraa.outcome("self_support").prices
    )
    longer = aabenraa.replace_outcome("self_support", duration_years=30, prices=prices)
    assert claims.answer(c, longer).parts[1].supports_here is True
    c = claims.claim("bonds_cost_more")
    weak = explorer.load_case("aabenraa").replace(effect_scale=0.1)
    assert claims.answer(c, weak).verdict == "contradicted"
    c = claims.claim("wrong_pocket")
    herning = explorer.load_case("herning")
    assert claims.answer(c, herning).parts[0].status == "contradicted"


def test_reader_settings_reach_the_parts_of_their_case_only():
    c = claims.claim("wrong_pocket")
    with pytest.raises(ValueError, match="is about 'aabenraa', not 'herning'"):
        claims.answer(claims.claim("bonds_cost_more"), explorer.load_case("herning"))
    a = claims.answer(c, explorer.load_case("aabenraa").replace(caseload_after=40))
    herning, aabenraa = a.parts[0].scenario, a.parts[1].scenario
    assert herning is not None and aabenraa is not None
    assert aabenraa.caseload_after == 40
    assert herning.caseload_after == explorer.load_case("herning").caseload_after


@pytest.mark.parametrize(
    "statuses, universal, verdict",
    [
        (["holds"], False, "holds"),
        (["holds", "cannot_check"], False, "holds_in_part"),
        (["holds", "contradicted"], False, "holds_in_part"),
        (["holds", "mostly"], False, "mostly"),
        (["mostly", "mostly"], True, "mostly"),
        (["mostly", "cannot_check"], False, "holds_in_part"),
        (["mostly", "depends"], True, "contradicted"),
        (["by_construction", "cannot_check"], False, "by_construction"),
        (["depends", "by_construction"], False, "depends"),
        (["contradicted"], False, "contradicted"),
        (["cannot_check"], False, "cannot_check"),
        (["holds", "depends"], True, "contradicted"),
        (["holds", "holds"], True, "holds"),
    ],
)
def test_combination_rules(statuses, universal, verdict):
    assert combine(statuses, universal) == verdict


def test_every_part_has_words_in_both_languages():
    for c in claims.claims():
        for part in claims.default_answer(c.id).parts:
            da, en = part.text("da"), part.text("en")
            assert da and en and da != en
            assert "{" not in da and "{" not in en


def test_context_figures_have_sources():
    ids = {c.id for c in claims.context()}
    assert {
        "underspend",
        "omprioriteringsbidrag",
        "satspulje",
        "hjoerring_125",
        "elder_care",
        "women",
        "herning_follow_up",
    } <= ids
    for c in claims.context():
        assert explorer.figure(c.figure).source_url.startswith("http")


def test_a_malformed_claims_file_is_named(tmp_path):
    text = files.data_path("claims.yaml").read_text(encoding="utf-8")
    path = tmp_path / "claims.yaml"
    path.write_text(text.replace("check: savings_over_years", "check: vibes", 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"claims.yaml, claim herning_saved, part 2, check"):
        claims.load_claims(path)
    path.write_text(text.replace("page: explorer", "page: nowhere", 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"claim herning_saved, page: must be one of"):
        claims.load_claims(path)
    path.write_text(text.replace("  - id: aabenraa_halved", "  - id: herning_saved", 1))
    with pytest.raises(CatalogueError, match=r"claim herning_saved: the id appears twice"):
        claims.load_claims(path)
    path.write_text(text.replace("price_year: 2015", "price_year: 1980", 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"claim kora_700k, part 2, price_year: must be"):
        claims.load_claims(path)
    path.write_text(text.replace('url: "https://', 'url: "ftp://', 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"claim herning_saved, url: must start with"):
        claims.load_claims(path)
    path.write_text("claims: [\n", encoding="utf-8")
    with pytest.raises(yamlfile.DataError, match=r"claims.yaml, line"):
        claims.load_claims(path)


# -- the claims page ------------------------------------------------------------------------------
def test_the_claims_page_shows_the_verdict_the_documents_beside_it_and_the_reading():
    from explorer.ui.pages import claims as page

    kora = page.CheckClaim("claim=kora_700k&lang=en").body.value
    verdict, rest = kora.split("</h2>", 1)
    beside = rest.split("What the documents report (beside the verdict, not part of it)")[1]
    assert "KORA puts the gain" in beside and "KORA puts the gain" not in verdict
    assert "samfundet i løbet af seks år" in rest  # the seed's words the part tests
    caseload = page.CheckClaim("claim=herning_caseload&lang=da").body.value
    assert "verdict-cannot_check" in caseload.split("</h2>")[0]
    assert "Modellen kan ikke efterprøve påstanden, fordi: Sagstallet er et input" in caseload
    shown = page.CheckClaim("claim=prevention_always_pays&lang=en")
    (lever,) = shown.reading_box.children
    assert lever.value == claims.claim("prevention_always_pays").readings()[0].value
    assert "Assumption without a source" in lever.info_html
    before = shown.body.value
    lever.value = lever.max
    assert shown.body.value != before and "needs at least 3" in shown.body.value


def _page_texts(lang):
    """Each claim's page as its readers see it: the text of every paragraph and list item."""
    from explorer.ui.pages import claims as page

    texts = {}
    for c in claims.claims():
        shown = page.CheckClaim(f"claim={c.id}&lang={lang}")
        chunks = re.split(r"<(?:p|li|h\d|br|blockquote)\b[^>]*>", shown.body.value)
        texts[c.id] = [html.unescape(re.sub(r"<[^>]+>", "", chunk)) for chunk in chunks]
    return texts


#: How each language names a quantity a claim's page gives in per cent: the fall the programme
#: brings in the person-years in the costly state, and the effect on new entries it is fitted at.
QUANTITIES = {
    "da": {
        "person-years": [r"(\d+)\s?%\sfærre\spersonår", r"[Mm]odellens\sfald\spå\s(\d+)\s?%"],
        "effect": [r"[Mm]odellens\seffekt,\s(\d+)\s?%\sfærre\snye"],
    },
    "en": {
        "person-years": [r"(\d+)\s?%\sfewer\sperson-years", r"[Mm]odel's\sfall\sof\s(\d+)\s?%"],
        "effect": [r"[Mm]odel's\seffect,\s(\d+)\s?%\sfewer\snew"],
    },
}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_percentage_of_one_quantity_on_a_claims_page_is_one_number(lang):
    """A fall in person-years and the fitted effect behind it are two numbers (61 % and 62 % on
    Herning's claim): the page names each, and never gives one quantity two values."""
    effect = round(100 * explorer.figure("herning.institution_effect").value)
    for claim_id, chunks in _page_texts(lang).items():
        text = " ".join(chunks)
        for quantity, patterns in QUANTITIES[lang].items():
            shown = {int(n) for p in patterns for n in re.findall(p, text)}
            assert len(shown) <= 1, (claim_id, quantity, shown)
            if quantity == "effect" and shown:
                assert shown == {effect}, (claim_id, shown)
    herning = " ".join(_page_texts(lang)["herning_saved"])
    assert all(re.search(p, herning) for p in (q[0] for q in QUANTITIES[lang].values()))


#: Abbreviations and ordinals whose full stop ends no sentence ('mio. kr.', 'hver 3. måned').
_NOT_AN_END = "".join(
    rf"(?<!\b{a})"
    for a in (
        "kr",
        "mio",
        "mia",
        "pr",
        "ca",
        "nr",
        "adm",
        "dvs",
        "pct",
        "vs",
        "bn",
        r"i\.e",
        r"e\.g",
    )
)
_BAD_STOPS = re.compile(r"\.\.|[»«“”]\.\.|\. –|(?<!\d)" + _NOT_AN_END + r"\. +[a-zæøå]")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_claims_page_ends_each_sentence_once_and_starts_the_next_with_a_capital(lang):
    """A part's words set into a sentence ('Not counted in the verdict: …') keep one full stop,
    with no dash or lower case after it."""
    for claim_id, chunks in _page_texts(lang).items():
        for chunk in chunks:
            bad = _BAD_STOPS.search(chunk)
            assert bad is None, (claim_id, chunk[max(0, bad.start() - 60) : bad.end() + 20])
