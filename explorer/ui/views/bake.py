"""A baked site: the read view of every page for every preset in both languages, with their
downloads, as plain files that any static host serves with no Python at all.

``python -m explorer bake DIR --base-url https://example.org/read/`` writes (the layout is
``explorer.ui.content.addresses``')::

    DIR/index.html                      the front page: what the site is for, its pages, cases
    DIR/<lang>/<case>/<page>.html       a read view
    DIR/<lang>/<case>/<page>.embed.html its embed form (Share's iframe)
    DIR/<lang>/<case>/<page>/<file>     its downloads (charts as PNG and SVG, table, workbook)
    DIR/static/vega-runtime-<hash>.js   what a browser lever draws its chart with
    DIR/static/embed.js                 what a host page includes to size an embed's frame

The site links only to what exists. Links between baked views are relative, so the folder can
live under any path; Share links, embeds and the address in the downloads name the baked file at
``--base-url``. Live pages, and views of scenarios that were not baked (a claim's own settings),
are a launcher's: with ``--live-url`` they lead there; without, "change the numbers" becomes how
to change them (run the app, or the course notebook) and another scenario's link the preset's.
"""

from __future__ import annotations

import html
from pathlib import Path

from explorer import catalogue
from explorer.data import i18n
from explorer.data.pages import NAMES as PAGES
from explorer.ui.content import addresses, links
from explorer.ui.live import vega
from explorer.ui.views import readview


class BakedSite(readview.Site):
    """Where a baked view's links lead: to the baked files at ``base_url`` where the scenario is
    a preset's, else to the launcher at ``live_url`` if there is one, else to the preset's view
    (to the front page for a page left out of the bake)."""

    #: Any baked view's path: they all sit two folders down (language, case).
    HERE = addresses.baked_view("_", "_", "_")

    def __init__(
        self,
        base_url: str,
        live_url: str | None = None,
        cases: tuple[str, ...] | None = None,
        pages: tuple[str, ...] = PAGES,
    ):
        super().__init__(base_url, "/")
        self.base, self.launcher, self.pages = base_url, live_url, pages
        self.cases = tuple(catalogue.cases()) if cases is None else cases
        self.presets = {
            (name, readview.canonical(name, f"case={case}&lang={lang}")[0]): (lang, case)
            for name in pages
            for case in self.cases
            for lang in i18n.LANGS
        }

    def baked(self, name: str, query: str) -> tuple[str, str] | None:
        """(language, case) of the baked view of this link, if there is one."""
        return self.presets.get((name, readview.canonical(name, query)[0]))

    def nearest(self, name: str, query: str) -> tuple[str, str]:
        """(language, case) of the baked view of this link, else of its case's preset."""
        found = self.baked(name, query)
        if found is not None:
            return found
        link = links.parse(query)
        case = link.scenario.case
        return link.lang, case if case in self.cases else self.cases[0]

    def at_launcher(self, path: str, query: str) -> str | None:
        """A path's address at the launcher; None without one."""
        if self.launcher is None:
            return None
        return addresses.with_query(addresses.absolute(self.launcher, path), query)

    def view(self, name: str, query: str) -> str:
        baked = self.baked(name, query) is not None
        elsewhere = None if baked else self.at_launcher(addresses.view(name), query)
        if elsewhere is None and name not in self.pages:
            return self.link(addresses.BAKED_INDEX)
        return elsewhere or self.link(addresses.baked_view(*self.nearest(name, query), name))

    def live(self, name: str, query: str) -> str | None:
        return self.at_launcher(addresses.live(name), query)

    def has_files(self, name: str, query: str) -> bool:
        return self.baked(name, query) is not None

    def file(self, name: str, query: str, file_name: str) -> str:
        return self.link(addresses.baked_file(*self.nearest(name, query), name, file_name))

    def address(self, name: str, query: str) -> str:
        return addresses.absolute(self.base, addresses.baked_view(*self.nearest(name, query), name))

    def absolute(self, name: str, query: str) -> str:
        return self.address(name, query)

    def share(self, name: str, query: str) -> str | None:
        if self.baked(name, query):
            return self.address(name, query)
        return self.at_launcher(addresses.view(name), query)

    def embed(self, name: str, query: str) -> str | None:
        if self.baked(name, query) is None:
            return self.at_launcher(addresses.view(name), addresses.embed_query(query))
        path = addresses.baked_embed(*self.nearest(name, query), name)
        return addresses.absolute(self.base, path)

    def embed_script(self) -> str:
        return addresses.absolute(self.base, addresses.BAKED_EMBED_SCRIPT)

    def runtime(self) -> str:
        return self.link(addresses.baked_runtime(vega.bundle_name()))


