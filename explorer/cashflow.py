"""Cash-flow arithmetic on yearly flows (last axis = years): discounting, NPV, payback, IRR."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf


def discount_factors(rate, years: int) -> np.ndarray:
    """(1 + rate)^-t for t = 0 .. years-1; year 0 is not discounted."""
    return (1.0 + np.asarray(rate, dtype=float)[..., None]) ** -np.arange(years)


def npv(rate, flows) -> np.ndarray:
    """Net present value with year 0 undiscounted (numpy-financial's convention)."""
    flows = np.asarray(flows, dtype=float)
    return (flows * discount_factors(rate, flows.shape[-1])).sum(axis=-1)


def payback_index(net, cost) -> np.ndarray:
    """First year in which the cumulative net is >= 0 after some cost was paid; -1 if none.

    Pass discounted flows for the discounted payback year. A tiny tolerance (1e-9 of the
    cumulative cost) keeps an exact break-even from failing on rounding.
    """
    cum_net = np.cumsum(np.asarray(net, dtype=float), axis=-1)
    cum_cost = np.cumsum(np.asarray(cost, dtype=float), axis=-1)
    paid = (cum_cost > 0) & (cum_net >= -1e-9 * cum_cost)
    return np.where(paid.any(axis=-1), paid.argmax(axis=-1), -1)


def irr(flows) -> float | None:
    """Internal rate of return of one series of yearly flows, or None where it is undefined."""
    value = npf.irr(np.asarray(flows, dtype=float))
    return None if not np.isfinite(value) else float(value)
