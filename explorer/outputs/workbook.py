"""The Excel workbook with live formulas: change an input cell and every result recomputes.

Four sheets, named in the workbook's language: the key figures, the inputs (one row per input
with its unit, source, year and evidence grade; each value cell has a defined name such as
``caseload_after`` or ``institution_effect``), the years (one row per year whose cells are
formulas on those names and reproduce ``engine.run``, its columns built step by step in the
engine's order: ``BUILDERS``), and a short block on the scenario, the
price year and the link that reproduces it. The years sheet has a row for every year the
horizon allows; rows after the horizon are hidden and do not count, so the horizon is live too.
A payback year is the first from which a cumulative net stays at or above 0 to the horizon: a
column per payback series, computed from the last year up, says whether it does from each year.
Cells carry the model's values as cached results, so a reader that does not recalculate on
load still shows the right numbers.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from explorer import catalogue
from explorer.analysis.financing import Terms
from explorer.catalogue.reader import Case
from explorer.data import i18n, numbers
from explorer.data.figures import Figure
from explorer.model import Result, engine, evaluate, fields
from explorer.model.scenario import PAYERS, Outcome, Price, Scenario
from explorer.outputs import export, key_figures

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows of the years sheet: the longest horizon an input allows.
ROWS = int(fields.field("scenario", "horizon_years").hi)
#: The years sheet's and key figures' formats, by kind of quantity.
KRONER, PEOPLE, RATIO = (numbers.excel(k) for k in ("kroner", "people", "ratio"))
FRACTION, YEAR, FLAG = (numbers.excel(k) for k in ("fraction", "year", "flag"))
#: The tolerance of cashflow.payback_index: an exact break-even counts despite rounding.
PAYBACK_TOLERANCE = "0.000000001"
#: The payback years: (key figure, its cumulative net and cost on the years sheet, net's header).
PAYBACK_SERIES = (
    ("payback_year", "cumulative_net", "cumulative_cost", "column.cumulative_net"),
    (
        "payback_year_discounted",
        "cumulative_pv_net",
        "cumulative_pv_cost",
        "column.cumulative_pv_net",
    ),
    (
        "payback_year_kommune",
        "cumulative_net_kommune",
        "cumulative_cost",
        "column.cumulative_net_kommune",
    ),
    (
        "payback_year_kommune_discounted",
        "cumulative_pv_net_kommune",
        "cumulative_pv_cost",
        "workbook.cumulative_pv_net_kommune",
    ),
)


def _quote(text: str) -> str:
    """A text as a formula's string literal."""
    return '"' + text.replace('"', '""') + '"'


class _Book:
    """The XlsxWriter workbook, its cell styles and its defined names."""

    def __init__(self, buffer: io.BytesIO, lang: str):
        self.lang = lang
        # Texts stay texts: formulas and links are written as such, explicitly.
        self.book: Workbook = xlsxwriter.Workbook(
            buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        self.sheet_names = {
            key: i18n.t(f"workbook.sheet_{key}", lang)
            for key in ("results", "inputs", "years", "about")
        }
        self.sheets: dict[str, Worksheet] = {
            key: self.book.add_worksheet(name) for key, name in self.sheet_names.items()
        }
        add = self.book.add_format
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E7E6E6", "bottom": 1}
        )
        self.title = add({"bold": True, "font_size": 14})
        self.section = add({"bold": True})
        self._formats: dict[tuple[str, str], Format] = {}

    def style(self, number_format: str, role: str = "result") -> Format:
        """A cell format: inputs are blue on yellow, derived inputs grey and italic."""
        key = (number_format, role)
        if key not in self._formats:
            props: dict[str, Any] = {"num_format": number_format}
            if role == "input":
                props.update(
                    font_color="#1F4E9E", bg_color="#FFF2CC", border=1, border_color="#BFBFBF"
                )
            elif role == "derived":
                props.update(font_color="#595959", italic=True)
            self._formats[key] = self.book.add_format(props)
        return self._formats[key]

    def name(self, name: str, sheet: str, row: int, col: int, last_row: int | None = None) -> None:
        """Define ``name`` for a cell, or for a column range down to ``last_row``."""
        where = xl_range_abs(row, col, row if last_row is None else last_row, col)
        self.book.define_name(name, f"='{self.sheet_names[sheet]}'!{where}")


# -- the inputs sheet ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Input:
    """One row of the inputs sheet: a value people may change, or one derived from them."""

    name: str  # the defined name formulas use
    label: str
    value: float | str
    unit: str
    number_format: str
    figure: Figure | None = None
    note: str = ""
    validation: dict = field(default_factory=dict)
    formula: str = ""  # a derived row's formula (the value is then its cached result)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


class _Sources:
    """Which figure sourced an input: the preset's source, while the value is the preset's."""

    def __init__(self, scenario: Scenario, lang: str, case: Case | None = None):
        self.lang = lang
        self.case = case or catalogue.preset(scenario.case)

    def preset_outcome(self, outcome: Outcome) -> Outcome | None:
        if self.case is None:
            return None
        return next(
            (
                o
                for o in self.case.scenario.outcomes
                if o.key == outcome.key and o.kind == outcome.kind
            ),
            None,
        )

    def of(self, what: str, value: float, preset_value: float | None) -> tuple[Figure | None, str]:
        """(figure, note) of input ``what``; (None, the author's note or '') for an own value."""
        if self.case is None or preset_value is None or not _same(value, preset_value):
            return None, ""
        key = self.case.sources.get(what)
        if key is None:
            return None, self.case.notes.get(what, "")
        figure = catalogue.figure(key)
        return figure, figure.note_in(self.lang)


