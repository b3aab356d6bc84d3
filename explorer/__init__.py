"""The social-investment explorer: the case economics of lower caseloads in Danish municipalities.

>>> import explorer
>>> s = explorer.load_case("herning").replace(caseload_after=22)
>>> r = explorer.evaluate(s)
>>> r.payback_year, round(r.npv)  # doctest: +SKIP
"""

from .catalogue import case, cases, figure, figures, load_case
from .model import Result, break_even_effect, evaluate, sweep
from .scenario import Outcome, Price, Scenario

__all__ = ["Outcome", "Price", "Result", "Scenario", "break_even_effect", "case", "cases",
           "evaluate", "figure", "figures", "load_case", "sweep"]