def bake(
    folder: Path,
    base_url: str,
    pages: tuple[str, ...] = PAGES,
    live_url: str | None = None,
    cases: tuple[str, ...] | None = None,
) -> list[Path]:
    """Write the baked site into ``folder`` (``pages`` and ``cases``: a part of it); the files
    written."""
    site = BakedSite(base_url, live_url, cases, pages)
    written: list[Path] = []

    def write(path: str, data: bytes) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)

    for (name, query), (lang, case) in site.presets.items():
        view = readview.render(name, query, site)
        write(addresses.baked_view(lang, case, name), view.html().encode("utf-8"))
        if readview.page_class(name).has_numbers:  # the front page has nothing to embed
            embed = readview.render(name, addresses.embed_query(query), site)
            write(addresses.baked_embed(lang, case, name), embed.html().encode("utf-8"))
        for file_name in [*view.charts, *view.files]:
            found = readview.file_bytes(view, file_name, site)
            if found is not None:
                write(addresses.baked_file(lang, case, name, file_name), found[1])
    write(addresses.baked_runtime(vega.bundle_name()), vega.bundle().encode("utf-8"))
    write(addresses.BAKED_EMBED_SCRIPT, readview.EMBED_HOST_SCRIPT.encode("utf-8"))
    write(addresses.BAKED_INDEX, index(site).encode("utf-8"))
    return written


def index(site: BakedSite) -> str:
    """The site's front page, as the live one: its title, introduction and menu of pages, with
    the cases to choose from and how to change the numbers, in each language."""
    first = site.cases[0]
    sections = []
    for lang in i18n.LANGS:
        menu = "".join(
            f"<li>{_link(lang, first, name, i18n.t(f'page.{name}', lang))}: "
            f"{html.escape(i18n.t(f'index.{name}', lang))}</li>"
            for name in site.pages
            if name != "index"
        )
        cases = " · ".join(
            _link(lang, c, site.pages[0], catalogue.case(c).title[lang]) for c in site.cases
        )
        live = site.live("index", f"lang={lang}")
        change = (
            f"<a href='{html.escape(live)}'>{html.escape(i18n.t('view.change', lang))}</a>"
            if live
            else html.escape(i18n.t("view.fixed", lang))
        )
        sections.append(
            f"<section lang='{lang}'><h1>{html.escape(i18n.t('index.title', lang))}</h1>"
            f"<p class='summary'>{html.escape(i18n.t('index.intro', lang))}</p>"
            f"<ul class='pages'>{menu}</ul>"
            f"<p class='view-case'><b>{html.escape(i18n.t('case', lang))}:</b> {cases}</p>"
            f"<p class='live-note'>{change}</p></section>"
        )
    return (
        "<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(i18n.t('view.site', 'da'))}</title>"
        f"<style>{readview.stylesheet()}</style></head><body>"
        f"<div class='app read-view page-index'><main class='landing'>{''.join(sections)}</main>"
        "</div></body></html>"
    )


def _link(lang: str, case: str, name: str, text: str) -> str:
    """A link from the baked front page to a view."""
    path = html.escape(addresses.baked_view(lang, case, name))
    return f"<a href='{path}'>{html.escape(text)}</a>"