def _validation(spec: fields.Field, lang: str) -> dict:
    """Excel's range check for a field, with its help as the cell's input message."""

    def show(value: float) -> str:
        return i18n.short(value, lang) if spec.unit.format == "flag" else spec.show(value, lang)

    # A field bounded by another (caseload after <= caseload before) is checked against that
    # field's cell, as the model checks it (fields.bounds).
    low = f"=MAX({spec.lo:g},{spec.min_field.name})" if spec.min_field else spec.lo
    high = f"=MIN({spec.hi:g},{spec.max_field.name})" if spec.max_field else spec.hi
    message = i18n.t(
        "workbook.allowed", lang, lo=show(spec.lo), hi=show(spec.hi), unit=spec.unit_text(lang)
    )
    for bound, key in ((spec.max_field, "workbook.at_most"), (spec.min_field, "workbook.at_least")):
        if bound is not None:
            other = fields.field("scenario", bound.name).label[lang]
            message += " " + i18n.t(key, lang, other=fields.lower(other))
    return {
        "validate": "integer" if spec.whole else "decimal",
        "criteria": "between",
        "minimum": low,
        "maximum": high,
        "input_message": spec.help[lang],
        "error_title": i18n.t("workbook.out_of_range", lang),
        "error_message": message,
    }


def _field_input(
    name: str,
    spec: fields.Field,
    value: float,
    source: tuple[Figure | None, str],
    lang: str,
    label: str | None = None,
) -> _Input:
    figure, note = source
    return _Input(
        name,
        label or spec.label[lang],
        value,
        spec.unit_text(lang),
        numbers.excel(numbers.field_kind(spec.unit.format, spec.whole), lang),
        figure,
        note,
        _validation(spec, lang),
    )


def _scenario_inputs(s: Scenario, sources: _Sources, lang: str) -> list[_Input]:
    preset = sources.case.scenario if sources.case else None
    return [
        _field_input(
            name,
            spec,
            getattr(s, name),
            sources.of(name, getattr(s, name), getattr(preset, name) if preset else None),
            lang,
        )
        for name, spec in fields.of(Scenario).items()
    ]


def _price(o: Outcome, payer: int | None) -> float:
    """A payer's budget price after refusion (payer 0..2 of PAYERS), or the wider price (None)."""
    return o.wider_price() if payer is None else o.price_by_payer()[payer]


def _price_lines(o: Outcome, payer: int | None) -> list[tuple[int, Price, float]]:
    """(index, line, share) of the price lines that make ``_price(o, payer)``."""
    if payer is None:
        return [(n, p, 1.0) for n, p in enumerate(o.prices) if p.kind == "wider"]
    return [
        (n, p, p.shares()[payer])
        for n, p in enumerate(o.prices)
        if p.kind == "budget" and p.shares()[payer]
    ]


def _price_input(o: Outcome, payer: int | None, sources: _Sources, lang: str) -> _Input:
    """A price per person-year; its source is the first line's, its note the lines' sum
    ('Placement: 1.338.422 kr. × 92,8 % + ...')."""
    lines, value = _price_lines(o, payer), _price(o, payer)
    preset = sources.preset_outcome(o)
    figure, _ = (
        sources.of(f"{o.key}.price.{lines[0][0]}", value, _price(preset, payer))
        if lines and preset
        else (None, "")
    )
    note = " + ".join(
        f"{p.label(lang)}: {i18n.dkk(p.amount, lang)} × {i18n.percent(share, lang, 1)}"
        for _, p, share in lines
    )
    if payer is None:
        name, label = f"{o.key}_price_wider", i18n.t("workbook.price_wider", lang)
    else:
        name = f"{o.key}_price_{PAYERS[payer]}"
        label = i18n.t(
            "workbook.price_payer", lang, payer=i18n.t(f"payer.{PAYERS[payer]}", lang).lower()
        )
    return _field_input(name, fields.field("price", "amount"), value, (figure, note), lang, label)


def _outcome_inputs(o: Outcome, sources: _Sources, lang: str) -> list[_Input]:
    preset = sources.preset_outcome(o)
    kinds = [i18n.t(f"kind.{kind}", lang) for kind in ("entry", "exit")]
    rows = [
        _Input(
            f"{o.key}_kind",
            i18n.t("workbook.kind", lang),
            i18n.t(f"kind.{o.kind}", lang),
            "",
            "@",
            validation={"validate": "list", "source": kinds},
        )
    ]
    for name in engine.OUTCOME_FIELDS:
        value = getattr(o, name)
        source = sources.of(f"{o.key}.{name}", value, getattr(preset, name) if preset else None)
        rows.append(
            _field_input(f"{o.key}_{name}", fields.field("outcome", name), value, source, lang)
        )
    rows += [_price_input(o, payer, sources, lang) for payer in (*range(len(PAYERS)), None)]
    net = f"{o.key}_effect*(1-{o.key}_deadweight)"
    exit_share = f"IF({o.key}_base_rate>0,{net}*{o.key}_base_rate/(1-{o.key}_base_rate),0)"
    rows.append(
        _Input(
            f"{o.key}_moved_share",
            i18n.t("workbook.moved_share", lang),
            o.moved_share(),
            fields.field("outcome", "deadweight").unit_text(lang),
            numbers.excel("share", lang),
            formula=f"MIN(1,MAX(0,IF({o.key}_kind={_quote(kinds[1])},{exit_share},{net})))",
        )
    )
    return rows


