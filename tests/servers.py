"""Real servers for the tests and benchmarks: Voilà on the notebooks (as a host runs it, from the
repository root with the project's voila.json) and, where a test needs it, nginx in front."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from explorer.ui.live.page import PAGES

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
#: Chromium as the tests and benchmarks run it: headless on a server, nothing fetched on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen | None = None, timeout: float = 90) -> None:
    """Wait until ``url`` answers (any HTTP status), or fail if the process dies."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.2)


class Voila:
    """``voila notebooks`` on 127.0.0.1, from the repository root, until ``stop()``.

    ``args`` are extra Voilà options (``--preheat_kernel=False``); ``base_url`` is the path prefix;
    ``warm`` waits until every page's preheated pool is filled; ``launcher`` is ``voila`` (plain
    Voilà, as Binder and most hosts run it) or ``explorer.serving`` (the project's launcher);
    ``folder`` is what it serves, below the repository root.
    """

    def __init__(
        self,
        name: str = "voila",
        port: int | None = None,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        warm: bool = True,
        base_url: str = "/",
        launcher: str = "voila",
        folder: str = "notebooks",
    ):
        ARTIFACTS.mkdir(exist_ok=True)
        self.port = port or free_port()
        self.base_url = base_url
        self.log_path = ARTIFACTS / f"{name}.log"
        command = [
            sys.executable,
            "-m",
            launcher,
            folder,
            "--no-browser",
            f"--port={self.port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            f"--Voila.base_url={base_url}",
            *args,
        ]
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(f"{self.url}voila/static/", self.proc)
            if warm and "--preheat_kernel=False" not in args:
                self.wait_warm()
        except RuntimeError:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_url}"

    def page(self, name: str, query: str = "") -> str:
        return f"{self.url}voila/render/{name}.ipynb" + (f"?{query}" if query else "")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kernels(self) -> list[psutil.Process]:
        """The server's live kernel processes (a kernel being reaped counts as gone)."""
        found = []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(
                    child.cmdline()
                ):
                    found.append(child)
            except psutil.Error:
                continue
        return found

    def wait_warm(self, timeout: float = 240) -> None:
        """Wait until every page's pool of preheated kernels is filled."""
        deadline = time.monotonic() + timeout
        while True:
            filled = set(re.findall(r"Kernel pool of (\w+)\.ipynb is filled", self.log()))
            if filled >= set(PAGES):
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Voilà's kernel pools did not fill; see {self.log_path}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None
