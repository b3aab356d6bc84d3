"""What the launcher refuses, and how: the error pages (explorer/ui/views/errors.py) where
Voilà 0.5 would answer 500 or nothing, for over-long addresses (414), oversized header fields
(431), queries of too many fields (400), unknown paths and malformed ones (404)."""

from __future__ import annotations

import re

import tornado.web
from tornado import httputil
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.web import RequestHandler

from explorer.ui.content import addresses
from explorer.ui.views import errors

MAX_URI = 16_384
MAX_HEADER = 128 * 1024
#: Header fields beyond these (one field, all of them) get a 431 before any handler runs; the
#: server reads at most MAX_HEADER and closes the connection beyond it.
MAX_FIELD = 8 * 1024
MAX_FIELDS = 32 * 1024
#: The most fields a query may have: tornado's own limit (beyond it tornado would answer an empty
#: 400 before any handler runs; the site answers its own 400 page, naming the limit).
MAX_QUERY_FIELDS = httputil.ParseUrlEncodedConfig().max_arguments


def plain(handler: RequestHandler, status: int, lang: str = "da", **numbers: float) -> None:
    """The site's error page of ``status`` (explorer/ui/views/errors.py), the reader's ``lang``
    first, uncached; a 503 (busy) asks the reader to come back after ``errors.RETRY_AFTER``
    seconds."""
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    if status == 503:
        handler.set_header("Retry-After", str(errors.RETRY_AFTER))
    home = f"{handler.settings.get('base_url', '/')}{addresses.view('index')}"
    handler.finish(errors.page(status, home, lang, **numbers))


class TooLong(RequestHandler):
    def prepare(self) -> None:
        plain(self, 414)


class TooLarge(RequestHandler):
    def prepare(self) -> None:
        plain(self, 431)


class TooManyFields(RequestHandler):
    def initialize(self, lang: str) -> None:
        self.lang = lang

    def prepare(self) -> None:
        plain(self, 400, self.lang, most=MAX_QUERY_FIELDS)


def too_many_fields(query: str) -> bool:
    """Whether a query has more fields than MAX_QUERY_FIELDS, counted as the parser counts them
    (before it parses anything)."""
    return query.count("&") + 1 > MAX_QUERY_FIELDS


class FieldLimit(httputil.HTTPMessageDelegate):
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
                    request, TooManyFields, {"lang": lang.group(1) if lang else "da"}
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


class NotFound(RequestHandler):
    def prepare(self) -> None:
        plain(self, 404)


def guarded(handler_class: type) -> type:
    """The handler, with malformed paths answered 404 instead of an assertion's 500."""

    class Guarded(handler_class):
        async def get(self, *args, **kwargs):
            try:
                return await super().get(*args, **kwargs)
            except (AssertionError, ValueError):
                plain(self, 404)

    Guarded.__name__ = f"Guarded{handler_class.__name__}"
    return Guarded
