"""Who pays: financing arrangements, each as every party's yearly cash flows.

A party's flow is what it gains (savings, payments received) minus what it pays. Money moves
between parties but is not created: in every arrangement the parties' flows sum to the public
sector's net (savings minus cost), which ``tests/test_financing.py`` checks.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from explorer import catalogue
from explorer.model import Result, cashflow, engine, fields
from explorer.model.fields import spec_field
from explorer.model.results import EFFECT_RANGE, evaluate
from explorer.model.scenario import Scenario

PARTIES = ("kommune", "region", "stat", "investor")
#: ``impact_bond`` pays the share the terms state (by default an assumption, grade A);
#: ``signed_bond`` the share an investor needs to sign (``participation``), the rest alike.
ARRANGEMENTS = ("self_financed", "state_grant", "conditional_grant", "impact_bond", "signed_bond")


@dataclass(frozen=True)
class Terms:
    """The terms of the arrangements; defaults from data/figures.csv via data/fields.yaml."""

    grant_share: float = spec_field("terms", "grant_share")
    grant_years: int = spec_field("terms", "grant_years")
    repay_share: float = spec_field("terms", "repay_share")
    repay_years: int = spec_field("terms", "repay_years")
    bond_years: int = spec_field("terms", "bond_years")
    bond_trigger: float = spec_field("terms", "bond_trigger")
    bond_outcome_share: float = spec_field("terms", "bond_outcome_share")
    bond_cap: float = spec_field("terms", "bond_cap")

    def __post_init__(self):
        fields.validate(self)

    def replace(self, **changes) -> Terms:
        return replace(self, **changes)


def default_terms() -> Terms:
    """Terms with every default taken from its figure (the same as ``Terms()``)."""
    return Terms()


def capped_payments(invest, payable, cap: float | np.ndarray) -> np.ndarray:
    """What an investor who puts in ``invest`` receives of ``payable`` (years on the last axis):
    payments stop once the capital has been returned with ``cap`` a year, so the investor's
    return never exceeds it."""
    invest, payable = np.asarray(invest, dtype=float), np.asarray(payable, dtype=float)
    balance = np.zeros(invest.shape[:-1])
    paid = np.zeros_like(invest)
    for t in range(invest.shape[-1]):
        balance = balance * (1 + cap) + invest[..., t]
        paid[..., t] = np.minimum(payable[..., t], balance)
        balance = balance - paid[..., t]
    return paid


def _table(result: Result, **flows) -> pd.DataFrame:
    y = result.yearly
    base = {
        "year": y["year"],
        "kommune": y["savings_kommune"] - y["cost"],
        "region": y["savings_region"],
        "stat": y["savings_stat"],
        "investor": 0.0 * y["cost"],
    }
    for party, change in flows.items():
        base[party] = base[party] + change
    return pd.DataFrame(base)


def self_financed(result: Result, terms: Terms) -> pd.DataFrame:
    """The kommune pays every cost and keeps its own savings."""
    return _table(result)


def state_grant(result: Result, terms: Terms) -> pd.DataFrame:
    """The state (a pool such as the satspulje) pays a share of the cost for the grant years."""
    y = result.yearly
    grant = terms.grant_share * y["cost"] * (y["year"] < terms.grant_years)
    return _table(result, kommune=grant, stat=-grant)


def conditional_grant(result: Result, terms: Terms) -> pd.DataFrame:
    """A DSI-style grant: the fund pays a share of the cost for the grant years; the kommune repays
    from realised savings over the repayment years; what is not repaid by then is forgiven."""
    y = result.yearly
    grant = (terms.grant_share * y["cost"] * (y["year"] < terms.grant_years)).to_numpy()
    window = (y["year"] >= terms.grant_years) & (y["year"] < terms.grant_years + terms.repay_years)
    due = (terms.repay_share * np.maximum(y["savings_kommune"], 0) * window).to_numpy()
    repay = capped_payments(grant, due, 0.0)
    return _table(result, kommune=grant - repay, stat=repay - grant)


#: The bond's terms a batch of draws may vary, one value per draw (``contract``).
DRAWN_TERMS = ("bond_trigger", "bond_outcome_share", "bond_cap")


@dataclass(frozen=True)
class Bond:
    """A bond's yearly flows (years on the last axis; over a batch, a row per scenario): what the
    investor puts in, the kommune's realised savings in the contract years, the outcome payments
    due and those paid, the measured reduction and whether it reached the trigger."""

    invest: np.ndarray
    realised: np.ndarray
    due: np.ndarray
    paid: np.ndarray
    reduction: Any
    triggered: Any

    def row(self, i: int) -> Bond:
        return Bond(*(getattr(self, f.name)[i] for f in dataclasses.fields(self)))


def contract(paths: engine.Paths, terms: Terms, drawn: dict[str, np.ndarray] | None = None) -> Bond:
    """The bond on every scenario of a batch, written before the result.

    The investor pays the cost in the contract years (``bond_years``). The measured result is
    the reduction in person-years in the costly state in those years against the path without
    the programme, as Peterborough's was the reduction in reconviction events against a matched
    comparison group. If it reaches ``bond_trigger``, the kommune pays the investor a fixed share
    (``bond_outcome_share``) of its realised savings in each contract year, and only once they
    are realised; below the trigger it pays nothing. Payments stop once the capital is back with
    ``bond_cap`` a year, so the kommune never pays more than its share of what it saved and the
    investor never earns more than the cap. ``drawn`` gives draws their own trigger, share and
    cap, (n,) arrays by field.
    """
    values = {name: np.asarray(getattr(terms, name), dtype=float) for name in DRAWN_TERMS}
    values |= {k: np.asarray(v, dtype=float) for k, v in (drawn or {}).items()}
    term = np.arange(paths.cost.shape[-1]) < terms.bond_years
    invest = paths.cost * term
    realised = np.maximum(paths.savings_payer[:, 0], 0) * term
    people = (paths.people * term).sum(axis=(1, 2))
    without = (paths.without * term).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        reduction = np.where(without > 0, people / without, 0.0)
    triggered = reduction >= values["bond_trigger"]
    due = (values["bond_outcome_share"] * triggered)[..., None] * realised
    paid = capped_payments(invest, due, values["bond_cap"])
    return Bond(invest, realised, due, paid, reduction, triggered)


def bond(result: Result, terms: Terms) -> Bond:
    """The impact bond for one result (see ``contract``)."""
    return contract(result.paths, terms).row(0)


def kommune_pv(paths: engine.Paths, b: Bond) -> np.ndarray:
    """(n,) the kommune's present value with the bond ``b`` on ``paths``."""
    return ((paths.net_kommune + b.invest - b.paid) * paths.discount).sum(axis=1)


