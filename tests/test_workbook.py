"""The workbook's formulas, recalculated by a real spreadsheet engine, equal the model.

LibreOffice (Debian's ``libreoffice-calc-nogui``) recalculates every workbook in one headless
call. Each workbook first goes through openpyxl, which drops the cached results XlsxWriter stored,
so every number read back was computed by LibreOffice from the formulas. Without ``soffice`` these
tests fail: they are the only check that the formulas compute what ``engine.run`` does.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable

import numpy as np
import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from spreadsheet import recalculate

import explorer
from explorer import Outcome, Price, Scenario
from explorer.data import i18n
from explorer.model import Result, cashflow, engine, fields
from explorer.outputs import workbook

PRESETS = ("herning", "aabenraa", "hjoerring")
#: Scenario changes to write into a workbook, each applied to every preset.
CHANGES: dict[str, dict[str, float]] = {
    "preset": {},
    "effect_half": {"effect_scale": 0.5},
    "no_effect": {"effect_scale": 0.0},
    "wider_gains": {"wider_gains": 1},
    "phase_in": {"phase_in_years": 1.5},
    "staffing_ramp": {"staffing_ramp": 0.5},
    "programme_3": {"programme_years": 3},
    "undiscounted": {"discount_rate": 0.0},
    "short_horizon": {"horizon_years": 6},
    "costs_and_bias": {
        "one_off_cost": 5_000_000,
        "other_cost_per_year": 1_000_000,
        "optimism_bias": 0.2,
    },
    "max_dose": {"caseload_after": 5.0},
    # The services' part of the effect follows what is spent on them (engine.services_dose).
    "services_cut": {
        "services_share": 0.5,
        "reference_other_cost": 20_000_000,
        "other_cost_per_year": 6_000_000,
    },
    "services_above_reference": {  # more than the reference buys no more (a dose below 1)
        "caseload_after": 40,
        "services_share": 0.3,
        "reference_other_cost": 2_000_000,
        "other_cost_per_year": 5_000_000,
    },
    "services_no_reference": {"services_share": 0.4, "reference_other_cost": 0},
}
#: Herning variants whose cumulative net touches 0 in the cheap first (ramp) year: one falls back
#: for good (issue 18's example: no payback), one falls back and recovers later.
CROSSINGS = {
    "herning-falls_back": {"caseload_after": 12, "staffing_ramp": 0.05},
    "herning-dips": {"caseload_after": 20, "staffing_ramp": 0.05},
}


#: Levers drawn over their whole range (data/fields.yaml) for DRAWS.
DRAWN = (
    "horizon_years",
    "discount_rate",
    "effect_scale",
    "phase_in_years",
    "optimism_bias",
    "staffing_ramp",
    "services_share",
    "programme_years",
    "wider_gains",
)


def _draws(n: int = 12, seed: int = 18) -> dict[str, Scenario]:
    """``n`` presets with their levers drawn at random (reproducibly) over the levers' ranges,
    the caseload after the change between a quarter of and the caseload before, and the
    services' cost and its reference between 0 and 1.5 times the preset's (at least 4 m kr. a
    year; the reference 0 in one draw of four): the formulas are checked over the lever space,
    not at a few points."""
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(n):
        preset = explorer.load_case(PRESETS[i % len(PRESETS)])
        values = {}
        for name in DRAWN:
            spec = fields.field("scenario", name)
            value = rng.uniform(spec.lo, spec.hi)
            values[name] = round(value) if spec.whole else value
        values["caseload_after"] = rng.uniform(0.25, 1) * preset.caseload_before
        services = 1.5 * max(preset.other_cost_per_year, 4e6)
        values["other_cost_per_year"] = rng.uniform(0, services)
        values["reference_other_cost"] = 0.0 if i % 4 == 3 else rng.uniform(0, services)
        out[f"{preset.case}-draw{i}"] = preset.replace(**values)
    return out


DRAWS = _draws()


def _kommune_price(scenario: Scenario, key: str, amount: float) -> Scenario:
    """``scenario`` with the kommune's price per person-year of outcome ``key`` set to
    ``amount``: a price line for the difference."""
    outcome = scenario.outcome(key)
    extra = Price("Rettet", "Edited", amount - outcome.price_by_payer()[0], kommune=1.0)
    return scenario.replace_outcome(key, prices=(*outcome.prices, extra))


#: Input cells changed in the workbook (by defined name), and the same change to the scenario.
EDITS: dict[str, tuple[str, dict, Callable[[Scenario], Scenario]]] = {
    "herning-edit-caseload": (
        "herning",
        {"caseload_after": 30},
        lambda s: s.replace(caseload_after=30),
    ),
    "aabenraa-edit-effect": (
        "aabenraa",
        {"effect_scale": 0.7},
        lambda s: s.replace(effect_scale=0.7),
    ),
    "hjoerring-edit-horizon": (
        "hjoerring",
        {"horizon_years": 15},
        lambda s: s.replace(horizon_years=15),
    ),
    "aabenraa-edit-outcome": (
        "aabenraa",
        {
            "self_support_deadweight": 0.4,
            "self_support_duration_years": 2,
            "self_support_price_kommune": 150_000,
        },
        lambda s: _kommune_price(
            s.replace_outcome("self_support", deadweight=0.4, duration_years=2),
            "self_support",
            150_000,
        ),
    ),
    "herning-edit-kind": (
        "herning",
        {"institution_kind": i18n.t("kind.exit", "da"), "institution_duration_years": 3},
        lambda s: s.replace_outcome("institution", kind="exit", duration_years=3),
    ),
    "aabenraa-edit-services": (
        "aabenraa",
        {"services_share": 0.5, "reference_other_cost": 17_000_000, "other_cost_per_year": 0},
        lambda s: s.replace(
            services_share=0.5, reference_other_cost=17_000_000, other_cost_per_year=0
        ),
    ),
    "herning-edit-falls_back": (
        "herning",
        CROSSINGS["herning-falls_back"],
        lambda s: s.replace(**CROSSINGS["herning-falls_back"]),
    ),
}


def two_outcomes() -> Scenario:
    """A scenario of no preset with an entry and an exit outcome, a region and a wider price."""
    placement = Outcome(
        "placement",
        "Anbringelse",
        "Placement",
        kind="entry",
        base_rate=0.05,
        effect=0.4,
        deadweight=0.1,
        duration_years=2.5,
        prices=(Price("Anbringelse", "Placement", 600_000, kommune=0.6, region=0.3, stat=0.1),),
    )
    benefit = Outcome(
        "benefit",
        "Ydelse",
        "Benefit",
        kind="exit",
        base_rate=0.2,
        effect=0.8,
        deadweight=0.2,
        duration_years=3,
        other_benefit_share=0.25,
        prices=(
            Price("Ydelse", "Benefit", 150_000, kommune=0.7, stat=0.3),
            Price("Gevinst", "Gain", 80_000, kind="wider"),
        ),
    )
    return Scenario(
        cases=500,
        caseload_before=40,
        caseload_after=28,
        start_year=2024,
        horizon_years=12,
        phase_in_years=2,
        staffing_ramp=0.6,
        programme_years=5,
        one_off_cost=1_000_000,
        wider_gains=1,
        reference_caseload_before=45,
        reference_caseload_after=30,
        outcomes=(placement, benefit),
    )


def _written() -> dict[str, tuple[Scenario, str]]:
    """Workbook id -> (scenario written, language)."""
    out = {}
    for case in PRESETS:
        preset = explorer.load_case(case)
        for change, values in CHANGES.items():
            out[f"{case}-{change}"] = (preset.replace(**values), "da")
        out[f"{case}-en"] = (preset, "en")
    herning = explorer.load_case("herning")
    out["herning-no_change"] = (herning.replace(caseload_after=herning.caseload_before), "da")
    for name, values in CROSSINGS.items():
        out[name] = (herning.replace(**values), "da")
    out |= {name: (scenario, "da") for name, scenario in DRAWS.items()}
    out["two_outcomes"] = (two_outcomes(), "da")
    out["two_outcomes-en"] = (two_outcomes().replace(wider_gains=0), "en")
    for name, (case, _, _) in EDITS.items():
        out[name] = (explorer.load_case(case), "da")
    return out


WRITTEN = _written()


def _cell(book: openpyxl.Workbook, name: str):
    ((sheet, coordinate),) = book.defined_names[name].destinations
    return book[sheet][coordinate]


@pytest.fixture(scope="session")
def written() -> dict[str, bytes]:
    """Every workbook of WRITTEN as XlsxWriter writes it, with the model's cached results."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns when it drops a cell or a check
        return {
            name: workbook.xlsx_bytes(
                explorer.evaluate(scenario), lang, f"https://example.org/{name}"
            )
            for name, (scenario, lang) in WRITTEN.items()
        }


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory, written) -> dict[str, openpyxl.Workbook]:
    """Every workbook of WRITTEN (edited per EDITS), recalculated by LibreOffice in one call."""

    def edit(name: str, book: openpyxl.Workbook) -> None:
        for cell_name, value in EDITS[name][1].items() if name in EDITS else ():
            _cell(book, cell_name).value = value

    return recalculate(written, tmp_path_factory.mktemp("workbooks"), edit)


