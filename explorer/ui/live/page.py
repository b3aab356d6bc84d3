"""One page shape: what every page does, in one place.

A page reads its link, builds levers from the field specification, shows notices in its
language, recomputes when a lever moves, keeps the address bar and the links to the other pages
in step with the scenario, and offers its downloads. A page module holds only what is its own:
``build`` (its widgets), ``layout`` and ``show`` (its KPIs and charts for a scenario).
"""

from __future__ import annotations

import html
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import ipywidgets as w

from explorer import catalogue
from explorer.analysis.financing import Terms
from explorer.catalogue.reader import Case
from explorer.data import i18n
from explorer.data.pages import NAMES as PAGES
from explorer.model import fields
from explorer.model.fields import FieldError
from explorer.model.results import Result
from explorer.model.scenario import Scenario
from explorer.outputs import export, reproduce
from explorer.ui.content import addresses, charts, links
from explorer.ui.live import request, widgets


@cache
def stylesheet() -> str:
    """The page's stylesheet (read once per kernel)."""
    from explorer.data import files

    return files.package_path("ui", "live", "style.css").read_text(encoding="utf-8")


def style() -> w.HTML:
    return w.HTML(f"<style>{stylesheet()}</style>")


def chrome_texts(lang: str) -> dict[str, str]:
    other = i18n.other(lang)
    keys = (
        "nav",
        "share",
        "link",
        "live_link",
        "copy",
        "copied",
        "embed",
        "embed_title",
        "python",
        "data",
        "lost",
        "reload",
        "skip",
    )
    texts = {k: i18n.t(f"chrome.{k}", lang) for k in keys}
    texts.update(other_lang=i18n.t("chrome.other_lang", lang), other_code=other)
    texts.update({f"data_{k}": i18n.t(f"download.{k}", lang) for k in ("csv", "json")})
    return texts


@dataclass(frozen=True)
class BrowserLever:
    """A lever the page's read view moves in the browser, with no kernel: the view embeds the
    page's answers for every whole value of the scenario field ``field`` over ``span``, and the
    KPI cards and the chart named here follow the slider (the rest stays at the link's value)."""

    #: The scenario field the slider moves (whole steps).
    field: str
    #: The values it covers for a scenario: (lowest, highest).
    span: Callable[[Scenario], tuple[float, float]]
    #: The page's attribute holding its KPI cards, and the cards for a result.
    kpi_box: str
    kpis: Callable[[Result, str], str]
    #: The key of the page's chart that follows (``Page.chart(key, ...)``), and its body.
    chart: str
    draw: Callable[[Result, str], dict]


#: An embed's frame height in Share's snippet, for hosts that run no script: the key figures
#: and the chart at 700 px and at 350 px (where the cards take two rows more); the read views'
#: embed.js then fits the frame to its content.
EMBED_HEIGHT = 840
#: Without read views Share embeds the live page itself, menu and levers included.
LIVE_EMBED_HEIGHT = 900


@dataclass(frozen=True)
class Embed:
    """What the page's embed shows under its title and scenario line: the box ``summary`` (a
    page attribute) if any, the KPI cards ``cards`` (their keys in ``kpis.card``; None: all) of
    the page's attribute ``kpi_box``, and the chart ``chart`` (None: the page's first). A page
    with no numbers (``has_numbers``) offers no embed."""

    cards: tuple[str, ...] | None = ()
    chart: str | None = None
    kpi_box: str = "kpi_box"
    #: A page attribute holding HTML shown above the cards (the claims page's claim and verdict).
    summary: str | None = None


@dataclass(frozen=True)
class Offers:
    """What the page offers to download: its ``charts`` by key (``Page.chart(key, ...)``; the
    file names are texts.yaml's ``chart.file.<key>``) and its ``files`` by what they hold
    (``file.<what>``: table, workbook, numbers, case). The launcher refuses any other file name
    for the page before rendering anything."""

    charts: tuple[str, ...] = ()
    files: tuple[str, ...] = ()


#: The download bar's files (``Page.download_bar``).
TABLE_FILES = ("table", "workbook", "numbers")


