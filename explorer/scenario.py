"""Scenario, Outcome and Price: the validated inputs of the model.

Every numeric field carries metadata (bounds, step, unit, Danish and English label and help text,
and the key of the figure in ``data/figures.csv`` that documents its usual default). The UI builds
its widgets from this metadata; construction validates against it, so a bad value raises a
``ValueError`` that names the field and the allowed range.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, fields
from typing import Any

PAYERS = ("kommune", "region", "stat")


def lever(default, lo, hi, step, unit, da, en, help_da="", help_en="", source=None, integer=False):
    """A dataclass field whose metadata describes a bounded, labelled model input."""
    meta = dict(lo=lo, hi=hi, step=step, unit=unit, da=da, en=en, help_da=help_da,
                help_en=help_en, source=source, integer=integer)
    return field(default=default, metadata=meta)


def bounds(cls, name: str) -> dict[str, Any]:
    """The metadata of field ``name`` of ``cls`` (a Scenario, Outcome or Price class)."""
    for f in fields(cls):
        if f.name == name:
            return dict(f.metadata)
    raise KeyError(f"{cls.__name__} has no field {name!r}")


def levers(cls) -> list[str]:
    """Names of the bounded numeric fields of ``cls``, in declaration order."""
    return [f.name for f in fields(cls) if "lo" in f.metadata]


def check_value(owner: str, name: str, value, meta: dict[str, Any]) -> float | int:
    """Validate one value against its field metadata; return it as float (or int)."""
    where = f"{owner}: {name}" if owner else name
    rng = f"{meta['lo']:g} to {meta['hi']:g}" + (f" {meta['unit']}" if meta["unit"] else "")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{where} must be a number from {rng}; got {value!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{where} must be a finite number from {rng}; got {value!r}")
    if not meta["lo"] <= value <= meta["hi"]:
        raise ValueError(f"{where} must be from {rng}; got {value:g}")
    if meta["integer"]:
        if value != int(value):
            raise ValueError(f"{where} must be a whole number from {rng}; got {value:g}")
        return int(value)
    return float(value)


def _validate(obj, owner: str) -> None:
    """Check and normalise every bounded field of a frozen dataclass instance."""
    for f in fields(obj):
        if "lo" in f.metadata:
            object.__setattr__(obj, f.name, check_value(owner, f.name, getattr(obj, f.name),
                                                        f.metadata))


@dataclass(frozen=True)
class Price:
    """What one avoided person-year is worth, and who gets it (shares of kommune, region, stat).

    A positive amount is a saving (the costly state's price); a negative one is the cost of the
    alternative that replaces it (a cheaper placement, another benefit).
    """

    label_da: str
    label_en: str
    amount: float = lever(0.0, -5e6, 5e6, 1000, "DKK per person-year", "Pris", "Price",
                          "Kroner pr. person-år; negativ for alternativets pris.",
                          "DKK per person-year; negative for the alternative's cost.")
    kommune: float = lever(1.0, 0, 1, 0.01, "share", "Kommunens andel", "Municipal share")
    region: float = lever(0.0, 0, 1, 0.01, "share", "Regionens andel", "Regional share")
    stat: float = lever(0.0, 0, 1, 0.01, "share", "Statens andel", "State share")

    def __post_init__(self):
        _validate(self, f"price {self.label_en!r}")
        total = self.kommune + self.region + self.stat
        if abs(total - 1.0) > 1e-9:
            raise ValueError(
                f"price {self.label_en!r}: payer shares (kommune, region, stat) must sum to 1; "
                f"got {self.kommune:g} + {self.region:g} + {self.stat:g} = {total:g}")

    def shares(self) -> tuple[float, float, float]:
        return (self.kommune, self.region, self.stat)


@dataclass(frozen=True)
class Outcome:
    """A costly state the extra time per case prevents, or a benefit spell it shortens.

    ``base_flow`` people a year enter the costly state (or leave it) without the change;
    ``effect`` is the relative change of that flow at the reference caseload change;
    ``duration_years`` is how long each avoided spell would have lasted.
    """

    key: str
    label_da: str
    label_en: str
    base_flow: float = lever(0.0, 0, 100_000, 0.1, "people per year", "Tilgang pr. år",
                             "Flow per year",
                             "Personer pr. år, der uden ændringen anbringes eller forlader ydelsen.",
                             "People per year entering the costly state, or leaving benefits, "
                             "without the change.")
    effect: float = lever(0.0, 0, 5, 0.01, "relative change", "Effekt", "Effect",
                          "Relativ ændring af tilgangen ved referenceændringen af sagstallet.",
                          "Relative change of the flow at the reference caseload change.")
    duration_years: float = lever(1.0, 1, 30, 0.5, "years", "Varighed", "Duration",
                                  "Hvor længe et undgået forløb ville have varet (år).",
                                  "How long an avoided spell would have lasted (years).")
    prices: tuple[Price, ...] = ()

    def __post_init__(self):
        if not self.key.isidentifier():
            raise ValueError(f"outcome key must be a plain name (letters, digits, _); "
                             f"got {self.key!r}")
        _validate(self, f"outcome {self.key!r}")
        object.__setattr__(self, "prices", tuple(self.prices))
        if not all(isinstance(p, Price) for p in self.prices):
            raise ValueError(f"Outcome {self.key!r}: prices must be Price objects")

    def price_by_payer(self) -> tuple[float, float, float]:
        """DKK per avoided person-year for kommune, region and stat."""
        return tuple(sum(p.amount * p.shares()[i] for p in self.prices) for i in range(3))


@dataclass(frozen=True)
class Scenario:
    """One social investment: the caseload change, its cost, its effects and how to count them."""

    cases: float = lever(100.0, 1, 100_000, 1, "cases", "Aktive sager", "Active cases",
                         "Antal aktive sager i afdelingen.", "Active cases in the department.")
    caseload_before: float = lever(40.0, 1, 200, 1, "cases per caseworker", "Sagstal før",
                                   "Caseload before",
                                   "Sager pr. sagsbehandler før ændringen.",
                                   "Cases per caseworker before the change.")
    caseload_after: float = lever(20.0, 1, 200, 1, "cases per caseworker", "Sagstal efter",
                                  "Caseload after",
                                  "Sager pr. sagsbehandler efter ændringen.",
                                  "Cases per caseworker after the change.")
    worker_cost: float = lever(500_000.0, 100_000, 2_000_000, 10_000, "DKK per year",
                               "Udgift pr. sagsbehandler", "Cost per caseworker",
                               "Årlig udgift pr. ekstra sagsbehandler.",
                               "Yearly cost of one extra caseworker.", source="dk.worker_cost")
    horizon_years: int = lever(10, 1, 20, 1, "years", "Tidshorisont", "Time horizon",
                               "Antal år i beregningen.", "Years counted.",
                               source="som.horizon_years", integer=True)
    discount_rate: float = lever(0.035, 0, 0.1, 0.005, "per year", "Diskonteringsrente",
                                 "Discount rate",
                                 "Real rente pr. år; år 0 diskonteres ikke.",
                                 "Real rate per year; year 0 is not discounted.",
                                 source="dk.discount.fm2021")
    effect_scale: float = lever(1.0, 0, 3, 0.05, "multiplier", "Effektskala", "Effect scale",
                                "Ganger alle effekter: 1 = som dokumenteret.",
                                "Multiplies every effect: 1 = as documented.",
                                source="model.effect_scale")
    phase_in_years: float = lever(0.0, 0, 10, 0.5, "years", "Indfasning", "Phase-in",
                                  "År før effekten er fuldt indfaset (0 = med det samme).",
                                  "Years until the effect is fully in (0 = at once).")
    optimism_bias: float = lever(0.0, 0, 0.6, 0.05, "share of savings", "Optimismekorrektion",
                                 "Optimism bias",
                                 "Andel trukket fra gevinsterne.",
                                 "Share taken off the savings.", source="model.optimism_bias")
    staffing_ramp: float = lever(1.0, 0, 1, 0.05, "share", "Bemanding i år 0",
                                 "Staffing in year 0",
                                 "Andel af de ekstra sagsbehandlere ansat i første år.",
                                 "Share of the extra caseworkers in place in the first year.",
                                 source="model.staffing_ramp")
    one_off_cost: float = lever(0.0, 0, 1e9, 100_000, "DKK", "Engangsudgift", "One-off cost",
                                "Udgift i år 0 (rekruttering, oplæring).",
                                "Cost in year 0 (recruitment, training).",
                                source="model.one_off_cost")
    other_cost_per_year: float = lever(0.0, 0, 1e9, 100_000, "DKK per year",
                                       "Andre udgifter pr. år", "Other cost per year",
                                       "Årlige udgifter ud over sagsbehandlerne, mens "
                                       "programmet kører.",
                                       "Yearly costs besides caseworkers while the "
                                       "programme runs.")
    programme_years: int = lever(20, 1, 20, 1, "years", "Programmets længde",
                                 "Programme length",
                                 "År med ekstra bemanding; derefter virker allerede opnåede "
                                 "gevinster videre.",
                                 "Years with extra staff; gains already made last after that.",
                                 integer=True)
    reference_caseload_before: float = lever(48.0, 1, 200, 1, "cases per caseworker",
                                             "Referencesagstal før", "Reference caseload before",
                                             "Sagstallet før, hvor effekten er målt.",
                                             "The caseload before where the effect was measured.")
    reference_caseload_after: float = lever(24.0, 1, 200, 1, "cases per caseworker",
                                            "Referencesagstal efter", "Reference caseload after",
                                            "Sagstallet efter, hvor effekten er målt.",
                                            "The caseload after where the effect was measured.")
    max_dose: float = lever(2.0, 1, 10, 0.5, "multiplier", "Højeste dosis", "Maximum dose",
                            "Effekten regnes højst op til dette multiplum af den dokumenterede "
                            "ændring.",
                            "The effect is extrapolated to at most this multiple of the "
                            "documented change.", source="model.max_dose")
    outcomes: tuple[Outcome, ...] = ()
    case: str = "custom"

    def __post_init__(self):
        _validate(self, "")
        object.__setattr__(self, "outcomes", tuple(self.outcomes))
        if self.caseload_after > self.caseload_before:
            raise ValueError(
                f"caseload_after must be from 1 to caseload_before ({self.caseload_before:g}) "
                f"cases per caseworker; got {self.caseload_after:g} (the model covers lower "
                "caseloads, not cuts)")
        if self.reference_caseload_after >= self.reference_caseload_before:
            raise ValueError(
                "reference_caseload_after must be below reference_caseload_before "
                f"({self.reference_caseload_before:g}); got {self.reference_caseload_after:g}")
        keys = [o.key for o in self.outcomes]
        if len(set(keys)) != len(keys):
            raise ValueError(f"outcomes must have distinct keys; got {keys}")
        if not all(isinstance(o, Outcome) for o in self.outcomes):
            raise ValueError("outcomes must be Outcome objects")

    def replace(self, **changes) -> "Scenario":
        """A new validated Scenario with ``changes`` applied (like ``dataclasses.replace``)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"unknown Scenario field(s): {', '.join(sorted(unknown))}; "
                             f"allowed: {', '.join(levers(Scenario))}")
        return dataclasses.replace(self, **changes)

    @property
    def extra_workers(self) -> float:
        """Extra caseworkers needed: cases/after - cases/before."""
        return self.cases / self.caseload_after - self.cases / self.caseload_before

    def with_extra_workers(self, extra: float) -> "Scenario":
        """The other side of the staffing lever: set extra caseworkers, caseload_after follows."""
        if not math.isfinite(extra) or extra < 0:
            raise ValueError(f"extra caseworkers must be 0 or more; got {extra!r}")
        return self.replace(caseload_after=self.cases / (self.cases / self.caseload_before + extra))

    def outcome(self, key: str) -> Outcome:
        for o in self.outcomes:
            if o.key == key:
                return o
        raise KeyError(f"no outcome {key!r}; have {[o.key for o in self.outcomes]}")

    def replace_outcome(self, key: str, **changes) -> "Scenario":
        """A new Scenario with one outcome's fields changed."""
        self.outcome(key)
        new = tuple(dataclasses.replace(o, **changes) if o.key == key else o
                    for o in self.outcomes)
        return self.replace(outcomes=new)
