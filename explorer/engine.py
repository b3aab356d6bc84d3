"""The vectorised kernel: a batch of scenarios (or of random draws) -> yearly arrays.

Arrays are shaped (n,) per scenario, (n, K) per outcome, (n, T) per year and (n, K, T) per outcome
and year, with n scenarios, K outcomes and T = horizon years. ``evaluate`` is a batch of one; a
sweep over caseloads and thousands of Monte Carlo draws are one call each. The formulas are the
ones in ``docs/model.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import finance
from .scenario import PAYERS, Scenario, bounds, levers

#: Scenario fields held as one number per scenario (the horizon is shared by the batch).
SCALARS = tuple(name for name in levers(Scenario) if name != "horizon_years")
#: Outcome fields held as one number per scenario and outcome.
OUTCOME_FIELDS = ("base_flow", "effect", "duration_years")


@dataclass(frozen=True)
class Batch:
    """Model inputs for n scenarios that share a horizon and a list of outcomes."""

    horizon: int
    scalars: dict[str, np.ndarray]   # name -> (n,)
    outcome: dict[str, np.ndarray]   # base_flow, effect, duration_years -> (n, K)
    price: np.ndarray                # (n, K, 3): DKK per person-year for kommune, region, stat
    outcome_keys: tuple[str, ...]

    @classmethod
    def of(cls, scenarios: list[Scenario]) -> "Batch":
        """Stack validated scenarios; they must share the horizon and the outcome keys."""
        first = scenarios[0]
        keys = tuple(o.key for o in first.outcomes)
        for s in scenarios:
            if s.horizon_years != first.horizon_years or tuple(o.key for o in s.outcomes) != keys:
                raise ValueError("a batch needs one horizon and one list of outcomes")
        scalars = {name: np.array([getattr(s, name) for s in scenarios], dtype=float)
                   for name in SCALARS}
        outcome = {name: np.array([[getattr(o, name) for o in s.outcomes] for s in scenarios],
                                  dtype=float).reshape(len(scenarios), len(keys))
                   for name in OUTCOME_FIELDS}
        price = np.array([[o.price_by_payer() for o in s.outcomes] for s in scenarios],
                         dtype=float).reshape(len(scenarios), len(keys), len(PAYERS))
        return cls(first.horizon_years, scalars, outcome, price, keys)

    @property
    def size(self) -> int:
        return len(self.scalars["cases"])

    def with_values(self, name: str, values) -> "Batch":
        """A batch with Scenario field ``name`` set to each of ``values`` (range-checked).

        A batch of one is broadcast to ``len(values)`` scenarios.
        """
        if name not in SCALARS:
            raise ValueError(f"cannot vary {name!r}; choose one of {', '.join(SCALARS)}")
        values = np.asarray(values, dtype=float)
        meta = bounds(Scenario, name)
        bad = ~np.isfinite(values) | (values < meta["lo"]) | (values > meta["hi"])
        if bad.any():
            raise ValueError(f"{name} must be from {meta['lo']:g} to {meta['hi']:g} "
                             f"{meta['unit']}; got {values[bad][0]:g}")
        n = len(values)
        if self.size not in (1, n):
            raise ValueError(f"cannot set {n} values on a batch of {self.size}")
        grow = (lambda a: np.repeat(a, n, axis=0)) if self.size == 1 and n != 1 else (lambda a: a)
        scalars = {k: grow(v) for k, v in self.scalars.items()}
        scalars[name] = values
        if np.any(scalars["caseload_after"] > scalars["caseload_before"]):
            raise ValueError("caseload_after must not exceed caseload_before")
        return replace(self, scalars=scalars, outcome={k: grow(v) for k, v in self.outcome.items()},
                       price=grow(self.price))


@dataclass(frozen=True)
class Paths:
    """Yearly results for every scenario of a batch."""

    extra_workers: np.ndarray     # (n,)
    cost_staff: np.ndarray        # (n, T)
    cost_other: np.ndarray        # (n, T) one-off and other costs
    new_people: np.ndarray        # (n, K, T) additional people avoiding the costly state
    people: np.ndarray            # (n, K, T) person-years avoided
    savings_outcome: np.ndarray   # (n, K, T)
    savings_payer: np.ndarray     # (n, 3, T)
    savings_unit: np.ndarray      # (n, T) savings at effect_scale = 1
    discount: np.ndarray          # (n, T) discount factor (1 + rate)^-t

    @property
    def cost(self) -> np.ndarray:
        return self.cost_staff + self.cost_other

    @property
    def savings(self) -> np.ndarray:
        return self.savings_payer.sum(axis=1)

    @property
    def net(self) -> np.ndarray:
        return self.savings - self.cost

    @property
    def net_kommune(self) -> np.ndarray:
        """The kommune's net when it pays every cost itself (self-financed)."""
        return self.savings_payer[:, 0] - self.cost


