"""Verdicts are computed from the model, the sources and the fit, never typed."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import explorer
from explorer import catalogue
from explorer.analysis import claims
from explorer.analysis.claims import combine, status_of
from explorer.data import files, yamlfile
from explorer.data.figures import PRICE_YEAR_KEY, CatalogueError, convert, price_index
from explorer.model import fields

#: Few draws: these tests check rules, not shares.
FEW = 200


def verdicts():
    return {c.id: claims.default_answer(c.id).verdict for c in claims.claims()}


def test_golden_verdicts_that_rest_on_the_sources():
    """Golden values: today's verdicts of the claims whose verdict a documented figure settles,
    so a refit of the model cannot move them (a documents part that holds makes the claim hold at
    least in part). By hand, casa_one_in_five: Herning needs 192/24 - 192/48 = 4 extra
    caseworkers at DKK 505,868 a year plus 20 % overhead, over 10 years: DKK 24.3 m, or
    DKK 126,000 per case; CASA's DKK 8.5 m (2013 prices) times the CPI rises of 2014-24
    (1.0056 * 1.0045 * ... * 1.014 = 1.2005) is DKK 10.2 m, so 126,000 / 10.2 m = 1.2 % of the
    children must succeed, far below one in five in every draw: holds; 'one in five' itself was
    not found at source: cannot be checked; holds + cannot_check combine to holds_in_part."""
    golden = {
        "herning_saved": "holds_in_part",  # DKK 6.7 m saved is documented; 80 % is not
        "aabenraa_halved": "holds_in_part",  # 499 is documented; half went to other benefits
        "kora_700k": "holds_in_part",  # KORA's figure; budgets alone save less
        "casa_one_in_five": "holds_in_part",  # derived by hand above
        "treatment_26x": "cannot_check",  # the 26 times was not found; no treatment case
    }
    assert {k: v for k, v in verdicts().items() if k in golden} == golden


def test_every_verdict_is_one_of_the_verdicts_and_follows_from_its_parts():
    for c in claims.claims():
        a = claims.default_answer(c.id)
        assert a.verdict in claims.VERDICTS
        assert a.verdict == combine([p.status for p in a.parts], c.universal)


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


LEVERS = ("effect_scale", "discount_rate", "worker_cost")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_away_from_the_preset_no_part_is_by_construction(data):
    """Regression: a part stayed 'by construction' at any settings (Hjørring and Herning at zero
    effect). Away from the preset's fitted inputs every part is checked."""
    c, _ = data.draw(st.sampled_from(_fitted_parts() or [(claims.claims()[0], 0)]))
    preset = explorer.load_case(c.cases()[0])
    name = data.draw(st.sampled_from(LEVERS))
    spec = fields.field("scenario", name)
    value = data.draw(st.floats(spec.lo, spec.hi, allow_nan=False))
    moved = preset.replace(**{name: value})
    if moved == preset:
        return
    answer = claims.answer(c, moved, draws=FEW)
    assert "by_construction" not in {p.status for p in answer.parts}
    for p in answer.parts:
        if p.part.kind == "model":
            assert p.scenario is not None
            if p.scenario.case == moved.case:
                assert claims.fitted_to(p.scenario) == set()


@pytest.mark.parametrize(
    "claim_id, index",
    [
        ("herning_saved", 1),  # the saving exceeded the cost in 2013-15
        ("aabenraa_halved", 1),  # half the group left in a year
        ("hjoerring_four_years", 0),  # the yearly net turns positive after four years
        ("hjoerring_four_years", 1),  # the outlay pays back after four years
    ],
)
def test_at_zero_effect_the_savings_parts_are_contradicted(claim_id, index):
    c = claims.claim(claim_id)
    none = explorer.load_case(c.cases()[0]).replace(effect_scale=0)
    part = claims.answer(c, none, draws=FEW).parts[index]
    assert part.status == "contradicted"
    assert part.supports_here is False


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
    Golden value, by hand: 700,000 (2015) times the CPI rises of 2016-24, 1.0025 * 1.0115 *
    1.0081 * 1.0076 * 1.0042 * 1.0185 * 1.077 * 1.033 * 1.014 = 1.1884, is DKK 831,908 in 2024
    prices."""
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
        assert kora.check_args()["amount"] == pytest.approx(831_908, abs=1)
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
    } <= known


# -- the rest ------------------------------------------------------------------------------------
def test_a_claim_changes_verdict_when_the_model_does():
    c = claims.claim("kora_700k")
    assert claims.answer(c).parts[1].status == "contradicted"
    longer = explorer.load_case("aabenraa").replace_outcome("self_support", duration_years=12)
    assert claims.answer(c, longer).parts[1].status in ("holds", "depends")
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
    path.write_text(text.replace("check: net_over_years", "check: vibes", 1), encoding="utf-8")
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
