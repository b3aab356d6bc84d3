"""evaluate(scenario) -> Result; the break-even effect; sweeps over one lever.

``Run`` is the shape every model answer shares (one scenario's result here, Monte Carlo draws and
claim checks in the analysis layer): the scenario, the batch it was run as, and the batch's paths
and KPIs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from explorer.model import cashflow, engine, fields
from explorer.model.scenario import PAYERS, Scenario

EFFECT_RANGE = (0.0, fields.field("scenario", "effect_scale").hi)


def summarise(paths: engine.Paths) -> dict[str, np.ndarray]:
    """Key figures for every scenario of a batch (NaN where a figure does not exist)."""
    cost, savings, d = paths.cost, paths.savings, paths.discount
    pv_cost = (cost * d).sum(axis=1)
    pv_savings = (savings * d).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_cost > 0, pv_savings / pv_cost, np.nan)

    def year(index: np.ndarray) -> np.ndarray:
        return np.where(index >= 0, index, np.nan)

    return dict(
        extra_workers=paths.extra_workers,
        total_cost=cost.sum(axis=1),
        total_savings=savings.sum(axis=1),
        npv=pv_savings - pv_cost,
        npv_kommune=(paths.net_kommune * d).sum(axis=1),
        benefit_cost_ratio=bcr,
        payback_year=year(cashflow.payback_index(paths.net, cost)),
        payback_year_discounted=year(cashflow.payback_index(paths.net * d, cost * d)),
        payback_year_kommune=year(cashflow.payback_index(paths.net_kommune, cost)),
        payback_year_kommune_discounted=year(
            cashflow.payback_index(paths.net_kommune * d, cost * d)
        ),
        pv_wider_gains=(paths.wider_gains * d).sum(axis=1),
    )


T = TypeVar("T", int, float)


def _optional(value: float, cast: Callable[[float], T]) -> T | None:
    return None if np.isnan(value) else cast(value)


@dataclass(frozen=True)
class Run:
    """A scenario run through the model as ``batch`` (one row or many draws): its yearly
    ``paths`` and its ``kpis`` (``summarise``), one value per row of the batch."""

    scenario: Scenario
    batch: engine.Batch
    paths: engine.Paths
    kpis: dict[str, np.ndarray]

    @classmethod
    def of(cls, scenario: Scenario, batch: engine.Batch, *extra: Any) -> Self:
        """Run ``batch`` through the model; ``extra`` are a subclass's further fields, in order."""
        return cls(scenario, batch, *run(batch), *extra)


#: Where each payer's yearly net is in ``Result.yearly``: (who, undiscounted, discounted).
NET_COLUMNS = (("public", "net", "pv_net"), ("kommune", "net_kommune", "pv_net_kommune"))


