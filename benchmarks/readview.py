"""python -m benchmarks.readview: the read views (``view/<page>?<query>``) against the live page.

One server as deployed (``python -m explorer.serving notebooks`` from the repository root with its
voila.json: preheated kernel pools, the kernel ceiling), warmed up, then in one run:

1. time to first byte of a cached read view (the shared links, one connection at a time) and of
   an uncached one (each a different scenario: other caseloads, and one link per page);
2. in Chromium (fresh context per view): navigation to the load event of a cached read view
   against the live page (``voila/render/explorer.ipynb?...``) until its KPIs are visible;
3. 300 look-only readers at once over HTTP (raw sockets, gzip accepted), each fetching one of a
   few shared links: failures, latency, the server's kernels (none may start) and its memory;
4. 50 Chromium pages (one browser, 50 contexts) opening read views at once;
5. readers per core per hour of look-only traffic: the server's CPU seconds (the server process
   and its kernels, ended ones included) per cached view over the burst of part 3, and per live
   page view in Chromium (the kernel's start as a pool refill, the notebook, the render and the
   kernel's shutdown) for the comparison. The idle CPU of the server and its pooled kernels,
   measured before, is subtracted from both;
6. a cached CSV and view fetched one after another while ``--renders`` readers at once ask for
   scenarios no one asked for before (``--renders-only`` runs just this and 7, without kernels);
7. ``--readers`` readers arriving at once on 12 new links (links no one asked for before, four
   pages by three cases): latency and answers, each link rendered once while its readers wait.

The HTTP clients and Chromium run on the same machine as the server and compete with it for its
cores. Prints a Markdown table; the figures go to test-artifacts/benchmark-readview.json.
Repeat: ``.venv/bin/python -m benchmarks.readview`` (2-4 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import http.client
import json
import os
import platform
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import asdict
from datetime import date

import psutil
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from benchmarks.pages import (
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    VIEWPORT,
    Row,
    Server,
    chromium_path,
    percentile,
    safe_rss,
    serving,
)

COMMAND = ".venv/bin/python -m benchmarks.readview"
OUTPUT = ROOT / "test-artifacts" / "benchmark-readview.json"
MB = 2**20
#: The links a burst of readers shares (an article's link, a post's, the landing page).
SHARED = (
    ("explorer", "case=aabenraa&caseload_after=25&lang=en"),
    ("who_pays", "case=herning&lang=da"),
    ("how_sure", "case=hjoerring&lang=en"),
    ("index", "lang=da"),
)
LIVE = ("explorer", "case=aabenraa&caseload_after=25&lang=en")
#: The live page is ready for a reader who looks: its KPIs are visible, the spinner gone.
KPIS_VISIBLE = """() => {
  const box = document.querySelector('.kpis');
  if (!box || document.querySelector('#loading') || !box.textContent.trim()) return false;
  const rect = box.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return false;
  return getComputedStyle(box).visibility !== 'hidden' ? performance.now() : false;
}"""
#: Set during the run: idle CPU seconds per second of the server and its pooled kernels
#: (subtracted from every CPU figure), and the live page's CPU seconds per view.
IDLE = [0.0]
LIVE_CPU = [0.0]
LOAD_EVENT = """() => {
  const entry = performance.getEntriesByType('navigation')[0];
  return entry && entry.loadEventEnd > 0 ? entry.loadEventEnd : false;
}"""


def below(measure: str, value: float | None, unit: str, limit: float, note: str = "") -> Row:
    goal = f"< {limit:g} {unit}".strip()
    return Row(measure, value, unit, goal, None if value is None else value < limit, note)


def view_path(server: Server, name: str, query: str) -> str:
    return f"{server.base_url}view/{name}?{query}"


# -- HTTP, one request at a time ---------------------------------------------------------------
def get(
    server: Server, path: str, headers: dict[str, str] | None = None, timeout: float = 60
) -> tuple[float, int, http.client.HTTPMessage, int]:
    """Seconds to the first byte of the answer (status line and headers read), the status, the
    headers, and the body's size as sent (gzipped); the body is read in full."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        answer = connection.getresponse()
        first = time.perf_counter() - start
        size = len(answer.read())
        return first, answer.status, answer.headers, size
    finally:
        connection.close()


