"""Monte Carlo risk, tornado sensitivity and break-even answers, on the vectorised engine.

Each uncertain input is drawn around its point value with a spread set by the evidence grade of
the figure behind it (``Spreads``, defaults in data/figures.csv): amounts, rates and durations as
log-normal factors with median 1; each outcome's effect as a normal multiplier centred on 1, so a
weak or fitted effect can be zero or harmful; deadweight and shares as normal steps around their
value. Inputs with the same source figure share one draw, so they move together. Every draw stays
within the model's bounds (the engine cannot move more people than are at risk), so an input whose
value sits at a bound is drawn to one side only (``inputs_at_bound``). Seeded: each source figure
has its own stream of the seed, so a figure is drawn alike in every scenario of its case.

The draws are **conditioned on what was observed** (approximate Bayesian calibration, Vanni et
al. 2011): every draw runs the case as documented and computes the documented results its fitted
figures were fitted to (calibration's rows with role 'fitted', by ``calibration.measures``), and
is weighted by its agreement with them, a Gaussian likelihood (importance weights). How closely a
documented result is known is calibration's one error model (``calibration.precision``), the
same the held-out checks use as their tolerance: the precision of a documented figure of its
evidence grade, or of an expectation (a forecast, counted far more loosely), and the model's own
error, in quadrature, never closer than its stated digits. It is fixed in figures.csv, not by the
``Spreads``: the reader's spread levers widen or narrow the drawn inputs, never the yardstick, so
"trust H sources more" cannot collapse the weights onto a handful of draws. A fitted effect is
drawn jointly with the base rate it was fitted on: draws whose effect and base rate together
contradict the documents count little. The chances, the median, the fan, the payback years and
the tornado use the weights; ``Simulation.effective_draws`` (Kish: (Σw)² / Σw²) says how many
equally weighted draws they are worth, and below ``min_effective_draws()`` the conditioning is
``weak`` and every place that shows the chances says so. A case with no documented result (an own
case) is not weighted.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from explorer import catalogue, model
from explorer.analysis import calibration, financing
from explorer.analysis.calibration import stated_precision  # noqa: F401  (one rule, kept here)
from explorer.catalogue.reader import Case, Documented
from explorer.data import i18n
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


def weighted_quantile(values: np.ndarray, q: float | np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Quantiles ``q`` (0 to 1) of ``values`` along its first axis, each row counted by its
    weight. The sorted values sit at the weight before them over the total less the last one's,
    which with equal weights is numpy's default rule (``np.quantile``'s linear), and quantiles
    between them are interpolated. Rows of weight 0 do not count."""
    keep = np.asarray(weights, dtype=float) > 0
    x, w = np.asarray(values, dtype=float)[keep], np.asarray(weights, dtype=float)[keep]
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    flat = x.reshape(len(x), -1)
    if len(x) == 1:
        out = np.repeat(flat, len(qs), axis=0)
    else:
        order = np.argsort(flat, axis=0)
        ws = w[order]
        before = np.cumsum(ws, axis=0) - ws
        at = before / before[-1]
        xs = np.take_along_axis(flat, order, axis=0)
        out = np.stack([np.interp(qs, at[:, c], xs[:, c]) for c in range(flat.shape[1])], axis=1)
    out = out.reshape((len(qs), *x.shape[1:]))
    return out if np.ndim(q) else out[0]


