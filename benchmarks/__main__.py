"""python -m benchmarks: time the model and print medians and ratios.

Goals (docs/model.md): evaluate() < 1 ms on a 20-year scenario; a 30-point caseload sweep < 5 ms;
10,000 Monte Carlo draws x 20 years < 100 ms; the vectorised batch much faster than a loop of
evaluate() over the same scenarios.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import explorer
from explorer.analysis import uncertainty
from explorer.model import engine


def median_seconds(fn, repeat: int, number: int = 1) -> float:
    """Median wall time of one call, over ``repeat`` rounds of ``number`` calls."""
    fn()  # warm up
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def main() -> None:
    s = explorer.load_case("herning").replace(horizon_years=20)
    values = np.linspace(12, 48, 30)
    n = 1_000
    rng = np.random.default_rng(0)
    afters = rng.uniform(12, 48, n)
    scenarios = [s.replace(caseload_after=a) for a in afters]

    rows = [
        ("evaluate(), 20 years (KPIs)", median_seconds(lambda: explorer.evaluate(s), 200, 5), 1e-3),
        (
            "evaluate() + yearly table",
            median_seconds(lambda: explorer.evaluate(s).yearly, 100, 5),
            None,
        ),
        (
            "sweep, 30 caseloads",
            median_seconds(lambda: explorer.sweep(s, "caseload_after", values), 100, 5),
            5e-3,
        ),
    ]
    batch_t = median_seconds(
        lambda: engine.run(engine.Batch.of([s]).with_values("caseload_after", afters)), 30
    )
    loop_t = median_seconds(lambda: [explorer.evaluate(x) for x in scenarios], 5)
    rows += [
        (f"batch of {n:,} scenarios, one call", batch_t, None),
        (f"loop of evaluate() over the same {n:,}", loop_t, None),
    ]
    mc_t = median_seconds(lambda: uncertainty.simulate(s, 10_000, seed=0), 20)
    mc_draws = [s.replace(worker_cost=s.worker_cost * f) for f in rng.lognormal(0, 0.2, 10_000)]
    mc_loop = median_seconds(lambda: [explorer.evaluate(x) for x in mc_draws], 3)
    rows += [
        ("Monte Carlo, 10,000 draws x 20 years", mc_t, 100e-3),
        ("loop of evaluate() over 10,000 draws", mc_loop, None),
    ]
    print(f"{'benchmark':<40} {'median':>12}  goal")
    for name, seconds, goal in rows:
        mark = (
            ""
            if goal is None
            else (f"< {goal * 1e3:g} ms " + ("ok" if seconds < goal else "MISSED"))
        )
        print(f"{name:<40} {seconds * 1e3:>9.3f} ms  {mark}")
    print(f"{'batch speed-up over the loop':<40} {loop_t / batch_t:>9.0f} x")
    print(f"{'Monte Carlo speed-up over the loop':<40} {mc_loop / mc_t:>9.0f} x")


if __name__ == "__main__":
    main()