def measure_first_byte(server: Server, cached_requests: int, uncached: int) -> list[Row]:
    sizes = {}  # the first reader of each link renders it
    for name, query in SHARED:
        sizes[name] = get(server, view_path(server, name, query))[3]
    times, statuses = [], set()
    for i in range(cached_requests):
        name, query = SHARED[i % len(SHARED)]
        first, status, headers, _ = get(server, view_path(server, name, query))
        times.append(first)
        statuses.add(status)
    etag = headers.get("ETag", "")
    again = get(server, view_path(server, *SHARED[-1]), {"If-None-Match": etag})[1] if etag else 0
    rows = [
        below(
            "first byte, cached view: median",
            statistics.median(times) * 1e3,
            "ms",
            50,
            f"{cached_requests} requests over {len(SHARED)} links, one at a time; "
            f"status {sorted(statuses)}",
        ),
        below("first byte, cached view: p95", percentile(times, 0.95) * 1e3, "ms", 50),
        Row(
            "size of a view as sent (gzip)",
            statistics.median(sizes.values()) / 1024,
            "kB",
            note="median; " + ", ".join(f"{n} {b / 1024:.0f}" for n, b in sizes.items()),
        ),
        Row(
            "same link with its ETag",
            again,
            "",
            "304",
            again == 304,
            f"Cache-Control: {headers.get('Cache-Control')}; "
            f"Content-Encoding: {headers.get('Content-Encoding')}",
        ),
    ]
    # Uncached: every request a scenario no one asked for before (caseloads 30.5, 31.5, ...).
    cpu_before, start = server.cpu_seconds(), time.monotonic()
    fresh = []
    for i in range(uncached):
        query = f"case=herning&caseload_after={30.5 + i}&lang={'en' if i % 2 else 'da'}"
        fresh.append(get(server, view_path(server, "explorer", query))[0])
    cpu = (server.cpu_seconds() - cpu_before - IDLE[0] * (time.monotonic() - start)) / uncached
    rows += [
        below(
            "first byte, uncached view (explorer): median",
            statistics.median(fresh) * 1e3,
            "ms",
            1000,
            f"{uncached} caseloads, one at a time",
        ),
        below("first byte, uncached view (explorer): max", max(fresh) * 1e3, "ms", 1000),
        Row(
            "server CPU per uncached view (explorer)",
            cpu * 1e3,
            "ms",
            note=f"{3600 / cpu:,.0f} views per core per hour if every reader's scenario differs",
        ),
    ]
    per_page = {}
    for name in PAGES:
        per_page[name] = get(server, view_path(server, name, "case=aabenraa&lang=da&cases=333"))[0]
    slowest = max(per_page, key=lambda n: per_page[n])
    rows.append(
        below(
            "first byte, uncached view: slowest page",
            per_page[slowest] * 1e3,
            "ms",
            1000,
            f"{slowest}; "
            + ", ".join(f"{n} {s * 1e3:.0f}" for n, s in per_page.items() if n != slowest),
        )
    )
    return rows


# -- a cached file while new scenarios render -------------------------------------------------
#: A link whose view and CSV are cached before the renders start.
CACHED = ("explorer", "case=aabenraa&caseload_after=25&lang=da")
#: The cached download read while the renders run: the view's table.
#: Seconds a request may wait while the renders run (one render thread took minutes on a loaded
#: machine).
LONG = 600
#: Seconds between two cached requests: a reader, not a loop that takes a core from the renders.
PACE = 0.1
CSV_LINK = re.compile(r"explorer/file/([\w.-]+\.csv)\?")


