"""Serving the pages to many readers (``python -m explorer.serving notebooks``; plain
``voila notebooks`` works too), one concept a module:

- ``app``: the launcher, Voilà with the project's options and routes;
- ``kernels``: a ceiling on the kernels at once, and a pool that hands out ready kernels only;
- ``views``: the read views, rendered in a process per core behind a bounded queue;
- ``hosting``: the public address a view names, whoever asks;
- ``limits``: what the server refuses (long addresses, big headers, many fields), with the
  site's error pages.

voila.json and Binder name ``explorer.serving.CappedKernelManager``.
"""

from explorer.serving.app import ExplorerVoila, arguments, main
from explorer.serving.hosting import Hosting, listen_origin, public_origin
from explorer.serving.kernels import CappedKernelManager
from explorer.serving.limits import MAX_FIELD, MAX_QUERY_FIELDS, oversized
from explorer.serving.views import ReadViews, accepts_gzip

__all__ = [
    "MAX_FIELD",
    "MAX_QUERY_FIELDS",
    "CappedKernelManager",
    "ExplorerVoila",
    "Hosting",
    "ReadViews",
    "accepts_gzip",
    "arguments",
    "listen_origin",
    "main",
    "oversized",
    "public_origin",
]
