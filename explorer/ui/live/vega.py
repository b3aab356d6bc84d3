"""The offline Vega runtime: built once by vl-convert, kept on disk, loaded once per browser.

Building the bundle takes vl-convert a second or two and a hundred megabytes, so a kernel never
does it when the file is already there: ``make setup`` (and the container build) run
``python -m explorer.ui.live.vega`` to write it, and the first process that finds it missing
writes it.

The project's launcher (``python -m explorer.serving``) serves the bundle as a static file under a
name that changes with its content, so a browser fetches it once (compressed) and keeps it; the
pages then send only a small loader over their websocket. Under plain ``voila`` the bundle itself
crosses the websocket, once per page.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

from explorer.data import files
from explorer.ui.content import addresses

#: What the bundle runs: hand Vega-Embed to the charts of the page (see js/runtime.js).
SNIPPET = files.package_path("ui", "live", "js", "runtime.js")
#: Set (to "1") by the launcher in its environment, which its kernels inherit.
SERVED = "EXPLORER_SERVES_VEGA"
#: Where the launcher serves the bundle, below Voilà's base URL.
ROUTE = addresses.root(addresses.RUNTIME)


def cache_dir() -> Path:
    """Where the bundle is kept: $EXPLORER_CACHE, else $XDG_CACHE_HOME or ~/.cache."""
    root = os.environ.get("EXPLORER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"),
        "social-investment-explorer",
    )
    return Path(root)


@cache
def bundle_name() -> str:
    """The bundle's file name: it changes with vl-convert's version and with the snippet."""
    key = md.version("vl-convert-python").encode() + b"\0" + SNIPPET.read_bytes()
    return f"vega-runtime-{hashlib.sha256(key).hexdigest()[:16]}.js"


def bundle_path() -> Path:
    return cache_dir() / bundle_name()


def build() -> str:
    """Bundle Vega, Vega-Lite and Vega-Embed with the runtime snippet (needs vl-convert)."""
    import vl_convert as vlc

    return vlc.javascript_bundle(SNIPPET.read_text(encoding="utf-8"))


@cache
def bundle() -> str:
    """The bundle's text: read from disk, or built and written there the first time."""
    path = bundle_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, delete=False, encoding="utf-8"
        ) as handle:
            handle.write(text)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home: build again next time
    return text


def served_url() -> str | None:
    """The bundle's address when the launcher serves it to this kernel's pages, else None."""
    if os.environ.get(SERVED) != "1":
        return None
    base = os.environ.get("VOILA_BASE_URL") or "/"
    return f"{base.rstrip('/')}/{ROUTE}{bundle_name()}"


if __name__ == "__main__":
    bundle()
    print(bundle_path(), file=sys.stderr)
