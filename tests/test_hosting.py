"""Hosting that trusts no client: the address a read view names, oversized headers, the render
queue (issue 26, section 6).

One launcher (``python -m explorer.serving``, no kernels) with a trusted proxy at 127.0.0.2, one
more allowed host name, one render worker and a render queue of two. Requests from other
clients use other loopback source addresses, still sent to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import html
import http.client
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from servers import Voila
from tornado.httputil import HTTPHeaders, HTTPServerRequest

from explorer import serving
from explorer.ui.views import errors, readview

PROXY = "127.0.0.2"
ALLOWED = "explorer.example.org"
EVIL = "evil.example"
LINK = ("explorer", "case=aabenraa&caseload_after=25&lang=en")
CSV = re.compile(r"explorer/file/([\w.-]+\.csv)\?")
#: Every way a client may try to name the site.
FORGED = (
    {"Host": EVIL},
    {"Host": f"{EVIL}:8080", "X-Forwarded-Proto": "https"},
    {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"},
    {"X-Forwarded-Host": f"{ALLOWED}, {EVIL}", "X-Forwarded-Proto": "javascript"},
)


def request(
    port: int, path: str, headers: dict[str, str] | None = None, source: str = "127.0.0.1"
) -> tuple[int, http.client.HTTPMessage, str]:
    """A GET to 127.0.0.1:port from a loopback source address: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.headers, answer.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def launcher():
    server = Voila(
        "hosting",
        launcher="explorer.serving",
        warm=False,
        args=(
            "--preheat_kernel=False",
            f"--trusted_proxies={PROXY}",
            f"--allowed_hosts={ALLOWED}",
            "--render_workers=1",
            "--render_queue=2",
        ),
    )
    yield server
    server.stop()


def view_path(name: str, query: str) -> str:
    return f"/view/{name}?{query}"


def csv_path(port: int, name: str, query: str) -> str:
    status, _, body = request(port, view_path(name, query))
    found = CSV.search(body)
    assert status == 200 and found, body[:500]
    return f"/view/{name}/file/{found.group(1)}?{query}"


def answers(port: int, headers: dict[str, str], source: str = "127.0.0.1") -> list[str]:
    """The view, its embed form and its CSV, as one client asks for them."""
    bodies = []
    for path in (
        view_path(*LINK),
        view_path(LINK[0], f"{LINK[1]}&embed=1"),
        csv_path(port, *LINK),
    ):
        status, _, body = request(port, path, headers, source)
        assert status == 200, (path, status)
        bodies.append(html.unescape(body))
    return bodies


@pytest.mark.parametrize("headers", FORGED)
def test_a_client_cannot_name_the_site(launcher, headers):
    public = f"http://127.0.0.1:{launcher.port}/view/explorer?"
    for body in answers(launcher.port, headers):
        assert EVIL not in body
        assert ALLOWED not in body
        assert public in body


@pytest.mark.parametrize("headers", FORGED[2:])
def test_a_trusted_proxy_cannot_name_a_host_that_is_not_allowed(launcher, headers):
    headers = {**headers, "X-Forwarded-Host": EVIL}
    for body in answers(launcher.port, headers, PROXY):
        assert EVIL not in body
        assert f"http://127.0.0.1:{launcher.port}/view/explorer?" in body


def test_a_trusted_proxy_names_an_allowed_host_and_its_scheme(launcher):
    headers = {"X-Forwarded-Host": ALLOWED, "X-Forwarded-Proto": "https"}
    for body in answers(launcher.port, headers, PROXY):
        assert f"https://{ALLOWED}/view/explorer?" in body
        assert f"127.0.0.1:{launcher.port}" not in body


def test_an_allowed_host_is_named_without_a_proxy_but_its_forwarded_scheme_is_not(launcher):
    for body in answers(launcher.port, {"Host": ALLOWED, "X-Forwarded-Proto": "https"}):
        assert f"http://{ALLOWED}/view/explorer?" in body
        assert f"https://{ALLOWED}" not in body


@pytest.mark.parametrize("name", ["Host", "X-Padding"])
def test_an_oversized_header_gets_431(launcher, name):
    status, headers, body = request(launcher.port, view_path(*LINK), {name: "x" * 40_000})
    assert status == 431
    assert headers["Cache-Control"] == "no-store"
    assert "Forespørgslens felter er for store" in body
    assert "The request's header fields are too large" in body


