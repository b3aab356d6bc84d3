"""Widgets shared by the pages: URL state, downloads, labelled sliders, KPI cards, sources."""

from __future__ import annotations

import base64
import html
import math
import os
from contextlib import contextmanager
from pathlib import Path

import altair as alt
import anywidget
import ipywidgets as w
import traitlets

from .. import catalogue, charts, i18n, links
from ..scenario import bounds

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
alt.JupyterChart.enable_offline()


def query_string() -> str:
    """The page's query string under Voilà (empty in a plain kernel)."""
    return os.environ.get("QUERY_STRING", "")


def case_picker(lang: str, value: str) -> w.Dropdown:
    """A dropdown of the case presets, titled in ``lang``."""
    picker = w.Dropdown(options=[(catalogue.case(n).title[lang], n) for n in catalogue.cases()],
                        value=value, layout=w.Layout(width="100%"))
    picker.add_class("case-picker")
    return picker


def style() -> w.HTML:
    return w.HTML(f"<style>{CSS}</style>")


class UrlSync(anywidget.AnyWidget):
    """Writes the scenario into the address bar (history.replaceState) when ``query`` changes."""

    _esm = """
    function render({ model, el }) {
      const write = () => {
        const q = model.get("query");
        if (q) window.history.replaceState(null, "", window.location.pathname + "?" + q);
      };
      model.on("change:query", write);
      write();
    }
    export default { render };
    """
    query = traitlets.Unicode("").tag(sync=True)


class Downloader(anywidget.AnyWidget):
    """Hands a file to the browser: ``send_file(name, mime, data)`` starts a download."""

    _esm = """
    function render({ model, el }) {
      model.on("msg:custom", (msg) => {
        const bytes = Uint8Array.from(atob(msg.b64), (c) => c.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: msg.mime }));
        const a = document.createElement("a");
        a.href = url; a.download = msg.name; document.body.appendChild(a); a.click();
        setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
      });
    }
    export default { render };
    """

    def send_file(self, name: str, mime: str, data: bytes) -> None:
        self.send({"name": name, "mime": mime, "b64": base64.b64encode(data).decode("ascii")})


class DownloadBar(w.HBox):
    """Buttons for the table (CSV) and a chosen chart (PNG, SVG).

    ``table()`` returns (file-name stem, DataFrame); ``charts_now()`` returns {key: alt.Chart} of
    what is shown. Files are named STEM-tabel.csv (STEM-table.csv in English) and STEM-CHART.png.
    """

    def __init__(self, lang: str, chart_names: dict[str, str], table, charts_now):
        self.lang, self.table, self.charts_now = lang, table, charts_now
        self.downloader = Downloader()
        self.choice = w.Dropdown(options=[(label, key) for key, label in chart_names.items()],
                                 layout=w.Layout(width="16em"))
        buttons = []
        for key, fmt in (("table_csv", "csv"), ("chart_png", "png"), ("chart_svg", "svg")):
            button = w.Button(description=i18n.t(key, lang), icon="download")
            button.add_class(f"download-{fmt}")
            button.on_click(lambda _, fmt=fmt: self.download(fmt))
            buttons.append(button)
        super().__init__([w.HTML(f"<b>{i18n.t('downloads', lang)}:</b>&nbsp;")] + buttons
                         + [w.HTML("&nbsp;" + i18n.t("which_chart", lang) + ":&nbsp;"),
                            self.choice, self.downloader])

    def download(self, fmt: str) -> bytes:
        """Send the table (csv) or the chosen chart (png, svg) to the browser; return the bytes."""
        stem, table = self.table()
        if fmt == "csv":
            data, mime = table.to_csv(index=False).encode("utf-8"), "text/csv"
            filename = f"{stem}-{'tabel' if self.lang == 'da' else 'table'}"
        else:
            data = charts.export(self.charts_now()[self.choice.value], fmt, self.lang)
            mime = "image/png" if fmt == "png" else "image/svg+xml"
            filename = f"{stem}-{self.choice.value}"
        self.downloader.send_file(f"{filename}.{fmt}", mime, data)
        return data


def jupyter_chart(chart: alt.Chart, lang: str) -> alt.JupyterChart:
    """An offline, SVG-rendered chart widget with the language's number format."""
    return alt.JupyterChart(chart, embed_options={"renderer": "svg", "actions": False,
                                                  "formatLocale": charts.FORMAT_LOCALE[lang]})


def format_value(value: float, unit: str, lang: str) -> str:
    """A lever's value as a person reads it."""
    if unit.startswith("DKK"):
        return i18n.dkk(value, lang)
    if unit.startswith(("share", "relative spread")) or unit in ("per year", "return per year"):
        return i18n.percent(value, lang)
    if unit == "multiplier":
        return i18n.number(value, lang, 2) + " ×"
    digits = 0 if float(value).is_integer() else 1
    return i18n.number(value, lang, digits)