def _write_inputs(wb: _Book, s: Scenario, case: Case | None = None) -> None:
    lang, ws = wb.lang, wb.sheets["inputs"]
    sources = _Sources(s, lang, case)
    headers = [
        i18n.t(f"workbook.col_{key}", lang) for key in ("name", "value", "unit", "source", "year")
    ] + [
        i18n.t("grades_title", lang),
        i18n.t("workbook.col_note", lang),
        i18n.t("workbook.col_formula_name", lang),
    ]
    ws.write_row(0, 0, headers, wb.header)
    for col, width in enumerate((48, 14, 22, 40, 7, 9, 70, 32)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 1)
    sections = [(i18n.t("workbook.section_scenario", lang), _scenario_inputs(s, sources, lang))]
    sections += [(o.label(lang), _outcome_inputs(o, sources, lang)) for o in s.outcomes]
    row = 0
    for title, inputs in sections:
        row += 1
        ws.write(row, 0, title, wb.section)
        for item in inputs:
            row += 1
            ws.write(row, 0, item.label)
            if item.formula:
                ws.write_formula(
                    row, 1, f"={item.formula}", wb.style(item.number_format, "derived"), item.value
                )
            else:
                ws.write(row, 1, item.value, wb.style(item.number_format, "input"))
                ws.data_validation(row, 1, row, 1, item.validation)
                _write_source(ws, row, item.figure)
            ws.write(row, 2, item.unit)
            ws.write(row, 6, item.note)
            ws.write(row, 7, item.name)
            wb.name(item.name, "inputs", row, 1)
        row += 1


def _write_source(ws: Worksheet, row: int, figure: Figure | None) -> None:
    """Source URL, year and grade; own or unsourced values get grade A and no source."""
    if figure is None:
        ws.write(row, 5, "A")
        return
    if figure.source_url:
        ws.write_url(row, 3, figure.source_url, string=figure.source_url)
    ws.write_number(row, 4, figure.year)
    ws.write(row, 5, figure.grade)


# -- the years sheet -------------------------------------------------------------------------------

Formula = Callable[[int], str]  # the formula of a column's cell in year t (0-based), without '='


@dataclass(frozen=True)
class _Column:
    """A column of the years sheet; ``name`` defines a name for the whole column."""

    header: str
    number_format: str
    formula: Formula | None  # None: the values are written as they are
    cached: np.ndarray  # the model's values, stored as the formulas' results
    name: str = ""


class _Years:
    """The columns of the years sheet, built step by step, with the model's values for ROWS years;
    ``at(key, t)`` is a column's cell in year t once ``arrange`` has put them in sheet order."""

    def __init__(self, s: Scenario, lang: str):
        self.scenario, self.lang = s, lang
        long = evaluate(s.replace(horizon_years=ROWS))  # the engine is causal: same first years
        self.paths, self.yearly = long.paths, long.yearly
        self.money = i18n.t("unit.money", lang, year=catalogue.price_year())
        self.people = i18n.t("unit.people", lang)
        self.person_years = i18n.t("unit.person_years", lang)
        self.columns: dict[str, _Column] = {}
        self.outcome: dict[str, int] = {}  # an outcome's column -> the outcome's index
        self.position: dict[str, int] = {}

    def head(self, key: str, unit: str = "", **values) -> str:
        text = i18n.t(key, self.lang, **values)
        return f"{text} ({unit})" if unit else text

    def add(
        self,
        key: str,
        header: str,
        number_format: str,
        formula: Formula | None,
        cached,
        name: str = "",
        outcome: int | None = None,
    ) -> None:
        self.columns[key] = _Column(
            header, number_format, formula, np.asarray(cached, dtype=float), name
        )
        if outcome is not None:
            self.outcome[key] = outcome

    def arrange(self) -> _Years:
        """Sheet order: as added, but each outcome's columns side by side, outcome by outcome
        (engine.run takes each step for every outcome at once)."""
        keys = list(self.columns)
        shared = [key for key in keys if key not in self.outcome]
        by_outcome = sorted(self.outcome, key=lambda key: (self.outcome[key], keys.index(key)))
        first = keys.index(by_outcome[0]) if by_outcome else len(keys)
        order = shared[:first] + by_outcome + shared[first:]
        self.columns = {key: self.columns[key] for key in order}
        self.position = {key: col for col, key in enumerate(order)}
        return self

    def at(self, key: str, t: int) -> str:
        return xl_rowcol_to_cell(t + 1, self.position[key])

    def running(self, key: str, flow: Formula) -> Formula:
        """Column ``key`` as a running total of ``flow``."""
        return lambda t: flow(t) if t == 0 else f"{self.at(key, t - 1)}+{flow(t)}"


