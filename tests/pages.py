"""The page class of each registered page, for the tests that walk every page."""

from __future__ import annotations

import importlib

from explorer.data.pages import Page


def page_class(entry: Page) -> type:
    """The ``Page`` subclass named ``entry.name`` in ``explorer/ui/<name>.py``."""
    module = importlib.import_module(f"explorer.ui.{entry.name}")
    found = [
        v
        for v in vars(module).values()
        if isinstance(v, type)
        and v.__module__ == module.__name__
        and getattr(v, "name", None) == entry.name
    ]
    if len(found) != 1:
        raise LookupError(f"{module.__name__} needs one Page subclass with name = {entry.name!r}")
    return found[0]
