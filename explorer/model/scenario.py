"""Scenario, Outcome and Price: the validated inputs of the model.

Every numeric field is described once, in data/fields.yaml (see ``explorer.model.fields``): its
range, step, unit, labels, help, default and relations. Construction validates against it, so a
bad value raises a ``FieldError`` (a ``ValueError``) that names the field and the allowed range.
The staffing pair (caseload after <-> extra caseworkers) is the two functions below.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from explorer.model import fields
from explorer.model.fields import spec_field

PAYERS = ("kommune", "region", "stat")
KINDS = ("entry", "exit")
PRICE_KINDS = ("budget", "wider")


def extra_workers_for(cases: Any, before: Any, after: Any) -> Any:
    """Extra caseworkers that take the caseload from ``before`` to ``after`` (numbers or arrays):
    cases/after - cases/before, written so that nothing cancels when after ~ before."""
    return cases * (before - after) / (before * after)


def cost_per_worker(worker_cost: Any, overhead: Any) -> Any:
    """What one extra caseworker costs a year (numbers, arrays or formula terms): the salary
    with its overhead, ``worker_cost × (1 + overhead)``."""
    return worker_cost * (1 + overhead)


def caseload_after_for(cases: Any, before: Any, extra: Any) -> Any:
    """The caseload after with ``extra`` caseworkers more: the inverse of ``extra_workers_for``."""
    return cases / (cases / before + extra)


@dataclass(frozen=True)
class Price:
    """What one avoided person-year is worth, and who gets it.

    A budget price is split between kommune, region and state (shares summing to 1); a positive
    amount is a saving (the costly state's price), a negative one the cost of the alternative that
    replaces it. A wider price is a gain beyond the public budgets (society's), with no payer.
    """

    label_da: str
    label_en: str
    amount: float = spec_field("price", "amount", required=True)
    kommune: float = spec_field("price", "kommune")
    region: float = spec_field("price", "region")
    stat: float = spec_field("price", "stat")
    kind: str = "budget"

    def __post_init__(self) -> None:
        owner = f"price {self.label_en!r}"
        if self.kind not in PRICE_KINDS:
            raise ValueError(
                f"{owner}: kind must be one of {', '.join(PRICE_KINDS)}; got {self.kind!r}"
            )
        if self.kind == "wider":
            object.__setattr__(self, "kommune", 0.0)
        fields.validate(self, owner)
        total = self.kommune + self.region + self.stat
        if self.kind == "budget" and abs(total - 1.0) > 1e-9:
            raise ValueError(
                f"{owner}: payer shares (kommune, region, stat) must sum to 1; "
                f"got {self.kommune:g} + {self.region:g} + {self.stat:g} = {total:g}"
            )
        if self.kind == "wider" and total:
            raise ValueError(f"{owner}: a wider gain has no payer; leave the shares at 0")

    def shares(self) -> tuple[float, float, float]:
        return (self.kommune, self.region, self.stat)

    def label(self, lang: str) -> str:
        return self.label_da if lang == "da" else self.label_en


@dataclass(frozen=True)
class Outcome:
    """A costly state the extra time per case prevents, or a benefit spell it shortens.

    ``kind`` is ``"entry"`` (entries prevented: a placement that does not happen) or ``"exit"``
    (exits sped up: a person who leaves a benefit sooner). ``base_rate`` is the share of the cases
    that would enter each year (entry), or of the group that would leave each year anyway (exit).
    ``effect`` is the documented relative change at the reference caseload change: a relative fall
    in entries (at most 1) or a relative rise in exits. ``deadweight`` is the share of that change
    that would have happened anyway. ``duration_years`` is how long an avoided spell would have
    lasted, or how long a person stays off the benefit; ``other_benefit_share`` of those who
    leave go to another benefit, which saves nothing.
    """

    key: str
    label_da: str
    label_en: str
    base_rate: float = spec_field("outcome", "base_rate", required=True)
    effect: float = spec_field("outcome", "effect", required=True)
    kind: str = "entry"
    deadweight: float = spec_field("outcome", "deadweight")
    duration_years: float = spec_field("outcome", "duration_years")
    other_benefit_share: float = spec_field("outcome", "other_benefit_share")
    prices: tuple[Price, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key.isidentifier() or not self.key.isascii():
            raise ValueError(
                f"outcome key must be a plain name (letters, digits, _); got {self.key!r}"
            )
        owner = f"outcome {self.key!r}"
        if self.kind not in KINDS:
            raise ValueError(
                f"{owner}: kind must be 'entry' (entries prevented) or 'exit' "
                f"(exits sped up); got {self.kind!r}"
            )
        fields.validate(self, owner)
        if not isinstance(self.prices, (tuple, list)) or not all(
            isinstance(p, Price) for p in self.prices
        ):
            raise ValueError(f"{owner}: prices must be Price objects")
        object.__setattr__(self, "prices", tuple(self.prices))
        fields.check_rules("outcome", self.kind, fields.values(self), owner)

    @property
    def max_effect(self) -> float:
        """The largest effect the outcome's kind allows beside its other values (fields.yaml's
        relations: at most 1 for prevented entries, every stayer moved for exits)."""
        effect = fields.field("outcome", "effect")
        return fields.kind_bounds(effect, self.kind, fields.values(self))[1]

    def moved_share(self) -> float:
        """Share of the movable people moved at the reference change, after deadweight (0..1):
        of the entries that would happen (entry), or of those who would stay (exit)."""
        net = self.effect * (1 - self.deadweight)
        if self.kind == "entry":
            return min(1.0, net)
        if self.base_rate == 0:
            return 0.0
        return min(1.0, net * self.base_rate / (1 - self.base_rate))

    def effect_moving(self, share: float) -> float:
        """The effect that moves ``share`` of the movable people at the reference change: the
        inverse of ``moved_share`` (infinite where nobody can be moved: all deadweight, or an
        exit no one would make)."""
        if self.deadweight >= 1 or (self.kind == "exit" and self.base_rate == 0):
            return math.inf if share > 0 else 0.0
        odds = 1.0 if self.kind == "entry" else self.base_rate / (1 - self.base_rate)
        return share / odds / (1 - self.deadweight)

    def price_by_payer(self) -> tuple[float, float, float]:
        """Budget DKK per avoided person-year for kommune, region and stat."""
        return tuple(
            sum(p.amount * p.shares()[i] for p in self.prices if p.kind == "budget")
            for i in range(3)
        )  # type: ignore[return-value]

    def wider_price(self) -> float:
        """Wider gain (beyond public budgets) per avoided person-year."""
        return sum(p.amount for p in self.prices if p.kind == "wider")

    def label(self, lang: str) -> str:
        return self.label_da if lang == "da" else self.label_en


@dataclass(frozen=True)
class Scenario:
    """One social investment: the caseload change, its cost, its effects and how to count them."""

    cases: float = spec_field("scenario", "cases")
    caseload_before: float = spec_field("scenario", "caseload_before")
    caseload_after: float = spec_field("scenario", "caseload_after")
    worker_cost: float = spec_field("scenario", "worker_cost")
    overhead: float = spec_field("scenario", "overhead")
    start_year: int = spec_field("scenario", "start_year")
    horizon_years: int = spec_field("scenario", "horizon_years")
    discount_rate: float = spec_field("scenario", "discount_rate")
    effect_scale: float = spec_field("scenario", "effect_scale")
    phase_in_years: float = spec_field("scenario", "phase_in_years")
    optimism_bias: float = spec_field("scenario", "optimism_bias")
    staffing_ramp: float = spec_field("scenario", "staffing_ramp")
    one_off_cost: float = spec_field("scenario", "one_off_cost")
    other_cost_per_year: float = spec_field("scenario", "other_cost_per_year")
    services_share: float = spec_field("scenario", "services_share")
    reference_other_cost: float = spec_field("scenario", "reference_other_cost")
    trend: float = spec_field("scenario", "trend")
    programme_years: int = spec_field("scenario", "programme_years")
    reference_caseload_before: float = spec_field("scenario", "reference_caseload_before")
    reference_caseload_after: float = spec_field("scenario", "reference_caseload_after")
    max_dose: float = spec_field("scenario", "max_dose")
    wider_gains: int = spec_field("scenario", "wider_gains")
    outcomes: tuple[Outcome, ...] = ()
    case: str = "custom"

    def __post_init__(self) -> None:
        fields.validate(self)
        if not isinstance(self.outcomes, (tuple, list)) or not all(
            isinstance(o, Outcome) for o in self.outcomes
        ):
            got = (
                next((o for o in self.outcomes if not isinstance(o, Outcome)), self.outcomes)
                if isinstance(self.outcomes, (tuple, list))
                else self.outcomes
            )
            raise ValueError(f"outcomes must be Outcome objects; got {got!r:.60}")
        object.__setattr__(self, "outcomes", tuple(self.outcomes))
        fields.check_relations(self)
        keys = [o.key for o in self.outcomes]
        if len(set(keys)) != len(keys):
            raise ValueError(f"outcomes must have distinct keys; got {keys}")
        if not isinstance(self.case, str) or not self.case:
            raise ValueError("case must be a name")

    def replace(self, **changes: Any) -> Scenario:
        """A new validated Scenario with ``changes`` applied together."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(
                f"unknown Scenario field(s): {', '.join(sorted(unknown))}; "
                f"allowed: {', '.join(fields.of(Scenario))}"
            )
        return dataclasses.replace(self, **changes)

    @property
    def extra_workers(self) -> float:
        """Extra caseworkers needed: cases/after - cases/before."""
        return extra_workers_for(self.cases, self.caseload_before, self.caseload_after)

    @property
    def cost_per_worker(self) -> float:
        """Salary with overhead: what one extra caseworker costs a year."""
        return cost_per_worker(self.worker_cost, self.overhead)

    def with_extra_workers(self, extra: float) -> Scenario:
        """The other side of the staffing lever: set extra caseworkers, caseload_after follows."""
        if not isinstance(extra, (int, float)) or not math.isfinite(extra) or extra < 0:
            raise ValueError(f"extra caseworkers must be 0 or more; got {extra!r}")
        after = caseload_after_for(self.cases, self.caseload_before, extra)
        return self.replace(caseload_after=min(after, self.caseload_before))  # round-off at 0

    def outcome(self, key: str) -> Outcome:
        for o in self.outcomes:
            if o.key == key:
                return o
        raise KeyError(f"no outcome {key!r}; have {[o.key for o in self.outcomes]}")

    def replace_outcome(self, key: str, **changes: Any) -> Scenario:
        """A new Scenario with one outcome's fields changed."""
        self.outcome(key)
        new = tuple(dataclasses.replace(o, **changes) if o.key == key else o for o in self.outcomes)
        return self.replace(outcomes=new)

    def calendar_year(self, index: int) -> int:
        """The calendar year of year ``index`` (0 = the start year)."""
        return self.start_year + index