def dose(before, after, ref_before, ref_after, max_dose=np.inf):
    """Effect multiplier of a caseload change relative to the reference change: 0 .. max_dose."""
    return np.clip(np.log(before / after) / np.log(ref_before / ref_after), 0.0, max_dose)


def scenario_dose(s: Scenario) -> float:
    """The dose of one scenario's caseload change."""
    return float(dose(s.caseload_before, s.caseload_after, s.reference_caseload_before,
                      s.reference_caseload_after, s.max_dose))


def phase_in(years, horizon: int) -> np.ndarray:
    """(n, T): average share of the full effect in each year for a linear ramp of ``years``."""
    p = np.asarray(years, dtype=float)[:, None]
    safe = np.where(p > 0, p, 1.0)

    def ramp_area(x):  # integral of min(1, s/p) ds from 0 to x
        return np.minimum(x, safe) ** 2 / (2 * safe) + np.maximum(x - safe, 0.0)

    t = np.arange(horizon, dtype=float)[None, :]
    return np.where(p > 0, ramp_area(t + 1) - ramp_area(t), 1.0)


def run(batch: Batch) -> Paths:
    """Compute yearly costs, avoided person-years and savings by outcome and payer."""
    s, T = batch.scalars, batch.horizon
    t = np.arange(T)
    active = (t[None, :] < s["programme_years"][:, None]).astype(float)       # (n, T)

    extra = s["cases"] / s["caseload_after"] - s["cases"] / s["caseload_before"]
    staffing = np.ones((batch.size, T))
    staffing[:, 0] = s["staffing_ramp"]
    cost_staff = (extra * s["worker_cost"])[:, None] * staffing * active
    cost_other = s["other_cost_per_year"][:, None] * active
    cost_other[:, 0] += s["one_off_cost"]

    d = dose(s["caseload_before"], s["caseload_after"],
             s["reference_caseload_before"], s["reference_caseload_after"], s["max_dose"])
    strength = (d[:, None] * phase_in(s["phase_in_years"], T) * active)[:, None, :]  # (n, 1, T)
    inflow = (batch.outcome["base_flow"] * batch.outcome["effect"])[:, :, None] * strength
    stays = (1.0 - 1.0 / batch.outcome["duration_years"])                      # (n, K)
    people = np.empty_like(inflow)
    stock = np.zeros(inflow.shape[:2])
    for year in range(T):  # stock-flow, mid-year convention: mean of start and end stock
        end = stock * stays + inflow[:, :, year]
        people[:, :, year] = (stock + end) / 2
        stock = end

    keep = (1.0 - s["optimism_bias"])[:, None, None]
    unit_outcome = people * batch.price.sum(axis=2)[:, :, None] * keep         # (n, K, T)
    unit_payer = np.einsum("nkt,nkp->npt", people, batch.price) * keep         # (n, 3, T)
    scale = s["effect_scale"]
    return Paths(
        extra_workers=extra,
        cost_staff=cost_staff,
        cost_other=cost_other,
        new_people=inflow * scale[:, None, None],
        people=people * scale[:, None, None],
        savings_outcome=unit_outcome * scale[:, None, None],
        savings_payer=unit_payer * scale[:, None, None],
        savings_unit=unit_payer.sum(axis=1),
        discount=finance.discount_factors(s["discount_rate"], T),
    )