@dataclass(frozen=True)
class _Term:
    """A formula's text that multiplies and adds like a number: an engine formula written with
    ``*`` and ``+`` (``engine.staff_cost``) given terms writes its own cell formula."""

    text: str

    def __mul__(self, other: object) -> _Term:
        return _Term(f"{self}*{other}")

    def __add__(self, other: object) -> _Term:
        return _Term(f"({self}+{other})")

    def __radd__(self, other: object) -> _Term:
        return _Term(f"({other}+{self})")

    def __str__(self) -> str:
        return self.text


def _by_outcome(build: Callable[[_Years, int, Outcome], None]) -> Callable[[_Years], None]:
    """A column builder of an outcome step, run for each outcome in turn."""

    @functools.wraps(build)
    def each(years: _Years) -> None:
        for k, o in enumerate(years.scenario.outcomes):
            build(years, k, o)

    return each


def _timeline(y: _Years) -> None:
    """The calendar year, the year index and whether the year is within the horizon."""
    y.add(
        "calendar_year",
        y.head("column.calendar_year"),
        YEAR,
        lambda t: f"start_year+{y.at('year', t)}",
        y.yearly["calendar_year"],
        "year_calendar",
    )
    y.add("year", y.head("workbook.year_index"), FLAG, None, y.yearly["year"])
    y.add(
        "in_horizon",
        y.head("workbook.in_horizon"),
        FLAG,
        lambda t: f"IF({y.at('year', t)}<horizon_years,1,0)",
        y.yearly["year"] < y.scenario.horizon_years,
        "year_in_horizon",
    )


def _staffing(y: _Years) -> None:
    """engine.staffing: the share of the extra caseworkers in place."""
    y.add(
        "staffing",
        y.head("workbook.staffing"),
        numbers.excel("percent", y.lang),
        lambda t: (
            f"IF({y.at('year', t)}<programme_years,IF({y.at('year', t)}=0,staffing_ramp,1),0)"
        ),
        y.paths.staffing[0],
    )


def _doses(y: _Years) -> None:
    """engine.doses: the caseload reached, its dose and the services' dose."""
    at = y.at
    y.add(
        "caseload",
        y.head("workbook.caseload"),
        PEOPLE,
        lambda t: f"1/(1/caseload_before+{at('staffing', t)}*(1/caseload_after-1/caseload_before))",
        y.paths.caseload[0],
    )
    y.add(
        "dose",
        y.head("workbook.dose"),
        FRACTION,
        lambda t: (
            f"MIN(max_dose,MAX(0,LN(caseload_before/{at('caseload', t)})"
            f"/LN(reference_caseload_before/reference_caseload_after)))"
        ),
        y.paths.dose[0],
    )
    y.add(
        "services_dose",
        y.head("workbook.services_dose"),
        FRACTION,
        lambda t: (
            f"IF({at('year', t)}<programme_years,"
            "IF(reference_other_cost>0,MIN(1,other_cost_per_year/reference_other_cost),0),0)"
        ),
        y.paths.services_dose[0],
    )


def _ramp_area(x: str) -> str:
    """engine.phase_in's ramp area: the integral of min(1, s/p) from 0 to x."""
    return f"MIN({x},phase_in_years)^2/(2*phase_in_years)+MAX({x}-phase_in_years,0)"


def _effect_steps(y: _Years) -> None:
    """engine.effect_steps: the phase-in and the reference-sized steps taken."""
    at = y.at
    y.add(
        "phase",
        y.head("workbook.phase_in"),
        FRACTION,
        lambda t: (
            f"IF(phase_in_years>0,{_ramp_area(at('year', t) + '+1')}"
            f"-({_ramp_area(at('year', t))}),1)"
        ),
        y.paths.phase[0],
    )
    y.add(
        "steps",
        y.head("workbook.steps"),
        FRACTION,
        lambda t: (
            f"effect_scale*{at('phase', t)}*((1-services_share)*{at('dose', t)}"
            f"+services_share*{at('services_dose', t)})"
        ),
        y.paths.steps[0],
    )


def _costs(y: _Years) -> None:
    """engine.costs: the staff cost (engine.staff_cost's formula), the other costs, their sum."""
    at, p = y.at, y.paths
    staff = ("extra_workers", "worker_cost", "overhead")
    y.add(
        "cost_staff",
        y.head("column.cost_staff", y.money),
        KRONER,
        lambda t: str(engine.staff_cost(*map(_Term, (*staff, at("staffing", t))))),
        p.cost_staff[0],
    )
    y.add(
        "cost_other",
        y.head("column.cost_other", y.money),
        KRONER,
        lambda t: (
            f"IF({at('year', t)}<programme_years,other_cost_per_year,0)"
            f"+IF({at('year', t)}=0,one_off_cost,0)"
        ),
        p.cost_other[0],
    )
    y.add(
        "cost",
        y.head("column.cost", y.money),
        KRONER,
        lambda t: f"{at('cost_staff', t)}+{at('cost_other', t)}",
        p.cost[0],
        "year_cost",
    )


