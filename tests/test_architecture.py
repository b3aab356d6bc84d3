"""The package's shape, read from its imports (Python's ``ast``, nothing is run).

Layers, lowest first: ``data`` (the shipped files), ``model`` (fields, scenarios, the engine,
results), ``catalogue`` (case files, presets, the own case), ``analysis`` (uncertainty,
financing, calibration, claims), ``outputs`` (table, workbook, sources), ``ui`` (the pages) and
``serving`` (the launcher). A module may import its own layer and the layers below, never a
layer above; no import, not even one inside a function, closes a circle; and nothing below the
pages imports widgets, charts or Voilà.

Inside ``ui`` the same rule holds for its four folders, lowest first: ``content`` (what a page
shows: charts, KPI cards, the glossary, links; no widgets), ``live`` (widgets and the Page base
under Voilà), ``pages`` (one module a page) and ``views`` (a page as HTML and files).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "explorer"
LAYERS = ("data", "model", "catalogue", "analysis", "outputs", "ui", "serving")
#: The package's own entry points may use every layer.
TOP = ("explorer", "explorer.__main__")
PAGE_ONLY = ("ipywidgets", "anywidget", "altair", "voila", "jupyter_server", "IPython")
UI_LAYERS = ("content", "live", "pages", "views")


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: set[str] | None = None) -> set[str]:
    """Every module this one imports, anywhere in it, as absolute names. ``from pkg import mod``
    counts as importing ``pkg.mod`` alone where ``known`` has it as a module."""
    known = set() if known is None else known
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            named = {f"{base}.{a.name}" for a in node.names}
            out |= named & known if named & known else {base}
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {
        name: {m for m in imports(name, path, set(mods)) if m in mods} - {name}
        for name, path in mods.items()
    }


def layer(name: str) -> int | None:
    if name in TOP:
        return None
    return LAYERS.index(name.split(".")[1])


def test_every_module_is_in_a_layer():
    for name in modules():
        assert name in TOP or name.split(".")[1] in LAYERS, f"{name}: put it in one of {LAYERS}"


def test_no_module_imports_a_layer_above_its_own():
    for name, targets in graph().items():
        here = layer(name)
        if here is None:
            continue
        for target in targets:
            there = layer(target)
            assert there is not None and there <= here, f"{name} imports {target}, a layer above"


def test_no_import_closes_a_circle():
    g = graph()
    # a package imports the modules it re-exports; its modules do not need the package itself
    g = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in g.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(g[node]):
            if state.get(nxt) == 1:
                circle = [*path[path.index(nxt) :], nxt]
                pytest.fail("import circle: " + " -> ".join(circle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node, [node])


@pytest.mark.parametrize("below", ["data", "model", "catalogue", "analysis", "outputs"])
def test_nothing_below_the_pages_imports_widgets_charts_or_voila(below):
    for name, path in modules().items():
        if name.split(".")[1:2] != [below]:
            continue
        for target in imports(name, path):
            assert target.split(".")[0] not in PAGE_ONLY, f"{name} imports {target}"


def ui_layer(name: str) -> int | None:
    parts = name.split(".")
    if parts[:2] != ["explorer", "ui"] or len(parts) < 3:
        return None
    return UI_LAYERS.index(parts[2]) if parts[2] in UI_LAYERS else -1


def test_every_ui_module_is_in_a_ui_layer():
    for name in modules():
        assert ui_layer(name) != -1, f"{name}: put it in one of explorer/ui/{UI_LAYERS}"


def test_no_ui_module_imports_a_ui_layer_above_its_own():
    for name, targets in graph().items():
        here = ui_layer(name)
        if here is None:
            continue
        for target in targets:
            there = ui_layer(target)
            assert there is None or there <= here, f"{name} imports {target}, a ui layer above"


def test_what_a_page_shows_imports_no_widgets():
    for name, path in modules().items():
        if name.startswith("explorer.ui.content"):
            for target in imports(name, path):
                assert target.split(".")[0] not in PAGE_ONLY, f"{name} imports {target}"


def test_the_contract_catches_what_it_forbids(tmp_path):
    """The checks above can fail: a model module that imports a page is seen."""
    path = tmp_path / "engine.py"
    path.write_text("from explorer.ui.live import page\nimport ipywidgets\n", encoding="utf-8")
    seen = imports("explorer.model.engine", path, {"explorer.ui.live.page"})
    assert "explorer.ui.live.page" in seen and "ipywidgets" in seen
    ui, model = layer("explorer.ui.live.page"), layer("explorer.model.engine")
    assert ui is not None and model is not None and ui > model
