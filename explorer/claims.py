"""Debate claims (data/claims.yaml): what the sources say, and the model's answer to each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import catalogue, financing, i18n, links, model, uncertainty
from .catalogue import CatalogueError

VERDICTS = ("holds", "holds_if", "cannot_check")


@dataclass(frozen=True)
class Answer:
    """The model's answer: whether it supports the claim (None: it cannot say), in words."""

    supports: bool | None
    text: dict[str, str]


@dataclass(frozen=True)
class Claim:
    id: str
    claim: dict[str, str]
    said_by: str
    where: str
    evidence: tuple[str, ...]
    scenario: str
    check: str
    verdict: str
    verdict_text: dict[str, str]

    def answer(self) -> Answer:
        return CHECKS[self.check](links.parse(self.scenario).scenario)


def _words(da: str, en: str, **values) -> dict[str, str]:
    """Both languages' sentences, each filled with its own language's numbers."""
    def fill(template, lang):
        return i18n.tidy(template.format(**{k: v[lang] if isinstance(v, dict) else v
                                            for k, v in values.items()}))
    return {"da": fill(da, "da"), "en": fill(en, "en")}


def _m(value: float) -> dict[str, str]:
    return {lang: i18n.millions(value, lang) for lang in i18n.LANGS}


def _pct(value: float) -> dict[str, str]:
    return {lang: i18n.percent(value, lang, 0) for lang in i18n.LANGS}


def savings_exceed_cost(s) -> Answer:
    r = model.evaluate(s)
    return Answer(r.total_savings > r.total_cost, _words(
        "Over {years} år: gevinst {savings}, udgift {cost}, netto {net}.",
        "Over {years} years: savings {savings}, cost {cost}, net {net}.",
        years=s.horizon_years, savings=_m(r.total_savings), cost=_m(r.total_cost),
        net=_m(r.total_savings - r.total_cost)))


def recipients_halved(s) -> Answer:
    f = catalogue.figure
    before, after = f("aabenraa.cases").value, f("aabenraa.documented.recipients_after_one_year").value
    new = model.evaluate(s).yearly.filter(like="new_").iloc[0].sum()
    return Answer(after <= before / 2 + 5, _words(
        "Kilden: {before} blev til {after}. Modellen tilskriver indsatsen {new} ekstra afgange til "
        "selvforsørgelse i det første år.",
        "The source: {before} became {after}. The model credits the programme with {new} extra "
        "exits to self-support in the first year.",
        before={l: i18n.number(before, l) for l in i18n.LANGS},
        after={l: i18n.number(after, l) for l in i18n.LANGS},
        new={l: i18n.number(new, l) for l in i18n.LANGS}))


def payback_within_four_years(s) -> Answer:
    r = model.evaluate(s)
    start = catalogue.case(s.case).start_year
    year = r.payback_year_kommune
    return Answer(year is not None and year <= 3, _words(
        "Modellen: kommunens udgift er tjent hjem {when}.", "The model: the kommune's outlay pays "
        "back {when}.", when={l: i18n.payback(year, start, l) for l in i18n.LANGS}))


def kora_range(s) -> Answer:
    f = catalogue.figure
    low, high = f("claims.kora_gain_6_years_low").value, f("claims.kora_gain_6_years_high").value
    benefit = 6 * f("price.kontanthjaelp_30plus").value
    return Answer(low <= 700_000 <= high, _words(
        "KORA: {low}–{high} over seks år. Til sammenligning sparer seks år uden kontanthjælp "
        "{benefit} i ydelse alene.",
        "KORA: {low}–{high} over six years. For comparison, six years off cash benefit save "
        "{benefit} in benefit alone.",
        low={l: i18n.dkk(low, l) for l in i18n.LANGS}, high={l: i18n.dkk(high, l) for l in i18n.LANGS},
        benefit={l: i18n.dkk(benefit, l) for l in i18n.LANGS}))


def casa_share(s) -> Answer:
    gain = catalogue.figure("claims.casa_gain_per_case").value
    limit = gain * uncertainty.success_share_needed(1, 5)
    return Answer(None, _words(
        "Ét ud af fem rækker, hvis indsatsen koster højst {limit} pr. barn (CASA's {gain} ÷ 5).",
        "One in five is enough if the intervention costs at most {limit} per child (CASA's {gain} "
        "÷ 5).", limit=_m(limit), gain=_m(gain)))


