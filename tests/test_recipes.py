"""CONTRIBUTING's recipes, kept true: what "a lever" and "a page" ask for is there for every one.

A lever (a field of ``Scenario``) reaches the engine and changes the model's answer, has an input
cell in the workbook that its formulas use, a row in docs/model.md's table of every input and a
control on at least one page. A page (an entry of ``explorer/data/pages.py``) has its module and
``Page`` class, its notebook, its title and landing-page line in both languages, a browser test
that opens it by name, and the kernel pool voila.json gives it.
"""

from __future__ import annotations

import ast
import io
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pages import page_class
from spreadsheet import recalculate
from test_workbook import assert_equals_the_model

import explorer
from explorer import model
from explorer.data import i18n
from explorer.data import pages as registry
from explorer.model import engine, fields
from explorer.model.scenario import Scenario
from explorer.outputs import workbook
from explorer.ui.live import widgets

ROOT = Path(__file__).resolve().parent.parent
FIELDS = fields.of(Scenario)
PRESETS = ("herning", "aabenraa", "hjoerring")


# -- a lever ---------------------------------------------------------------------------------------


def values(f: fields.Field, n: int = 9) -> list[float]:
    """``n`` values spread over a field's range, whole where the field is."""
    grid = np.linspace(f.lo, f.hi, n)
    return np.unique(np.round(grid)).astype(int).tolist() if f.whole else grid.tolist()


def answer(s: Scenario) -> tuple:
    """The model's answer a reader sees: the yearly table and the KPIs."""
    result = model.evaluate(s)
    return result.yearly, result.kpis


def same(a: tuple, b: tuple) -> bool:
    return a[0].equals(b[0]) and all(np.array_equal(a[1][k], b[1][k], equal_nan=True) for k in a[1])


def lively(name: str) -> Scenario:
    """A preset where every lever matters: bought services cut to half of what produced the
    effect (so their share counts) and the caseload cut past the documented change (so the dose's
    cap can bind)."""
    s = explorer.load_case(name)
    return s.replace(
        other_cost_per_year=s.reference_other_cost / 2,
        caseload_after=s.reference_caseload_after * 0.6,
    )


@pytest.mark.parametrize("name", FIELDS)
def test_every_scenario_field_reaches_the_engine_and_moves_the_answer(name):
    """The field is one of the engine's inputs, and some value in its range changes the yearly
    table or a KPI of some preset: a field the engine never reads fails."""
    f, moved = FIELDS[name], False
    for preset in PRESETS:
        base = lively(preset)
        before = answer(base)
        for value in values(f):
            try:
                varied = base.replace(**{name: value})
            except ValueError:  # outside a relation to another field (caseload after <= before)
                continue
            batch = engine.Batch.of([varied])
            assert (batch.horizon if name == "horizon_years" else batch.scalars[name][0]) == value
            moved = moved or not same(before, answer(varied))
    assert moved, f"{name}: no value in its range changes the model's answer"


def field_value(f: fields.Field):
    """A value of a field other than its default and 0 (so a formula that is missing, or that
    reads the wrong cell, cannot hide behind them)."""
    default = None if f.default is None else fields.default_value(f)
    drawn = st.integers(int(f.lo), int(f.hi)) if f.whole else st.floats(f.lo, f.hi)
    return drawn.filter(lambda v: v != default and v != 0)


@st.composite
def scenarios(draw):
    """A preset with every scenario field drawn anew from its range."""
    s = explorer.load_case(draw(st.sampled_from(PRESETS)))
    changes = {name: draw(field_value(f)) for name, f in FIELDS.items()}
    try:
        return s.replace(**changes)
    except ValueError:  # the caseloads after must stay below the caseloads before
        assume(False)


def defined_cells(book: openpyxl.Workbook) -> dict[str, object]:
    """Each defined name of a single cell, with that cell's value."""
    out = {}
    for name, defined in book.defined_names.items():
        for sheet, ref in defined.destinations:
            if ":" not in ref:
                out[name] = book[sheet][ref.replace("$", "")].value
    return out


def formulas(book: openpyxl.Workbook) -> str:
    """Every formula in the workbook, one per line."""
    return "\n".join(
        str(getattr(cell.value, "text", cell.value))
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if str(getattr(cell.value, "text", cell.value)).startswith("=")
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(scenarios(), st.sampled_from(i18n.LANGS))
def test_every_scenario_field_is_a_workbook_input_its_formulas_use(s, lang):
    book = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(model.evaluate(s), lang)))
    cells, written = defined_cells(book), formulas(book)
    for name in FIELDS:
        assert name in cells, f"{name}: no input cell named {name} in the workbook"
        assert cells[name] == pytest.approx(getattr(s, name), rel=1e-12), name
        assert re.search(rf"(?<![\w.]){name}(?![\w(])", written), f"{name}: no formula uses it"