@dataclass(frozen=True)
class Cliff:
    """Where the measured reduction reaches the trigger as the effect scale rises: the effect
    scale, and the kommune's present value with the bond just below it and at it."""

    effect: float
    below: float
    above: float


def cliff(scenario: Scenario, terms: Terms, tolerance: float = 1e-3) -> Cliff | None:
    """The cliff at the trigger for ``scenario`` with its other settings, or None if the trigger
    is met at every effect scale or at none. The reduction rises with the effect scale, so a
    vectorised bisection finds it (as ``model.break_even_effect`` does)."""
    one = engine.Batch.of([scenario])

    def at(scales: np.ndarray) -> tuple[engine.Paths, Bond]:
        paths = engine.run(one.with_values("effect_scale", scales))
        return paths, contract(paths, terms)

    lo, hi = EFFECT_RANGE
    _, ends = at(np.array([lo, hi]))
    if ends.triggered[0] or not ends.triggered[1]:
        return None
    while hi - lo > tolerance:
        grid = np.linspace(lo, hi, 33)
        first = np.flatnonzero(at(grid)[1].triggered)[0]
        lo, hi = grid[first - 1], grid[first]
    paths, b = at(np.array([lo, hi]))
    below, above = kommune_pv(paths, b)
    return Cliff(float(hi), float(below), float(above))


def impact_bond(result: Result, terms: Terms, priced: Bond | None = None) -> pd.DataFrame:
    """Payment by results for a contract term (``priced``: the result's ``bond``, if at hand)."""
    b = bond(result, terms) if priced is None else priced
    return _table(result, kommune=b.invest - b.paid, investor=b.paid - b.invest)


def arrangements(
    result: Result, terms: Terms, priced: Bond | None = None, signed: Terms | None = None
) -> dict[str, pd.DataFrame]:
    """Every arrangement's yearly flows per party; ``signed``: the terms of the bond an investor
    signs (default ``signed_terms(result.scenario, terms)``)."""
    signed = signed_terms(result.scenario, terms) if signed is None else signed
    return {
        "self_financed": self_financed(result, terms),
        "state_grant": state_grant(result, terms),
        "conditional_grant": conditional_grant(result, terms),
        "impact_bond": impact_bond(result, terms, priced),
        "signed_bond": impact_bond(result, signed),
    }