def measure_cached_during_renders(server: Server, renders: int, rounds: int) -> list[Row]:
    """``renders`` readers at once on scenarios no one asked for before (each its own caseload),
    while one reader fetches a cached CSV and the cached view again and again: how long the
    cached answers wait, against how long the renders take. ``rounds`` times; medians."""
    _, status, _, _ = get(server, view_path(server, *CACHED))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", view_path(server, *CACHED))
    page = connection.getresponse().read().decode("utf-8")
    connection.close()
    found = CSV_LINK.search(page)
    assert status == 200 and found, "the cached view has no CSV link"
    csv = f"{server.base_url}view/explorer/file/{found.group(1)}?{CACHED[1]}"
    get(server, csv)  # cached from here on
    waits: dict[str, list[float]] = {"CSV": [], "view": []}
    firsts: list[float] = []
    spans: list[float] = []
    busy: list[int] = []
    for r in range(rounds):
        queries = [
            f"case=herning&caseload_after={20 + r + i / 100:.2f}&lang=da" for i in range(renders)
        ]
        start = time.perf_counter()

        def render(query: str, start: float = start) -> tuple[int, float]:
            status = get(server, view_path(server, "explorer", query), timeout=LONG)[1]
            return status, time.perf_counter() - start

        with ThreadPoolExecutor(renders) as pool:
            answers = [pool.submit(render, q) for q in queries]
            time.sleep(0.2)  # the renders have been asked for
            round_waits: dict[str, list[float]] = {"CSV": [], "view": []}
            while not round_waits["CSV"] or not all(a.done() for a in answers):
                round_waits["CSV"].append(get(server, csv, timeout=LONG)[0])
                round_waits["view"].append(get(server, view_path(server, *CACHED), timeout=LONG)[0])
                time.sleep(PACE)
            results = [a.result() for a in answers]
        firsts.append(round_waits["CSV"][0])
        for kind, times in round_waits.items():
            waits[kind] += times
        spans.append(max(t for _, t in results))
        busy.append(sum(s == 503 for s, _ in results))
    note = f"{renders} new scenarios at once, {rounds} rounds"
    rows = [
        Row(
            "cached CSV during renders: first wait",
            statistics.median(firsts) * 1e3,
            "ms",
            note=f"median over rounds; {note}",
        )
    ]
    for kind, times in waits.items():
        rows += [
            Row(
                f"cached {kind} during renders: median",
                statistics.median(times) * 1e3,
                "ms",
                note=f"{len(times)} requests, one at a time, while the renders ran",
            ),
            Row(f"cached {kind} during renders: max", max(times) * 1e3, "ms"),
        ]
    rows.append(
        Row(
            "renders: last answer",
            statistics.median(spans),
            "s",
            note=f"median over rounds; 503 answers per round: {busy}",
        )
    )
    return rows


# -- HTTP, many readers at once ----------------------------------------------------------------
async def fetch(port: int, path: str, bound: float) -> tuple[float | None, bytes]:
    """One look-only reader: a connection of its own, the view gzipped; seconds to the whole
    answer (None on any failure) and the raw answer."""
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), bound)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: gzip\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        data = await asyncio.wait_for(reader.read(), bound - (time.perf_counter() - start))
        writer.close()
        return time.perf_counter() - start, data
    except (OSError, TimeoutError):
        return None, b""


def complete(data: bytes) -> bool:
    """A 200 with a whole gzipped HTML document."""
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        return False
    try:
        return gzip.decompress(body).rstrip().endswith(b"</html>")
    except (OSError, EOFError):
        return False


async def at_once(
    server: Server, readers: int, bound: float, links: tuple[tuple[str, str], ...] = SHARED
) -> list[tuple[float | None, bytes]]:
    paths = [view_path(server, *links[i % len(links)]) for i in range(readers)]
    return list(await asyncio.gather(*(fetch(server.port, p, bound) for p in paths)))


