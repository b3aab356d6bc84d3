"""The read view (explorer/ui/views/readview.py) and the baked site (explorer/ui/views/bake.py),
in plain Python: the same numbers as the live page, one cache entry per scenario, notices for bad
links, downloads that carry their scenario, and a baked site whose every link resolves."""

from __future__ import annotations

import dataclasses
import gzip
import html
import io
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import pytest

from explorer import catalogue, model
from explorer.data import i18n
from explorer.data.pages import NAMES as PAGES
from explorer.outputs import key_figures, reproduce
from explorer.ui.content import addresses, charts, kpis
from explorer.ui.live import page, widgets
from explorer.ui.pages import explorer as explorer_page
from explorer.ui.views import bake, readview

HREF = re.compile(r"""href=(['"])[^'"]*\1""")
SITE = readview.Site("https://example.org", "/")
HOSTILE = (
    "case=<script>alert(1)</script>&lang=en",
    "caseload_after=abc&cases=-5&lang=da",
    "caseload_after=1e9&zzz=%22%3E%3Cscript%3E&lang=en",
    "lang=xx&case=nowhere",
    "c=v1!!broken&case=own&lang=en",
)


def view(name: str, query: str) -> tuple[readview.View, str]:
    key, notices, _ = readview.canonical(name, query)
    v = readview.render(name, key, SITE)
    return v, v.html(notices)


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_a_view_shows_what_the_live_page_shows_for_the_same_link(name, lang):
    query = f"case=aabenraa&caseload_after=25&lang={lang}"
    live = readview.page_class(name)(query, url="")
    v, document = view(name, query)
    for file_name in [*v.files, *v.charts]:  # each told from its name before any render
        assert readview.may_offer(name, v.query, file_name), file_name
    texts = [b.value for b in live_boxes(live.widget) if b.value.strip()]
    assert texts, name
    for text in texts:  # the same text, links aside (a view links to views), where it has levers
        assert HREF.sub("", text) in HREF.sub("", document)
    assert f"<html lang='{lang}'>" in document
    assert "Traceback" not in document
    assert only_the_lever_script(document, name)


def only_the_lever_script(document: str, name: str) -> bool:
    """No script but, on the explorer, the caseload lever's data and its one known script."""
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", document, re.S | re.I)
    if readview.page_class(name).browser_lever is None:
        return not scripts and "<script" not in document.lower()
    kinds = [(attrs.strip(), body == readview.LEVER_SCRIPT) for attrs, body in scripts]
    return kinds == [("type='application/json' id='lever-data'", False), ("type='module'", True)]


def live_boxes(widget):
    """Every text box of a live page below its frame (KPIs, notes, tables, headings)."""
    import ipywidgets as w

    found = []

    def walk(x):
        if isinstance(x, w.HTML):
            found.append(x)
        for child in getattr(x, "children", ()):
            walk(child)
        if hasattr(x, "body"):
            walk(x.body)

    body = widget.children[2]
    walk(body)
    return [b for b in found if not in_levers(body, b)]


def in_levers(root, target) -> bool:
    def walk(x, inside):
        if x is target:
            return inside
        inside = inside or "levers" in getattr(x, "_dom_classes", ())
        for child in [*getattr(x, "children", ()), *([x.body] if hasattr(x, "body") else [])]:
            found = walk(child, inside)
            if found is not None:
                return found
        return None

    return bool(walk(root, False))


def test_the_kpis_are_the_live_pages_to_the_krone():
    query = "case=hjoerring&worker_cost=600000&lang=da"
    live = explorer_page.Explorer(query, url="")
    _, document = view("explorer", query)
    assert live.kpi_box.value in document
    assert "600.000 kr." in document  # the changed input is listed among the numbers behind it


def test_two_spellings_of_one_scenario_share_one_entry_and_other_scenarios_never_do():
    views = readview.Views()
    spellings = (
        "case=aabenraa&caseload_after=25&lang=en",
        "lang=en&caseload_after=25.0&case=aabenraa",
        "caseload_after=25.000&case=aabenraa&lang=en",
    )
    keys = {readview.canonical("explorer", q)[0] for q in spellings}
    assert len(keys) == 1
    for key in keys:
        views.get("explorer", key)
        views.get("explorer", key)
    assert views.rendered == 1
    others = {
        readview.canonical("explorer", q)[0]
        for q in (
            "case=aabenraa&caseload_after=26&lang=en",
            "case=aabenraa&caseload_after=25&lang=da",
            "case=herning&caseload_after=25&lang=en",
            "case=aabenraa&caseload_after=25&lang=en&worker_cost=500000",
        )
    }
    assert len(others | keys) == 5