def not_in_model(s) -> Answer:
    return Answer(None, _words("Modellen har ingen sag, der kan efterprøve påstanden.",
                               "The model has no case that can test the claim."))


def state_share(s) -> Answer:
    y = model.evaluate(s).yearly
    share = y["savings_stat"].sum() / y["savings"].sum()
    return Answer(share > 0, _words(
        "Staten får {share} af gevinsten i denne sag, men kommunen betaler hele udgiften.",
        "The state gets {share} of the savings in this case, but the kommune pays all the cost.",
        share=_pct(share)))


def bond_costs_more(s) -> Answer:
    terms = financing.default_terms()
    works = financing.summary(model.evaluate(s), terms).set_index("arrangement")
    fails_s = s.replace(effect_scale=terms.bond_trigger * 0.8)
    fails = financing.summary(model.evaluate(fails_s), terms).set_index("arrangement")
    extra, saved = works.loc["impact_bond", "kommune_extra_cost"], -fails.loc["impact_bond",
                                                                                "kommune_extra_cost"]
    return Answer(extra > 0, _words(
        "Virker indsatsen som dokumenteret, betaler kommunen {extra} mere med obligationen end ved "
        "selv at finansiere (nutidsværdi). Når effekten kun er {low} af den dokumenterede, slipper "
        "den {saved} billigere.",
        "If it works as documented, the kommune pays {extra} more with the bond than financing it "
        "itself (present value). At only {low} of the documented effect it is {saved} better off.",
        extra=_m(extra), saved=_m(saved), low=_pct(terms.bond_trigger * 0.8)))


CHECKS = {f.__name__: f for f in (savings_exceed_cost, recipients_halved, payback_within_four_years,
                                  kora_range, casa_share, not_in_model, state_share,
                                  bond_costs_more)}


def load_claims(path: Path | str) -> list[Claim]:
    """Read and validate a claims file; errors name the file, the claim and the field."""
    path = Path(path)
    raw = catalogue.read_yaml(path)
    if not isinstance(raw, list) or not raw:
        raise CatalogueError(f"{path.name}: must be a list of claims")
    figures, claims = catalogue.figures(), []
    for number, item in enumerate(raw, start=1):
        where = f"{path.name}, claim {item.get('id', number) if isinstance(item, dict) else number}"
        if not isinstance(item, dict):
            raise CatalogueError(f"{where}: must be a mapping")
        for key in ("claim", "verdict_text"):
            if not isinstance(item.get(key), dict) or not all(item[key].get(l) for l in i18n.LANGS):
                raise CatalogueError(f"{where}, {key}: needs a 'da' and an 'en' text")
        for key in ("id", "said_by", "where", "scenario"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise CatalogueError(f"{where}, {key}: missing")
        if item.get("check") not in CHECKS:
            raise CatalogueError(f"{where}, check: must be one of {', '.join(CHECKS)}")
        if item.get("verdict") not in VERDICTS:
            raise CatalogueError(f"{where}, verdict: must be one of {', '.join(VERDICTS)}")
        evidence = item.get("evidence") or []
        missing = [k for k in evidence if k not in figures]
        if not evidence or missing:
            raise CatalogueError(f"{where}, evidence: needs figure keys; unknown: {missing}")
        if links.parse(item["scenario"]).notices:
            raise CatalogueError(f"{where}, scenario: {item['scenario']!r} does not parse cleanly")
        claims.append(Claim(item["id"], item["claim"], item["said_by"], item["where"],
                            tuple(evidence), item["scenario"], item["check"], item["verdict"],
                            item["verdict_text"]))
    ids = [c.id for c in claims]
    if len(set(ids)) != len(ids):
        raise CatalogueError(f"{path.name}: claim ids must be distinct")
    return claims


@lru_cache(maxsize=1)
def claims() -> tuple[Claim, ...]:
    """The claims in data/claims.yaml."""
    return tuple(load_claims(catalogue.DATA_DIR / "claims.yaml"))


def claim(claim_id: str) -> Claim:
    for c in claims():
        if c.id == claim_id:
            return c
    raise ValueError(f"unknown claim {claim_id!r}; choose one of {', '.join(c.id for c in claims())}")
