"""Calibration in the open: each case's documented results beside the model's, and the fit.

A documented result is compared like with like. The model's effect is the difference between its
path with the programme and its path without it; a documented count is what happened, with the
programme *and* everything that would have happened anyway. So each row is held against

    model(row) = without(row) + programme(row)

where ``without`` is the count the same measurement would have shown without the programme and
``programme`` is the model's own effect on it. What would have happened anyway is counted once,
in ``without``:

- ``cohort_after`` (people of the starting group still on the benefit after some months): the
  group's base exits (``base_rate``) happen anyway, and newcomers are not in the cohort;
- ``savings_kommune`` and ``people_off`` (before-and-after counts of spending or of people): the
  case's national ``trend`` (a yearly fall of the costly state) happens anyway;
- ``cost``: nothing is spent without the programme.

The presets' effects are fitted to these rows (grade F), so their deadweight is 0: the trend is
already taken off here, and taking it off again would count it twice. Rows not used in the fit
are **held out**: they check the fitted model against a result it was not fitted to.

**One error model** (``precision``) says how closely each documented result is known, as a share
of it (one standard deviation), and serves both the Monte Carlo conditioning (uncertainty.targets)
and the held-out checks (their tolerance), stated in figures.csv before any comparison: the
precision of a documented figure of its evidence grade (``uncertainty.precision_H``, ``_M``,
``_L``; an expectation, ``kind: expectation``, takes ``uncertainty.precision_expectation``
instead) and the model's own error (``uncertainty.model_error``) in quadrature, never closer than
half a unit of its last stated digit. It comes from the documents, not from the reader's spread
levers, which move only the drawn inputs.

``fit(case)`` recomputes the fitted values (``python -m explorer calibrate CASE``), so anyone can
check that the numbers in figures.csv are what the fit gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
import pandas as pd

from explorer import catalogue, model
from explorer.catalogue.reader import Case, Documented
from explorer.model import engine, fields
from explorer.model.results import Run
from explorer.model.scenario import Scenario

COLUMNS = (
    "figure",
    "documented",
    "without",
    "model",
    "difference",
    "role",
    "unit",
    "unit_da",
    "label_da",
    "label_en",
)
ROLES = ("fitted", "held_out", "input")


def stated_precision(value: float) -> float:
    """Half a unit of the last stated digit of ``value``, as a share of it: 0.5 / 499 for 499,
    0.05 / 3.7 for 3,700,000 (DKK 3.7 m)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent) / abs(value) if value else 0.0


@dataclass(frozen=True)
class Precision:
    """How closely a documented result is known, as shares of it (one standard deviation): the
    document's own precision (by its evidence grade, or an expectation's), the model's error and
    its stated digits' half unit. ``share`` is what the conditioning and the checks use."""

    documented: float
    model: float
    stated: float
    expectation: bool = False

    @property
    def share(self) -> float:
        """The document's precision and the model's error in quadrature, at least the digits'."""
        return max(math.hypot(self.documented, self.model), self.stated)


def model_error() -> float:
    """The model's own error for a documented result (``uncertainty.model_error``)."""
    return catalogue.figure("uncertainty.model_error").value


def document_precision(grade: str, expectation: bool = False) -> float:
    """The precision of a documented figure of evidence ``grade`` (or of an expectation)."""
    key = "expectation" if expectation else grade
    figures = catalogue.figures()
    if f"uncertainty.precision_{key}" not in figures:
        raise ValueError(f"a documented result of grade {grade} has no stated precision")
    return figures[f"uncertainty.precision_{key}"].value


def precision(row: Documented) -> Precision:
    """The one error model's precision of a documented result (see the module's docstring). A
    lower bound's digits are the bound itself ("more than 1,000" is not 1,000 ± 500), so only
    a value's digits set a floor."""
    figure = catalogue.figure(row.figure)
    expectation = row.kind == "expectation"
    return Precision(
        document_precision(figure.grade, expectation),
        model_error(),
        0.0 if row.at_least else stated_precision(figure.value),
        expectation,
    )


def _fallen(trend: np.ndarray, years: float) -> np.ndarray:
    """Share of the costly state gone after ``years`` of the case's trend alone."""
    return 1.0 - (1.0 - trend) ** years