@_by_outcome
def _strength(y: _Years, k: int, o: Outcome) -> None:
    """engine.strength: the share of the movable people moved."""
    steps = lambda t: y.at("steps", t)
    y.add(
        f"strength_{o.key}",
        y.head("workbook.strength", outcome=o.label(y.lang)),
        numbers.excel("strength", y.lang),
        lambda t: (
            f"IF({steps(t)}=0,0,SIGN({steps(t)})*(1-(1-{o.key}_moved_share)^ABS({steps(t)})))"
        ),
        y.paths.strength[0, k],
        outcome=k,
    )


@_by_outcome
def _stock_flows(y: _Years, k: int, o: Outcome) -> None:
    """engine.stock_flows: a closed group. Without the change the costly state follows the trend
    (exits: the group on the benefit, and those moved off it, thin by it over each year;
    entries: the people in the state, entering at base_rate × (1 - trend)^t from those not in
    it); returns come first (kept), then the year's moves; those kept out of a placement stay
    at risk of one.

    Steps are never negative here (only Monte Carlo draws of a harmful effect make them so),
    so the movable pool is always the one for moves out of the costly state."""
    at, p, key, label = y.at, y.paths, o.key, o.label(y.lang)
    exit_kind = _quote(i18n.t("kind.exit", y.lang))
    stays = f"(1-1/{key}_duration_years)"

    def entry_rate(t: int) -> str:
        return f"{key}_base_rate*(1-trend)^{t}"

    def prev(column: str, t: int) -> str:
        return "0" if t == 0 else at(f"{column}_{key}", t - 1)

    def kept(t: int) -> str:  # returns (or ended spells) come first
        return f"{prev('stock', t)}*{stays}"

    def on(t: int) -> str:  # exits: the group on the benefit after returns
        return f"(cases*(1-trend)^{t}-{kept(t)})"

    def free(t: int) -> str:  # entries: not in the state with the change
        return f"(cases-{prev('without_stock', t)}+{prev('stock', t)})"

    if o.kind == "exit":
        base = y.scenario.cases * (1 - y.scenario.trend) ** np.arange(ROWS)
    else:  # the engine's mid-year person-years are the mean of two year-ends
        base = np.empty(ROWS)
        for t, mid in enumerate(p.without[0, k]):
            base[t] = 2 * mid - (base[t - 1] if t else 0.0)
    y.add(
        f"without_stock_{key}",
        y.head(f"workbook.without_{o.kind}", y.people, outcome=label),
        PEOPLE,
        lambda t: (
            f"IF({key}_kind={exit_kind},cases*(1-trend)^{t},"
            f"{prev('without_stock', t)}*{stays}"
            f"+{entry_rate(t)}*(cases-{prev('without_stock', t)}))"
        ),
        base,
        outcome=k,
    )
    y.add(
        f"pool_{key}",
        y.head("workbook.pool", y.people, outcome=label),
        PEOPLE,
        lambda t: (
            f"IF({key}_kind={exit_kind},{on(t)}*(1-{key}_base_rate),{entry_rate(t)}*{free(t)})"
        ),
        p.at_risk[0, k] * (1 - o.base_rate) if o.kind == "exit" else p.at_risk[0, k],
        outcome=k,
    )
    y.add(
        f"new_{key}",
        y.head("column.new", y.people, outcome=label),
        PEOPLE,
        lambda t: f"{at(f'strength_{key}', t)}*{at(f'pool_{key}', t)}",
        p.new_people[0, k],
        outcome=k,
    )
    y.add(
        f"stock_{key}",
        y.head("workbook.stock", y.people, outcome=label),
        PEOPLE,
        lambda t: (
            f"IF({key}_kind={exit_kind},({kept(t)}+{at(f'new_{key}', t)})*(1-trend),"
            f"{kept(t)}-{entry_rate(t)}*{prev('stock', t)}+{at(f'new_{key}', t)})"
        ),
        p.stock[0, k],
        outcome=k,
    )
    y.add(
        f"people_{key}",
        y.head("column.people", y.person_years, outcome=label),
        PEOPLE,
        lambda t: f"({prev('stock', t)}+{at(f'stock_{key}', t)})/2",
        p.people[0, k],
        outcome=k,
    )


@_by_outcome
def _counting(y: _Years, k: int, o: Outcome) -> None:
    """engine.counting: the person-years counted."""
    y.add(
        f"counted_{o.key}",
        y.head("workbook.counted", y.person_years, outcome=o.label(y.lang)),
        PEOPLE,
        lambda t: f"{y.at(f'people_{o.key}', t)}*(1-optimism_bias)*(1-{o.key}_other_benefit_share)",
        y.paths.counted[0, k],
        outcome=k,
    )


@_by_outcome
def _prices(y: _Years, k: int, o: Outcome) -> None:
    """engine.prices: the outcome's budget savings and wider gains."""
    counted = lambda t: y.at(f"counted_{o.key}", t)
    y.add(
        f"savings_{o.key}",
        y.head("column.outcome_savings", y.money, outcome=o.label(y.lang)),
        KRONER,
        lambda t: f"{counted(t)}*({o.key}_price_kommune+{o.key}_price_region+{o.key}_price_stat)",
        y.paths.savings_outcome[0, k],
        outcome=k,
    )
    y.add(
        f"wider_{o.key}",
        y.head("workbook.outcome_wider", y.money, outcome=o.label(y.lang)),
        KRONER,
        lambda t: f"{counted(t)}*{o.key}_price_wider",
        y.paths.wider_outcome[0, k],
        outcome=k,
    )


