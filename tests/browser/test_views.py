"""The read views (``view/<page>?<query>``: a page as one static document, computed by the
launcher with no kernel) in Chromium and over HTTP, against the app as it is published: the live
page's numbers for the same link, a phone layout with the numbers first, no serious accessibility
violation, a way back to the live page in the same state, hostile links answered with a notice
and no script, an embed in another site's article that starts no kernel, and what caches and
downloads need from the HTTP answers."""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlparse

import pandas as pd
import pytest
from conftest import DESKTOP, HOSTILE_LINKS, PHONE, rendered
from playwright.sync_api import expect
from servers import ARTIFACTS, PAGES, free_port, wait_for

import explorer
from explorer.ui.content import addresses
from explorer.ui.live.page import EMBED_HEIGHT
from explorer.ui.views import readview

LANGS = ("da", "en")
#: A scenario other than the landing defaults: another case, a moved lever.
SCENARIO = "case=aabenraa&caseload_after=25"
#: The first result of a page without KPI boxes.
FIRST = {"index": ".landing", "claims": ".claim-body", "how_it_works": ".chain"}
#: What the live pages' hostile-link test sends (test_serving.py), and reflected-markup attempts.
HOSTILE = (
    *HOSTILE_LINKS,
    "case=%3Cscript%3Ealert(1)%3C/script%3E",
    "zzz=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
)


def first(name: str) -> str:
    """The page's numbers: its KPI boxes, or for a page without them its first result."""
    return FIRST.get(name, ".kpis")


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the whole module (a new context per test would cost more than the views)."""
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def bare(browser):
    """A tab that ignores the views' Content-Security-Policy: axe can be injected, and an
    unescaped script in a view would run."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def open_view(tab, server, name: str, query: str, viewport: dict = DESKTOP):
    tab.set_viewport_size(viewport)
    answer = tab.goto(server.url + f"view/{name}?{query}", timeout=60_000)
    assert answer is not None and answer.status == 200, answer and answer.status
    expect(tab.locator(".read-view")).to_be_visible()
    return answer


def open_live(tab, server, name: str, query: str) -> None:
    tab.set_viewport_size(DESKTOP)
    tab.goto(server.page(name, query), timeout=90_000)
    rendered(tab)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def texts(tab, selector: str) -> list[str]:
    return tab.locator(selector).all_inner_texts()


def numbers(tab, name: str) -> dict[str, list[str]]:
    """What the live page and the view must agree on, as the reader sees it."""
    found = {s: texts(tab, s) for s in ("h1", ".kpis", ".kpi", first(name))}
    assert found["h1"] and found[first(name)], found
    return found


def same_numbers(tab, expected: dict[str, list[str]]) -> None:
    """The page shows ``expected`` (waiting while a live page is still computing)."""
    for selector, values in expected.items():
        expect(tab.locator(selector)).to_have_text(values, use_inner_text=True, timeout=30_000)


# -- the same numbers as the live page -------------------------------------------------------------
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGS)  # one language after the other: each pool refills
def test_a_view_shows_the_live_pages_numbers_for_the_same_link(tab, server, name, lang):
    query = f"{SCENARIO}&lang={lang}"
    open_view(tab, server, name, query)
    expect(tab.locator("html")).to_have_attribute("lang", lang)
    assert tab.locator(".notice").count() == 0
    view = numbers(tab, name)
    for chart in tab.locator("figure.chart").all():  # a wide screen sees the wide drawing
        expect(chart.locator(".chart-wide svg")).to_be_visible()
        expect(chart.locator(".chart-narrow")).to_be_hidden()
    assert labels_outside(tab) == []
    open_live(tab, server, name, query)
    same_numbers(tab, view)


