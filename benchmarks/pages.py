"""python -m benchmarks.pages: the pages in Chromium against live Voilà servers on 127.0.0.1.

Serves the notebooks as deployed (``python -m explorer.serving`` from the repository root with its
voila.json: preheated kernel pools, the kernel ceiling, culling), waits until the pools are warm,
and prints medians against the goals of the issue, all in one run:

1. shared link to fully rendered page (``explorer.ipynb?case=aabenraa&caseload_after=25&lang=en``)
   against a one-slider baseline page (benchmarks/baseline/one_slider.ipynb) served the same way;
2. the page's kernel memory (RSS) after render;
3. websocket bytes (sent + received) per page view, for every page;
4. lever to KPI: a key press on a lever's slider to the KPI text changing, timed in the browser,
   on every page with levers, once the pool's refill behind the page has finished; and the
   kernel's CPU per move;
5. load: 20 readers opening the explorer page at once (bounded at 180 s), on a fresh server with
   voila.json's pools; then the same without a browser (protocol readers that fetch the page and
   ask its kernel for the widgets' state, the server's whole share of a view), with voila.json's
   pools and with an explorer pool of 20; CPU split between the server with its kernels and the
   rest of the machine;
6. 100 page views one after another, then 2 minutes idle: kernels left beyond the warm pools.

Repeat: ``.venv/bin/python -m benchmarks.pages`` (``--quick`` skips parts 5 and 6, ``--load-only``
runs only part 5, with voila.json's pools or ``--pool N``). Voilà's logs
go to test-artifacts/bench-*.log.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from playwright.async_api import async_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import CHROMIUM_ARGS, Voila, chromium_path  # noqa: E402

from explorer.ui.live.page import PAGES  # noqa: E402

COMMAND = ".venv/bin/python -m benchmarks.pages"
BASELINE = Path(__file__).resolve().parent / "baseline"
SHARED_LINK = ("explorer", "case=aabenraa&caseload_after=25&lang=en")
VIEWPORT = {"width": 1440, "height": 1000}
RENDER_TIMEOUT_MS = 90_000
MB = 2**20

# Fully rendered: the app is visible, the loading spinner is gone, every chart is drawn.
RENDERED = """() => {
  const app = document.querySelector('.app');
  if (!app || app.getClientRects().length === 0 || document.querySelector('#loading')) {
    return false;
  }
  return Array.from(document.querySelectorAll('.chart'))
    .every(c => c.querySelector('svg [aria-roledescription]'));
}"""
KPI_TEXT = """() => Array.from(document.querySelectorAll('.kpi .kpi-value'))
  .map(e => e.textContent).join('|')"""
# Arms a one-shot timer: from the next keydown to the next change of any KPI's text.
ARM_LEVER_TIMER = """(kpiText) => {
  const read = new Function('return (' + kpiText + ')()');
  const before = read();
  const timer = {down: null, changed: null};
  window.__leverTimer = timer;
  document.addEventListener('keydown', () => { if (timer.down === null) {
    timer.down = performance.now(); } }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (timer.down !== null && read() !== before) {
      timer.changed = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
# The lever's name: the first "lever-<name>" class of the slider's ancestors.
LEVER_NAME = """(slider) => {
  for (let e = slider; e; e = e.parentElement) {
    const name = Array.from(e.classList)
      .find(c => /^lever-/.test(c) && !['lever-range', 'lever-value', 'lever-error'].includes(c));
    if (name) return name;
  }
  return '?';
}"""
KERNEL_ID = """() => {
  const config = document.getElementById('jupyter-config-data');
  return config ? JSON.parse(config.textContent).kernelId : null;
}"""


# -- servers ---------------------------------------------------------------------------------------
class Server(Voila):
    """``python -m explorer.serving <folder>`` from the repository root (tests/servers.py), with
    what the benchmarks read off it: pool fills, CPU seconds, kernels and their memory."""

    def __init__(self, folder: str, name: str, options: tuple[str, ...] = ()):
        super().__init__(
            f"bench-{name}", args=options, warm=False, launcher="explorer.serving", folder=folder
        )

    def pool_fills(self, notebook: str) -> int:
        """How often the log says the notebook's kernel pool was filled."""
        return self.log().count(f"Kernel pool of {notebook}.ipynb is filled")

    def wait_pools(self, notebooks: tuple[str, ...], timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while not all(self.pool_fills(n) for n in notebooks):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kernel pools did not fill; see {self.log_path}")
            time.sleep(0.5)

    def wait_refilled(self, notebook: str, fills_before: int, timeout: float = 60) -> None:
        """Wait until the notebook's pool is filled again after a page view took a kernel, and
        the new kernel has run its notebook (Voilà logs the fill when the kernel starts)."""
        deadline = time.monotonic() + timeout
        while self.pool_fills(notebook) <= fills_before and time.monotonic() < deadline:
            time.sleep(0.2)
        self.wait_quiet(deadline)

    def wait_quiet(self, deadline: float, window: float = 1.0, busy: float = 0.05) -> None:
        """Wait until the server and its kernels use less than ``busy`` CPU seconds in
        ``window`` seconds."""
        last = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - last < busy:
                return
            last = now

    def cpu_seconds(self) -> float:
        """CPU seconds of the server and every kernel it started, ended ones included (the
        server reaps its kernels, so theirs count in its children's times)."""
        server = psutil.Process(self.proc.pid)
        total = 0.0
        with suppress(psutil.Error):
            times = server.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        for process in server.children(recursive=True):
            with suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def total_rss_mb(self) -> float:
        processes = [psutil.Process(self.proc.pid)]
        processes += psutil.Process(self.proc.pid).children(recursive=True)
        return sum(safe_rss(p) for p in processes) / MB

    def kernel(self, kernel_id: str | None) -> psutil.Process | None:
        return next(
            (k for k in self.kernels() if kernel_id and kernel_id in " ".join(safe_cmdline(k))),
            None,
        )


def safe_cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def safe_rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def pool_size() -> int:
    """Preheated kernels the warm server holds for the notebooks, per voila.json."""
    config = json.loads((ROOT / "voila.json").read_text())["VoilaKernelManager"]
    pools = config["kernel_pools_config"]
    default = pools.get("default", {}).get("pool_size", 0)
    return sum(pools.get(f"{name}.ipynb", {}).get("pool_size", default) for name in PAGES)


@contextmanager
def serving(folder: str, name: str, notebooks: tuple[str, ...], options: tuple[str, ...] = ()):
    server = Server(folder, name, options)
    try:
        server.wait_pools(notebooks)
        yield server
    finally:
        server.stop()


# -- one page view ---------------------------------------------------------------------------------
@dataclass
class View:
    seconds: float
    ws_bytes: int
    kernel_id: str | None


def count_websocket_bytes(page) -> list[int]:
    """A one-item list that grows with every websocket frame the page sends or receives."""
    total = [0]

    def add(payload) -> None:
        total[0] += len(payload.encode() if isinstance(payload, str) else payload)

    def watch(ws) -> None:
        ws.on("framereceived", add)
        ws.on("framesent", add)

    page.on("websocket", watch)
    return total


def wait_rendered(page, timeout_ms: float = RENDER_TIMEOUT_MS) -> None:
    page.wait_for_function(RENDERED, timeout=timeout_ms, polling=50)


def leave(page) -> None:
    """Leave as a reader does (Voilà shuts the kernel down on unload), then close."""
    with suppress(PlaywrightError):
        page.goto("about:blank", timeout=10_000)
    page.close()


def view(browser, url: str, settle: float = 0.0, keep: bool = False):
    """Open ``url`` in a fresh context until fully rendered: a View (and the page if ``keep``)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    ws_bytes = count_websocket_bytes(page)
    start = time.perf_counter()
    page.goto(url, timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)
    seconds = time.perf_counter() - start
    if settle:
        page.wait_for_timeout(settle * 1000)
    result = View(seconds, ws_bytes[0], page.evaluate(KERNEL_ID))
    if keep:
        return result, page
    leave(page)
    context.close()
    return result


def close(page) -> None:
    context = page.context
    leave(page)
    context.close()


def median_render(browser, server: Server, notebook: str, query: str, views: int) -> float:
    """Median seconds to full render over ``views`` views, each with a warm pool."""
    times = []
    for _ in range(views):
        fills = server.pool_fills(notebook)
        times.append(view(browser, server.page(notebook, query)).seconds)
        server.wait_refilled(notebook, fills)
    return statistics.median(times)


# -- the measurements ------------------------------------------------------------------------------
@dataclass
class Row:
    """One printed figure; printed as soon as it is measured."""

    measure: str
    value: float | None
    unit: str
    goal: str = ""
    ok: bool | None = None
    note: str = ""

    def __post_init__(self) -> None:
        print(self.line(), flush=True)

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        return f"{self.value:,.3g}" if abs(self.value) < 100 else f"{self.value:,.0f}"

    def line(self) -> str:
        verdict = "" if self.ok is None else "ok" if self.ok else "MISSED"
        text = f"{self.measure:<46} {self.shown():>9} {self.unit:<4} {self.goal:<16} {verdict:<6}"
        return (text + f" {self.note}").rstrip()

    def markdown(self) -> str:
        verdict = "" if self.ok is None else "ok" if self.ok else "**missed**"
        value = f"{self.shown()} {self.unit}".strip()
        return f"| {self.measure} | {value} | {self.goal} | {verdict} | {self.note} |"


def goal_row(
    measure: str, value: float | None, unit: str, limit: float, goal: str, note: str = ""
) -> Row:
    ok = None if value is None else value < limit
    return Row(measure, value, unit, goal, ok, note)


def measure_baseline(browser, views: int) -> float:
    with serving(str(BASELINE.relative_to(ROOT)), "baseline", ("one_slider",)) as server:
        return median_render(browser, server, "one_slider", "", views)


def measure_shared_link(browser, server: Server, baseline: float, views: int) -> list[Row]:
    notebook, query = SHARED_LINK
    seconds = median_render(browser, server, notebook, query, views)
    ratio = seconds / baseline
    return [
        Row("baseline: one-slider page, render", baseline, "s", note=f"median of {views}"),
        goal_row(
            "shared link -> fully rendered (explorer)",
            seconds,
            "s",
            2.0,
            "< 2 s",
            f"median of {views}",
        ),
        Row("shared link / baseline", ratio, "x", "<= 1.5x", ratio <= 1.5),
    ]


def measure_memory(browser, server: Server) -> list[Row]:
    notebook, query = SHARED_LINK
    result, page = view(browser, server.page(notebook, query), settle=2.0, keep=True)
    kernels = {" ".join(safe_cmdline(k)): safe_rss(k) / MB for k in server.kernels()}
    own = [mb for cmd, mb in kernels.items() if result.kernel_id and result.kernel_id in cmd]
    close(page)
    rows = []
    if own:
        rows.append(
            goal_row(
                "kernel RSS after render (explorer, its kernel)", own[0], "MB", 150, "< 150 MB"
            )
        )
    rows.append(
        goal_row(
            "kernel RSS, largest of the server's kernels",
            max(kernels.values()),
            "MB",
            150,
            "< 150 MB",
            f"{len(kernels)} kernels",
        )
    )
    return rows


def measure_websocket_bytes(browser, server: Server) -> list[Row]:
    rows = []
    for notebook in PAGES:
        fills = server.pool_fills(notebook)
        try:
            result = view(browser, server.page(notebook, "lang=en"), settle=1.0)
            value, note = result.ws_bytes / MB, f"render {result.seconds:.2f} s"
        except PlaywrightError as error:
            value, note = None, f"failed: {str(error).splitlines()[0][:60]}"
        rows.append(goal_row(f"websocket per view: {notebook}", value, "MB", 1.5, "< 1.5 MB", note))
        server.wait_refilled(notebook, fills)
    return rows


def lever_slider(page):
    """The caseload lever's slider if the page has it, else the first visible lever slider."""
    preferred = page.locator(".lever-caseload-after input[type=range]")
    if preferred.count():
        return preferred.first
    sliders = page.locator("[class*='lever-'] input[type=range]")
    for i in range(sliders.count()):
        if sliders.nth(i).is_visible():
            return sliders.nth(i)
    return None


def lever_to_kpi_ms(page, slider, moves: int) -> list[float]:
    slider.focus()
    times = []
    for i in range(moves):
        page.evaluate(ARM_LEVER_TIMER, KPI_TEXT)
        page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
        page.wait_for_function("() => window.__leverTimer.changed !== null", timeout=15_000)
        times.append(page.evaluate("() => window.__leverTimer.changed - window.__leverTimer.down"))
    return times


def measure_levers(browser, server: Server, moves: int) -> list[Row]:
    rows = []
    for notebook in PAGES:
        fills = server.pool_fills(notebook)
        _, page = view(browser, server.page(notebook, "lang=en"), keep=True)
        slider = lever_slider(page)
        if slider is None or page.locator(".kpi .kpi-value").count() == 0:
            if page.locator("input.lever-value").count():
                rows.append(
                    Row(
                        f"lever -> KPI: {notebook}",
                        None,
                        "ms",
                        "< 50 ms",
                        note="not measured: no lever slider or no KPI on the page",
                    )
                )
            close(page)
            server.wait_refilled(notebook, fills)
            continue
        lever = slider.evaluate(LEVER_NAME)
        server.wait_quiet(time.monotonic() + 60)  # the pool's refill has run its notebook
        kernel = server.kernel(page.evaluate(KERNEL_ID))
        cpu_before = kernel.cpu_times() if kernel else None
        try:
            times = lever_to_kpi_ms(page, slider, moves)
            value, note = statistics.median(times), f"{lever}, max {max(times):.0f} ms"
        except PlaywrightError:
            value, note = None, f"{lever}: no KPI changed within 15 s"
        rows.append(goal_row(f"lever -> KPI: {notebook}", value, "ms", 50, "< 50 ms", note))
        if kernel and cpu_before:
            page.wait_for_timeout(1000)  # the last move's charts
            with suppress(psutil.Error):
                after = kernel.cpu_times()
                used = after.user + after.system - cpu_before.user - cpu_before.system
                rows.append(Row(f"kernel CPU per lever move: {notebook}", used / moves, "s"))
        close(page)
        server.wait_refilled(notebook, fills)
    return rows


# -- load ------------------------------------------------------------------------------------------
class PeakMemory:
    """Samples the server's and its kernels' RSS every 0.5 s in a thread; ``peak`` in MB."""

    def __init__(self, server: Server):
        self.server, self.peak = server, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.total_rss_mb())
            self._stop.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


async def reader(browser, url: str, deadline: float) -> float | None:
    """One reader: seconds from opening the link to the full render, or None by the deadline.
    A busy (503) page reloads itself, so waiting survives navigations."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    start = time.monotonic()
    try:
        await page.goto(url, timeout=(deadline - start) * 1000)
        while time.monotonic() < deadline:
            try:
                await page.wait_for_function(
                    RENDERED, timeout=(deadline - time.monotonic()) * 1000, polling=100
                )
                return time.monotonic() - start
            except PlaywrightError as error:
                if "Timeout" in str(error):
                    return None
                await asyncio.sleep(0.2)  # the page navigated (a retry); wait again
        return None
    except PlaywrightError:
        return None
    finally:
        await context.close()


async def open_at_once(url: str, readers: int, bound: float) -> list[float | None]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        deadline = time.monotonic() + bound
        results = await asyncio.gather(*(reader(browser, url, deadline) for _ in range(readers)))
        await browser.close()
        return list(results)


def kernel_message(kind: str, content: dict, metadata: dict | None = None) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": kind, "username": "", "version": "5.3"}
    header |= {"session": uuid.uuid4().hex, "date": ""}
    return json.dumps(
        {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
        | {"channel": "shell", "buffers": []}
    )


async def protocol_reader(url: str, deadline: float) -> float | None:
    """A reader without a browser: fetch the page, open its kernel's websocket and ask for the
    widgets' state as the page's widget manager does; seconds until the state arrives, or None.
    This is the server's whole share of a page view (the browser's share is on the reader's
    device)."""
    start = time.monotonic()
    try:
        answer = await AsyncHTTPClient().fetch(url, request_timeout=deadline - start)
        found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', answer.body.decode())
        if not found:
            return None
        parts = urlsplit(url)
        ws = await websocket_connect(
            f"ws://{parts.netloc}/api/kernels/{found.group(1)}/channels"
            f"?session_id={uuid.uuid4().hex}"
        )
        comm = uuid.uuid4().hex
        await ws.write_message(kernel_message("kernel_info_request", {}))
        await ws.write_message(
            kernel_message(
                "comm_open",
                {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},  # ipywidgets 8's widget control protocol
            )
        )
        await ws.write_message(
            kernel_message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        )
        while time.monotonic() < deadline:
            message = await asyncio.wait_for(ws.read_message(), deadline - time.monotonic())
            if message is None:
                return None
            if isinstance(message, str) and '"update_states"' in message:
                ws.close()
                return time.monotonic() - start
        return None
    except (OSError, TimeoutError, HTTPClientError):
        return None


async def protocol_at_once(url: str, readers: int, bound: float) -> list[float | None]:
    AsyncHTTPClient.configure(None, max_clients=readers)
    deadline = time.monotonic() + bound
    return list(await asyncio.gather(*(protocol_reader(url, deadline) for _ in range(readers))))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pools_option(explorer_pool: int) -> str:
    """The command-line option that sets the explorer page's pool (other pools as voila.json)."""
    pools = json.loads((ROOT / "voila.json").read_text())["VoilaKernelManager"]
    config = {**pools["kernel_pools_config"], "explorer.ipynb": {"pool_size": explorer_pool}}
    return f"--VoilaKernelManager.kernel_pools_config={json.dumps(config)}"


def machine_cpu_seconds() -> float:
    times = psutil.cpu_times()
    return times.user + times.system


def measure_load(
    readers: int = 20, bound: float = 180, pool: int | None = None, browser: bool = True
) -> list[Row]:
    """``readers`` open the shared link at once, in Chromium or as protocol readers (no
    browser); ``pool``: the explorer's pool size, if not voila.json's. CPU is split between the
    server with its kernels and the rest of the machine (Chromium, or the protocol readers)."""
    options = (pools_option(pool),) if pool else ()
    label = "load" if browser else "load, no browser"
    label += f" (explorer pool {pool})" if pool else ""
    open_all = open_at_once if browser else protocol_at_once
    with serving("notebooks", "load", PAGES, options) as server:
        server.wait_quiet(time.monotonic() + 120)
        server_cpu, all_cpu = server.cpu_seconds(), machine_cpu_seconds()
        with PeakMemory(server) as memory:
            results = asyncio.run(open_all(server.page(*SHARED_LINK), readers, bound))
        server_cpu = server.cpu_seconds() - server_cpu
        other_cpu = machine_cpu_seconds() - all_cpu - server_cpu
    failed = sum(r is None for r in results)
    times = [bound if r is None else r for r in results]  # a failed reader counts as the bound
    return [
        Row(
            f"{label}: failed pages of {readers} at once",
            failed,
            "",
            "0",
            failed == 0,
            f"bounded at {bound:.0f} s",
        ),
        goal_row(f"{label}: median render", statistics.median(times), "s", 15, "< 15 s"),
        goal_row(
            f"{label}: 95th percentile render",
            percentile(times, 0.95),
            "s",
            30,
            "< 30 s",
            "failed readers count as the bound",
        ),
        Row(f"{label}: server + kernels RSS at peak", memory.peak, "MB"),
        Row(
            f"{label}: CPU s per reader, server + kernels",
            server_cpu / readers,
            "s",
            note=f"the rest of the machine: {other_cpu / readers:.2f} s per reader",
        ),
    ]


def measure_kernels_left(
    browser, server: Server, views: int, bound: float, idle: float
) -> list[Row]:
    notebook = "index"
    done, failed, deadline = 0, 0, time.monotonic() + bound
    cpu_before = server.cpu_seconds()
    while done + failed < views and time.monotonic() < deadline:
        try:
            view(browser, server.page(notebook))
            done += 1
        except PlaywrightError:
            failed += 1
    at_end = len(server.kernels())
    time.sleep(idle)
    left = len(server.kernels()) - pool_size()
    cpu = (server.cpu_seconds() - cpu_before) / max(done, 1)
    return [
        Row(
            f"CPU seconds per page view ({notebook})",
            cpu,
            "s",
            note="server and kernels: start, notebook, render, cull; not the browser",
        ),
        Row(
            f"views of {notebook} in a row (of {views})",
            done,
            "",
            note=(f"{failed} failed, bounded at {bound:.0f} s; {at_end} kernels right after"),
        ),
        Row(
            f"kernels beyond the pools after {idle:.0f} s idle",
            left,
            "",
            "0",
            left <= 0,
            f"{left + pool_size()} alive, pools hold {pool_size()}",
        ),
    ]


# -- the run ---------------------------------------------------------------------------------------
def run(quick: bool, views: int, moves: int) -> list[Row]:
    rows: list[Row] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        baseline = measure_baseline(browser, views)
        with serving("notebooks", "pages", PAGES) as server:
            rows += measure_shared_link(browser, server, baseline, views)
            rows += measure_memory(browser, server)
            rows += measure_websocket_bytes(browser, server)
            rows += measure_levers(browser, server, moves)
            if not quick:
                rows += measure_kernels_left(browser, server, views=100, bound=400, idle=120)
        browser.close()
    if not quick:
        rows += measure_load()
        rows += measure_load(browser=False)
        rows += measure_load(pool=20, browser=False)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the load and cull parts")
    parser.add_argument("--load-only", action="store_true", help="only part 5, the load")
    parser.add_argument(
        "--pool", type=int, help="with --load-only: the explorer's pool size (else voila.json's)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="with --load-only: protocol readers"
    )
    parser.add_argument("--views", type=int, default=5, help="page views per render median")
    parser.add_argument("--moves", type=int, default=10, help="lever moves per page")
    options = parser.parse_args()
    started = time.monotonic()
    print(f"{'measure':<46} {'value':>9} {'unit':<4} {'goal':<16} {'':<6} note", flush=True)
    if options.load_only:
        rows = measure_load(pool=options.pool, browser=not options.no_browser)
    else:
        rows = run(options.quick, options.views, options.moves)
    print(
        f"\n{len(rows)} figures in {time.monotonic() - started:.0f} s. Repeat: {COMMAND}"
        + (" --quick" if options.quick else "")
    )


if __name__ == "__main__":
    main()