def _key_figures(book: openpyxl.Workbook, lang: str) -> dict:
    """Key figures by their name in formulas (column D of the key figures sheet)."""
    sheet = book[i18n.t("workbook.sheet_results", lang)]
    return {row[3]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[3]}


def _year_column(book: openpyxl.Workbook, lang: str, key: str) -> list:
    sheet = book[i18n.t("workbook.sheet_years", lang)]
    headers = [c.value for c in sheet[1]]
    text = i18n.t(key, lang)
    col = next(i for i, h in enumerate(headers) if h == text or h.startswith(f"{text} ("))
    return [row[col] for row in sheet.iter_rows(min_row=2, values_only=True)]


def _close(expected: float):
    return pytest.approx(expected, rel=1e-3, abs=1.0)


def assert_equals_the_model(book: openpyxl.Workbook, result: Result, lang: str) -> None:
    """Key figures and every year's net, cost and savings are the model's."""
    kpis, s = _key_figures(book, lang), result.scenario
    for name in (
        "extra_workers",
        "total_cost",
        "total_savings",
        "npv",
        "npv_kommune",
        "pv_wider_gains",
    ):
        assert kpis[name] == _close(getattr(result, name)), name
    ratio = result.benefit_cost_ratio
    assert kpis["benefit_cost_ratio"] == (
        i18n.t("not_defined", lang) if ratio is None else _close(ratio)
    )
    for name in (
        "payback_year",
        "payback_year_discounted",
        "payback_year_kommune",
        "payback_year_kommune_discounted",
    ):
        index = getattr(result, name)
        assert kpis[name] == (i18n.t("never", lang) if index is None else result.calendar(index)), (
            name
        )
    T, y = s.horizon_years, result.yearly
    assert _year_column(book, lang, "workbook.in_horizon") == [1] * T + [0] * (workbook.ROWS - T)
    assert _year_column(book, lang, "column.calendar_year")[:T] == y["calendar_year"].tolist()
    for column in ("cost", "savings", "net", "net_kommune", "cumulative_pv_net"):
        got = _year_column(book, lang, f"column.{column}")[:T]
        assert got == [_close(v) for v in y[column]], column


