"""The read view of a page: what a reader who only looks sees, as one plain HTML document.

The page is built as the live page builds it (same link parsing, same model, same KPI boxes and
chart specs) in the serving process, with no kernel, and its widgets are written out as HTML:
text boxes as they are, charts as inline SVG drawn from the same Vega-Lite specs, disclosures as
``<details>``, the levers' values as a list of the numbers behind the view, and the downloads as
plain links. A "change the numbers" link opens the live page with the same query.

Where the view's links point is the ``Site``'s business: the launcher serves views at
``/view/<page>?<query>`` (``explorer.serving``); ``explorer.ui.views.bake`` writes them as files.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import html
import importlib
import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

import ipywidgets as w

from explorer import catalogue
from explorer.catalogue.owncase import OWN
from explorer.data import files, i18n
from explorer.data.pages import NAMES as PAGES
from explorer.model import fields
from explorer.outputs import export, reproduce
from explorer.ui.content import addresses, charts, links
from explorer.ui.live import page, vega, widgets

#: Chart widths drawn into the view: the column on a wide screen (readview.css's ``.results``
#: holds it), and a phone's; an embed's column (a host's frame) is narrower.
WIDE, NARROW, EMBED_WIDE = 960, 340, 640
#: Around a chart drawn into the view (Vega's default is 5 on every side).
PADDING = {"left": 17, "top": 5, "right": 5, "bottom": 5}
#: Rendered views kept in memory (each some 50-500 kB; the explorer's, with its lever, the most).
CACHE_SIZE = 256
#: A link between live pages in a page's text (``claims.ipynb?…``), which a view rewrites.
_IPYNB_LINK = re.compile(rf"""href=(['"]){addresses.route(addresses.LIVE_LINK)}(?:\?([^'"]*))?\1""")
_SVG_ID = re.compile(r"""(id="|url\(#|href="#)([A-Za-z][\w-]*)""")


def page_class(name: str) -> type[page.Page]:
    """The ``Page`` subclass named ``name`` in ``explorer/ui/<name>.py``."""
    if name not in PAGES:
        raise LookupError(name)
    module = importlib.import_module(f"explorer.ui.pages.{name}")
    found = [
        v
        for v in vars(module).values()
        if isinstance(v, type)
        and issubclass(v, page.Page)
        and v.__module__ == module.__name__
        and v.name == name
    ]
    if len(found) != 1:
        raise LookupError(f"{module.__name__} needs one Page subclass with name = {name!r}")
    return found[0]


def canonical(name: str, query: str) -> tuple[str, list[str], str]:
    """The query a page would put in its address bar for a link, the link's notices in its
    language, and the language: two spellings of one scenario give one canonical query, and a
    name no page reads is dropped (with its notice), never a key of its own."""
    cls = page_class(name)
    pairs = parse_qsl(query[: links.MAX_QUERY], keep_blank_values=True)
    embed = any(k == addresses.EMBED_PARAM and v == "1" for k, v in pairs)
    if any(k == addresses.EMBED_PARAM for k, _ in pairs):
        query = urlencode([(k, v) for k, v in pairs if k != addresses.EMBED_PARAM])
    form = addresses.embed_query if embed else (lambda q: q)
    if cls.reads_own_query:
        text, link = _own_case_query(query)
    else:
        link = links.parse(query)
        text = links.build(link.scenario, link.lang, link.extras, link.params)
    return form(text), [n.text(link.lang) for n in link.notices], link.lang


#: What the own-case page reads of its link itself: its case's code and which case.
OWN_PARAMS = ("c", "case")


def _own_case_query(query: str) -> tuple[str, links.Link]:
    """The own case's canonical link and the link as its page reads it: its case (the code
    ``c``, else a preset with the link's changes, else an empty form) and, of the rest, what the
    shared link reader keeps (financing terms, spreads, the language)."""
    try:
        pairs = (
            parse_qsl(query, keep_blank_values=True, max_num_fields=200)
            if len(query) <= links.MAX_QUERY
            else None
        )
    except ValueError:
        pairs = None  # the link reader below gives its notice
    found = dict(reversed(pairs or []))  # the first of a repeated name, as the page reads it
    code, case = found.get("c"), found.get("case")
    preset = pairs is None or (code is None and case not in (None, OWN))
    rest = query if preset else urlencode([(k, v) for k, v in pairs or [] if k not in OWN_PARAMS])
    link = links.parse(rest, facts=True)
    if preset and pairs is not None:
        return links.build(link.scenario, link.lang, link.extras), link
    kept = parse_qsl(links.build(catalogue.load_case(links.DEFAULT_CASE), link.lang, link.extras))
    own = [("case", OWN)] + ([("c", code)] if code is not None else [])
    return urlencode(own + [(k, v) for k, v in kept if k != "case"]), link


def split_embed(query: str) -> tuple[str, bool]:
    """A canonical query without its embed suffix, and whether it asked for the embed form."""
    suffix = addresses.embed_query("")
    if query == suffix:
        return "", True
    if query.endswith("&" + suffix):
        return query[: -len(suffix) - 1], True
    return query, False


#: Where a cached view's absolute links (Share, embed, downloads) name the site: each request
#: puts in the scheme and host it came by, so one cached view serves every host name.
ORIGIN = "https://origin.invalid"


class Site:
    """Where a view's links lead. The launcher's: views side by side under ``view/``, beside the
    live pages (``explorer.ui.content.addresses`` has the layout); the absolute addresses (Share,
    embed, downloads) name ``origin``, which a cached view fills in per request."""

    #: Any read view's path: they all sit in one folder.
    HERE = addresses.view("index")

    def __init__(self, origin: str = ORIGIN, prefix: str = "/"):
        self.origin, self.prefix = origin.rstrip("/"), prefix

    def link(self, path: str, query: str = "") -> str:
        """A link from a view to a path of the site (relative: it works behind any prefix)."""
        return addresses.with_query(addresses.relative(self.HERE, path), query)

    def view(self, name: str, query: str) -> str:
        """A link from one view to another."""
        return self.link(addresses.view(name), query)

    def live(self, name: str, query: str) -> str | None:
        """The live page of a view's scenario; None where no launcher runs live pages."""
        return self.link(addresses.live(name), query)

    def has_files(self, name: str, query: str) -> bool:
        """Whether the site has a scenario's own downloads (a launcher makes any)."""
        return True

    def file(self, name: str, query: str, file_name: str) -> str:
        return self.link(addresses.view_file(name, file_name), query)

    def address(self, name: str, query: str) -> str:
        """A view's whole address without its query: the page's own, for its downloads."""
        return addresses.absolute(self.origin + self.prefix, addresses.view(name))

    def absolute(self, name: str, query: str) -> str:
        """A view's whole address, for Share links and embeds."""
        return addresses.with_query(self.address(name, query), query)

    def share(self, name: str, query: str) -> str | None:
        """The whole address of any scenario's view; None where it does not exist."""
        return self.absolute(name, query)

    def embed(self, name: str, query: str) -> str | None:
        """The whole address of a view's embed form (Share's iframe); None where it has none."""
        return self.share(name, addresses.embed_query(query))

    def embed_script(self) -> str | None:
        """The whole address of the script a host includes to size embeds to their content."""
        return addresses.absolute(self.origin + self.prefix, addresses.EMBED_SCRIPT)

    def runtime(self) -> str:
        """The Vega runtime the page's browser lever loads (the launcher serves it)."""
        return self.link(addresses.runtime(vega.bundle_name()))


@dataclass
class View:
    """A rendered view: the document with a mark where the link's notices go, and what its
    download links ask for (charts by file name, the page's own files by key)."""

    name: str
    query: str
    lang: str
    document: str
    notices: list[str]
    charts: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    #: The document runs the caseload lever's script (its hash is LEVER_SCRIPT_HASH).
    script: bool = False
    #: The embed form, which runs only the script that reports its height (EMBED_SCRIPT_HASH).
    embed: bool = False
    _packed: dict[str, bytes] = field(default_factory=dict, repr=False)

    MARK = "<!--notices-->"
    #: Hosts whose compressed copy is kept (one or two in practice).
    HOSTS = 4

    def html(self, link_notices: Sequence[str] = (), origin: str = ORIGIN) -> str:
        items = list(dict.fromkeys([*link_notices, *self.notices]))
        text = self.document.replace(self.MARK, page.notices_html(items, self.lang), 1)
        return text.replace(ORIGIN, html.escape(origin))

    def encoded(self, link_notices: Sequence[str], packed: bool, origin: str) -> bytes:
        """The document for a request that came by ``origin``, as UTF-8, gzipped if ``packed``;
        the gzipped copy of a link without notices is kept."""
        if link_notices or not packed:
            raw = self.html(link_notices, origin).encode("utf-8")
            return gzip.compress(raw, 6) if packed else raw
        if origin not in self._packed:
            if len(self._packed) >= self.HOSTS:
                self._packed.clear()
            raw = self.html((), origin).encode("utf-8")
            self._packed[origin] = gzip.compress(raw, 9, mtime=0)
        return self._packed[origin]


# -- the widget tree as HTML ---------------------------------------------------------------------
@cache
def stylesheet() -> str:
    """The pages' stylesheet and the read view's own rules."""
    return page.stylesheet() + files.package_path("ui", "views", "readview.css").read_text(
        encoding="utf-8"
    )


def _classes(widget: w.Widget) -> str:
    return " ".join(html.escape(c) for c in getattr(widget, "_dom_classes", ()))


def _hidden(widget: w.Widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and layout.display == "none"


def svg(spec: dict, width: int, lang: str, label: str, prefix: str) -> str:
    """A page chart as inline SVG at ``width`` pixels, its ids made unique in the document."""
    import vl_convert as vlc

    # room on the left for y labels drawn wider than measured (a browser without the font)
    spec = charts.for_server({**spec, "width": width, "padding": PADDING})
    if width == NARROW:  # fewer, never touching numbers on a phone's x axis
        narrow = {"tickCount": 3, "labelOverlap": "greedy", "labelSeparation": 8}
        config = spec.get("config", {})
        spec["config"] = {**config, "axisX": {**config.get("axisX", {}), **narrow}}
    text = vlc.vegalite_to_svg(spec, format_locale=charts.FORMAT_LOCALE[lang])
    text = _SVG_ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    attrs = f'<svg role="img" aria-label="{html.escape(label)}" '
    return text.replace("<svg ", attrs, 1)


class _Writer:
    """Writes one page's widget tree; collects the levers into the list of inputs."""

    def __init__(self, p: page.Page, site: Site, query: str):
        self.page, self.site, self.query, self.lang = p, site, query, p.lang
        #: (label, value, the lever's name) of every input the page shows
        self.inputs: list[tuple[str, str, str]] = []
        self.charts: dict[str, dict] = {}
        self.in_levers = False
        self.lever = lever_frames(p, site, query) if p.browser_lever else None

    def links(self, text: str) -> str:
        """Links between live pages (``claims.ipynb?…``) as links between views."""

        def replace(m: re.Match) -> str:
            query = html.unescape(m.group(3) or "")
            return f"href={m.group(1)}{html.escape(self.site.view(m.group(2), query))}{m.group(1)}"

        return _IPYNB_LINK.sub(replace, text)

    def write(self, widget: w.Widget) -> str:
        if _hidden(widget):
            return ""
        p = self.page
        if widget is p.notice_box:
            return f"<div class='notices'>{View.MARK}</div>"
        declared = p.browser_lever
        if declared and widget is getattr(p, declared.kpi_box):
            lever, self.lever = self.lever, None  # the slider goes once, above the KPIs
            cards = f"<div class='{_classes(widget)}' data-lever-kpis>{widget.value}</div>"
            return (lever_html(lever, self.lang) if lever else "") + cards
        if widget is getattr(p, "downloads", None):
            return self.downloads()
        if isinstance(widget, widgets.Disclosure):
            body = "".join(self.write(c) for c in widget.body.children)
            if not body.strip():
                return ""
            return (
                f"<details class='{_classes(widget)}'><summary>{html.escape(widget.title)}"
                f"</summary>{body}</details>"
            )
        if isinstance(widget, w.HTML):
            if self.in_levers:  # headings and notes among the levers: the inputs list has its own
                return ""
            return f"<div class='{_classes(widget)}'>{self.links(widget.value)}</div>"
        if isinstance(widget, w.Box):
            outer, self.in_levers = (
                self.in_levers,
                self.in_levers or "levers" in widget._dom_classes,
            )
            try:
                inner = "".join(self.write(c) for c in widget.children)
            finally:
                self.in_levers = outer
            return f"<div class='{_classes(widget)}'>{inner}</div>" if inner.strip() else ""
        if isinstance(widget, widgets.Chart):
            return self.chart(widget)
        if isinstance(widget, widgets.Lever):
            label = self.outcome_label(widget.name) + widget.label
            self.inputs.append((label, _with_unit(widget), widget.name))
        elif isinstance(widget, widgets.Choice) and widget.param:
            return self.choice_links(widget)
        elif isinstance(widget, widgets.Choice) and "case-picker" not in widget.css:
            shown = {k: v for k, v in widget.options}.get(widget.value, widget.value)
            if widget.kind == "toggle":
                shown = i18n.t("view.yes" if widget.value == "True" else "view.no", self.lang)
            self.inputs.append((widget.label, shown, ""))
        elif isinstance(widget, widgets.TextField) and widget.value:
            self.inputs.append((widget.label, widget.value, ""))
        return ""

    def choice_links(self, choice: widgets.Choice) -> str:
        """A choice of what the page shows (``Choice.param``) as a folded list of links to each
        option's view, the shown one marked: a reader who only looks can still reach every
        option. An option a site has no view of (a baked site's other claims) is named without a
        link."""
        here = self.site.view(self.page.name, self.query)
        pairs = [(k, v) for k, v in parse_qsl(self.query) if k != choice.param]
        items = []
        for key, text in choice.options:
            href = self.site.view(self.page.name, urlencode([*pairs, (choice.param, key)]))
            current = " aria-current='page'" if key == choice.value else ""
            item = html.escape(text)
            if current or href != here:
                item = f"<a href='{html.escape(href)}'{current}>{item}</a>"
            items.append(f"<li>{item}</li>")
        label = html.escape(choice.label)
        shown = html.escape(dict(choice.options).get(choice.value, ""))
        # folded, so that what the page shows stays on a phone's first screen
        return (
            f"<nav class='choice-links {html.escape(choice.css)}' aria-label='{label}'><details>"
            f"<summary><b>{label}:</b> {shown}</summary><ul>{''.join(items)}</ul></details></nav>"
        )

    def outcome_label(self, name: str) -> str:
        """'Placements: ' before an outcome's lever (a case can have several outcomes)."""
        key = name.partition(".")[0] if "." in name else ""
        scenario = getattr(self.page, "current", None)
        found = [o for o in (scenario.outcomes if scenario else ()) if o.key == key]
        return f"{found[0].label(self.lang)}: " if found else ""

    def chart(self, chart: widgets.Chart) -> str:
        title = chart.texts.get("title", "")
        declared = self.page.browser_lever
        follows = declared is not None and self.page.charts.get(declared.chart) is chart
        pictures = _pictures(chart, self.lang)
        links_ = []
        for ext in ("png", "svg"):
            file_name = f"{chart.file_stem}.{ext}"
            self.charts[file_name] = chart.export_spec
            href = html.escape(self.site.file(self.page.name, self.query, file_name))
            label = html.escape(i18n.t("view.chart_file", self.lang, kind=ext.upper()))
            mark = _follows(self.page, file_name) if follows else ""
            links_.append(f"<a href='{href}'{mark} download>{label}</a>")
        return (
            f"<figure class='chart {html.escape(chart.css)}'"
            f"{' data-lever-chart' if follows else ''}>"
            f"<figcaption>{html.escape(title)}</figcaption>{pictures}"
            f"<p class='chart-downloads'>{' '.join(links_)}</p></figure>"
        )

    def downloads(self) -> str:
        items, p = [], self.page
        for key, d in p.files.items():
            href = html.escape(self.site.file(self.page.name, self.query, d.name()))
            items.append(
                f"<a class='download-{key}' href='{href}'{_follows(p, d.name())} download>"
                f"{html.escape(d.text)}</a>"
            )
        title = html.escape(i18n.t("download.title", self.lang))
        return f"<p class='download-bar'><b>{title}</b> {' '.join(items)}</p>"


# -- the caseload lever without a kernel ---------------------------------------------------------
LEVER_SCRIPT = files.package_path("ui", "views", "view_lever.js").read_text(encoding="utf-8")
#: The read views' policy for that one script (a hash: nothing else inline may run).
LEVER_SCRIPT_HASH = base64.b64encode(hashlib.sha256(LEVER_SCRIPT.encode()).digest()).decode()


def _follows(p: page.Page, file_name: str) -> str:
    """The mark on a download link that follows the page's browser lever (its file, by name)."""
    return f" data-lever-file='{html.escape(file_name)}'" if p.browser_lever else ""


def _frame_files(p: page.Page, site: Site, query: str) -> dict[str, str] | None:
    """A frame's download links (the followed chart's and the page's own files) by file name;
    None where the site has no files of the frame's own (``Site.has_files``: a baked site has
    the link's only)."""
    lever = p.browser_lever
    assert lever is not None
    chart = p.charts.get(lever.chart)
    names = [f"{chart.file_stem}.{ext}" for ext in ("png", "svg")] if chart else []
    names += [d.name() for d in p.files.values()]
    if not site.has_files(p.name, query):
        return None
    return {n: site.file(p.name, query, n) for n in names}


def lever_frames(p: page.Page, site: Site, own: str) -> dict[str, Any]:
    """What the page's browser lever (``Page.browser_lever``) needs: for every whole value of
    its span (and the link's own, whose query is ``own``), the KPI cards, the chart's data, the
    links to the live page, the view's own address (None where there is none), Share's Python
    lines and the download links (None where the site has none of that value's)."""
    from explorer import model

    lever, s, lang = p.browser_lever, p.current, p.lang
    assert lever is not None
    f = fields.field("scenario", lever.field)
    start, end = lever.span(s)
    current = getattr(s, lever.field)
    values = sorted({*range(math.ceil(start), math.floor(end) + 1), current})
    setting = p.reproduction()
    shown, cards, frames, live, views, python, downloads = [], [], [], [], [], [], []
    specs: list[dict] = []  # the chart's shapes (a payback marker comes and goes)
    shapes = []
    for v in values:
        scenario = s.replace(**{lever.field: float(v)})
        r = model.evaluate(scenario)
        spec = charts.for_page(lever.draw(r, lang))
        frames.append(spec.pop("data")["values"])
        if spec not in specs:
            specs.append(spec)
        shapes.append(specs.index(spec))
        shown.append(f.show(v, lang))
        cards.append(lever.kpis(r, lang))
        query = own if v == current else p.query(scenario)
        live.append(site.live(p.name, query))
        views.append(site.share(p.name, query))
        if setting is not None:
            python.append(reproduce.snippet(dataclasses.replace(setting, scenario=scenario)))
        downloads.append(_frame_files(p, site, query))
    return {
        "field": lever.field,
        "label": f.label[lang],
        "values": values,
        "index": values.index(current),
        "shown": shown,
        "kpis": cards,
        "frames": frames,
        "specs": specs,
        "shapes": shapes,
        "live": live,
        "views": views,
        "python": python or None,
        "files": downloads,
        "files_note": i18n.t(  # the script writes it as text
            "view.lever_files",
            lang,
            value=i18n.quantity(shown[values.index(current)], current, f.unit_text(lang), lang),
        ),
        "unit": f.unit_text(lang),
        "locale": charts.FORMAT_LOCALE[lang],
        "runtime": site.runtime(),
    }


def lever_html(lever: dict[str, Any], lang: str) -> str:
    """The slider (shown by its script, so a reader without scripts sees no dead control), the
    data it moves through, and the script."""
    text = json.dumps(lever, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    label = html.escape(lever["label"])
    note = _t("lever_note" if any(lever["live"]) else "lever_note_fixed", lang)
    return (
        f"<div class='view-lever' data-lever hidden><label for='view-lever'>{label}</label>"
        f"<div class='view-lever-row'><input id='view-lever' type='range' min='0' step='1'>"
        f"<output for='view-lever'></output></div>"
        f"<p class='view-lever-note' hidden>{note}</p></div>"
        f"<script type='application/json' id='lever-data'>{text}</script>"
        f"<script type='module'>{LEVER_SCRIPT}</script>"
    )


# -- the document ----------------------------------------------------------------------------------
def _t(key: str, lang: str, **values: Any) -> str:
    return html.escape(i18n.t(f"view.{key}", lang, **values))


def _case_line(p: page.Page) -> str:
    """Which case the view shows (on a phone, before anything else)."""
    case = p.case_file() if p.has_case else None
    if case is None:
        return ""
    label = html.escape(i18n.t("case", p.lang))
    return f"<p class='view-case'><b>{label}:</b> {html.escape(case.title[p.lang])}</p>"


def _head(p: page.Page, site: Site, query: str) -> str:
    lang, name = p.lang, p.name
    items = "".join(
        f"<li><a href='{html.escape(site.view(other, query))}' class='page-link page-{other}'"
        + (" aria-current='page'" if other == name else "")
        + f">{html.escape(i18n.t(f'page.{other}', lang))}</a></li>"
        for other in PAGES
    )
    other = i18n.other(lang)
    other_href = html.escape(site.view(name, links.with_lang(query, other)))
    live = site.live(name, query)
    nav = html.escape(i18n.t("chrome.nav", lang))
    bar = (  # the front page has no numbers to change
        f"<div class='live-bar'>{_change_link(live, 'change-numbers', lang)}"
        f"<span class='live-note'>{_t('snapshot' if live else 'fixed', lang)}</span></div>"
        if p.has_numbers
        else ""
    )
    return (
        f"<header class='chrome'><nav class='site-nav' aria-label='{nav}'>"
        f"<ul>{items}</ul><div class='site-tools'><a class='lang-link' href='{other_href}' "
        f"hreflang='{other}' lang='{other}'>{html.escape(i18n.t('chrome.other_lang', lang))}</a>"
        f"</div></nav></header>{bar}"
    )


def _change_link(live: str | None, css: str, lang: str) -> str:
    """'Change the numbers', to the live page outside any frame; nothing without one."""
    if live is None:
        return ""
    href = html.escape(live)
    return f"<a class='{css}' href='{href}' target='_top' data-live>{_t('change', lang)}</a>"


def _with_unit(lever: widgets.Lever) -> str:
    """A lever's value with its unit where the number alone does not say it ('10 år')."""
    if lever.field.unit.format not in ("number", "count"):
        return lever.display
    return i18n.quantity(lever.display, lever.value, lever.field.unit_text(lever.lang), lever.lang)


def _tail(p: page.Page, site: Site, query: str, inputs: list[tuple[str, str, str]]) -> str:
    lang = p.lang
    parts = []
    if inputs:
        rows = "".join(
            f"<div data-name='{html.escape(name)}'><dt>{html.escape(label)}</dt>"
            f"<dd>{html.escape(value)}</dd></div>"
            for label, value, name in inputs
        )
        parts.append(
            f"<section class='inputs' aria-labelledby='inputs-title'>"
            f"<h2 id='inputs-title'>{_t('inputs', lang)}</h2><dl>{rows}</dl>"
            f"<p>{_change_link(site.live(p.name, query), 'change-link', lang)}</p>"
            f"</section>"
        )
    url = site.absolute(p.name, query)
    embed = _embed_snippet(p, site, query)
    live = site.live(p.name, query)
    parts.append(
        f"<section class='share-panel read-share' aria-labelledby='share-title'>"
        f"<h2 id='share-title'>{html.escape(i18n.t('chrome.share', lang))}</h2>"
        f"<label>{html.escape(i18n.t('chrome.link', lang))}"
        f"<input class='share-url' type='text' readonly value='{html.escape(url)}' data-share>"
        f"</label>"
        + (
            f"<label>{html.escape(i18n.t('chrome.embed', lang))}"
            f"<textarea class='embed-code' readonly rows='3' data-embed>{html.escape(embed)}"
            f"</textarea></label>"
            if embed
            else ""
        )
        + f"{_reproduce(p, site, query)}"
        + (
            f"<p><a class='live-link' href='{html.escape(live)}' target='_top' data-live>"
            f"{_t('live_link', lang)}</a></p>"
            if live
            else ""
        )
        + "</section>"
    )
    return "".join(parts)


# -- the embed form ------------------------------------------------------------------------------
#: Inside an embed: reports the content's height to the host page (by its hash in the policy).
EMBED_SCRIPT = files.package_path("ui", "views", "embed_height.js").read_text(encoding="utf-8")
EMBED_SCRIPT_HASH = base64.b64encode(hashlib.sha256(EMBED_SCRIPT.encode()).digest()).decode()
#: What a host page includes to size its embeds (served at ``addresses.EMBED_SCRIPT``).
EMBED_HOST_SCRIPT = files.package_path("ui", "views", "embed.js").read_text(encoding="utf-8")
#: A KPI card in a page's cards (``kpis.card``), by its key.
_CARD = re.compile(r"<div class='kpi kpi-([\w-]+)'>.*?<div class='kpi-sub'>[^<]*</div></div>", re.S)


def _pictures(chart: widgets.Chart, lang: str, wide: int = WIDE) -> str:
    """A chart drawn at the wide column's (``wide``) and a phone's width (the stylesheet shows
    one)."""
    title, key = chart.texts.get("title", ""), chart.css.removeprefix("chart-")
    return "".join(
        f"<div class='chart-{size}'>{svg(chart.spec, width, lang, title, f'{key}-{size}')}</div>"
        for size, width in (("wide", wide), ("narrow", NARROW))
    )


def _embed_cards(p: page.Page) -> str:
    box = getattr(p, p.embed.kpi_box, None)
    if box is None:
        return ""
    wanted = p.embed.cards
    cards = {m.group(1): m.group(0) for m in _CARD.finditer(box.value)}
    keys = list(cards) if wanted is None else [k for k in wanted if k in cards]
    return f"<div class='kpis'><div class='kpi-grid'>{''.join(cards[k] for k in keys)}</div></div>"


def _embed_summary(p: page.Page) -> str:
    """The page's summary for an embed (``Embed.summary``: an attribute holding HTML)."""
    summary = getattr(p, p.embed.summary) if p.embed.summary else ""
    return f"<div class='embed-summary'>{summary}</div>" if summary else ""


def _embed_chart(p: page.Page) -> str:
    key = p.embed.chart
    chart = p.charts.get(key) if key else next(iter(p.charts.values()), None)
    if chart is None:
        return ""
    title = html.escape(chart.texts.get("title", ""))
    return (
        f"<figure class='chart {html.escape(chart.css)}'><figcaption>{title}</figcaption>"
        f"{_pictures(chart, p.lang, EMBED_WIDE)}</figure>"
    )


def _embed_body(p: page.Page, site: Site, query: str) -> str:
    """An embed: the page's title, the scenario in one line, the key figures and the main chart,
    what differs from the preset, a source line and a link to the whole view; no menu. Every
    link opens a new tab."""
    lang = p.lang
    s = getattr(p, "current", None)
    scenario = changes = ""
    if s is not None and p.has_numbers:
        case = p.case_file() if p.has_case else None
        label = f"<b>{html.escape(case.title[lang])}:</b> " if case else ""
        scenario = (
            f"<p class='embed-scenario'>{label}{html.escape(export.scenario_line(s, lang))}</p>"
        )
        # what differs from the preset, as a chart's download says it: an embedded 4.2 m must
        # not read as the preset's salary (regression); under the chart, which stays in view
        changed = export.changed_line(s, lang, p.terms_set())
        if changed:
            changes = f"<p class='embed-source embed-changed'>{html.escape(changed)}</p>"
    source = html.escape(p.source_line(s)) if s is not None and p.has_numbers else ""
    full = site.share(p.name, query)
    link = (
        f"<a class='embed-full' href='{html.escape(full)}' target='_blank' rel='noopener'>"
        f"{_t('embed_full', lang)}</a>"
        if full
        else ""
    )
    return (
        f"<h1 class='embed-title'>{html.escape(i18n.t(f'page.{p.name}', lang))}</h1>{scenario}"
        f"<div class='notices'>{View.MARK}</div>{_embed_summary(p)}{_embed_cards(p)}"
        f"{_embed_chart(p)}{changes}"
        f"<p class='embed-source'>{source} {link}</p>"
    )


def _embed_snippet(p: page.Page, site: Site, query: str) -> str:
    """Share's iframe: the embed form at a height that shows its chart, and the script that fits
    the frame to the content where the host runs it."""
    url, script = site.embed(p.name, query), site.embed_script()
    if url is None or not p.has_numbers:  # the front page: nothing to embed
        return ""
    frame = (
        f'<iframe src="{url}" width="100%" height="{page.EMBED_HEIGHT}" style="border:0" '
        f'title="{i18n.t("chrome.embed_title", p.lang)}" loading="lazy"></iframe>'
    )
    return frame + (f'\n<script src="{script}" async></script>' if script else "")


def _reproduce(p: page.Page, site: Site, query: str) -> str:
    """Share's lines of Python that print the page's key figures, and the data files."""
    lang = p.lang
    setting = p.reproduction() if hasattr(p, "current") else None
    parts = []
    if setting is not None:
        code = reproduce.snippet(setting)
        rows = min(code.count("\n") + 1, 14)
        parts.append(
            f"<label>{html.escape(i18n.t('chrome.python', lang))}"
            f"<textarea class='python-code' readonly rows='{rows}' spellcheck='false' data-python>"
            f"{html.escape(code)}</textarea></label>"
        )
    data = [
        f"<a class='data-{key}' href='{html.escape(site.file(p.name, query, p.files[key].name()))}'"
        f"{_follows(p, p.files[key].name())} download>{html.escape(p.files[key].text)}</a>"
        for key in ("csv", "json")
        if key in p.files
    ]
    if data:
        title = html.escape(i18n.t("chrome.data", lang))
        parts.append(f"<p class='share-data'>{title} {' '.join(data)}</p>")
    return "".join(parts)


def _embed_document(p: page.Page, site: Site, query: str) -> str:
    lang = p.lang
    title = f"{i18n.t(f'page.{p.name}', lang)} · {i18n.t('view.site', lang)}"
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<base target='_blank'><title>{html.escape(title)}</title>"
        f"<style>{stylesheet()}</style></head><body>"
        f"<div class='app read-view embed page-{p.name.replace('_', '-')}'><main>"
        f"{_embed_body(p, site, query)}</main></div>"
        f"<script>{EMBED_SCRIPT}</script></body></html>"
    )


def render(name: str, query: str, site: Site) -> View:
    """The view of page ``name`` for a canonical query (see ``canonical``), or its embed form
    where the query asks for it."""
    cls = page_class(name)
    query, embed = split_embed(query)
    with _LOCK:  # widgets live in one registry: one page at a time, closed afterwards
        try:
            p = cls(query, url=site.address(name, query))
            if embed:  # an embed links to the whole view only
                document = _embed_document(p, site, query)
                notices = [n.text(p.lang) for n in p.notices] + list(p.errors)
                return View(name, query, p.lang, document, notices, embed=True)
            writer = _Writer(p, site, query)
            lang = p.lang
            body = writer.write(p.widget.children[2])
            title = f"{i18n.t(f'page.{name}', lang)} · {i18n.t('view.site', lang)}"
            document = (
                f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<base target='_top'><title>{html.escape(title)}</title>"
                f"<style>{stylesheet()}</style></head><body>"
                f"<div class='app read-view page-{name.replace('_', '-')}'>"
                f"{_head(p, site, query)}<main>{_case_line(p)}{body}"
                f"{_tail(p, site, query, writer.inputs)}</main></div></body></html>"
            )
            notices = [n.text(lang) for n in p.notices] + list(p.errors)
            names = {d.name(): key for key, d in p.files.items()}
            script = "id='lever-data'" in document
            return View(name, query, lang, document, notices, writer.charts, names, script)
        finally:
            w.Widget.close_all()


_LOCK = threading.Lock()


#: The types of a page's downloads: its charts', and its own files' (table, workbook, case...).
CHART_TYPES = ("png", "svg")
#: Each kind of file a page offers (``page.Offers.files``), by its type.
FILE_TYPES = {"table": "csv", "workbook": "xlsx", "numbers": "json", "case": "yaml"}


@cache
def download_names(name: str, lang: str) -> re.Pattern:
    """Every name page ``name`` gives a download in ``lang`` (its ``offers``): a case (or an own
    case), what the file is (``chart.file.<key>`` for a chart, ``file.<what>`` for the others) and
    its type (``herning-tabel.csv``). A file name it does not match is not the page's, whatever
    the link."""
    offers = page_class(name).offers
    cases = "|".join(map(re.escape, [*catalogue.cases(), OWN]))
    choices = [
        rf"{re.escape(i18n.t(f'chart.file.{key}', lang))}\.(?:{'|'.join(CHART_TYPES)})"
        for key in offers.charts
    ] + [rf"{re.escape(i18n.t(f'file.{what}', lang))}\.{FILE_TYPES[what]}" for what in offers.files]
    if not choices:
        return re.compile(r"(?!)")  # a page with no downloads: nothing matches
    return re.compile(rf"(?:{cases})-(?:{'|'.join(choices)})")


def may_offer(name: str, query: str, file_name: str) -> bool:
    """Whether the view of page ``name`` for a canonical query may offer ``file_name``, told
    without rendering it (any other name gets its 404 at once; the rendered view then has the
    last word)."""
    lang = dict(parse_qsl(query)).get("lang", "da")
    lang = lang if lang in i18n.LANGS else "da"
    return bool(download_names(name, lang).fullmatch(file_name))


def file_bytes(view: View, file_name: str, site: Site) -> tuple[str, bytes] | None:
    """A download of a view: a chart as PNG or SVG with its caption, or one of the page's
    files (the table, the workbook, the case file). None if the view has no such file."""
    if file_name in view.charts:
        import vl_convert as vlc

        spec = json.loads(json.dumps(view.charts[file_name]).replace(ORIGIN, site.origin))
        spec = charts.for_server(spec)
        locale = charts.FORMAT_LOCALE[view.lang]
        if file_name.endswith(".png"):
            return "image/png", vlc.vegalite_to_png(spec, scale=2, format_locale=locale)
        return "image/svg+xml", vlc.vegalite_to_svg(spec, format_locale=locale).encode("utf-8")
    key = view.files.get(file_name)
    if key is None:
        return None
    with _LOCK:
        try:
            p = page_class(view.name)(view.query, url=site.address(view.name, view.query))
            return p.files[key].make()
        finally:
            w.Widget.close_all()


class Views:
    """Rendered views by page and canonical query, the least recently used dropped first, and
    their downloads by the site they were asked from (their links name it)."""

    def __init__(self, prefix: str = "/", size: int = CACHE_SIZE):
        self.prefix, self.size = prefix, size
        self.site = Site(ORIGIN, prefix)
        self._views: OrderedDict[tuple[str, str], View] = OrderedDict()
        self._files: OrderedDict[tuple[str, ...], tuple[str, bytes]] = OrderedDict()
        self.rendered = 0

    def cached(self, name: str, query: str) -> View | None:
        view = self._views.get((name, query))
        if view is not None:
            self._views.move_to_end((name, query))
        return view

    def get(self, name: str, query: str) -> View:
        view = self.cached(name, query)
        if view is None:
            view = render(name, query, self.site)
            self.rendered += 1
            self._views[(name, query)] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view

    def file(
        self, name: str, query: str, file_name: str, origin: str = ORIGIN
    ) -> tuple[str, bytes] | None:
        key = (name, query, file_name, origin)
        if key not in self._files:
            if not may_offer(name, query, file_name):
                return None
            found = file_bytes(self.get(name, query), file_name, Site(origin, self.prefix))
            if found is None:
                return None
            self._files[key] = found
            while len(self._files) > self.size:
                self._files.popitem(last=False)
        return self._files[key]
