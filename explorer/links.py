"""Scenario <-> URL query string. Query values are untrusted: parsed strictly, clamped to bounds.

``?case=herning&caseload_after=22&lang=en`` restores a state; a bad value is dropped or clamped
with a notice, never a traceback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from . import catalogue, i18n
from .scenario import Outcome, Scenario, bounds, levers

MAX_QUERY = 2_000
NUMBER = re.compile(r"-?\d{1,12}(\.\d{1,12})?")
DEFAULT_CASE = "herning"

_NOTICE = {
    "not_number": ("{name}={raw} er ikke et tal og blev ignoreret.",
                   "{name}={raw} is not a number and was ignored."),
    "clamped": ("{name}={raw} ligger uden for {lo}–{hi}; {used} bruges.",
                "{name}={raw} is outside {lo}–{hi}; {used} is used."),
    "unknown": ("{name} er ikke en kendt indstilling og blev ignoreret.",
                "{name} is not a known setting and was ignored."),
    "bad_case": ("Sagen {raw} findes ikke; {used} vises.", "The case {raw} does not exist; {used} is shown."),
    "bad_lang": ("Sproget {raw} findes ikke; dansk bruges.", "The language {raw} does not exist; Danish is used."),
    "too_long": ("Adressen er for lang og blev ignoreret.", "The address is too long and was ignored."),
}


@dataclass(frozen=True)
class Notice:
    kind: str
    name: str = ""
    raw: str = ""
    used: str = ""
    lo: str = ""
    hi: str = ""

    def text(self, lang: str) -> str:
        template = _NOTICE[self.kind][i18n.LANGS.index(lang)]
        return template.format(name=self.name, raw=self.raw[:40], used=self.used, lo=self.lo,
                               hi=self.hi)


@dataclass(frozen=True)
class Link:
    """What a query string asks for, after checking."""

    case: str
    lang: str
    scenario: Scenario
    notices: list[Notice] = field(default_factory=list)
    extras: dict[str, float] = field(default_factory=dict)  # fields of the page's extra class


def _number(raw: str) -> float | None:
    return float(raw) if NUMBER.fullmatch(raw.strip()) else None


def _clamp(name: str, raw: str, meta: dict, notices: list[Notice]) -> float | None:
    value = _number(raw)
    if value is None:
        notices.append(Notice("not_number", name, raw))
        return None
    lo, hi = meta["lo"], meta["hi"]
    clamped = min(max(value, lo), hi)
    if meta["integer"]:
        clamped = int(round(clamped))
    if clamped != value:
        notices.append(Notice("clamped", name, raw, f"{clamped:g}", f"{lo:g}", f"{hi:g}"))
    return clamped


def parse(query: str, extra=None) -> Link:
    """Read a query string (without '?'); never raises on bad input.

    ``extra`` is a dataclass with lever fields (such as financing.Terms) whose values the page
    also keeps in the URL; they are checked against its bounds and returned in ``Link.extras``.
    """
    notices: list[Notice] = []
    if len(query) > MAX_QUERY:
        query, notices = "", [Notice("too_long")]
    params = dict(parse_qsl(query, keep_blank_values=True))
    lang = params.pop("lang", "da")
    if lang not in i18n.LANGS:
        notices.append(Notice("bad_lang", "lang", lang))
        lang = "da"
    case = params.pop("case", DEFAULT_CASE)
    if case not in catalogue.cases():
        notices.append(Notice("bad_case", "case", case, DEFAULT_CASE))
        case = DEFAULT_CASE
    scenario = catalogue.load_case(case)
    changes: dict[str, float] = {}
    extras: dict[str, float] = {}
    outcome_changes: dict[str, dict[str, float]] = {}
    for name, raw in params.items():
        key, dot, attr = name.partition(".")
        if not dot and key in levers(Scenario):
            value = _clamp(name, raw, bounds(Scenario, key), notices)
            if value is not None:
                changes[key] = value
        elif not dot and extra is not None and key in levers(extra):
            value = _clamp(name, raw, bounds(extra, key), notices)
            if value is not None:
                extras[key] = value
        elif dot and attr in levers(Outcome) and key in {o.key for o in scenario.outcomes}:
            value = _clamp(name, raw, bounds(Outcome, attr), notices)
            if value is not None:
                outcome_changes.setdefault(key, {})[attr] = value
        else:
            notices.append(Notice("unknown", name[:40]))
    before = changes.get("caseload_before", scenario.caseload_before)
    after = changes.get("caseload_after", scenario.caseload_after)
    if after > before:
        notices.append(Notice("clamped", "caseload_after", f"{after:g}", f"{before:g}", "1",
                              f"{before:g}"))
        changes["caseload_after"] = before
    ref_b = changes.get("reference_caseload_before", scenario.reference_caseload_before)
    if changes.get("reference_caseload_after", scenario.reference_caseload_after) >= ref_b:
        changes.pop("reference_caseload_after", None)
        changes.pop("reference_caseload_before", None)
        notices.append(Notice("unknown", "reference_caseload_after"))
    scenario = scenario.replace(**changes)
    for key, attrs in outcome_changes.items():
        scenario = scenario.replace_outcome(key, **attrs)
    return Link(case, lang, scenario, notices, extras)


def build(scenario: Scenario, lang: str = "da", extras: dict[str, float] | None = None) -> str:
    """The query string that restores ``scenario``: the case, the language and what differs
    (plus ``extras``, the page's own changed settings)."""
    preset = catalogue.load_case(scenario.case) if scenario.case in catalogue.cases() else None
    params = {"case": scenario.case}
    for name in levers(Scenario):
        value = getattr(scenario, name)
        if preset is None or not math.isclose(value, getattr(preset, name), rel_tol=1e-12):
            params[name] = f"{value:.6g}"
    preset_keys = {o.key for o in preset.outcomes} if preset else set()
    for o in scenario.outcomes:
        old = preset.outcome(o.key) if o.key in preset_keys else None
        for attr in levers(Outcome):
            value = getattr(o, attr)
            if old is None or not math.isclose(value, getattr(old, attr), rel_tol=1e-12):
                params[f"{o.key}.{attr}"] = f"{value:.6g}"
    params.update({k: f"{v:.6g}" for k, v in (extras or {}).items()})
    params["lang"] = lang
    return urlencode(params)