def investor_irr(b: Bond) -> float:
    """The investor's yearly return: -1 when nothing comes back (to rounding: a billionth of the
    capital), NaN where no rate exists (it never gets back what it put in, in any year: say so in
    words, see ``investor_multiple``)."""
    if b.paid.sum() <= 1e-9 * b.invest.sum():
        return -1.0
    irr = cashflow.irr(b.paid - b.invest)
    return np.nan if irr is None else irr


def summary(result: Result, terms: Terms, signed: Terms | None = None) -> pd.DataFrame:
    """Per arrangement: each party's present value, what the kommune pays compared with financing
    it itself, and for the bonds the share of the savings paid (``bond_share``) and the
    investor's IRR and multiple. ``signed``: as for ``arrangements``."""
    rate = result.scenario.discount_rate
    signed = signed_terms(result.scenario, terms) if signed is None else signed
    bonds = {
        "impact_bond": (bond(result, terms), terms),
        "signed_bond": (bond(result, signed), signed),
    }
    rows = []
    for name, flows in arrangements(result, terms, bonds["impact_bond"][0], signed).items():
        row: dict[str, Any] = {"arrangement": name}
        for party in PARTIES:
            row[f"pv_{party}"] = float(cashflow.npv(rate, flows[party]))
        row["bond_share"] = row["investor_irr"] = row["investor_multiple"] = np.nan
        if name in bonds:
            b, written = bonds[name]
            row["bond_share"] = written.bond_outcome_share
            if b.invest.sum() > 0:
                row["investor_multiple"] = b.paid.sum() / b.invest.sum()
                row["investor_irr"] = investor_irr(b)
        rows.append(row)
    table = pd.DataFrame(rows)
    own = table.loc[table["arrangement"] == "self_financed", "pv_kommune"].item()
    # The price of the finance: what the kommune gives up, in present value, against paying for
    # the same programme itself. The savings are the programme's in every arrangement.
    table["kommune_extra_cost"] = own - table["pv_kommune"]
    return table


# -- the investor's participation: a contract an investor signs --------------------------------
def investor_return() -> float:
    """The return an investor asks of a bond: what Peterborough's investors got, their capital
    back plus about 3 % a year (``peterborough.investor_return``)."""
    return catalogue.figure("peterborough.investor_return").value


def ex_ante(scenario: Scenario) -> Scenario:
    """What an investor prices before the result: the scenario's preset as documented (its
    documented effect and its own levers), whatever the reader has moved since; an own case as
    entered, at its effect scale of 1."""
    case = catalogue.preset(scenario.case)
    return case.scenario if case is not None else scenario.replace(effect_scale=1.0)


@dataclass(frozen=True)
class Participation:
    """The share of its realised savings in the contract years the kommune must pay for the
    investor to get its capital back plus ``target`` a year at the documented effect
    (``needed``: above 1 where that is more than all it saves, infinite where no share will do:
    the documented effect misses the trigger), the contract's share an investor signs and the
    seed allows (``share``: ``needed`` capped at 1: 'only part of the saving achieved'), and what
    the investor gets at that share at the documented effect (``irr``, ``multiple``)."""

    needed: float
    share: float
    target: float
    irr: float
    multiple: float

    @property
    def exceeds_savings(self) -> bool:
        """The investor needs more than the kommune saves: it cannot get its return from 'only
        part of the saving achieved'."""
        return self.needed > 1


def needed_share(b: Bond, cap: float, target: float, tolerance: float = 1e-10) -> float:
    """The least share of ``b``'s realised savings at which the investor's flows are worth
    nothing at ``target`` (its IRR is ``target``), with ``b``'s trigger and the ``cap``; infinite
    if none is. Below the cap the payments are the share times the savings, so the worth rises
    with the share; a vectorised bisection over a grid finds where it turns (as ``cliff``)."""
    if not b.triggered or b.invest.sum() <= 0:
        return math.inf if b.invest.sum() > 0 else 0.0
    factors = (1 + target) ** -np.arange(b.invest.shape[-1], dtype=float)

    def worth(shares: np.ndarray) -> np.ndarray:
        invest = np.broadcast_to(b.invest, (len(shares), len(b.invest)))
        paid = capped_payments(invest, shares[:, None] * b.realised, cap)
        return ((paid - invest) * factors).sum(axis=1)

    lo, hi = 0.0, 1.0
    while worth(np.array([hi]))[0] < 0:
        if hi >= 1e3:
            return math.inf
        lo, hi = hi, 2 * hi
    while hi - lo > tolerance:
        grid = np.linspace(lo, hi, 33)
        first = int(np.flatnonzero(worth(grid) >= 0)[0])
        lo, hi = grid[max(first - 1, 0)], grid[first]
        if first == 0:
            break
    return float(hi)


