"""Monte Carlo risk, tornado sensitivity and break-even answers, on the vectorised engine.

Each uncertain input is drawn around its point value with a spread set by the evidence grade of
the figure behind it (``uncertainty.spread_*`` in data/figures.csv): log-normal factors with
median 1, so a value never changes sign. Draws are seeded and reproducible.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

from . import catalogue, engine, model
from .scenario import Scenario, _validate, bounds, lever

PERCENTILES = (5, 25, 50, 75, 95)


def _spread(grade: str, da: str, en: str):
    return lever(0.0, 0, 2, 0.05, "relative spread", f"Spredning, evidens {grade}",
                 f"Spread, evidence {grade}", f"Spredning for tal af typen: {da}.",
                 f"Spread for figures that are: {en}.", source=f"uncertainty.spread_{grade}")


@dataclass(frozen=True)
class Spreads:
    """Relative spread (standard deviation of the log) of draws, per evidence grade."""

    H: float = _spread("H", "primær eller officiel kilde", "from a primary or official source")
    M: float = _spread("M", "anerkendt sekundær kilde", "from a reputable secondary source")
    L: float = _spread("L", "afledt, ældre eller delvis", "derived, old or partial")
    A: float = _spread("A", "antagelse", "assumptions")

    def __post_init__(self):
        _validate(self, "")

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def default_spreads() -> Spreads:
    """The spreads in data/figures.csv."""
    return Spreads(**{f.name: catalogue.figure(f.metadata["source"]).value for f in fields(Spreads)})


def grade_spreads() -> dict[str, float]:
    """Relative spread per evidence grade, from data/figures.csv."""
    return default_spreads().as_dict()


def _grade(scenario: Scenario, what: str) -> str:
    """The evidence grade behind input ``what`` of the scenario's case (A if none is known)."""
    if scenario.case not in catalogue.cases():
        return "A"
    key = catalogue.case(scenario.case).sources.get(what)
    return catalogue.figure(key).grade if key else "A"


def uncertain_inputs(scenario: Scenario) -> list[tuple[str, str]]:
    """(input, evidence grade) for every drawn input: worker cost, and per outcome its flow,
    effect, duration and price."""
    inputs = [("worker_cost", _grade(scenario, "worker_cost"))]
    for o in scenario.outcomes:
        inputs += [(f"{o.key}.{a}", _grade(scenario, f"{o.key}.{a}"))
                   for a in engine.OUTCOME_FIELDS]
        inputs.append((f"{o.key}.price", _grade(scenario, f"{o.key}.price.0")))
    return inputs


def _scaled(batch: engine.Batch, what: str, factor: np.ndarray) -> engine.Batch:
    """A copy of ``batch`` with input ``what`` multiplied by ``factor`` (one per scenario)."""
    scalars, outcome, price = dict(batch.scalars), dict(batch.outcome), batch.price
    if what in scalars:
        scalars[what] = scalars[what] * factor
    else:
        key, attr = what.split(".")
        k = batch.outcome_keys.index(key)
        if attr == "price":
            price = price.copy()
            price[:, k, :] *= factor[:, None]
        else:
            outcome[attr] = outcome[attr].copy()
            outcome[attr][:, k] *= factor
            if attr == "duration_years":
                outcome[attr] = np.maximum(outcome[attr], 1.0)
    return replace(batch, scalars=scalars, outcome=outcome, price=price)


