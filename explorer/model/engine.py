"""The vectorised kernel: a batch of scenarios (or of random draws) -> yearly arrays.

Arrays are shaped (n,) per scenario, (n, K) per outcome, (n, T) per year and (n, K, T) per outcome
and year, with n scenarios, K outcomes and T = horizon years. ``evaluate`` is a batch of one; a
sweep over caseloads and thousands of Monte Carlo draws are one call each. The formulas are the
ones in docs/model.md; their physics is pinned by tests/test_properties.py: nothing is avoided that
was not at risk, nobody is moved who was not in the group, and nothing changes without staff.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from explorer.model import cashflow, fields
from explorer.model.scenario import PAYERS, Scenario, cost_per_worker, extra_workers_for

#: Scenario fields held as one number per scenario (the horizon is shared by the batch).
SCALARS = tuple(name for name in fields.of(Scenario) if name != "horizon_years")
#: Outcome fields held as one number per scenario and outcome.
OUTCOME_FIELDS = ("base_rate", "effect", "deadweight", "duration_years", "other_benefit_share")
#: A batch's scenario fields: name -> (n,).
Scalars = dict[str, np.ndarray]


@dataclass(frozen=True)
class Batch:
    """Model inputs for n scenarios that share a horizon and a list of outcomes."""

    horizon: int
    scalars: dict[str, np.ndarray]  # name -> (n,)
    outcome: dict[str, np.ndarray]  # OUTCOME_FIELDS -> (n, K)
    price: np.ndarray  # (n, K, 3): budget DKK per person-year for kommune, region, stat
    wider: np.ndarray  # (n, K): wider gain per person-year
    outcome_keys: tuple[str, ...]
    exits: np.ndarray  # (K,) True for exit outcomes, False for prevented entries
    factor: np.ndarray | None = None  # (n, K) effect multipliers for draws (negative: harm)

    @classmethod
    def of(cls, scenarios: list[Scenario]) -> Batch:
        """Stack validated scenarios sharing the horizon and the outcomes' keys and kinds."""
        first = scenarios[0]
        keys = tuple(o.key for o in first.outcomes)
        kinds = tuple(o.kind for o in first.outcomes)
        for s in scenarios:
            if s.horizon_years != first.horizon_years or tuple(
                (o.key, o.kind) for o in s.outcomes
            ) != tuple(zip(keys, kinds)):
                raise ValueError("a batch needs one horizon and one list of outcomes")
        n, k = len(scenarios), len(keys)
        scalars = {
            name: np.array([getattr(s, name) for s in scenarios], dtype=float) for name in SCALARS
        }
        outcome = {
            name: np.array(
                [[getattr(o, name) for o in s.outcomes] for s in scenarios], dtype=float
            ).reshape(n, k)
            for name in OUTCOME_FIELDS
        }
        price = np.array(
            [[o.price_by_payer() for o in s.outcomes] for s in scenarios], dtype=float
        ).reshape(n, k, len(PAYERS))
        wider = np.array(
            [[o.wider_price() for o in s.outcomes] for s in scenarios], dtype=float
        ).reshape(n, k)
        return cls(
            first.horizon_years,
            scalars,
            outcome,
            price,
            wider,
            keys,
            np.array([kind == "exit" for kind in kinds], dtype=bool),
        )

    @property
    def size(self) -> int:
        return len(self.scalars["cases"])

    def grow(self, n: int) -> Batch:
        """A batch of one repeated ``n`` times (for sweeps and draws)."""
        if self.size == n:
            return self
        if self.size != 1:
            raise ValueError(f"cannot grow a batch of {self.size} to {n}")

        def rep(a: np.ndarray) -> np.ndarray:
            return np.repeat(a, n, axis=0)

        return replace(
            self,
            scalars={k: rep(v) for k, v in self.scalars.items()},
            outcome={k: rep(v) for k, v in self.outcome.items()},
            price=rep(self.price),
            wider=rep(self.wider),
            factor=None if self.factor is None else rep(self.factor),
        )

    def with_values(self, name: str, values: Any) -> Batch:
        """A batch with Scenario field ``name`` set to each of ``values``; a batch of one is
        broadcast to ``len(values)`` scenarios. The values are not checked here: ``model.sweep``
        checks each through ``Scenario.replace``, the one validation path."""
        if name not in SCALARS:
            raise ValueError(f"cannot vary {name!r}; choose one of {', '.join(SCALARS)}")
        values = np.atleast_1d(np.asarray(values, dtype=float))
        grown = self.grow(len(values))
        return replace(grown, scalars={**grown.scalars, name: values})