def new_links(seed: int) -> tuple[tuple[str, str], ...]:
    """12 links no one asked for before: four pages by three cases, each its own caseload."""
    pages = ("explorer", "who_pays", "how_sure", "how_it_works")
    cases = ("herning", "aabenraa", "hjoerring")
    return tuple(
        (page, f"case={case}&caseload_after={21 + seed + i / 100 + j / 10:.2f}&lang=da")
        for i, page in enumerate(pages)
        for j, case in enumerate(cases)
    )


def measure_new_links_burst(server: Server, readers: int, bound: float = 120) -> list[Row]:
    """``readers`` readers at once on 12 new links (issue 26's measure, then 5.7 s at the 95th
    percentile with one render thread): how long they wait while each link renders once."""
    links = new_links(int(time.time()) % 1000)
    start = time.monotonic()
    results = asyncio.run(at_once(server, readers, bound, links))
    elapsed = time.monotonic() - start
    times = [bound if t is None else t for t, _ in results]
    failed = sum(t is None or not complete(data) for t, data in results)
    busy = sum(data.startswith(b"HTTP/1.1 503") for _, data in results)
    label = f"{readers} readers at once on {len(links)} new links"
    return [
        Row(
            f"{label}: failed",
            failed,
            "",
            "0",
            failed == 0,
            f"503 answers {busy}; all done in {elapsed:.1f} s",
        ),
        Row(f"{label}: p50 latency", statistics.median(times), "s"),
        below(f"{label}: p95 latency", percentile(times, 0.95), "s", 5.7, "issue 26: 5.7 s"),
        Row(f"{label}: max latency", max(times), "s"),
    ]


def kernel_pids(server: Server) -> set[int]:
    return {k.pid for k in server.kernels()}


def measure_http_burst(server: Server, readers: int, bound: float = 60) -> tuple[list[Row], float]:
    server_process = psutil.Process(server.proc.pid)
    kernels_before, rss_before = kernel_pids(server), safe_rss(server_process) / MB
    cpu_before, start = server.cpu_seconds(), time.monotonic()
    results = asyncio.run(at_once(server, readers, bound))
    elapsed = time.monotonic() - start
    cpu = server.cpu_seconds() - cpu_before - IDLE[0] * elapsed
    time.sleep(1.0)  # a kernel started by the burst would show by now
    kernels_after, rss_after = kernel_pids(server), safe_rss(server_process) / MB
    failed = sum(t is None or not complete(data) for t, data in results)
    times = [bound if t is None else t for t, _ in results]
    per_view = cpu / readers
    started = len(kernels_after - kernels_before)
    rows = [
        Row(
            f"{readers} readers at once (HTTP): failed",
            failed,
            "",
            "0",
            failed == 0,
            f"{len(SHARED)} shared links, gzip; all done in {elapsed:.1f} s",
        ),
        Row(f"{readers} readers at once: p50 latency", statistics.median(times), "s"),
        below(f"{readers} readers at once: p95 latency", percentile(times, 0.95), "s", 5),
        Row(f"{readers} readers at once: max latency", max(times), "s"),
        Row(
            f"{readers} readers at once: kernels started",
            started,
            "",
            "0",
            started == 0 and len(kernels_after) == len(kernels_before),
            f"kernel processes {len(kernels_before)} before, {len(kernels_after)} after "
            "(the preheated pools)",
        ),
        Row(
            f"{readers} readers at once: server RSS before -> after",
            rss_after,
            "MB",
            note=f"before {rss_before:.0f} MB (the server process; its pooled kernels apart)",
        ),
        Row("server CPU per cached view", per_view * 1e3, "ms", note="over the burst"),
    ]
    return rows, per_view


