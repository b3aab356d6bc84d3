"""How a reader's own case changes as the form edits it, kept consistent: an outcome of the
other kind, a price with the reader's own amount, the references and the services' share that
follow the reader's own figures, and the evidence-based effect of an exit the reader left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from explorer import catalogue
from explorer.catalogue.owncase import (
    REFERENCE_PAIR,
    REFERENCES,
    OutcomeSpec,
    OwnCase,
    PriceSpec,
    Value,
    is_evidence,
    new_outcome,
    place_units,
    same,
    standard_price,
)
from explorer.data import i18n
from explorer.model import fields
from explorer.model.scenario import cost_per_worker, extra_workers_for

#: The reader's own values and the references the effect was measured at. While a reference is
#: the reader's own number (or its field's placeholder default) equal to the own value, the
#: effect is measured at the reader's own change and the reference follows the own value.
FOLLOWS = {own: ref for ref, own in REFERENCES.items()}
#: The evidence-based exit effect at a reference change (before, after) and a base rate, with its
#: sources and spread in the note. It is pooled in ``explorer.analysis.external``, a layer above
#: the catalogue, so the page passes it in.
EvidenceEffect = Callable[[float, float, float], Value]
#: What the services' share of the effect by its rule depends on.
RULE_INPUTS = (
    "cases",
    "caseload_before",
    "caseload_after",
    "worker_cost",
    "overhead",
    "other_cost_per_year",
)


def with_kind(o: OutcomeSpec, kind: str) -> OutcomeSpec:
    """The outcome as the other kind; the old kind's defaults become the new kind's."""
    old = new_outcome(o.kind, o.key)
    new = new_outcome(kind, o.key)
    values = dict(o.values)
    if o.value("base_rate") == old.values["base_rate"]:
        values["base_rate"] = new.values["base_rate"]
    if is_evidence(o.value("effect")) or o.value("effect") == old.values["effect"]:
        values["effect"] = new.values["effect"]  # evidence there is for exits only
    units = place_units()
    for name, value in o.values.items():  # a figure of the old kind is no figure of the new
        if value.figure and catalogue.figure(value.figure).unit not in units.get(
            ("outcome", kind, name), ()
        ):
            values[name] = new.value(name)
    if kind == "entry":
        values.pop("other_benefit_share", None)
    resolved = {n: replace(o, values=values).value(n).resolve() for n in fields.group("outcome")}
    most = fields.kind_bounds(fields.field("outcome", "effect"), kind, resolved)[1]
    if resolved["effect"] > most:  # the new kind's relations (fields.yaml) allow less
        values["effect"] = Value(most)
    prices = o.prices
    if prices and prices[0].amount == old.prices[0].amount:
        prices = (new.prices[0], *prices[1:])
    label = new.label if o.label == old.label else o.label
    return replace(o, kind=kind, label=label, values=values, prices=prices)


def own_amount(price: PriceSpec) -> PriceSpec:
    """A price with the reader's own amount (the amount it had): its payers keep their rule and
    shares, a placement's refusion now reckoned on the own amount; a wider gain becomes the
    kommune's own budget price."""
    amount = Value(number=price.amount.resolve())
    if price.kind != "budget":
        return replace(standard_price(amount), sign=price.sign)
    payers = {
        payer: replace(share, value=amount) if share.rule == "high_cost_refusion" else share
        for payer, share in price.payers.items()
    }
    label = {lang: i18n.t("own_case.prices.own", lang) for lang in i18n.LANGS}
    return replace(price, label=label, amount=amount, payers=payers)


# -- what follows the reader's own figures ---------------------------------------------------------
def follows(own: OwnCase, name: str) -> bool:
    """True while the reference of own value ``name`` (see FOLLOWS) is the reader's own number or
    its field's placeholder default, equal to the own value: the effect is measured at the
    reader's own change. A catalogue figure (a preset's measured change) never follows."""
    ref = own.lever(FOLLOWS[name])
    placeholder = fields.field("scenario", FOLLOWS[name]).default
    return (not ref.figure or ref.figure == placeholder) and same(
        ref.resolve(), own.lever(name).resolve()
    )


def rule_notes() -> set[str]:
    """The note of a services' share set by its rule, in every language."""
    return {i18n.t("own_case.services_rule_note", lang) for lang in i18n.LANGS}


def follows_rule(own: OwnCase) -> bool:
    """True while the services' share of the effect is its field's placeholder default or the
    value of its rule (``services_rule``), not a number the reader chose."""
    share = own.lever("services_share")
    default = fields.field("scenario", "services_share").default
    return share.figure == default or (not share.figure and share.note in rule_notes())


def services_rule(own: OwnCase) -> float:
    """The services' share of the effect by the own case's rule, an assumption: what they cost
    as a share of what the programme costs a year, other costs / (staff cost + other costs)."""
    n = {name: own.lever(name).resolve() for name in RULE_INPUTS}
    extra = extra_workers_for(n["cases"], n["caseload_before"], n["caseload_after"])
    staff = max(extra, 0.0) * cost_per_worker(n["worker_cost"], n["overhead"])
    other = n["other_cost_per_year"]
    return other / (staff + other) if other > 0 else 0.0


def carried(before: OwnCase, after: OwnCase, lang: str) -> OwnCase:
    """The form's case ``after`` with what follows the reader's figures carried along from
    ``before``: a reference that followed an own value takes the value's change, and a services'
    share that follows its rule takes the rule's value when what it depends on changed."""
    levers = dict(after.levers)
    for name, ref in FOLLOWS.items():
        moved = not same(after.lever(name).resolve(), before.lever(name).resolve())
        if moved and follows(before, name) and after.lever(ref) == before.lever(ref):
            levers[ref] = Value(number=after.lever(name).resolve())
    pair = [levers.get(n, after.lever(n)).resolve() for n in REFERENCE_PAIR]
    if pair[1] >= pair[0]:  # no change of the reader's own: the reference stays where it was
        levers.update({n: after.lever(n) for n in REFERENCE_PAIR})
    out = replace(after, levers=levers)
    inputs = any(not same(out.lever(n).resolve(), before.lever(n).resolve()) for n in RULE_INPUTS)
    reset = out.lever("services_share") != before.lever("services_share")
    if follows_rule(out) and (inputs or reset):
        share = services_rule(out)
        levers["services_share"] = (
            Value(number=round(share, 4), note=i18n.t("own_case.services_rule_note", lang))
            if share > 0
            else Value(figure=str(fields.field("scenario", "services_share").default))
        )
        out = replace(out, levers=levers)
    return out


def with_evidence(own: OwnCase, effect: EvidenceEffect) -> OwnCase:
    """The case with each exit outcome's evidence-based effect (see ``is_evidence``) set to
    ``effect`` at the case's reference change and the outcome's base rate."""
    before, after = (own.lever(n).resolve() for n in REFERENCE_PAIR)
    outcomes = tuple(
        replace(
            o,
            values={**o.values, "effect": effect(before, after, o.value("base_rate").resolve())},
        )
        if o.kind == "exit" and is_evidence(o.value("effect"))
        else o
        for o in own.outcomes
    )
    return replace(own, outcomes=outcomes)
