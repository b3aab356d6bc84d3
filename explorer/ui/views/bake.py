"""A baked site: the read view of every page for every preset in both languages, with their
downloads, as plain files that any static host serves with no Python at all.

``python -m explorer bake DIR --base-url https://example.org/`` writes::

    DIR/index.html                      the cases and pages in both languages
    DIR/<lang>/<case>/<page>.html       a read view
    DIR/<lang>/<case>/<page>/<file>     its downloads (charts as PNG and SVG, table, workbook)
    DIR/static/vega-runtime-<hash>.js   what the explorer's caseload lever draws its chart with

Links between baked views are relative, so the folder can live under any path. A link to a
scenario that was not baked (a claim's own settings, say) and "change the numbers" go to the
launcher at ``--base-url``, which also stands in the downloads as the address that reproduces them.
"""

from __future__ import annotations

import html
from pathlib import Path

from explorer import catalogue
from explorer.data import i18n
from explorer.data.pages import NAMES as PAGES
from explorer.ui.live import vega
from explorer.ui.views import readview


class BakedSite(readview.Site):
    """Where a baked view's links lead: to the baked files where the scenario is a preset's,
    else to the launcher at ``base_url``."""

    def __init__(self, base_url: str):
        base = base_url if base_url.endswith("/") else base_url + "/"
        super().__init__(base.rstrip("/"), "/")
        self.base = base
        self.presets = {
            (name, readview.canonical(name, f"case={case}&lang={lang}")[0]): (lang, case)
            for name in PAGES
            for case in catalogue.cases()
            for lang in i18n.LANGS
        }

    def baked(self, name: str, query: str) -> tuple[str, str] | None:
        """(language, case) of the baked view of this link, if there is one."""
        return self.presets.get((name, readview.canonical(name, query)[0]))

    def view(self, name: str, query: str) -> str:
        found = self.baked(name, query)
        if found is None:
            return f"{self.base}view/{name}?{query}"
        lang, case = found
        return f"../../{lang}/{case}/{name}.html"

    def live(self, name: str, query: str) -> str:
        return f"{self.base}voila/render/{name}.ipynb?{query}"

    def file(self, name: str, query: str, file_name: str) -> str:
        if self.baked(name, query) is None:
            return f"{self.base}view/{name}/file/{file_name}?{query}"
        return f"{name}/{file_name}"

    def address(self, name: str) -> str:
        return f"{self.base}view/{name}"

    def runtime(self) -> str:
        return f"../../static/{vega.bundle_name()}"


def bake(folder: Path, base_url: str, pages: tuple[str, ...] = PAGES) -> list[Path]:
    """Write the baked site into ``folder``; the files written."""
    site = BakedSite(base_url)
    written: list[Path] = []

    def write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)

    for (name, query), (lang, case) in site.presets.items():
        if name not in pages:
            continue
        view = readview.render(name, query, site)
        here = folder / lang / case
        write(here / f"{name}.html", view.html().encode("utf-8"))
        for file_name in [*view.charts, *view.files]:
            found = readview.file_bytes(view, file_name, site)
            if found is not None:
                write(here / name / file_name, found[1])
    write(folder / "static" / vega.bundle_name(), vega.bundle().encode("utf-8"))
    write(folder / "index.html", index(site, pages).encode("utf-8"))
    return written


def index(site: BakedSite, pages: tuple[str, ...]) -> str:
    """The site's front page: each case's pages, in each language."""
    sections = []
    for lang in i18n.LANGS:
        cases = []
        for case in catalogue.cases():
            links = "".join(
                f"<li><a href='{lang}/{case}/{name}.html'>"
                f"{html.escape(i18n.t(f'page.{name}', lang))}</a></li>"
                for name in pages
            )
            title = html.escape(catalogue.case(case).title[lang])
            cases.append(f"<h3>{title}</h3><ul>{links}</ul>")
        sections.append(
            f"<section lang='{lang}'><h2>{html.escape(i18n.t('view.site', lang))}</h2>"
            f"{''.join(cases)}</section>"
        )
    return (
        "<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(i18n.t('view.site', 'da'))}</title>"
        f"<style>{readview.stylesheet()}</style></head><body><div class='app read-view'><main>"
        f"{''.join(sections)}</main></div></body></html>"
    )
