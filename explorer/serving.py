"""Serving the pages to many readers: a kernel manager with a ceiling, and Voilà with plain error
pages (``python -m explorer.serving notebooks``; plain ``voila notebooks`` works too).

Voilà starts one kernel per page view. ``CappedKernelManager`` caps the kernels a server holds, so a
burst of readers (or of plain GET requests from a script) cannot exhaust the machine: a page view
over the cap gets Voilà's error page with status 503 (the template turns it into a friendly "busy,
try again" page that retries by itself), while refills of the preheated pool wait for room instead
of failing. Kernels of readers who are connected are never culled; kernels whose page never
connected, or whose reader left, are shut down after the idle grace period (voila.json).
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import html
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado.log import app_log
from tornado.web import HTTPError, RequestHandler
from traitlets import Float, Integer, default
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from explorer.data.pages import NAMES as PAGES
from explorer.ui.live import vega
from explorer.ui.views import readview


class CappedKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager with a ceiling on the number of kernels."""

    max_kernels = Integer(config=True, help="Most kernels at once (0: no ceiling).")
    refill_wait = Float(
        2.0,
        config=True,
        help="Seconds between checks when a pool refill waits for room under the ceiling.",
    )

    @default("max_kernels")
    def _default_max_kernels(self) -> int:
        return int(os.environ.get("EXPLORER_MAX_KERNELS", "0") or 0)

    def full(self) -> bool:
        return bool(self.max_kernels) and len(self.list_kernel_ids()) >= self.max_kernels

    async def start_kernel(self, *args, **kwargs) -> str:  # type: ignore[override]
        env = kwargs.get("env") or {}
        if env.get("VOILA_PREHEAT") == "True":
            while self.full():  # a pool refill: wait for a reader's kernel to go
                await asyncio.sleep(self.refill_wait)
        elif self.full():
            self.log.warning("Kernel ceiling of %d reached; answering 503", self.max_kernels)
            raise HTTPError(503, "busy")
        return await super().start_kernel(*args, **kwargs)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull as jupyter_server does, but never a kernel that is still starting: under load a
        page's kernel can take longer to start than the idle grace period."""
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and getattr(kernel, "execution_state", None) == "starting":
            return
        await super().cull_kernel_if_idle(kernel_id)


#: Set for the kernels when the launcher serves read views (the Share dialog links to them).
VIEWS = "EXPLORER_VIEWS"


# -- the app: Voilà with plain error pages where Voilà 0.5 answers 500 or nothing ---------------
MAX_URI = 16_384
MAX_HEADER = 128 * 1024


def _plain(handler: RequestHandler, status: int) -> None:
    """A plain error page in both languages, with no internals."""
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    words = {
        404: ("Siden findes ikke.", "The page does not exist."),
        414: ("Adressen er for lang.", "The address is too long."),
        405: ("Det kan man ikke her.", "That is not allowed here."),
    }
    da, en = words.get(status, ("Noget gik galt.", "Something went wrong."))
    home = html.escape(f"{handler.settings.get('base_url', '/')}view/index")
    handler.finish(
        f"<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{status}</title></head><body><h1>{status}</h1><p>{da} "
        f"<a href='{home}?lang=da'>Til forsiden</a></p>"
        f"<p lang='en'>{en} <a href='{home}?lang=en'>To the front page</a></p></body></html>"
    )


class _TooLong(RequestHandler):
    def prepare(self) -> None:
        _plain(self, 414)


class _NotFound(RequestHandler):
    def prepare(self) -> None:
        _plain(self, 404)


def _guarded(handler_class: type) -> type:
    """The handler, with malformed paths answered 404 instead of an assertion's 500."""

    class Guarded(handler_class):
        async def get(self, *args, **kwargs):
            try:
                return await super().get(*args, **kwargs)
            except (AssertionError, ValueError):
                _plain(self, 404)

    Guarded.__name__ = f"Guarded{handler_class.__name__}"
    return Guarded


