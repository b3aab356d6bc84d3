"""Monte Carlo risk, tornado sensitivity and break-even answers, on the vectorised engine.

Each uncertain input is drawn around its point value with a spread set by the evidence grade of
the figure behind it (``Spreads``, defaults in data/figures.csv): amounts, rates and durations as
log-normal factors with median 1; each outcome's effect as a normal multiplier centred on 1, so a
weak or fitted effect can be zero or harmful; deadweight and shares as normal steps around their
value. Inputs with the same source figure share one draw, so they move together. Every draw stays
within the model's bounds (the engine cannot move more people than are at risk), so an input whose
value sits at a bound is drawn to one side only (``inputs_at_bound``). Seeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from explorer import catalogue, model
from explorer.analysis import financing
from explorer.catalogue.reader import Case
from explorer.model import engine, fields
from explorer.model.fields import spec_field
from explorer.model.results import Run
from explorer.model.scenario import Scenario

PERCENTILES = (5, 25, 50, 75, 95)
#: An effect drawn below -1 would be more harmful than the documented effect is helpful.
EFFECT_FACTOR_RANGE = (-1.0, 3.0)


@dataclass(frozen=True)
class Spreads:
    """Relative spread (one standard deviation) of draws, per evidence grade."""

    H: float = spec_field("spreads", "H")
    M: float = spec_field("spreads", "M")
    L: float = spec_field("spreads", "L")
    A: float = spec_field("spreads", "A")
    F: float = spec_field("spreads", "F")

    def __post_init__(self):
        fields.validate(self)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def replace(self, **changes) -> Spreads:
        return replace(self, **changes)


def default_spreads() -> Spreads:
    """The spreads in data/figures.csv (the same as ``Spreads()``)."""
    return Spreads()


@dataclass(frozen=True)
class Input:
    """One drawn input: what it is, the figure it comes from, its grade, how it is drawn and the
    bounds a drawn value is clipped to."""

    name: str  # "worker_cost", "institution.effect", "self_support.price" ...
    source: str  # the figure key (inputs with one source share a draw), or the name itself
    grade: str
    draw: str  # "log" (factor exp(N(0, s))), "effect" (N(1, s)), "step" (value + N(0, s))
    apply: Callable[[engine.Batch, np.ndarray], engine.Batch]
    lo: float = -np.inf
    hi: float = np.inf


def _grade(case, what: str) -> tuple[str, str]:
    """(source figure key or ``what``, evidence grade) of input ``what``; own values are A."""
    key = case.sources.get(what) if case is not None else None
    if key is None:
        return what, "A"
    return key, catalogue.figure(key).grade


def _case_of(scenario: Scenario, case: Case | None = None) -> Case | None:
    """The case whose sources grade the inputs: ``case`` if given (an own case), else the
    catalogue's case of the scenario's name, else none (every input an assumption)."""
    if case is not None:
        return case
    return catalogue.preset(scenario.case)


def _scalar(name: str, lo: float = 0.0, hi: float = np.inf, log: bool = True):
    def apply(batch, x):
        value = batch.scalars[name] * x if log else batch.scalars[name] + x
        return replace(batch, scalars={**batch.scalars, name: np.clip(value, lo, hi)})

    return apply


def _outcome(k: int, name: str, lo: float, hi: float, log: bool = True):
    def apply(batch, x):
        arr = batch.outcome[name].copy()
        arr[:, k] = np.clip(arr[:, k] * x if log else arr[:, k] + x, lo, hi)
        return replace(batch, outcome={**batch.outcome, name: arr})

    return apply


def _effect(k: int):
    def apply(batch, x):
        factor = (
            np.ones((batch.size, len(batch.outcome_keys)))
            if batch.factor is None
            else batch.factor.copy()
        )
        factor[:, k] *= np.clip(x, *EFFECT_FACTOR_RANGE)
        return replace(batch, factor=factor)

    return apply


def _price(k: int, wider: bool):
    def apply(batch, x):
        if wider:
            arr = batch.wider.copy()
            arr[:, k] *= x
            return replace(batch, wider=arr)
        arr = batch.price.copy()
        arr[:, k, :] *= x[:, None]
        return replace(batch, price=arr)

    return apply


def uncertain_inputs(scenario: Scenario, case: Case | None = None) -> list[Input]:
    """Every drawn input of a scenario, with its source figure and evidence grade (from
    ``case``'s sources if given, else the catalogue case of the scenario's name)."""
    case = _case_of(scenario, case)

    def scalar(name, draw, lo=0.0, hi=np.inf):
        apply = _scalar(name, lo, hi, log=draw == "log")
        return Input(name, *_grade(case, name), draw, apply, lo, hi)

    def outcome(k, key, attr, draw, lo, hi):
        apply = _outcome(k, attr, lo, hi, log=draw == "log")
        return Input(f"{key}.{attr}", *_grade(case, f"{key}.{attr}"), draw, apply, lo, hi)

    inputs = [scalar("worker_cost", "log"), scalar("overhead", "log", 0, 1)]
    if scenario.services_share > 0:
        inputs.append(scalar("services_share", "step", 0, 1))
    for k, o in enumerate(scenario.outcomes):
        rate_hi = 1.0 if o.kind == "entry" else 0.99
        inputs += [
            outcome(k, o.key, "base_rate", "log", 0.0, rate_hi),
            Input(f"{o.key}.effect", *_grade(case, f"{o.key}.effect"), "effect", _effect(k)),
            outcome(k, o.key, "duration_years", "log", 1.0, 30.0),
        ]
        if o.deadweight > 0:
            inputs.append(outcome(k, o.key, "deadweight", "step", 0.0, 1.0))
        if o.other_benefit_share > 0:
            inputs.append(outcome(k, o.key, "other_benefit_share", "step", 0.0, 1.0))
        budget = [i for i, p in enumerate(o.prices) if p.kind == "budget"]
        wider = [i for i, p in enumerate(o.prices) if p.kind == "wider"]
        if budget:
            inputs.append(
                Input(
                    f"{o.key}.price",
                    *_grade(case, f"{o.key}.price.{budget[0]}"),
                    "log",
                    _price(k, False),
                )
            )
        if wider:
            inputs.append(
                Input(
                    f"{o.key}.wider",
                    *_grade(case, f"{o.key}.price.{wider[0]}"),
                    "log",
                    _price(k, True),
                )
            )
    return inputs


def factors(kind: str, z: np.ndarray, spread: float, scale: float) -> np.ndarray:
    """The change an input gets from standard normal draws ``z``."""
    if kind == "log":
        return np.exp(spread * z)
    if kind == "effect":
        return 1.0 + spread * z
    return spread * z * scale  # "step": an absolute step, relative to the value's size


def value_scale(scenario: Scenario, name: str) -> float:
    key, _, attr = name.partition(".")
    return getattr(scenario.outcome(key), attr) if attr else getattr(scenario, name)


def inputs_at_bound(
    scenario: Scenario, spreads: Spreads | dict[str, float] | None = None, case: Case | None = None
) -> list[tuple[Input, str]]:
    """Drawn inputs whose value sits at a bound of its range, with the bound ("lo" or "hi"): their
    draws can move them one way only, so the draws' median NPV leans away from the point estimate
    (Herning's duration of 1 year, the lowest the model allows, can only get longer)."""
    spreads = _spreads(spreads)
    out = []
    for item in uncertain_inputs(scenario, case):
        unbounded = item.lo == -np.inf and item.hi == np.inf  # effects and prices
        if unbounded or spreads[item.grade] == 0:
            continue
        value = value_scale(scenario, item.name)
        if value == 0:  # drawn around 0 by a factor or a step of 0: not drawn at all
            continue
        if value <= item.lo:
            out.append((item, "lo"))
        elif value >= item.hi:
            out.append((item, "hi"))
    return out


#: Financing terms drawn for the bond checks: (field, draw). Years stay fixed (contract choices).
TERM_DRAWS = (("bond_trigger", "step"), ("bond_outcome_share", "step"), ("bond_cap", "log"))


def term_draws(z: dict[str, np.ndarray], spreads: dict[str, float]) -> dict[str, np.ndarray]:
    """Financing terms per draw (the defaults moved by standard normal draws ``z`` by field)."""

    terms = financing.default_terms()
    out = {}
    for name, draw in TERM_DRAWS:
        spec = fields.field("terms", name)
        grade = catalogue.figure(str(spec.default)).grade
        value = getattr(terms, name)
        x = factors(draw, z[name], spreads[grade], value)
        out[name] = np.clip(value * x if draw == "log" else value + x, spec.lo, spec.hi)
    return out


def _apply_draws(
    scenario: Scenario,
    batch: engine.Batch,
    z: dict[str, np.ndarray],
    spreads: dict[str, float],
    case: Case | None = None,
) -> engine.Batch:
    for item in uncertain_inputs(scenario, case):
        x = factors(
            item.draw,
            z[item.source],
            spreads[item.grade],
            value_scale(scenario, item.name) if item.draw == "step" else 1.0,
        )
        batch = item.apply(batch, x)
    return batch


@dataclass(frozen=True)
class Simulation(Run):
    """Monte Carlo draws of one scenario: NPV, payback years and cumulative net per draw."""

    @property
    def npv(self) -> np.ndarray:
        return self.kpis["npv"]

    @property
    def payback_year(self) -> np.ndarray:
        """(draws,) undiscounted payback year index, NaN when not within the horizon."""
        return self.kpis["payback_year"]

    @property
    def payback_year_discounted(self) -> np.ndarray:
        return self.kpis["payback_year_discounted"]

    @property
    def cumulative_net(self) -> np.ndarray:
        """(draws, T)"""
        return np.cumsum(self.paths.net, axis=1)

    @property
    def draws(self) -> int:
        return len(self.npv)

    @property
    def p_payback(self) -> float:
        """Probability of paying back within the horizon, undiscounted (public sector)."""
        return float(np.mean(~np.isnan(self.payback_year)))

    @property
    def p_payback_discounted(self) -> float:
        """Probability of paying back within the horizon on discounted flows: a draw pays back
        when its cumulative present value stays at or above 0 to the horizon, which is a net
        present value of 0 or more (where some cost is paid)."""
        return float(np.mean(~np.isnan(self.payback_year_discounted)))

    @property
    def p_npv_positive(self) -> float:
        """Probability that the net present value is positive (WSIPP's 'chance benefits exceed
        costs'); apart from draws with an NPV of exactly 0, ``p_payback_discounted``."""
        return float(np.mean(self.npv > 0))

    @property
    def median_npv(self) -> float:
        return float(np.median(self.npv))

    def bands(self) -> pd.DataFrame:
        """Percentiles (5, 25, 50, 75, 95) of the cumulative net per year."""
        q = np.percentile(self.cumulative_net, PERCENTILES, axis=0)
        table = pd.DataFrame({f"p{p}": q[i] for i, p in enumerate(PERCENTILES)})
        table.insert(0, "year", np.arange(self.cumulative_net.shape[1]))
        table.insert(1, "calendar_year", self.scenario.start_year + table["year"])
        return table

    def payback_distribution(self) -> pd.Series:
        """Share of draws paying back (undiscounted) in each year; index -1 for 'not within the
        horizon'."""
        years = np.where(np.isnan(self.payback_year), -1, self.payback_year).astype(int)
        index = [*list(range(self.scenario.horizon_years)), -1]
        return pd.Series([np.mean(years == y) for y in index], index=index)


def simulate(
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 0,
    spreads: Spreads | dict[str, float] | None = None,
    case: Case | None = None,
) -> Simulation:
    """Draw every uncertain input around its value and run all draws in one engine call;
    ``case`` grades the inputs of a case outside the catalogue (see ``uncertain_inputs``)."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"simulate takes a Scenario; got {type(scenario).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= 100_000:
        raise ValueError(f"draws must be a whole number from 1 to 100000; got {draws!r}")
    spreads = _spreads(spreads)
    rng = np.random.default_rng(seed)
    sources = sorted({i.source for i in uncertain_inputs(scenario, case)})
    z = {source: rng.standard_normal(draws) for source in sources}
    batch = _apply_draws(scenario, engine.Batch.of([scenario]).grow(draws), z, spreads, case)
    return Simulation.of(scenario, batch)


def _spreads(spreads: Spreads | dict[str, float] | None) -> dict[str, float]:
    if spreads is None:
        return default_spreads().as_dict()
    if isinstance(spreads, Spreads):
        return spreads.as_dict()
    return Spreads(**{**default_spreads().as_dict(), **spreads}).as_dict()


def tornado(
    scenario: Scenario, spreads: Spreads | dict[str, float] | None = None, case: Case | None = None
) -> pd.DataFrame:
    """NPV when each input moves, one at a time, one spread down and up (plus the discount-rate
    presets). Largest swing first."""
    spreads = _spreads(spreads)
    inputs = uncertain_inputs(scenario, case)
    n = 2 * len(inputs)
    batch = engine.Batch.of([scenario]).grow(n)
    rows = []
    for i, item in enumerate(inputs):
        z = np.zeros(n)
        z[2 * i], z[2 * i + 1] = -1.0, 1.0
        scale = value_scale(scenario, item.name) if item.draw == "step" else 1.0
        batch = item.apply(batch, factors(item.draw, z, spreads[item.grade], scale))
        rows.append((item.name, item.grade))
    npv = model.summarise(engine.run(batch))["npv"]
    rates = [f.value for f in catalogue.discount_presets().values()]
    rate_npv = model.sweep(scenario, "discount_rate", [min(rates), max(rates)])["npv"]
    table = pd.DataFrame(
        [
            {"input": name, "grade": grade, "npv_low": npv[2 * i], "npv_high": npv[2 * i + 1]}
            for i, (name, grade) in enumerate(rows)
        ]
    )
    table.loc[len(table)] = {
        "input": "discount_rate",
        "grade": "H",
        "npv_low": rate_npv.iloc[0],
        "npv_high": rate_npv.iloc[1],
    }
    table["swing"] = (table["npv_high"] - table["npv_low"]).abs()
    return table.sort_values("swing", ascending=False, ignore_index=True)


def paying_caseloads(scenario: Scenario, step: float = 0.5) -> tuple[float, float] | None:
    """The lowest and the highest caseload after (below caseload_before, on a grid of ``step``)
    with a net present value of 0 or more; None if none has."""
    lo = fields.field("scenario", "caseload_after").lo
    values = np.round(np.arange(scenario.caseload_before - step, lo - 1e-9, -step), 10)
    if len(values) == 0:
        return None
    paying = (model.sweep(scenario, "caseload_after", values)["npv"] >= 0).to_numpy()
    if not paying.any():
        return None
    return float(values[paying][-1]), float(values[paying][0])


def success_share_needed(cost_per_person: float, gain_per_success: float) -> float:
    """Share of people who must succeed for a programme to break even (CASA's question)."""
    if not cost_per_person >= 0 or not gain_per_success > 0:
        raise ValueError("cost_per_person must be 0 or more and gain_per_success above 0")
    return cost_per_person / gain_per_success
