"""The own case's form: the fields that describe a reader's case, as widgets.

The form edits an :class:`~explorer.catalogue.owncase.OwnCase`. Each number field holds a
case-file value (a catalogue figure with its source, or the reader's own number) and says where it
comes from; the outcome's fields are narrowed by the relations of its kind (fields.yaml). Reading
the form gives the case it describes, with what follows the reader's figures carried along
(``explorer.catalogue.caseedits``); a case the model has read is shown back in it. An exit outcome
with no effect entered takes the evidence-based effect per caseload change
(``explorer.analysis.external``), labelled with its sources and range; there is no such evidence
for prevention, so there the form asks for the reader's figure.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

import ipywidgets as w

from explorer import catalogue
from explorer.analysis import external
from explorer.catalogue import caseedits, owncase
from explorer.catalogue.owncase import OutcomeSpec, OwnCase, Value
from explorer.catalogue.reader import AREAS, OUTCOME_DEFAULTS, OUTCOME_VALUES, REFERENCES, Case
from explorer.data import i18n
from explorer.model import engine, fields
from explorer.model.fields import Field, Unit
from explorer.model.scenario import KINDS, PAYERS, Outcome, Scenario
from explorer.ui.content import services
from explorer.ui.live import page, widgets

#: An outcome's number fields besides its yearly count (its base rate in the form's terms).
OUTCOME_LEVERS = tuple(n for n in OUTCOME_VALUES if n != "base_rate")
#: Form fields beside the field specification: (name in messages, lo, hi, step).
FORM_FIELDS = {
    "count": ("yearly_count", 0.0, 100_000.0, 0.5),
    "weeks": ("weeks_on_support", 0.0, 520.0, 1.0),
}
MAX_OUTCOMES = 3
OWN_PRICE = "own"


def t(key: str, lang: str, **values: Any) -> str:
    return i18n.t(f"own_case.{key}", lang, **values)


@cache
def form_field(key: str) -> Field:
    """A yearly count (of entries or exits) or the weeks on support, as a field."""
    name, lo, hi, step = FORM_FIELDS[key]
    texts = {
        suffix: {lang: t(f"fields.{key}{suffix}", lang) for lang in i18n.LANGS}
        for suffix in ("", "_help", "_unit")
    }
    unit = Unit(name, texts["_unit"]["da"], texts["_unit"]["en"], "number")
    return Field(name, "page", unit, lo, hi, step, False, texts[""], texts["_help"])


def typed_text(raw: str) -> str | None:
    """What the reader typed into a lever's number field (the message lever.js sends)."""
    try:
        return str(json.loads(raw)["text"])
    except (ValueError, KeyError, TypeError):
        return None


def renamed(texts: dict[str, str], typed: str, lang: str) -> dict[str, str]:
    """Names in both languages after the reader typed ``typed`` in ``lang``: a new text is the
    name in both."""
    return dict(texts) if typed == texts.get(lang) else {code: typed for code in i18n.LANGS}


