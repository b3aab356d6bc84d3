"""The reader's request as Voilà hands it to the page's kernel.

A preheated kernel runs the notebook before any reader arrives, then waits on Voilà's query
socket for the request that takes it. This does what ``voila.utils.wait_for_request`` does with
the websocket client the kernel already holds (tornado's): importing ``voila.utils`` would load the
Jupyter server into every kernel, about 50 MB and 2 s each.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from urllib.parse import urlsplit

CONNECT_TIMEOUT = 5.0


def query() -> str:
    """The page's query string; under a preheated kernel, after the request has arrived."""
    if os.environ.get("VOILA_PREHEAT") == "True":
        wait()
    return os.environ.get("QUERY_STRING", "")


def page_url() -> str:
    """The page's address without its query (Voilà tells the kernel the request's URL)."""
    url = os.environ.get("VOILA_REQUEST_URL", "")
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def socket_url() -> str:
    """Voilà's query socket for this kernel, from the variables Voilà gives the kernel."""
    env = os.environ
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL") or "/"
    return (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"
    )


def wait() -> None:
    """Block until Voilà sends the request, then put its variables in the environment."""
    from tornado.websocket import websocket_connect

    received: list[str | bytes | None] = []

    async def receive() -> None:
        connection = await websocket_connect(socket_url(), connect_timeout=CONNECT_TIMEOUT)
        try:
            received.append(await connection.read_message())
        finally:
            connection.close()

    # The kernel's own event loop is running this cell: receive on a loop of its own.
    thread = threading.Thread(target=lambda: asyncio.run(receive()), daemon=True)
    thread.start()
    thread.join()
    if received and received[0]:
        for key, value in json.loads(received[0]).items():
            os.environ[key] = value
