"""The page's kernel reads the reader's request from Voilà's query socket
(explorer.ui.live.request)."""

import asyncio
import json
import threading

import pytest
import tornado.web
import tornado.websocket
from servers import free_port

from explorer.ui.live import request, widgets


class QuerySocket(tornado.websocket.WebSocketHandler):
    """Stands where Voilà's query socket stands: sends the request's variables on connect."""

    def open(self, kernel_id: str) -> None:
        self.write_message(json.dumps({"QUERY_STRING": f"case=aabenraa&kernel={kernel_id}"}))


@pytest.fixture
def query_socket(monkeypatch):
    port = free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/base/voila/query/(.*)", QuerySocket)])
        app.listen(port, address="127.0.0.1")
        started.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    started.wait(10)
    for key, value in {
        "VOILA_PREHEAT": "True",
        "VOILA_APP_IP": "127.0.0.1",
        "VOILA_APP_PORT": str(port),
        "VOILA_SERVER_URL": "/base/",
        "VOILA_KERNEL_ID": "k1",
        "QUERY_STRING": "",
    }.items():
        monkeypatch.setenv(key, value)
    yield
    loop.call_soon_threadsafe(loop.stop)


def test_a_preheated_kernel_waits_for_the_request_and_reads_its_query(query_socket):
    assert request.socket_url().endswith("/base/voila/query/k1")
    assert request.query() == "case=aabenraa&kernel=k1"


def test_without_preheating_the_query_is_read_at_once(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "lang=en")
    assert request.query() == "lang=en"


def test_the_page_address_drops_the_query(monkeypatch):
    monkeypatch.setenv("VOILA_REQUEST_URL", "https://x.dk/p/voila/render/explorer.ipynb?case=a")
    assert request.page_url() == "https://x.dk/p/voila/render/explorer.ipynb"


def test_the_runtime_is_a_loader_where_the_launcher_serves_the_bundle(monkeypatch):
    monkeypatch.setenv("EXPLORER_SERVES_VEGA", "1")
    monkeypatch.setenv("VOILA_BASE_URL", "/prefix/")
    runtime = widgets.runtime()
    assert isinstance(runtime, widgets.RuntimeLoader)
    assert runtime.url.startswith("/prefix/explorer/static/vega-runtime-")
    monkeypatch.delenv("EXPLORER_SERVES_VEGA")
    assert "registry.embed=" in widgets.runtime()._esm  # the whole bundle