@dataclass(frozen=True)
class Result(Run):
    """The model's answer for one scenario: KPIs at once, the yearly table on first use.

    Money is in the price year's kroner (``catalogue.price_year()``); savings are after
    deadweight and optimism bias. Payback years are 0-based indexes (0 = the start year); the
    ``*_calendar`` helpers and the yearly table's ``calendar_year`` give calendar years.
    """

    def _kpi(self, name: str) -> float:
        return float(self.kpis[name][0])

    @property
    def extra_workers(self) -> float:
        return self._kpi("extra_workers")

    @property
    def total_cost(self) -> float:
        return self._kpi("total_cost")

    @property
    def total_savings(self) -> float:
        return self._kpi("total_savings")

    @property
    def npv(self) -> float:
        """Present value of savings minus costs for the public sector (plus wider gains when
        the scenario counts them)."""
        return self._kpi("npv")

    @property
    def npv_kommune(self) -> float:
        """Present value of the kommune's own savings minus every cost."""
        return self._kpi("npv_kommune")

    @property
    def pv_wider_gains(self) -> float:
        """Present value of the wider gains, whether or not they count in the result."""
        return self._kpi("pv_wider_gains")

    @property
    def benefit_cost_ratio(self) -> float | None:
        """Present value of savings over present value of costs; None without costs."""
        return _optional(self.kpis["benefit_cost_ratio"][0], float)

    @property
    def payback_year(self) -> int | None:
        """First year (0-based) with cumulative public-sector net >= 0, undiscounted; or None."""
        return _optional(self.kpis["payback_year"][0], int)

    @property
    def payback_year_discounted(self) -> int | None:
        """The same on discounted flows: the year the cumulative present value turns >= 0."""
        return _optional(self.kpis["payback_year_discounted"][0], int)

    @property
    def payback_year_kommune(self) -> int | None:
        """The kommune alone, paying every cost and keeping its own savings; undiscounted."""
        return _optional(self.kpis["payback_year_kommune"][0], int)

    @property
    def payback_year_kommune_discounted(self) -> int | None:
        return _optional(self.kpis["payback_year_kommune_discounted"][0], int)

    def calendar(self, index: int | None) -> int | None:
        """A 0-based year index as a calendar year (None stays None)."""
        return None if index is None else self.scenario.start_year + index

    @cached_property
    def fell_back(self) -> dict[tuple[str, bool], tuple[int, int]]:
        """Every cumulative net (public sector, kommune; undiscounted, discounted) that reached
        0 and fell back before paying back: {(who, discounted): (calendar year above, year back
        below)}."""
        y = self.yearly
        out = {}
        for who, plain, pv in (
            ("public", "net", "pv_net"),
            ("kommune", "net_kommune", "pv_net_kommune"),
        ):
            for discounted, column in ((False, plain), (True, pv)):
                cost = y["cost"] * y["discount_factor"] if discounted else y["cost"]
                years = cashflow.fell_back(y[column].to_numpy(), cost.to_numpy())
                if years is not None:
                    start = self.scenario.start_year
                    out[who, discounted] = (start + years[0], start + years[1])
        return out

    @cached_property
    def break_even_effect(self) -> float | None:
        """Smallest effect_scale (0..3) with a net present value of 0 or more; None if none."""
        return break_even_effect(self.scenario)

    @cached_property
    def yearly(self) -> pd.DataFrame:
        """One row per year: costs, people and savings by outcome and payer, net, present value."""
        p, s = self.paths, self.scenario
        T = s.horizon_years
        cols: dict[str, np.ndarray] = {
            "year": np.arange(T),
            "calendar_year": s.start_year + np.arange(T),
            "extra_workers": np.full(T, p.extra_workers[0]),
            "staffing": p.staffing[0],
            "caseload": p.caseload[0],
            "dose": p.dose[0],
            "services_dose": p.services_dose[0],
            "cost_staff": p.cost_staff[0],
            "cost_other": p.cost_other[0],
            "cost": p.cost[0],
        }
        for k, o in enumerate(s.outcomes):
            cols[f"at_risk_{o.key}"] = p.at_risk[0, k]
            cols[f"without_{o.key}"] = p.without[0, k]
            cols[f"new_{o.key}"] = p.new_people[0, k]
            cols[f"people_{o.key}"] = p.people[0, k]
            cols[f"savings_{o.key}"] = p.savings_outcome[0, k]
            cols[f"wider_{o.key}"] = p.wider_outcome[0, k]
        for i, payer in enumerate(PAYERS):
            cols[f"savings_{payer}"] = p.savings_payer[0, i]
        cols["savings_society"] = p.savings_society[0]
        cols["savings"] = p.savings[0]
        cols["wider_gains"] = p.wider_gains[0]
        cols["net"] = p.net[0]
        cols["cumulative_net"] = np.cumsum(p.net[0])
        cols["net_kommune"] = p.net_kommune[0]
        cols["cumulative_net_kommune"] = np.cumsum(p.net_kommune[0])
        cols["discount_factor"] = p.discount[0]
        cols["pv_net"] = p.net[0] * p.discount[0]
        cols["cumulative_pv_net"] = np.cumsum(cols["pv_net"])
        cols["pv_net_kommune"] = p.net_kommune[0] * p.discount[0]
        cols["cumulative_pv_net_kommune"] = np.cumsum(cols["pv_net_kommune"])
        return pd.DataFrame(cols)


def run(batch: engine.Batch) -> tuple[engine.Paths, dict[str, np.ndarray]]:
    """The batch's paths and KPIs."""
    paths = engine.run(batch)
    return paths, summarise(paths)


def evaluate(scenario: Scenario) -> Result:
    """Run the model on one scenario."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"evaluate takes a Scenario; got {type(scenario).__name__}")
    return Result.of(scenario, engine.Batch.of([scenario]))


def break_even_effect(scenario: Scenario, tolerance: float = 1e-4) -> float | None:
    """Smallest effect_scale (0..3) whose net present value is 0 or more, or None.

    The NPV rises with the effect scale, so a vectorised bisection finds it: a grid of scales in
    one engine call, then finer grids inside the bracket until it is narrower than ``tolerance``.
    """
    one = engine.Batch.of([scenario])
    lo, hi = EFFECT_RANGE
    if summarise(engine.run(one.with_values("effect_scale", [hi])))["npv"][0] < 0:
        return None
    while hi - lo > tolerance:
        grid = np.linspace(lo, hi, 33)
        npv = summarise(engine.run(one.with_values("effect_scale", grid)))["npv"]
        paying = np.flatnonzero(npv >= 0)
        first = paying[0]
        if first == 0:
            return float(grid[0])
        lo, hi = grid[first - 1], grid[first]
    return float(hi)


def sweep(scenario: Scenario, field: str, values: npt.ArrayLike) -> pd.DataFrame:
    """KPIs for ``scenario`` with ``field`` set to each of ``values``, in one vectorised run.

    Each value is checked as ``scenario.replace`` checks it (range, whole numbers, relations to
    other fields), so a sweep refuses what a single evaluation refuses."""
    if field not in engine.SCALARS:
        raise ValueError(f"cannot sweep {field!r}; choose one of {', '.join(engine.SCALARS)}")
    checked = [getattr(scenario.replace(**{field: v}), field) for v in np.atleast_1d(values)]
    batch = engine.Batch.of([scenario]).with_values(field, checked)
    table = pd.DataFrame(summarise(engine.run(batch)))
    table.insert(0, field, batch.scalars[field])
    return table
