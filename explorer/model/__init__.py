"""The model: fields, scenarios, the vectorised engine, cash-flow arithmetic and results.

Never imports widgets, charts, Voilà or the pages."""

from explorer.model.results import Result, break_even_effect, evaluate, run, summarise, sweep

__all__ = ["Result", "break_even_effect", "evaluate", "run", "summarise", "sweep"]
