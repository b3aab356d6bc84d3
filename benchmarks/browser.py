"""python -m benchmarks.browser: the explorer in Chromium against a live Voilà server.

Prints medians: request to full render (cold kernel each time), a caseload-lever keypress to the
updated KPI text and to the redrawn chart, and the kernel's memory after render.
"""

from __future__ import annotations

import os
import statistics
import time

import psutil
from playwright.sync_api import sync_playwright

from explorer.ui import server

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
KPI = ".kpi-extra-workers .kpi-value"
SIGNATURE = ("() => Array.from(document.querySelectorAll('.chart-cumulative svg [aria-label]'))"
             ".map(e => e.getAttribute('aria-label')).join('|')")


def render(page, url) -> float:
    start = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".chart-flows svg [aria-roledescription]", timeout=120_000)
    page.wait_for_selector(KPI, timeout=120_000)
    return time.perf_counter() - start


def kernel_rss_mb(proc) -> list[float]:
    kids = psutil.Process(proc.pid).children(recursive=True)
    return [k.memory_info().rss / 2**20 for k in kids if "ipykernel" in " ".join(k.cmdline())]


def main(moves: int = 10, loads: int = 3) -> None:
    port, start = server.free_port(), time.perf_counter()
    proc = server.start(port)
    up = time.perf_counter() - start
    url = f"http://127.0.0.1:{port}/voila/render/explorer.ipynb"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                        args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1100})
            cold = [render(page, url) for _ in range(loads)]
            rss = kernel_rss_mb(proc)
            handle = page.locator(".lever-caseload-after .noUi-handle")
            handle.focus()
            to_kpi, to_chart = [], []
            for i in range(moves):
                old_kpi = page.inner_text(KPI)
                old_sig = page.evaluate(SIGNATURE)
                start = time.perf_counter()
                page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
                page.wait_for_function(f"(old) => document.querySelector('{KPI}').innerText !== old",
                                       arg=old_kpi)
                to_kpi.append(time.perf_counter() - start)
                page.wait_for_function(f"(old) => ({SIGNATURE})() !== old", arg=old_sig)
                to_chart.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.stop(proc)
    ms = lambda xs: f"{statistics.median(xs) * 1e3:8.0f} ms"  # noqa: E731
    print(f"{'server up':<42} {up * 1e3:8.0f} ms")
    print(f"{'request to full render, cold (median of ' + str(loads) + ')':<42} {ms(cold)}   "
          f"(all: {', '.join(f'{x:.2f} s' for x in cold)})")
    print(f"{'keypress to updated KPI (median of ' + str(moves) + ')':<42} {ms(to_kpi)}   goal < 100 ms")
    print(f"{'keypress to redrawn chart (median of ' + str(moves) + ')':<42} {ms(to_chart)}   goal < 250 ms")
    print(f"{'kernel memory after render':<42} {', '.join(f'{x:.0f} MB' for x in rss)}   goal < 300 MB")


if __name__ == "__main__":
    main()
