"""Every claim loads, runs, has sources, and its verdict agrees with the model's answer."""


import pytest

import explorer
from explorer import catalogue, claims
from explorer.catalogue import CatalogueError


def test_every_claim_runs_and_has_a_source():
    all_claims = claims.claims()
    assert {c.id for c in all_claims} >= {"herning_saved", "aabenraa_halved", "hjoerring_four_years",
                                          "kora_700k", "casa_one_in_five", "treatment_26x",
                                          "wrong_pocket", "bonds_cost_more"}
    for c in all_claims:
        answer = c.answer()
        assert answer.text["da"] and answer.text["en"] and "kr.." not in answer.text["da"]
        assert any(explorer.figure(k).source_url for k in c.evidence), c.id


def test_verdicts_agree_with_the_model():
    for c in claims.claims():
        supports = c.answer().supports
        if c.verdict == "holds":
            assert supports is True, c.id
        elif c.verdict == "cannot_check":
            assert supports is None, c.id
        else:
            assert supports is not False, c.id


def test_casa_answer_is_a_fifth_of_the_gain():
    answer = claims.claim("casa_one_in_five").answer()
    assert "1,7 mio. kr." in answer.text["da"] and "DKK 1.7 m" in answer.text["en"]


def test_unknown_claim_is_named():
    with pytest.raises(ValueError, match="unknown claim 'x'"):
        claims.claim("x")


@pytest.mark.parametrize("old, new, message", [
    ("check: kora_range", "check: guess", "claim kora_700k, check: must be one of"),
    ("verdict: holds\n  verdict_text:\n    da: \"Holder som gengivelse",
     "verdict: true\n  verdict_text:\n    da: \"Holder som gengivelse", "claim kora_700k, verdict"),
    ("evidence: [claims.kora_gain_6_years_low,", "evidence: [nope,", "claim kora_700k, evidence"),
    ("scenario: \"case=aabenraa\"\n  check: kora_range", "scenario: \"case=aabenraa&x=1\"\n  check: kora_range",
     "claim kora_700k, scenario"),
])
def test_malformed_claims_are_named(tmp_path, old, new, message):
    path = tmp_path / "claims.yaml"
    text = (catalogue.DATA_DIR / "claims.yaml").read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        claims.load_claims(path)