@pytest.mark.parametrize("name", [n for n in WRITTEN if n not in EDITS])
def test_recalculated_workbook_equals_the_model(recalculated, name):
    scenario, lang = WRITTEN[name]
    assert_equals_the_model(recalculated[name], explorer.evaluate(scenario), lang)


@pytest.mark.parametrize("name", list(EDITS))
def test_changing_an_input_cell_moves_the_results_as_the_model_says(recalculated, name):
    before = explorer.evaluate(WRITTEN[name][0])
    after = explorer.evaluate(EDITS[name][2](WRITTEN[name][0]))
    assert after.npv != pytest.approx(before.npv, rel=1e-3)
    assert_equals_the_model(recalculated[name], after, "da")


@pytest.mark.parametrize("name", [n for n in WRITTEN if n not in EDITS])
def test_cached_results_equal_the_formulas_for_a_reader_that_does_not_recalculate(
    written, recalculated, name
):
    """Every formula's result that a reader that does not recalculate shows (XlsxWriter's cached
    value) is what LibreOffice computes from the formula, on every sheet and row, hidden too."""
    formulas = openpyxl.load_workbook(io.BytesIO(written[name]))
    cached = openpyxl.load_workbook(io.BytesIO(written[name]), data_only=True)
    computed = recalculated[name]
    checked = 0
    for sheet in formulas.sheetnames:
        for row in formulas[sheet].iter_rows():
            for cell in row:
                if not (isinstance(cell.value, ArrayFormula) or str(cell.value).startswith("=")):
                    continue
                shown = cached[sheet][cell.coordinate].value
                expected = computed[sheet][cell.coordinate].value
                where = f"{sheet}!{cell.coordinate}: {cell.value}"
                if isinstance(expected, str):
                    assert shown == expected, where
                else:
                    assert shown == pytest.approx(expected, rel=1e-7, abs=1e-6), where
                checked += 1
    assert checked > workbook.ROWS * 10