def moved(s: Scenario) -> Scenario:
    """``s`` with every scenario field moved off its value, each by a factor of its own (so that
    no two inputs a formula compares stay equal)."""
    changes = {}
    for i, (name, f) in enumerate(FIELDS.items()):
        v = getattr(s, name)
        if f.whole:
            changes[name] = v + 1 if v + 1 <= f.hi else v - 1
        elif v > 0:
            changes[name] = v * (0.75 + 0.01 * i)
        else:
            changes[name] = f.lo + (0.02 + 0.001 * i) * (f.hi - f.lo)
    return s.replace(**changes)


def test_a_workbook_with_every_lever_moved_recalculates_to_the_model(tmp_path):
    """The lever recipe's workbook check in the quick loop: LibreOffice recalculates one workbook
    a preset, with every lever off its preset value, to the model's KPIs and yearly net, cost and
    savings. tests/test_workbook.py (make test) checks each change of its CHANGES alone."""
    langs = dict(zip(PRESETS, ("da", "en", "da")))
    results = {p: model.evaluate(moved(explorer.load_case(p))) for p in PRESETS}
    books = recalculate({p: workbook.xlsx_bytes(r, langs[p]) for p, r in results.items()}, tmp_path)
    for p, result in results.items():
        assert_equals_the_model(books[p], result, langs[p])


def test_every_scenario_field_has_a_row_in_the_docs_table():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    table = text.split("\n## 11.", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| scenario \| `(\w+)` \|", table, re.M))
    assert set(FIELDS) <= listed, set(FIELDS) - listed


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def levers(page) -> set[str]:
    """The scenario fields a reader can set on a page with a lever."""
    return {
        widget.field.name
        for widget in walk(page.widget)
        if isinstance(widget, widgets.Lever) and widget.field.group == "scenario"
    }


def chosen(page) -> set[str]:
    """The scenario fields a reader can set on a page with a choice or a toggle: the one field
    that moving it changes (the discount rate, wider gains)."""
    out = set()
    base = page.scenario()
    for widget in walk(page.widget):
        if isinstance(widget, widgets.Choice):
            old = widget.value
            keys = ["0", "1"] if widget.kind == "toggle" else [k for k, _ in widget.options]
            for key in keys:
                widget.value = key
                now = page.scenario()
                moved = {n for n in FIELDS if getattr(now, n) != getattr(base, n)}
                out |= moved if len(moved) == 1 else set()
            widget.value = old
    return out


def test_every_scenario_field_has_a_control_on_some_page():
    pages = [page_class(entry)("case=aabenraa&lang=en") for entry in registry.PAGES]
    offered = set().union(*map(levers, pages))
    for page in pages:  # moving a choice recomputes the page: only until every field is offered
        if set(FIELDS) <= offered:
            break
        offered |= chosen(page)
    assert set(FIELDS) <= offered, f"no page offers {sorted(set(FIELDS) - offered)}"


# -- a page ----------------------------------------------------------------------------------------

PAGE_IDS = [p.name for p in registry.PAGES]


def voila_pools() -> dict:
    config = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    return config["VoilaKernelManager"]["kernel_pools_config"]


def opened_in_browser_tests() -> set[str]:
    """Pages a browser test opens by name: ``open_page("who_pays", ...)``, ``server.page(...)``."""
    names = set()
    for path in (ROOT / "tests" / "browser").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if called in ("open_page", "page") and isinstance(first, ast.Constant):
                names.add(str(first.value))
    return names


@pytest.mark.parametrize("entry", registry.PAGES, ids=PAGE_IDS)
def test_every_page_has_its_class_and_a_two_cell_notebook_that_runs_it(entry):
    cls = page_class(entry)
    assert callable(getattr(cls, "build", None)) and cls.__module__.endswith(f".{entry.name}")
    notebook = json.loads((ROOT / "notebooks" / entry.notebook).read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) == 2, entry.notebook
    assert code[0].startswith(
        f"from explorer.ui.live import page\nfrom explorer.ui.pages import {entry.name}\n"
    ), code[0]
    assert code[1].strip() == f"{entry.name}.app()", code[1]


def test_the_notebooks_are_the_registered_pages():
    assert {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} == {
        p.notebook for p in registry.PAGES
    }


@pytest.mark.parametrize("entry", registry.PAGES, ids=PAGE_IDS)
def test_every_page_has_its_title_and_landing_line_in_both_languages(entry):
    texts = i18n.catalogue()
    keys = [f"page.{entry.name}"] + ([f"index.{entry.name}"] if entry.name != "index" else [])
    for key in keys:
        assert key in texts, f"texts.yaml: add {key}"
        assert all(texts[key][lang].strip() for lang in i18n.LANGS), key


@pytest.mark.parametrize("entry", registry.PAGES, ids=PAGE_IDS)
def test_every_page_is_opened_by_a_browser_test(entry):
    assert entry.name in opened_in_browser_tests(), f"tests/browser: open {entry.name} by name"


@pytest.mark.parametrize("entry", registry.PAGES, ids=PAGE_IDS)
def test_voila_keeps_the_registered_pool_of_kernels_for_every_page(entry):
    pools = voila_pools()
    assert pools.get(entry.notebook, pools["default"])["pool_size"] == entry.pool


def test_voila_names_no_page_outside_the_registry():
    assert set(voila_pools()) - {"default"} <= {p.notebook for p in registry.PAGES}