# -- a phone ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_at_phone_width_the_numbers_come_first_and_nothing_scrolls_sideways(
    tab, server, name, lang
):
    open_view(tab, server, name, f"{SCENARIO}&lang={lang}", viewport=PHONE)
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    selector = FIRST.get(name, ".kpi")
    top = tab.locator(selector).first.bounding_box()["y"]  # the page is at its top
    assert top < PHONE["height"], f"{selector} starts at {top} px, below the first screen"
    inputs = tab.locator("section.inputs")
    if inputs.count():
        assert top < inputs.bounding_box()["y"]
    for chart in tab.locator("figure.chart").all():
        expect(chart.locator(".chart-wide")).to_be_hidden()
        narrow = chart.locator(".chart-narrow svg")
        expect(narrow).to_be_visible()
        box = narrow.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"] + 1, box
    assert labels_outside(tab) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_shared_views_first_phone_screen_shows_the_npv_and_the_payback_year(tab, server, lang):
    """Regression: at 390 x 844 the five-line menu, banner, title and intro took about 620 px,
    and the first screen showed two cards: neither the NPV nor the payback year."""
    open_view(tab, server, "explorer", f"{SCENARIO}&lang={lang}", viewport=PHONE)
    menu = tab.locator(".site-nav ul").bounding_box()
    assert menu["height"] < 40, menu  # one line
    current = tab.locator(".site-nav li").filter(has=tab.locator("[aria-current=page]"))
    assert current.bounding_box()["x"] <= menu["x"] + 1  # the current page first
    for card in (".kpi-npv", ".kpi-payback-year"):
        box = tab.locator(card).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], (card, box)


#: The texts of the charts drawn on the screen that stick out of it (the server measured them
#: in its font; the browser draws them in the fonts it has).
LABELS_OUTSIDE = """() => [...document.querySelectorAll("figure.chart svg text")]
  .filter((t) => t.getClientRects().length && t.textContent.trim())
  .map((t) => [t.textContent, t.getBoundingClientRect()])
  .filter(([, r]) => r.left < 0 || r.right > document.documentElement.clientWidth)
  .map(([text, r]) => `${text}: ${Math.round(r.left)} to ${Math.round(r.right)} px`)"""


def labels_outside(tab) -> list[str]:
    return tab.evaluate(LABELS_OUTSIDE)


# -- accessibility ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation_in_a_view(bare, server, axe, name, lang):
    open_view(bare, server, name, f"{SCENARIO}&lang={lang}")
    violations = axe(bare)
    assert violations == [], violations


# -- back to the live page -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, query",
    [
        ("explorer", "lang=da&caseload_after=25.0&worker_cost=600000&case=aabenraa"),
        ("claims", "lang=en&claim=wrong_pocket&case=hjoerring"),
        ("own_case", "lang=en&caseload_after=30&case=hjoerring"),
    ],
)
def test_change_the_numbers_opens_the_live_page_in_the_same_state(tab, server, name, query):
    open_view(tab, server, name, query)
    view = numbers(tab, name)
    address = tab.locator("section.read-share input.share-url").input_value()
    assert address.startswith(server.url + f"view/{name}?")
    canonical = urlparse(address).query
    tab.locator(".live-bar a.change-numbers").click()
    tab.wait_for_url(re.compile(rf"/voila/render/{name}\.ipynb\?"), timeout=60_000)
    rendered(tab)
    same_numbers(tab, view)
    live_query = urlparse(tab.url).query
    if not readview.page_class(name).reads_own_query:
        assert live_query == canonical
        return
    # The own case writes its whole case into its address (case=own&c=...): what that address
    # opens as a view must still be the same numbers.
    open_view(tab, server, name, live_query)
    same_numbers(tab, view)


def test_a_caseload_moved_in_the_view_opens_the_live_page_at_that_caseload(tab, server):
    open_view(tab, server, "explorer", "case=hjoerring&lang=en")
    kpis = tab.locator(".results .kpis")
    shown = kpis.inner_text()
    link = tab.locator(".live-bar a.change-numbers")
    first_href = link.get_attribute("href")
    slider = tab.locator(".view-lever input[type=range]")
    expect(slider).to_be_visible()
    slider.focus()
    for _ in range(3):
        slider.press("ArrowLeft")
    expect(kpis).not_to_have_text(shown)
    expect(tab.locator(".view-lever-note")).to_be_visible()
    moved = {s: texts(tab, s) for s in (".kpis", ".kpi")}
    href = link.get_attribute("href")
    assert href != first_href and "caseload_after=" in href
    caseload = parse_qs(urlparse(href).query)["caseload_after"][0]
    shared = tab.locator(".read-share .share-url").input_value()
    assert f"caseload_after={caseload}" in shared
    assert shared in tab.locator(".read-share .embed-code").input_value()
    python = tab.locator(".read-share textarea.python-code").input_value()  # what Share says
    assert f"caseload_after={float(caseload)!r}" in python
    followed = tab.locator("a[data-lever-file]")  # the chart's, the table's, the workbook's...
    assert followed.count() >= 7
    for a in followed.all():
        assert f"caseload_after={caseload}" in a.get_attribute("href")
    expect(tab.locator(".lever-files-note").first).to_be_hidden()
    listed = tab.locator(".inputs [data-name='caseload_after'] dd").inner_text()
    assert listed.startswith(tab.locator(".view-lever output").inner_text())
    stale = tab.locator(".inputs [data-name='worker_cost']")  # still the link's, and dimmed
    expect(stale).to_have_css("opacity", "0.45")
    expect(tab.locator(".inputs [data-name='caseload_after']")).to_have_css("opacity", "1")
    redrawn = tab.locator("figure.chart-cumulative .chart-live svg")
    expect(redrawn).to_be_visible()
    assert redrawn.bounding_box()["width"] <= readview.WIDE + 1
    link.click()
    tab.wait_for_url(re.compile(r"/voila/render/explorer\.ipynb\?"), timeout=60_000)
    rendered(tab)
    same_numbers(tab, moved)
    assert urlparse(tab.url).query == urlparse(href).query