def _payers(y: _Years) -> None:
    """engine.payers: each payer's budget savings, over every outcome."""
    outcomes = y.scenario.outcomes

    def savings(payer: str) -> Formula:
        return lambda t: "+".join(
            f"{y.at(f'counted_{o.key}', t)}*{o.key}_price_{payer}" for o in outcomes
        )

    for i, payer in enumerate(PAYERS):
        y.add(
            f"savings_{payer}",
            y.head(f"column.savings_{payer}", y.money),
            KRONER,
            savings(payer),
            y.paths.savings_payer[0, i],
        )


def _totals(y: _Years) -> None:
    """The paths' totals (engine.Paths): wider gains, savings, the net and its running sums."""
    at, p, yearly = y.at, y.paths, y.yearly
    y.add(
        "wider_gains",
        y.head("column.wider_gains", y.money),
        KRONER,
        lambda t: "+".join(at(f"wider_{o.key}", t) for o in y.scenario.outcomes),
        p.wider_gains[0],
        "year_wider_gains",
    )
    y.add(
        "savings_society",
        y.head("column.savings_society", y.money),
        KRONER,
        lambda t: f"wider_gains*{at('wider_gains', t)}",
        p.savings_society[0],
    )
    y.add(
        "savings",
        y.head("column.savings", y.money),
        KRONER,
        lambda t: "+".join(at(f"savings_{part}", t) for part in (*PAYERS, "society")),
        p.savings[0],
        "year_savings",
    )
    for net, savings in (("net", "savings"), ("net_kommune", "savings_kommune")):
        _net(y, net, savings)
        y.add(
            f"cumulative_{net}",
            y.head(f"column.cumulative_{net}", y.money),
            KRONER,
            y.running(f"cumulative_{net}", _cell(y, net)),
            yearly[f"cumulative_{net}"],
            f"year_cumulative_{net}",
        )


def _net(y: _Years, net: str, savings: str) -> None:
    """Column ``net``: the ``savings`` column less the cost."""
    y.add(
        net,
        y.head(f"column.{net}", y.money),
        KRONER,
        lambda t: f"{y.at(savings, t)}-{y.at('cost', t)}",
        y.yearly[net],
    )


def _cell(y: _Years, key: str) -> Formula:
    """Column ``key``'s cell, as a formula."""
    return lambda t: y.at(key, t)


def _discounting(y: _Years) -> None:
    """engine.discounting: the discount factor, and the nets' present values and running sums."""
    at, yearly = y.at, y.yearly
    y.add(
        "discount_factor",
        y.head("column.discount_factor"),
        numbers.excel("discount_factor"),
        lambda t: f"(1+discount_rate)^(-{at('year', t)})",
        y.paths.discount[0],
        "year_discount_factor",
    )
    # (net, where its headers' texts are, the defined name of its present value)
    for net, texts, pv_name in (
        ("net", "column", ""),
        ("net_kommune", "workbook", "year_pv_net_kommune"),
    ):
        y.add(
            f"pv_{net}",
            y.head(f"{texts}.pv_{net}", y.money),
            KRONER,
            _discounted(y, net),
            yearly[f"pv_{net}"],
            pv_name,
        )
        y.add(
            f"cumulative_pv_{net}",
            y.head(f"{texts}.cumulative_pv_{net}", y.money),
            KRONER,
            y.running(f"cumulative_pv_{net}", _cell(y, f"pv_{net}")),
            yearly[f"cumulative_pv_{net}"],
            f"year_cumulative_pv_{net}",
        )


def _discounted(y: _Years, key: str) -> Formula:
    """Column ``key``'s cell times the year's discount factor."""
    return lambda t: f"{y.at(key, t)}*{y.at('discount_factor', t)}"


def _payback(y: _Years) -> None:
    """The running costs, and per payback series whether its cumulative net stays >= 0 from each
    year to the horizon (cashflow.payback_index)."""
    p = y.paths
    y.add(
        "cumulative_cost",
        y.head("workbook.cumulative_cost", y.money),
        KRONER,
        y.running("cumulative_cost", _cell(y, "cost")),
        np.cumsum(p.cost[0]),
        "year_cumulative_cost",
    )
    y.add(
        "cumulative_pv_cost",
        y.head("workbook.cumulative_pv_cost", y.money),
        KRONER,
        y.running("cumulative_pv_cost", _discounted(y, "cost")),
        np.cumsum(p.cost[0] * p.discount[0]),
        "year_cumulative_pv_cost",
    )
    for _, series, cost, what in PAYBACK_SERIES:
        key = f"stays_{series}"
        y.add(
            key,
            y.head("workbook.stays", what=i18n.t(what, y.lang)),
            FLAG,
            _stays_formula(y, key, series, cost),
            _stays(y.columns[series].cached, y.columns[cost].cached, y.scenario.horizon_years),
            f"year_{key}",
        )


