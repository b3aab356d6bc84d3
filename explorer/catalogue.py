"""Reads and validates ``data/``: sourced figures and the case presets built from them.

A malformed file raises ``CatalogueError`` naming the file, the row (or case and field) and the
problem. Every default number of a case is a key into ``figures.csv``, so its source, year and
evidence grade travel with it.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import refusion
from .scenario import PAYERS, Outcome, Price, Scenario, levers

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COLUMNS = ("key", "value", "unit", "unit_da", "year", "grade", "source_title", "source_url", "note",
           "note_da")
#: Evidence grades: primary/official source, reputable secondary source, derived/old/partial,
#: and assumption (no source; an explicit, adjustable choice).
GRADES = {"H": "primary or official source", "M": "reputable secondary source",
          "L": "derived, old or partial", "A": "assumption: not found in a source"}


class CatalogueError(ValueError):
    """A data file is malformed; the message names the file, the row and the problem."""


@dataclass(frozen=True)
class Figure:
    """One sourced number."""

    key: str
    value: float
    unit: str
    year: int
    grade: str
    source_title: str
    source_url: str
    note: str
    unit_da: str = ""
    note_da: str = ""

    @property
    def is_assumption(self) -> bool:
        return self.grade == "A"

    def unit_in(self, lang: str) -> str:
        return self.unit_da if lang == "da" else self.unit

    def note_in(self, lang: str) -> str:
        return self.note_da if lang == "da" else self.note


@dataclass(frozen=True)
class Case:
    """A case preset: its names, its scenario and the figure behind every default."""

    name: str
    title: dict[str, str]
    summary: dict[str, str]
    start_year: int
    scenario: Scenario
    sources: dict[str, str]   # "caseload_after" or "institution.effect" or "institution.price.0"


def _parse_figure(row: dict, where: str) -> Figure:
    missing = [c for c in COLUMNS if c not in row or row[c] is None]
    if missing:
        raise CatalogueError(f"{where}: missing column(s) {', '.join(missing)}")
    key = row["key"].strip()
    if not key:
        raise CatalogueError(f"{where}: empty key")
    try:
        value = float(row["value"])
    except ValueError:
        raise CatalogueError(f"{where} ({key}): value {row['value']!r} is not a number") from None
    if not math.isfinite(value):
        raise CatalogueError(f"{where} ({key}): value must be finite")
    try:
        year = int(row["year"])
    except ValueError:
        raise CatalogueError(f"{where} ({key}): year {row['year']!r} is not a whole number") from None
    if not 1990 <= year <= 2100:
        raise CatalogueError(f"{where} ({key}): year must be from 1990 to 2100; got {year}")
    grade = row["grade"].strip()
    if grade not in GRADES:
        raise CatalogueError(f"{where} ({key}): grade must be one of {', '.join(GRADES)}; "
                             f"got {grade!r}")
    url = row["source_url"].strip()
    if grade != "A" and not url.startswith(("http://", "https://")):
        raise CatalogueError(f"{where} ({key}): a sourced figure (grade {grade}) needs a source_url "
                             "starting with http:// or https://")
    if url and not url.startswith(("http://", "https://")):
        raise CatalogueError(f"{where} ({key}): source_url must start with http:// or https://")
    for column in ("note", "note_da", "unit", "unit_da"):
        if not row[column].strip():
            raise CatalogueError(f"{where} ({key}): {column} is empty; say what the figure is, "
                                 "in English (note, unit) and Danish (note_da, unit_da)")
    return Figure(key, value, row["unit"].strip(), year, grade, row["source_title"].strip(), url,
                  row["note"].strip(), row["unit_da"].strip(), row["note_da"].strip())


def load_figures(path: Path | str) -> dict[str, Figure]:
    """Read a figures CSV; every row is checked."""
    path = Path(path)
    figures: dict[str, Figure] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise CatalogueError(f"{path.name}: header must be {','.join(COLUMNS)}; "
                                 f"got {','.join(reader.fieldnames or ())}")
        for number, row in enumerate(reader, start=2):
            where = f"{path.name}, row {number}"
            if None in row:
                raise CatalogueError(f"{where}: more fields than columns (quote text with commas)")
            figure = _parse_figure(row, where)
            if figure.key in figures:
                raise CatalogueError(f"{where}: duplicate key {figure.key!r}")
            figures[figure.key] = figure
    return figures


class _CaseReader:
    """Builds one case, naming the file, case and field in every error."""

    def __init__(self, path: Path, name: str, spec, figures: dict[str, Figure]):
        self.where = f"{path.name}, case {name!r}"
        self.name, self.spec, self.figures = name, spec, figures
        self.sources: dict[str, str] = {}

    def fail(self, what: str, problem: str):
        raise CatalogueError(f"{self.where}, {what}: {problem}")

    def figure(self, what: str, key) -> float:
        if not isinstance(key, str) or key not in self.figures:
            self.fail(what, f"{key!r} is not a key in figures.csv")
        self.sources[what] = key
        return self.figures[key].value

    def labels(self, what: str, value) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(value.get(l), str) for l in ("da", "en")):
            self.fail(what, "needs a 'da' and an 'en' text")
        return {"da": value["da"], "en": value["en"]}

    def share(self, what: str, spec) -> float:
        """A payer's share: a number, a figure key, or a refusion rule applied to a figure."""
        if isinstance(spec, (int, float)) and not isinstance(spec, bool):
            return float(spec)
        if isinstance(spec, dict) and len(spec) == 1:
            (rule, key), = spec.items()
            if rule == "refusion_from_week":
                return refusion.benefit_state_share(self.figure(what, key), self.figures)
            if rule == "high_cost_refusion":
                return refusion.high_cost_state_share(self.figure(what, key), self.figures)
            self.fail(what, f"unknown rule {rule!r}; use refusion_from_week or high_cost_refusion")
        return self.figure(what, spec)

    def price(self, what: str, spec) -> Price:
        if not isinstance(spec, dict):
            self.fail(what, "must be a mapping with label, amount and payers")
        label = self.labels(f"{what}.label", spec.get("label"))
        amount = self.figure(what, spec.get("amount")) * spec.get("sign", 1)
        payers = spec.get("payers")
        if not isinstance(payers, dict) or not payers or set(payers) - set(PAYERS):
            self.fail(f"{what}.payers", f"must map some of {', '.join(PAYERS)} to a share")
        shares, rest = {}, None
        for payer, share in payers.items():
            if share == "rest":
                rest = payer
            else:
                shares[payer] = self.share(f"{what}.{payer}", share)
        if rest:
            shares[rest] = 1.0 - sum(shares.values())
        try:
            return Price(label["da"], label["en"], amount,
                         **{p: shares.get(p, 0.0) for p in PAYERS})
        except ValueError as error:
            self.fail(what, str(error))

    def outcome(self, number: int, spec) -> Outcome:
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            self.fail(f"outcome {number}", "must be a mapping with a key")
        key = spec["key"]
        label = self.labels(f"{key}.label", spec.get("label"))
        values = {f: self.figure(f"{key}.{f}", spec.get(f))
                  for f in ("base_flow", "effect", "duration_years")}
        prices = [self.price(f"{key}.price.{i}", p) for i, p in enumerate(spec.get("prices") or [])]
        if not prices:
            self.fail(key, "needs at least one price")
        try:
            return Outcome(key, label["da"], label["en"], prices=tuple(prices), **values)
        except ValueError as error:
            self.fail(key, str(error))

    def case(self) -> Case:
        spec = self.spec
        if not isinstance(spec, dict):
            self.fail("definition", "must be a mapping")
        title = self.labels("name", spec.get("name"))
        summary = self.labels("summary", spec.get("summary"))
        lever_spec = spec.get("levers") or {}
        unknown = set(lever_spec) - set(levers(Scenario))
        if unknown:
            self.fail("levers", f"unknown field(s) {', '.join(sorted(unknown))}")
        missing = set(levers(Scenario)) - set(lever_spec)
        if missing:
            self.fail("levers", f"every lever needs a figure; missing {', '.join(sorted(missing))}")
        values = {f: self.figure(f, key) for f, key in lever_spec.items()}
        outcomes = tuple(self.outcome(i, o) for i, o in enumerate(spec.get("outcomes") or []))
        try:
            scenario = Scenario(**values, outcomes=outcomes, case=self.name)
        except ValueError as error:
            self.fail("levers", str(error))
        start = spec.get("start_year")
        if not isinstance(start, int):
            self.fail("start_year", "must be a year")
        return Case(self.name, title, summary, start, scenario, dict(self.sources))