def test_the_services_changes_move_the_model():
    """The services changes of CHANGES and EDITS change the effect, so a workbook that left the
    services out of its formulas would fail the recalculation tests."""
    edited = [EDITS["aabenraa-edit-services"][2](explorer.load_case("aabenraa"))]
    changed = [
        explorer.load_case(case).replace(**values)
        for case in PRESETS
        for change, values in CHANGES.items()
        if change.startswith("services")
    ]
    for scenario in edited + changed:
        caseload_only = scenario.replace(services_share=0)
        assert explorer.evaluate(scenario).total_savings != pytest.approx(
            explorer.evaluate(caseload_only).total_savings, rel=1e-3
        )


def test_the_crossings_cross_zero_and_fall_back():
    """CROSSINGS hold what they are there for: the cumulative net touches 0 in the first year
    and falls below again, for good (no payback at all) or until a later payback year."""
    paybacks = ("payback_year", "payback_year_discounted", "payback_year_kommune")
    for name, values in CROSSINGS.items():
        result = explorer.evaluate(explorer.load_case("herning").replace(**values))
        p = result.paths
        assert cashflow.first_above_zero_index(p.net, p.cost)[0] == 0, name
        if name.endswith("falls_back"):
            assert all(getattr(result, payback) is None for payback in paybacks), name
        else:
            assert result.payback_year is not None and result.payback_year > 0, name


def _texts(book: openpyxl.Workbook) -> list[str]:
    return [
        v
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str) and not v.startswith("http")
    ]