def test_a_baked_views_slider_moves_the_python_and_says_the_files_are_the_links(tab):
    """A baked site has the link's files only: moved, the Python lines follow; the downloads
    stay the link's, dimmed, with a line saying so (never a link to a file that is not there)."""
    from explorer.ui.views import bake

    site = bake.BakedSite("https://static.example.org/read/", cases=("herning",))
    key = readview.canonical("explorer", "case=herning&lang=da")[0]
    tab.set_viewport_size(DESKTOP)
    tab.set_content(readview.render("explorer", key, site).html())
    python = tab.locator(".read-share textarea.python-code")
    first_lines = python.input_value()
    files = tab.locator("a[data-lever-file]")
    hrefs = [a.get_attribute("href") for a in files.all()]
    note = tab.locator(".lever-files-note")
    expect(note.first).to_be_hidden()
    slider = tab.locator(".view-lever input[type=range]")
    slider.focus()
    slider.press("ArrowRight")
    assert python.input_value() != first_lines and "caseload_after=25.0" in python.input_value()
    assert [a.get_attribute("href") for a in files.all()] == hrefs
    expect(files.first).to_have_css("opacity", "0.45")
    expect(note.first).to_be_visible()
    expect(note.first).to_contain_text("24 sager pr. sagsbehandler")
    slider.press("ArrowLeft")
    expect(note.first).to_be_hidden()
    assert python.input_value() == first_lines


# -- hostile links ---------------------------------------------------------------------------------
LEVER_DATA = re.compile(r"<script type='application/json' id='lever-data'>(.*?)</script>", re.S)


def without_the_lever(body: str) -> str:
    """The document without the explorer's caseload lever, the one script a view may hold: its
    data (JSON that parses whole) and its code (the file whose hash the policy allows)."""
    for data in LEVER_DATA.findall(body):
        json.loads(data)
    body = LEVER_DATA.sub("", body)
    return body.replace(f"<script type='module'>{readview.LEVER_SCRIPT}</script>", "")


@pytest.mark.parametrize("name", ["explorer", "own_case"])
@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: q[:40])
def test_a_hostile_link_gets_a_view_with_a_notice_and_runs_nothing(bare, server, name, query):
    dialogs: list[str] = []

    def dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    bare.on("dialog", dialog)
    try:
        answer = open_view(bare, server, name, query)  # with the CSP off: escaping alone
        body = answer.text()
        expect(bare.locator(".notice").first).to_be_visible()
        bare.wait_for_timeout(200)
    finally:
        bare.remove_listener("dialog", dialog)
    assert "Traceback" not in body and 'File "' not in body
    rest = without_the_lever(body).lower()
    assert "<script" not in rest and "onerror=" not in rest and "<img src=x" not in rest
    assert dialogs == []
    handlers = bare.evaluate(
        "() => Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes))"
        ".filter(a => a.name.startsWith('on')).map(a => a.name)"
    )
    assert handlers == []