@dataclass(frozen=True)
class Download:
    """A file the page offers: its button's text, its name, and its MIME type and bytes."""

    text: str
    name: Callable[[], str]
    make: Callable[[], tuple[str, bytes]]


class Page:
    """The shared machinery of a page; subclasses set ``name`` and fill in the hooks."""

    name = ""
    #: Extra field groups the page edits (``terms``, ``spreads``); all groups travel in links.
    edits: tuple[str, ...] = ()
    charts_used = True
    #: The page reads its link itself (the own case's ``c=``), not as a scenario's fields.
    reads_own_query = False
    #: The page shows numbers a reader may change on the live page (the front page does not).
    has_numbers = True
    #: The page shows a case (its read view names it); a page about the site does not.
    has_case = True
    #: The lever its read view moves in the browser, if any.
    browser_lever: BrowserLever | None = None
    #: What its embed (``view/<name>?...&embed=1``) shows.
    embed = Embed()
    #: What it offers to download.
    offers = Offers()

    def __init__(self, query: str = "", url: str | None = None):
        """The page for a link's query; ``url`` is the page's own address (default: the one
        Voilà tells the kernel)."""
        self.link = links.parse(query, facts=self.reads_own_query)
        self.lang = self.link.lang
        self.base = self.link.scenario
        self.extras: dict[str, dict[str, Any]] = {g: dict(v) for g, v in self.link.extras.items()}
        self.params = dict(self.link.params)
        self.notices: list[links.Notice] = list(self.link.notices)
        self.errors: list[str] = []
        self.url = request.page_url() if url is None else url
        self.files: dict[str, Download] = {}
        self.chrome = widgets.Chrome(
            page=self.name,
            pages=[[p, i18n.t(f"page.{p}", self.lang)] for p in PAGES],
            texts=chrome_texts(self.lang),
            views=os.environ.get("EXPLORER_VIEWS") == "1",
            links={
                "pages": {p: addresses.live_link(p) for p in PAGES},
                "view": addresses.relative(addresses.live(self.name), addresses.view(self.name)),
            },
            embed=(
                {
                    "param": addresses.embed_query(""),
                    "script": addresses.relative(addresses.live(self.name), addresses.EMBED_SCRIPT),
                    "height": EMBED_HEIGHT,
                    "live_height": LIVE_EMBED_HEIGHT,
                }
                if self.has_numbers
                else {}
            ),
        )
        self.chrome.observe(self.on_location, "location")
        self.notice_box = widgets.html_box("notices")
        self.levers: dict[str, widgets.Lever] = {}
        self.charts: dict[str, widgets.Chart] = {}
        #: What each chart was last drawn from, to redo its download when the link changes.
        self.chart_inputs: dict[str, tuple[dict, Scenario]] = {}
        self.runtime = widgets.runtime() if self.charts_used else None
        self.build()
        body = self.layout()
        extra = [self.runtime] if self.runtime is not None else []
        self.widget = w.VBox([style(), self.chrome, body, *extra])
        self.widget.add_class("app")
        self.widget.add_class(f"page-{self.name.replace('_', '-')}")
        self.refresh()

    # -- hooks -------------------------------------------------------------------------------
    def build(self) -> None:
        """Create the page's widgets (levers, KPI boxes, charts)."""

    def layout(self) -> w.Widget:
        """The page below the frame."""
        raise NotImplementedError

    def show(self, scenario: Scenario) -> None:
        """Compute and show the page's answers for a scenario."""

    def page_params(self) -> dict[str, str]:
        """The page's own settings for its link (``claim=...``)."""
        return {}

    # -- levers ------------------------------------------------------------------------------
    def lever(
        self,
        name: str,
        value: float,
        group: str = "scenario",
        slider: bool = True,
        hi: float | None = None,
    ) -> widgets.Lever:
        """A lever for a field, with its help and the source of its default; ``hi`` narrows the
        field's upper bound."""
        key = name.split(".")[-1]
        f = fields.field(group, key)
        lever = widgets.Lever(
            f, self.lang, value, self.info_html(name, f), slider=slider, name=name, hi=hi
        )
        lever.observe(self.on_change, "value")
        self.levers[name] = lever
        return lever

    def info_html(self, name: str, f: fields.Field) -> str:
        """The help text and the source of a field's default, for its lever's <details>."""
        parts = [f"<p>{html.escape(f.help[self.lang])}</p>"]
        key = self.source_key(name, f)
        if key:
            parts.append(source_html(catalogue.figure(key), self.lang))
        return "".join(parts)

    def case_file(self) -> Case | None:
        """The case whose sources the page shows and exports: the preset of the page's case."""
        return catalogue.preset(self.base.case)

    def source_key(self, name: str, f: fields.Field) -> str | None:
        case = self.case_file()
        if case and name in case.sources:
            return case.sources[name]
        return f.default if isinstance(f.default, str) else None

    def lever_values(self, group: str = "scenario") -> dict[str, Any]:
        return {
            name: lever.number
            for name, lever in self.levers.items()
            if lever.field.group == group and "." not in name
        }

    def scenario(self) -> Scenario:
        """The scenario the levers describe now (fields without a lever keep the link's value)."""
        s = self.base.replace(**self.lever_values("scenario"))
        for o in s.outcomes:
            changes = {
                n.split(".")[1]: lever.number
                for n, lever in self.levers.items()
                if n.startswith(f"{o.key}.")
            }
            if changes:
                s = s.replace_outcome(o.key, **changes)
        return s

    def set_levers(self, scenario: Scenario) -> None:
        """Move the scenario's levers to a scenario's values without recomputing for each."""
        self._quiet = True
        try:
            bound(self.levers, scenario)
            for name, lever in self.levers.items():
                if lever.field.group == "scenario" and "." not in name:
                    lever.set(getattr(scenario, name))
        finally:
            self._quiet = False

    _quiet = False

    def on_change(self, _change=None) -> None:
        if not self._quiet:
            self.refresh()

    # -- recomputing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute from the levers; a value that does not fit gives a notice, not a traceback."""
        try:
            scenario = self.scenario()
        except FieldError as error:
            self.errors = [error.text(self.lang)]
            self.show_notices()
            return
        except ValueError as error:
            self.errors = [i18n.t("notice.invalid", self.lang, message=str(error)[:200])]
            self.show_notices()
            return
        self.errors = []
        self.current = scenario
        bound(self.levers, scenario)
        self.show(scenario)
        query = self.query(scenario)
        self.chrome.other_query = links.with_lang(query, i18n.other(self.lang))
        self.chrome.query = query
        setting = self.reproduction()
        self.chrome.python = reproduce.snippet(setting) if setting else ""
        self.chrome.data = {
            key: addresses.relative(
                addresses.live(self.name), addresses.view_file(self.name, self.files[key].name())
            )
            for key in ("csv", "json")
            if key in self.files
        }
        self.show_notices()

    def reproduction(self) -> reproduce.Setting | None:
        """What the page computed its key figures from, for Share's Python lines and the JSON
        download; None on a page with none."""
        if self.name not in reproduce.PAGES:
            return None
        sim = getattr(self, "sim", None)
        draws = sim.draws if sim is not None else None
        case = getattr(self, "built", None)
        return reproduce.Setting(self.name, self.current, self.lang, self.extras, draws, case)

    def query(self, scenario: Scenario) -> str:
        return links.build(scenario, self.lang, self.extras, {**self.params, **self.page_params()})

    def share_url(self) -> str:
        """The link to the page with the current scenario: at the address the kernel was told,
        else at the one the browser reports (the chrome's ``location``), and only when neither
        is known relative to the page's folder. Where the launcher serves read views, the link
        is the read view's (it opens with no kernel, one click from the live page)."""
        base = self.url or self.chrome.location or addresses.live_link(self.name)
        if self.chrome.views:
            base = addresses.view_of_live(base) or base
        return f"{base}?{self.query(self.current)}"

    def on_location(self, _change=None) -> None:
        """The browser reported the page's address: the charts' downloads link to it."""
        if self.url:
            return
        for key, (body, scenario) in self.chart_inputs.items():
            self.charts[key].export_spec = self.export_spec(body, scenario)

    def show_notices(self) -> None:
        items = [n.text(self.lang) for n in self.notices] + self.errors
        self.notice_box.value = notices_html(items, self.lang)

    # -- charts and downloads --------------------------------------------------------------------
    def chart(self, key: str, body: dict, scenario: Scenario) -> widgets.Chart:
        """Create or update chart ``key`` from a chart body."""
        texts = {
            "download": i18n.t("chart.download", self.lang),
            "title": body.get("title", ""),
            "caption": body.get("title", ""),
        }
        spec = charts.for_page(body)
        export_spec = self.export_spec(body, scenario)
        self.chart_inputs[key] = (body, scenario)
        stem = f"{scenario.case}-{i18n.t(f'chart.file.{key}', self.lang)}"
        chart = self.charts.get(key)
        if chart is None:
            chart = widgets.Chart(
                spec=spec,
                export_spec=export_spec,
                texts=texts,
                locale=charts.FORMAT_LOCALE[self.lang],
                file_stem=stem,
                css=f"chart-{key}",
            )
            self.charts[key] = chart
        else:
            chart.export_spec = export_spec
            chart.texts = texts
            chart.file_stem = stem
            chart.spec = spec
        return chart

    def export_spec(self, body: dict, scenario: Scenario) -> dict:
        """A chart as it downloads: with what it shows, its source and its link."""
        return charts.for_download(
            body, self.describe(scenario), self.source_line(scenario), self.share_url()
        )

    def describe(self, scenario: Scenario) -> str:
        """What a chart shows, one line a thing (the lines are wrapped to fit): the scenario,
        every input that differs from the preset, and a fitted figure the numbers rest on."""
        return "\n".join(
            export.description(scenario, self.lang, self.case_file(), self.terms_set())
        )

    def terms_set(self) -> Terms | None:
        """The financing terms the page set, for a download's list of changed inputs."""
        return Terms(**self.extras["terms"]) if "terms" in self.extras else None

    def source_line(self, scenario: Scenario) -> str:
        case = self.case_file()
        title = case.title[self.lang] if case else scenario.case
        return i18n.t("chart.source", self.lang, case=title, year=catalogue.price_year())

    def download_bar(self, table_result) -> w.Widget:
        """Buttons for the yearly table (CSV) and the workbook with live formulas (XLSX)."""

        def name(what: str, extension: str) -> Callable[[], str]:
            return lambda: export.file_name(
                table_result().scenario.case, what, self.lang, extension
            )

        def csv() -> tuple[str, bytes]:
            text = export.csv_text(
                table_result(), self.lang, self.share_url(), self.case_file(), self.terms_set()
            )
            return "text/csv", text.encode("utf-8-sig")

        def xlsx() -> tuple[str, bytes]:
            from explorer.outputs import workbook

            data = workbook.xlsx_bytes(
                table_result(), self.lang, self.share_url(), self.case_file(), self.terms_set()
            )
            return workbook.MIME, data

        def numbers() -> tuple[str, bytes]:
            setting = self.reproduction()
            assert setting is not None
            return "application/json", reproduce.json_bytes(setting, self.share_url())

        bar = w.HBox(
            [
                w.HTML(f"<b>{i18n.t('download.title', self.lang)}</b>"),
                self.download("csv", i18n.t("download.csv", self.lang), name("table", "csv"), csv),
                self.download(
                    "xlsx", i18n.t("download.xlsx", self.lang), name("workbook", "xlsx"), xlsx
                ),
                self.download(
                    "json", i18n.t("download.json", self.lang), name("numbers", "json"), numbers
                ),
            ]
        )
        bar.add_class("download-bar")
        self.downloads = bar
        return bar

    def download(
        self,
        key: str,
        text: str,
        name: Callable[[], str],
        make: Callable[[], tuple[str, bytes]],
    ) -> w.Button:
        """A download of the page (``key`` also names it in the read view): a button that hands
        the browser the file named ``name()`` with the MIME type and bytes ``make()`` gives."""
        self.files[key] = Download(text, name, make)
        return widgets.button(
            text, f"download-{key}", lambda: self.chrome.send_file(name(), *make())
        )

    def case_choice(self) -> widgets.Choice:
        choice = widgets.Choice(
            i18n.t("case", self.lang),
            [(n, catalogue.case(n).title[self.lang]) for n in catalogue.cases()],
            self.base.case,
            css="case-picker",
        )
        choice.observe(self.on_case, "value")
        return choice

    def on_case(self, change) -> None:
        """Another case: its preset replaces the scenario; notices about the old link go."""
        self.base = catalogue.load_case(change["new"])
        self.notices = []
        self.set_levers(self.base)
        self.case_changed()
        self.refresh()

    def case_changed(self) -> None:
        """Rebuild what depends on the case's outcomes (outcome levers, texts)."""


