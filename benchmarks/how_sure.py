"""python -m benchmarks.how_sure: how long a lever move on How sure takes to its KPIs, per preset.

Each move sets a lever through its widget (on_change -> refresh -> show), at the page's default
draws, with the rest of the page (charts, tornado) timed apart: in a kernel it follows 0.1 s
later and is dropped if the reader moves again. Two levers: the caseload (the draws' weights by
the documented results are reused) and the F spread, each move a new value (the weights are
computed anew). Goal: < 50 ms per move (docs/model.md, section 7). Wall and CPU medians: on a
busy machine the CPU time says what the move itself costs.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable, Iterable

from explorer import catalogue
from explorer.ui.pages import how_sure

GOAL = 50e-3
MOVES = 16


def medians(fn: Callable[[float], object], values: Iterable[float]) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn(value)`` over ``values``."""
    wall, cpu = [], []
    for value in values:
        w, c = time.perf_counter(), time.process_time()
        fn(value)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def rest_move(rest: Callable, s: object, _: object) -> None:
    """The deferred rest of the page for scenario ``s`` at the default spreads."""
    rest(s, how_sure.Spreads())


def main() -> None:
    print(f"{'case':<10} {'lever':<22} {'wall':>9} {'cpu':>9}  goal")
    for case in catalogue.cases():
        page = how_sure.HowSure(f"case={case}")
        rest = page.show_rest
        page.show_rest = lambda *_: None  # type: ignore[method-assign]  # deferred in a kernel
        after = page.base.caseload_after
        rows = [
            ("caseload_after", [after + 0.5 * (i % 4 + 1) for i in range(MOVES)]),
            ("F (new weights)", [0.3 + 0.01 * i for i in range(MOVES)]),
        ]
        for label, values in rows:
            wall, cpu = medians(page.levers[label.split()[0]].set, values)
            mark = "< 50 ms " + ("ok" if wall < GOAL else "MISSED")
            print(f"{case:<10} {label:<22} {wall * 1e3:6.1f} ms {cpu * 1e3:6.1f} ms  {mark}")
        wall, cpu = medians(functools.partial(rest_move, rest, page.base), range(5))
        print(f"{case:<10} {'rest (deferred)':<22} {wall * 1e3:6.1f} ms {cpu * 1e3:6.1f} ms")


if __name__ == "__main__":
    main()