def test_the_cache_drops_the_least_recently_used_view():
    views = readview.Views(size=2)
    a, b, c = (readview.canonical("index", f"case={n}")[0] for n in catalogue.cases())
    views.get("index", a)
    views.get("index", b)
    views.get("index", a)
    views.get("index", c)
    assert views.cached("index", a) and views.cached("index", c)
    assert views.cached("index", b) is None


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("name", ["explorer", "own_case", "claims"])
def test_a_hostile_link_gives_a_notice_and_reflects_no_markup(name, query):
    _, document = view(name, query)
    assert only_the_lever_script(document, name)
    assert "<img" not in document.lower() and "onerror" not in document.lower()
    assert "class='notice'" in document
    assert "Traceback" not in document


def test_a_view_links_to_the_live_page_and_the_other_views_with_the_same_scenario():
    query = "case=aabenraa&caseload_after=25&lang=en"
    key = readview.canonical("explorer", query)[0]
    _, document = view("explorer", query)
    hrefs = {html.unescape(h) for h in re.findall(r"href='([^']+)'", document)}
    assert f"../{addresses.live('explorer')}?{key}" in hrefs
    for other in PAGES:
        assert f"{other}?{readview.canonical(other, query)[0]}" in hrefs
    assert f"https://example.org/view/explorer?{key}" in html.unescape(document)  # Share, embed
    assert not any(".ipynb?" in h and not h.startswith("../voila/") for h in hrefs)


@pytest.mark.parametrize("name", PAGES)
def test_every_link_to_the_live_page_leaves_an_embeds_frame(name):
    """Regression: 'Change the numbers' inside an embed loaded the live page in the article's
    frame, which the live page's frame-ancestors refuses: a grey 'refused to connect' box."""
    _, document = view(name, "case=herning&lang=da")
    live = re.findall(r"<a [^>]*href='[^']*voila/render/[^']*'[^>]*>", document)
    assert live, name
    for tag in live:
        assert "target='_top'" in tag, tag


def test_the_downloads_of_a_view_carry_its_scenario_and_its_address():
    query = "case=herning&worker_cost=100000&lang=da"
    key = readview.canonical("explorer", query)[0]
    v, document = view("explorer", query)
    table = next(n for n in v.files if n.endswith(".csv"))
    mime, data = download(v, table)
    assert mime == "text/csv"
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert frame.iloc[:, 1].dtype.kind in "if"
    assert f"https://example.org/view/explorer?{key}" in data.decode("utf-8-sig")
    png = next(n for n in v.charts if n.endswith(".png"))
    assert download(v, png)[1].startswith(b"\x89PNG")
    svg = download(v, png.replace(".png", ".svg"))[1].decode("utf-8")
    assert "100.000" in svg  # the salary that differs from the preset
    assert readview.file_bytes(v, "elsewhere.csv", SITE) is None
    assert f"explorer/file/{table}?" in html.unescape(document)


def download(v: readview.View, file_name: str) -> tuple[str, bytes]:
    found = readview.file_bytes(v, file_name, SITE)
    assert found is not None, file_name
    return found


def test_a_view_without_levers_says_so_and_charts_are_drawn_for_wide_and_narrow_screens():
    _, document = view("explorer", "case=herning")
    assert document.count("<svg") >= 6
    assert document.count("class='chart-narrow'") == document.count("class='chart-wide'")
    ids = re.findall(r'\bid="([^"]+)"', document)
    assert len(ids) == len(set(ids)), "every id in the document is unique"


#: A baked site's address, and a launcher's: a part of the site is baked, to keep it quick.
STATIC, LAUNCHER = "https://static.example.org/read/", "https://live.example.org/app/"
BAKED_PAGES, BAKED_CASES = ("index", "explorer", "claims", "own_case"), ("herning", "hjoerring")


@pytest.fixture(scope="module")
def baked(tmp_path_factory) -> Path:
    """A baked site for a static host, with no launcher."""
    folder = tmp_path_factory.mktemp("site")
    bake.bake(folder, STATIC, BAKED_PAGES, cases=BAKED_CASES)
    return folder


@pytest.fixture(scope="module")
def baked_live(tmp_path_factory) -> Path:
    """A baked site beside a launcher (``--live-url``)."""
    folder = tmp_path_factory.mktemp("site-live")
    bake.bake(folder, STATIC, ("index", "explorer"), live_url=LAUNCHER, cases=("herning",))
    return folder


