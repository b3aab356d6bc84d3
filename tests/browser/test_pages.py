"""A person's paths through the pages, in a real browser against the app as it is published."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import PHONE, charts_drawn, rendered
from playwright.sync_api import expect
from servers import Voila

from explorer.ui.content import addresses
from explorer.ui.live.page import EMBED_HEIGHT


def kpi(page, name):
    return page.locator(f".kpi-{name} .kpi-value")


def signature(page, chart):
    return page.locator(f".chart-{chart} svg").first.evaluate(
        "el => Array.from(el.querySelectorAll('[aria-label]'))"
        ".map(e => e.getAttribute('aria-label')).join('|')"
    )


def typed(page, lever, text):
    field = page.locator(f".lever-{lever} input.lever-value")
    field.fill(text)
    field.press("Enter")


def query(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_landing_page_links_to_every_page_relative_to_where_it_is_served(open_page):
    page = open_page("index")
    links = page.locator(".landing a.page-link")
    expect(links).to_have_count(6)
    for i in range(6):
        href = links.nth(i).get_attribute("href")
        assert re.fullmatch(r"\w+\.ipynb\?case=herning&lang=da", href), href
    expect(page.locator("h1")).to_contain_text("Sociale investeringer")
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_explorer_renders_kpis_and_charts(open_page):
    page = open_page("explorer")
    expect(kpi(page, "extra-workers")).to_have_text("4")
    expect(kpi(page, "payback-year")).to_contain_text("2014")
    charts_drawn(page)
    assert page.locator(".chart-flows svg [aria-roledescription]").count() > 10
    expect(page.locator("p.fitted")).to_contain_text("Tilpasset")


def test_the_keyboard_moves_the_caseload_and_everything_follows(open_page):
    page = open_page("explorer")
    charts_drawn(page)
    before = signature(page, "cumulative")
    slider = page.locator(".lever-caseload-after input[type=range]")
    slider.focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft")  # 24 -> 20 cases per caseworker, step 0.5
    expect(kpi(page, "extra-workers")).to_have_text("5,6")
    expect(page.locator(".lever-extra-workers input.lever-value")).to_have_value("5,6")
    page.wait_for_function(
        "([sig]) => Array.from(document.querySelectorAll('.chart-cumulative svg [aria-label]'))"
        ".map(e => e.getAttribute('aria-label')).join('|') !== sig",
        arg=[before],
    )
    page.wait_for_function("() => window.location.search.includes('caseload_after=20')")


def test_a_live_page_asks_nothing_of_other_sites(page, open_page, server):
    """No request leaves the page's own origin (Voilà's lab template links Font Awesome from a
    CDN: failed requests offline, each reader's address given to a third party online)."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page = open_page("explorer")
    charts_drawn(page)
    origin = "{0.scheme}://{0.netloc}".format(urlparse(page.url))
    outside = [u for u in asked if not u.startswith((origin + "/", "data:", "blob:"))]
    assert not outside, outside


def test_danish_decimals_are_read_as_danes_type_them(open_page):
    page = open_page("explorer")
    typed(page, "extra-workers", "2,5")
    expect(kpi(page, "extra-workers")).to_have_text("2,5")
    typed(page, "worker-cost", "1.000.000")
    expect(page.locator(".lever-worker-cost input.lever-value")).to_have_value("1.000.000 kr.")
    page.wait_for_function("() => window.location.search.includes('worker_cost=1000000')")
    typed(page, "horizon-years", "99")
    expect(page.locator(".lever-horizon-years .lever-error")).to_have_text(
        "Tidshorisont skal være fra 1 til 20 år; fik 99"
    )
    expect(page.locator(".lever-horizon-years input.lever-value")).to_have_value("10")


def test_a_shared_link_opens_in_its_case_and_language_and_keeps_its_address(open_page):
    page = open_page("explorer", "case=aabenraa&caseload_after=25&horizon_years=8&lang=en")
    expect(page.locator(".case-picker select")).to_have_value("aabenraa")
    expect(page.locator("h1")).to_contain_text("Caseloads and money")
    expect(page.locator(".lever-caseload-after input.lever-value")).to_have_value("25")
    expect(page.locator(".lever-horizon-years input.lever-value")).to_have_value("8")
    assert query(page) == {
        "case": "aabenraa",
        "caseload_after": "25",
        "horizon_years": "8",
        "lang": "en",
    }