@dataclass(frozen=True)
class Paths:
    """Yearly results for every scenario of a batch."""

    extra_workers: np.ndarray  # (n,)
    staffing: np.ndarray  # (n, T) share of the extra caseworkers in place
    caseload: np.ndarray  # (n, T) caseload reached
    dose: np.ndarray  # (n, T) the caseload change as a multiple of the reference one
    services_dose: np.ndarray  # (n, T) the bought services as a share of the documented ones
    phase: np.ndarray  # (n, T) share of the full effect reached in the phase-in
    steps: np.ndarray  # (n, T) reference-sized caseload steps taken (before a draw's factor)
    cost_staff: np.ndarray  # (n, T)
    cost_other: np.ndarray  # (n, T) one-off and other costs
    strength: np.ndarray  # (n, K, T) share of the movable people moved
    at_risk: np.ndarray  # (n, K, T) entries that would happen / people on the benefit
    without: np.ndarray  # (n, K, T) person-years in the costly state without the change
    new_people: np.ndarray  # (n, K, T) entries prevented / extra exits, in the year
    people: np.ndarray  # (n, K, T) person-years out of the costly state thanks to it
    stock: np.ndarray  # (n, K, T) people out of the costly state at the year's end
    counted: np.ndarray  # (n, K, T) person-years counted, after other benefits and optimism bias
    savings_outcome: np.ndarray  # (n, K, T) budget savings by outcome
    savings_payer: np.ndarray  # (n, 3, T) budget savings by payer
    wider_outcome: np.ndarray  # (n, K, T) wider gains by outcome
    wider_on: np.ndarray  # (n,) 1 where wider gains count in the result
    discount: np.ndarray  # (n, T) discount factor (1 + rate)^-t

    @property
    def cost(self) -> np.ndarray:
        return self.cost_staff + self.cost_other

    @property
    def wider_gains(self) -> np.ndarray:
        return self.wider_outcome.sum(axis=1)

    @property
    def savings_society(self) -> np.ndarray:
        """Wider gains where they count in the result, else 0."""
        return self.wider_gains * self.wider_on[:, None]

    @property
    def savings(self) -> np.ndarray:
        return self.savings_payer.sum(axis=1) + self.savings_society

    @property
    def net(self) -> np.ndarray:
        return self.savings - self.cost

    @property
    def net_kommune(self) -> np.ndarray:
        """The kommune's net when it pays every cost itself (self-financed)."""
        return self.savings_payer[:, 0] - self.cost


#: How far below 1 the share moved by one step is held (see ``strength``).
MOVED_CAP = 1e-9
#: The smallest dose that counts as a caseload change (rounding in 1/caseload is about 1e-16).
DOSE_NOISE = 1e-9


def log_dose(
    before: Any, after: Any, ref_before: Any, ref_after: Any, max_dose: Any = np.inf
) -> np.ndarray:
    """A caseload change as a multiple of the reference change, on a log scale: 0 .. max_dose.

    A change below ``DOSE_NOISE`` is rounding in the caseload reached, not a change: it is 0, so a
    full effect (everyone movable moved by one step) cannot be set off by no change at all."""
    ratio = np.log(np.asarray(before, dtype=float) / after) / np.log(
        np.asarray(ref_before) / ref_after
    )
    return np.clip(np.where(np.abs(ratio) < DOSE_NOISE, 0.0, ratio), 0.0, max_dose)


def scenario_dose(s: Scenario) -> float:
    """The dose of one scenario's caseload change, with every extra caseworker in place."""
    return float(
        log_dose(
            s.caseload_before,
            s.caseload_after,
            s.reference_caseload_before,
            s.reference_caseload_after,
            s.max_dose,
        )
    )