def participation(scenario: Scenario, terms: Terms) -> Participation:
    """The investor's participation constraint, judged before the result: at ``ex_ante(scenario)``
    with the contract's trigger, cap and term from ``terms``. It depends on the reader's settings
    only through those terms, so it stays fixed as the reader moves the effect, the caseload or
    any other lever of the scenario."""
    return _participation(ex_ante(scenario), terms.bond_years, terms.bond_trigger, terms.bond_cap)


@functools.lru_cache(maxsize=256)
def _participation(scenario: Scenario, years: int, trigger: float, cap: float) -> Participation:
    terms = Terms(bond_years=years, bond_trigger=trigger, bond_cap=cap)
    target = investor_return()
    result = evaluate(scenario)
    b = bond(result, terms)
    needed = needed_share(b, cap, target)
    share = min(needed, 1.0)
    at = bond(result, terms.replace(bond_outcome_share=share))
    multiple = at.paid.sum() / at.invest.sum() if at.invest.sum() > 0 else math.nan
    return Participation(needed, share, target, investor_irr(at), multiple)


def signed_terms(scenario: Scenario, terms: Terms) -> Terms:
    """``terms`` with the share of the bond an investor signs (``participation``)."""
    return terms.replace(bond_outcome_share=participation(scenario, terms).share)


def trigger_effect(scenario: Scenario, terms: Terms) -> float | None:
    """The effect scale at which the measured fall reaches the trigger at ``ex_ante(scenario)``:
    the trigger as a share of the documented effect (None: met at every effect or at none)."""
    found = cliff(ex_ante(scenario), terms)
    return None if found is None else found.effect


@dataclass(frozen=True)
class Peterborough:
    """The Peterborough bond: capital drawn over the cohort years, one payment at the end."""

    capital: float
    draw_years: int
    pay_year: int
    trigger: float
    cap: float
    payment_per_point: float

    def flows(self, reduction: float) -> np.ndarray:
        """The investors' yearly flows for a measured reduction in reconviction events."""
        invest = np.zeros(self.pay_year + 1)
        invest[: self.draw_years] = self.capital / self.draw_years
        due = np.zeros_like(invest)
        if reduction >= self.trigger:
            due[self.pay_year] = self.payment_per_point * reduction * 100
        return capped_payments(invest, due, self.cap) - invest

    def irr(self, reduction: float) -> float:
        """The investors' yearly return (-1: everything lost; NaN where it is undefined)."""
        flows = self.flows(reduction)
        if flows.max() <= 0:
            return -1.0
        irr = cashflow.irr(flows)
        return np.nan if irr is None else irr


def peterborough() -> Peterborough:
    """The preset; ``payment_per_point`` is calibrated (grade A) to the documented result."""
    f = catalogue.figure
    return Peterborough(
        capital=f("peterborough.capital").value,
        draw_years=int(f("peterborough.draw_years").value),
        pay_year=int(f("peterborough.years").value),
        trigger=f("peterborough.trigger").value,
        cap=f("peterborough.cap").value,
        payment_per_point=f("peterborough.payment_per_point").value,
    )


def markdown() -> str:
    """docs/model.md's table (section 6): per preset at its documented settings, the share of its
    realised savings an investor needs, the share of the bond it signs and what that returns it,
    what the assumed share returns it, the kommune's price of the signed bond and the effect at
    which the trigger is met, as a share of the documented effect."""
    terms = default_terms()
    assumed = terms.bond_outcome_share
    out = [
        "| case | share needed | share signed | investor at it: IRR (multiple) "
        f"| investor at the assumed {assumed:.0%}: IRR (multiple) "
        "| kommune's price of the signed bond (present value, against paying itself) "
        "| trigger met at, of the documented effect |",
        "|---|---|---|---|---|---|---|",
    ]

    def investor(row) -> str:
        irr = row["investor_irr"]
        rate = "none" if pd.isna(irr) or irr <= -1 else f"{irr:.1%}"
        return f"{rate} ({row['investor_multiple']:.2f})"

    for name in catalogue.cases():
        s = catalogue.load_case(name)
        p = participation(s, terms)
        table = summary(evaluate(s), terms).set_index("arrangement")
        at = trigger_effect(s, terms)
        cells = [
            catalogue.case(name).title["en"].split(":")[0],
            f"{p.needed:.1%}",
            f"{p.share:.1%}",
            investor(table.loc["signed_bond"]),
            investor(table.loc["impact_bond"]),
            f"{round(table.loc['signed_bond', 'kommune_extra_cost'] / 1e6, 1) + 0.0:+.1f} m",
            "—" if at is None else f"{at:.0%}",
        ]
        out.append(f"| {' | '.join(cells)} |")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
