"""The site's URL layout, in one place: where a live page, a read view, a view's download, the
Vega runtime and a baked file live, and how one names another.

Paths here are relative to the site's root (the launcher's ``--Voila.base_url``, or the baked
folder), with no leading slash; a link between two documents is ``relative(here, target)``, so
it works behind any prefix. The launcher's routes (``explorer.serving``), the read views and the
bake (``explorer.ui.views``), the live pages and their frame (``explorer.ui.live``) and the nginx
files in ``deploy/nginx`` (checked by ``tests/test_deploy.py``) all ask this module.

=============  ==========================================  =================================
what           the launcher                                a baked folder
=============  ==========================================  =================================
live page      ``voila/render/<page>.ipynb?<query>``       (none: a launcher's, if given)
read view      ``view/<page>?<query>``                     ``<lang>/<case>/<page>.html``
its embed      ``view/<page>?<query>&embed=1``             ``<lang>/<case>/<page>.embed.html``
its download   ``view/<page>/file/<file>?<query>``         ``<lang>/<case>/<page>/<file>``
Vega runtime   ``explorer/static/<bundle>``                ``static/<bundle>``
embed script   ``view/embed.js``                           ``static/embed.js``
front page     ``view/index``                              ``index.html``
=============  ==========================================  =================================
"""

from __future__ import annotations

import posixpath
import re
import string

LIVE = "voila/render/{page}.ipynb"
#: A link from a live page to another: they sit side by side.
LIVE_LINK = posixpath.basename(LIVE)
VIEW = "view/{page}"
VIEW_FILE = "view/{page}/file/{file}"
RUNTIME = "explorer/static/{bundle}"
BAKED_VIEW = "{lang}/{case}/{page}.html"
BAKED_FILE = "{lang}/{case}/{page}/{file}"
BAKED_RUNTIME = "static/{bundle}"
BAKED_INDEX = "index.html"
BAKED_EMBED = "{lang}/{case}/{page}.embed.html"
#: The script a host page includes beside an embedded view (it sizes the frame to the content).
EMBED_SCRIPT = "view/embed.js"
BAKED_EMBED_SCRIPT = "static/embed.js"
#: The query parameter that asks for a read view's embed form (``view/<page>?<query>&embed=1``).
EMBED_PARAM = "embed"

#: What each part of an address may hold, as the launcher's routes match it.
PARTS = {
    "page": r"[a-z_]+",
    "file": r"[\w.-]+",
    "bundle": r"vega-runtime-[0-9a-f]+\.js",
}


def live(page: str) -> str:
    return LIVE.format(page=page)


def view(page: str) -> str:
    return VIEW.format(page=page)


def view_file(page: str, file: str) -> str:
    return VIEW_FILE.format(page=page, file=file)


def runtime(bundle: str) -> str:
    return RUNTIME.format(bundle=bundle)


def baked_view(lang: str, case: str, page: str) -> str:
    return BAKED_VIEW.format(lang=lang, case=case, page=page)


def baked_file(lang: str, case: str, page: str, file: str) -> str:
    return BAKED_FILE.format(lang=lang, case=case, page=page, file=file)


def baked_embed(lang: str, case: str, page: str) -> str:
    return BAKED_EMBED.format(lang=lang, case=case, page=page)


def baked_runtime(bundle: str) -> str:
    return BAKED_RUNTIME.format(bundle=bundle)


def embed_query(query: str) -> str:
    """A view's query asking for its embed form: no menu, the key figures and main chart."""
    return f"{query}&{EMBED_PARAM}=1" if query else f"{EMBED_PARAM}=1"


def root(template: str) -> str:
    """The fixed start of a layout's paths (``view/``, ``voila/render/``): what proxies route on."""
    return template.split("{", 1)[0]


def route(template: str) -> str:
    """A layout as a regular expression, one group a part (the launcher's route patterns)."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is not None:
            out.append(f"({PARTS[name]})")
    return "".join(out)


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def relative(here: str, target: str) -> str:
    """The link from the document at path ``here`` to the path ``target`` (both from the root)."""
    folder = posixpath.dirname(here)
    return posixpath.relpath(target, folder or ".")


def absolute(base: str, path: str) -> str:
    """``path`` under a site's address (``https://example.org/app/``, with or without the slash)."""
    return f"{base.rstrip('/')}/{path}"


_LIVE_AT = re.compile(rf"^(.*/){route(LIVE)}$")


def view_of_live(url: str) -> str | None:
    """The read view's address beside a live page's (``…/voila/render/x.ipynb`` to
    ``…/view/x``), None if ``url`` is not a live page's."""
    found = _LIVE_AT.match(url)
    return f"{found.group(1)}{view(found.group(2))}" if found else None


def live_link(page: str) -> str:
    return LIVE_LINK.format(page=page)