def services_dose(other_cost: Any, reference_other_cost: Any) -> np.ndarray:
    """The bought services as a share of those at which the effect was documented: 0 .. 1.

    Spending less buys less of the services' part of the effect; spending more is not
    extrapolated. With no documented services spending the services' part acts on nothing."""
    other = np.asarray(other_cost, dtype=float)
    ref = np.asarray(reference_other_cost, dtype=float)
    safe = np.where(ref > 0, ref, 1.0)
    return np.where(ref > 0, np.minimum(other, safe) / safe, 0.0)


def bought_share(scalars: Scalars) -> np.ndarray:
    """(n,) the share of the documented effect each scenario of a batch buys, with every extra
    caseworker in place and its services bought: the caseload part's dose and the services'
    part, weighted by ``services_share``."""
    dose = log_dose(
        scalars["caseload_before"],
        scalars["caseload_after"],
        scalars["reference_caseload_before"],
        scalars["reference_caseload_after"],
        scalars["max_dose"],
    )
    services = services_dose(scalars["other_cost_per_year"], scalars["reference_other_cost"])
    return programme_share(scalars["services_share"], dose, services)


def programme_share(services_share: Any, dose: Any, services: Any) -> np.ndarray:
    """The share of the documented programme bought: the caseload part's dose and the services'
    part, weighted by ``services_share`` (docs/model.md, "What produced the effect")."""
    return (1 - services_share) * dose + services_share * services


def effect_share(s: Scenario) -> float:
    """The share of the documented effect one scenario buys (see ``bought_share``)."""
    return float(
        bought_share({name: np.atleast_1d(float(getattr(s, name))) for name in SCALARS})[0]
    )


def phase_in(years: Any, horizon: int) -> np.ndarray:
    """(n, T): average share of the full effect in each year for a linear ramp of ``years``."""
    p = np.asarray(years, dtype=float)[:, None]
    safe = np.where(p > 0, p, 1.0)

    def ramp_area(x: np.ndarray) -> np.ndarray:  # integral of min(1, s/p) ds from 0 to x
        return np.minimum(x, safe) ** 2 / (2 * safe) + np.maximum(x - safe, 0.0)

    t = np.arange(horizon, dtype=float)[None, :]
    return np.where(p > 0, ramp_area(t + 1) - ramp_area(t), 1.0)


def moved_share(batch: Batch) -> np.ndarray:
    """(n, K): share of the movable people moved at the reference change, after deadweight."""
    o = batch.outcome
    net = o["effect"] * (1 - o["deadweight"])
    rate = o["base_rate"]
    with np.errstate(divide="ignore", invalid="ignore"):
        exit_share = np.where(rate > 0, net * rate / (1 - rate), 0.0)
    return np.clip(np.where(batch.exits[None, :], exit_share, net), 0.0, 1.0)


