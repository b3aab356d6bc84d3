"""Calibration in the open: each case's documented results beside the model's, and the fit.

A documented result is a before-and-after count, so the model is compared with it *before*
deadweight (what the same count would show in the model); the headline results are after it.
Figures graded F were fitted to some of these results: those rows match by construction and are
marked ``fitted``, and they cannot confirm the result they were fitted to.

``fit(case)`` recomputes the fitted values (``python -m explorer calibrate CASE``), so anyone can
check that the numbers in figures.csv are what the fit gives.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from . import catalogue, model
from .cases import Case, Documented
from .scenario import Scenario

COLUMNS = (
    "figure",
    "documented",
    "model_gross",
    "difference",
    "model",
    "fitted",
    "unit",
    "unit_da",
    "label_da",
    "label_en",
)


def _years(result: model.Result, row: Documented) -> np.ndarray:
    years = result.yearly["calendar_year"].to_numpy()
    return (years >= row.first) & (years <= row.last)


def measure(result: model.Result, row: Documented) -> float:
    """The model's value of a documented result's measure."""
    y = result.yearly
    if row.measure in ("savings_kommune", "cost"):
        column = y[row.measure].to_numpy()
        if row.months is not None:
            return float(column[0] * row.months / 12)
        return float(column[_years(result, row)].sum())
    if row.measure == "group_after":
        index = (row.months or 12) // 12 - 1
        exits = [k for k, o in enumerate(result.scenario.outcomes) if o.kind == "exit"]
        if not exits or index >= result.scenario.horizon_years:
            return math.nan
        return float(result.scenario.cases - result.paths.stock[0, exits[0], index])
    raise ValueError(f"unknown measure {row.measure!r}")


def documented_value(key: str) -> float:
    """A documented figure in the price year (amounts) or as stated (counts)."""
    return catalogue.figure(key).in_prices


def table(case: Case | str, scenario: Scenario | None = None) -> pd.DataFrame:
    """Documented versus model for a case (or for ``scenario``, a reader's change of it)."""
    case = catalogue.case(case) if isinstance(case, str) else case
    scenario = case.scenario if scenario is None else scenario
    fitted = case.fitted_targets(catalogue.figures())
    gross = model.evaluate(model.gross(scenario))
    net = model.evaluate(scenario)
    rows = []
    for row in case.documented:
        fig = catalogue.figure(row.figure)
        doc = documented_value(row.figure)
        value = measure(gross, row)
        rows.append(
            {
                "figure": row.figure,
                "documented": doc,
                "model_gross": value,
                "difference": (value - doc) / doc if doc else math.nan,
                "model": measure(net, row),
                "fitted": row.figure in fitted,
                "unit": fig.unit,
                "unit_da": fig.unit_da,
                "label_da": (row.label or {}).get("da", fig.note_da),
                "label_en": (row.label or {}).get("en", fig.note),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _setter(case: Case, key: str):
    """A function value -> Scenario that sets the input the figure ``key`` feeds."""
    whats = [what for what, k in case.sources.items() if k == key]
    if len(whats) != 1:
        raise ValueError(f"{key} feeds {len(whats)} inputs of {case.name}; fit needs one")
    what = whats[0]
    if "." in what:
        outcome, attr = what.split(".", 1)
        return lambda v: case.scenario.replace_outcome(outcome, **{attr: v, "deadweight": 0.0})
    return lambda v: model.gross(case.scenario.replace(**{what: v}))


def fit(case: Case | str, tolerance: float = 1e-6) -> dict[str, float]:
    """The value of each fitted figure of a case that best reproduces its targets.

    Minimises the sum of squared relative differences over the documented results the figure
    is fitted to, by a coarse grid and then golden-section search within the figure's range.
    """
    case = catalogue.case(case) if isinstance(case, str) else case
    figures = catalogue.figures()
    out = {}
    for key, targets in case.fitted(figures).items():
        rows = [r for r in case.documented if r.figure in targets]
        scenario_at = _setter(case, key)

        def loss(value: float, scenario_at=scenario_at, rows=rows) -> float:
            try:
                result = model.evaluate(scenario_at(value))
            except ValueError:
                return math.inf
            return sum(
                ((measure(result, r) - documented_value(r.figure)) / documented_value(r.figure))
                ** 2
                for r in rows
            )

        upper = _upper(case, key)
        grid = np.linspace(0, upper, 101)
        losses = [loss(v) for v in grid]
        best = int(np.argmin(losses))
        lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
        ratio = (math.sqrt(5) - 1) / 2
        while hi - lo > tolerance:
            a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
            if loss(a) <= loss(b):
                hi = b
            else:
                lo = a
        out[key] = (lo + hi) / 2
    return out


def _upper(case: Case, key: str) -> float:
    what = next(w for w, k in case.sources.items() if k == key)
    if "." in what:
        outcome = case.scenario.outcome(what.split(".")[0])
        return min(replace(outcome, deadweight=0.0).max_effect, 5.0)
    from . import fields

    return fields.field("scenario", what).hi