def _fragments(lang: str) -> set[str]:
    """Pieces of the workbook's texts that exist only in ``lang``."""
    out = set()
    for key, texts in i18n.catalogue().items():
        if (
            key.split(".")[0] in ("workbook", "column", "kpi", "unit")
            and texts["da"] != texts["en"]
        ):
            out |= {
                piece.strip()
                for piece in texts[lang].replace("}", "{").split("{")[::2]
                if len(piece.strip()) >= 6
            }
    return out


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_sheets_and_headers_are_in_the_workbooks_language(lang):
    result = explorer.evaluate(explorer.load_case("aabenraa"))
    book = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(result, lang, "https://x.org")))
    assert book.sheetnames == [
        i18n.t(f"workbook.sheet_{key}", lang) for key in ("results", "inputs", "years", "about")
    ]
    inputs = book[i18n.t("workbook.sheet_inputs", lang)]
    assert [c.value for c in inputs[1]][:6] == [
        i18n.t(f"workbook.col_{key}", lang) for key in ("name", "value", "unit", "source", "year")
    ] + [i18n.t("grades_title", lang)]
    expected = {"da": ("Inddata", "År", "Netto (2024-kr.)"), "en": ("Inputs", "Years", "Net (DKK")}
    sheet, years, net = expected[lang]
    assert sheet in book.sheetnames and years in book.sheetnames
    assert any(h.startswith(net) for h in (c.value for c in book[years][1]))
    texts = _texts(book)
    leaked = {f for f in _fragments(i18n.other(lang)) for text in texts if f in text}
    assert not leaked, f"{lang} workbook holds text of the other language: {sorted(leaked)}"


def test_inputs_show_their_source_until_they_are_changed():
    changed = explorer.load_case("herning").replace(caseload_after=30)
    book = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(explorer.evaluate(changed))))

    def row(name):
        cell = _cell(book, name)
        return [c.value for c in cell.parent[cell.row]]

    assert row("cases")[3].startswith("http") and row("cases")[5] == "L"
    assert row("caseload_after")[1] == 30
    assert row("caseload_after")[3] is None and row("caseload_after")[5] == "A"
    assert row("institution_price_stat")[5] == "M"
    assert _cell(book, "institution_price_kommune").value == pytest.approx(
        changed.outcome("institution").price_by_payer()[0]
    )


def test_the_years_sheet_has_a_column_builder_per_engine_step_in_its_order():
    # One to one by name: each engine step builds its columns in a builder of the same name, in
    # engine.run's order; the other builders are the columns the results add.
    steps = [step.__name__ for step in engine.STEPS]
    builders = [build.__name__.removeprefix("_") for build in workbook.BUILDERS]
    assert [name for name in builders if name in steps] == steps
    assert set(builders) - set(steps) == {"timeline", "totals", "payback"}


def test_each_outcomes_columns_stand_together_in_the_order_of_the_steps():
    # engine.run takes a step for every outcome at once; the sheet shows one outcome's chain at a
    # time: strength, the stock flows, counting, prices.
    s = two_outcomes()
    keys = list(workbook._years(s, "en").columns)
    chain = [
        "strength",
        "without_stock",
        "pool",
        "new",
        "stock",
        "people",
        "counted",
        "savings",
        "wider",
    ]
    block = [f"{column}_{o.key}" for o in s.outcomes for column in chain]
    start = keys.index(block[0])
    assert keys[start : start + len(block)] == block
    assert keys[start - 1] == "cost" and keys[start + len(block)] == "savings_kommune"


def test_the_staff_cost_formula_is_the_engines():
    # engine.staff_cost given formula terms writes the years sheet's staff-cost formula.
    term = workbook._Term
    formula = engine.staff_cost(
        term("extra_workers"), term("worker_cost"), term("overhead"), term("D2")
    )
    assert str(formula) == "extra_workers*worker_cost*(1+overhead)*D2"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_an_input_bounded_by_another_is_checked_against_that_cell(lang):
    """The relation in the field spec reaches Excel's own check: a caseload after above the
    caseload before is refused in the sheet, as the model refuses it."""
    data = workbook.xlsx_bytes(explorer.evaluate(explorer.load_case("aabenraa")), lang)
    book = openpyxl.load_workbook(io.BytesIO(data))
    rules = [dv for ws in book.worksheets for dv in ws.data_validations.dataValidation]
    maxima = {str(dv.formula2) for dv in rules} | {str(dv.formula1) for dv in rules}
    assert "MIN(200,caseload_before)" in maxima  # caseload after <= caseload before
    assert "MAX(1,caseload_after)" in maxima  # and the other side of it