# -- an embed in an article ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def article(server):
    """Another site (another host and port) whose article embeds a view, as the Share dialog's
    embed code does."""
    src = html.escape(server.url + "view/explorer?case=herning&lang=da")
    document = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>News</title></head>"
        "<body><h1>Did Herning's caseworkers pay for themselves?</h1>"
        f"<iframe class='embed' src='{src}' width='100%' height='900' style='border:0' "
        "title='Social investments' loading='lazy'></iframe></body></html>"
    ).encode()

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    # localhost, not 127.0.0.1: another site; both local, as Chromium's local-network checks ask
    yield f"http://localhost:{site.server_port}/article"
    site.shutdown()
    site.server_close()


def settled_kernels(server, quiet: float = 3, timeout: float = 60) -> set[int]:
    """The server's kernel processes once nothing has started or ended for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while True:
        now = {p.pid for p in server.kernels()}
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet or time.monotonic() > deadline:
            return now
        time.sleep(0.25)


def test_another_site_embeds_a_view_without_starting_a_kernel(browser, server, article):
    context = browser.new_context(viewport=DESKTOP)  # the views' policy applies here
    try:
        reader = context.new_page()
        before = settled_kernels(server)
        reader.goto(article, timeout=60_000)
        frame = reader.frame_locator("iframe.embed")
        kpis = frame.locator(".results .kpis")
        expect(kpis).to_be_visible(timeout=30_000)
        assert frame.locator(".kpi").count() > 0
        expect(frame.locator("html")).to_have_attribute("lang", "da")
        shown = kpis.inner_text()
        slider = frame.locator(".view-lever input[type=range]")  # a reader moves the caseload
        slider.focus()
        slider.press("ArrowLeft")
        expect(kpis).not_to_have_text(shown)
        expect(frame.locator("figure.chart-cumulative .chart-live svg")).to_be_visible()
        reader.wait_for_timeout(1_000)
        after = settled_kernels(server)
    finally:
        context.close()
    # kernels of earlier tests may end meanwhile (culled); none may begin
    assert after <= before, f"kernels started: {sorted(after - before)}"
    _status, headers, _body = fetch(server.url + "view/explorer?case=herning&lang=da")
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "*" and policy["default-src"] == "'none'"
    assert "'unsafe-inline'" not in policy.get("script-src", "")
    # The contrast is intended: the live page (a kernel per reader) may be framed by itself only.
    _status, headers, _body = fetch(server.page("explorer", "case=herning&lang=da"))
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


# -- HTTP ------------------------------------------------------------------------------------------
def test_one_scenario_is_one_cache_entry_with_an_etag_and_gzip(server):
    spellings = (
        f"{SCENARIO}&lang=en",
        "lang=en&caseload_after=25.0&case=aabenraa",
        "caseload_after=25.000&case=aabenraa&lang=en",
    )
    answers = [fetch(server.url + f"view/explorer?{q}") for q in spellings]
    assert [a[0] for a in answers] == [200] * 3
    tags = {a[1]["Etag"] for a in answers}
    assert len(tags) == 1, tags
    assert len({a[2] for a in answers}) == 1
    status, headers, body = answers[0]
    assert headers["Cache-Control"] == "public, max-age=300"
    assert headers["Content-Type"].startswith("text/html")
    assert "Content-Encoding" not in headers
    tag = tags.pop()
    status, _headers, again = fetch(
        server.url + f"view/explorer?{spellings[1]}", {"If-None-Match": tag}
    )
    assert status == 304 and again == b""
    status, headers, packed = fetch(
        server.url + f"view/explorer?{spellings[2]}", {"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(packed) == body
    other = fetch(server.url + "view/explorer?case=aabenraa&caseload_after=26&lang=en")
    assert other[1]["Etag"] != tag


def test_an_unknown_page_or_file_is_a_plain_404(server):
    for path in ("view/nope", "view/nope?lang=en", "view/explorer/file/nope.csv?lang=da"):
        status, headers, body = fetch(server.url + path)
        text = body.decode("utf-8", "replace")
        assert status == 404, path
        assert headers["Content-Type"].startswith("text/html")
        assert "<html" in text and "Traceback" not in text and 'File "' not in text
        home = re.search(r"href='([^']*view/index\?lang=en)'", text)
        assert home and fetch(urljoin(server.url + path, home.group(1)))[0] == 200, text


def test_the_table_download_is_an_attachment_a_danish_spreadsheet_reads(server):
    url = server.url + "view/explorer?case=herning&lang=da"
    _status, _headers, body = fetch(url)
    found = re.search(r"""class='download-csv' href='([^']+)'""", body.decode("utf-8"))
    assert found, "no table download in the view"
    status, headers, data = fetch(urljoin(url, html.unescape(found.group(1))))
    assert status == 200
    assert headers["Content-Disposition"].startswith("attachment")
    assert headers["Content-Type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    numeric = table.select_dtypes("number").columns
    assert len(numeric) >= len(table.columns) - 1  # all but the notes column are numbers
    yearly = explorer.evaluate(explorer.load_case("herning")).yearly  # the view's scenario
    assert table.iloc[:, 0].tolist() == yearly["calendar_year"].tolist()
    for key in ("cost", "savings", "net", "cumulative_net"):  # to the krone
        assert any((table[c] - yearly[key]).abs().max() <= 0.5 for c in numeric), key


# -- the embed form in an article at a column's width ---------------------------------------------
@pytest.fixture(scope="module")
def host():
    """Another site (another host and port) serving the articles a test puts there."""
    documents: dict[str, bytes] = {}

    class Host(BaseHTTPRequestHandler):
        def do_GET(self):
            document = documents.get(self.path)
            self.send_response(200 if document else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(document or b"")))
            self.end_headers()
            self.wfile.write(document or b"")

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()

    def put(path: str, document: str) -> str:
        documents[path] = document.encode()
        return f"http://localhost:{site.server_port}{path}"

    yield put
    site.shutdown()
    site.server_close()