def notices_html(items: list[str], lang: str) -> str:
    """What in the link or the levers could not be used as it was, as a list (empty: nothing)."""
    if not items:
        return ""
    lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
    return (
        f"<div class='notice' role='status'><b>"
        f"{i18n.t('notice.title', lang)}</b><ul>{lis}</ul></div>"
    )


def bound(levers: dict[str, Any], scenario: Scenario) -> None:
    """Narrow every scenario lever whose field another field bounds (fields.yaml's ``max:`` and
    ``below:``) to the range the scenario's other values leave: caseload after up to before."""
    values = fields.values(scenario)
    for name, lever in levers.items():
        f = lever.field
        if f.group == "scenario" and "." not in name and (f.max_field or f.min_field):
            lever.min, lever.max = fields.bounds(f, values)


def source_html(f: catalogue.Figure, lang: str) -> str:
    """One figure's source in words, with its link, year and evidence grade."""
    grade = html.escape(i18n.grade_text(f.grade, lang))
    if f.source_url:
        link = (
            f"<a href='{html.escape(f.source_url)}' target='_blank' rel='noopener'>"
            f"{html.escape(f.source_title or f.source_url)}</a>"
        )
        head = html.escape(i18n.t("source.from", lang, link="\0", year=f.year)).replace("\0", link)
    elif f.is_fitted:
        head = html.escape(i18n.t("source.fitted", lang))
    else:
        head = html.escape(i18n.t("source.none", lang))
    return (
        f"<p class='source grade-{f.grade}'>{head} · <span class='grade'>{f.grade}: {grade}"
        f"</span><br><span class='note'>{html.escape(f.note_in(lang))}</span></p>"
    )


