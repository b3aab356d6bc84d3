"""evaluate(scenario) -> Result; break-even effect; sweeps over one lever."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from . import engine, finance
from .scenario import PAYERS, Scenario, bounds

KPIS = ("extra_workers", "total_cost", "total_savings", "npv", "benefit_cost_ratio",
        "payback_year", "payback_year_kommune", "break_even_effect")


def summarise(batch: engine.Batch, paths: engine.Paths) -> dict[str, np.ndarray]:
    """Key figures for every scenario of a batch (NaN where a figure does not exist)."""
    cost, savings = paths.cost, paths.savings
    pv_cost = (cost * paths.discount).sum(axis=1)
    pv_savings = (savings * paths.discount).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_cost > 0, pv_savings / pv_cost, np.nan)
        # Savings are linear in effect_scale and costs do not depend on it, so the smallest
        # scale that pays back is the smallest ratio of cumulative cost to cumulative savings.
        cum_cost = np.cumsum(cost, axis=1)
        cum_unit = np.cumsum(paths.savings_unit, axis=1)
        ratio = np.where((cum_cost > 0) & (cum_unit > 0), cum_cost / cum_unit, np.inf)
    break_even = ratio.min(axis=1)
    break_even[break_even > bounds(Scenario, "effect_scale")["hi"]] = np.nan

    def year(index):
        return np.where(index >= 0, index, np.nan)

    return dict(
        extra_workers=paths.extra_workers,
        total_cost=cost.sum(axis=1),
        total_savings=savings.sum(axis=1),
        npv=pv_savings - pv_cost,
        benefit_cost_ratio=bcr,
        payback_year=year(finance.payback_index(paths.net, cost)),
        payback_year_kommune=year(finance.payback_index(paths.net_kommune, cost)),
        break_even_effect=break_even,
    )


def _optional(value, cast=float):
    return None if np.isnan(value) else cast(value)


@dataclass(frozen=True)
class Result:
    """The model's answer for one scenario: KPIs at once, the yearly table on first use."""

    scenario: Scenario
    paths: engine.Paths
    kpis: dict

    @property
    def extra_workers(self) -> float:
        return float(self.kpis["extra_workers"][0])

    @property
    def total_cost(self) -> float:
        return float(self.kpis["total_cost"][0])

    @property
    def total_savings(self) -> float:
        return float(self.kpis["total_savings"][0])

    @property
    def npv(self) -> float:
        return float(self.kpis["npv"][0])

    @property
    def benefit_cost_ratio(self) -> float | None:
        """Present value of savings over present value of costs; None without costs."""
        return _optional(self.kpis["benefit_cost_ratio"][0])

    @property
    def payback_year(self) -> int | None:
        """First year (0-based) with cumulative public-sector net >= 0, or None."""
        return _optional(self.kpis["payback_year"][0], int)

    @property
    def payback_year_kommune(self) -> int | None:
        """The same for the kommune alone, paying every cost and keeping its own savings."""
        return _optional(self.kpis["payback_year_kommune"][0], int)

    @property
    def break_even_effect(self) -> float | None:
        """Smallest effect_scale that pays back within the horizon (None if above 3 or never)."""
        return _optional(self.kpis["break_even_effect"][0])

    @cached_property
    def yearly(self) -> pd.DataFrame:
        """One row per year: costs, people and savings by outcome and payer, net, present value."""
        p, T = self.paths, self.scenario.horizon_years
        cols = {"year": np.arange(T),
                "extra_workers": np.full(T, p.extra_workers[0]),
                "cost_staff": p.cost_staff[0], "cost_other": p.cost_other[0], "cost": p.cost[0]}
        for k, o in enumerate(self.scenario.outcomes):
            cols[f"new_{o.key}"] = p.new_people[0, k]
            cols[f"people_{o.key}"] = p.people[0, k]
            cols[f"savings_{o.key}"] = p.savings_outcome[0, k]
        cols["savings"] = p.savings[0]
        for i, payer in enumerate(PAYERS):
            cols[f"savings_{payer}"] = p.savings_payer[0, i]
        cols["net"] = p.net[0]
        cols["cumulative_net"] = np.cumsum(p.net[0])
        cols["net_kommune"] = p.net_kommune[0]
        cols["cumulative_net_kommune"] = np.cumsum(p.net_kommune[0])
        cols["discount_factor"] = p.discount[0]
        cols["pv_net"] = p.net[0] * p.discount[0]
        return pd.DataFrame(cols)


def evaluate(scenario: Scenario) -> Result:
    """Run the model on one scenario."""
    batch = engine.Batch.of([scenario])
    paths = engine.run(batch)
    return Result(scenario, paths, summarise(batch, paths))


def break_even_effect(scenario: Scenario) -> float | None:
    """Smallest effect_scale (0..3) that pays back within the horizon, or None."""
    return evaluate(scenario).break_even_effect


def sweep(scenario: Scenario, field: str, values) -> pd.DataFrame:
    """KPIs for ``scenario`` with ``field`` set to each of ``values``, in one vectorised run."""
    batch = engine.Batch.of([scenario]).with_values(field, values)
    table = pd.DataFrame(summarise(batch, engine.run(batch)))
    table.insert(0, field, batch.scalars[field])
    return table
