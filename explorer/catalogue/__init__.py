"""The case catalogue: case files (a Scenario with the source of every value), the presets, and
the reader's own case. ``from explorer import catalogue`` gives the presets' functions."""

from explorer.catalogue.presets import (
    Case,
    CatalogueError,
    DataError,
    Figure,
    case,
    cases,
    discount_presets,
    figure,
    figures,
    load_case,
    preset,
    price_year,
    read_case_file,
)

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
