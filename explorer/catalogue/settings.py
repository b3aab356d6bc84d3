"""Settings written as text (a link's ``caseload_after=22``, the command line's ``--set``) read
into a case's scenario, with a notice for every value that could not be used as written.

Values are untrusted: each is read strictly (plain decimal notation), clamped to its field's range
with a notice, and a pair that breaks a relation of the field specification is mended with a
notice. A link (ui/content/links.py) and the command line (``__main__``) both read through
``read`` and ``apply``, so they say the same thing about the same value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from explorer.data import i18n
from explorer.model import fields
from explorer.model.fields import Field
from explorer.model.scenario import Scenario

MAX_SHOWN = 40
#: A number written with Danish thousands dots ('600.000'): in a setting a dot is a decimal point.
GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
#: A number written with an exponent ('1e308'): a number, but not as a setting writes one.
EXPONENT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+")
#: A number with a decimal comma ('22,5'), not English thousands ('1,500' or '600,000').
COMMA = re.compile(r"-?[0-9]+,[0-9]+")
ENGLISH_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:,[0-9]{3})+")
#: Names Voilà reads itself; never used for the scenario.
RESERVED = ("template", "theme")
#: Notices of a value that was not used at all (the others say which value is used instead).
IGNORED = ("not_number", "exponent", "grouped", "comma")


@dataclass(frozen=True)
class Notice:
    """Something in the settings that could not be used as it was."""

    kind: str
    name: str = ""
    raw: str = ""
    used: str = ""
    lo: str = ""
    hi: str = ""
    other: str = ""  # the scenario field that bounds field ``name`` (both named by their labels)
    #: The label of the setting's field in (Danish, English), said beside its name.
    labels: tuple[str, str] = ("", "")
    #: Why the settings were not used, in (Danish, English): the rule or range they break.
    why: tuple[str, str] = ("", "")

    def text(self, lang: str) -> str:
        shown = self.raw[:MAX_SHOWN] + ("…" if len(self.raw) > MAX_SHOWN else "")
        label = self.labels[i18n.LANGS.index(lang)]
        if label:
            shown = f"{shown} ({label})"
        name, other = self.name[:MAX_SHOWN], ""
        if self.other:
            name = fields.field("scenario", self.name).label[lang]
            other = fields.lower(fields.field("scenario", self.other).label[lang])
        return i18n.t(
            f"notice.{self.kind}",
            lang,
            name=name,
            raw=shown,
            used=self.used,
            lo=self.lo,
            hi=self.hi,
            other=other,
            why=self.why[i18n.LANGS.index(lang)],
        )


def value(f: Field, name: str, raw: str, lang: str, notices: list[Notice]) -> float | None:
    """Setting ``name=raw`` of field ``f``: its value clamped to the field's range, or None if it
    is not one; either way with a notice where it is not used as written."""
    read = f.from_url(raw)
    labels = (f.label["da"], f.label["en"])
    typed = raw.strip()
    if GROUPED.fullmatch(typed):
        grouped = float(typed.replace(".", ""))
        # '600.000' kroner or '1.000.000': meant as thousands, not to be read as 600 and clamped
        if f.clamp(grouped) == grouped and (read is None or f.clamp(read) != read):
            notices.append(Notice("grouped", name, raw, f.to_url(grouped), labels=labels))
            return None
    if read is None:
        if COMMA.fullmatch(typed) and not ENGLISH_GROUPED.fullmatch(typed):
            point = typed.replace(",", ".")
            notices.append(Notice("comma", name, raw, point, labels=labels))
            return None
        kind = "exponent" if EXPONENT.fullmatch(typed) else "not_number"
        span = (f.show(f.lo, lang), f.show(f.hi, lang)) if kind == "exponent" else ("", "")
        notices.append(Notice(kind, name, raw, "", *span, labels=labels))
        return None
    clamped = f.clamp(read)
    if f.whole and f.lo <= read <= f.hi and read != int(read):
        shown = (f.show(clamped, lang), f.show(f.lo, lang), f.show(f.hi, lang))
        notices.append(Notice("not_whole", name, raw, *shown, labels=labels))
    elif clamped != read:
        shown = (f.show(clamped, lang), f.show(f.lo, lang), f.show(f.hi, lang))
        notices.append(Notice("clamped", name, raw, *shown, labels=labels))
    return clamped


def read(
    base: Scenario, pairs: Iterable[tuple[str, str]], lang: str, notices: list[Notice]
) -> tuple[dict[str, float], dict[str, dict[str, float]], list[tuple[str, str]]]:
    """The scenario's and its outcomes' changes among the settings ``(name, raw)`` (an outcome's
    as ``OUTCOME.FIELD``), each read by ``value``; and the settings that are neither."""
    scenario_fields = {f.url: f for f in fields.of(Scenario).values()}
    outcome_fields = {f.url: f for f in fields.group("outcome").values()}
    keys = {o.key for o in base.outcomes}
    changes: dict[str, float] = {}
    outcome_changes: dict[str, dict[str, float]] = {}
    rest = []
    for name, raw in pairs:
        key, dot, attr = name.partition(".")
        if name in scenario_fields and name not in RESERVED:
            f = scenario_fields[name]
            got = value(f, name, raw, lang, notices)
            if got is not None:
                changes[f.name] = got
        elif dot and key in keys and attr in outcome_fields:
            f = outcome_fields[attr]
            got = value(f, name, raw, lang, notices)
            if got is not None:
                outcome_changes.setdefault(key, {})[f.name] = got
        else:
            rest.append((name, raw))
    return changes, outcome_changes, rest


def apply(
    base: Scenario,
    changes: dict[str, float],
    outcome_changes: dict[str, dict[str, float]],
    lang: str,
    notices: list[Notice],
) -> Scenario:
    """The base scenario with the changes. A value above the field that bounds it
    (fields.yaml's ``max:``) is set to that field's value; a pair that breaks a strict relation
    (``below:``) is dropped for the case's own. Either is explained in a notice."""
    spec = fields.of(Scenario)
    values = {name: changes.get(name, getattr(base, name)) for name in spec}
    for f in spec.values():
        bound = f.max_field
        if bound is None or not fields.breaks(f, values):
            continue
        shown = (f.show(values[f.name], lang), f.show(values[bound.name], lang))
        if bound.strict:
            notices.append(Notice("bound_dropped", f.name, *shown, other=bound.name))
            for name in (f.name, bound.name):
                changes.pop(name, None)
                values[name] = getattr(base, name)
        else:
            notices.append(Notice("bound_clamped", f.name, *shown, other=bound.name))
            changes[f.name] = values[f.name] = fields.bounds(f, values)[1]
    scenario = base.replace(**changes)
    for key, attrs in outcome_changes.items():
        try:
            scenario = scenario.replace_outcome(key, **attrs)
        except fields.FieldError as error:
            # the notice names the outcome already
            why = (error.text("da", owned=False), error.text("en", owned=False))
            notices.append(Notice("outcome_pair", key, why=why))
        except ValueError as error:
            notices.append(Notice("outcome_pair", key, why=(str(error), str(error))))
    return scenario