def test_the_header_carries_the_scenario_to_the_other_pages(open_page):
    page = open_page("explorer", "case=hjoerring")
    typed(page, "caseload-after", "40")
    page.wait_for_function("() => window.location.search.includes('caseload_after=40')")
    page.locator(".site-nav a.page-who_pays").click()
    page.wait_for_url(re.compile(r"who_pays\.ipynb\?.*caseload_after=40"))
    expect(page.locator(".lever-caseload-after input.lever-value")).to_have_value(
        "40", timeout=90_000
    )
    expect(page.locator(".case-picker select")).to_have_value("hjoerring")
    page.locator(".site-nav a.page-how_sure").click()
    page.wait_for_url(re.compile(r"how_sure\.ipynb\?.*caseload_after=40"))
    expect(page.locator(".lever-caseload-after input.lever-value")).to_have_value(
        "40", timeout=90_000
    )


def read_view(url):
    """A live page's read view: <prefix>/voila/render/<page>.ipynb?q -> <prefix>/view/<page>?q"""
    return re.sub(r"/voila/render/(\w+)\.ipynb", r"/view/\1", url)


def test_share_links_and_embeds_the_read_view_and_keeps_the_live_link(open_page, server, context):
    """The launcher serves read views (and tells the kernels, EXPLORER_VIEWS=1)."""
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = open_page("who_pays", "case=hjoerring&lang=da")
    page.locator(".share-button").click()
    view = read_view(page.url)
    assert view.startswith(f"{server.url}view/who_pays?") and "case=hjoerring" in view
    expect(page.locator(".share-url").first).to_have_value(view)
    expect(page.locator(".share-live-url")).to_have_value(page.url)
    expect(page.locator(".share-panel")).to_contain_text("Link til den levende side")
    page.locator(".copy-link").click()
    expect(page.locator(".copied")).to_have_text("Linket er kopieret.")
    assert page.evaluate("navigator.clipboard.readText()") == view
    embed = page.locator(".embed-code").input_value()
    # the view's embed form, at a height that shows its chart, and the script that fits it
    assert embed.startswith(f'<iframe src="{view}&embed=1"') and 'loading="lazy"' in embed
    assert 'width="100%"' in embed and 'title="' in embed
    assert f'height="{EMBED_HEIGHT}"' in embed
    assert embed.endswith(f'<script src="{server.url}{addresses.EMBED_SCRIPT}" async></script>')
    python = page.locator(".python-code").input_value()
    assert 's = explorer.load_case("hjoerring")' in python and "financing.Terms()" in python
    numbers = page.locator(".share-data a.data-json").get_attribute("href")
    assert numbers.startswith(f"{server.url}view/who_pays/file/hjoerring-tal.json?case=hjoerring")
    shown = page.context.new_page()
    assert shown.goto(view, timeout=90_000).status == 200  # the launcher serves what Share gives
    expect(shown.locator("body")).to_contain_text("Hvem sparer")
    answer = shown.request.get(numbers, timeout=90_000)
    assert answer.status == 200 and answer.json()["python"] == python
    shown.close()


@pytest.fixture(scope="module")
def plain_voila():
    """Plain Voilà, as Binder runs it: no read views (EXPLORER_VIEWS unset)."""
    server = Voila(
        "voila-plain",
        warm=False,
        args=("--preheat_kernel=False",),
        env={"EXPLORER_VIEWS": ""},
    )
    yield server
    server.stop()


