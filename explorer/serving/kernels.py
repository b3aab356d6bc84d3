"""The launcher's kernels: a ceiling on how many run at once, and a pool that hands a reader
only a kernel that is ready.

Voilà starts one kernel per page view. ``CappedKernelManager`` caps the kernels a server holds, so
a burst of readers (or of plain GET requests from a script) cannot exhaust the machine: a page
view over the cap gets Voilà's error page with status 503 (the template turns it into a friendly
"busy, try again" page that retries by itself), while refills of the preheated pool wait for room
instead of failing. Kernels of readers who are connected are never culled; kernels whose page
never connected, or whose reader left, are shut down after the idle grace period (voila.json).
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


def ready_first(manager_class: type) -> type:
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
