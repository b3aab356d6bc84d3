"""Cash-flow arithmetic on yearly flows (last axis = years): discounting, NPV, payback, IRR."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import numpy_financial as npf


def discount_factors(rate: npt.ArrayLike, years: int) -> np.ndarray:
    """(1 + rate)^-t for t = 0 .. years-1; year 0 is not discounted."""
    return (1.0 + np.asarray(rate, dtype=float)[..., None]) ** -np.arange(years)


def npv(rate: npt.ArrayLike, flows: npt.ArrayLike) -> np.ndarray:
    """Net present value with year 0 undiscounted (numpy-financial's convention)."""
    flows = np.asarray(flows, dtype=float)
    return (flows * discount_factors(rate, flows.shape[-1])).sum(axis=-1)


def payback_index(net: npt.ArrayLike, cost: npt.ArrayLike) -> np.ndarray:
    """First year from which the cumulative net stays at or above 0 to the horizon; -1 if none.

    The year must also have some cost paid by then. A cumulative net that touches 0 and falls
    back does not pay back: only a year after which it never again drops below 0 counts, so a
    payback year exists exactly when the cumulative net at the horizon is 0 or more. Pass
    discounted flows for the discounted payback year. A tiny tolerance (1e-9 of the cumulative
    cost) keeps an exact break-even from failing on rounding.
    """
    ok = _at_or_above_zero(net, cost)
    # ok from t to the end: reversed cumulative AND.
    stays = np.flip(np.logical_and.accumulate(np.flip(ok, axis=-1), axis=-1), axis=-1)
    paid = stays & (np.cumsum(np.asarray(cost, dtype=float), axis=-1) > 0)
    return np.where(paid.any(axis=-1), paid.argmax(axis=-1), -1)


def first_above_zero_index(net: npt.ArrayLike, cost: npt.ArrayLike) -> np.ndarray:
    """First year in which the cumulative net is at or above 0 after some cost, even if it falls
    back later; -1 if never. Beside ``payback_index`` it tells a crossing that did not last."""
    ok = _at_or_above_zero(net, cost) & (np.cumsum(np.asarray(cost, dtype=float), axis=-1) > 0)
    return np.where(ok.any(axis=-1), ok.argmax(axis=-1), -1)


def fell_back(net: npt.ArrayLike, cost: npt.ArrayLike) -> tuple[int, int] | None:
    """(first year the cumulative net reached 0, first later year it was back below 0) when it
    reached 0 and fell back before its payback year (or without one); else None. Years are 0-based
    indexes of one series; the tolerance is the payback year's."""
    ok = _at_or_above_zero(net, cost)
    first = int(first_above_zero_index(net, cost))
    if first < 0 or first == int(payback_index(net, cost)):
        return None
    below = np.flatnonzero(~ok[first:])
    return first, first + int(below[0])


def _at_or_above_zero(net: npt.ArrayLike, cost: npt.ArrayLike) -> np.ndarray:
    cum_net = np.cumsum(np.asarray(net, dtype=float), axis=-1)
    cum_cost = np.cumsum(np.asarray(cost, dtype=float), axis=-1)
    return cum_net >= -1e-9 * np.abs(cum_cost)


def irr(flows: npt.ArrayLike) -> float | None:
    """Internal rate of return of one series of yearly flows, or None where it is undefined."""
    value = npf.irr(np.asarray(flows, dtype=float))
    return None if not np.isfinite(value) else float(value)