def test_a_full_render_queue_answers_503_while_cached_answers_go_on(launcher):
    """Eight new scenarios at once against a queue of two: some are refused with 503 and
    Retry-After; while the rest render, the cached view and CSV are answered."""
    port = launcher.port
    cached_csv = csv_path(port, *LINK)
    assert request(port, cached_csv)[0] == 200
    order: list[tuple[str, int]] = []
    lock = threading.Lock()
    refused: list[tuple[http.client.HTTPMessage, str]] = []

    def new_scenario(i: int) -> None:
        status, headers, body = request(
            port, view_path("explorer", f"case=herning&caseload_after={20 + i / 100:.2f}&lang=da")
        )
        with lock:
            order.append(("new", status))
            if status == 503:
                refused.append((headers, body))

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(new_scenario, i) for i in range(8)]
        while not refused and not all(f.done() for f in futures):
            time.sleep(0.01)  # until the queue has refused one: it is full
        assert refused, f"no 503 with the queue full: {order}"
        for path in (cached_csv, view_path(*LINK)):
            status = request(port, path)[0]
            with lock:
                order.append(("cached", status))
        for f in futures:
            f.result()
    headers, body = refused[0]
    assert headers["Retry-After"] == str(errors.RETRY_AFTER)
    assert headers["Cache-Control"] == "no-store"
    assert "Siden er optaget lige nu" in body and "The site is busy right now" in body
    assert f"content='{errors.RETRY_AFTER}'" in body  # the page tries again by itself
    rendered = [i for i, (kind, status) in enumerate(order) if kind == "new" and status == 200]
    cached = [i for i, (kind, _) in enumerate(order) if kind == "cached"]
    assert [order[i][1] for i in cached] == [200, 200]
    # The cached answers came while renders that had been queued before them still ran.
    assert rendered and max(cached) < max(rendered), order


# --- the rules, without a server ------------------------------------------------------------


def origin(hosting: serving.Hosting, headers: dict[str, str], client: str = "203.0.113.5"):
    request = HTTPServerRequest(method="GET", uri="/view/index", headers=HTTPHeaders(headers))
    request.remote_ip = client
    return hosting.origin(request)


def test_the_public_address_is_named_unless_an_allowed_host_asks():
    hosting = serving.Hosting("https://news.dk", "b.news.dk, c.news.dk:8080", "10.0.0.0/8 ::1")
    assert origin(hosting, {"Host": EVIL}) == "https://news.dk"
    assert origin(hosting, {}) == "https://news.dk"
    assert origin(hosting, {"Host": "NEWS.dk"}) == "https://news.dk"
    assert origin(hosting, {"Host": "c.news.dk:8080"}) == "http://c.news.dk:8080"
    assert origin(hosting, {"Host": "c.news.dk"}) == "https://news.dk"  # another port
    forwarded = {"Host": "internal", "X-Forwarded-Host": "b.news.dk", "X-Forwarded-Proto": "https"}
    assert origin(hosting, forwarded) == "https://news.dk"  # not from a proxy
    assert origin(hosting, forwarded, "10.1.2.3") == "https://b.news.dk"
    assert origin(hosting, forwarded, "::ffff:10.1.2.3") == "https://b.news.dk"
    assert origin(hosting, forwarded, "::1") == "https://b.news.dk"
    assert origin(hosting, {**forwarded, "X-Forwarded-Host": EVIL}, "10.1.2.3") == "https://news.dk"


def test_the_launcher_names_its_own_address_by_default():
    assert serving.listen_origin("127.0.0.1", 8866) == "http://127.0.0.1:8866"
    assert serving.listen_origin("0.0.0.0", 8866) == "http://localhost:8866"
    assert serving.listen_origin("::1", 8866) == "http://[::1]:8866"
    port = [8866]
    hosting = serving.Hosting(lambda: serving.listen_origin("localhost", port[0]))
    port[0] = 8867  # the port is known once the server listens
    assert origin(hosting, {"Host": EVIL}) == "http://localhost:8867"


@pytest.mark.parametrize(
    "url", ["explorer.example.org", "https://explorer.example.org/explorer/", "ftp://x", "https://"]
)
def test_a_public_address_with_a_path_or_no_scheme_is_refused(url):
    with pytest.raises(ValueError, match=r"--public_url \(EXPLORER_PUBLIC_URL\) must be"):
        serving.public_origin(url)