def effective_draws(weights: np.ndarray) -> float:
    """Kish's effective number of draws, (Σw)² / Σw²: how many equally weighted draws the
    weighted ones are worth (all of them when the weights are equal, 1 when one draw has all)."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


def min_effective_draws() -> float:
    """Below this many effective draws the conditioning is weak and the chances say so
    (``uncertainty.min_effective_draws`` in figures.csv)."""
    return catalogue.figure("uncertainty.min_effective_draws").value


@dataclass(frozen=True)
class Target:
    """A documented result the draws are held against: the row, its value in the price year,
    its precision by calibration's error model and one standard deviation of how far a draw may
    be from it (see the module's docstring)."""

    row: Documented
    documented: float
    precision: calibration.Precision

    @property
    def sd(self) -> float:
        return self.precision.share * abs(self.documented)

    @property
    def expectation(self) -> bool:
        """A forecast, not a measured result: held to an expectation's wide precision."""
        return self.precision.expectation


def targets(case: Case | None) -> list[Target]:
    """The documented results a case's fitted figures were fitted to, each with its precision by
    calibration's one error model (the held-out checks' tolerance): never the reader's spreads."""
    if case is None:
        return []
    return [
        Target(row, calibration.documented_value(row.figure), calibration.precision(row))
        for row in case.documented
        if calibration.role(case, row) == "fitted"
    ]


def likelihood_weights(values: np.ndarray, documented: Iterable[Target]) -> np.ndarray:
    """(n,) each draw's weight from its model values (n, m) of the documented results: the
    Gaussian likelihood exp(-½ Σ ((model - documented) / sd)²), scaled so the best draw has 1. A
    documented lower bound ('more than') is met by any value above it."""
    rows = list(documented)
    doc = np.array([t.documented for t in rows])
    sd = np.array([t.sd for t in rows])
    z = (np.asarray(values, dtype=float) - doc) / sd
    z = np.where(np.array([t.row.at_least for t in rows]), np.minimum(z, 0.0), z)
    log = -0.5 * (z**2).sum(axis=1)
    return np.exp(log - log.max())


@dataclass(frozen=True)
class Conditioning:
    """How the draws were weighted: the documented results (``targets``), each draw's model value
    of them (draws, results) in the case as documented, and the draws' weights."""

    targets: tuple[Target, ...]
    values: np.ndarray
    weights: np.ndarray

    @classmethod
    def none(cls, draws: int) -> Conditioning:
        """Every draw weighted 1: nothing documented to hold them against."""
        return cls((), np.empty((draws, 0)), np.ones(draws))

    @property
    def conditioned(self) -> bool:
        return bool(self.targets)

    @property
    def effective_draws(self) -> float:
        return effective_draws(self.weights)

    @property
    def weak(self) -> bool:
        """Conditioned on fewer effective draws than ``min_effective_draws()``: a handful of
        heavy draws decide the chances."""
        return self.conditioned and self.effective_draws < min_effective_draws()


def normals(sources: Iterable[str], draws: int, seed: int) -> dict[str, np.ndarray]:
    """Standard normal draws per source figure, each from its own stream of ``seed``: a figure
    gets the same draws whichever other figures a scenario draws."""
    return {
        s: np.random.default_rng([seed, zlib.crc32(s.encode())]).standard_normal(draws)
        for s in sorted(set(sources))
    }


def conditioning(
    case: Case | None, draws: int, seed: int, spreads: Spreads | dict[str, float] | None = None
) -> Conditioning:
    """The draws' weights (``draws`` and ``seed`` as in ``simulate``): each draw of the case as
    documented (its inputs drawn with ``spreads``) is held against the documented results its
    figures were fitted to, each to its precision by the error model."""
    spreads = _spreads(spreads)
    found = targets(case)
    if case is None or not found:
        return Conditioning.none(draws)
    s = case.scenario
    z = normals((i.source for i in uncertain_inputs(s, case)), draws, seed)
    batch = _apply_draws(s, engine.Batch.of([s]).grow(draws), z, spreads, case)
    # the years the documented results read are enough: a year's flows do not look ahead
    batch = replace(batch, horizon=max(calibration.years_read(s, t.row) for t in found))
    run = Run(s, batch, engine.run(batch), {})  # the paths alone: no KPIs needed
    values = calibration.measures(run, [t.row for t in found])
    known = ~np.isnan(values).any(axis=0)
    found = [t for t, ok in zip(found, known) if ok]
    if not found:
        return Conditioning.none(draws)
    values = values[:, known]
    return Conditioning(tuple(found), values, likelihood_weights(values, found))


@lru_cache(maxsize=64)
def _preset_conditioning(
    name: str, scenario: Scenario, spreads: tuple[tuple[str, float], ...], draws: int, seed: int
) -> Conditioning:
    """``conditioning`` of a catalogue preset, kept: a lever does not change it."""
    return conditioning(catalogue.preset(name), draws, seed, dict(spreads))


@dataclass(frozen=True)
class Simulation(Run):
    """Monte Carlo draws of one scenario: NPV, payback years and cumulative net per draw, the
    standard normal draws ``z`` by source figure, and how the draws are weighted."""

    z: dict[str, np.ndarray]
    conditioning: Conditioning

    @property
    def weights(self) -> np.ndarray:
        """(draws,) each draw's weight (all 1 when nothing documented conditions them)."""
        return self.conditioning.weights

    @property
    def effective_draws(self) -> float:
        """Kish's effective number of draws of the weighted draws (``effective_draws``)."""
        return self.conditioning.effective_draws

    @property
    def weak(self) -> bool:
        """The conditioning rests on fewer than ``min_effective_draws()`` effective draws."""
        return self.conditioning.weak

    def share(self, which: np.ndarray) -> float:
        """The weighted share of the draws where ``which`` is true."""
        return float(np.average(which, weights=self.weights))

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
        return self.share(~np.isnan(self.payback_year))

    @property
    def p_payback_discounted(self) -> float:
        """Probability of paying back within the horizon on discounted flows: a draw pays back
        when its cumulative present value stays at or above 0 to the horizon, which is a net
        present value of 0 or more (where some cost is paid)."""
        return self.share(~np.isnan(self.payback_year_discounted))

    @property
    def p_npv_positive(self) -> float:
        """Probability that the net present value is positive (WSIPP's 'chance benefits exceed
        costs'); apart from draws with an NPV of exactly 0, ``p_payback_discounted``."""
        return self.share(self.npv > 0)

    @property
    def median_npv(self) -> float:
        return float(weighted_quantile(self.npv, 0.5, self.weights))

    def bands(self) -> pd.DataFrame:
        """Weighted percentiles (5, 25, 50, 75, 95) of the cumulative net per year."""
        q = weighted_quantile(self.cumulative_net, np.array(PERCENTILES) / 100, self.weights)
        table = pd.DataFrame({f"p{p}": q[i] for i, p in enumerate(PERCENTILES)})
        table.insert(0, "year", np.arange(self.cumulative_net.shape[1]))
        table.insert(1, "calendar_year", self.scenario.start_year + table["year"])
        return table

    def payback_distribution(self) -> pd.Series:
        """Weighted share of draws paying back (undiscounted) in each year; index -1 for 'not
        within the horizon'."""
        years = np.where(np.isnan(self.payback_year), -1, self.payback_year).astype(int)
        index = [*list(range(self.scenario.horizon_years)), -1]
        return pd.Series([self.share(years == y) for y in index], index=index)


def simulate(
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 0,
    spreads: Spreads | dict[str, float] | None = None,
    case: Case | None = None,
) -> Simulation:
    """Draw every uncertain input around its value and run all draws in one engine call, each
    weighted by how well it reproduces the documented results of the scenario's case (see the
    module's docstring); ``case`` grades and conditions the inputs of a case outside the catalogue
    (see ``uncertain_inputs``)."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"simulate takes a Scenario; got {type(scenario).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= 100_000:
        raise ValueError(f"draws must be a whole number from 1 to 100000; got {draws!r}")
    spreads = _spreads(spreads)
    inputs = uncertain_inputs(scenario, case)
    z = normals((i.source for i in inputs), draws, seed)
    batch = _apply_draws(scenario, engine.Batch.of([scenario]).grow(draws), z, spreads, case)
    if case is not None:
        weights = conditioning(case, draws, seed, spreads)
    elif (preset := catalogue.preset(scenario.case)) is not None:
        key = tuple(sorted(spreads.items()))
        weights = _preset_conditioning(preset.name, preset.scenario, key, draws, seed)
    else:
        weights = Conditioning.none(draws)
    return Simulation.of(scenario, batch, z, weights)


def _spreads(spreads: Spreads | dict[str, float] | None) -> dict[str, float]:
    if spreads is None:
        return default_spreads().as_dict()
    if isinstance(spreads, Spreads):
        return spreads.as_dict()
    return Spreads(**{**default_spreads().as_dict(), **spreads}).as_dict()


def markdown(draws: int = 10_000, seed: int = 0) -> str:
    """docs/model.md's table (section 7): each preset's chances on the same draws unconditioned
    (every weight 1) and conditioned, with the effective number of draws (said to be weak below
    ``min_effective_draws()``) and the median NPV."""
    out = [
        "| case | P(payback) unconditioned | P(payback) conditioned | P(NPV > 0) unconditioned "
        "| P(NPV > 0) conditioned | effective draws | point NPV | median NPV unconditioned "
        "| median NPV conditioned |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in catalogue.cases():
        s = catalogue.load_case(name)
        sim = simulate(s, draws, seed)
        flat = replace(sim, conditioning=Conditioning.none(draws))
        npv = [model.evaluate(s).npv, flat.median_npv, sim.median_npv]
        cells = [
            catalogue.case(name).title["en"].split(":")[0],
            *(f"{p:.3f}" for p in (flat.p_payback, sim.p_payback)),
            *(f"{p:.3f}" for p in (flat.p_npv_positive, sim.p_npv_positive)),
            i18n.number(round(sim.effective_draws), "en")
            + (f" (weak: below {min_effective_draws():.0f})" if sim.weak else ""),
            *(i18n.millions(v, "en", 2) for v in npv),
        ]
        out.append(f"| {' | '.join(cells)} |")
    return "\n".join(out)


def tornado_moves(inputs: list[Input], sim: Simulation | None = None) -> np.ndarray:
    """(inputs, inputs): the standard normal step of every input (columns) when each input
    (rows) moves one spread up. Without conditioned draws, each alone by 1. With ``sim``'s
    conditioned draws, each by its standard deviation in the weighted draws, and every input of
    another figure follows by its weighted regression on it (the covariance over that deviation):
    a fitted effect moves with the base rate it was fitted on, as the documents tie them."""
    n = len(inputs)
    if sim is None or not sim.conditioning.conditioned:
        return np.eye(n)
    w = sim.weights
    z = np.stack([sim.z[item.source] for item in inputs])  # (inputs, draws)
    centred = z - np.average(z, axis=1, weights=w)[:, None]
    cov = (centred * w) @ centred.T / w.sum()
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        moves = np.where(sd[:, None] > 0, cov / sd[:, None], 0.0)
    sources = np.array([item.source for item in inputs])
    same = sources[:, None] == sources[None, :]
    return np.where(same, np.diag(sd), moves)


def tornado(
    scenario: Scenario,
    spreads: Spreads | dict[str, float] | None = None,
    case: Case | None = None,
    sim: Simulation | None = None,
) -> pd.DataFrame:
    """NPV when each input moves one spread down and up, one at a time (plus the discount-rate
    presets); with ``sim``'s conditioned draws, by ``tornado_moves``. Largest swing first."""
    spreads = _spreads(spreads)
    inputs = uncertain_inputs(scenario, case)
    rows = [(item.name, item.grade) for item in inputs]

    def npvs(moves: np.ndarray) -> np.ndarray:
        n = 2 * len(inputs)
        batch = engine.Batch.of([scenario]).grow(n)
        for j, item in enumerate(inputs):
            z = np.zeros(n)
            z[0::2], z[1::2] = -moves[:, j], moves[:, j]
            scale = value_scale(scenario, item.name) if item.draw == "step" else 1.0
            batch = item.apply(batch, factors(item.draw, z, spreads[item.grade], scale))
        return model.summarise(engine.run(batch))["npv"]

    moves = tornado_moves(inputs, sim)
    npv = npvs(moves)
    # what each input does alone: one that does not move the NPV by itself (a wider gain while
    # wider gains are not counted) shows only the noise of the others following it
    alone = npv if np.array_equal(moves, np.eye(len(inputs))) else npvs(np.eye(len(inputs)))
    rates = [f.value for f in catalogue.discount_presets().values()]
    rate_npv = model.sweep(scenario, "discount_rate", [min(rates), max(rates)])["npv"]
    table = pd.DataFrame(
        [
            {
                "input": name,
                "grade": grade,
                "npv_low": npv[2 * i],
                "npv_high": npv[2 * i + 1],
                "moves_alone": abs(alone[2 * i + 1] - alone[2 * i]) > 1e-6,
            }
            for i, (name, grade) in enumerate(rows)
        ]
    )
    table.loc[len(table)] = {
        "input": "discount_rate",
        "grade": "H",
        "npv_low": rate_npv.iloc[0],
        "npv_high": rate_npv.iloc[1],
        "moves_alone": True,
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