def _window(run: Run, row: Documented) -> tuple[np.ndarray, np.ndarray]:
    """The year indexes a row covers and the share of each year it counts."""
    if row.months is not None:
        return np.array([0]), np.array([row.months / 12])
    years = run.scenario.start_year + np.arange(run.batch.horizon)
    first = years[0] if row.first is None else row.first  # no bound: the run's first or last
    last = years[-1] if row.last is None else row.last
    index = np.flatnonzero((years >= first) & (years <= last))
    return index, np.ones(len(index))


def _exit(run: Run) -> int | None:
    return next((k for k, o in enumerate(run.scenario.outcomes) if o.kind == "exit"), None)


def _kept(batch: engine.Batch) -> np.ndarray:
    """(n, K) share of people-years that count as savings (after other benefits and optimism)."""
    return (1 - batch.outcome["other_benefit_share"]) * (
        1 - batch.scalars["optimism_bias"][:, None]
    )


def _level(run: Run) -> np.ndarray:
    """(n, K, T) the engine's path without the programme at the level before the start: the
    same stock flows with no trend."""
    batch = run.batch
    if not batch.scalars["trend"].any():
        return run.paths.without
    flat = replace(batch, scalars={**batch.scalars, "trend": np.zeros(batch.size)})
    return engine.stock_flows(flat, np.zeros(run.paths.without.shape))[1]


