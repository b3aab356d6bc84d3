"""The social-investment explorer: the case economics of lower caseloads in Danish municipalities.

>>> import explorer
>>> s = explorer.load_case("herning").replace(caseload_after=22)
>>> r = explorer.evaluate(s)
>>> r.payback_year, round(r.npv)  # doctest: +SKIP

``import explorer`` loads the model only: no widgets, no charts.
"""

from .catalogue import case, cases, figure, figures, load_case, price_year
from .fields import FieldError
from .model import Result, break_even_effect, evaluate, sweep
from .scenario import Outcome, Price, Scenario
from .uncertainty import Simulation, Spreads, simulate

__all__ = [
    "FieldError",
    "Outcome",
    "Price",
    "Result",
    "Scenario",
    "Simulation",
    "Spreads",
    "break_even_effect",
    "case",
    "cases",
    "evaluate",
    "figure",
    "figures",
    "load_case",
    "price_year",
    "simulate",
    "sweep",
]
