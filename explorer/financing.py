"""Who pays: financing arrangements, each as every party's yearly cash flows.

A party's flow is what it gains (savings, payments received) minus what it pays. Money moves
between parties but is not created: in every arrangement the parties' flows sum to the public
sector's net (savings minus cost), which ``tests/test_financing.py`` checks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from . import cashflow, catalogue, engine, fields
from .fields import spec_field
from .model import Result

PARTIES = ("kommune", "region", "stat", "investor")
ARRANGEMENTS = ("self_financed", "state_grant", "conditional_grant", "impact_bond")


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


def measured_share(result: Result) -> float:
    """The measured effect as a share of the documented one: effect scale x dose."""
    return result.scenario.effect_scale * engine.scenario_dose(result.scenario)


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


def bond_payments(result: Result, terms: Terms) -> tuple[np.ndarray, np.ndarray]:
    """(what the investor puts in, what the kommune pays it) per year.

    The investor pays the cost in the contract years; if the measured effect reaches the trigger,
    the kommune pays it a share of the savings realised in those years, until the capital is
    back with at most the capped return. After the contract the kommune pays the cost itself.
    """
    y = result.yearly
    term = (y["year"] < terms.bond_years).to_numpy()
    invest = y["cost"].to_numpy() * term
    triggered = measured_share(result) >= terms.bond_trigger
    due = (
        terms.bond_outcome_share * np.maximum(y["savings_kommune"].to_numpy(), 0) * term * triggered
    )
    return invest, capped_payments(invest, due, terms.bond_cap)


def impact_bond(result: Result, terms: Terms) -> pd.DataFrame:
    """Payment by results for a contract term: see ``bond_payments``."""
    invest, paid = bond_payments(result, terms)
    return _table(result, kommune=invest - paid, investor=paid - invest)


def arrangements(result: Result, terms: Terms) -> dict[str, pd.DataFrame]:
    """Every arrangement's yearly flows per party."""
    build = {
        "self_financed": self_financed,
        "state_grant": state_grant,
        "conditional_grant": conditional_grant,
        "impact_bond": impact_bond,
    }
    return {name: build[name](result, terms) for name in ARRANGEMENTS}


def summary(result: Result, terms: Terms) -> pd.DataFrame:
    """Per arrangement: each party's present value, the investor's IRR and multiple, and what the
    kommune pays compared with financing it itself."""
    rate = result.scenario.discount_rate
    rows = []
    for name, flows in arrangements(result, terms).items():
        row: dict[str, Any] = {"arrangement": name}
        for party in PARTIES:
            row[f"pv_{party}"] = float(cashflow.npv(rate, flows[party]))
        row["investor_irr"] = row["investor_multiple"] = np.nan
        if name == "impact_bond":
            put, got = bond_payments(result, terms)
            if put.sum() > 0:
                row["investor_multiple"] = got.sum() / put.sum()
                irr = -1.0 if got.sum() == 0 else cashflow.irr(got - put)
                row["investor_irr"] = np.nan if irr is None else irr
        rows.append(row)
    table = pd.DataFrame(rows)
    own = table.loc[table["arrangement"] == "self_financed", "pv_kommune"].item()
    # The price of the finance: what the kommune gives up, in present value, against paying for
    # the same programme itself. The savings are the programme's in every arrangement.
    table["kommune_extra_cost"] = own - table["pv_kommune"]
    return table


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
