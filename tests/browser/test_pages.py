"""A person's paths through the pages, in a real browser against a live Voilà server."""

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect


def kpi(page, name):
    return page.locator(f".kpi-{name} .kpi-value")


def marks(page, chart):
    return page.locator(f".chart-{chart} svg [aria-roledescription]")


def chart_signature(page, chart):
    """The aria labels of a chart's marks: change when the data behind them change."""
    return page.locator(f".chart-{chart} svg").first.evaluate(
        "el => Array.from(el.querySelectorAll('[aria-label]')).map(e => e.getAttribute('aria-label')).join('|')")


def test_landing_links_to_every_page(open_page, screenshot):
    page = open_page("index.ipynb")
    links = page.locator("a.page-link")
    expect(links).to_have_count(5)
    hrefs = [links.nth(i).get_attribute("href") for i in range(5)]
    assert all(h.startswith("/voila/render/") for h in hrefs)
    expect(page.locator("h1")).to_contain_text("Sociale investeringer")
    screenshot(page, "landing")


def test_explorer_renders_with_kpis_and_charts(open_page, screenshot):
    page = open_page("explorer.ipynb")
    expect(kpi(page, "extra-workers")).to_have_text("4,0")
    expect(kpi(page, "payback-year")).to_contain_text("2014")
    for chart in ("cumulative", "flows", "sweep"):
        expect(marks(page, chart).first).to_be_attached()
    assert marks(page, "flows").count() > 10
    screenshot(page, "explorer-da")


def test_moving_the_caseload_lever_changes_kpis_charts_staffing_and_url(open_page):
    page = open_page("explorer.ipynb")
    expect(kpi(page, "extra-workers")).to_have_text("4,0")
    before_cost = kpi(page, "total-cost").inner_text()
    before_chart = chart_signature(page, "cumulative")
    handle = page.locator(".lever-caseload-after .noUi-handle")
    handle.focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft")  # 24 -> 20 cases per caseworker
    expect(kpi(page, "extra-workers")).to_have_text("5,6")
    expect(kpi(page, "total-cost")).not_to_have_text(before_cost)
    expect(page.locator(".lever-extra-workers input")).to_have_value("5.6")
    page.wait_for_function(
        "([sig]) => { const el = document.querySelector('.chart-cumulative svg');"
        " return Array.from(el.querySelectorAll('[aria-label]')).map(e => e.getAttribute('aria-label')).join('|') !== sig }",
        arg=[before_chart])
    page.wait_for_function("() => window.location.search.includes('caseload_after=20')")


def test_the_staffing_lever_moves_the_caseload(open_page):
    page = open_page("explorer.ipynb")
    field = page.locator(".lever-extra-workers input")
    field.fill("8")
    field.press("Enter")
    expect(kpi(page, "extra-workers")).to_have_text("8,0")
    expect(page.locator(".lever-caseload-after .lever-value")).to_have_text("16")


def test_a_share_link_restores_the_state(open_page):
    page = open_page("explorer.ipynb?case=aabenraa&caseload_after=25&horizon_years=8&lang=da")
    expect(page.locator(".case-picker select")).to_have_value(re.compile("^Aabenraa"))
    expect(page.locator(".lever-caseload-after .lever-value")).to_have_text("25")
    expect(page.locator(".lever-horizon-years .lever-value")).to_have_text("8")
    expect(kpi(page, "total-cost")).to_contain_text("mio. kr.")
    share = page.locator("a.share-link").get_attribute("href")
    params = parse_qs(urlparse(share).query)
    assert params["case"] == ["aabenraa"] and params["caseload_after"] == ["25"]


def test_english_with_lang_en(open_page, screenshot):
    page = open_page("explorer.ipynb?lang=en")
    expect(page.locator("h1")).to_contain_text("do more caseworkers pay")
    expect(kpi(page, "total-cost")).to_contain_text("DKK")
    expect(page.locator(".kpi-payback-year .kpi-title")).to_have_text("Pays back, public sector")
    assert "Year" in page.locator(".chart-cumulative svg").first.text_content()
    screenshot(page, "explorer-en")


def test_danish_page_shows_no_english_labels(open_page):
    page = open_page("explorer.ipynb")
    text = page.locator(".app").first.inner_text()
    for word in ("Cost", "Savings", "Year", "Pays back", "Caseload", "Download", "Source", "Case"):
        assert not re.search(rf"\b{word}\b", text), word
    svg_text = page.locator(".chart-cumulative svg").first.text_content()
    assert "År" in svg_text and "Year" not in svg_text