#: The years sheet's column builders in column order. Each named after an engine step
#: (engine.STEPS) builds that step's columns, in engine.run's order; _timeline, _totals and
#: _payback build the columns the results add (model.Result.yearly, cashflow.payback_index).
BUILDERS = (
    _timeline,
    _staffing,
    _doses,
    _effect_steps,
    _costs,
    _strength,
    _stock_flows,
    _counting,
    _prices,
    _payers,
    _totals,
    _discounting,
    _payback,
)


def _years(s: Scenario, lang: str) -> _Years:
    """Every column of the years sheet, with the model's values for ROWS years."""
    years = _Years(s, lang)
    for build in BUILDERS:
        build(years)
    return years.arrange()


def _stays_formula(years: _Years, key: str, series: str, cost: str) -> Formula:
    """Column ``key``, computed bottom-up: 1 where the cumulative ``series`` is >= 0 (within the
    tolerance of the cumulative ``cost``) in this year and every later year in the horizon."""
    at = years.at

    def formula(t: int) -> str:
        here = (
            f"AND({at('in_horizon', t)}=1,{at(series, t)}>=-{PAYBACK_TOLERANCE}*ABS({at(cost, t)}))"
        )
        later = "1" if t == ROWS - 1 else f"IF({at('in_horizon', t + 1)}=1,{at(key, t + 1)},1)"
        return f"IF({here},{later},0)"

    return formula


def _stays(cumulative: np.ndarray, cumulative_cost: np.ndarray, horizon: int) -> np.ndarray:
    """The cached values of a ``_stays_formula`` column: cashflow.payback_index's test by year."""
    ok = cumulative[:horizon] >= -float(PAYBACK_TOLERANCE) * np.abs(cumulative_cost[:horizon])
    stays = np.flip(np.logical_and.accumulate(np.flip(ok)))
    return np.concatenate([stays, np.zeros(len(cumulative) - horizon)])


def _write_years(wb: _Book, years: _Years) -> None:
    """One row per year; rows after the horizon are hidden by a conditional number format."""
    ws = wb.sheets["years"]
    ws.set_row(0, 90)
    ws.freeze_panes(1, 1)
    for col, column in enumerate(years.columns.values()):
        ws.write(0, col, column.header, wb.header)
        ws.set_column(col, col, 15)
        style = wb.style(column.number_format)
        for t in range(ROWS):
            if column.formula is None:
                ws.write_number(t + 1, col, column.cached[t], style)
            else:
                ws.write_formula(
                    t + 1, col, f"={column.formula(t)}", style, float(column.cached[t])
                )
        if column.name:
            wb.name(column.name, "years", 1, col, ROWS)
    flag = xl_col_to_name(years.position["in_horizon"])
    ws.conditional_format(
        1,
        0,
        ROWS,
        len(years.columns) - 1,
        {
            "type": "formula",
            "criteria": f"=${flag}2=0",
            "format": wb.book.add_format({"num_format": ";;;"}),
        },
    )


# -- the key figures and the about sheet -----------------------------------------------------------


def _payback_formula(series: str, lang: str) -> str:
    """cashflow.payback_index as an array formula: the first calendar year from which the
    cumulative ``series`` stays >= 0 to the horizon (its column "stays" on the years sheet),
    after some cost, or 'not within the horizon'."""
    cost = next(f"year_{cost}" for _, s, cost, _ in PAYBACK_SERIES if s == series)
    paid = f"(year_stays_{series}=1)*({cost}>0)"
    return f"IF(SUM({paid})=0,{_quote(i18n.t('never', lang))},MIN(IF({paid}=1,year_calendar)))"


@dataclass(frozen=True)
class _Kpi:
    """A row of the key figures: its defined name, label, formula, cached value, format, unit."""

    name: str
    label: str
    formula: str
    cached: float | int | str
    number_format: str
    unit: str


def _sum_kpis(r: Result, lang: str) -> list[_Kpi]:
    """The extra caseworkers, the sums over the horizon and the benefit-cost ratio."""
    p, money = r.paths, i18n.t("unit.money", lang, year=catalogue.price_year())
    not_defined = i18n.t("not_defined", lang)

    def total(name: str, label: str, formula: str, cached: float) -> _Kpi:
        return _Kpi(name, i18n.t(label, lang), formula, cached, KRONER, money)

    in_horizon = "year_discount_factor,year_in_horizon"
    return [
        _Kpi(
            "extra_workers",
            i18n.t("kpi.extra_workers", lang),
            "cases*(caseload_before-caseload_after)/(caseload_before*caseload_after)",
            r.extra_workers,
            PEOPLE,
            i18n.t("workbook.caseworkers", lang),
        ),
        total(
            "total_cost", "kpi.total_cost", "SUMPRODUCT(year_cost,year_in_horizon)", r.total_cost
        ),
        total(
            "total_savings",
            "kpi.total_savings",
            "SUMPRODUCT(year_savings,year_in_horizon)",
            r.total_savings,
        ),
        total(
            "pv_cost",
            "workbook.pv_cost",
            f"SUMPRODUCT(year_cost,{in_horizon})",
            float((p.cost[0] * p.discount[0]).sum()),
        ),
        total(
            "pv_savings",
            "workbook.pv_savings",
            f"SUMPRODUCT(year_savings,{in_horizon})",
            float((p.savings[0] * p.discount[0]).sum()),
        ),
        total("npv", "kpi.npv", "pv_savings-pv_cost", r.npv),
        total(
            "npv_kommune",
            "kpi.npv_kommune",
            "SUMPRODUCT(year_pv_net_kommune,year_in_horizon)",
            r.npv_kommune,
        ),
        _Kpi(
            "benefit_cost_ratio",
            i18n.t("kpi.benefit_cost_ratio", lang),
            f"IF(pv_cost>0,pv_savings/pv_cost,{_quote(not_defined)})",
            not_defined if r.benefit_cost_ratio is None else r.benefit_cost_ratio,
            RATIO,
            i18n.t("workbook.per_krone", lang),
        ),
    ]


