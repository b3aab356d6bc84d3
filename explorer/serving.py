"""Serving the pages to many readers: a kernel manager with a ceiling, and Voilà with plain error
pages (``python -m explorer.serving notebooks``; plain ``voila notebooks`` works too).

Voilà starts one kernel per page view. ``CappedKernelManager`` caps the kernels a server holds, so a
burst of readers (or of plain GET requests from a script) cannot exhaust the machine: a page view
over the cap gets Voilà's error page with status 503 (the template turns it into a friendly "busy,
try again" page that retries by itself), while refills of the preheated pool wait for room instead
of failing. Kernels of readers who are connected are never culled; kernels whose page never
connected, or whose reader left, are shut down after the idle grace period (voila.json).

The read views (``view/<page>``) render in a pool of processes, one per core, with a bounded
queue (503 beyond it); cached views and files are answered at once. Their links name the public
address the launcher is given (``--public_url``), never a client's ``Host`` unless it is allowed
(``--allowed_hosts``), and forwarded headers count only from ``--trusted_proxies``
(docs/deploy.md, "Hosting").
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import ipaddress
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado import httputil
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.log import app_log
from tornado.web import HTTPError, RequestHandler
from traitlets import Float, Integer, Unicode, default
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from explorer.data.pages import NAMES as PAGES
from explorer.ui.content import addresses
from explorer.ui.live import vega
from explorer.ui.views import errors, readview


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
#: The launcher's own options (``--name=value``) and the environment variables that set them.
OPTIONS = {
    "public_url": "EXPLORER_PUBLIC_URL",
    "allowed_hosts": "EXPLORER_ALLOWED_HOSTS",
    "trusted_proxies": "EXPLORER_TRUSTED_PROXIES",
    "render_workers": "EXPLORER_RENDER_WORKERS",
    "render_queue": "EXPLORER_RENDER_QUEUE",
    "header_timeout": "EXPLORER_HEADER_TIMEOUT",
}
#: The application setting that holds the launcher's ``Hosting``.
HOSTING = "explorer_hosting"


# -- the app: Voilà with plain error pages where Voilà 0.5 answers 500 or nothing ---------------
MAX_URI = 16_384
MAX_HEADER = 128 * 1024
#: Header fields beyond these (one field, all of them) get a 431 before any handler runs; the
#: server reads at most MAX_HEADER and closes the connection beyond it.
MAX_FIELD = 8 * 1024
MAX_FIELDS = 32 * 1024
#: The most fields a query may have: tornado's own limit (beyond it tornado would answer an empty
#: 400 before any handler runs; the site answers its own 400 page, naming the limit).
MAX_QUERY_FIELDS = httputil.ParseUrlEncodedConfig().max_arguments
RETRY_AFTER = errors.RETRY_AFTER


def _plain(handler: RequestHandler, status: int, lang: str = "da", **numbers: float) -> None:
    """The site's error page of ``status`` (explorer/ui/views/errors.py), the reader's ``lang``
    first, uncached; a 503 (busy) asks the reader to come back after RETRY_AFTER seconds."""
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    if status == 503:
        handler.set_header("Retry-After", str(RETRY_AFTER))
    home = f"{handler.settings.get('base_url', '/')}{addresses.view('index')}"
    handler.finish(errors.page(status, home, lang, **numbers))


class _TooLong(RequestHandler):
    def prepare(self) -> None:
        _plain(self, 414)


class _TooLarge(RequestHandler):
    def prepare(self) -> None:
        _plain(self, 431)


class _TooManyFields(RequestHandler):
    def initialize(self, lang: str) -> None:
        self.lang = lang

    def prepare(self) -> None:
        _plain(self, 400, self.lang, most=MAX_QUERY_FIELDS)


def too_many_fields(query: str) -> bool:
    """Whether a query has more fields than MAX_QUERY_FIELDS, counted as the parser counts them
    (before it parses anything)."""
    return query.count("&") + 1 > MAX_QUERY_FIELDS


class _FieldLimit(httputil.HTTPMessageDelegate):
    """A request as the app takes it, but one whose query has too many fields goes, without its
    query, to the site's 400 page in the language the query asks for: tornado would refuse to
    parse it with an empty 400."""

    def __init__(
        self,
        app: tornado.web.Application,
        delegate: httputil.HTTPMessageDelegate,
        server_conn: object,
        request_conn: httputil.HTTPConnection,
    ) -> None:
        self.app, self.delegate = app, delegate
        self.server_conn, self.request_conn = server_conn, request_conn

    def headers_received(self, start_line, headers):
        if isinstance(start_line, httputil.RequestStartLine):
            path, _, query = start_line.path.partition("?")
            if too_many_fields(query):
                lang = re.search(r"(?:^|&)lang=(\w+)", query)
                start_line = start_line._replace(path=path)
                request = HTTPServerRequest(
                    connection=self.request_conn,
                    server_connection=self.server_conn,
                    start_line=start_line,
                    headers=headers,
                )
                self.delegate = self.app.get_handler_delegate(
                    request, _TooManyFields, {"lang": lang.group(1) if lang else "da"}
                )
        return self.delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes):
        return self.delegate.data_received(chunk)

    def finish(self) -> None:
        self.delegate.finish()

    def on_connection_close(self) -> None:
        self.delegate.on_connection_close()


def oversized(headers: HTTPHeaders) -> bool:
    """Whether one header field is over MAX_FIELD bytes or all of them over MAX_FIELDS."""
    sizes = [len(name) + len(value) for name, value in headers.get_all()]
    return max(sizes, default=0) > MAX_FIELD or sum(sizes) > MAX_FIELDS


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


# -- hosting: the address a view names, whoever asks ------------------------------------------
def _names(text: str) -> list[str]:
    """The entries of a list given as one string (commas or spaces between them)."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def _first(value: str) -> str:
    """The first entry of a forwarded header (the one the outermost proxy added)."""
    return value.split(",")[0].strip()