@functools.cache
def _vega_bytes() -> tuple[bytes, bytes]:
    raw = vega.bundle().encode("utf-8")
    return raw, gzip.compress(raw, 9, mtime=0)


class VegaRuntime(RequestHandler):
    """The Vega bundle under a name that changes with its content: compressed, kept a year."""

    def get(self, name: str) -> None:
        if name != vega.bundle_name():
            _plain(self, 404)
            return
        raw, packed = _vega_bytes()
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        self.set_header("Vary", "Accept-Encoding")
        if "gzip" in self.request.headers.get("Accept-Encoding", ""):
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


class ReadViews(readview.Views):
    """The launcher's read views: one thread renders (the widgets of one page at a time), the
    rest is served from memory."""

    def __init__(self, prefix: str):
        super().__init__(prefix)
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="readview")

    async def run(self, call, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, call, *args)

    def warm(self) -> None:
        """Draw one view in the background, so that the first reader does not wait for the
        chart renderer to start."""
        self.executor.submit(self.get, "index", "lang=da")
        self.executor.submit(readview.svg, {"mark": "point"}, 10, "da", "", "warm")


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
            _plain(self, 404)
            return
        query, notices, _ = readview.canonical(name, self.request.query)
        origin, views = self.origin(), self.views
        try:
            if file_name is None:
                view = views.cached(name, query) or await views.run(views.get, name, query)
            else:
                found = await views.run(views.file, name, query, file_name, origin)
        except Exception:  # never a traceback to a reader; the server's log has it
            app_log.exception("read view %s?%s failed", name, query)
            _plain(self, 500)
            return
        self.set_header("Cache-Control", f"public, max-age={VIEW_MAX_AGE}")
        if file_name is None:
            packed = "gzip" in self.request.headers.get("Accept-Encoding", "")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Vary", "Accept-Encoding")
            if view.script:
                self.set_header("Content-Security-Policy", VIEW_POLICY + LEVER_POLICY)
            if packed:
                self.set_header("Content-Encoding", "gzip")
            self.finish(view.encoded(notices, packed, origin))
            return
        if found is None:
            _plain(self, 404)
            return
        mime, data = found
        self.set_header("Content-Type", mime)
        self.set_header("Content-Disposition", f'attachment; filename="{file_name}"')
        self.finish(data)

    head = get

    def origin(self) -> str:
        """The scheme and host the reader came by: behind a proxy that ends TLS, the scheme it
        forwards (X-Forwarded-Proto), so that Share links and downloads say https."""
        forwarded = self.request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
        scheme = forwarded if forwarded in ("http", "https") else self.request.protocol
        return f"{scheme}://{self.request.host}"


class PageHandler(TornadoVoilaHandler):
    """Voilà's page, setting the XSRF cookie that the page's unload reads to shut its kernel
    down (Voilà 0.5 never sets it, so every reader's kernel would wait for the idle cull)."""

    async def prepare(self, *args, **kwargs) -> None:
        await super().prepare(*args, **kwargs)
        _ = self.xsrf_token  # sets the _xsrf cookie


def _ready_first(manager_class: type) -> type:
    """Voilà's pooling kernel manager, handing a reader only a pool kernel that is ready.

    Voilà 0.5 hands out the pool's first entry even while it is a refill still waiting for its
    delay or running its notebook, so a reader could wait for a refill; and an entry whose kernel
    failed to start stays in the pool for good. Here a reader gets a ready kernel, else a kernel
    of its own at once; failed entries are dropped and refilled.
    """

    class ReadyFirst(manager_class):
        def _ready(self, notebook_name: str) -> list:
            pool = self._pools.get(notebook_name, [])
            failed = [t for t in pool if t.done() and (t.cancelled() or t.exception())]
            if failed:
                for task in failed:
                    pool.remove(task)
                self.fill_if_needed(notebook_name=notebook_name)
            return [t for t in pool if t.done()]

        def get_pool_size(self, notebook_name: str) -> int:
            return len(self._ready(notebook_name))

        async def get_rendered_notebook(self, notebook_name: str, *args, **kwargs):
            ready = self._ready(notebook_name)
            if ready:
                pool = self._pools[notebook_name]
                pool.remove(ready[0])
                pool.insert(0, ready[0])
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    ReadyFirst.__name__ = f"ReadyFirst{manager_class.__name__}"
    return ReadyFirst


