"""The case presets (data/cases.yaml), read by the plain case reader.

``load_case`` also reads a reader's own case file, ``load_case("my_case.yaml")``, with the
own-case page's checks (``casefile.read_case_file``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from explorer.catalogue.casefile import read_case_file
from explorer.catalogue.reader import Case, load_cases
from explorer.data import files
from explorer.data.figures import figures
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


def load_case(name: str | Path) -> Scenario:
    """The scenario of a case preset, or of the case in a file (``load_case("my_case.yaml")``)."""
    text = str(name)
    if isinstance(name, Path) or text.endswith((".yaml", ".yml")):
        return read_case_file(Path(text)).scenario
    return case(text).scenario
