"""The app as a host serves it: preheated pages that honour the link, readers who stay connected,
a lost connection that says so, a phone layout, a kernel ceiling, and what hostile clients get."""

import asyncio
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import HOSTILE_LINKS, PHONE, charts_drawn, rendered
from playwright.sync_api import Page, expect
from servers import PAGES, Voila
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def fetch(url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def kernel_id(html: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html)
    assert found is not None, "no kernel id in the page"
    return found.group(1)


@pytest.fixture(scope="module")
def strict():
    """A second server that culls after 10 idle seconds and holds at most 3 kernels, without
    preheating, to show culling and the ceiling quickly."""
    server = Voila(
        "voila-strict",
        launcher="explorer.serving",
        warm=False,
        args=(
            "--preheat_kernel=False",
            "--MappingKernelManager.cull_idle_timeout=10",
            "--MappingKernelManager.cull_interval=1",
            "--CappedKernelManager.max_kernels=3",
        ),
    )
    yield server
    server.stop()


def test_a_shared_link_is_served_by_a_preheated_kernel(open_page, server):
    page = open_page("how_it_works", "case=aabenraa&lang=en")
    expect(page.locator(".case-picker select")).to_have_value("aabenraa")
    expect(page.locator("h1")).to_contain_text("How the model works")
    assert "Using pre-heated kernel" in server.log()
    assert "case=aabenraa" in page.url and "lang=en" in page.url


def test_the_vega_runtime_comes_once_as_a_cached_file_not_over_the_websocket(page, server):
    frames, fetched = [], []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(len(data))))
    page.on("request", lambda r: fetched.append(r.url) if "/vega-runtime-" in r.url else None)
    with page.expect_response(lambda r: "/explorer/static/vega-runtime-" in r.url) as answer:
        page.goto(server.page("explorer", "lang=en"), timeout=90_000)
    rendered(page)
    charts_drawn(page)
    runtime = answer.value
    assert len(fetched) == 1  # preloaded by the page's head, then imported from there
    assert page.locator("link[rel=modulepreload][href*='/vega-runtime-']").count() == 1
    assert runtime.status == 200 and "javascript" in runtime.headers["content-type"]
    assert "immutable" in runtime.headers["cache-control"]
    assert runtime.headers.get("content-encoding") == "gzip"
    assert sum(frames) < 600_000, f"{sum(frames)} websocket bytes for one page"
    name = runtime.url.rsplit("/", 1)[1]
    assert fetch(server.url + "explorer/static/vega-runtime-0123456789abcdef.js")[0] == 404
    assert fetch(server.url + "explorer/static/" + name)[0] == 200


