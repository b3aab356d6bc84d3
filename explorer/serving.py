"""Serving the pages to many readers: a kernel manager with a ceiling.

Voilà starts one kernel per page view. ``CappedKernelManager`` caps the kernels a server holds, so a
burst of readers (or of plain GET requests from a script) cannot exhaust the machine: a page view
over the cap gets Voilà's error page with status 503 (the template turns it into a friendly "busy,
try again" page that retries by itself), while refills of the preheated pool wait for room instead
of failing. Kernels of readers who are connected are never culled; kernels whose page never
connected, or whose reader left, are shut down after the idle grace period (voila.json).
"""

from __future__ import annotations

import asyncio
import os

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import HTTPError
from traitlets import Float, Integer, default


class CappedKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager with a ceiling on the number of kernels."""

    max_kernels = Integer(config=True, help="Most kernels at once (0: no ceiling).")
    refill_wait = Float(2.0, config=True, help="Seconds between checks when a pool refill "
                                               "waits for room under the ceiling.")

    @default("max_kernels")
    def _default_max_kernels(self) -> int:
        return int(os.environ.get("EXPLORER_MAX_KERNELS", "0") or 0)

    def full(self) -> bool:
        return bool(self.max_kernels) and len(self.list_kernel_ids()) >= self.max_kernels

    async def start_kernel(self, *args, **kwargs) -> str:
        env = kwargs.get("env") or {}
        if env.get("VOILA_PREHEAT") == "True":
            while self.full():           # a pool refill: wait for a reader's kernel to go
                await asyncio.sleep(self.refill_wait)
        elif self.full():
            self.log.warning("Kernel ceiling of %d reached; answering 503", self.max_kernels)
            raise HTTPError(503, "busy")
        return await super().start_kernel(*args, **kwargs)
