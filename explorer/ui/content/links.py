"""A page's state <-> its link. Query values are untrusted input from the internet: every value is
parsed strictly (plain decimal notation), clamped to its field's range with a notice, and anything
unknown is dropped with a notice in the page's language, never a traceback.

``?case=herning&caseload_after=22&lang=en`` restores a scenario; outcome fields are written
``OUTCOME.FIELD``; financing terms and Monte Carlo spreads by their field names; a page's own
settings (``claim``, ``draws``) are passed through for the page to check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from explorer import catalogue
from explorer.catalogue import settings
from explorer.catalogue.owncase import OWN
from explorer.catalogue.settings import Notice
from explorer.data import i18n
from explorer.model import fields
from explorer.model.scenario import Scenario, caseload_after_for

MAX_QUERY = 4_000
DEFAULT_CASE = "herning"
#: Groups of fields beside the scenario that travel in every link (each page uses its own).
EXTRA_GROUPS = ("terms", "spreads")
#: Names a page may carry for itself; the page checks their values.
PAGE_PARAMS = ("claim", "draws")


@dataclass(frozen=True)
class Link:
    """What a query string asks for, after checking."""

    case: str
    lang: str
    scenario: Scenario
    extras: dict[str, dict[str, float]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def parse(query: str, facts: bool = False) -> Link:
    """Read a query string (without '?'); never raises on bad input.

    A link to a preset moves its levers only: a case fact (fields.yaml's ``role: fact``: cases,
    base rates, the fitted effect, the reference change...) is ignored with a notice, so the
    preset's name never labels a changed fact. ``facts``: the own-case page, where the reader's
    case starts from the preset and says it is no longer the documented one, reads them too."""
    notices: list[Notice] = []
    if not isinstance(query, str):
        query = ""
    if len(query) > MAX_QUERY:
        query, notices = "", [Notice("too_long")]
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=200)
    except ValueError:
        pairs, notices = [], [Notice("too_long")]
    params: dict[str, str] = {}
    for name, raw in pairs:
        if name in params:
            notices.append(Notice("repeated", name, raw))
            continue
        params[name] = raw
    lang = params.pop("lang", "da")
    if lang not in i18n.LANGS:
        notices.append(Notice("bad_lang", "lang", lang))
        lang = "da"
    case = params.pop("case", DEFAULT_CASE)
    if case == OWN:  # the own-case page reads its case (code ``c``) itself
        params.pop("c", None)
        notices.append(Notice("own_case", "case", case, catalogue.case(DEFAULT_CASE).title[lang]))
        case = DEFAULT_CASE
    elif case not in catalogue.cases():
        notices.append(Notice("bad_case", "case", case, catalogue.case(DEFAULT_CASE).title[lang]))
        case = DEFAULT_CASE
    base = catalogue.load_case(case)
    scenario_fields = {f.url: f for f in fields.of(Scenario).values()}
    extra_fields = {
        group: {f.url: f for f in fields.group(group).values()} for group in EXTRA_GROUPS
    }
    outcome_fields = {f.url: f for f in fields.group("outcome").values()}
    #: page fields that are the other side of a scenario field (extra caseworkers)
    paired = {f.url: f for f in fields.group("page").values() if f.pair}
    paired_values: dict[str, tuple[str, str, float]] = {}  # scenario field: (name, raw, value)
    keys = {o.key for o in base.outcomes}
    extras: dict[str, dict[str, float]] = {group: {} for group in EXTRA_GROUPS}
    page: dict[str, str] = {}
    scenario_pairs = []
    for name, raw in params.items():
        key, dot, attr = name.partition(".")
        group = next((g for g, members in extra_fields.items() if name in members), None)
        spec = scenario_fields.get(name) or (outcome_fields.get(attr) if dot else None)
        if spec is not None and spec.is_fact and not facts and (not dot or key in keys):
            title = catalogue.case(case).title[lang].split(":")[0]
            labels = (spec.label["da"], spec.label["en"])
            notices.append(Notice("case_fact", name, raw, title, labels=labels))
        elif name in PAGE_PARAMS:
            page[name] = raw[:200]
        elif name in paired:
            value = settings.value(paired[name], name, raw, lang, notices)
            if value is not None:
                paired_values[paired[name].pair] = (name, raw, value)
        elif group is not None and name not in scenario_fields:
            value = settings.value(extra_fields[group][name], name, raw, lang, notices)
            if value is not None:
                extras[group][extra_fields[group][name].name] = value
        else:
            scenario_pairs.append((name, raw))
    changes, outcome_changes, rest = settings.read(base, scenario_pairs, lang, notices)
    notices += [Notice("unknown", name) for name, _ in rest]
    for field_name, (name, raw, extra) in paired_values.items():  # the scenario field wins
        if field_name in changes:
            labels = (paired[name].label["da"], paired[name].label["en"])
            notices.append(Notice("pair_ignored", name, raw, used=field_name, labels=labels))
        else:
            cases = changes.get("cases", base.cases)
            before = changes.get("caseload_before", base.caseload_before)
            changes[field_name] = caseload_after_for(cases, before, extra)
    if any(n.kind == "case_fact" for n in notices):  # once, after the facts it was for
        notices.append(
            Notice("case_fact_hint", used=catalogue.case(case).title[lang].split(":")[0])
        )
    scenario = settings.apply(base, changes, outcome_changes, lang, notices)
    return Link(case, lang, scenario, extras, page, notices)


def _differs(a: float, b: float) -> bool:
    return not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def build(
    scenario: Scenario,
    lang: str = "da",
    extras: dict[str, dict[str, float]] | None = None,
    params: dict[str, str] | None = None,
) -> str:
    """The query string that restores ``scenario``: the case, what differs from its preset, the
    extras that differ from their defaults, the page's own settings and the language."""
    preset = catalogue.load_case(scenario.case) if scenario.case in catalogue.cases() else None
    out: dict[str, str] = {"case": scenario.case}
    for name, f in fields.of(Scenario).items():
        value = getattr(scenario, name)
        if preset is None or _differs(value, getattr(preset, name)):
            out[f.url] = f.to_url(value)
    outcome_fields = fields.group("outcome")
    for o in scenario.outcomes:
        old = next((p for p in preset.outcomes if p.key == o.key), None) if preset else None
        for name, f in outcome_fields.items():
            value = getattr(o, name)
            if old is None or _differs(value, getattr(old, name)):
                out[f"{o.key}.{f.url}"] = f.to_url(value)
    for group, values in (extras or {}).items():
        defaults = _defaults(group)
        for name, value in values.items():
            f = fields.field(group, name)
            if _differs(value, defaults[name]):
                out[f.url] = f.to_url(value)
    out.update(params or {})
    out["lang"] = lang
    return urlencode(out)


def _defaults(group: str) -> dict[str, float]:
    return {name: fields.default_value(f) for name, f in fields.group(group).items()}


def with_lang(query: str, lang: str) -> str:
    """The same query in another language."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    return urlencode([*pairs, ("lang", lang)])
