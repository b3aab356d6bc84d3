"""The pages the site serves, from the one list in ``explorer/data/pages.py`` (the claims below the
pages read it too): the menu, the landing page, the tests and voila.json's pools follow it."""

from __future__ import annotations

import importlib

from explorer.data.pages import NAMES, PAGES, Page

__all__ = ["NAMES", "PAGES", "Page", "page_class"]


def page_class(entry: Page) -> type:
    """The ``Page`` subclass named ``entry.name`` in ``explorer/ui/<name>.py``."""
    module = importlib.import_module(f"{__package__}.{entry.name}")
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
