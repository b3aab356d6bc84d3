"""The launcher: Voilà as the explorer serves it (``python -m explorer.serving notebooks``), its
options, its routes, and the server's limits wired in."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import tornado.web
from jupyter_server.utils import url_path_join
from tornado import httputil
from tornado.web import RequestHandler
from traitlets import Float, Integer, Unicode, default
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from explorer.data.pages import NAMES as PAGES
from explorer.serving.hosting import HOSTING, Hosting, listen_origin, public_origin
from explorer.serving.kernels import ready_first
from explorer.serving.limits import (
    MAX_HEADER,
    MAX_URI,
    FieldLimit,
    NotFound,
    TooLarge,
    TooLong,
    guarded,
    oversized,
    plain,
)
from explorer.serving.views import EmbedScript, ReadViewHandler, ReadViews, VegaRuntime, vega_bytes
from explorer.ui.content import addresses
from explorer.ui.live import vega

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


class PageHandler(TornadoVoilaHandler):
    """Voilà's page, setting the XSRF cookie that the page's unload reads to shut its kernel
    down (Voilà 0.5 never sets it, so every reader's kernel would wait for the idle cull), and
    telling the kernel the public address (its downloads name it) instead of the client's."""

    async def prepare(self, *args, **kwargs) -> None:
        notebooks = {addresses.live_link(name) for name in PAGES}
        if self.path_args and self.path_args[0] not in notebooks:
            plain(self, 404)  # only the pages run: not the course in notebooks/course/
            return
        await super().prepare(*args, **kwargs)
        _ = self.xsrf_token  # sets the _xsrf cookie
        origin = self.settings[HOSTING].origin(self.request)
        self.request.protocol, _, self.request.host = origin.partition("://")


class FrontPage(RequestHandler):
    """The site's root and Voilà's file list (``voila/tree``) send a reader to the front page,
    the root's query kept (as nginx does in front of it)."""

    def initialize(self, to: str) -> None:
        self.to = to

    def get(self, *args, **kwargs) -> None:
        query = self.request.query if self.request.path == self.settings.get("base_url") else ""
        target = url_path_join(self.settings.get("base_url", "/"), self.to)
        self.redirect(addresses.with_query(target, query))

    head = get


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
            if handler is TornadoVoilaTreeHandler:  # the front page, not Voilà's file list
                spec = (pattern, FrontPage, {"to": addresses.live("index")})
            elif handler is TemplateStaticFileHandler:
                spec = (pattern, guarded(handler), *spec[2:])
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
        vega_bytes()
        os.environ[vega.SERVED] = "1"
        os.environ[VIEWS] = "1"  # the pages' Share dialogs offer the read views
        # The template preloads the bundle while the page loads (index.html.j2).
        resources = self.config.VoilaConfiguration.get("resources")
        resources = dict(resources) if isinstance(resources, dict) else {}
        self.config.VoilaConfiguration.resources = resources | {"explorer_vega": vega.bundle_name()}
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        self.app = tornado.web.Application(**self.init_settings())
        if hasattr(self.kernel_manager, "_pools"):  # preheating
            self.kernel_manager.__class__ = ready_first(type(self.kernel_manager))
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", [*self.init_handlers(), (r".*", NotFound)])
        app, find = self.app, self.app.find_handler

        def find_handler(request, **kwargs):
            if len(request.uri or "") > MAX_URI:
                return app.get_handler_delegate(request, TooLong)
            if oversized(request.headers):
                return app.get_handler_delegate(request, TooLarge)
            return find(request, **kwargs)

        app.find_handler = find_handler  # type: ignore[method-assign]
        start_request = app.start_request

        def counted_start(server_conn, request_conn) -> httputil.HTTPMessageDelegate:
            delegate = start_request(server_conn, request_conn)
            return FieldLimit(app, delegate, server_conn, request_conn)

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
