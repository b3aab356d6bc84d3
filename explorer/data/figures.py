"""Sourced figures (data/figures.csv) and the price index that puts every amount in one price year.

Every number the model uses by default is a row here, with its source, year and evidence grade:
H (primary or official source), M (reputable secondary source), L (derived, old or partial),
A (an assumption: no source) or F (fitted to a documented result, which it therefore cannot
confirm). Amounts carry the year of their price level; ``Figure.in_prices`` is the amount in the
price year (``prices.price_year``), converted with Danish consumer price inflation (``cpi.*``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from explorer.data import files
from explorer.data.yamlfile import DataError

COLUMNS = (
    "key",
    "value",
    "unit",
    "unit_da",
    "year",
    "price_year",
    "grade",
    "source_title",
    "source_url",
    "note",
    "note_da",
    "derived_from",
    "fitted_to",
)
GRADES = ("H", "M", "L", "A", "F")
#: A number as the file writes it: no thousands separators, no underscores.
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
KEY = re.compile(r"[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+")
PRICE_YEAR_KEY = "prices.price_year"
CPI_PREFIX = "cpi."


class CatalogueError(DataError):
    """A data file is malformed; the message names the file, the row (or case and field)."""


@dataclass(frozen=True)
class Figure:
    """One sourced number."""

    key: str
    value: float
    unit: str
    unit_da: str
    year: int
    grade: str
    source_title: str
    source_url: str
    note: str
    note_da: str
    price_year: int | None = None
    derived_from: tuple[str, ...] = ()
    fitted_to: tuple[str, ...] = ()
    in_prices: float = field(default=math.nan, compare=False)

    @property
    def is_assumption(self) -> bool:
        return self.grade == "A"

    @property
    def is_fitted(self) -> bool:
        return self.grade == "F"

    @property
    def is_money(self) -> bool:
        return self.price_year is not None

    def unit_in(self, lang: str) -> str:
        return self.unit_da if lang == "da" else self.unit

    def note_in(self, lang: str) -> str:
        return self.note_da if lang == "da" else self.note


def _year(raw: str, where: str, column: str) -> int:
    try:
        year = int(raw)
    except ValueError:
        raise CatalogueError(f"{where}: {column} {raw!r} is not a whole number") from None
    if not 1990 <= year <= 2100:
        raise CatalogueError(f"{where}: {column} must be from 1990 to 2100; got {year}")
    return year


def _parse(row: dict, where: str) -> Figure:
    missing = [c for c in COLUMNS if row.get(c) is None]
    if missing:
        raise CatalogueError(f"{where}: missing column(s) {', '.join(missing)}")
    key = row["key"].strip()
    if not KEY.fullmatch(key):
        raise CatalogueError(f"{where}: key {key!r} must be dotted words (group.name)")
    where = f"{where} ({key})"
    raw = row["value"].strip()
    if not NUMBER.fullmatch(raw):
        raise CatalogueError(
            f"{where}: value {raw!r} is not a number (write 500000, not 500_000 or 500,000)"
        )
    value = float(raw)
    if not math.isfinite(value):
        raise CatalogueError(f"{where}: value must be finite")
    year = _year(row["year"].strip(), where, "year")
    price_year = (
        _year(row["price_year"].strip(), where, "price_year") if row["price_year"].strip() else None
    )
    grade = row["grade"].strip()
    if grade not in GRADES:
        raise CatalogueError(f"{where}: grade must be one of {', '.join(GRADES)}; got {grade!r}")
    url = row["source_url"].strip()
    if url and not url.startswith(("http://", "https://")):
        raise CatalogueError(f"{where}: source_url must start with http:// or https://")
    if grade in ("H", "M", "L") and not url:
        raise CatalogueError(
            f"{where}: a sourced figure (grade {grade}) needs a source_url "
            "starting with http:// or https://"
        )
    for column in ("note", "note_da", "unit", "unit_da"):
        if not row[column].strip():
            raise CatalogueError(
                f"{where}: {column} is empty; say what the figure is, in English "
                "(note, unit) and Danish (note_da, unit_da)"
            )
    derived = tuple(row["derived_from"].split())
    fitted = tuple(row["fitted_to"].split())
    if grade == "F" and not fitted:
        raise CatalogueError(
            f"{where}: a fitted figure (grade F) must name the documented "
            "figures it was fitted to (fitted_to)"
        )
    if fitted and grade != "F":
        raise CatalogueError(f"{where}: fitted_to is only for fitted figures (grade F)")
    return Figure(
        key,
        value,
        row["unit"].strip(),
        row["unit_da"].strip(),
        year,
        grade,
        row["source_title"].strip(),
        url,
        row["note"].strip(),
        row["note_da"].strip(),
        price_year,
        derived,
        fitted,
    )


def price_index(figures: dict[str, Figure]) -> dict[int, float]:
    """Consumer price level by year (first year = 1), chained from the ``cpi.YEAR`` rises."""
    rises = {
        int(k.removeprefix(CPI_PREFIX)): f.value
        for k, f in figures.items()
        if k.startswith(CPI_PREFIX)
    }
    if not rises:
        return {}
    years = sorted(rises)
    if years != list(range(years[0], years[-1] + 1)):
        raise CatalogueError(
            f"figures.csv: the cpi.YEAR rows must cover every year from {years[0]} to {years[-1]}"
        )
    index = {years[0] - 1: 1.0}
    for year in years:
        index[year] = index[year - 1] * (1 + rises[year])
    return index


def convert(amount: float, from_year: int, to_year: int, index: dict[int, float]) -> float:
    """An amount in ``from_year`` prices expressed in ``to_year`` prices."""
    for year in (from_year, to_year):
        if year not in index:
            covers = (
                f"figures.csv covers {min(index)}–{max(index)}"
                if index
                else "figures.csv has no cpi.YEAR rows"
            )
            raise CatalogueError(f"no price index for {year}; {covers}")
    return amount * index[to_year] / index[from_year]


def load_figures(path: Path | str, text: str | None = None) -> dict[str, Figure]:
    """Read a figures CSV (or ``text`` named as that file); every row and reference is checked,
    and each amount is converted to the price year."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise CatalogueError(f"{path.name}: file not found ({path})") from None
        except UnicodeDecodeError:
            raise CatalogueError(f"{path.name}: not UTF-8 text") from None
    figures: dict[str, Figure] = {}
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise CatalogueError(
            f"{path.name}: header must be {','.join(COLUMNS)}; "
            f"got {','.join(reader.fieldnames or ())}"
        )
    for number, row in enumerate(reader, start=2):
        where = f"{path.name}, row {number}"
        if None in row:
            raise CatalogueError(f"{where}: more fields than columns (quote text with commas)")
        fig = _parse(row, where)
        if fig.key in figures:
            raise CatalogueError(f"{where}: duplicate key {fig.key!r}")
        figures[fig.key] = fig
    for fig in figures.values():
        unknown = [k for k in fig.derived_from + fig.fitted_to if k not in figures]
        if unknown:
            raise CatalogueError(
                f"{path.name} ({fig.key}): derived_from/fitted_to name unknown "
                f"figure(s) {', '.join(unknown)}"
            )
    index = price_index(figures)
    if PRICE_YEAR_KEY not in figures:
        raise CatalogueError(f"{path.name}: needs the row {PRICE_YEAR_KEY}")
    target = int(figures[PRICE_YEAR_KEY].value)
    out = {}
    for key, fig in figures.items():
        try:
            now = (
                convert(fig.value, fig.price_year or fig.year, target, index)
                if fig.is_money
                else fig.value
            )
        except CatalogueError as error:
            raise CatalogueError(f"{path.name} ({key}): {error}") from None
        out[key] = _with(fig, now)
    return out


def _with(fig: Figure, in_prices: float) -> Figure:
    object.__setattr__(fig, "in_prices", in_prices)
    return fig


@cache
def figures() -> dict[str, Figure]:
    """Every figure in the shipped data/figures.csv by key."""
    path = files.data_path("figures.csv")
    return load_figures(Path(str(path)), path.read_bytes().decode("utf-8"))


def figure(key: str) -> Figure:
    """One shipped figure; a KeyError names the key."""
    try:
        return figures()[key]
    except KeyError:
        raise KeyError(f"no figure {key!r} in figures.csv") from None


def price_year() -> int:
    """The year whose prices every amount is shown in."""
    return int(figure("prices.price_year").value)


def discount_presets() -> dict[str, Figure]:
    """Discount-rate presets (figure keys ``dk.discount.*``), lowest rate first."""
    found = [f for k, f in figures().items() if k.startswith("dk.discount.")]
    return {f.key: f for f in sorted(found, key=lambda f: f.value)}
