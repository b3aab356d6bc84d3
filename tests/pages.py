"""The page class of each registered page, for the tests that walk every page."""

from __future__ import annotations

from explorer.data.pages import Page
from explorer.ui import readview


def page_class(entry: Page) -> type:
    """The ``Page`` subclass named ``entry.name`` in ``explorer/ui/<name>.py``."""
    return readview.page_class(entry.name)
