"""The social-investment explorer: the case economics of lower caseloads in Danish municipalities.

>>> import explorer
>>> s = explorer.load_case("herning").replace(caseload_after=22)
>>> r = explorer.evaluate(s)
>>> r.payback_year, round(r.npv)  # doctest: +SKIP

``explorer.load_case("my_case.yaml")`` reads a case file with the own-case page's checks and
words (a figure of another kind, an effect away from its measured change are refused, naming the
field). ``import explorer`` loads the model only: no widgets, no charts.
"""

from explorer.analysis.uncertainty import Simulation, Spreads, simulate
from explorer.catalogue import case, cases, figure, figures, load_case, price_year
from explorer.model import Result, break_even_effect, evaluate, sweep
from explorer.model.fields import FieldError
from explorer.model.scenario import Outcome, Price, Scenario

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