def test_bake_writes_every_page_for_every_preset_in_both_languages(baked):
    for lang in i18n.LANGS:
        for case in BAKED_CASES:
            for name in BAKED_PAGES:
                path = baked / addresses.baked_view(lang, case, name)
                assert path.is_file(), path
                assert f"<html lang='{lang}'>" in path.read_text(encoding="utf-8")
    assert (baked / addresses.BAKED_INDEX).is_file()
    assert list((baked / "en" / "hjoerring" / "explorer").glob("*.xlsx"))


def texts_of(path: Path) -> str:
    """What a baked file says, where it can hold an address (a workbook's sheets as XML)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    if path.suffix in (".png", ".js"):
        return ""
    return html.unescape(path.read_text(encoding="utf-8-sig"))


#: An address of a launcher: a live page, or a view of a scenario.
LAUNCHED = re.compile(
    rf"https?://[^\s'\"<>]*/(?:{addresses.route(addresses.LIVE)}|{addresses.route(addresses.VIEW)}\?)[^\s'\"<>]*"
)


def followed(folder: Path, live_url: str | None = None) -> tuple[int, list[str]]:
    """Every link of a baked site followed: each href and src of its HTML, and each address of the
    site in any file (Share, embeds, the lever's data, the CSV's, the workbook's, the charts'),
    must name a file it has; an address of the launcher only where one was given. The number of
    links followed, and the launcher's addresses met."""
    seen, launcher = 0, []
    at_site = re.compile(re.escape(STATIC) + r"[^\s'\"<>?#)]*")
    for path in folder.rglob("*"):
        if path.is_dir():
            continue
        text = texts_of(path)
        for found in at_site.finditer(text):
            seen += 1
            target = folder / found.group(0).removeprefix(STATIC)
            assert target.is_file(), (path, found.group(0))
        if path.suffix == ".html":
            for href in re.findall(r"""(?:href|src)=['"]([^'"]+)['"]""", text):
                if href.startswith(("https://", "http://")):  # the site's: above; or elsewhere
                    continue
                seen += 1
                assert (path.parent / href.split("?")[0]).resolve().is_file(), (path, href)
        for other in (m.group(0) for m in LAUNCHED.finditer(text)):
            assert live_url is not None and other.startswith(live_url), (path, other)
            launcher.append(other)
    return seen, launcher


def test_a_baked_site_for_a_static_host_links_only_to_files_it_has(baked):
    """Regression: a baked site linked 'Change the numbers' to the launcher's live pages, Share
    and embeds to ``/view/...`` and the CSV's 'reproduce' address to files it did not have."""
    seen, launcher = followed(baked)
    assert seen > 300 and not launcher
    document = (baked / "da" / "herning" / "explorer.html").read_text(encoding="utf-8")
    assert not re.search(r"<a [^>]*data-live", document)  # no "Change the numbers"
    assert html.escape(i18n.t("view.fixed", "da")) in document  # how to change them instead
    assert f"{STATIC}da/herning/explorer.html" in html.unescape(document)  # Share, embed
    csv = next((baked / "en" / "herning" / "explorer").glob("*.csv")).read_text("utf-8-sig")
    assert f"{STATIC}en/herning/explorer.html" in csv


def test_a_baked_site_beside_a_launcher_sends_changes_and_other_scenarios_there(baked_live):
    seen, launcher = followed(baked_live, LAUNCHER)
    assert seen > 50
    live = f"{LAUNCHER}{addresses.live('explorer')}?"
    assert any(h.startswith(live) for h in launcher)
    document = (baked_live / "en" / "herning" / "explorer.html").read_text(encoding="utf-8")
    for tag in re.findall(r"<a [^>]*data-live[^>]*>", document):
        assert "target='_top'" in tag and html.unescape(tag).count(live) == 1, tag
    site = bake.BakedSite(STATIC, LAUNCHER, ("herning",))
    assert site.view("explorer", "case=herning&lang=da") == "../../da/herning/explorer.html"
    other = "case=herning&caseload_after=20&lang=da"
    assert site.view("explorer", other) == f"{LAUNCHER}{addresses.view('explorer')}?{other}"
    assert bake.BakedSite(STATIC).view("explorer", other) == "../../da/herning/explorer.html"


def test_the_baked_front_page_has_the_front_pages_introduction_and_menu(baked):
    document = html.unescape((baked / addresses.BAKED_INDEX).read_text(encoding="utf-8"))
    for lang in i18n.LANGS:
        assert i18n.t("index.intro", lang) in document
        for name in BAKED_PAGES[1:]:
            path = addresses.baked_view(lang, BAKED_CASES[0], name)
            assert f"<a href='{path}'>{i18n.t(f'page.{name}', lang)}</a>" in document
            assert i18n.t(f"index.{name}", lang) in document
        assert i18n.t("view.fixed", lang) in document