class ExplorerVoila(Voila):
    """``voila`` as the explorer serves it: the Vega bundle as a static file, pages that shut
    their kernel down when the reader leaves, no login or logout
    pages (there is no login), 404 for malformed template paths, 414 for over-long addresses, and
    a plain 404 for unknown paths."""

    def init_handlers(self) -> list:
        route = url_path_join(self.base_url, vega.ROUTE, r"(vega-runtime-[0-9a-f]+\.js)")
        self.read_views = ReadViews(self.base_url)
        view = url_path_join(self.base_url, "view", r"([a-z_]+)")
        handlers: list = [
            (route, VegaRuntime),
            (view, ReadViewHandler, {"views": self.read_views}),
            (view + r"/file/([\w.-]+)", ReadViewHandler, {"views": self.read_views}),
        ]
        for spec in super().init_handlers():
            pattern, handler = spec[0], spec[1]
            if pattern.rstrip("$").endswith(("/login", "/logout")):
                continue
            if handler is TemplateStaticFileHandler:
                spec = (pattern, _guarded(handler), *spec[2:])
            elif handler is TornadoVoilaHandler:
                spec = (pattern, PageHandler, *spec[2:])
            handlers.append(spec)
        return handlers

    def start(self) -> None:
        """Voilà's start, with the server taking long headers so that an over-long address gets
        a 414 page rather than a closed connection, and unknown paths a plain 404. Its kernels
        (started from here on, and inheriting the environment) load the Vega bundle from it,
        and its pages preload it."""
        _vega_bytes()
        os.environ[vega.SERVED] = "1"
        os.environ[VIEWS] = "1"  # the pages' Share dialogs offer the read views
        # The template preloads the bundle while the page loads (index.html.j2).
        resources = self.config.VoilaConfiguration.get("resources")
        resources = dict(resources) if isinstance(resources, dict) else {}
        self.config.VoilaConfiguration.resources = resources | {"explorer_vega": vega.bundle_name()}
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        self.app = tornado.web.Application(**self.init_settings())
        if hasattr(self.kernel_manager, "_pools"):  # preheating
            self.kernel_manager.__class__ = _ready_first(type(self.kernel_manager))
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", [*self.init_handlers(), (r".*", _NotFound)])
        app, find = self.app, self.app.find_handler

        def find_handler(request, **kwargs):
            if len(request.uri or "") > MAX_URI:
                return app.get_handler_delegate(request, _TooLong)
            return find(request, **kwargs)

        app.find_handler = find_handler  # type: ignore[method-assign]
        app.listen = functools.partial(app.listen, max_header_size=MAX_HEADER)  # type: ignore[method-assign]
        self.read_views.warm()
        self.listen()


def arguments(argv: list[str], here: Path) -> list[str]:
    """Voilà's arguments, the app's notebooks folder first: the one given, else ``notebooks``
    beside the launch (any other folder would leave every link to a live page a 404)."""
    if any(not a.startswith("-") and (here / a).exists() for a in argv):
        return argv
    if not (here / "notebooks" / "explorer.ipynb").is_file():
        raise SystemExit(
            "python -m explorer.serving NOTEBOOKS [voila options]: NOTEBOOKS is the folder of "
            f"the app's notebooks (no notebooks/explorer.ipynb in {here})"
        )
    return ["notebooks", *argv]


def main() -> None:
    """``python -m explorer.serving [notebooks] [voila options]``."""
    ExplorerVoila.launch_instance(argv=arguments(sys.argv[1:], Path.cwd()))


if __name__ == "__main__":
    main()