# -- Chromium --------------------------------------------------------------------------------------
async def open_view(browser, url: str, bound_ms: float = 60_000) -> float:
    """Milliseconds from navigation start to the load event, in a fresh context."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        answer = await page.goto(url, wait_until="load", timeout=bound_ms)
        if answer is None or answer.status != 200:
            raise PlaywrightError(f"status {answer.status if answer else None}")
        handle = await page.wait_for_function(LOAD_EVENT, timeout=bound_ms)
        return float(await handle.json_value())
    finally:
        await context.close()


async def open_live(browser, url: str, bound_ms: float = 90_000) -> float:
    """Milliseconds from navigation start until the KPIs are visible; then the reader leaves
    (the page's unload shuts its kernel down)."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="commit", timeout=bound_ms)
        handle = await page.wait_for_function(KPIS_VISIBLE, timeout=bound_ms, polling="raf")
        seconds = float(await handle.json_value())
        with suppress(PlaywrightError):
            await page.goto("about:blank", timeout=10_000)
        return seconds
    finally:
        await context.close()


async def chromium(server: Server, views: int, pages_at_once: int, live_views: int) -> list[Row]:
    rows: list[Row] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        view_url = server.url.rstrip("/") + view_path(server, *LIVE)
        await open_view(browser, view_url)  # the browser's own first start
        read_ms = [await open_view(browser, view_url) for _ in range(views)]

        async def one(i: int) -> float | None:
            url = server.url.rstrip("/") + view_path(server, *SHARED[i % len(SHARED)])
            start = time.perf_counter()
            try:
                await open_view(browser, url)
                return time.perf_counter() - start
            except PlaywrightError:
                return None

        kernels_before = kernel_pids(server)
        start, server_cpu, machine_cpu = time.monotonic(), server.cpu_seconds(), machine()
        burst = await asyncio.gather(*(one(i) for i in range(pages_at_once)))
        burst_elapsed = time.monotonic() - start
        server_cpu = server.cpu_seconds() - server_cpu
        other_cpu = machine() - machine_cpu - server_cpu
        failed = sum(t is None for t in burst)
        loads = [60.0 if t is None else t for t in burst]
        started = len(kernel_pids(server) - kernels_before)

        # The live page, each view with a warm pool; its CPU over the views and the refills.
        await asyncio.to_thread(server.wait_quiet, time.monotonic() + 60)
        cpu_before, start = server.cpu_seconds(), time.monotonic()
        live_ms = []
        for _ in range(live_views):
            fills = server.pool_fills(LIVE[0])
            live_ms.append(await open_live(browser, server.page(*LIVE)))
            await asyncio.to_thread(server.wait_refilled, LIVE[0], fills)
        live_cpu = server.cpu_seconds() - cpu_before - IDLE[0] * (time.monotonic() - start)
        await browser.close()

    read, live = statistics.median(read_ms) / 1e3, statistics.median(live_ms) / 1e3
    LIVE_CPU[0] = live_cpu / live_views
    rows += [
        below(
            "Chromium: shared link's read view to load event",
            read,
            "s",
            0.5,
            f"median of {views}, fresh context each; {min(read_ms):.0f}-{max(read_ms):.0f} ms",
        ),
        Row(
            "Chromium: live page to KPIs visible",
            live,
            "s",
            note=f"median of {live_views}, warm pool; {min(live_ms) / 1e3:.2f}-"
            f"{max(live_ms) / 1e3:.2f} s",
        ),
        Row("Chromium: live / read view", live / read, "x", "≥ 4x", live / read >= 4),
        Row(
            f"{pages_at_once} Chromium pages at once: failed",
            failed,
            "",
            "0",
            failed == 0,
            f"one browser, a context each, {len(SHARED)} links; done in {burst_elapsed:.1f} s; "
            f"kernels started: {started}",
        ),
        Row(
            f"{pages_at_once} Chromium pages at once: p95 load",
            percentile(loads, 0.95),
            "s",
            note=f"median {statistics.median(loads):.1f} s; CPU: server {server_cpu:.1f} s, "
            f"the rest of the machine (Chromium, other work) {other_cpu:.0f} s",
        ),
    ]
    return rows


def machine() -> float:
    """CPU seconds the whole machine has used."""
    times = psutil.cpu_times()
    return times.user + times.system


def idle_rate(server: Server, seconds: float = 5.0) -> float:
    server.wait_quiet(time.monotonic() + 60)
    before = server.cpu_seconds()
    time.sleep(seconds)
    return (server.cpu_seconds() - before) / seconds


def capacity(view_cpu: float, live_cpu: float) -> list[Row]:
    return [
        Row(
            "readers per core per hour, read view (cached)",
            3600 / view_cpu,
            "",
            note=f"{view_cpu * 1e3:.1f} ms server CPU per view",
        ),
        Row(
            "readers per core per hour, live page",
            3600 / live_cpu,
            "",
            note=f"{live_cpu:.2f} s server + kernel CPU per view (Chromium, warm pool, refill "
            "included)",
        ),
        Row("read view / live page, per core", live_cpu / view_cpu, "x"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="cached first-byte requests")
    parser.add_argument("--uncached", type=int, default=10, help="uncached first-byte requests")
    parser.add_argument("--readers", type=int, default=300, help="HTTP readers at once")
    parser.add_argument("--pages", type=int, default=50, help="Chromium pages at once")
    parser.add_argument("--views", type=int, default=5, help="Chromium views per median")
    parser.add_argument("--renders", type=int, default=60, help="new scenarios at once")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --renders")
    parser.add_argument(
        "--renders-only",
        action="store_true",
        help="only the cached answers while new scenarios render (no kernels)",
    )
    options = parser.parse_args()
    began, load_before = time.monotonic(), os.getloadavg()
    # Room for every render of a round: the figure is the wait of cached answers beside them.
    queue = (f"--ExplorerVoila.render_queue={options.renders}",)
    if options.renders_only:
        with serving("notebooks", "readview", (), ("--preheat_kernel=False", *queue)) as server:
            rows = measure_cached_during_renders(server, options.renders, options.rounds)
            rows += measure_new_links_burst(server, options.readers)
        report(rows, began, load_before)
        return
    print("starting the launcher and waiting for its kernel pools ...", flush=True)
    with serving("notebooks", "readview", PAGES, queue) as server:
        IDLE[0] = idle_rate(server)
        print(f"  idle: {IDLE[0]:.3f} CPU s per s (server and pooled kernels)", flush=True)
        rows = measure_first_byte(server, options.requests, options.uncached)
        burst, per_view = measure_http_burst(server, options.readers)
        rows += burst
        rows += asyncio.run(chromium(server, options.views, options.pages, options.views))
        rows += capacity(per_view, LIVE_CPU[0])
        rows += measure_cached_during_renders(server, options.renders, options.rounds)
        rows += measure_new_links_burst(server, options.readers)
    report(rows, began, load_before)


def report(rows: list[Row], began: float, load_before: tuple[float, float, float]) -> None:
    elapsed, load_after = time.monotonic() - began, os.getloadavg()
    cores = psutil.cpu_count()
    load = f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    print(
        f"\nRead views against the live page: {cores} cores, {platform.machine()}, "
        f"{date.today()}, {elapsed:.0f} s, {load}. Repeat: {COMMAND}\n"
    )
    print("| measure | value | goal | | note |\n|---|---|---|---|---|")
    for row in rows:
        print(row.markdown())
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(
        json.dumps(
            {
                "command": COMMAND,
                "date": str(date.today()),
                "cores": cores,
                "seconds": round(elapsed, 1),
                "load_average_before_after": [load_before[0], load_after[0]],
                "idle_cpu_per_second": IDLE[0],
                "rows": [asdict(r) for r in rows],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nFigures: {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