def test_the_caseload_lever_moves_through_the_models_own_answers():
    from explorer import model
    from explorer.ui.content import charts

    query = "case=hjoerring&caseload_after=30&lang=en"
    _, document = view("explorer", query)
    found = re.search(r"<script type='application/json' id='lever-data'>(.*?)</script>", document)
    assert found is not None
    lever = json.loads(found.group(1))
    base = readview.page_class("explorer")(query, url="").current
    assert lever["values"][lever["index"]] == base.caseload_after
    assert lever["values"] == sorted(set(lever["values"]))
    assert max(lever["values"]) <= base.caseload_before
    for i in (0, lever["index"], len(lever["values"]) - 1):
        r = model.evaluate(base.replace(caseload_after=float(lever["values"][i])))
        assert lever["kpis"][i] == kpis.main(r, "en")
        spec = charts.for_page(charts.cumulative_net(r, "en"))
        assert lever["frames"][i] == spec.pop("data")["values"]
        assert lever["specs"][lever["shapes"][i]] == spec
        assert f"caseload_after={lever['values'][i]:g}" in lever["live"][i]
        assert lever["views"][i] == SITE.absolute("explorer", lever["live"][i].split("?")[1])
    assert lever["values"][0] == math.ceil(explorer_page.sweep_span(base)[0])  # the sweep's span
    listed = re.search(r"<div data-name='caseload_after'><dt>[^<]*</dt><dd>([^<]*)</dd>", document)
    assert (
        listed is not None and listed.group(1) == f"30 {lever['unit']}" == "30 cases per caseworker"
    )
    assert lever["runtime"].startswith("../explorer/static/vega-runtime-")


def lever_data(document: str) -> dict:
    found = re.search(r"<script type='application/json' id='lever-data'>(.*?)</script>", document)
    assert found is not None
    return json.loads(found.group(1))


def test_shares_python_lines_and_the_downloads_follow_the_caseload_lever():
    """Regression: with the slider moved from 24 to 30, Share's Python lines still loaded the
    link's caseload and the chart's, the table's, the workbook's and the JSON's links still
    fetched the link's files."""
    query = readview.canonical("explorer", "case=herning&lang=da")[0]
    _, document = view("explorer", query)
    lever = lever_data(document)
    live = readview.page_class("explorer")(query, url="")
    setting = live.reproduction()
    assert setting is not None
    followed = set(re.findall(r"data-lever-file='([^']+)'", document))
    assert {n.rsplit(".", 1)[1] for n in followed} >= {"png", "svg", "csv", "xlsx", "json"}
    assert "data-python" in document
    for i, value in enumerate(lever["values"]):
        s = live.current.replace(caseload_after=float(value))
        code = reproduce.snippet(dataclasses.replace(setting, scenario=s))
        assert lever["python"][i] == code
        own = query if i == lever["index"] else live.query(s)
        assert i == lever["index"] or f"caseload_after={value:g}" in own
        assert lever["files"][i] == {n: SITE.file("explorer", own, n) for n in followed}
    assert 'explorer.load_case("herning")\n' in lever["python"][lever["index"]]
    assert "caseload_after=30.0" in lever["python"][lever["values"].index(30)]


