"""Verdicts are computed from the model, the sources and the fit, never typed."""

import pytest

import explorer
from explorer import claims, files, yamlfile
from explorer.claims import combine
from explorer.figures import CatalogueError


def verdicts():
    return {c.id: claims.default_answer(c.id).verdict for c in claims.claims()}


def test_the_current_verdicts():
    assert verdicts() == {
        "herning_saved": "holds_in_part",  # documented savings; 80 % not found
        "aabenraa_halved": "holds_in_part",  # a count, but half went to other benefits
        "hjoerring_four_years": "by_construction",  # the savings were fitted to the expectation
        "kora_700k": "holds_in_part",  # KORA's figure; budgets alone save less
        "casa_one_in_five": "holds_in_part",
        "treatment_26x": "cannot_check",
        "wrong_pocket": "holds_in_part",  # true for the benefit cases, not Herning
        "bonds_cost_more": "depends",  # on the terms
        "prevention_always_pays": "contradicted",  # 'always' fails in some draws
        "kommune_zero_risk": "contradicted",  # costs after the contract, and harm, stay
    }


def test_a_claim_changes_verdict_when_the_model_does():
    c = claims.claim("kora_700k")
    assert claims.answer(c).parts[1].status == "contradicted"
    longer = explorer.load_case("aabenraa").replace_outcome("self_support", duration_years=12)
    assert claims.answer(c, longer).parts[1].status in ("holds", "depends")
    c = claims.claim("bonds_cost_more")
    assert claims.answer(c).verdict == "depends"
    weak = explorer.load_case("aabenraa").replace(effect_scale=0.1)
    assert claims.answer(c, weak).verdict == "contradicted"
    c = claims.claim("wrong_pocket")
    herning = explorer.load_case("herning")
    assert claims.answer(c, herning).parts[0].status == "contradicted"


def test_a_claim_on_a_fitted_result_is_consistent_by_construction_at_any_settings():
    c = claims.claim("hjoerring_four_years")
    slower = explorer.load_case("hjoerring").replace(effect_scale=0.2)
    a = claims.answer(c, slower)
    assert a.parts[0].status == "by_construction"
    assert a.parts[0].supports_here is False  # and it says it no longer holds with these


def test_reader_settings_reach_the_parts_of_their_case_only():
    c = claims.claim("wrong_pocket")
    with pytest.raises(ValueError, match="is about 'aabenraa', not 'herning'"):
        claims.answer(claims.claim("bonds_cost_more"), explorer.load_case("herning"))
    a = claims.answer(c, explorer.load_case("aabenraa").replace(caseload_after=40))
    assert a.parts[1].scenario.caseload_after == 40
    assert a.parts[0].scenario.caseload_after == explorer.load_case("herning").caseload_after


@pytest.mark.parametrize(
    "statuses, universal, verdict",
    [
        (["holds"], False, "holds"),
        (["holds", "cannot_check"], False, "holds_in_part"),
        (["holds", "contradicted"], False, "holds_in_part"),
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
    path.write_text("claims: [\n", encoding="utf-8")
    with pytest.raises(yamlfile.DataError, match=r"claims.yaml, line"):
        claims.load_claims(path)
