"""A reader's own case, as the own-case page's form describes it: its parts, their checks, and new
cases and parts with the catalogue's defaults.

An :class:`OwnCase` holds what the form asks for in the terms of a case file (the format of
data/cases.yaml): every value is a figure of figures.csv, with its source, or the reader's own
number with an optional note. It becomes a :class:`~explorer.catalogue.reader.Case` through the same
reader as every case file, so the page, ``explorer.load_case("my_case.yaml")`` and
``python -m explorer evaluate my_case.yaml`` agree by construction. Every refusal is an
:class:`OwnCaseError` whose ``text(lang)`` says what is wrong in the page's language. The case as a
file or a link code is ``explorer.catalogue.casefile``; how it changes as the reader edits it,
``explorer.catalogue.caseedits``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from explorer import catalogue
from explorer.catalogue.reader import (
    OUTCOME_DEFAULTS,
    OUTCOME_VALUES,
    REFERENCES,
    Case,
    read_cases,
)
from explorer.data import files, i18n, yamlfile
from explorer.data.figures import CatalogueError
from explorer.model import fields
from explorer.model.fields import FieldError
from explorer.model.scenario import KINDS, Scenario

#: The case name of an own case (``Scenario.case``) and the key of its case file.
OWN = "own"
#: Price figures by the refusion that applies: a benefit (by weeks on support), a placement (the
#: central refusion for high-cost cases), a gain beyond the public budgets (no payer).
BENEFITS = (
    "price.kontanthjaelp_30plus",
    "price.kontanthjaelp_30plus_2016",
    "price.kontanthjaelp_30plus_2015",
    "price.sygedagpenge_max",
    "price.foertidspension_single",
)
PLACEMENTS = ("price.institution_placement", "price.foster_family", "price.secure_institution")
WIDER = ("price.kora_gain_per_year",)
PAYER_MODES = ("benefit", "high_cost", "shares")
#: A new outcome's sourced defaults by kind.
RATE_DEFAULTS = {"entry": "dk.institution_entry_rate", "exit": "dk.kontanthjaelp_exit_rate"}
PRICE_DEFAULTS = {"entry": "price.institution_placement", "exit": "price.kontanthjaelp_30plus"}
WEEKS_DEFAULT = 52.0  # a year on support before the change: the state refunds 20 %
TEXT_LIMITS = {"title": 120, "summary": 1000, "label": 200, "note": 500}
#: The Scenario fields an own case describes besides its start year and the wider-gains switch,
#: by part, in the order the form asks for them: the staffing and its costs, and the reference
#: the effect was measured at (each reference follows its own value, ``REFERENCES``) with the
#: trend. The others keep fields.yaml's defaults.
STAFFING = (
    "cases",
    "caseload_before",
    "caseload_after",
    "worker_cost",
    "overhead",
    "other_cost_per_year",
    "services_share",
    "one_off_cost",
    "programme_years",
    "horizon_years",
)
REFERENCE = (*REFERENCES, "trend")
#: The reference change (before, after) and the reader's own.
REFERENCE_PAIR = ("reference_caseload_before", "reference_caseload_after")
REFERENCE_PAIR_OWN = tuple(REFERENCES[n] for n in REFERENCE_PAIR)


class OwnCaseError(CatalogueError):
    """A case, file or code that cannot be used. ``str()`` is English; ``text(lang)`` is for a
    page. After the page's sentence comes the ``cause`` (a refusal it wraps) or the ``detail``
    (the case reader's own English words). Numbers in ``values`` are written the page's way; a
    ``{da, en}`` mapping in its language."""

    def __init__(
        self, problem: str, detail: str = "", cause: OwnCaseError | None = None, **values: Any
    ):
        self.problem, self.detail, self.cause, self.values = problem, detail, cause, values
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        shown = {
            k: i18n.short(v, lang)
            if isinstance(v, (int, float))
            else v[lang]
            if isinstance(v, dict)
            else v
            for k, v in self.values.items()
        }
        sentence = i18n.t(f"own_case.error.{self.problem}", lang, **shown)
        after = self.cause.text(lang) if self.cause else self.detail
        return f"{sentence} {after}" if after else sentence


# -- the case's parts ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """One input: a figure of figures.csv (``figure``), or an own ``number`` with a ``note``."""

    number: float = 0.0
    figure: str = ""
    note: str = ""

    @classmethod
    def of(cls, spec: Any) -> Value:
        """A value as a (checked) case file writes it."""
        if isinstance(spec, str):
            return cls(figure=spec)
        if isinstance(spec, dict):
            return cls(number=float(spec["value"]), note=spec.get("source", ""))
        return cls(number=float(spec))

    def resolve(self) -> float:
        """The number the model uses (a figure's value in the price year)."""
        return catalogue.figure(self.figure).in_prices if self.figure else self.number

    def spec(self) -> Any:
        if self.figure:
            return self.figure
        number: float | int = self.number
        if float(number).is_integer() and abs(number) < 1e15:
            number = int(number)
        return {"value": number, "source": self.note} if self.note else number


@dataclass(frozen=True)
class Share:
    """A payer's share of a price: a value, ``rest`` (1 minus the others), or a refusion rule
    (``refusion_from_week`` weeks, ``high_cost_refusion`` yearly cost) applied to a value."""

    rule: str = "value"
    value: Value = Value()

    @classmethod
    def of(cls, spec: Any) -> Share:
        if spec == "rest":
            return cls("rest")
        if isinstance(spec, dict) and len(spec) == 1 and "value" not in spec:
            ((rule, arg),) = spec.items()
            return cls(rule, Value.of(arg))
        return cls("value", Value.of(spec))

    def spec(self) -> Any:
        if self.rule == "rest":
            return "rest"
        if self.rule == "value":
            return self.value.spec()
        return {self.rule: self.value.spec()}


@dataclass(frozen=True)
class PriceSpec:
    """What an avoided person-year is worth (``amount``) and who gets it (``payers``)."""

    label: dict[str, str]
    amount: Value
    payers: dict[str, Share] = field(default_factory=dict)
    kind: str = "budget"
    sign: int = 1

    @classmethod
    def of(cls, spec: dict) -> PriceSpec:
        payers = {p: Share.of(s) for p, s in (spec.get("payers") or {}).items()}
        return cls(
            dict(spec["label"]),
            Value.of(spec["amount"]),
            payers,
            spec.get("kind", "budget"),
            spec.get("sign", 1),
        )

    def spec(self) -> dict:
        out: dict[str, Any] = {"label": dict(self.label), "amount": self.amount.spec()}
        if self.sign != 1:
            out["sign"] = self.sign
        if self.kind == "budget":
            out["payers"] = {p: s.spec() for p, s in self.payers.items()}
        else:
            out["kind"] = self.kind
        return out

    @property
    def mode(self) -> str:
        """How the form shows the payers: a benefit's or a placement's refusion, or shares."""
        rules = {s.rule for s in self.payers.values()}
        if "refusion_from_week" in rules:
            return "benefit"
        return "high_cost" if "high_cost_refusion" in rules else "shares"


@dataclass(frozen=True)
class OutcomeSpec:
    """One outcome: its kind, its name and its values (``base_rate``, ``effect`` and any of
    ``deadweight``, ``duration_years``, ``other_benefit_share``), and its prices."""

    key: str
    kind: str
    label: dict[str, str]
    values: dict[str, Value]
    prices: tuple[PriceSpec, ...]

    @classmethod
    def of(cls, spec: dict) -> OutcomeSpec:
        values = {n: Value.of(spec[n]) for n in OUTCOME_VALUES if n in spec}
        return cls(
            spec["key"],
            spec.get("kind", "entry"),
            dict(spec["label"]),
            values,
            tuple(PriceSpec.of(p) for p in spec["prices"]),
        )

    def spec(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": dict(self.label),
            **{n: v.spec() for n, v in self.values.items()},
            "prices": [p.spec() for p in self.prices],
        }

    def value(self, name: str) -> Value:
        """A value, or the sourced default a case file without it takes."""
        if name in self.values:
            return self.values[name]
        if name == "base_rate":
            return Value(figure=RATE_DEFAULTS[self.kind])
        return Value(figure=OUTCOME_DEFAULTS[name]) if name in OUTCOME_DEFAULTS else Value()


@dataclass(frozen=True)
class OwnCase:
    """A reader's case: names, area, the Scenario fields it names (``levers``, the start year
    among them) and one or more outcomes."""

    title: dict[str, str]
    summary: dict[str, str]
    area: str
    levers: dict[str, Value]
    outcomes: tuple[OutcomeSpec, ...]

    @classmethod
    def of(cls, spec: dict) -> OwnCase:
        """An own case from a case file's (checked) definition of one case."""
        levers = {n: Value.of(v) for n, v in (spec.get("levers") or {}).items()}
        if spec.get("start_year") is not None:
            levers.setdefault("start_year", Value.of(spec["start_year"]))
        return cls(
            dict(spec["name"]),
            dict(spec["summary"]),
            spec.get("area", "other"),
            levers,
            tuple(OutcomeSpec.of(o) for o in spec["outcomes"]),
        )

    def spec(self) -> dict:
        """The case's definition as a case file writes it."""
        levers = {n: v.spec() for n, v in self.levers.items() if n != "start_year"}
        out: dict[str, Any] = {
            "name": dict(self.title),
            "summary": dict(self.summary),
            "area": self.area,
        }
        if "start_year" in self.levers:
            out["start_year"] = self.levers["start_year"].spec()
        out["levers"] = levers
        out["outcomes"] = [o.spec() for o in self.outcomes]
        return out

    def lever(self, name: str) -> Value:
        """A Scenario field's value, or what a case file without it takes: a reference the file
        does not name follows the case's own value as the case reader has it (``REFERENCES``),
        else the field's default."""
        if name in self.levers:
            return self.levers[name]
        own = REFERENCES.get(name)
        if own in self.levers and (name == "reference_other_cost" or self._changes()):
            return self.levers[own]
        return default_lever(name)

    def _changes(self) -> bool:
        """True if the case names both caseloads (or they have catalogue defaults) and the
        caseload falls: then the case reader measures the effect at the case's own change."""
        named = [
            n in self.levers or isinstance(fields.field("scenario", n).default, str)
            for n in REFERENCE_PAIR_OWN
        ]
        before, after = (self.lever(n).resolve() for n in REFERENCE_PAIR_OWN)
        return all(named) and after < before

    def case(self) -> Case:
        """The case with its scenario (``case="own"``) and sources; the form's mistakes are
        named in the page's language (``OwnCaseError``), the rest by the case reader."""
        self.check()
        return case_of({OWN: self.spec()}, OWN)

    @property
    def scenario(self) -> Scenario:
        return self.case().scenario

    def check(self) -> None:
        """Refuse what the form can get wrong, naming the field in the page's language."""
        for what, texts in (("title", self.title), ("summary", self.summary)):
            _check_text(what, texts)
        check_figures(self)
        members = fields.of(Scenario)
        number = {name: self.lever(name).resolve() for name in members}
        try:
            fields.check_values(members, number)
        except FieldError as error:
            texts = {lang: error.text(lang) for lang in i18n.LANGS}
            raise OwnCaseError("relation", range=texts) from None
        check_reference(self)
        for o in self.outcomes:
            _check_outcome(o, number["cases"])

    def with_scenario(self, scenario: Scenario) -> OwnCase:
        """This case with a scenario's values where they differ from this case's own: how a
        link from another page (a preset with the reader's changes) fills the form."""
        mine = self.scenario
        levers = dict(self.levers)
        for name in fields.of(Scenario):
            if not same(getattr(scenario, name), getattr(mine, name)):
                levers[name] = Value(number=getattr(scenario, name))
        outcomes = []
        for spec, own in zip(self.outcomes, mine.outcomes):
            theirs = next((o for o in scenario.outcomes if o.key == spec.key), own)
            values = dict(spec.values)
            values.update(
                {
                    name: Value(number=getattr(theirs, name))
                    for name in OUTCOME_VALUES
                    if not same(getattr(theirs, name), getattr(own, name))
                }
            )
            outcomes.append(replace(spec, values=values))
        return replace(self, levers=levers, outcomes=tuple(outcomes))

    def free_key(self) -> str:
        """A key no outcome of this case has yet (``outcome_2``)."""
        taken = {o.key for o in self.outcomes}
        return next(f"outcome_{n}" for n in range(1, len(taken) + 2) if f"outcome_{n}" not in taken)


@cache
def default_lever(name: str) -> Value:
    """A Scenario field's default from fields.yaml: its figure, or its plain number."""
    f = fields.field("scenario", name)
    if isinstance(f.default, str):
        return Value(figure=f.default)
    return Value(number=float(fields.default_value(f)))


def same(a: float, b: float) -> bool:
    """True for two numbers equal but for rounding."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _check_text(what: str, texts: dict[str, str]) -> None:
    limit = TEXT_LIMITS[what]
    if any(not texts.get(lang, "").strip() for lang in i18n.LANGS):
        raise OwnCaseError(f"{what}_empty")
    if any(len(texts[lang]) > limit for lang in i18n.LANGS):
        raise OwnCaseError(f"{what}_too_long", most=limit)


def _check_outcome(o: OutcomeSpec, group: float) -> None:
    """The outcome's own limits: no more entries or exits than people, shares within 1."""
    _check_text("label", o.label)
    name = o.label
    for value in [*o.values.values(), *(p.amount for p in o.prices)]:
        if len(value.note) > TEXT_LIMITS["note"]:
            raise OwnCaseError("note_too_long", outcome=name, most=TEXT_LIMITS["note"])
    values = {n: o.value(n).resolve() for n in fields.group("outcome")}
    if values["base_rate"] > 1:  # more entries or exits a year than people, in the form's terms
        count = values["base_rate"] * group
        raise OwnCaseError(f"count_{o.kind}", outcome=name, count=count, cases=group)
    try:
        fields.check_rules("outcome", o.kind, values)
    except FieldError as error:
        texts = {lang: error.text(lang) for lang in i18n.LANGS}
        raise OwnCaseError("outcome_relation", outcome=name, range=texts) from None
    for price in o.prices:
        if price.kind == "budget" and price.mode == "shares":
            named = [s.value.resolve() for s in price.payers.values() if s.rule == "value"]
            if sum(named) > 1 + 1e-9 or any(not 0 <= s <= 1 for s in named):
                raise OwnCaseError("shares", outcome=name)


# -- which catalogue figures a field takes ---------------------------------------------------------
def _where(outcome: OutcomeSpec | None, name: dict[str, str]) -> dict[str, str]:
    """A field's name in both languages, after its outcome's name where it has one."""
    if outcome is None:
        return dict(name)
    return {
        lang: i18n.t("own_case.error.where", lang, outcome=outcome.label[lang], field=name[lang])
        for lang in i18n.LANGS
    }


def places(own: OwnCase) -> Iterator[tuple[tuple[str, ...], Value, dict[str, str]]]:
    """Every value of a case with its place (the Scenario field, the outcome kind and field, or
    the price's part) and the field's name in both languages."""
    for name, value in own.levers.items():
        yield ("scenario", name), value, fields.field("scenario", name).label
    weeks = {lang: i18n.t("own_case.fields.weeks", lang) for lang in i18n.LANGS}
    for o in own.outcomes:
        for name, value in o.values.items():
            yield ("outcome", o.kind, name), value, _where(o, fields.field("outcome", name).label)
        amount = _where(o, fields.field("price", "amount").label)
        for price in o.prices:
            yield ("price", "amount"), price.amount, amount
            for payer, share in price.payers.items():
                if share.rule == "value":
                    label = _where(o, fields.field("price", payer).label)
                    yield ("price", payer), share.value, label
                elif share.rule == "high_cost_refusion":
                    yield ("price", "amount"), share.value, amount
                elif share.rule == "refusion_from_week":
                    yield ("price", "weeks"), share.value, _where(o, weeks)


@cache
def place_units() -> dict[tuple[str, ...], frozenset[str]]:
    """The units (figures.csv ``unit``) of the figures the catalogue itself puts in each place:
    the fields' defaults, a new outcome's defaults, the prices the refusion rules know, and the
    presets. A place takes a catalogue figure only in one of these units, so an effect is a
    relative change of its kind's outcome and never a refusion share."""
    uses: dict[tuple[str, ...], set[str]] = {}

    def use(place: tuple[str, ...], key: str) -> None:
        uses.setdefault(place, set()).add(catalogue.figure(key).unit)

    for name, f in fields.of(Scenario).items():
        if isinstance(f.default, str):
            use(("scenario", name), f.default)
    for kind in KINDS:
        use(("outcome", kind, "base_rate"), RATE_DEFAULTS[kind])
        for name, key in OUTCOME_DEFAULTS.items():
            use(("outcome", kind, name), key)
    for key in (*PRICE_DEFAULTS.values(), *BENEFITS, *PLACEMENTS, *WIDER):
        use(("price", "amount"), key)
    for name in catalogue.cases():
        for place, value, _ in places(from_preset(name)):
            if value.figure:
                use(place, value.figure)
    return {place: frozenset(units) for place, units in uses.items()}


def figures_for(place: tuple[str, ...]) -> list[str]:
    """The catalogue figures a place takes (see ``place_units``)."""
    units = place_units().get(place, frozenset())
    return [key for key, f in catalogue.figures().items() if f.unit in units]


def check_figures(own: OwnCase) -> None:
    """Refuse a catalogue figure in a place that takes no figure of its unit, naming the field."""
    known = catalogue.figures()
    for place, value, where in places(own):
        if not value.figure or value.figure not in known:
            continue  # an own number; an unknown key is the case reader's to refuse
        f = known[value.figure]
        units = place_units().get(place, frozenset())
        if f.unit in units:
            continue
        taken = [g for g in known.values() if g.unit in units]
        allowed = {lang: "; ".join(sorted({g.unit_in(lang) for g in taken})) for lang in i18n.LANGS}
        raise OwnCaseError(
            "figure_kind" if taken else "figure_none",
            field=where,
            figure=value.figure,
            unit={lang: f.unit_in(lang) for lang in i18n.LANGS},
            allowed=allowed,
        )


@cache
def effect_references() -> dict[str, tuple[float, float]]:
    """The caseload change (before, after) each catalogue effect was measured at: the reference
    of the preset that documents it."""
    out = {}
    for name in catalogue.cases():
        own = from_preset(name)
        before, after = (own.lever(n).resolve() for n in REFERENCE_PAIR)
        change = (before, after)
        for o in own.outcomes:
            if o.value("effect").figure:
                out[o.value("effect").figure] = change
    return out


def check_reference(own: OwnCase) -> None:
    """Refuse a catalogue effect used at another reference change than the one it was measured
    at (the effect would be scaled by a change it was not measured at)."""
    change = tuple(own.lever(n).resolve() for n in REFERENCE_PAIR)
    for o in own.outcomes:
        key = o.value("effect").figure
        measured = effect_references().get(key)
        if measured and not all(same(a, b) for a, b in zip(change, measured)):
            raise OwnCaseError(
                "effect_reference",
                outcome=o.label,
                figure=key,
                before=measured[0],
                after=measured[1],
                ref_before=change[0],
                ref_after=change[1],
            )


# -- an effect the reader did not enter ------------------------------------------------------------
def evidence_starts() -> tuple[str, ...]:
    """How the note of an evidence-based effect begins, in each language."""
    return tuple(i18n.t("external.evidence", lang, sources="") for lang in i18n.LANGS)


def is_evidence(value: Value) -> bool:
    """True for an evidence-based effect (its note says so), not a number the reader entered."""
    return not value.figure and value.note.startswith(evidence_starts())


def unentered(kind: str) -> Value:
    """An outcome's effect before the reader enters one: for exits the evidence-based effect
    (``with_evidence`` gives its value), for prevention none, as there is no such evidence."""
    return Value(note=evidence_starts()[0]) if kind == "exit" else Value(0.0)


# -- new cases -------------------------------------------------------------------------------------
def price_label(figure: str) -> dict[str, str]:
    """A catalogue price's name in both languages."""
    return {
        lang: i18n.t(f"own_case.prices.{figure.removeprefix('price.')}", lang)
        for lang in i18n.LANGS
    }


def standard_price(amount: Value, weeks: Value = Value(WEEKS_DEFAULT)) -> PriceSpec:
    """A price with the payers its kind implies: a benefit refunded by weeks on support, a
    placement by the high-cost refusion, a wider gain with no payer, an own amount the kommune's."""
    if amount.figure:
        label = price_label(amount.figure)
    else:
        label = {lang: i18n.t("own_case.prices.own", lang) for lang in i18n.LANGS}
    if amount.figure in WIDER:
        return PriceSpec(label, amount, kind="wider")
    mode = (
        "benefit"
        if amount.figure in BENEFITS
        else "high_cost"
        if amount.figure in PLACEMENTS
        else "shares"
    )
    return PriceSpec(label, amount, payers_for(mode, amount, weeks))


def payers_for(
    mode: str,
    amount: Value,
    weeks: Value = Value(WEEKS_DEFAULT),
    region: Value = Value(0.0),
    stat: Value = Value(0.0),
) -> dict[str, Share]:
    """The payers of a price in one of the form's modes; the kommune pays the rest."""
    if mode == "benefit":
        return {"stat": Share("refusion_from_week", weeks), "kommune": Share("rest")}
    if mode == "high_cost":
        return {"stat": Share("high_cost_refusion", amount), "kommune": Share("rest")}
    return {
        "region": Share("value", region),
        "stat": Share("value", stat),
        "kommune": Share("rest"),
    }


def default_label(kind: str) -> dict[str, str]:
    return {lang: i18n.t(f"own_case.outcome.default_{kind}", lang) for lang in i18n.LANGS}


def new_outcome(kind: str, key: str) -> OutcomeSpec:
    """An outcome with the catalogue's defaults for its kind and the effect before one is
    entered (``unentered``)."""
    return OutcomeSpec(
        key,
        kind,
        default_label(kind),
        {"base_rate": Value(figure=RATE_DEFAULTS[kind]), "effect": unentered(kind)},
        (standard_price(Value(figure=PRICE_DEFAULTS[kind])),),
    )


def blank() -> OwnCase:
    """The form before the reader fills it in: one prevention outcome, the defaults of
    fields.yaml, and references that follow the reader's own caseloads."""
    texts = {
        key: {lang: i18n.t(f"own_case.default_{key}", lang) for lang in i18n.LANGS}
        for key in ("title", "summary")
    }
    own = ("start_year", "cases", "caseload_before", "caseload_after")
    levers = {name: default_lever(name) for name in own}
    levers.update({ref: levers[name] for ref, name in REFERENCES.items() if name in levers})
    return OwnCase(
        texts["title"], texts["summary"], "other", levers, (new_outcome("entry", "outcome_1"),)
    )


@cache
def _preset_specs() -> dict[str, Any]:
    return yamlfile.read(Path(str(files.data_path("cases.yaml"))))


def from_preset(name: str) -> OwnCase:
    """A preset as an own case, to change one thing and compare."""
    catalogue.case(name)  # an unknown name is refused with the choices
    return OwnCase.of(_preset_specs()[name])


def case_of(content: Any, source: str) -> Case:
    """The case reader's case of a case file's content (one case); its refusal an OwnCaseError."""
    try:
        found = read_cases(content, source, catalogue.figures())
    except CatalogueError as error:
        raise OwnCaseError("invalid", detail=str(error)) from None
    except (TypeError, OverflowError) as error:  # a part of a type the reader does not expect
        raise OwnCaseError("invalid", detail=f"{source}: {error}") from None
    return next(iter(found.values()))