def _repeat(scenario: Scenario, n: int) -> engine.Batch:
    one = engine.Batch.of([scenario])
    return one.with_values("effect_scale", np.full(n, scenario.effect_scale))


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo draws of one scenario: NPV, payback years and cumulative net per draw."""

    scenario: Scenario
    npv: np.ndarray               # (draws,)
    payback_year: np.ndarray      # (draws,), NaN when not within the horizon
    cumulative_net: np.ndarray    # (draws, T)

    @property
    def draws(self) -> int:
        return len(self.npv)

    @property
    def p_payback(self) -> float:
        """Probability of paying back within the horizon (public sector)."""
        return float(np.mean(~np.isnan(self.payback_year)))

    @property
    def p_npv_positive(self) -> float:
        """Probability that the net present value is positive (WSIPP's 'chance benefits exceed
        costs')."""
        return float(np.mean(self.npv > 0))

    def bands(self) -> pd.DataFrame:
        """Percentiles (5, 25, 50, 75, 95) of the cumulative net per year."""
        q = np.percentile(self.cumulative_net, PERCENTILES, axis=0)
        table = pd.DataFrame({f"p{p}": q[i] for i, p in enumerate(PERCENTILES)})
        table.insert(0, "year", np.arange(self.cumulative_net.shape[1]))
        return table

    def payback_distribution(self) -> pd.Series:
        """Share of draws paying back in each year; index -1 for 'not within the horizon'."""
        years = np.where(np.isnan(self.payback_year), -1, self.payback_year).astype(int)
        index = list(range(self.scenario.horizon_years)) + [-1]
        return pd.Series([np.mean(years == y) for y in index], index=index)


def simulate(scenario: Scenario, draws: int = 10_000, seed: int = 0,
             spreads: dict[str, float] | None = None, phase_in_delay: float | None = None
             ) -> Simulation:
    """Draw every uncertain input around its value and run all draws in one engine call."""
    if not isinstance(draws, int) or not 1 <= draws <= 100_000:
        raise ValueError(f"draws must be a whole number from 1 to 100000; got {draws!r}")
    spreads = Spreads(**(grade_spreads() if spreads is None else spreads)).as_dict()
    delay = catalogue.figure("uncertainty.phase_in_delay").value if phase_in_delay is None \
        else phase_in_delay
    rng = np.random.default_rng(seed)
    batch = _repeat(scenario, draws)
    for what, grade in uncertain_inputs(scenario):
        batch = _scaled(batch, what, rng.lognormal(0.0, spreads[grade], draws))
    phase = scenario.phase_in_years + rng.uniform(0.0, delay, draws)
    batch = replace(batch, scalars={**batch.scalars, "phase_in_years": phase})
    paths = engine.run(batch)
    kpis = model.summarise(batch, paths)
    return Simulation(scenario, kpis["npv"], kpis["payback_year"], np.cumsum(paths.net, axis=1))


def tornado(scenario: Scenario, spreads: dict[str, float] | None = None) -> pd.DataFrame:
    """NPV when each input moves, one at a time, to its low and high value (the point value
    times exp(-spread) and exp(+spread)), plus the discount-rate presets. Largest swing first."""
    spreads = grade_spreads() if spreads is None else spreads
    inputs = uncertain_inputs(scenario)
    n = 2 * len(inputs)
    batch = _repeat(scenario, n)
    rows = []
    for i, (what, grade) in enumerate(inputs):
        one = np.ones(n)
        one[2 * i], one[2 * i + 1] = np.exp(-spreads[grade]), np.exp(spreads[grade])
        batch = _scaled(batch, what, one)
        rows.append((what, grade, np.exp(-spreads[grade]), np.exp(spreads[grade])))
    npv = model.summarise(batch, engine.run(batch))["npv"]
    rates = [f.value for f in catalogue.discount_presets().values()]
    rate_npv = model.sweep(scenario, "discount_rate", [min(rates), max(rates)])["npv"]
    table = pd.DataFrame([{"input": what, "grade": grade, "low": lo, "high": hi,
                           "npv_low": npv[2 * i], "npv_high": npv[2 * i + 1]}
                          for i, (what, grade, lo, hi) in enumerate(rows)])
    table.loc[len(table)] = {"input": "discount_rate", "grade": "H", "low": min(rates),
                             "high": max(rates), "npv_low": rate_npv[0], "npv_high": rate_npv[1]}
    table["swing"] = (table["npv_high"] - table["npv_low"]).abs()
    return table.sort_values("swing", ascending=False, ignore_index=True)


def paying_caseloads(scenario: Scenario, step: float = 0.1) -> tuple[float, float] | None:
    """The lowest and the highest caseload after (below caseload_before, on a grid of ``step``)
    that pay back within the horizon; None if none does.

    With the log dose, small cuts cost little and do little, so if any cut pays back, the
    highest is usually just below caseload_before; the lowest says how far a cut can go.
    """
    lo = bounds(Scenario, "caseload_after")["lo"]
    values = np.round(np.arange(scenario.caseload_before - step, lo - 1e-9, -step), 10)
    if len(values) == 0:
        return None
    paying = model.sweep(scenario, "caseload_after", values)["payback_year"].notna().to_numpy()
    if not paying.any():
        return None
    return float(values[paying][-1]), float(values[paying][0])


def success_share_needed(cost_per_person: float, gain_per_success: float) -> float:
    """Share of people who must succeed for a programme to break even (CASA's question)."""
    if not cost_per_person >= 0 or not gain_per_success > 0:
        raise ValueError("cost_per_person must be 0 or more and gain_per_success above 0")
    return cost_per_person / gain_per_success