def strength(m_ref: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """(n, K, T): share moved at ``steps`` (n, K, T) reference-sized caseload steps.

    Each step moves the same share ``m_ref`` of those still movable: 1 - (1 - m)^steps. Zero steps
    move no one, one step moves ``m_ref``, and no number of steps moves more than everyone.
    Negative steps (a harmful draw) move people the other way, by the same rule. A share of 1
    (everyone moved by one step) is held just below 1, so that a vanishing number of steps still
    moves next to no one (0 ** steps would jump from 1 to 0 at the first step above 0).
    """
    m = np.minimum(m_ref, 1.0 - MOVED_CAP)[:, :, None]
    return np.sign(steps) * (1.0 - (1.0 - m) ** np.abs(steps))


def run(batch: Batch) -> Paths:
    """Yearly costs, people moved and savings by outcome and payer: the steps of ``STEPS``, in
    order, each the formulas of one part of docs/model.md (sections 2 to 4)."""
    s, T = batch.scalars, batch.horizon
    cases, before, after = s["cases"], s["caseload_before"], s["caseload_after"]
    extra = extra_workers_for(cases, before, after)
    on = active(s, T)
    staff = staffing(s, on)
    caseload, dose, services = doses(s, staff, on)
    phase, steps = effect_steps(s, dose, services)
    cost_staff, cost_other = costs(s, extra, staff, on)
    moved = strength(moved_share(batch), outcome_steps(batch, steps))
    at_risk, without, new, people, stock = stock_flows(batch, moved)
    counted = counting(batch, people)
    savings_outcome, wider_outcome = prices(batch, counted)
    return Paths(
        extra_workers=extra,
        staffing=staff,
        caseload=caseload,
        dose=dose,
        services_dose=services,
        phase=phase,
        steps=steps,
        cost_staff=cost_staff,
        cost_other=cost_other,
        strength=moved,
        at_risk=at_risk,
        without=without,
        new_people=new,
        people=people,
        stock=stock,
        counted=counted,
        savings_outcome=savings_outcome,
        savings_payer=payers(batch, counted),
        wider_outcome=wider_outcome,
        wider_on=s["wider_gains"],
        discount=discounting(s, T),
    )


# -- the steps of ``run`` in order (``strength`` is above), and their helpers ----------------------


def active(s: Scalars, horizon: int) -> np.ndarray:
    """(n, T): 1 while the programme runs (year < programme_years), else 0."""
    return (np.arange(horizon)[None, :] < s["programme_years"][:, None]).astype(float)


def staffing(s: Scalars, on: np.ndarray) -> np.ndarray:
    """(n, T): the share of the extra caseworkers in place: ``staffing_ramp`` in year 0, else 1,
    while the programme runs (section 2)."""
    staff = np.ones(on.shape)
    staff[:, 0] = s["staffing_ramp"]
    return staff * on


def doses(s: Scalars, staff: np.ndarray, on: np.ndarray) -> tuple[np.ndarray, ...]:
    """(n, T) each: the caseload reached with the staff in place, its dose, and the services'
    dose while the programme runs (section 3, "The effect reference and the dose")."""
    before, after = s["caseload_before"][:, None], s["caseload_after"][:, None]
    caseload = 1 / (1 / before + staff * (1 / after - 1 / before))
    dose = log_dose(
        before,
        caseload,
        s["reference_caseload_before"][:, None],
        s["reference_caseload_after"][:, None],
        s["max_dose"][:, None],
    )
    services = services_dose(s["other_cost_per_year"], s["reference_other_cost"])[:, None] * on
    return caseload, dose, services


def effect_steps(s: Scalars, dose: np.ndarray, services: np.ndarray) -> tuple[np.ndarray, ...]:
    """(n, T) each: the phase-in and the reference-sized steps taken in each year,
    ``effect_scale × share(t) × phase(t)`` (section 3)."""
    phase = phase_in(s["phase_in_years"], dose.shape[1])
    share = programme_share(s["services_share"][:, None], dose, services)
    return phase, s["effect_scale"][:, None] * share * phase


def staff_cost(extra: Any, worker_cost: Any, overhead: Any, staffing: Any) -> Any:
    """What the extra caseworkers cost: ``extra × cost_per_worker × staffing``.

    The one staff-cost formula: the engine gives it arrays, the pages numbers, and the
    workbook formula terms (its cells' text)."""
    return extra * cost_per_worker(worker_cost, overhead) * staffing


def costs(
    s: Scalars, extra: np.ndarray, staff: np.ndarray, on: np.ndarray
) -> tuple[np.ndarray, ...]:
    """(n, T) each: the staff cost and the other costs, one-off cost in year 0 (section 2)."""
    cost_staff = staff_cost(
        extra[:, None], s["worker_cost"][:, None], s["overhead"][:, None], staff
    )
    cost_other = s["other_cost_per_year"][:, None] * on
    cost_other[:, 0] += s["one_off_cost"]
    return cost_staff, cost_other


def outcome_steps(batch: Batch, steps: np.ndarray) -> np.ndarray:
    """(n, K, T): the steps for each outcome, times a draw's effect multiplier if any."""
    by_outcome = steps[:, None, :]
    if batch.factor is not None:
        by_outcome = by_outcome * batch.factor[:, :, None]
    return np.broadcast_to(by_outcome, (batch.size, len(batch.outcome_keys), batch.horizon))


def stock_flows(batch: Batch, m: np.ndarray) -> tuple[np.ndarray, ...]:
    """(n, K, T) each, from the share ``m`` moved: at risk, person-years without the change, people
    moved in the year, person-years out and people out at the year's end (section 3, "The
    counterfactual" and "The bounds").

    The group is closed. Without the programme the costly state follows the case's one
    counterfactual: the base flows and the ``trend``. Entries (rate ``base_rate × (1 - trend)^t``)
    come only from those not already in the state, exits only from those in it (a group that
    falls by ``trend`` over each year), and a spell ends after ``duration_years`` on average.
    With the programme the same flows run with the moved share taken off (entries) or added
    (exits), so nobody is in a state more often than the group has people, and those kept out of
    a placement stay at risk of one."""
    rate, group = batch.outcome["base_rate"], batch.scalars["cases"][:, None]  # (n, K), (n, 1)
    level = 1.0 - batch.scalars["trend"][:, None]  # (n, 1) the trend's yearly factor
    stays = 1.0 - 1.0 / batch.outcome["duration_years"]
    exits = batch.exits[None, :]
    at_risk, without, new, people, stock = (np.empty(m.shape) for _ in range(5))
    out = np.zeros(m.shape[:2])  # people out of the costly state thanks to the change
    base = np.zeros(m.shape[:2])  # entries: people in the state without the change
    for year in range(m.shape[2]):
        kept = out * stays  # returns (or ended spells) come first
        group_t = group * level**year  # exits: on the benefit without the change, at the start
        on = group_t - kept
        entry_rate = rate * level**year
        free = group - (base - out)  # entries: not in the state with the change, at the start
        pool_up = np.where(exits, on * (1 - rate), entry_rate * free)
        pool_down = np.where(exits, on * rate, np.minimum(entry_rate, 1 - entry_rate) * free)
        mt = m[:, :, year]
        moved = mt * np.where(mt >= 0, pool_up, pool_down)
        # exits: over the year the trend thins the group on the benefit without the change, and
        # those the change moved off it as much (they would have left with it anyway); entries:
        # the path without the change takes its own entries, and those kept out may enter later
        # a harmful draw keeps people on the benefit who would have left: at most those who
        # would have left anyway and still be off it (a duration's worth of exits, or the group)
        kept_on = np.minimum(rate * batch.outcome["duration_years"], 1.0) * group_t * level
        end = np.where(
            exits, np.maximum((kept + moved) * level, -kept_on), kept - entry_rate * out + moved
        )
        base_end = base * stays + entry_rate * (group - base)
        at_risk[:, :, year] = np.where(exits, on, entry_rate * free)
        without[:, :, year] = np.where(exits, group_t * (1 + level) / 2, (base + base_end) / 2)
        new[:, :, year] = moved
        people[:, :, year] = (out + end) / 2  # mid-year convention
        stock[:, :, year] = end
        out, base = end, base_end
    return at_risk, without, new, people, stock


def counting(batch: Batch, people: np.ndarray) -> np.ndarray:
    """(n, K, T): the person-years counted, after other benefits and optimism bias (section 3,
    "What is counted")."""
    keep = (1.0 - batch.scalars["optimism_bias"])[:, None, None] * (
        1.0 - batch.outcome["other_benefit_share"]
    )[:, :, None]
    return people * keep


def prices(batch: Batch, counted: np.ndarray) -> tuple[np.ndarray, ...]:
    """(n, K, T) each: budget savings and wider gains by outcome (section 4)."""
    return counted * batch.price.sum(axis=2)[:, :, None], counted * batch.wider[:, :, None]


def payers(batch: Batch, counted: np.ndarray) -> np.ndarray:
    """(n, 3, T): budget savings by payer, over every outcome (section 4)."""
    return np.einsum("nkt,nkp->npt", counted, batch.price)


def discounting(s: Scalars, horizon: int) -> np.ndarray:
    """(n, T): the discount factor (1 + discount_rate)^-t (section 5)."""
    return cashflow.discount_factors(s["discount_rate"], horizon)


#: The steps of ``run`` in the order it takes them; the workbook's years sheet has a column
#: builder of the same name for each, in the same order (tests/test_workbook.py).
STEPS = (
    staffing,
    doses,
    effect_steps,
    costs,
    strength,
    stock_flows,
    counting,
    prices,
    payers,
    discounting,
)
