"""Voilà on a free port, and Debian's Chromium driven by Playwright (pytest-playwright)."""

import os
import shutil
from pathlib import Path

import pytest

from explorer.ui import server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's chromium is missing: run 'make test' as root (it installs it) or "
                    "'apt-get install chromium'", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def voila_url():
    """Start Voilà on the notebooks; yield its base URL; stop it."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = server.free_port()
    with (ARTIFACTS / "voila.log").open("w") as log:
        try:
            proc = server.start(port, log)
        except RuntimeError:
            pytest.fail(f"Voilà did not start; see {ARTIFACTS / 'voila.log'}", pytrace=False)
        yield f"http://127.0.0.1:{port}"
        server.stop(proc)


@pytest.fixture
def open_page(page, voila_url):
    """open_page('explorer.ipynb?lang=en') -> the page, fully rendered, with no error text."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1440, "height": 1100})

    def go(path: str):
        page.goto(f"{voila_url}/voila/render/{path}", timeout=90_000)
        expect(page.locator(".app").first).to_be_visible(timeout=90_000)
        expect(page.locator("#loading")).to_have_count(0, timeout=30_000)
        body = page.locator("body")
        expect(body).not_to_contain_text("An exception occurred")
        expect(body).not_to_contain_text("Traceback")
        return page

    return go


@pytest.fixture
def screenshot():
    """screenshot(page, 'name') saves test-artifacts/name.png (full page)."""

    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.set_viewport_size({"width": 1440, "height": 1900})  # Voilà scrolls inside the page
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