class Lever(w.VBox):
    """A slider built from a field's metadata, its label and its value in the page's language."""

    def __init__(self, cls, name: str, lang: str, value: float, tooltip: str = "", **limits):
        meta = bounds(cls, name)
        self.meta, self.lang = meta, lang
        lo, hi = limits.get("lo", meta["lo"]), limits.get("hi", meta["hi"])
        kind = w.IntSlider if meta["integer"] else w.FloatSlider
        self.slider = kind(value=value, min=lo, max=hi, step=limits.get("step", meta["step"]),
                           readout=False, continuous_update=False,
                           layout=w.Layout(width="100%"))
        self.readout = w.HTML()
        title = w.HTML(f"<span title='{html.escape(meta['help_' + lang])}'>"
                       f"{html.escape(meta[lang])}</span>")
        self.slider.observe(self._show, "value")
        self._show()
        super().__init__([w.HBox([title, self.readout], layout=w.Layout(
            justify_content="space-between")), self.slider])
        self.add_class("lever")
        self.add_class(f"lever-{name.replace('.', '-').replace('_', '-')}")
        if tooltip:
            self.slider.tooltip = tooltip

    def _show(self, _=None):
        self.readout.value = (f"<b class='lever-value'>"
                              f"{format_value(self.slider.value, self.meta['unit'], self.lang)}</b>")

    @property
    def value(self):
        return self.slider.value


class Pausable:
    """A page whose lever callbacks can be paused while it moves several levers at once."""

    _busy = False

    @contextmanager
    def paused(self):
        self._busy = True
        try:
            yield
        finally:
            self._busy = False


class PresetPage(Pausable):
    """A page with a case picker and scenario levers in ``self.levers``: picking a case loads
    its preset into ``self.base`` and the levers, then calls ``self._update()`` once."""

    def _on_case(self, change) -> None:
        self.base = catalogue.load_case(change["new"])
        with self.paused():
            set_levers(self.levers, self.base)
        self._update()


def changed_values(levers: dict[str, "Lever"], defaults) -> dict[str, float]:
    """The levers whose values differ from the same-named fields of ``defaults`` (for the URL)."""
    return {name: lever.value for name, lever in levers.items()
            if not math.isclose(lever.value, getattr(defaults, name))}


def set_levers(levers: dict[str, Lever], scenario) -> None:
    """Move scenario levers to a scenario's values, keeping caseload_after below caseload_before."""
    after = levers.get("caseload_after")
    if after is not None:
        after.slider.max = max(after.slider.max, scenario.caseload_before)
    for name, lever in levers.items():
        lever.slider.value = getattr(scenario, name)
    if after is not None:
        after.slider.max = scenario.caseload_before


def kpi_card(name: str, title: str) -> w.HTML:
    card = w.HTML(layout=w.Layout(min_width="160px"))
    card.add_class("kpi")
    card.add_class(f"kpi-{name.replace('_', '-')}")
    card.title = title
    return card


def set_kpi(card: w.HTML, value: str, sub: str = "") -> None:
    card.value = (f"<div class='kpi-title'>{html.escape(card.title)}</div>"
                  f"<div class='kpi-value'>{html.escape(value)}</div>"
                  f"<div class='kpi-sub'>{html.escape(sub)}</div>")


def figure_tooltip(key: str, lang: str) -> str:
    f = catalogue.figure(key)
    if f.is_assumption:
        return f"{i18n.t('assumption', lang)}: {f.note_in(lang)}"
    return f"{i18n.t('source', lang)}: {f.source_title} ({f.year}). {i18n.grade_text(f.grade, lang)}."


def _plain(value: float, lang: str) -> str:
    return i18n.number(value, lang, 0 if float(value).is_integer() else 3)


def sources_table(case: catalogue.Case, labels: dict[str, str], lang: str) -> str:
    """An HTML table of the figures behind a case's defaults."""
    rows = []
    for what, key in case.sources.items():
        f = catalogue.figure(key)
        label = labels.get(what, what)
        source = (f"<a href='{html.escape(f.source_url)}' target='_blank' rel='noopener'>"
                  f"{html.escape(f.source_title or f.source_url)}</a>" if f.source_url
                  else html.escape(i18n.t("no_source", lang)))
        rows.append(f"<tr class='grade-{f.grade}'><td>{html.escape(label)}</td>"
                    f"<td class='num'>{html.escape(_plain(f.value, lang))}</td>"
                    f"<td>{html.escape(f.unit_in(lang))}</td><td>{f.year}</td>"
                    f"<td title='{html.escape(i18n.grade_text(f.grade, lang))}'>{f.grade}</td>"
                    f"<td>{source}<div class='note'>{html.escape(f.note_in(lang))}</div></td></tr>")
    head = "".join(f"<th>{i18n.t(k, lang)}</th>" for k in
                   ("setting", "value", "unit", "year_col", "grade", "source"))
    legend = " · ".join(f"<b>{g}</b> {html.escape(i18n.grade_text(g, lang))}"
                        for g in catalogue.GRADES)
    return (f"<p class='grades'>{legend}</p><table class='sources'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def notices_html(notices: list[links.Notice], errors: list[str], lang: str) -> str:
    items = [n.text(lang) for n in notices] + errors
    if not items:
        return ""
    lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
    return f"<div class='notice'><b>{i18n.t('notice_title', lang)}:</b><ul>{lis}</ul></div>"