def close_tree(widget: w.Widget) -> None:
    """Close a widget and everything in it (a form that was rebuilt)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


class FormLever(widgets.Lever):
    """A number field of the form that holds a case-file value: the catalogue figure while it
    shows it, else the reader's own number. ``scale`` shows the value in the form's terms (a
    count a year is a rate times the cases). An emptied field takes its ``default``: a figure
    key, or a function giving the value (a reference takes the reader's own value); a field
    without one says that it needs the reader's number (``need``: why, a key of texts)."""

    need = "error.required"

    def __init__(
        self,
        field: Field,
        lang: str,
        value: Value,
        changed: Callable[[], None],
        default: str | Callable[[], Value] = "",
        scale: float = 1.0,
        name: str | None = None,
        hi: float | None = None,
    ):
        self.held, self.scale, self.shown = value, scale, 0.0
        self.default, self.emptied, self.changed = default, False, changed
        super().__init__(field, lang, value.resolve() * scale, slider=False, name=name, hi=hi)
        self.shown = self.value
        self.observe(lambda _: changed(), "value")

    def hold(self, value: Value, scale: float = 1.0) -> None:
        """Show a case-file value."""
        self.held, self.scale = value, scale
        self.shown = min(max(value.resolve() * scale, self.min), self.max)
        self.set(value.resolve() * scale)

    @property
    def edited(self) -> bool:
        """True once the reader has typed a number the field did not hold."""
        return self.value != self.shown

    def read(self) -> Value:
        """The case-file value the field shows now."""
        return Value(number=self.number / self.scale) if self.edited else self.held

    def _typed(self, change) -> None:
        text = typed_text(change["new"])
        if text is not None and not text.strip():
            if not self.default:
                self.error = self.required()
                self._show()
                return
            self.emptied = True
            before = self.value
            default = self.default
            self.hold(Value(figure=default) if isinstance(default, str) else default(), self.scale)
            if self.value == before:
                self.changed()
            return
        self.emptied = False
        super()._typed(change)

    def required(self) -> str:
        """Why an emptied field without a default is refused, with its range."""
        f, lang = self.field, self.lang
        return t(
            self.need,
            lang,
            field=f.label[lang],
            lo=f.show(self.min, lang),
            hi=f.show(self.max, lang),
            unit=f.unit_text(lang),
        )


def evidence_effect(before: float, after: float, rate: float, lang: str) -> Value:
    """The evidence-based exit effect (``external.evidence``) at a reference change and base rate,
    its sources and 90 % range in the note; none without a fall in the caseload."""
    e = external.evidence()
    central, low, high = (
        e.effect(before, after, rate) if after < before and 0 < rate < 1 else (0.0, 0.0, 0.0)
    )
    note = t(
        "evidence_note",
        lang,
        label=e.label(lang),
        low=i18n.number(low, lang, 2),
        high=i18n.number(high, lang, 2),
    )
    return Value(number=central, note=note)


def price_options(lang: str, current: owncase.PriceSpec) -> list[tuple[str, str]]:
    """The price catalogue in the page's language with value and year, and an own amount."""
    options = [(OWN_PRICE, t("prices.own", lang))]
    for key in owncase.figures_for(("price", "amount")):
        f = catalogue.figure(key)
        if key.startswith("price."):
            options.append(
                (
                    key,
                    t(
                        "price_option",
                        lang,
                        label=owncase.price_label(key)[lang],
                        amount=i18n.dkk(f.in_prices, lang),
                        year=f.year,
                    ),
                )
            )
    figure = current.amount.figure
    if figure and figure not in dict(options):
        options.append((figure, current.label[lang]))
    return options


class OutcomeForm:
    """The form's fields for one outcome; ``read`` gives the outcome as the fields describe it."""

    def __init__(self, owner: CaseForm, index: int, spec: OutcomeSpec, cases: float):
        self.owner, self.index, self.spec = owner, index, spec
        lang, key, price = owner.lang, spec.key, spec.prices[0]
        self.kind = widgets.Choice(
            t("outcome.kind", lang),
            [(k, i18n.t(f"kind.{k}", lang)) for k in KINDS],
            spec.kind,
            css="own-kind",
        )
        self.kind.observe(lambda c: owner.restructure(self.with_kind(c["new"])), "value")
        self.label = owner.text_field(
            t("outcome.label", lang), spec.label[lang], owncase.TEXT_LIMITS["label"]
        )
        self.count = owner.form_lever(
            f"{key}.count",
            form_field("count"),
            spec.value("base_rate"),
            default=owncase.RATE_DEFAULTS[spec.kind],
            scale=cases,
            hi=cases,
        )
        self.levers = {
            name: owner.form_lever(
                f"{key}.{name}",
                fields.field("outcome", name),
                spec.value(name),
                default=self.effect_default()
                if name == "effect"
                else OUTCOME_DEFAULTS.get(name, ""),
            )
            for name in OUTCOME_LEVERS
            if name != "other_benefit_share" or spec.kind == "exit"
        }
        if spec.kind == "entry":
            self.levers["effect"].need = "error.no_evidence"
        effect = spec.value("effect")
        self.note = owner.text_field(
            t("outcome.note", lang),
            "" if owncase.is_evidence(effect) else effect.note,
            owncase.TEXT_LIMITS["note"],
        )
        self.note.placeholder = t("outcome.note_placeholder", lang)
        self.no_effect = widgets.html_box("grades")
        self.price = widgets.Choice(
            t("outcome.price", lang),
            price_options(lang, price),
            price.amount.figure or OWN_PRICE,
            css="own-price",
        )
        self.price.observe(lambda c: owner.restructure(self.with_price(c["new"])), "value")
        self.amount = owner.form_lever(
            f"{key}.amount", fields.field("price", "amount"), price.amount
        )
        self.mode = widgets.Choice(
            t("outcome.payers", lang),
            [(m, t(f"mode.{m}", lang)) for m in owncase.PAYER_MODES],
            price.mode,
            css="own-payers",
        )
        self.mode.observe(lambda c: owner.restructure(self.with_mode(c["new"])), "value")
        self.weeks = owner.form_lever(f"{key}.weeks", form_field("weeks"), self.weeks_value())
        self.region, self.stat = (
            owner.form_lever(
                f"{key}.{payer}", fields.field("price", payer), self.share_value(payer)
            )
            for payer in ("region", "stat")
        )
        self.split = widgets.html_box("grades")
        self.narrow(spec.kind, {n: spec.value(n).resolve() for n in fields.group("outcome")}, cases)
        self.widget = w.VBox(self.children())
        self.widget.add_class("own-outcome")

    def children(self) -> list[w.Widget]:
        lang, spec, price = self.owner.lang, self.spec, self.spec.prices[0]
        head = w.HTML(f"<h4>{html.escape(t('outcome.heading', lang, n=self.index + 1))}</h4>")
        out: list[w.Widget] = [
            head,
            self.kind,
            self.label,
            self.count,
            self.levers["effect"],
            self.note,
            self.no_effect,
        ]
        out += [lever for name, lever in self.levers.items() if name != "effect"]
        out.append(self.price)
        if not price.amount.figure:
            out.append(self.amount)
        if price.kind == "wider":
            wider = t(
                "outcome.wider", lang, wider=fields.field("scenario", "wider_gains").label[lang]
            )
            out.append(w.HTML(f"<p class='grades'>{html.escape(wider)}</p>"))
        else:
            out.append(self.mode)
            out += {"benefit": [self.weeks], "high_cost": [], "shares": [self.region, self.stat]}[
                price.mode
            ]
            out.append(self.split)
        if len(spec.prices) > 1:
            others = "; ".join(
                f"{p.label[lang]} ({i18n.dkk(p.amount.resolve() * p.sign, lang)})"
                for p in spec.prices[1:]
            )
            out.append(
                w.HTML(
                    f"<p class='grades'>{html.escape(t('outcome.also', lang, prices=others))}</p>"
                )
            )
        if len(self.owner.own.outcomes) > 1:
            out.append(
                widgets.button(
                    t("form.remove", lang),
                    "own-remove",
                    lambda: self.owner.restructure(self.removed),
                )
            )
        return out

    def effect_default(self) -> str | Callable[[], Value]:
        """What an emptied effect takes: for exits the evidence-based effect, for prevention
        nothing (the reader is asked for a figure)."""
        return self.evidence if self.spec.kind == "exit" else ""

    def evidence(self) -> Value:
        """The evidence-based effect an emptied exit effect takes; the note of the reader's own
        figure goes with that figure."""
        quiet, self.owner._quiet = self.owner._quiet, True
        try:
            self.note.value = ""
        finally:
            self.owner._quiet = quiet
        return owncase.unentered("exit")

    def weeks_value(self) -> Value:
        rules = [
            s.value for s in self.spec.prices[0].payers.values() if s.rule == "refusion_from_week"
        ]
        return rules[0] if rules else Value(owncase.WEEKS_DEFAULT)

    def narrow(self, kind: str, values: dict[str, float], cases: float) -> None:
        """Narrow the outcome's fields to what the relations of its kind leave beside its other
        values (fields.yaml): an entry's effect to 1, an exit's to every stayer moved, its yearly
        count below the group. An evidence-based effect follows the others and bounds none of them;
        values that break a relation leave the fields' own ranges."""
        if owncase.is_evidence(self.spec.value("effect")):
            values = {**values, "effect": 0.0}
        fitting = [
            ("base_rate", self.count, cases),
            *((n, lv, 1.0) for n, lv in self.levers.items()),
        ]
        for name, lever, scale in fitting:
            lo, hi = fields.kind_bounds(fields.field("outcome", name), kind, values)
            if lo <= hi:
                lever.min, lever.max = lo * scale, hi * scale

    def share_value(self, payer: str, built: float = 0.0) -> Value:
        share = self.spec.prices[0].payers.get(payer)
        return share.value if share is not None and share.rule == "value" else Value(built)

    # -- reading ---------------------------------------------------------------------------
    def read(self) -> OutcomeSpec:
        spec, lang = self.spec, self.owner.lang
        values = dict(spec.values, base_rate=self.count.read())
        values.update({name: lever.read() for name, lever in self.levers.items()})
        effect, note = values["effect"], self.note.value.strip()
        if not effect.figure and not (
            owncase.is_evidence(effect) and not note
        ):  # the reader's own figure, with the reader's note
            values["effect"] = replace(effect, note=note)
        return replace(
            spec,
            label=renamed(spec.label, self.label.value.strip(), lang),
            values=values,
            prices=(self.read_price(), *spec.prices[1:]),
        )

    def read_price(self) -> owncase.PriceSpec:
        """The first price as the fields describe it; payers the reader did not touch stay as
        the case wrote them."""
        price = self.spec.prices[0]
        amount = self.amount.read()
        payers = dict(price.payers)
        for payer, share in price.payers.items():
            if share.rule == "refusion_from_week" and self.weeks.edited:
                payers[payer] = replace(share, value=self.weeks.read())
            if share.rule == "high_cost_refusion" and amount != price.amount:
                payers[payer] = replace(share, value=amount)
        if self.region.edited or self.stat.edited:
            payers = owncase.payers_for(
                "shares", amount, region=self.region.read(), stat=self.stat.read()
            )
        return replace(price, amount=amount, payers=payers)

    # -- changes of structure (the form is rebuilt) ------------------------------------------
    def changed(self, own: OwnCase, outcome: OutcomeSpec) -> OwnCase:
        outcomes = list(own.outcomes)
        outcomes[self.index] = outcome
        return replace(own, outcomes=tuple(outcomes))

    def with_kind(self, kind: str) -> Callable[[OwnCase], OwnCase]:
        return lambda own: self.changed(own, caseedits.with_kind(own.outcomes[self.index], kind))

    def with_price(self, choice: str) -> Callable[[OwnCase], OwnCase]:
        def apply(own: OwnCase) -> OwnCase:
            outcome = own.outcomes[self.index]
            price = (
                caseedits.own_amount(outcome.prices[0])
                if choice == OWN_PRICE
                else owncase.standard_price(Value(figure=choice), self.weeks.read())
            )
            return self.changed(own, replace(outcome, prices=(price, *outcome.prices[1:])))

        return apply

    def with_mode(self, mode: str) -> Callable[[OwnCase], OwnCase]:
        def apply(own: OwnCase) -> OwnCase:
            outcome = own.outcomes[self.index]
            first = outcome.prices[0]
            payers = owncase.payers_for(
                mode,
                first.amount,
                self.weeks.read(),
                Value(self.region.value),
                Value(self.stat.value),
            )
            price = replace(first, payers=payers)
            return self.changed(own, replace(outcome, prices=(price, *outcome.prices[1:])))

        return apply

    def removed(self, own: OwnCase) -> OwnCase:
        return replace(own, outcomes=own.outcomes[: self.index] + own.outcomes[self.index + 1 :])

    # -- after a recomputation -------------------------------------------------------------
    def sync(self, spec: OutcomeSpec, outcome: Outcome, cases: float) -> None:
        """Show the outcome as the model read it: values, provenance, the payers' split."""
        lang = self.owner.lang
        self.spec = spec
        self.narrow(outcome.kind, fields.values(outcome), cases)
        self.count.hold(spec.value("base_rate"), cases)
        for name, lever in self.levers.items():
            lever.hold(spec.value(name))
        effect = spec.value("effect")
        self.note.disabled = bool(effect.figure)
        if owncase.is_evidence(effect):  # the evidence's sources and range, until a note is typed
            self.note.placeholder = effect.note
        else:
            self.note.placeholder = t(
                "outcome.note_figure" if effect.figure else "outcome.note_placeholder", lang
            )
        missing = "outcome.no_evidence" if spec.kind == "entry" else "outcome.no_effect"
        self.no_effect.value = "" if outcome.effect else f"<p>{html.escape(t(missing, lang))}</p>"
        self.amount.hold(spec.prices[0].amount)
        built = outcome.prices[0]
        self.weeks.hold(self.weeks_value())
        self.region.hold(self.share_value("region", built.region))
        self.stat.hold(self.share_value("stat", built.stat))
        shares = {p: i18n.percent(s, lang, 1) for p, s in zip(PAYERS, built.shares())}
        self.split.value = f"<p>{html.escape(t('outcome.split', lang, **shares))}</p>"
        for lever in (
            self.count,
            *self.levers.values(),
            self.amount,
            self.weeks,
            self.region,
            self.stat,
        ):
            self.owner.provenance(lever)


class CaseForm:
    """The form of a page that edits an own case (a mixin for its ``page.Page``): its fields
    (``fill``), the case they describe (``read_form``), a case the model read shown back in them
    (``sync_form``) and a change of the form's shape (``restructure``)."""

    lang: str
    _quiet: bool
    form_box: w.VBox
    on_change: Callable[..., None]
    refresh: Callable[[], None]

    def fill(self, own: OwnCase) -> None:
        """Build the form's fields for a case: about it, its staffing, its outcomes."""
        self.own = own
        self.about_fields(own)
        self.lever_fields(own)
        outcomes = self.outcome_fields(own)
        old = self.form_box.children
        self.form_box.children = [
            *self.about_part(),
            *self.staffing_part(),
            self.heading("form.outcomes"),
            *outcomes,
        ]
        for widget in old:
            close_tree(widget)

    def about_fields(self, own: OwnCase) -> None:
        """The case's name, summary and area."""
        lang = self.lang
        self.name_box = self.text_field(
            t("form.name", lang), own.title[lang], owncase.TEXT_LIMITS["title"]
        )
        self.summary_box = self.text_field(
            t("form.summary", lang), own.summary[lang], owncase.TEXT_LIMITS["summary"], lines=3
        )
        self.area = widgets.Choice(
            t("form.area", lang),
            [(a, t(f"area.{a}", lang)) for a in AREAS],
            own.area,
            css="own-area",
        )
        self.area.observe(self.on_change, "value")

    def lever_fields(self, own: OwnCase) -> None:
        """The start year, the staffing and reference levers, and the wider-gains toggle."""
        self.form_levers: dict[str, FormLever] = {}
        for name in ("start_year", *owncase.STAFFING, *owncase.REFERENCE):
            f = fields.field("scenario", name)
            default: str | Callable[[], Value] = f.default if isinstance(f.default, str) else ""
            if name in REFERENCES:  # an emptied reference takes the reader's own value
                default = self.own_value(REFERENCES[name])
            self.form_levers[name] = self.form_lever(name, f, own.lever(name), default=default)
        self.wider = widgets.Choice(
            fields.field("scenario", "wider_gains").label[self.lang],
            kind="toggle",
            css="lever-wider-gains",
            value=str(int(own.lever("wider_gains").resolve())),
        )
        self.wider.observe(self.on_change, "value")

    def outcome_fields(self, own: OwnCase) -> list[w.Widget]:
        """A form for each outcome and the button that adds one."""
        cases = own.lever("cases").resolve()
        self.outcome_forms = [
            OutcomeForm(self, i, spec, cases) for i, spec in enumerate(own.outcomes)
        ]
        add = widgets.button(
            t("form.add", self.lang),
            "own-add",
            lambda: self.restructure(
                lambda own: replace(
                    own, outcomes=(*own.outcomes, owncase.new_outcome("entry", own.free_key()))
                )
            ),
        )
        add.disabled = len(own.outcomes) >= MAX_OUTCOMES
        return [*(f.widget for f in self.outcome_forms), add]

    def about_part(self) -> list[w.Widget]:
        """The form's first part: about the case."""
        return [
            self.heading("form.about"),
            self.name_box,
            self.summary_box,
            self.area,
            self.form_levers["start_year"],
        ]

    def staffing_part(self) -> list[w.Widget]:
        """The form's staffing part: its levers, the reference behind a disclosure, the
        reference's grades applied, and the wider gains."""
        lang = self.lang
        reference = widgets.Disclosure(
            t("form.reference", lang),
            [
                w.HTML(f"<p class='grades'>{html.escape(t('form.reference_help', lang))}</p>"),
                *(self.form_levers[n] for n in owncase.REFERENCE),
            ],
            "own-reference",
        )
        self.applied = widgets.html_box("grades")
        self.applied.add_class("own-applied")
        return [
            self.heading("form.staffing"),
            *(self.form_levers[n] for n in owncase.STAFFING),
            reference,
            self.applied,
            self.wider,
        ]

    def heading(self, key: str) -> w.HTML:
        """A part's heading."""
        return w.HTML(f"<h3>{html.escape(t(key, self.lang))}</h3>")

    def own_value(self, name: str) -> Callable[[], Value]:
        """The reader's own value of a field as the form shows it now (an emptied reference)."""
        return lambda: Value(number=self.form_levers[name].read().resolve())

    def form_lever(
        self,
        name: str,
        field: Field,
        value: Value,
        default: str | Callable[[], Value] = "",
        scale: float = 1.0,
        hi: float | None = None,
    ) -> FormLever:
        return FormLever(field, self.lang, value, self.on_change, default, scale, name, hi)

    def text_field(self, label: str, value: str, most: int, lines: int = 1) -> widgets.TextField:
        box = widgets.TextField(
            label=label, value=value, max_length=most, lines=lines, css="own-text"
        )
        box.observe(self.on_change, "value")
        return box

    def provenance(self, lever: FormLever) -> None:
        """Say where a field's value comes from: the catalogue (with its source) or the reader."""
        lang, value = self.lang, lever.held
        parts = [f"<p>{html.escape(lever.field.help[lang])}</p>"]
        if value.figure:
            f = catalogue.figure(value.figure)
            lever.info_title = t(
                "source.default" if lever.emptied else "source.figure",
                lang,
                source=f.source_title or i18n.grade_text(f.grade, lang),
                year=f.year,
                grade=f.grade,
            )
            parts.append(page.source_html(f, lang))
        elif value.note in caseedits.rule_notes():  # the page's language, in full
            lever.info_title = t("services_rule_note", lang)
        elif owncase.is_evidence(value):
            lever.info_title = value.note
            parts.append(f"<p>{html.escape(value.note)}</p>")
        else:
            lever.info_title = (
                t("source.own_note", lang, note=value.note[:80])
                if value.note
                else t("source.own", lang)
            )
        lever.info_html = "".join(parts)

    # -- reading the form ----------------------------------------------------------------------
    def read_form(self) -> OwnCase:
        """The case the form describes now (checked when it is built)."""
        own, lang = self.own, self.lang
        levers = dict(own.levers)
        levers.update({name: lever.read() for name, lever in self.form_levers.items()})
        if self.wider.value != str(int(own.lever("wider_gains").resolve())):
            levers["wider_gains"] = Value(float(self.wider.value))
        summary = self.summary_box.value.strip()
        read = replace(
            own,
            title=renamed(own.title, self.name_box.value.strip(), lang),
            summary=renamed(own.summary, summary, lang) if summary else owncase.blank().summary,
            area=self.area.value,
            levers=levers,
            outcomes=tuple(f.read() for f in self.outcome_forms),
        )
        return caseedits.with_evidence(
            caseedits.carried(own, read, lang),
            lambda before, after, rate: evidence_effect(before, after, rate, lang),
        )

    def sync_form(self, built: Case) -> None:
        """Show the case as the model read it (values, provenance, limits) without recomputing."""
        s = built.scenario
        self._quiet = True
        try:
            page.bound(self.form_levers, s)
            for name, lever in self.form_levers.items():
                lever.hold(self.own.lever(name))
                self.provenance(lever)
            for form, spec, outcome in zip(self.outcome_forms, self.own.outcomes, s.outcomes):
                form.sync(spec, outcome, s.cases)
            self.applied.value = f"<p>{html.escape(applied_text(s, self.lang))}</p>"
        finally:
            self._quiet = False

    def restructure(self, change: Callable[[OwnCase], OwnCase]) -> None:
        """A change to the form's shape (an outcome added, a kind or price chosen): rebuild."""
        if self._quiet:
            return
        self.fill(change(self.read_form()))
        self.refresh()


def applied_text(s: Scenario, lang: str) -> str:
    """What share of the effects entered the model applies, and why: the caseload change against
    the one where the effect was measured, and the services' part against their cost then."""
    text = t(
        "form.applied",
        lang,
        share=i18n.percent(engine.effect_share(s), lang),
        before=i18n.people(s.caseload_before, lang),
        after=i18n.people(s.caseload_after, lang),
        ref_before=i18n.people(s.reference_caseload_before, lang),
        ref_after=i18n.people(s.reference_caseload_after, lang),
        dose=i18n.percent(engine.scenario_dose(s), lang),
    )
    return i18n.tidy(f"{text} {services.sentence(s, lang)}".strip())