def test_bad_url_values_render_with_a_notice(open_page, screenshot):
    page = open_page("explorer.ipynb?caseload_after=abc&horizon_years=999")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("caseload_after=abc er ikke et tal")
    expect(notice).to_contain_text("horizon_years=999 ligger uden for 1–20")
    expect(page.locator(".lever-horizon-years .lever-value")).to_have_text("20")
    expect(marks(page, "cumulative").first).to_be_attached()
    screenshot(page, "explorer-bad-url")


def test_csv_and_chart_downloads(open_page):
    page = open_page("explorer.ipynb")
    with page.expect_download() as info:
        page.locator(".download-csv").click()
    assert info.value.suggested_filename == "herning-tabel.csv"
    assert "cumulative_net" in open(info.value.path(), encoding="utf-8").readline()
    with page.expect_download() as info:
        page.locator(".download-svg").click()
    assert info.value.suggested_filename.endswith(".svg")
    assert "<svg" in open(info.value.path(), encoding="utf-8").read(500)


def test_changing_the_case_loads_its_defaults(open_page):
    page = open_page("explorer.ipynb")
    page.locator(".case-picker select").select_option(index=2)
    expect(page.locator(".lever-caseload-after .lever-value")).to_have_text("35")
    expect(kpi(page, "extra-workers")).to_have_text("27,3")
    page.wait_for_function("() => window.location.search.includes('case=hjoerring')")


def test_how_it_works_follows_the_lever(open_page, screenshot):
    page = open_page("how_it_works.ipynb")
    chain = page.locator(".chain")
    expect(chain).to_contain_text("4,0")
    expect(marks(page, "cumulative").first).to_be_attached()
    handle = page.locator(".lever-caseload-after .noUi-handle")
    handle.focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft")
    expect(chain).to_contain_text("5,6")
    screenshot(page, "how-it-works")


def test_loading_message_speaks_the_page_language(voila_url, page):
    html = page.request.get(f"{voila_url}/voila/render/explorer.ipynb").text()
    assert "Starter beregningen" in html and "Beregner (" in html


def test_who_pays_renders_and_a_financing_lever_changes_the_comparison(open_page, screenshot):
    page = open_page("who_pays.ipynb?case=aabenraa&effect_scale=2")
    expect(page.locator(".plain-words")).to_contain_text("Med denne obligation")
    for chart in ("payers", "arrangements"):
        expect(marks(page, chart).first).to_be_attached()
    table = page.locator(".arrangements-table")
    before_table = table.inner_text()
    before_chart = chart_signature(page, "arrangements")
    page.locator(".lever-bond-cap .noUi-handle").focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft")  # 13 % -> 5 %
    expect(table).not_to_have_text(before_table)
    expect(table).to_contain_text("5,0 %")
    expect(page.locator(".lever-bond-cap .lever-value")).to_have_text("5,0 %")
    page.wait_for_function(
        "([sig]) => Array.from(document.querySelectorAll('.chart-arrangements svg [aria-label]'))"
        ".map(e => e.getAttribute('aria-label')).join('|') !== sig", arg=[before_chart])
    page.wait_for_function("() => window.location.search.includes('bond_cap=0.05')")
    screenshot(page, "who-pays")


def test_how_sure_renders_and_the_effect_moves_the_probability(open_page, screenshot):
    page = open_page("how_sure.ipynb")
    for chart in ("fan", "payback", "tornado"):
        expect(marks(page, chart).first).to_be_attached()
    p = kpi(page, "p-payback")
    expect(p).to_contain_text("%")
    before, before_fan = p.inner_text(), chart_signature(page, "fan")
    page.locator(".lever-effect-scale .noUi-handle").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # 1.0 -> 1.5
    expect(p).not_to_have_text(before)
    page.wait_for_function(
        "([sig]) => Array.from(document.querySelectorAll('.chart-fan svg [aria-label]'))"
        ".map(e => e.getAttribute('aria-label')).join('|') !== sig", arg=[before_fan])
    expect(page.locator(".breakeven")).to_contain_text("Effekten skal være mindst")
    screenshot(page, "how-sure")


def test_check_a_claim_and_open_it_in_the_explorer(open_page, screenshot):
    page = open_page("claims.ipynb?claim=bonds_cost_more&lang=en")
    body = page.locator(".claim-body")
    expect(body).to_contain_text("Holds if")
    expect(body).to_contain_text("more with the bond than financing it itself")
    expect(marks(page, "cumulative").first).to_be_attached()
    screenshot(page, "claims-en")
    page.locator(".claim-picker select").select_option(index=0)
    expect(body).to_contain_text("Herning")
    page.wait_for_function("() => window.location.search.includes('claim=herning_saved')")
    href = page.locator("a.open-explorer").get_attribute("href")
    page = open_page(href)
    expect(kpi(page, "total-cost")).to_contain_text("DKK 6.0 m")
