"""Voilà as a host runs it (``python -m explorer.serving notebooks`` with the project's
voila.json: preheated kernels, the kernel ceiling, culling) and Debian's Chromium driven by
Playwright. Browser tests fail, never skip, when Chromium is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from servers import ARTIFACTS, ROOT, Voila

AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1440, "height": 1000}
PHONE = {"width": 390, "height": 844}
#: Links from the internet at their worst: what the live pages and the read views must answer
#: with a notice, never a traceback.
HOSTILE_LINKS = (
    "caseload_after=" + "9" * 5000,
    "caseload_after=NaN&cases=inf",
    "case=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "lang=%F0%9F%98%80&caseload_after=%E2%88%9E",
    "x" * 3000,
    "caseload_after=1&caseload_after=2&caseload_after=3",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server():
    """The app as published: the project's launcher, its voila.json, pools warm."""
    voila = Voila("voila", launcher="explorer.serving")
    yield voila
    voila.stop()


@pytest.fixture
def open_page(page, server):
    """open_page('explorer', 'lang=en', viewport=PHONE) -> the page, fully rendered, no errors."""

    def go(name: str, query: str = "", viewport: dict | None = None, url: str | None = None):
        page.set_viewport_size(viewport or DESKTOP)
        page.goto(url or server.page(name, query), timeout=90_000)
        rendered(page)
        return page

    return go


def rendered(page) -> None:
    expect(page.locator(".app").first).to_be_visible(timeout=90_000)
    expect(page.locator("#loading")).to_have_count(0, timeout=60_000)
    body = page.locator("body")
    expect(body).not_to_contain_text("An exception occurred")
    expect(body).not_to_contain_text("Traceback")


def charts_drawn(page) -> None:
    for chart in page.locator(".chart").all():
        expect(chart.locator("svg [aria-roledescription]").first).to_be_attached(timeout=30_000)


@pytest.fixture
def screenshot():
    """screenshot(page, 'name') saves test-artifacts/screens/name.png of the whole page."""

    def save(page, name: str) -> Path:
        folder = ARTIFACTS / "screens"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        width = page.viewport_size["width"]
        height = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('body, body *'))"
            ".map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": width, "height": min(int(height) + 40, 8000)})
        page.wait_for_timeout(300)
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def axe():
    """axe(page) -> the serious and critical accessibility violations on the page."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing at {AXE}: run 'make test' (it installs it from npm)",
            pytrace=False,
        )
    source = AXE.read_text(encoding="utf-8")

    def run(page) -> list[dict]:
        page.add_script_tag(content=source)
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']}))"
            ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
            "nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]

    return run