def test_a_trusted_proxy_that_is_no_address_is_refused():
    with pytest.raises(ValueError, match=r"--trusted_proxies \(EXPLORER_TRUSTED_PROXIES\)"):
        serving.Hosting("http://a", "", "proxy.local")


def test_oversized_headers():
    assert not serving.oversized(HTTPHeaders({"Host": "a" * 100, "Cookie": "b" * 8000}))
    assert serving.oversized(HTTPHeaders({"Host": "a" * (serving.MAX_FIELD + 1)}))
    many = HTTPHeaders({f"X-{i}": "b" * 4000 for i in range(9)})
    assert serving.oversized(many)


# --- what a client asks for: compression, many parameters, unknown files -----------------


@pytest.mark.parametrize("accept", ["gzip;q=0", "identity", "*;q=0", "br, gzip;q=0, *"])
def test_a_client_that_refuses_gzip_gets_the_view_uncompressed(launcher, accept):
    """Regression: any Accept-Encoding that named gzip got gzip, ``gzip;q=0`` too."""
    status, headers, body = request(launcher.port, view_path(*LINK), {"Accept-Encoding": accept})
    assert status == 200 and "Content-Encoding" not in headers
    assert body.startswith("<!DOCTYPE html>")
    packed = request(launcher.port, view_path(*LINK), {"Accept-Encoding": "gzip;q=0.5"})[1]
    assert packed["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_query_of_too_many_parameters_gets_the_error_page_naming_the_limit(launcher, lang):
    """Regression: 1,001 parameters got tornado's empty 400 before any handler ran."""
    fields = "&".join(f"p{i}=1" for i in range(serving.MAX_QUERY_FIELDS))
    status, headers, body = request(launcher.port, f"/view/explorer?lang={lang}&{fields}")
    assert status == 400 and headers["Cache-Control"] == "no-store"
    assert f"<html lang='{lang}'>" in body
    first = body.index("<p lang=")
    assert body[first:].startswith(f"<p lang='{lang}'>")  # the reader's language first
    assert "Højst 1.000 parametre" in body and "At most 1,000 parameters" in body
    fewer = "&".join(f"p{i}=1" for i in range(serving.MAX_QUERY_FIELDS - 2))
    assert request(launcher.port, f"/view/index?lang={lang}&{fewer}")[0] == 200


@pytest.mark.parametrize("name", ["..", ".env", "x.csv", "aabenraa-table.csv.bak"])
def test_an_unknown_file_gets_its_404_without_a_render(launcher, name):
    """Regression: ``view/explorer/file/..`` rendered the whole view before its 404."""
    status, _, body = request(launcher.port, f"/view/explorer/file/{name}?{LINK[1]}")
    assert status == 404 and "The page does not exist" in body
    views = serving.ReadViews("/", workers=1)
    query = readview.canonical(*LINK)[0]
    # on a loop of its own: in a whole run, this thread may already run one (the browser tests')
    with ThreadPoolExecutor(1) as apart:
        downloading = views.download("explorer", query, name, "http://127.0.0.1")
        found = apart.submit(asyncio.run, downloading).result()
    assert found is None and views.rendered == 0 and views.pool is None  # no worker started


def test_accept_encoding_weights():
    takes = ["gzip", "GZIP;Q=0.5", "deflate, gzip;q=0.001", "*", "br;q=1, *;q=0.1", "x-gzip"]
    refuses = ["", "identity", "gzip;q=0", "gzip; q=0.000", "*;q=0", "gzip;q=0, *", "gzip;q=2"]
    assert all(serving.accepts_gzip(h) for h in takes)
    assert not any(serving.accepts_gzip(h) for h in [*refuses, "gzip;q=nan", "gzip;q=x"])


@pytest.mark.parametrize(
    "path, target",
    [
        ("/", "/voila/render/index.ipynb"),
        ("/?lang=en", "/voila/render/index.ipynb?lang=en"),
        ("/voila/tree", "/voila/render/index.ipynb"),
        ("/voila/tree/notebooks", "/voila/render/index.ipynb"),
    ],
)
def test_the_root_and_voilas_file_list_lead_to_the_front_page(launcher, path, target):
    """Regression: the site's bare address showed Voilà's list of notebooks, in English."""
    status, headers, _ = request(launcher.port, path)
    assert status == 302 and headers["Location"] == target