def _payback_kpis(r: Result, lang: str) -> list[_Kpi]:
    """The four payback years (array formulas over the years sheet's "stays" columns)."""
    unit = fields.field("scenario", "start_year").unit_text(lang)
    rows = []
    for name, series, _, _ in PAYBACK_SERIES:
        plain = not name.endswith("_discounted")
        # the key figure's label and the payback's own word for its basis (as the cards say it)
        basis = i18n.t("payback.undiscounted" if plain else "payback.discounted", lang)
        what = i18n.t(f"kpi.{name.removesuffix('_discounted')}", lang)
        label = f"{what}, {basis}"
        year = r.calendar(getattr(r, name))
        cached = i18n.t("never", lang) if year is None else year
        rows.append(_Kpi(name, label, _payback_formula(series, lang), cached, YEAR, unit))
    return rows


def _kpis(r: Result, lang: str) -> list[_Kpi]:
    """The key figures in the order of key_figures.KEY_FIGURES (a payback undiscounted, then
    discounted), then the sums the formulas build them from (present values, the kommune's NPV)."""
    wider = _Kpi(
        "pv_wider_gains",
        i18n.t("kpi.pv_wider_gains", lang),
        "SUMPRODUCT(year_wider_gains,year_discount_factor,year_in_horizon)",
        r.pv_wider_gains,
        KRONER,
        i18n.t("unit.money", lang, year=catalogue.price_year()),
    )
    rows = {k.name: k for k in (*_sum_kpis(r, lang), *_payback_kpis(r, lang), wider)}
    shown = [
        name
        for f in key_figures.KEY_FIGURES
        if f.in_workbook
        for name in (f.key, f"{f.key}_discounted")
        if name in rows
    ]
    return [rows[name] for name in shown] + [k for name, k in rows.items() if name not in shown]


def _write_results(wb: _Book, result: Result, title: str) -> None:
    lang, ws = wb.lang, wb.sheets["results"]
    ws.write(0, 0, title, wb.title)
    ws.write(1, 0, i18n.t("workbook.how", lang, **wb.sheet_names))
    columns = ("key_figure", "value", "unit", "formula_name")
    ws.write_row(3, 0, [i18n.t(f"workbook.col_{key}", lang) for key in columns], wb.header)
    for col, width in enumerate((48, 16, 26, 34)):
        ws.set_column(col, col, width)
    for row, kpi in enumerate(_kpis(result, lang), start=4):
        ws.write(row, 0, kpi.label)
        style = wb.style(kpi.number_format)
        if kpi.name.startswith("payback_year"):  # paybacks are array formulas
            ws.write_array_formula(row, 1, row, 1, f"{{={kpi.formula}}}", style, kpi.cached)
        else:
            ws.write_formula(row, 1, f"={kpi.formula}", style, kpi.cached)
        ws.write(row, 2, kpi.unit)
        ws.write(row, 3, kpi.name)
        wb.name(kpi.name, "results", row, 1)


def _write_about(wb: _Book, lines: list[str]) -> None:
    """The export's header block: the scenario as downloaded, the price year, link and sources."""
    ws = wb.sheets["about"]
    ws.set_column(0, 0, 140)
    ws.write(0, 0, lines[0], wb.title)
    texts = [
        i18n.t("workbook.as_downloaded", wb.lang),
        *lines[1:],
        "",
        i18n.t("workbook.hidden_rows", wb.lang, rows=ROWS, **wb.sheet_names),
    ]
    for row, text in enumerate(texts, start=1):
        ws.write_string(row, 0, text)


def xlsx_bytes(
    result: Result,
    lang: str = "da",
    link: str | None = None,
    case: Case | None = None,
    terms: Terms | None = None,
) -> bytes:
    """The workbook of ``result`` in ``lang``; ``link`` is the page link that reproduces it;
    ``case`` gives the sources of a case outside the catalogue, ``terms`` the financing terms a
    page set (listed with the changed inputs)."""
    buffer = io.BytesIO()
    wb = _Book(buffer, i18n.check_lang(lang))
    lines = export.header_lines(result, lang, link, case, terms)
    _write_results(wb, result, lines[0])
    _write_inputs(wb, result.scenario, case)
    _write_years(wb, _years(result.scenario, lang))
    _write_about(wb, lines)
    wb.book.close()
    return buffer.getvalue()
