"""The offline Vega runtime: built once by vl-convert, kept on disk, sent once per page.

Building the bundle takes vl-convert a second or two and a hundred megabytes, so a kernel never
does it when the file is already there: ``make setup`` (and the container build) run
``python -m explorer.ui.vega`` to write it, and the first kernel that finds it missing writes it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from functools import cache
from pathlib import Path

from .. import files

#: What the bundle runs: hand Vega-Embed to the charts of the page (see js/runtime.js).
SNIPPET = files.package_path("ui", "js", "runtime.js")


def cache_dir() -> Path:
    """Where the bundle is kept: $EXPLORER_CACHE, else $XDG_CACHE_HOME or ~/.cache."""
    root = os.environ.get("EXPLORER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"),
        "social-investment-explorer",
    )
    return Path(root)


def bundle_path() -> Path:
    import importlib.metadata as md

    version = md.version("vl-convert-python")
    return cache_dir() / f"vega-runtime-{version}.js"


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


if __name__ == "__main__":
    bundle()
    print(bundle_path(), file=sys.stderr)