def share_snippet(server, name: str, query: str) -> str:
    """The embed code a view's Share box offers."""
    _status, _headers, body = fetch(server.url + f"view/{name}?{query}")
    found = re.search(r"data-embed>(.*?)</textarea>", body.decode(), re.S)
    assert found is not None, body[:500]
    return html.unescape(found.group(1))


CHART_IN_FRAME = """() => {
  const svg = [...document.querySelectorAll('figure.chart svg')]
    .find((s) => s.getBoundingClientRect().width > 0);
  const box = svg.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, inner: window.innerHeight,
          content: document.documentElement.getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("width", [700, 350])
@pytest.mark.parametrize("name", ["explorer", "who_pays", "how_sure"])
def test_an_article_embeds_the_share_snippet_its_chart_shows_and_its_links_leave(
    browser, server, host, name, width
):
    """Regression: the embed framed the whole view at height 900, so a 700 px column showed the
    first chart only 1,050 px down (1,721 px at 350 px), below the frame's edge."""
    snippet = share_snippet(server, name, "case=aabenraa&caseload_after=25&lang=da")
    assert "embed=1" in snippet and addresses.EMBED_SCRIPT in snippet
    bare = re.sub(r"\s*<script[^>]*></script>", "", snippet)  # a host that runs no script
    column = f"<div style='width:{width}px'>{{}}</div>"
    head = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>News</title>"
    body = "</head><body style='margin:8px'><h1>Did caseworkers pay?</h1>{}<p>More.</p></body>"
    scripted = host(f"/{name}-{width}", head + body.format(column.format(snippet)))
    plain = host(f"/{name}-{width}-plain", head + body.format(column.format(bare)))
    viewport = DESKTOP if width == 700 else PHONE
    context = browser.new_context(viewport=viewport)
    try:
        reader = context.new_page()
        reader.goto(plain, timeout=60_000)
        expect(reader.frame_locator("iframe").locator("figure.chart svg").first).to_be_attached(
            timeout=30_000
        )
        frame = reader.frames[1]
        shown = frame.evaluate(CHART_IN_FRAME)
        # the snippet's own height shows the whole chart without scrolling inside the frame
        assert shown["inner"] == EMBED_HEIGHT
        assert shown["top"] > 0 and shown["bottom"] <= shown["inner"], shown
        reader.screenshot(path=str(ARTIFACTS / f"embed-{name}-{width}-plain.png"), full_page=True)

        reader.goto(scripted, timeout=60_000)
        expect(reader.frame_locator("iframe").locator("figure.chart svg").first).to_be_attached(
            timeout=30_000
        )
        frame = reader.frames[1]
        # embed.js fits the frame to its content: no scroll bar inside the article. The content
        # is measured afresh each time, as it may still settle (fonts, the frame's own resize).
        deadline, fitted = time.monotonic() + 20, None
        while time.monotonic() < deadline:
            content = frame.evaluate(CHART_IN_FRAME)["content"]
            fitted = reader.evaluate("() => document.querySelector('iframe').clientHeight")
            if abs(fitted - content) <= 2:
                break
            time.sleep(0.2)
        assert abs(fitted - content) <= 2, (fitted, content)
        frame_box = reader.locator("iframe").bounding_box()
        assert frame_box is not None and frame_box["width"] == width
        reader.screenshot(path=str(ARTIFACTS / f"embed-{name}-{width}.png"), full_page=True)
        links = frame.evaluate(
            "() => [...document.querySelectorAll('a')].map((a) => a.target"
            " || (document.querySelector('base') || {}).target)"
        )
        assert links and set(links) == {"_blank"}
        with context.expect_page() as opened:
            reader.frame_locator("iframe").locator("a.embed-full").click()
        whole = opened.value
        whole.wait_for_load_state()
        assert f"/view/{name}?" in whole.url and "embed" not in whole.url
        assert reader.url == scripted  # the article stays where it was
    finally:
        context.close()
    status, headers, _body = fetch(server.url + addresses.EMBED_SCRIPT)
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    _status, headers, _body = fetch(server.url + f"view/{name}?case=herning&lang=da&embed=1")
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == f"'sha256-{readview.EMBED_SCRIPT_HASH}'"
    assert policy["frame-ancestors"] == "*"