def test_without_read_views_share_copies_the_live_link_and_embeds_it(page, plain_voila, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(plain_voila.page("explorer", "case=aabenraa&lang=en"), timeout=90_000)
    rendered(page)
    page.locator(".share-button").click()
    page.locator(".copy-link").click()
    expect(page.locator(".copied")).to_have_text("The link is copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "case=aabenraa" in copied
    expect(page.locator(".share-live-url")).to_have_count(0)
    embed = page.locator(".embed-code").input_value()
    assert embed.startswith(f'<iframe src="{page.url}"') and 'loading="lazy"' in embed


def test_the_language_switch_keeps_the_scenario(open_page):
    page = open_page("explorer", "case=herning&caseload_after=30")
    page.locator(".lang-link").click()
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.locator("h1")).to_contain_text("Caseloads and money", timeout=90_000)
    assert query(page)["caseload_after"] == "30"


def test_csv_workbook_and_chart_downloads_carry_their_language(open_page):
    page = open_page("explorer", "case=aabenraa&lang=en")
    charts_drawn(page)
    with page.expect_download() as info:
        page.locator(".download-csv").click()
    assert info.value.suggested_filename == "aabenraa-table.csv"
    about = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert about.endswith(",About this table")
    csv = Path(info.value.path()).read_text(encoding="utf-8-sig")
    view = read_view(page.url.split("?")[0])  # the launcher serves read views: the link is one
    assert f"Reproduce this: {view}?case=aabenraa" in csv  # an absolute link
    with page.expect_download() as info:
        page.locator(".download-xlsx").click()
    assert info.value.suggested_filename == "aabenraa-workbook.xlsx"
    with page.expect_download() as info:
        page.locator(".chart-cumulative .download-svg").click()
    assert info.value.suggested_filename == "aabenraa-cumulative-net.svg"
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Cumulative net" in svg and "Source:" in svg and "case=aabenraa" in svg
    assert f"{view}?" in svg  # an absolute link
    with page.expect_download() as info:
        page.locator(".chart-flows .download-png").click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_changing_the_case_loads_its_defaults_and_clears_old_notices(open_page):
    page = open_page("explorer", "caseload_after=abc")
    expect(page.locator(".notice")).to_contain_text("caseload_after=abc")
    page.locator(".case-picker select").select_option("aabenraa")
    expect(kpi(page, "total-cost")).to_contain_text("80,6 mio. kr.")
    expect(page.locator(".notice")).to_have_count(0)


def test_who_pays_terms_change_the_comparison(open_page):
    page = open_page("who_pays", "case=aabenraa&lang=en")
    charts_drawn(page)
    before = page.locator(".arrangements-table").inner_text()
    typed(page, "bond-outcome-share", "90")
    page.wait_for_function("() => window.location.search.includes('bond_outcome_share=0.9')")
    expect(page.locator(".arrangements-table")).not_to_have_text(before)


def test_how_sure_reacts_to_the_effect(open_page):
    page = open_page("how_sure", "case=herning&draws=1000&lang=en")
    charts_drawn(page)
    before = kpi(page, "p-npv").inner_text()
    typed(page, "effect-scale", "0.5")
    expect(kpi(page, "p-npv")).not_to_have_text(before)


def test_a_claim_card_opens_the_page_that_answers_it(open_page):
    page = open_page("claims", "claim=bonds_cost_more")
    expect(page.locator(".claim-body h2 .verdict")).to_have_text("Afhænger af antagelser")
    page.locator("a.open-page").click()
    page.wait_for_url(re.compile(r"who_pays\.ipynb\?case=aabenraa"))
    expect(page.locator("h1")).to_contain_text("Hvem sparer", timeout=90_000)


def test_how_it_works_follows_the_lever(open_page):
    page = open_page("how_it_works", "lang=en")
    charts_drawn(page)
    # regression: the path chart's legend cut "…: without the programme" to "…: without the progr…"
    legend = page.locator(".chart-path svg .role-legend-label text").evaluate_all(
        "els => els.map((e) => e.textContent)"
    )
    assert legend and not any(text.endswith("…") for text in legend), legend
    before = page.locator(".chain").inner_text()
    typed(page, "caseload-after", "16")
    expect(page.locator(".chain")).not_to_have_text(before)
    expect(page.locator(".glossary dt").first).to_be_visible()


def test_the_loading_message_speaks_the_page_language(server, page):
    page.goto(server.page("explorer", "lang=en"), wait_until="commit")
    page.wait_for_selector("#loading_text", state="attached", timeout=30_000)
    text = page.locator("#loading_text").inner_text()
    assert text.startswith(("Starting", "Calculating")), text


def test_at_phone_width_the_case_and_the_numbers_come_before_the_levers(open_page):
    page = open_page("explorer", viewport=PHONE)
    charts_drawn(page)
    top = lambda css: page.locator(css).first.bounding_box()["y"]
    # the case picker, then the KPIs and the first chart, and only then the levers
    assert top(".case-choice") < top(".kpi") < top(".chart") < top(".lever")
    assert page.locator(".results").bounding_box()["width"] > 340
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # a keyboard or screen reader meets the levers first in the page's order: the first Tab
    # offers a way straight to the numbers
    kpi = top(".kpi")
    page.locator("body").press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Spring til tallene")
    expect(skip).to_be_in_viewport()
    assert top(".kpi") == kpi, "the focused link lies over the page, moving nothing"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('results')")


def text_field(page, css, text):
    field = page.locator(f".{css} input, .{css} textarea").first
    field.fill(text)
    field.press("Tab")


def test_an_own_case_from_an_empty_form_travels_in_its_link(open_page, context):
    page = open_page("own_case", "lang=en")
    form = page.locator(".own-form")
    outcome = page.locator(".own-outcome").first
    outcome.locator(".lever-outcome-1-effect input.lever-value").fill("0.3")
    outcome.locator(".lever-outcome-1-effect input.lever-value").press("Enter")
    expect(page.locator(".kpi-npv .kpi-value")).not_to_have_text("DKK -13.1 m")
    npv_before = page.locator(".kpi-npv .kpi-value").inner_text()
    form.locator(".lever-cases input.lever-value").fill("250")
    form.locator(".lever-cases input.lever-value").press("Enter")
    expect(page.locator(".kpi-npv .kpi-value")).not_to_have_text(npv_before)  # the kernel has it
    link_before = page.evaluate("() => window.location.search")
    name = form.locator(".own-text input").first
    name.fill("Odense pilot")
    name.press("Enter")
    page.wait_for_function(  # the name is in the link's code once the link changes
        "(before) => window.location.search.includes('c=v1.') && window.location.search !== before",
        arg=link_before,
    )
    npv = page.locator(".kpi-npv .kpi-value").inner_text()
    payback = page.locator(".kpi-payback-year .kpi-value").inner_text()
    charts_drawn(page)
    reopened = context.new_page()
    reopened.set_viewport_size(PHONE)
    reopened.goto(page.url, timeout=90_000)
    expect(reopened.locator(".kpi-npv .kpi-value")).to_have_text(npv, timeout=90_000)
    expect(reopened.locator(".kpi-payback-year .kpi-value")).to_have_text(payback)
    expect(reopened.locator(".own-text input").first).to_have_value("Odense pilot")
    expect(reopened.locator(".lever-cases input.lever-value")).to_have_value("250")
    assert reopened.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_case_file_opens_and_a_bad_one_is_named_without_changing_the_form(open_page, tmp_path):
    page = open_page("own_case", "case=aabenraa&lang=en")
    npv = page.locator(".kpi-npv .kpi-value").inner_text()
    with page.expect_download() as saved:
        page.locator(".download-yaml").click()
    path = tmp_path / saved.value.suggested_filename
    saved.value.save_as(path)
    assert path.name == "own-case.yaml" and "aabenraa.cases" in path.read_text(encoding="utf-8")
    bad = tmp_path / "broken.yaml"
    bad.write_text("own:\n  name: [unclosed\n", encoding="utf-8")
    page.locator(".own-upload input[type=file]").set_input_files(bad)
    expect(page.locator(".notice")).to_contain_text("broken.yaml, line")
    expect(page.locator(".kpi-npv .kpi-value")).to_have_text(npv)
    fresh = open_page("own_case", "lang=en")
    expect(fresh.locator(".kpi-npv .kpi-value")).not_to_have_text(npv)
    fresh.locator(".own-upload input[type=file]").set_input_files(path)
    expect(fresh.locator(".kpi-npv .kpi-value")).to_have_text(npv)
    expect(fresh.locator(".notice")).to_have_count(0)
