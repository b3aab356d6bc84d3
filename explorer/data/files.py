"""Where the package's own files are: data, styles, the Vega runtime cache.

Everything is read through ``importlib.resources`` so that an installed wheel, an editable
checkout and a zipped package all find the same files.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def data_path(name: str) -> Traversable:
    """A file in the package's data folder (``data/`` in a checkout)."""
    return resources.files("explorer").joinpath("data", name)


def package_path(*parts: str) -> Traversable:
    """A file inside the package (``explorer/ui/style.css``, say)."""
    return resources.files("explorer").joinpath(*parts)
