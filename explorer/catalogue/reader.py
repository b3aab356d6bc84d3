"""Case files (data/cases.yaml, or a reader's own case): a Scenario with the source of every value.

A value in a case file is one of
- a key of figures.csv (``herning.cases``): the figure's value in the price year, with its source;
- a plain number (``1008``): the case author's own input, with no source;
- ``{value: 0.3, source: "free text"}``: an own input with the author's note on where it is from.

Fields a case does not name take their default from data/fields.yaml (a sourced figure where
there is one). A payer share is a number, a figure key, ``{refusion_from_week: VALUE}`` (the
state's mean share of a benefit year starting after VALUE weeks on support),
``{high_cost_refusion: VALUE}`` (the state's share of a placement costing VALUE a year), or
``rest`` (1 minus the others). Errors name the file, the case, the field and, for values, the range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NoReturn

from explorer.data import yamlfile
from explorer.data.figures import KEY, CatalogueError, Figure
from explorer.model import fields, refusion
from explorer.model.scenario import KINDS, PAYERS, PRICE_KINDS, Outcome, Price, Scenario

OUTCOME_VALUES = ("base_rate", "effect", "deadweight", "duration_years", "other_benefit_share")
#: The outcome values a case file may leave out, and the figure each then takes (fields.yaml).
OUTCOME_DEFAULTS = {
    name: f.default for name, f in fields.group("outcome").items() if isinstance(f.default, str)
}
MEASURES = ("savings_kommune", "cost", "cohort_after", "people_off")
#: What a documented result is: something that happened, or an expectation (a forecast made
#: before the period it covers ended), which the error model counts far more loosely.
DOCUMENTED_KINDS = ("observed", "expectation")
CASE_KEYS = {
    "name",
    "summary",
    "start_year",
    "levers",
    "outcomes",
    "documented",
    "area",
    "no_held_out",
}
AREAS = ("children", "jobs", "other")
#: Reference fields and the case's own field they follow when a case file does not name them.
REFERENCES = {
    "reference_caseload_before": "caseload_before",
    "reference_caseload_after": "caseload_after",
    "reference_other_cost": "other_cost_per_year",
}
MAX_OUTCOMES = 8
MAX_PRICES = 8


@dataclass(frozen=True)
class Documented:
    """A documented result of a case and the model quantity it compares with."""

    figure: str
    measure: str
    first: int | None = None  # calendar years, inclusive
    last: int | None = None
    months: int | None = None  # or the first months of the start year
    label: dict[str, str] | None = None
    at_least: bool = False  # the documents say "more than": a lower bound
    #: "observed" or "expectation"; how closely either is known is the error model's
    #: (calibration.precision), the same for the conditioning and the held-out checks.
    kind: str = "observed"


@dataclass(frozen=True)
class Case:
    """A case: its names, its scenario and where every value came from."""

    name: str
    title: dict[str, str]
    summary: dict[str, str]
    scenario: Scenario
    sources: dict[str, str]  # "caseload_after", "institution.effect", "institution.price.0"
    notes: dict[str, str]  # an own value's free-text source, by the same names
    documented: tuple[Documented, ...] = ()
    area: str = "other"
    no_held_out: dict[str, str] | None = None  # why no documented result was left out of the fit

    @property
    def start_year(self) -> int:
        return self.scenario.start_year

    def fitted(self, figures: dict[str, Figure]) -> dict[str, tuple[str, ...]]:
        """Each fitted figure behind this case and the documented figures it was fitted to."""
        return {
            key: figures[key].fitted_to
            for key in set(self.sources.values())
            if figures[key].is_fitted
        }

    def fitted_targets(self, figures: dict[str, Figure]) -> set[str]:
        """Every documented figure some value of this case was fitted to."""
        return {t for targets in self.fitted(figures).values() for t in targets}


class _Reader:
    """Builds one case, naming the file, case and field in every error."""

    def __init__(self, file: str, name: str, spec: Any, figures: dict[str, Figure]):
        self.where = f"{file}, case {name!r}"
        self.name, self.spec, self.figures = name, spec, figures
        self.sources: dict[str, str] = {}
        self.notes: dict[str, str] = {}

    def fail(self, what: str, problem: str) -> NoReturn:
        raise CatalogueError(f"{self.where}, {what}: {problem}")

    def value(self, what: str, spec: Any) -> float:
        """A figure key, a number, or {value, source}; the figure's value is in the price year."""
        if isinstance(spec, str):
            if not KEY.fullmatch(spec):
                self.fail(what, f"must be a number or a figure key; got {spec!r:.60}")
            if spec not in self.figures:
                self.fail(what, f"{spec!r} is not a key in figures.csv")
            self.sources[what] = spec
            return self.figures[spec].in_prices
        if isinstance(spec, dict) and set(spec) <= {"value", "source"} and "value" in spec:
            note = spec.get("source", "")
            if not isinstance(note, str) or len(note) > 500:
                self.fail(what, "source must be a text of at most 500 characters")
            if note:
                self.notes[what] = note
            spec = spec["value"]
        if isinstance(spec, bool) or not isinstance(spec, (int, float)):
            self.fail(what, f"must be a number or a figure key; got {spec!r:.60}")
        if not math.isfinite(number := float(spec) if abs(spec) < 1e300 else math.inf):
            self.fail(what, f"must be a finite number; got {str(spec)[:24]}")
        return number

    def labels(self, what: str, value: Any, limit: int = 200) -> dict[str, str]:
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), str) and value[lang].strip() for lang in fields.LANGS
        ):
            self.fail(what, "needs a Danish ('da') and an English ('en') text")
        if set(value) - set(fields.LANGS):
            self.fail(what, "has keys other than 'da' and 'en'")
        if any(len(value[lang]) > limit for lang in fields.LANGS):
            self.fail(what, f"texts must be at most {limit} characters")
        return {lang: value[lang].strip() for lang in fields.LANGS}

    def share(self, what: str, spec: Any) -> float:
        """A payer's share: a number, a figure key, or a refusion rule applied to a value."""
        if isinstance(spec, dict) and len(spec) == 1 and "value" not in spec:
            ((rule, arg),) = spec.items()
            if rule == "refusion_from_week":
                weeks = self.value(what, arg)
                if not 0 <= weeks <= 520:
                    self.fail(what, f"weeks on support must be from 0 to 520; got {weeks:g}")
                return refusion.benefit_state_share(weeks, self.figures)
            if rule == "high_cost_refusion":
                return refusion.high_cost_state_share(self.value(what, arg), self.figures)
            self.fail(what, f"unknown rule {rule!r}; use refusion_from_week or high_cost_refusion")
        return self.value(what, spec)

    def price(self, what: str, spec: Any) -> Price:
        if not isinstance(spec, dict):
            self.fail(what, "must be a mapping with label, amount and payers")
        unknown = set(spec) - {"label", "amount", "sign", "payers", "kind"}
        if unknown:
            self.fail(what, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        label = self.labels(f"{what}.label", spec.get("label"))
        sign = spec.get("sign", 1)
        if sign not in (1, -1):
            self.fail(f"{what}.sign", "must be 1 or -1")
        kind = spec.get("kind", "budget")
        if kind not in PRICE_KINDS:
            self.fail(f"{what}.kind", f"must be one of {', '.join(PRICE_KINDS)}")
        amount = self.value(what, spec.get("amount")) * sign
        shares: dict[str, float] = {}
        if kind == "budget":
            payers = spec.get("payers")
            if not isinstance(payers, dict) or not payers or set(payers) - set(PAYERS):
                self.fail(f"{what}.payers", f"must map some of {', '.join(PAYERS)} to a share")
            rest = None
            for payer, share in payers.items():
                if share == "rest":
                    rest = payer
                else:
                    shares[payer] = self.share(f"{what}.{payer}", share)
            if rest:
                shares[rest] = 1.0 - sum(shares.values())
        elif spec.get("payers"):
            self.fail(f"{what}.payers", "a wider gain has no payers")
        try:
            return Price(
                label["da"],
                label["en"],
                amount,
                kind=kind,
                **{p: shares.get(p, 0.0) for p in PAYERS},
            )
        except ValueError as error:
            self.fail(what, str(error))

    def outcome(self, number: int, spec: Any) -> Outcome:
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            self.fail(f"outcome {number + 1}", "must be a mapping with a key")
        key = spec["key"]
        if not key.isidentifier() or not key.isascii() or len(key) > 40:
            self.fail(
                f"outcome {number + 1}",
                f"key must be a plain name (letters, digits, _); got {key!r:.50}",
            )
        unknown = set(spec) - {"key", "kind", "label", "prices", *OUTCOME_VALUES}
        if unknown:
            self.fail(key, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        kind = spec.get("kind", "entry")
        if kind not in KINDS:
            self.fail(
                f"{key}.kind", "must be 'entry' (entries prevented) or 'exit' (exits sped up)"
            )
        label = self.labels(f"{key}.label", spec.get("label"))
        values = {}
        for name in OUTCOME_VALUES:
            if name in spec:
                values[name] = self.value(f"{key}.{name}", spec[name])
            elif name in OUTCOME_DEFAULTS:
                values[name] = self.value(f"{key}.{name}", OUTCOME_DEFAULTS[name])
            else:
                self.fail(key, f"needs {name}")
        raw_prices = spec.get("prices")
        if not isinstance(raw_prices, list) or not raw_prices:
            self.fail(key, "needs at least one price")
        if len(raw_prices) > MAX_PRICES:
            self.fail(key, f"at most {MAX_PRICES} prices")
        prices = [self.price(f"{key}.price.{i}", p) for i, p in enumerate(raw_prices)]
        try:
            return Outcome(key, label["da"], label["en"], kind=kind, prices=tuple(prices), **values)
        except ValueError as error:
            self.fail(key, str(error))

    def documented(self, spec: Any) -> tuple[Documented, ...]:
        rows = []
        for i, row in enumerate(spec or []):
            what = f"documented {i + 1}"
            if (
                not isinstance(row, dict)
                or not isinstance(row.get("figure"), str)
                or row["figure"] not in self.figures
            ):
                self.fail(what, "needs a figure key of figures.csv")
            if row.get("measure") not in MEASURES:
                self.fail(what, f"measure must be one of {', '.join(MEASURES)}")
            label = self.labels(f"{what}.label", row["label"]) if "label" in row else None
            kind = row.get("kind", "observed")
            if kind not in DOCUMENTED_KINDS:
                self.fail(f"{what}.kind", f"must be one of {', '.join(DOCUMENTED_KINDS)}")
            rows.append(
                Documented(
                    row["figure"],
                    row["measure"],
                    row.get("from"),
                    row.get("to"),
                    row.get("months"),
                    label,
                    row.get("at_least", False) is True,
                    kind,
                )
            )
        return tuple(rows)

    def case(self) -> Case:
        spec = self.spec
        if not isinstance(spec, dict):
            self.fail("definition", "must be a mapping")
        unknown = set(spec) - CASE_KEYS
        if unknown:
            self.fail("definition", f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        title = self.labels("name", spec.get("name"), 120)
        summary = self.labels("summary", spec.get("summary"), 1000)
        area = spec.get("area", "other")
        if area not in AREAS:
            self.fail("area", f"must be one of {', '.join(AREAS)}")
        lever_spec = spec.get("levers") or {}
        if not isinstance(lever_spec, dict):
            self.fail("levers", "must map field names to values")
        known = fields.of(Scenario)
        unknown = set(lever_spec) - set(known)
        if unknown:
            self.fail(
                "levers",
                f"unknown field(s) {', '.join(sorted(map(str, unknown)))}; "
                f"choose from {', '.join(known)}",
            )
        values: dict[str, Any] = {}
        given = dict(lever_spec)
        if spec.get("start_year") is not None:
            given.setdefault("start_year", spec["start_year"])
        for name, f in known.items():
            if name in given:
                values[name] = self.value(name, given[name])
            elif isinstance(f.default, str):
                values[name] = self.value(name, f.default)
        # An effect not said to be measured elsewhere was measured at this case's own change,
        # with this case's own services: the reference follows the case, never a hidden default.
        before, after = values.get("caseload_before"), values.get("caseload_after")
        changes = before is not None and after is not None and after < before
        for ref, own in REFERENCES.items():
            if ref in given or own not in given or (ref != "reference_other_cost" and not changes):
                continue
            values[ref] = values[own]
            if own in self.sources:
                self.sources[ref] = self.sources[own]
        raw_outcomes = spec.get("outcomes")
        if not isinstance(raw_outcomes, list) or not raw_outcomes:
            self.fail("outcomes", "needs at least one outcome")
        if len(raw_outcomes) > MAX_OUTCOMES:
            self.fail("outcomes", f"at most {MAX_OUTCOMES}")
        outcomes = tuple(self.outcome(i, o) for i, o in enumerate(raw_outcomes))
        try:
            scenario = Scenario(**values, outcomes=outcomes, case=self.name)
        except fields.FieldError as error:
            self.fail(error.field.name, str(error))
        except ValueError as error:
            self.fail("levers", str(error))
        no_held_out = (
            self.labels("no_held_out", spec["no_held_out"], 1000) if "no_held_out" in spec else None
        )
        return Case(
            self.name,
            title,
            summary,
            scenario,
            dict(self.sources),
            dict(self.notes),
            self.documented(spec.get("documented")),
            area,
            no_held_out,
        )


def read_cases(content: Any, file: str, figures: dict[str, Figure]) -> dict[str, Case]:
    """Cases from the content of a cases YAML file (a mapping of case names to definitions)."""
    if not isinstance(content, dict) or not content:
        raise CatalogueError(f"{file}: must map case names to definitions")
    out = {}
    for name, body in content.items():
        if (
            not isinstance(name, str)
            or not name.isidentifier()
            or not name.isascii()
            or len(name) > 40
        ):
            raise CatalogueError(
                f"{file}: case names must be plain names (letters, digits, _); got {name!r:.50}"
            )
        out[name] = _Reader(file, name, body, figures).case()
    return out


def load_cases(path, figures: dict[str, Figure], data: bytes | None = None) -> dict[str, Case]:
    """Read a cases YAML file (or ``data`` named as that file) against ``figures``."""
    content = yamlfile.read(path, data)
    name = getattr(path, "name", str(path))
    return read_cases(content, name, figures)