# -- a baked site on a static host ----------------------------------------------------------------
#: Every address a document names: its links and sources, Share's link and its embed snippet's,
#: and the chart runtime its caseload lever loads.
LINKS = """() => [
  ...[...document.querySelectorAll('[href]')].map((e) => e.href),
  ...[...document.querySelectorAll('[src]')].map((e) => e.src),
  ...[...document.querySelectorAll('[data-share]')].map((e) => e.value),
  ...[...document.querySelectorAll('[data-embed]')].flatMap(
    (e) => [...e.value.matchAll(/src="([^"]+)"/g)].map((m) => m[1])),
  ...[...document.querySelectorAll('#lever-data')].map(
    (e) => new URL(JSON.parse(e.textContent).runtime, location.href).href),
]"""


def test_a_baked_site_on_a_static_server_has_no_dead_link(browser, tmp_path):
    """Issue 26, section 2: a baked site put on a plain static host (``python -m http.server``
    at the base URL, no launcher) links only to files it has: from its front page, through a
    view and its Share box to the shared view and the embed, every link answers 200 and none
    leads to a launcher's live page."""
    from explorer.ui.views import bake

    port = free_port()
    base = f"http://127.0.0.1:{port}/read/"
    bake.bake(tmp_path / "read", base, ("index", "explorer", "who_pays"), cases=("herning",))
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    static = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    context = browser.new_context(viewport=DESKTOP)
    try:
        wait_for(base + addresses.BAKED_INDEX, static)
        tab = context.new_page()
        found: dict[str, str] = {}  # each address, and the page it was found on

        def visit() -> None:
            expect(tab.locator("body")).to_be_visible()
            for url in tab.evaluate(LINKS):
                found.setdefault(url.split("#")[0], tab.url)

        tab.goto(base + addresses.BAKED_INDEX)
        visit()
        tab.locator("a[href$='/explorer.html']").first.click()
        tab.wait_for_url(re.compile(r"/explorer\.html$"))
        visit()
        share = tab.locator(".read-share [data-share]")
        share.scroll_into_view_if_needed()
        share.click()
        shared = share.input_value()
        embed = re.search(r'<iframe src="([^"]+)"', tab.locator("[data-embed]").input_value())
        assert shared.startswith(base) and embed and embed.group(1).startswith(base)
        assert any(url.endswith(".csv") for url in found)  # the view's downloads are links
        for url in (shared, embed.group(1)):
            tab.goto(url)
            visit()
        ours = {url: on for url, on in found.items() if url.startswith(base)}
        elsewhere = [url for url in found if not url.startswith(base)]
        assert not [url for url in found if "/voila/" in url or "/view/" in url]
        assert all(urlparse(url).hostname not in ("127.0.0.1", "localhost") for url in elsewhere)
        dead = {}
        for url, on in ours.items():
            status = context.request.get(url).status
            if status != 200:
                dead[url] = (status, on)
        assert any("/static/vega-runtime-" in url for url in ours)
        assert len(ours) > 15 and not dead, dead
    finally:
        context.close()
        static.terminate()
        static.wait(timeout=10)
