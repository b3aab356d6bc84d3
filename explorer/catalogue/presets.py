"""The case presets (data/cases.yaml) and reading a case file.

``load_case`` also reads a reader's own case file: ``load_case("my_case.yaml")``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from explorer.catalogue.reader import Case, load_cases
from explorer.data import files
from explorer.data.figures import CatalogueError, figures
from explorer.model.scenario import Scenario


@cache
def _cases() -> dict[str, Case]:
    return load_cases(Path(str(files.data_path("cases.yaml"))), figures())


def cases() -> list[str]:
    """Names of the case presets."""
    return list(_cases())


def case(name: str) -> Case:
    """A case preset with its sources."""
    presets = _cases()
    if name not in presets:
        raise ValueError(f"unknown case {name!r}; choose one of {', '.join(presets)}")
    return presets[name]


def preset(name: str) -> Case | None:
    """The case preset of this name, or None for a case outside the catalogue (an own case)."""
    return _cases().get(name)


def read_case_file(path: Path | str, data: bytes | None = None) -> Case:
    """The one case in a case file (the format of data/cases.yaml)."""
    found = load_cases(Path(path), figures(), data)
    if len(found) != 1:
        raise CatalogueError(
            f"{Path(path).name}: holds {len(found)} cases; load_case reads a file with one"
        )
    return next(iter(found.values()))


def load_case(name: str | Path) -> Scenario:
    """The scenario of a case preset, or of the case in a file (``load_case("my_case.yaml")``)."""
    text = str(name)
    if isinstance(name, Path) or text.endswith((".yaml", ".yml")):
        return read_case_file(Path(text)).scenario
    return case(text).scenario
