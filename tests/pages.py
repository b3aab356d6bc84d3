"""The page class of each registered page, for the tests that walk every page, and typing into a
page's number field as a reader does."""

from __future__ import annotations

import json

from explorer.data.pages import Page
from explorer.ui.views import readview


def page_class(entry: Page) -> type:
    """The ``Page`` subclass named ``entry.name`` in ``explorer/ui/pages/<name>.py``."""
    return readview.page_class(entry.name)


def type_into(lever, text: str) -> None:
    """Type ``text`` into a lever's number field, as the browser reports it."""
    lever.typed = json.dumps({"text": text, "n": 1})