def public_origin(url: str) -> str:
    """A public address as an origin (``https://host[:port]``); a ValueError names the option."""
    parts = urlsplit(url.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            "--public_url (EXPLORER_PUBLIC_URL) must be a scheme and a host, such as "
            "https://explorer.example.org or http://127.0.0.1:8866, without a path (the path "
            f"prefix is --base_url); got {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def listen_origin(ip: str, port: int) -> str:
    """The address the launcher listens on, as an origin (``localhost`` for every interface)."""
    host = "localhost" if ip in ("", "0.0.0.0", "::") else ip
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


class Hosting:
    """The address a read view's links (Share, embed, lever, downloads) and a live page's
    downloads name for a request: the public address, or the host the request came by if it is
    on the allow-list. ``X-Forwarded-Host`` and ``X-Forwarded-Proto`` count only from a trusted
    proxy, so no client can put an address of its own into an answer that caches keep."""

    def __init__(self, public: str | Callable[[], str], allowed: str = "", proxies: str = ""):
        self._public = public
        self.allowed = {host.lower() for host in _names(allowed)}
        try:
            self.proxies = [ipaddress.ip_network(p, strict=False) for p in _names(proxies)]
        except ValueError as error:
            raise ValueError(
                f"--trusted_proxies (EXPLORER_TRUSTED_PROXIES): {error}; give addresses or "
                "networks such as 127.0.0.1 or 10.0.0.0/8"
            ) from None

    @property
    def public(self) -> str:
        return self._public() if callable(self._public) else self._public

    def trusted(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in network for network in self.proxies)

    def origin(self, request: HTTPServerRequest) -> str:
        scheme, host = request.protocol, request.headers.get("Host", "")
        if self.trusted(request.remote_ip):
            forwarded = _first(request.headers.get("X-Forwarded-Proto", ""))
            scheme = forwarded if forwarded in ("http", "https") else scheme
            host = _first(request.headers.get("X-Forwarded-Host", "")) or host
        public = self.public
        host = host.lower()
        if host in self.allowed and host != urlsplit(public).netloc:
            return f"{scheme}://{host}"
        return public


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
        if not readview.may_offer(query, file_name):
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
            _plain(self, 404)
            return
        query, notices, _ = readview.canonical(name, self.request.query)
        origin, views = self.settings[HOSTING].origin(self.request), self.views
        try:
            if file_name is None:
                view = views.cached(name, query) or await views.view(name, query)
            else:
                found = await views.download(name, query, file_name, origin)
        except Busy:
            _plain(self, 503)
            return
        except Exception:  # never a traceback to a reader; the server's log has it
            app_log.exception("read view %s?%s failed", name, query)
            _plain(self, 500)
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
            _plain(self, 404)
            return
        mime, data = found
        self.set_header("Content-Type", mime)
        self.set_header("Content-Disposition", f'attachment; filename="{file_name}"')
        self.finish(data)

    head = get


class PageHandler(TornadoVoilaHandler):
    """Voilà's page, setting the XSRF cookie that the page's unload reads to shut its kernel
    down (Voilà 0.5 never sets it, so every reader's kernel would wait for the idle cull), and
    telling the kernel the public address (its downloads name it) instead of the client's."""

    async def prepare(self, *args, **kwargs) -> None:
        notebooks = {addresses.live_link(name) for name in PAGES}
        if self.path_args and self.path_args[0] not in notebooks:
            _plain(self, 404)  # only the pages run: not the course in notebooks/course/
            return
        await super().prepare(*args, **kwargs)
        _ = self.xsrf_token  # sets the _xsrf cookie
        origin = self.settings[HOSTING].origin(self.request)
        self.request.protocol, _, self.request.host = origin.partition("://")


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

    aliases: ClassVar[dict] = {
        **Voila.aliases,
        **{name: f"ExplorerVoila.{name}" for name in OPTIONS},
    }
    public_url = Unicode(
        config=True,
        help="The address readers use, such as https://explorer.example.org: the one the read "
        "views' links name (default: the address the launcher listens on).",
    )
    allowed_hosts = Unicode(
        config=True,
        help="Other host names (host or host:port, commas between) whose requests get links "
        "that name them; every other Host gets the public address.",
    )
    trusted_proxies = Unicode(
        config=True,
        help="Addresses or networks of the proxies whose X-Forwarded-Host and X-Forwarded-Proto "
        "count (commas between, such as 127.0.0.1,10.0.0.0/8); from anyone else they are ignored.",
    )
    render_workers = Integer(
        config=True, help="Processes that render read views (0: one per core)."
    )
    render_queue = Integer(
        config=True,
        help="Most read-view renders waiting or running at once; more get 503 (0: 8 per worker).",
    )
    header_timeout = Float(
        config=True,
        help="Seconds a client has to send a request's headers (or its body), idle connections "
        "included.",
    )

    @default("public_url")
    def _default_public_url(self) -> str:
        return os.environ.get(OPTIONS["public_url"], "")

    @default("allowed_hosts")
    def _default_allowed_hosts(self) -> str:
        return os.environ.get(OPTIONS["allowed_hosts"], "")

    @default("trusted_proxies")
    def _default_trusted_proxies(self) -> str:
        return os.environ.get(OPTIONS["trusted_proxies"], "")

    @default("render_workers")
    def _default_render_workers(self) -> int:
        return int(os.environ.get(OPTIONS["render_workers"], "0") or 0)

    @default("render_queue")
    def _default_render_queue(self) -> int:
        return int(os.environ.get(OPTIONS["render_queue"], "0") or 0)

    @default("header_timeout")
    def _default_header_timeout(self) -> float:
        return float(os.environ.get(OPTIONS["header_timeout"], "20") or 20)

    def hosting(self) -> Hosting:
        public: str | Callable[[], str] = (
            public_origin(self.public_url)
            if self.public_url
            else lambda: listen_origin(self.ip, self.port)
        )
        return Hosting(public, self.allowed_hosts, self.trusted_proxies)

    def init_handlers(self) -> list:
        route = url_path_join(self.base_url, addresses.route(addresses.RUNTIME))
        self.read_views = ReadViews(self.base_url)
        view = url_path_join(self.base_url, addresses.route(addresses.VIEW))
        view_file = url_path_join(self.base_url, addresses.route(addresses.VIEW_FILE))
        handlers: list = [
            (route, VegaRuntime),
            (url_path_join(self.base_url, addresses.route(addresses.EMBED_SCRIPT)), EmbedScript),
            (view, ReadViewHandler, {"views": self.read_views}),
            (view_file, ReadViewHandler, {"views": self.read_views}),
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
        a 414 page rather than a closed connection, oversized header fields a 431, a query of too
        many fields a 400 page, unknown paths a plain 404, and slow clients a header timeout.
        Its kernels (started from here on, and inheriting the environment) load the Vega bundle
        from it, and its pages preload it."""
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
            if oversized(request.headers):
                return app.get_handler_delegate(request, _TooLarge)
            return find(request, **kwargs)

        app.find_handler = find_handler  # type: ignore[method-assign]
        start_request = app.start_request

        def counted_start(server_conn, request_conn) -> httputil.HTTPMessageDelegate:
            delegate = start_request(server_conn, request_conn)
            return _FieldLimit(app, delegate, server_conn, request_conn)

        app.start_request = counted_start  # type: ignore[method-assign]
        app.listen = functools.partial(  # type: ignore[method-assign]
            app.listen,
            max_header_size=MAX_HEADER,
            idle_connection_timeout=self.header_timeout,  # also the time to send the headers
            body_timeout=self.header_timeout,
        )
        try:
            app.settings[HOSTING] = self.hosting()
        except ValueError as error:
            self.log.critical("%s", error)
            self.exit(1)
        views = self.read_views
        views.workers = self.render_workers or len(os.sched_getaffinity(0))
        views.queue = self.render_queue or 8 * views.workers
        views.warm()
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