def parts_of(
    run: Run, row: Documented, level: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(without, programme), one value per row of ``run``'s batch (one scenario or many Monte
    Carlo draws): the documented measure without the programme, and the model's effect on it.
    NaN where the model has no such measure. The one rule behind ``parts`` and the draws'.
    ``level``: ``_level(run)``, when the caller has it."""
    b, p, s = run.batch, run.paths, run.scenario
    nan = np.full(b.size, math.nan)
    if row.measure == "cost":
        index, share = _window(run, row)
        return np.zeros(b.size), (p.cost[:, index] * share).sum(axis=1)
    if row.measure == "savings_kommune":
        index, share = _window(run, row)
        programme = (p.savings_payer[:, 0, index] * share).sum(axis=1)
        # A before-and-after count sees the fall that would have happened anyway: the engine's
        # path without the programme at the level before the start (no trend) less the path
        # itself, which falls with the case's trend (the same path the forecast uses).
        kommune = b.price[:, :, 0] * _kept(b)
        level = _level(run) if level is None else level
        fallen = ((level - p.without)[:, :, index] * kommune[:, :, None]).sum(axis=1)
        return (fallen * share).sum(axis=1), programme
    k = _exit(run)
    if k is None:
        return nan, nan
    cases = b.scalars["cases"]
    if row.measure == "cohort_after":
        months = row.months or 12
        year = months // 12 - 1
        if months % 12 or year >= b.horizon:
            return nan, nan
        without = cases * (1 - b.outcome["base_rate"][:, k]) ** (months / 12)
        # the cohort has no newcomers: the trend (a net fall of the whole group, newcomers
        # included) does not thin it; its own exits anyway are the base rate, in ``without``
        kept = p.stock[:, k, year] / (1 - b.scalars["trend"]) ** (year + 1)
        return without, -kept
    if row.measure == "people_off":
        year = row.last - s.start_year if row.last is not None else -1
        if not 0 <= year < b.horizon:
            return nan, nan
        return cases * _fallen(b.scalars["trend"], year + 1), p.stock[:, k, year]
    raise ValueError(f"unknown measure {row.measure!r}")


def years_read(scenario: Scenario, row: Documented) -> int:
    """How many years from the start a documented row reads: a run of the scenario this many
    years long (or its horizon, if shorter) gives the row's parts."""
    if row.months is not None:
        return max(row.months // 12, 1)
    if row.last is None:
        return scenario.horizon_years
    return min(max(row.last - scenario.start_year + 1, 1), scenario.horizon_years)


def parts(result: model.Result, row: Documented, case: Case) -> tuple[float, float]:
    """(without, programme) of one scenario's result (``parts_of`` for a batch of one)."""
    without, programme = parts_of(result, row)
    return float(without[0]), float(programme[0])


def measure(result: model.Result, row: Documented, case: Case) -> float:
    """What the documented measurement would show in the model: without + programme."""
    without, programme = parts(result, row, case)
    return without + programme


def measures(run: Run, rows: Sequence[Documented]) -> np.ndarray:
    """(n, len(rows)): what each documented measurement would show in the model, for every row
    of ``run``'s batch (the Monte Carlo draws' calibration)."""
    level = _level(run) if any(r.measure == "savings_kommune" for r in rows) else None
    columns = [np.add(*parts_of(run, row, level)) for row in rows]
    return np.stack(columns, axis=1) if columns else np.empty((run.batch.size, 0))


def documented_value(key: str) -> float:
    """A documented figure in the price year (amounts) or as stated (counts)."""
    return catalogue.figure(key).in_prices


def role(case: Case, row: Documented) -> str:
    """'fitted' (an input was fitted to it), 'input' (an input was derived from it) or
    'held_out' (neither: a check of the fitted model)."""
    figures = catalogue.figures()
    if row.figure in case.fitted_targets(figures):
        return "fitted"
    if any(row.figure in figures[key].derived_from for key in set(case.sources.values())):
        return "input"
    return "held_out"


def table(
    case: Case | str, scenario: Scenario | None = None, result: model.Result | None = None
) -> pd.DataFrame:
    """Documented versus model for a case (or for ``scenario``, a reader's change of it; or for
    the ``result`` a page has already computed for it)."""
    case = catalogue.case(case) if isinstance(case, str) else case
    if result is None:
        result = model.evaluate(case.scenario if scenario is None else scenario)
    rows = []
    for row in case.documented:
        fig = catalogue.figure(row.figure)
        doc = documented_value(row.figure)
        without, programme = parts(result, row, case)
        value = without + programme
        rows.append(
            {
                "figure": row.figure,
                "documented": doc,
                "without": without,
                "model": value,
                "difference": (value - doc) / doc if doc else math.nan,
                "role": role(case, row),
                "unit": fig.unit,
                "unit_da": fig.unit_da,
                "label_da": (row.label or {}).get("da", fig.note_da),
                "label_en": (row.label or {}).get("en", fig.note),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def held_out(
    case: Case | str, scenario: Scenario | None = None, rows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The rows no input was fitted to or derived from, with a verdict within the row's tolerance:
    its precision by the one error model (``precision``), stated in figures.csv before the
    comparison. 'matches', 'model_above' or 'model_below'; a documented lower bound ("more than
    1,000") is met by the model at or above it and missed below it. Beside the verdict: the
    programme's own part of the model's value (``programme``) and whether the path without the
    programme alone would pass the check too (``without_passes``): then the check cannot tell
    the programme's effect from what happens anyway. ``rows``: the case's ``table`` at hand."""
    case = catalogue.case(case) if isinstance(case, str) else case
    rows = table(case, scenario) if rows is None else rows
    spec = {r.figure: r for r in case.documented}
    rows = rows[rows["role"] == "held_out"].copy()
    rows["at_least"] = [spec[f].at_least for f in rows["figure"]]
    rows["tolerance"] = [precision(spec[f]).share for f in rows["figure"]]
    rows["programme"] = rows["model"] - rows["without"]
    rows["verdict"] = [verdict(d, spec[f]) for f, d in zip(rows["figure"], rows["difference"])]
    alone = (rows["without"] - rows["documented"]) / rows["documented"]
    rows["without_passes"] = [
        verdict(d, spec[f]) == "matches" for f, d in zip(rows["figure"], alone)
    ]
    return rows


def verdict(difference: float, row: Documented) -> str:
    """'matches', 'model_above' or 'model_below' for a relative difference from a documented
    figure, within the row's precision. A lower bound ("more than 1,000") is met at or above it
    and missed below it, its precision not taken off: the documents say more than (and with the
    precision taken off the trend alone would meet Hjørring's, so the check could not fail on
    the programme's effect)."""
    tolerance = 0.0 if row.at_least else precision(row).share
    if math.isnan(difference):
        return "model_below"
    if difference < -tolerance:
        return "model_below"
    if difference > tolerance and not row.at_least:
        return "model_above"
    return "matches"


def _setter(case: Case, key: str):
    """A function value -> Scenario that sets the input the figure ``key`` feeds."""
    whats = [what for what, k in case.sources.items() if k == key]
    if len(whats) != 1:
        raise ValueError(f"{key} feeds {len(whats)} inputs of {case.name}; fit needs one")
    what = whats[0]
    if "." in what:
        outcome, attr = what.split(".", 1)
        return lambda v: case.scenario.replace_outcome(outcome, **{attr: v})
    return lambda v: case.scenario.replace(**{what: v})


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
                (
                    (measure(result, r, case) - documented_value(r.figure))
                    / documented_value(r.figure)
                )
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
        return min(case.scenario.outcome(what.split(".")[0]).max_effect, 5.0)
    return fields.field("scenario", what).hi