def quiet_errors() -> None:
    """Keep errors in widget callbacks out of the reader's browser.

    ipywidgets shows an exception raised by a comm message (a malformed one sent by hand, say)
    with IPython's traceback, which travels to the sender with file paths. Log it on the server
    instead, as one line.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return
    log = logging.getLogger("explorer.kernel")
    if not log.handlers:
        # ipykernel forwards the process's stderr to the browser; write to the server's own copy
        original = getattr(sys.stderr, "_original_stdstream_copy", None)
        stream = os.fdopen(os.dup(original), "w") if original is not None else open(os.devnull, "w")  # noqa: SIM115
        log.addHandler(logging.StreamHandler(stream))
        log.propagate = False

    def showtraceback(*_args, **_kwargs) -> None:
        kind = sys.exc_info()[0]
        log.warning(
            "a widget message raised %s; not shown to the reader",
            kind.__name__ if kind else "an error",
        )

    shell.showtraceback = showtraceback


def prepare(charts_used: bool = True) -> None:
    """Work a kernel can do before its reader arrives (Voilà's preheated kernels run this in
    the notebook's first cell): read the data, the texts and the Vega runtime, run the model,
    and keep errors in callbacks off the page. It creates no widget: every widget alive in the
    kernel is sent to the page."""
    from explorer import model
    from explorer.analysis import claims

    quiet_errors()
    for name in catalogue.cases():
        _ = model.evaluate(catalogue.load_case(name)).yearly
    claims.claims()
    i18n.catalogue()
    stylesheet()
    if charts_used:
        widgets.runtime_ready()


def app(page_class, query: str | None = None) -> w.Widget:
    """Build a page for its link; under Voilà, wait for the request first."""
    return page_class(request.query() if query is None else query).widget
