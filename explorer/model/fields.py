"""The field specification (data/fields.yaml): what every input is, in one place.

A :class:`Field` knows its range, step, unit, labels and help in both languages, the figure that
sources its default, its URL name, and the field of its group that bounds it (``max:`` or
``below:``; the bounded field in turn bounds the other from below). Validation (``check``),
reading text as a person types it (``parse``), and writing a value into a link and reading it back
(``to_url`` / ``from_url``) are methods here; ``bounds`` narrows a range by the other fields'
values and ``check_values`` refuses values that break a relation. A :class:`Rule` is a relation
that holds for one kind of outcome only (fields.yaml's ``relations:``, an effect at most 1 for a
prevented entry, say); ``kind_bounds`` and ``check_rules`` do the same for it. So the model, the
pages, the links and the command line agree by construction.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import numpy as np
from babel.numbers import NumberFormatError, parse_decimal

from explorer.data import figures, files, i18n, numbers, yamlfile

LANGS = ("da", "en")
LOCALES = {"da": "da_DK", "en": "en_GB"}
GROUPS = ("scenario", "outcome", "price", "terms", "spreads", "page")
#: What a field is to a reader of a preset: a lever to move, a fact of the case, or a page's own.
ROLES = ("lever", "fact", "page")
#: A group's role where a field says none (fields.yaml's ``role:`` overrides it in scenario and
#: outcome).
GROUP_ROLES = {"price": "fact", "page": "page"}
FORMATS = ("count", "number", "money", "share", "multiplier", "year", "flag")
#: A number as a link writes it: plain decimal notation in ASCII digits (a fullwidth '２５' is not
#: one), no exponent, no grouping. Any number of digits: a huge value is clamped with a notice.
URL_NUMBER = re.compile(r"-?[0-9]{1,400}(?:\.[0-9]{1,340})?")


def _given(value: Any, fmt: str, lang: str) -> str:
    """What was given, as an error shows it: in the field's format where that keeps it whole,
    else as it was given (10.5 cases, not the 11 the format would round it to; True, not 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return repr(value)[:40]
    if fmt in ("flag", "year"):
        whole = value == int(value)
    else:
        kind = numbers.FIELD_KINDS[fmt]
        whole = numbers.rounded(value, kind) == Decimal(repr(numbers.scaled(value, kind)))
    if whole:
        return i18n.field_value(value, fmt, lang)
    exact = repr(value).removesuffix(".0")
    return exact.replace(".", ",") if lang == "da" else exact


class FieldError(ValueError):
    """A value a field does not allow. ``str()`` is English; ``text(lang)`` is for a page."""

    def __init__(
        self,
        field: Field,
        problem: str,
        got: Any = None,
        owner: str = "",
        other: Field | None = None,
        why: Mapping[str, str] | None = None,
    ):
        self.field, self.problem, self.got, self.owner = field, problem, got, owner
        self.other = other  # the field a "below" problem names
        self.why = why  # the rule a narrowed range comes from, in both languages
        self.bounds = (field.lo, field.hi)
        super().__init__(self.text("en", coded=True))

    def with_bounds(self, lo: float, hi: float) -> FieldError:
        """The same error for a range narrowed by another field (caseload after <= before)."""
        self.bounds = (lo, hi)
        self.args = (self.text("en", coded=True),)
        return self

    def text(self, lang: str = "en", coded: bool = False, owned: bool = True) -> str:
        """The message in ``lang``, naming the field as a reader of a page knows it (its label),
        or, ``coded``, as Python and the command line name it (``caseload_after``); ``owned``:
        after its owner ("outcome 'institution': "), where the reader is not told it already."""
        f, got = self.field, self.got
        name = f.name if coded else f.label[lang]
        where = f"{self.owner}: " if self.owner and owned else ""
        bare = "number" if f.unit.format == "multiplier" else f.unit.format

        def show(value: float) -> str:

            return i18n.field_value(value, bare, lang)

        shown = _given(got, bare, lang)
        if f.unit.format == "flag":  # on or off: the shown words would hide a 0.5
            shown = repr(got)[:40] if not isinstance(got, (int, float)) else f"{got:g}"
            flag = ("0 (off) or 1 (on)", "0 (fra) eller 1 (til)")
            span = flag[0] if lang == "en" else flag[1]
        lo, hi, unit = show(self.bounds[0]), show(self.bounds[1]), f.unit_text(lang)
        if f.unit.format != "flag":
            span = f"{lo} to {hi} {unit}" if lang == "en" else f"{lo} til {hi} {unit}"
        rule = f": {self.why[lang]}" if self.why else ""
        messages = {
            "not_number": (
                f"{name} must be a number from {span}; got {shown}",
                f"{name} skal være et tal fra {span}; fik {shown}",
            ),
            "not_finite": (
                f"{name} must be a finite number from {span}; got {shown}",
                f"{name} skal være et endeligt tal fra {span}; fik {shown}",
            ),
            "range": (
                f"{name} must be from {span}{rule}; got {shown}",
                f"{name} skal være fra {span}{rule}; fik {shown}",
            ),
            "under": (
                f"{name} must be under {hi} {unit}{rule}; got {shown}",
                f"{name} skal være under {hi} {unit}{rule}; fik {shown}",
            ),
            "whole": (
                f"{name} must be a whole number from {span}; got {shown}",
                f"{name} skal være et helt tal fra {span}; fik {shown}",
            ),
        }
        if self.problem == "decimal" and isinstance(got, str):
            messages["decimal"] = (
                f"{name} takes a decimal point in English: write {got.replace(',', '.')}; "
                f"got {shown}",
                f"{name} skrives med decimalkomma på dansk: skriv {got.replace('.', ',')}; "
                f"fik {shown}",
            )
        if self.other is not None:
            other = self.other.name if coded else lower(self.other.label[lang])
            messages["below"] = (
                f"{name} must be below {other} ({hi}); got {shown}",
                f"{name} skal være under {other} ({hi}); fik {shown}",
            )
        english, danish = messages[self.problem]
        return where + (english if lang == "en" else danish)


@dataclass(frozen=True)
class Unit:
    key: str
    da: str
    en: str
    format: str


@dataclass(frozen=True)
class Bound:
    """Another field of the same group that bounds a field; ``strict`` leaves out equality."""

    name: str
    strict: bool = False


@dataclass(frozen=True)
class Field:
    """One input: its range and step, unit, texts, default and URL name."""

    name: str
    group: str
    unit: Unit
    lo: float
    hi: float
    step: float
    whole: bool
    label: dict[str, str]
    help: dict[str, str]
    default: float | str | None = None  # a number, or the key of the figure behind it
    url: str = ""
    max_field: Bound | None = None  # at most (or, strict, below) this field's value
    min_field: Bound | None = None  # at least (or, strict, above) it: the other side of a max
    pair: str = ""  # a page field that is the other side of this scenario field
    role: str = "lever"  # ROLES: a lever a preset's reader moves, a case fact, or a page field

    @property
    def is_fact(self) -> bool:
        return self.role == "fact"

    # -- texts ---------------------------------------------------------------------------------
    def unit_text(self, lang: str) -> str:
        return self.unit.da if lang == "da" else self.unit.en

    def show(self, value: float, lang: str) -> str:
        """A value as a person reads it in the field's unit (no unit name)."""

        return i18n.field_value(value, self.unit.format, lang)

    # -- checking --------------------------------------------------------------------------------
    def check(self, value: Any, owner: str = "") -> float | int:
        """The value as float (int for whole fields), or FieldError naming the field and range."""
        if isinstance(value, (bool, np.bool_)) and self.unit.format == "flag":
            value = int(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            raise FieldError(self, "not_number", value, owner)
        value = float(value)
        if not math.isfinite(value):
            raise FieldError(self, "not_finite", value, owner)
        if not self.lo <= value <= self.hi:
            raise FieldError(self, "range", value, owner)
        if self.whole:
            if value != int(value):
                raise FieldError(self, "whole", value, owner)
            return int(value)
        return value

    def clamp(self, value: float) -> float | int:
        """The nearest allowed value (rounded for whole fields)."""
        value = min(max(float(value), self.lo), self.hi)
        return round(value) if self.whole else value

    # -- text a person types -------------------------------------------------------------------
    def parse(self, text: str, lang: str, owner: str = "") -> float | int:
        """Read a number as people write it in ``lang`` ('2,5' and '1.000.000' in Danish).

        Shares are shown and typed in per cent: '35' or '35 %' is 0.35. Amounts may carry their
        currency ('500.000 kr.', 'DKK 500,000'), multipliers their '×'.
        """
        raw = text if isinstance(text, str) else ""
        if self.unit.format == "share":
            raw = raw.replace("%", "")
        elif self.unit.format == "money":
            raw = re.sub(r"(?i)\s*(kr\.?|dkk)\s*", " ", raw)
        elif self.unit.format == "multiplier":
            raw = raw.replace("×", "")
        value = parse_number(raw, lang)
        if value is None:
            typed = raw.strip()[:40]
            # '1.2' in Danish or '1,2' in English: a number with the other language's decimal mark
            other = {"da": r"-?[0-9]+\.[0-9]{1,2}", "en": r"-?[0-9]+,[0-9]{1,2}"}.get(lang)
            problem = "decimal" if other and re.fullmatch(other, typed) else "not_number"
            raise FieldError(self, problem, typed, owner)
        if self.unit.format == "share":
            value = value / 100
        return self.check(value, owner)

    # -- links -----------------------------------------------------------------------------------
    def to_url(self, value: float) -> str:
        """The shortest plain decimal that reads back as exactly ``value``."""
        value = self.check(value)
        if isinstance(value, int):
            return str(value)
        return np.format_float_positional(value, trim="-")

    def from_url(self, raw: str) -> float | None:
        """A link's number, or None if it is not plain decimal notation."""
        raw = raw.strip()
        if not URL_NUMBER.fullmatch(raw):
            return None
        return float(raw)


def parse_number(text: str, lang: str) -> float | None:
    """'2,5' -> 2.5 and '1.000.000' -> 1000000.0 in Danish; '2.5' and '1,000,000' in English.

    Spaces (also non-breaking ones) are ignored. Returns None for anything else, including
    ambiguous Danish input such as '2.5' (a misplaced thousands separator).
    """
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not cleaned or len(cleaned) > 40:
        return None
    cleaned = cleaned.replace("\u2212", "-")  # the minus sign people paste from documents
    try:
        value = parse_decimal(cleaned, locale=LOCALES[lang], strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return None
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    return float(value)


@cache
def spec() -> dict[str, dict[str, Field]]:
    """Every field by group and name, from data/fields.yaml (checked as it is read)."""
    raw = yamlfile.read(files.data_path("fields.yaml"))
    name = "fields.yaml"
    if not isinstance(raw, dict) or "units" not in raw:
        raise yamlfile.DataError(f"{name}: needs 'units' and the groups {', '.join(GROUPS)}")
    units = {}
    for key, u in raw["units"].items():
        if (
            not isinstance(u, dict)
            or u.get("format") not in FORMATS
            or not all(isinstance(u.get(lang), str) for lang in LANGS)
        ):
            raise yamlfile.DataError(
                f"{name}, units.{key}: needs da, en and a format of {', '.join(FORMATS)}"
            )
        units[key] = Unit(key, u["da"], u["en"], u["format"])
    out: dict[str, dict[str, Field]] = {}
    for group in GROUPS:
        out[group] = {}
        for field_name, body in (raw.get(group) or {}).items():
            out[group][field_name] = _field(name, group, field_name, body, units)
        _relate(name, out[group])
    for f in out["page"].values():
        if f.pair and f.pair not in out["scenario"]:
            raise yamlfile.DataError(f"{name}, page.{f.name}, pair: no scenario field {f.pair}")
    return out


_OPERATORS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
#: How close to its bound a value may come from the wrong side and still be taken (rounding).
RULE_SLACK = 1e-12


@dataclass(frozen=True)
class Rule:
    """A relation that holds for one ``kind`` of a group (fields.yaml's ``relations:``):
    ``left <= right``, or ``left < right`` if ``strict``, between the group's fields. It is affine
    in each field, so it bounds every field it ``names`` from the others' values; ``names[0]`` is
    the field a broken rule is reported on, and ``why`` says in both languages why it holds."""

    group: str
    kind: str
    text: str
    strict: bool
    why: dict[str, str]
    names: tuple[str, ...]
    left: ast.expr = dataclasses.field(repr=False, compare=False)
    right: ast.expr = dataclasses.field(repr=False, compare=False)

    def excess(self, values: Mapping[str, float]) -> float:
        """How far the left side is above the right (the rule holds at or below 0)."""
        return _evaluate(self.left, values) - _evaluate(self.right, values)

    def holds(self, values: Mapping[str, float]) -> bool:
        excess = self.excess(values)
        return excess < 0 if self.strict else excess <= RULE_SLACK

    def bounds(self, name: str, values: Mapping[str, float]) -> tuple[float, float]:
        """The range field ``name`` may take beside the others' ``values`` (an end a strict rule
        sets is itself left out, as with ``below:``)."""
        at_zero = self.excess({**values, name: 0.0})
        slope = self.excess({**values, name: 1.0}) - at_zero
        if abs(slope) < 1e-15:
            return -math.inf, math.inf
        edge = -at_zero / slope
        return (-math.inf, edge) if slope > 0 else (edge, math.inf)


def _evaluate(node: ast.expr, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # a number: ``_names`` checked it
    if isinstance(node, ast.Name):
        return float(values[node.id])
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, values)
    assert isinstance(node, ast.BinOp)
    return _OPERATORS[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))


def _names(node: ast.expr, where: str, members: Mapping[str, Field]) -> list[str]:
    """The fields a rule's side names, in order; anything but an affine formula is refused."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return []
    if isinstance(node, ast.Name):
        if node.id not in members:
            raise yamlfile.DataError(f"{where}: {node.id!r} is no field here")
        return [node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _names(node.operand, where, members)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _names(node.left, where, members), _names(node.right, where, members)
        if isinstance(node.op, ast.Div) and right:
            raise yamlfile.DataError(f"{where}: divide by a number only, not by a field")
        if isinstance(node.op, ast.Mult) and set(left) & set(right):
            raise yamlfile.DataError(f"{where}: a field twice in one product")
        return left + [n for n in right if n not in left]
    raise yamlfile.DataError(f"{where}: only numbers, fields, + - * and / by a number")


def _rule(where: str, group: str, kind: str, body: Any, members: Mapping[str, Field]) -> Rule:
    if not isinstance(body, dict) or set(body) != {"rule", "why"}:
        raise yamlfile.DataError(f"{where}: needs a rule and why")
    text, why = body["rule"], body["why"]
    if not isinstance(why, dict) or not all(isinstance(why.get(lang), str) for lang in LANGS):
        raise yamlfile.DataError(f"{where}, why: needs a Danish and an English text")
    sides = re.split(r"\s*(<=|<)\s*", text) if isinstance(text, str) else []
    if len(sides) != 3:
        raise yamlfile.DataError(f"{where}: a rule is LEFT <= RIGHT or LEFT < RIGHT; got {text!r}")
    try:
        left, right = (ast.parse(side, mode="eval").body for side in (sides[0], sides[2]))
    except SyntaxError:
        raise yamlfile.DataError(f"{where}: cannot read {text!r}") from None
    names = _names(left, where, members)
    names += [n for n in _names(right, where, members) if n not in names]
    if not names:
        raise yamlfile.DataError(f"{where}: {text!r} names no field")
    return Rule(group, kind, text, sides[1] == "<", dict(why), tuple(names), left, right)


@cache
def rules() -> dict[str, dict[str, tuple[Rule, ...]]]:
    """The relations of each group that hold for one kind only, by group and kind."""
    raw = yamlfile.read(files.data_path("fields.yaml")).get("relations") or {}
    out: dict[str, dict[str, tuple[Rule, ...]]] = {}
    for group_name, kinds in raw.items():
        if group_name not in GROUPS or not isinstance(kinds, dict):
            raise yamlfile.DataError(f"fields.yaml, relations.{group_name}: no such group")
        out[group_name] = {
            kind: tuple(
                _rule(
                    f"fields.yaml, relations.{group_name}.{kind}[{i}]",
                    group_name,
                    kind,
                    body,
                    spec()[group_name],
                )
                for i, body in enumerate(bodies or ())
            )
            for kind, bodies in kinds.items()
        }
    return out


def kind_rules(group_name: str, kind: str) -> tuple[Rule, ...]:
    """The rules that hold for ``kind`` in a group (none for a kind without any)."""
    return rules().get(group_name, {}).get(kind, ())


def kind_bounds(f: Field, kind: str, values: Mapping[str, float]) -> tuple[float, float]:
    """The range ``f`` may take in a ``kind`` of its group beside the others' ``values``: its own
    range narrowed by every rule of the kind that names it."""
    lo, hi = f.lo, f.hi
    for rule in kind_rules(f.group, kind):
        if f.name in rule.names:
            low, high = rule.bounds(f.name, values)
            lo, hi = max(lo, low), min(hi, high)
    return lo, hi


def check_rules(group_name: str, kind: str, values: Mapping[str, float], owner: str = "") -> None:
    """Refuse values that break a rule of ``kind``: a FieldError on the field the rule names
    first, with its narrowed range and why the rule holds."""
    for rule in kind_rules(group_name, kind):
        if not rule.holds(values):
            f = field(group_name, rule.names[0])
            problem = "under" if rule.strict else "range"
            error = FieldError(f, problem, values[f.name], owner, why=rule.why)
            raise error.with_bounds(*kind_bounds(f, kind, values))


def _relate(name: str, members: dict[str, Field]) -> None:
    """Give the field a relation bounds from above its lower bound (``min_field``)."""
    for f in list(members.values()):
        if f.max_field is None:
            continue
        other = members.get(f.max_field.name)
        where = f"{name}, {f.group}.{f.name}"
        if other is None or other is f:
            raise yamlfile.DataError(f"{where}: {f.max_field.name!r} is no other field here")
        if other.min_field is not None:
            raise yamlfile.DataError(f"{where}: {other.name} is bounded from below twice")
        members[other.name] = dataclasses.replace(
            other, min_field=Bound(f.name, f.max_field.strict)
        )


def _field(name: str, group: str, field_name: str, body: Any, units: dict[str, Unit]) -> Field:
    where = f"{name}, {group}.{field_name}"
    if not isinstance(body, dict):
        raise yamlfile.DataError(f"{where}: must be a mapping")
    keys = {"unit", "lo", "hi", "step", "whole", "default", "label", "help", "url"}
    unknown = set(body) - keys - {"max", "below", "pair", "role"}
    if unknown:
        raise yamlfile.DataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if body.get("unit") not in units:
        raise yamlfile.DataError(f"{where}: unit must be one of {', '.join(units)}")
    numbers: dict[str, Any] = {k: body.get(k) for k in ("lo", "hi", "step")}
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers.values()):
        raise yamlfile.DataError(f"{where}: lo, hi and step must be numbers")
    if not numbers["lo"] < numbers["hi"] or numbers["step"] <= 0:
        raise yamlfile.DataError(f"{where}: needs lo < hi and a positive step")
    for key in ("label", "help"):
        texts = body.get(key)
        if not isinstance(texts, dict) or not all(
            isinstance(texts.get(lang), str) and texts[lang] for lang in LANGS
        ):
            raise yamlfile.DataError(f"{where}, {key}: needs a Danish and an English text")
    default = body.get("default")
    if default is not None and not isinstance(default, (int, float, str)):
        raise yamlfile.DataError(f"{where}, default: a number or a figure key")
    url = body.get("url") or field_name
    if "max" in body and "below" in body:
        raise yamlfile.DataError(f"{where}: max or below, not both")
    relation = body.get("max", body.get("below"))
    if relation is not None and not isinstance(relation, str):
        raise yamlfile.DataError(f"{where}: max and below name another field")
    pair = body.get("pair", "")
    if not isinstance(pair, str) or (pair and group != "page"):
        raise yamlfile.DataError(f"{where}, pair: a page field names a scenario field")
    allowed = (GROUP_ROLES[group],) if group in GROUP_ROLES else ROLES[:2]
    role = body.get("role", allowed[0])
    if role not in allowed:
        raise yamlfile.DataError(f"{where}, role: one of {', '.join(allowed)}; got {role!r}")
    return Field(
        field_name,
        group,
        units[body["unit"]],
        float(numbers["lo"]),
        float(numbers["hi"]),
        float(numbers["step"]),
        bool(body.get("whole", False)),
        dict(body["label"]),
        dict(body["help"]),
        default,
        url,
        None if relation is None else Bound(relation, strict="below" in body),
        pair=pair,
        role=role,
    )


def field(group: str, name: str) -> Field:
    try:
        return spec()[group][name]
    except KeyError:
        raise KeyError(f"no field {group}.{name} in fields.yaml") from None


def group(name: str) -> dict[str, Field]:
    """The fields of one group, in the file's order."""
    return spec()[name]


def bounds(f: Field, values: Mapping[str, float]) -> tuple[float, float]:
    """The range ``f`` may take beside the other fields' ``values``: its own range narrowed by
    the fields that bound it. An end set by a strict relation (``below``) is itself left out."""
    lo = f.lo if f.min_field is None else max(f.lo, values[f.min_field.name])
    hi = f.hi if f.max_field is None else min(f.hi, values[f.max_field.name])
    return lo, hi


def breaks(f: Field, values: Mapping[str, float]) -> bool:
    """True if ``f``'s value is above the field that bounds it (``max:``), or not below it
    (``below:``). Every relation is checked once, from its bounded side."""
    if f.max_field is None:
        return False
    value, bound = values[f.name], values[f.max_field.name]
    return value >= bound if f.max_field.strict else value > bound


def check_values(
    members: Mapping[str, Field], values: Mapping[str, float], owner: str = ""
) -> None:
    """Refuse values that break a relation between ``members``: a FieldError naming the bounded
    field and its narrowed range (or the field it must stay below)."""
    for f in members.values():
        bound = f.max_field
        if bound is not None and breaks(f, values):
            other = members[bound.name] if bound.strict else None
            error = FieldError(f, "below" if other else "range", values[f.name], owner, other)
            raise error.with_bounds(*bounds(f, values))


def values(obj: Any) -> dict[str, Any]:
    """The spec fields' values of a dataclass instance, by name."""
    return {name: getattr(obj, name) for name in of(type(obj))}


def check_relations(obj: Any, owner: str = "") -> None:
    """``check_values`` for a dataclass instance (Scenario) with spec fields."""
    check_values(of(type(obj)), values(obj), owner)


def default_value(f: Field) -> float | int:
    """The field's default: its figure's value (in the price year) or its plain number."""
    if isinstance(f.default, str):
        return f.check(figures.figure(f.default).in_prices)
    if f.default is None:
        raise ValueError(f"{f.name} has no default; give it a value")
    return f.check(f.default)


def spec_field(group_name: str, name: str, *, required: bool = False) -> Any:
    """A dataclass field whose metadata is the spec's field and whose default is its default.

    With ``required`` the dataclass field has no default and must be given.
    """
    f = field(group_name, name)
    if required or f.default is None:
        return dataclasses.field(metadata={"spec": f})
    return dataclasses.field(default_factory=lambda: default_value(f), metadata={"spec": f})


def of(cls: type) -> dict[str, Field]:
    """The spec fields of a dataclass (Scenario, Outcome, Price, Terms, Spreads)."""
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}


def validate(obj: Any, owner: str = "") -> None:
    """Check and normalise every spec field of a frozen dataclass instance."""
    for name, f in of(type(obj)).items():
        object.__setattr__(obj, name, f.check(getattr(obj, name), owner))


def lower(text: str) -> str:
    """A label inside a sentence ('Sagstal før' -> 'sagstal før')."""
    return text[:1].lower() + text[1:]


def relation_text(f: Field) -> str:
    """A field's relations in words for the docs table (', at most `caseload_before`')."""
    parts = []
    for bound, words in ((f.max_field, ("at most", "below")), (f.min_field, ("at least", "above"))):
        if bound is not None:
            parts.append(f", {words[bound.strict]} `{bound.name}`")
    if f.pair:
        parts.append(f", the other side of `{f.pair}`")
    for kind, kinds in rules().get(f.group, {}).items():
        parts += [f", {kind}: `{r.text}`" for r in kinds if f.name in r.names]
    return "".join(parts)


def markdown() -> str:
    """The table of every input for docs/model.md (``python -m explorer fields``)."""

    lines = [
        "| group | field | role | in a link | range | step | unit | default | meaning |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for group_name, members in spec().items():
        for f in members.values():
            if isinstance(f.default, str):
                fig = figures.figure(f.default)
                default = f"`{f.default}` ({fig.grade})"
            else:
                default = (
                    "" if f.default is None else i18n.field_value(f.default, f.unit.format, "en")
                )
            url = f"`OUTCOME.{f.url}`" if group_name == "outcome" else f"`{f.url}`"
            if group_name == "price":
                url = "—"
            lines.append(
                f"| {group_name} | `{f.name}` | {f.role} | {url} | {f.show(f.lo, 'en')} to "
                f"{f.show(f.hi, 'en')}{relation_text(f)} | {f.show(f.step, 'en')} | {f.unit.en} | "
                f"{default} | {f.help['en']} |"
            )
    return "\n".join(lines)