def test_a_lever_move_redraws_a_chart_in_place(open_page):
    page = open_page("explorer", "lang=en")
    charts_drawn(page)
    svg = page.locator(".chart-cumulative svg").first
    svg.evaluate("el => { el.dataset.before = 'yes'; }")
    labels = "el => Array.from(el.querySelectorAll('[aria-label]')).map(e => e.ariaLabel).join()"
    before = svg.evaluate(labels)
    slider = page.locator(".lever-caseload-after input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "([before]) => { const el = document.querySelector('.chart-cumulative svg');"
        " return Array.from(el.querySelectorAll('[aria-label]')).map(e => e.ariaLabel).join()"
        " !== before; }",
        arg=[before],
    )
    assert page.locator(".chart-cumulative svg[data-before=yes]").count() == 1


def test_a_reader_who_idles_past_the_cull_time_still_recomputes(strict, page):
    page.goto(strict.page("how_it_works", "lang=en"), timeout=90_000)
    rendered(page)
    before = page.locator(".chain").inner_text()
    page.wait_for_timeout(22_000)  # more than twice the idle timeout, connected
    field = page.locator(".lever-caseload-after input.lever-value")
    field.fill("16")
    field.press("Enter")
    expect(page.locator(".chain")).not_to_have_text(before)
    expect(page.locator(".connection-lost")).to_be_hidden()


def alive(server, kid: str) -> bool:
    return any(kid in " ".join(p.cmdline()) for p in server.kernels())


def room(server, most: int = 3) -> None:
    """Wait until the earlier tests' kernels have been culled below the ceiling."""
    deadline = time.monotonic() + 40
    while len(server.kernels()) >= most and time.monotonic() < deadline:
        time.sleep(0.5)


def test_a_kernel_whose_page_never_connects_is_shut_down(strict):
    room(strict)
    status, html = fetch(strict.page("index"))  # a plain GET: no websocket ever opens
    assert status == 200
    kid = kernel_id(html)
    assert alive(strict, kid)
    deadline = time.monotonic() + 30
    while alive(strict, kid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not alive(strict, kid)


def test_over_the_kernel_ceiling_a_reader_gets_a_busy_page_that_retries(strict, context):
    readers: list[Page] = []
    # Connected readers hold kernels. On a busy machine a kernel shows up late, so wait for the
    # state itself (the ceiling reached), opening readers up to a bound, rather than for a time.
    deadline = time.monotonic() + 120
    while len(strict.kernels()) < 3 and time.monotonic() < deadline:
        if len(readers) < 5:
            reader = context.new_page()
            reader.goto(strict.page("index"), timeout=90_000)
            rendered(reader)
            readers.append(reader)
        else:
            time.sleep(0.5)
    assert len(strict.kernels()) == 3
    _status, html = fetch(strict.page("index"))
    assert "Siden er optaget" in html and "The site is busy" in html
    assert re.search(r"http-equiv=['\"]refresh['\"]", html) and "Traceback" not in html
    for reader in readers:
        reader.close()


def test_a_lost_kernel_says_so_in_the_page_language_with_a_reload_that_keeps_the_link(
    open_page, server
):
    page = open_page("how_it_works", "case=hjoerring&caseload_after=40")
    kid = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    victim = next(p for p in server.kernels() if kid in " ".join(p.cmdline()))
    victim.kill()
    lost = page.locator(".connection-lost")
    expect(lost).to_be_visible(timeout=20_000)
    expect(lost).to_contain_text("Forbindelsen til beregningen er tabt")
    href = lost.locator("a.reload").get_attribute("href")
    assert "case=hjoerring" in href and "caseload_after=40" in href


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_at_phone_width_nothing_scrolls_sideways_and_charts_fit(open_page, name, lang):
    page = open_page(name, f"lang={lang}", viewport=PHONE)
    charts_drawn(page)
    # Everything ends inside the screen, but for wide tables and the menu's links, which scroll
    # in their own box (that box ends inside the screen).
    width = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, "
        "...Array.from(document.querySelectorAll('.app, .app *'))"
        ".filter(e => !e.parentElement.closest('.table-wrap, .site-nav ul'))"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert width <= PHONE["width"] + 1, width
    for chart in page.locator(".chart").all():
        box = chart.bounding_box()
        svg = chart.locator("svg").first.bounding_box()
        assert svg["width"] <= box["width"] + 1 and svg["x"] + svg["width"] <= PHONE["width"] + 1


def channel(kind: str, content: dict) -> str:
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": kind,
                "username": "",
                "session": uuid.uuid4().hex,
                "date": "",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def talk(url: str, messages: list[str], seconds: float = 6) -> list[str]:
    ws = await websocket_connect(HTTPRequest(url))
    for message in messages:
        await ws.write_message(message)
    got, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            m = await asyncio.wait_for(ws.read_message(), 1)
        except TimeoutError:
            continue
        if m is None:
            break
        got.append(m if isinstance(m, str) else m.decode("latin-1"))
    ws.close()
    return got


def run_async(coroutine):
    """Run a coroutine on its own loop in a thread (Playwright holds this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_browser_cannot_run_code_or_see_tracebacks(server, tmp_path):
    _status, html = fetch(server.page("index"))
    kid = kernel_id(html)
    ws = f"ws://127.0.0.1:{server.port}/api/kernels/{kid}/channels?session_id={uuid.uuid4().hex}"
    marker = tmp_path / "ran"
    got = run_async(
        talk(
            ws,
            [
                channel(
                    "execute_request",
                    {
                        "code": f"open({str(marker)!r}, 'w').write('x')",
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                    },
                ),
                channel("comm_info_request", {}),
            ],
        )
    )
    assert not marker.exists()
    assert not any("execute_reply" in m for m in got)
    comms = json.loads(next(m for m in got if "comm_info_reply" in m))["content"]["comms"]
    hostile = []
    for cid in list(comms)[:30]:
        hostile += [
            channel(
                "comm_msg",
                {
                    "comm_id": cid,
                    "data": {
                        "method": "update",
                        "state": {"value": "x", "typed": 7, "options": 3, "spec": [1]},
                        "buffer_paths": [],
                    },
                },
            ),
            channel("comm_msg", {"comm_id": cid, "data": "garbage"}),
        ]
    got = run_async(talk(ws, hostile))
    assert got, "the kernel answered nothing"
    assert not [
        m
        for m in got
        if "Traceback" in m or "site-packages" in m or "/work/" in m or '"msg_type": "error"' in m
    ]


def test_a_reader_who_leaves_frees_the_kernel_at_once(server, page):
    page.goto(server.page("index", "lang=en"), timeout=90_000)
    rendered(page)
    kid = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    assert alive(server, kid)
    page.goto("about:blank")  # the page's unload asks the server, with its XSRF cookie
    deadline = time.monotonic() + 10  # well before the idle cull (60 s)
    while alive(server, kid) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not alive(server, kid)
    assert "_xsrf' argument missing" not in server.log()


def test_another_site_cannot_shut_down_a_readers_kernel(server):
    status, html = fetch(server.page("index"))
    kid = kernel_id(html)
    evil = {"Origin": "http://evil.example"}
    for method, path in (("POST", f"voila/api/shutdown/{kid}"), ("DELETE", f"api/kernels/{kid}")):
        status, _ = fetch(server.url + path, method, evil)
        assert status in (403, 404, 405), (method, status)  # jupyter_server: 404 cross-origin
    assert alive(server, kid)


@pytest.mark.parametrize(
    "query",
    HOSTILE_LINKS,
)
def test_hostile_link_values_render_with_a_notice(open_page, query):
    page = open_page("explorer", query)
    expect(page.locator(".notice")).to_be_visible()
    assert page.evaluate("() => !document.querySelector('script[src*=alert], .notice script')")


@pytest.mark.parametrize(
    "path, status",
    [
        ("voila/render/explorer%00.ipynb", 404),
        ("logout", 404),
        ("voila/templates/explorer/static/", 404),
        ("nowhere", 404),
        ("voila/render/explorer.ipynb?x=" + "a" * 70_000, 414),
    ],
)
def test_odd_requests_get_a_plain_error_page(server, path, status):
    got, html = fetch(server.url + path)
    assert got == status
    assert "<html" in html and "Traceback" not in html and 'File "' not in html
