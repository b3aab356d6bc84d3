"""The case catalogue: case files (a Scenario with the source of every value), the presets, and
the reader's own case. ``from explorer import catalogue`` gives the presets and the shipped
figures in one place."""

from explorer.catalogue.casefile import read_case_file
from explorer.catalogue.presets import case, cases, load_case, preset
from explorer.catalogue.reader import Case
from explorer.data.figures import (
    CatalogueError,
    Figure,
    discount_presets,
    figure,
    figures,
    price_year,
)
from explorer.data.yamlfile import DataError

__all__ = [
    "Case",
    "CatalogueError",
    "DataError",
    "Figure",
    "case",
    "cases",
    "discount_presets",
    "figure",
    "figures",
    "load_case",
    "preset",
    "price_year",
    "read_case_file",
]
