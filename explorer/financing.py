"""Who pays: financing arrangements, each as every party's yearly cash flows.

A party's flow is what it gains (savings, payments received) minus what it pays. Money moves
between parties but is not created: in every arrangement the parties' flows sum to the public
sector's net (savings minus cost), which ``tests/test_financing.py`` checks.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from . import catalogue, engine, finance
from .model import Result
from .scenario import _validate, lever

PARTIES = ("kommune", "region", "stat", "investor")
ARRANGEMENTS = ("self_financed", "state_grant", "conditional_grant", "impact_bond")


@dataclass(frozen=True)
class Terms:
    """The terms of the arrangements; defaults from data/figures.csv (``financing.*``)."""

    grant_share: float = lever(0.5, 0, 1, 0.05, "share of cost", "Tilskuddets andel",
                               "Grant share", "Andel af udgiften, staten eller fonden betaler.",
                               "Share of the cost the state or fund pays.",
                               source="financing.state_grant_share")
    grant_years: int = lever(3, 1, 20, 1, "years", "Tilskudsår", "Grant years",
                             "År med tilskud fra projektets start.",
                             "Years of grant from the start.", source="financing.grant_years",
                             integer=True)
    repay_share: float = lever(0.5, 0, 1, 0.05, "share of savings", "Tilbagebetalingsandel",
                               "Repayment share",
                               "Andel af kommunens realiserede gevinst, der betaler tilskuddet "
                               "tilbage.",
                               "Share of the kommune's realised savings that repays the grant.",
                               source="financing.repay_share")
    repay_years: int = lever(4, 1, 20, 1, "years", "Tilbagebetalingsår", "Repayment years",
                             "År med tilbagebetaling efter tilskudsårene; resten eftergives.",
                             "Years of repayment after the grant years; the rest is forgiven.",
                             source="financing.repay_years", integer=True)
    bond_trigger: float = lever(0.5, 0, 1, 0.05, "share of the documented effect",
                                "Tærskel for betaling", "Payment trigger",
                                "Investoren får kun betaling, hvis mindst denne andel af den "
                                "dokumenterede effekt måles.",
                                "The investor is paid only if at least this share of the "
                                "documented effect is measured.",
                                source="financing.bond_trigger")
    bond_outcome_share: float = lever(0.5, 0, 1, 0.05, "share of savings",
                                      "Andel af gevinsten til investor", "Outcome payment share",
                                      "Andel af kommunens realiserede gevinst, der betales til "
                                      "investoren.",
                                      "Share of the kommune's realised savings paid to the "
                                      "investor.", source="financing.bond_outcome_share")
    bond_cap: float = lever(0.13, 0, 0.5, 0.01, "return per year", "Loft over afkast",
                            "Return cap", "Højeste årlige forrentning af investorens kapital.",
                            "Highest yearly return on the investor's capital.",
                            source="peterborough.cap")

    def __post_init__(self):
        _validate(self, "")

    def replace(self, **changes) -> "Terms":
        return replace(self, **changes)


def default_terms() -> Terms:
    """Terms with every default taken from its figure."""
    return Terms(**{f.name: catalogue.figure(f.metadata["source"]).value for f in fields(Terms)})


def measured_share(result: Result) -> float:
    """The measured effect as a share of the documented one: effect scale x dose."""
    return result.scenario.effect_scale * engine.scenario_dose(result.scenario)


def capped_payments(invest, payable, cap: float) -> np.ndarray:
    """What an investor who puts in ``invest`` receives of ``payable``: payments stop once the
    capital has been returned with ``cap`` a year, so the investor's return never exceeds it."""
    balance, paid = 0.0, np.zeros(len(invest))
    for t, (put, due) in enumerate(zip(invest, payable)):
        balance = balance * (1 + cap) + put
        paid[t] = min(due, balance)
        balance -= paid[t]
    return paid


def _table(result: Result, **flows) -> pd.DataFrame:
    y = result.yearly
    base = {"year": y["year"], "kommune": y["savings_kommune"] - y["cost"],
            "region": y["savings_region"], "stat": y["savings_stat"], "investor": 0.0 * y["cost"]}
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
    """(what the investor puts in, what the kommune pays it) per year."""
    y = result.yearly
    cost = y["cost"].to_numpy()
    triggered = measured_share(result) >= terms.bond_trigger
    due = terms.bond_outcome_share * np.maximum(y["savings_kommune"].to_numpy(), 0) * triggered
    return cost, capped_payments(cost, due, terms.bond_cap)


def impact_bond(result: Result, terms: Terms) -> pd.DataFrame:
    """Payment by results: an investor pays every cost; if the measured effect reaches the trigger
    the kommune pays a share of its realised savings, until the capital is back with the cap."""
    cost, paid = bond_payments(result, terms)
    return _table(result, kommune=cost - paid, investor=paid - cost)


def arrangements(result: Result, terms: Terms) -> dict[str, pd.DataFrame]:
    """Every arrangement's yearly flows per party."""
    build = {"self_financed": self_financed, "state_grant": state_grant,
             "conditional_grant": conditional_grant, "impact_bond": impact_bond}
    return {name: build[name](result, terms) for name in ARRANGEMENTS}


def summary(result: Result, terms: Terms) -> pd.DataFrame:
    """Per arrangement: each party's present value, the investor's IRR and multiple, and what the
    kommune pays compared with financing it itself."""
    rate = result.scenario.discount_rate
    rows = []
    for name, flows in arrangements(result, terms).items():
        row = {"arrangement": name}
        for party in PARTIES:
            row[f"pv_{party}"] = float(finance.npv(rate, flows[party]))
        row["investor_irr"] = row["investor_multiple"] = None
        if name == "impact_bond":
            put, got = bond_payments(result, terms)
            if put.sum() > 0:
                row["investor_multiple"] = got.sum() / put.sum()
                row["investor_irr"] = -1.0 if got.sum() == 0 else finance.irr(got - put)
        rows.append(row)
    table = pd.DataFrame(rows)
    own = table.loc[table["arrangement"] == "self_financed", "pv_kommune"].item()
    table["kommune_extra_cost"] = own - table["pv_kommune"]
    return table


@dataclass(frozen=True)
class Peterborough:
    """The Peterborough bond: capital drawn over the cohort years, one outcome payment at the end."""

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
        flows = self.flows(reduction)
        return -1.0 if flows.max() <= 0 else finance.irr(flows)


def peterborough() -> Peterborough:
    """The preset; ``payment_per_point`` is calibrated (grade A) to the documented result."""
    f = catalogue.figure
    return Peterborough(capital=f("peterborough.capital").value,
                        draw_years=int(f("peterborough.draw_years").value),
                        pay_year=int(f("peterborough.years").value),
                        trigger=f("peterborough.trigger").value, cap=f("peterborough.cap").value,
                        payment_per_point=f("peterborough.payment_per_point").value)