def read_yaml(path: Path):
    """A YAML file's content; invalid YAML raises CatalogueError naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML ({error})") from None


def load_cases(path: Path | str, figures: dict[str, Figure]) -> dict[str, Case]:
    """Read a cases YAML file against ``figures``."""
    path = Path(path)
    spec = read_yaml(path)
    if not isinstance(spec, dict) or not spec:
        raise CatalogueError(f"{path.name}: must map case names to definitions")
    return {name: _CaseReader(path, name, body, figures).case() for name, body in spec.items()}


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, Figure], dict[str, Case]]:
    figures = load_figures(DATA_DIR / "figures.csv")
    return figures, load_cases(DATA_DIR / "cases.yaml", figures)


def figures() -> dict[str, Figure]:
    """Every figure in ``data/figures.csv`` by key."""
    return _catalogue()[0]


def figure(key: str) -> Figure:
    try:
        return figures()[key]
    except KeyError:
        raise KeyError(f"no figure {key!r} in figures.csv") from None


def cases() -> list[str]:
    """Names of the case presets."""
    return list(_catalogue()[1])


def case(name: str) -> Case:
    """A case preset with its sources."""
    presets = _catalogue()[1]
    if name not in presets:
        raise ValueError(f"unknown case {name!r}; choose one of {', '.join(presets)}")
    return presets[name]


def load_case(name: str) -> Scenario:
    """The scenario of a case preset."""
    return case(name).scenario


def discount_presets() -> dict[str, Figure]:
    """Discount-rate presets (figure keys ``dk.discount.*``), lowest rate first."""
    found = [f for k, f in figures().items() if k.startswith("dk.discount.")]
    return {f.key: f for f in sorted(found, key=lambda f: f.value)}
