"""The read views (``view/<page>``) and what they load (the Vega runtime, the embed script):
rendered in a pool of processes, one per core, with a bounded queue (503 beyond it); cached
views and files are answered at once."""

from __future__ import annotations

import asyncio
import functools
import gzip
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import tornado.ioloop
from tornado.log import app_log
from tornado.web import RequestHandler

from explorer.data.pages import NAMES as PAGES
from explorer.serving.hosting import HOSTING
from explorer.serving.limits import plain
from explorer.ui.live import vega
from explorer.ui.views import readview


def accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` header takes gzip: named (or ``x-gzip``) with a weight
    above 0, else ``*`` with one (RFC 9110, 12.5.3). ``gzip;q=0``, ``identity`` alone and
    ``*;q=0`` refuse it; a weight that is no number from 0 to 1 counts as 0."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
                weight = weight if 0 <= weight <= 1 else 0.0  # NaN too
        if coding:
            weights.setdefault(coding.lower(), weight)
    named = [weights[c] for c in ("gzip", "x-gzip") if c in weights]
    return max(named) > 0 if named else weights.get("*", 0.0) > 0


@functools.cache
def vega_bytes() -> tuple[bytes, bytes]:
    raw = vega.bundle().encode("utf-8")
    return raw, gzip.compress(raw, 9, mtime=0)


class VegaRuntime(RequestHandler):
    """The Vega bundle under a name that changes with its content: compressed, kept a year."""

    def get(self, name: str) -> None:
        if name != vega.bundle_name():
            plain(self, 404)
            return
        raw, packed = vega_bytes()
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        self.set_header("Vary", "Accept-Encoding")
        if accepts_gzip(self.request.headers.get("Accept-Encoding", "")):
            self.set_header("Content-Encoding", "gzip")
            self.finish(packed)
        else:
            self.finish(raw)


#: The read views' headers: any site may frame them (the Share dialog's embed); no script runs
#: but the explorer's caseload lever (by its hash) and the Vega runtime it loads from here, which
#: compiles Vega's expressions (hence 'unsafe-eval').
VIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)
LEVER_POLICY = f"; script-src 'self' 'sha256-{readview.LEVER_SCRIPT_HASH}' 'unsafe-eval'"
VIEW_MAX_AGE = 300
#: An embed form runs one script: the one that tells the host page its height.
EMBED_POLICY = f"; script-src 'sha256-{readview.EMBED_SCRIPT_HASH}'"


class EmbedScript(RequestHandler):
    """The script a page that embeds read views includes: it fits each frame to its content."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", f"public, max-age={VIEW_MAX_AGE}")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(readview.EMBED_HOST_SCRIPT)

    head = get


class Busy(Exception):
    """Every place in the render queue is taken."""


def _watch_parent(parent: int) -> None:
    """A render worker's start: it ends when the launcher is gone (a launcher that is killed
    cannot stop its pool)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _warm() -> None:
    """Start a worker's chart renderer, so that the first reader does not wait for it."""
    readview.svg({"mark": "point"}, 10, "da", "", "warm")


class ReadViews(readview.Views):
    """The launcher's read views, rendered in ``workers`` processes (each renders the widgets of
    one page at a time). At most ``queue`` renders wait or run at once, each asked for once
    however many readers wait for it; one more is ``Busy``. Cached views and files are answered
    from memory without waiting."""

    def __init__(self, prefix: str, workers: int = 1, queue: int = 8):
        super().__init__(prefix)
        self.workers, self.queue = workers, queue
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[tuple[str, ...], asyncio.Future] = {}

    def _submit(self, call: Callable, *args):
        for _ in range(2):  # a pool whose worker died (out of memory, killed) is replaced once
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_watch_parent,
                    initargs=(os.getpid(),),
                )
            try:
                return self.pool.submit(call, *args)
            except BrokenProcessPool:
                self.pool = None
        raise BrokenProcessPool("the render workers do not start")

    async def _once(self, key: tuple[str, ...], keep: OrderedDict, call: Callable, *args):
        """``call(*args)`` in a worker, its result kept in ``keep`` under ``key``."""
        future = self.pending.get(key)
        if future is None:
            if len(self.pending) >= self.queue:
                raise Busy
            future = asyncio.wrap_future(self._submit(call, *args))
            self.pending[key] = future
            if keep is self._views:
                self.rendered += 1

            def done(f: asyncio.Future) -> None:
                del self.pending[key]
                if not f.cancelled() and f.exception() is None and f.result() is not None:
                    keep[key] = f.result()
                    while len(keep) > self.size:
                        keep.popitem(last=False)

            future.add_done_callback(done)
        return await asyncio.shield(future)

    async def view(self, name: str, query: str) -> readview.View:
        """The view of a canonical query, rendered if it is not cached."""
        view = self.cached(name, query)
        if view is None:
            view = await self._once(
                (name, query), self._views, readview.render, name, query, self.site
            )
        return view

    async def download(
        self, name: str, query: str, file_name: str, origin: str
    ) -> tuple[str, bytes] | None:
        """A download of a view for the site ``origin`` (its links name it); None if the view
        has no such file."""
        key = (name, query, file_name, origin)
        found = self._files.get(key)
        if found is not None:
            self._files.move_to_end(key)
            return found
        if not readview.may_offer(name, query, file_name):
            return None
        view = await self.view(name, query)
        if file_name not in view.charts and file_name not in view.files:
            return None
        site = readview.Site(origin, self.prefix)
        return await self._once(key, self._files, readview.file_bytes, view, file_name, site)

    def warm(self) -> None:
        """Start every worker and render the front page, once the server runs."""
        for _ in range(self.workers):
            self._submit(_warm)
        query = readview.canonical("index", "lang=da")[0]
        tornado.ioloop.IOLoop.current().add_callback(self.view, "index", query)


class ReadViewHandler(RequestHandler):
    """``view/<page>?<query>``: the page as a reader who only looks sees it, with no kernel;
    ``view/<page>/file/<name>?<query>``: its downloads."""

    def initialize(self, views: ReadViews) -> None:
        self.views = views

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", VIEW_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    async def get(self, name: str, file_name: str | None = None) -> None:
        if name not in PAGES:
            plain(self, 404)
            return
        query, notices, _ = readview.canonical(name, self.request.query)
        origin, views = self.settings[HOSTING].origin(self.request), self.views
        try:
            if file_name is None:
                view = views.cached(name, query) or await views.view(name, query)
            else:
                found = await views.download(name, query, file_name, origin)
        except Busy:
            plain(self, 503)
            return
        except Exception:  # never a traceback to a reader; the server's log has it
            app_log.exception("read view %s?%s failed", name, query)
            plain(self, 500)
            return
        self.set_header("Cache-Control", f"public, max-age={VIEW_MAX_AGE}")
        if file_name is None:
            packed = accepts_gzip(self.request.headers.get("Accept-Encoding", ""))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Vary", "Accept-Encoding")
            if view.script:
                self.set_header("Content-Security-Policy", VIEW_POLICY + LEVER_POLICY)
            elif view.embed:
                self.set_header("Content-Security-Policy", VIEW_POLICY + EMBED_POLICY)
            if packed:
                self.set_header("Content-Encoding", "gzip")
            self.finish(view.encoded(notices, packed, origin))
            return
        if found is None:
            plain(self, 404)
            return
        mime, data = found
        self.set_header("Content-Type", mime)
        self.set_header("Content-Disposition", f'attachment; filename="{file_name}"')
        self.finish(data)

    head = get