def test_a_baked_views_lever_names_no_files_the_site_does_not_have():
    """A baked site has the files of the link's caseload only: the other values' Python lines
    follow, their files are none (the script dims the links and says they are the link's)."""
    site = bake.BakedSite(STATIC)
    query = readview.canonical("explorer", "case=herning&lang=da")[0]
    document = readview.render("explorer", query, site).html()
    lever = lever_data(document)
    at = lever["index"]
    assert [i for i, f in enumerate(lever["files"]) if f is not None] == [at]
    for name, href in lever["files"][at].items():
        assert f"href='{html.escape(href)}' data-lever-file='{name}'" in document
    assert len(set(lever["python"])) == len(lever["values"])
    assert "24 sager pr. sagsbehandler" in lever["files_note"], lever["files_note"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_wider_gains_card_says_the_same_in_every_medium(lang):
    """Regression: the card said to switch the wider gains on among the settings, which a read
    view, a baked page, the command line and the workbook do not have: a key figure says what
    the result counts, and each medium says the same."""
    query = f"case=herning&lang={lang}"
    said = i18n.t("kpi_sub.wider_not_counted", lang)
    live: Any = readview.page_class("explorer")(query, url="")
    documents = {
        "live": live.kpi_box.value,
        "view": readview.render("explorer", query, SITE).html(),
        "baked": readview.render("explorer", query, bake.BakedSite(STATIC)).html(),
    }
    for document in documents.values():
        assert f">{html.escape(said)}<" in document
    for cards in lever_data(documents["view"])["kpis"]:
        assert f">{html.escape(said)}<" in cards
    lines = dict((k, sub) for k, _, sub in key_figures.cards(live.result, lang))
    assert lines["pv_wider_gains"] == said


def test_the_own_case_view_reads_the_case_its_link_carries():
    from explorer.ui.pages import own_case

    live = own_case.OwnCasePage("lang=en")
    live.start_choice.value = "aabenraa"
    live.start_button.click()
    v, document = view("own_case", live.chrome.query)
    assert "c=v1." in live.chrome.query
    cards = live.kpi_box.value
    assert cards in document
    assert cards not in view("own_case", "lang=en")[1]
    assert "own-case.yaml" in v.files


def test_one_cached_view_serves_every_host_name_with_its_own_address():
    views = readview.Views("/app/")
    key = readview.canonical("who_pays", "case=herning&lang=en")[0]
    v = views.get("who_pays", key)
    for origin in ("https://a.example", "http://b.example:8080"):
        document = html.unescape(v.html((), origin))
        assert f"{origin}/app/view/who_pays?{key}" in document
        assert readview.ORIGIN not in document
        packed = v.encoded([], True, origin)
        assert gzip.decompress(packed).decode("utf-8") == v.html((), origin)
    csv = views.file("who_pays", key, "herning-table.csv", "https://a.example")
    assert csv is not None and b"https://a.example/app/view/who_pays?" in csv[1]
    assert views.rendered == 1


@pytest.mark.parametrize("name", PAGES)
def test_only_a_page_with_numbers_offers_to_change_them(name):
    _, document = view(name, "case=herning&lang=en")
    assert ("class='change-numbers'" in document) is readview.page_class(name).has_numbers


class AboutPage(page.Page):
    """A page with no case and a browser lever of its own (the horizon), made up for the test:
    the renderer knows nothing of it."""

    name = "how_it_works"
    has_case = False
    browser_lever = page.BrowserLever(
        field="horizon_years",
        span=lambda s: (3, 8),
        kpi_box="cards",
        kpis=lambda r, lang: f"<p class='npv'>{r.npv:.0f}</p>",
        chart="flows",
        draw=charts.yearly_flows,
    )

    def build(self) -> None:
        self.lever("horizon_years", self.base.horizon_years)
        self.cards = widgets.html_box("cards")
        self.box = w.VBox()

    def layout(self):
        levers = w.VBox([self.levers["horizon_years"]])
        levers.add_class("levers")
        return w.VBox([levers, self.notice_box, self.cards, self.box])

    def show(self, s) -> None:
        r = model.evaluate(s)
        self.cards.value = self.browser_lever.kpis(r, self.lang)
        self.box.children = [
            self.chart("cumulative", charts.cumulative_net(r, self.lang), s),
            self.chart("flows", charts.yearly_flows(r, self.lang), s),
        ]


def test_a_page_declares_its_browser_lever_and_the_view_follows_the_declaration(monkeypatch):
    monkeypatch.setattr(readview, "page_class", lambda name: AboutPage)
    query = "case=herning&horizon_years=5&lang=en"
    v, document = view("how_it_works", query)
    found = re.search(r"<script type='application/json' id='lever-data'>(.*?)</script>", document)
    assert found is not None and v.script
    lever = json.loads(found.group(1))
    assert lever["field"] == "horizon_years" and lever["values"] == [3, 4, 5, 6, 7, 8]
    assert lever["index"] == 2
    base = AboutPage(query, url="").current
    for i, years in enumerate(lever["values"]):
        r = model.evaluate(base.replace(horizon_years=float(years)))
        assert lever["kpis"][i] == f"<p class='npv'>{r.npv:.0f}</p>"
        assert lever["frames"][i] == charts.for_page(charts.yearly_flows(r, "en"))["data"]["values"]
    assert "horizon_years=7" in lever["live"][4]
    figures = re.findall(r"<figure class='chart (chart-\w+)'( data-lever-chart)?>", document)
    assert figures == [("chart-cumulative", ""), ("chart-flows", " data-lever-chart")]
    assert "<div class='cards' data-lever-kpis><p class='npv'>" in document
    assert "data-name='horizon_years'" in document  # the lever's row in the list of inputs


@pytest.mark.parametrize("has_case", [True, False])
def test_only_a_page_with_a_case_names_it(monkeypatch, has_case):
    monkeypatch.setattr(readview, "page_class", lambda name: AboutPage)
    monkeypatch.setattr(AboutPage, "has_case", has_case)
    _, document = view("how_it_works", "case=herning&lang=en")
    assert ("<b>Case:</b> Herning" in document) is has_case


# -- the embed form and Share's Python ------------------------------------------------------------
EMBEDDED = ("explorer", "who_pays", "how_sure")


def embed(name: str, query: str) -> tuple[readview.View, str]:
    return view(name, addresses.embed_query(query))


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("name", EMBEDDED)
def test_an_embed_shows_the_numbers_and_a_chart_and_no_menu(name, lang):
    """Regression: the snippet framed the whole view at height 900, so an article showed the
    site's menu, banner and intro, and its first chart only 1,050 px down."""
    query = f"case=aabenraa&caseload_after=25&lang={lang}"
    v, document = embed(name, query)
    assert v.embed and not v.script and v.query == readview.canonical(name, query)[0]
    body = document[document.index("<body>") :]
    assert "site-nav" not in body and "live-bar" not in body and "inputs" not in body
    assert f"<h1 class='embed-title'>{i18n.t(f'page.{name}', lang)}</h1>" in document
    assert "class='embed-scenario'" in document and "Aabenraa" in document
    assert document.count("<figure class='chart") == 1
    full = readview.canonical(name, query)[0]
    live: Any = readview.page_class(name)(full, url="")
    cards = re.findall(r"<div class='kpi kpi-([\w-]+)'>", document)
    assert cards and all(f"<div class='kpi kpi-{c}'>" in live.kpi_box.value for c in cards)
    if name == "explorer":
        assert cards[:2] == ["npv", "payback-year"]
    assert live.source_line(live.current) in html.unescape(document)
    whole = SITE.share(name, full)
    assert whole is not None and f"href='{html.escape(whole)}'" in document  # the whole view


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("name", EMBEDDED)
def test_an_embed_says_what_differs_from_the_preset(name, lang):
    """Regression: an embed at a salary of 550,000 showed an NPV of 4.2 m under a scenario line
    that named the caseloads only, so an article's readers took it for the preset's salary."""
    from explorer.outputs import export

    query = f"case=herning&caseload_after=22.5&worker_cost=550000&lang={lang}"
    _, document = embed(name, query)
    live: Any = readview.page_class(name)(readview.canonical(name, query)[0], url="")
    changed = export.changed_inputs(live.current, lang, terms=live.terms_set())
    assert any("550" in c for c in changed)
    assert all(c in html.unescape(document) for c in changed)
    _, plain = embed(name, f"case=herning&lang={lang}")
    assert "embed-changed" not in plain


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_claims_embed_shows_the_claim_and_its_verdict(lang):
    """Regression: the claims page's embed showed its title, scenario and source line only: no
    claim and no verdict, nothing an article could use."""
    query = f"case=herning&claim=kora_700k&lang={lang}"
    _, document = embed("claims", query)
    live: Any = readview.page_class("claims")(readview.canonical("claims", query)[0], url="")
    assert live.verdict_html and live.verdict_html in document
    assert "class='claim-text'" in document and "class='verdict verdict-" in document


def test_the_front_page_offers_no_embed_and_names_no_case():
    """Regression: the front page's view offered an embed snippet (an empty frame: "Forside ·
    See the whole calculation") and a "Case: Herning" line on a page about every case."""
    _, document = view("index", "case=herning&lang=en")
    assert "data-embed" not in document and "Case:" not in document
    live: Any = readview.page_class("index")("case=herning&lang=en", url="")
    assert live.chrome.embed == {}


def test_an_embed_shows_what_its_page_declares(monkeypatch):
    """The renderer names no page: a made-up page's embed shows the cards and the chart it
    declares."""
    monkeypatch.setattr(readview, "page_class", lambda name: AboutPage)
    monkeypatch.setattr(AboutPage, "embed", page.Embed(cards=None, chart="flows", kpi_box="cards"))
    _, document = embed("how_it_works", "case=herning&lang=en")
    assert re.findall(r"<figure class='chart (chart-\w+)'", document) == ["chart-flows"]
    monkeypatch.setattr(AboutPage, "embed", page.Embed(chart="cumulative", kpi_box="cards"))
    _, document = embed("how_it_works", "case=herning&lang=en")
    assert re.findall(r"<figure class='chart (chart-\w+)'", document) == ["chart-cumulative"]


@pytest.mark.parametrize("name", [*EMBEDDED, "claims", "index"])
def test_every_link_of_an_embed_leaves_its_frame_and_only_its_height_script_runs(name):
    _, document = embed(name, "case=herning&lang=da")
    head = document[: document.index("</head>")]
    assert "<base target='_blank'>" in head  # any link opens a new tab, the article stays
    for tag in re.findall(r"<a [^>]*>", document):
        assert "target='_blank'" in tag, tag
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", document, re.S)
    assert scripts == [("", readview.EMBED_SCRIPT)]
    assert "postMessage" in readview.EMBED_SCRIPT


def test_a_whole_views_links_leave_a_frame_too():
    _, document = view("explorer", "case=herning&lang=da")
    assert "<base target='_top'>" in document[: document.index("</head>")]


def test_embed_in_any_place_of_the_link_is_one_embed_and_another_value_is_none():
    key = readview.canonical("who_pays", "case=herning&lang=en")[0]
    for query in ("embed=1&lang=en&case=herning", "case=herning&lang=en&embed=1"):
        found, notices, _ = readview.canonical("who_pays", query)
        assert found == addresses.embed_query(key) and not notices
    assert readview.canonical("who_pays", "case=herning&lang=en&embed=0") == (key, [], "en")
    assert readview.split_embed(addresses.embed_query(key)) == (key, True)
    assert readview.split_embed(key) == (key, False)


def grab(pattern: str, text: str) -> str:
    """The first group of ``pattern``'s first match in ``text`` (which must have one)."""
    found = re.search(pattern, text, re.S)
    assert found is not None, pattern
    return found.group(1)


def test_share_offers_the_embed_form_with_its_resize_script_the_python_and_the_data():
    query = "case=aabenraa&caseload_after=25&lang=en"
    v, document = view("explorer", query)
    key = readview.canonical("explorer", query)[0]
    snippet = html.unescape(grab(r"data-embed>(.*?)</textarea>", document))
    assert f'src="{SITE.embed("explorer", key)}"' in snippet
    assert f'height="{page.EMBED_HEIGHT}"' in snippet
    assert f'<script src="https://example.org/{addresses.EMBED_SCRIPT}" async></script>' in snippet
    live_share = readview.page_class("explorer")(key, url="").chrome.embed  # the live Share's
    assert live_share["height"] == page.EMBED_HEIGHT and live_share["param"] == "embed=1"
    code = html.unescape(grab(r"class='python-code'[^>]*>(.*?)</textarea>", document))
    live: Any = readview.page_class("explorer")(key, url="")
    assert code == reproduce.snippet(live.reproduction())
    assert "replace(caseload_after=25.0)" in code
    names = {v.files[k]: k for k in v.files}
    assert "class='data-csv'" in document and "class='data-json'" in document
    sent = readview.file_bytes(v, names["json"], SITE)
    assert sent is not None
    mime, data = sent
    numbers = json.loads(data)
    assert mime == "application/json" and numbers["key_figures"]["npv"] == round(live.result.npv)
    assert numbers["link"] == SITE.share("explorer", key)


@pytest.mark.parametrize("name", ["own_case", "explorer"])
def test_a_name_no_page_reads_is_no_cache_entry_of_its_own(name):
    """Regression: an unknown parameter gave the own case a key of its own, so every
    ``&utm_source=…`` rendered the view anew (221 ms) and pushed real views out of the cache."""
    from explorer.ui.pages import own_case

    link = "case=aabenraa&caseload_after=25&lang=en"
    if name == "own_case":  # the link its page puts in the address bar: the whole case
        live = own_case.OwnCasePage("lang=en")
        live.start_choice.value = "hjoerring"
        live.start_button.click()
        link = live.chrome.query
    views = readview.Views()
    found = [readview.canonical(name, link + extra) for extra in ("", "&utm_source=x", "&zzz=1")]
    for key, _, _ in found:
        views.get(name, key)
    assert views.rendered == 1 and len(views._views) == 1
    assert found[0][0] == link  # the page's own link is already canonical
    assert found[0][1] == [] and "zzz" in found[2][1][0]  # the reader is told, the key is not
    cached = views.cached(name, found[2][0])
    assert cached is not None and "zzz" in cached.html(found[2][1])


def test_the_own_case_keeps_what_its_page_reads_of_a_link_and_nothing_else():
    def key(query: str) -> str:
        return readview.canonical("own_case", query)[0]

    assert key("lang=en") == key("case=own&lang=en&x=1") == "case=own&lang=en"
    assert key("case=herning&caseload_after=22&lang=en&x=1") == key(
        "lang=en&caseload_after=22.0&case=herning"
    )
    assert key("case=herning&lang=da") != key("case=hjoerring&lang=da")
    assert key("case=own&c=v1.abc&lang=da&claim=x") == "case=own&c=v1.abc&lang=da"
    assert "grant_share=0.25" in key("case=own&c=v1.abc&grant_share=0.25")  # a term it lists
    assert key("&".join(f"p{i}=1" for i in range(300))) == "case=own&lang=da"


@pytest.mark.parametrize("name", PAGES)
def test_a_page_offers_what_it_declares(name):
    """``Page.offers`` is what the launcher checks a file name against before any render: every
    chart and file a page renders passes it, and every chart and file it declares is rendered."""
    offers = readview.page_class(name).offers
    charts, names = set(), set()
    for query in ("case=herning&lang=da", "case=hjoerring&caseload_after=30&lang=da"):
        v, _ = view(name, query)
        for file_name in [*v.files, *v.charts]:
            assert readview.may_offer(name, v.query, file_name), file_name
        charts |= set(readview.page_class(name)(v.query, url="").charts)
        names |= set(v.files)
        assert len(v.files) == len(offers.files)
    assert charts == set(offers.charts)
    for what in offers.files:
        ending = f"-{i18n.t(f'file.{what}', 'da')}.{readview.FILE_TYPES[what]}"
        assert any(n.endswith(ending) for n in names), (what, names)


def test_another_pages_file_name_is_refused_before_a_render():
    """Regression: a file name of another page (the explorer's sweep chart asked of who pays)
    rendered the view before its 404."""
    query = readview.canonical("who_pays", "case=herning&caseload_after=23&lang=da")[0]
    assert readview.may_offer("explorer", query, "herning-sagstal-og-nutidsvaerdi.png")
    assert not readview.may_offer("who_pays", query, "herning-sagstal-og-nutidsvaerdi.png")
    assert not readview.may_offer("index", query, "herning-tabel.csv")
    views = readview.Views()
    assert views.file("who_pays", query, "herning-sagstal-og-nutidsvaerdi.png") is None
    assert views.rendered == 0


def test_a_file_name_no_page_gives_is_refused_without_a_render():
    views = readview.Views()
    key = readview.canonical("explorer", "case=herning&caseload_after=23&lang=en")[0]
    for name in ("..", ".env", "x.csv", "herning-table.csv.bak", "herning-tabel.csv", "a/b"):
        assert views.file("explorer", key, name) is None, name
    assert views.rendered == 0
    assert views.file("explorer", key, "herning-table.csv") is not None
    assert views.rendered == 1


#: What only explorer/ui/content/addresses.py may write: pieces of the site's URL layout.
LAYOUT_PIECES = re.compile(r"voila/render|\.ipynb\?|(^|[/'\"])view/|/file/|\.embed\.html")


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module (f-strings' literal parts too), docstrings left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "module",
    sorted(
        str(p.relative_to(Path(readview.__file__).parents[3]))
        for p in Path(readview.__file__).parents[2].rglob("*.py")
        if p.name != "addresses.py"
    ),
)
def test_no_module_but_the_layout_writes_an_address(module):
    """A live link, a view's or a download's address is asked of ``addresses``, never written."""
    root = Path(readview.__file__).parents[3]
    found = [(n, s) for n, s in _code_strings(root / module) if LAYOUT_PIECES.search(s)]
    assert not found, f"{module} writes addresses itself: {found}"


def test_a_claims_view_links_to_every_claim():
    """Regression: the claims page's view showed the first claim of its case and no way to the
    others (the live page has a picker): each claim is a link, the shown one marked."""
    from explorer.analysis import claims

    query = "case=herning&lang=en"
    _, document = view("claims", query)
    nav = grab(r"<nav class='choice-links claim-picker'[^>]*>(.*?)</nav>", document)
    for c in claims.claims():
        href = SITE.view("claims", f"{readview.canonical('claims', query)[0]}&claim={c.id}")
        assert f"href='{html.escape(href)}'" in nav, c.id
    assert nav.count("aria-current='page'") == 1
    # a baked site names the claims it has no view of without a link
    baked = bake.BakedSite("https://example.org/read/", cases=("herning",))
    key, notices, _ = readview.canonical("claims", query)
    static = readview.render("claims", key, baked).html(notices)
    items = grab(r"<nav class='choice-links claim-picker'[^>]*>(.*?)</nav>", static)
    assert items.count("<li>") == len(claims.claims()) and items.count("href=") >= 1
