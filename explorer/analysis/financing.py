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

from explorer import catalogue, model
from explorer.model import Result, cashflow, engine, fields
from explorer.model.fields import spec_field

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


def documented_return() -> float:
    """The yearly return the bond pays at the documented effect: what the deal behind the default
    terms, the Peterborough bond, paid at its documented result (``financing.bond_return``)."""
    return catalogue.figure("financing.bond_return").value


def measured_share(result: Result) -> float:
    """The measured effect as a share of the documented one: effect scale x the share of the
    documented effect the programme buys (caseload dose and services)."""
    return result.scenario.effect_scale * engine.effect_share(result.scenario)


@dataclass(frozen=True)
class Bond:
    """One bond: what the investor puts in, the outcome payments due and what it is paid, a year.

    ``price`` is what the kommune pays per krone of its realised savings in the contract years,
    set when the contract is written so that the programme at the documented effect repays the
    capital with the documented return (see ``bond``)."""

    invest: np.ndarray
    due: np.ndarray
    paid: np.ndarray
    price: float
    triggered: bool
    reference: np.ndarray  # the kommune's realised savings in the contract years at effect 1


def _realised(result: Result, term: np.ndarray) -> np.ndarray:
    return np.maximum(result.yearly["savings_kommune"].to_numpy(), 0) * term


def bond(result: Result, terms: Terms, documented: Result | None = None) -> Bond:
    """The impact bond for a result.

    The investor pays the cost in the contract years. The contract is priced on the programme as
    set at the documented effect (``documented``, by default the result's scenario with
    effect_scale 1): at that effect the kommune's realised savings S1 in the contract years, times
    the price k, repay the investor's capital with the documented return r,

        k = sum_t invest(t) / (1 + r)^t  /  sum_t S1(t) / (1 + r)^t.

    If the measured effect reaches the trigger, the kommune owes k x ((1 - s) x S1(t) + s x S(t))
    in each contract year, with S the realised savings measured and s the outcome-linked share
    (``bond_outcome_share``; 1: all of the payment follows the measured effect, as Peterborough's
    did); below the trigger it owes nothing. Payments stop once the capital is back with the
    capped return, so the investor never earns more than ``bond_cap``.
    """
    y = result.yearly
    term = (y["year"] < terms.bond_years).to_numpy()
    invest = y["cost"].to_numpy() * term
    if documented is None:
        s = result.scenario
        documented = result if s.effect_scale == 1 else model.evaluate(s.replace(effect_scale=1))
    reference = _realised(documented, term)
    discount = (1 + documented_return()) ** -np.arange(len(term))
    value = (reference * discount).sum()
    price = float((invest * discount).sum() / value) if value > 0 else 0.0
    triggered = bool(measured_share(result) >= terms.bond_trigger)
    due = outcome_due(
        price, reference, _realised(result, term), terms.bond_outcome_share, triggered
    )
    paid = capped_payments(invest, due, terms.bond_cap)
    return Bond(invest, due, paid, price, triggered, reference)


def outcome_due(price, reference, realised, linked, triggered):
    """The outcome payments owed a year (years on the last axis; arrays broadcast, so draws can
    share one contract): price x ((1 - linked) x reference + linked x realised) if triggered."""
    linked, triggered = np.asarray(linked, dtype=float), np.asarray(triggered, dtype=float)
    if linked.ndim:
        linked, triggered = linked[..., None], triggered[..., None]
    return price * ((1 - linked) * reference + linked * realised) * triggered


def impact_bond(result: Result, terms: Terms, priced: Bond | None = None) -> pd.DataFrame:
    """Payment by results for a contract term (``priced``: the result's ``bond``, if at hand)."""
    b = bond(result, terms) if priced is None else priced
    return _table(result, kommune=b.invest - b.paid, investor=b.paid - b.invest)


def arrangements(
    result: Result, terms: Terms, priced: Bond | None = None
) -> dict[str, pd.DataFrame]:
    """Every arrangement's yearly flows per party."""
    return {
        "self_financed": self_financed(result, terms),
        "state_grant": state_grant(result, terms),
        "conditional_grant": conditional_grant(result, terms),
        "impact_bond": impact_bond(result, terms, priced),
    }


def investor_irr(b: Bond) -> float:
    """The investor's yearly return: -1 when nothing comes back, NaN where no rate exists (it
    never gets back what it put in, in any year: say so in words, see ``investor_multiple``)."""
    if b.paid.sum() == 0:
        return -1.0
    irr = cashflow.irr(b.paid - b.invest)
    return np.nan if irr is None else irr


def summary(result: Result, terms: Terms) -> pd.DataFrame:
    """Per arrangement: each party's present value, what the kommune pays compared with financing
    it itself, and for the bond the investor's IRR, multiple and the contract's price."""
    rate = result.scenario.discount_rate
    b = bond(result, terms)
    rows = []
    for name, flows in arrangements(result, terms, b).items():
        row: dict[str, Any] = {"arrangement": name}
        for party in PARTIES:
            row[f"pv_{party}"] = float(cashflow.npv(rate, flows[party]))
        row["investor_irr"] = row["investor_multiple"] = row["bond_price"] = np.nan
        if name == "impact_bond":
            row["bond_price"] = b.price
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
