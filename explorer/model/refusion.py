"""The state's refusion to the kommune: benefit steps by time on support, high-cost placements."""

from __future__ import annotations

from collections.abc import Mapping

from explorer.data.figures import Figure

BENEFIT_STEPS = (  # (last week of the step, figure key of the state's share)
    (4, "refusion.weeks_1_4"),
    (26, "refusion.weeks_5_26"),
    (52, "refusion.weeks_27_52"),
    (None, "refusion.after_52_weeks"),
)
HIGH_COST = tuple(
    (f"refusion.high_cost_threshold_{i}", f"refusion.high_cost_rate_{i}") for i in (1, 2, 3)
)


def benefit_state_share(weeks_before: float, figures: Mapping[str, Figure]) -> float:
    """The state's mean share of a year of benefit that starts after ``weeks_before`` weeks on
    public support (STAR's refusion steps: 80 % weeks 1-4, 40 % 5-26, 30 % 27-52, 20 % after)."""
    if weeks_before < 0:
        raise ValueError(f"weeks on support must be 0 or more; got {weeks_before:g}")
    start = round(weeks_before)
    shares = []
    for week in range(start + 1, start + 53):
        for last, key in BENEFIT_STEPS:
            if last is None or week <= last:
                shares.append(figures[key].value)
                break
    return sum(shares) / len(shares)


def high_cost_state_share(yearly_cost: float, figures: Mapping[str, Figure]) -> float:
    """The state's share of a placement costing ``yearly_cost`` a year (price-year kroner; the
    thresholds are converted from their 2020 level) under the central refusion
    for high-cost cases (25 % above the first threshold, 50 % above the second, 75 % above the
    third)."""
    if yearly_cost <= 0:
        return 0.0
    bands = [(figures[t].in_prices, figures[r].value) for t, r in HIGH_COST]
    refund = 0.0
    for i, (threshold, rate) in enumerate(bands):
        upper = bands[i + 1][0] if i + 1 < len(bands) else float("inf")
        refund += rate * max(0.0, min(yearly_cost, upper) - threshold)
    return refund / yearly_cost
