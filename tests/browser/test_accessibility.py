"""Every page for a reader with a screen reader or a keyboard: axe-core finds no serious or
critical violation, the document says its language, and the disclosures open from the keyboard."""

import pytest
from playwright.sync_api import expect

from explorer.ui.live.page import PAGES


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(open_page, axe, name, lang):
    page = open_page(name, f"lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = axe(page)
    assert violations == [], violations


def test_a_disclosure_opens_and_closes_with_the_keyboard(open_page):
    page = open_page("explorer", "lang=en")
    toggle = page.locator(".disclosure-toggle").first
    body = page.locator(".disclosure-body").first
    expect(body).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(body).to_be_visible()
    page.keyboard.press("Space")
    expect(body).to_be_hidden()


def test_every_lever_has_a_label_a_screen_reader_reads(open_page):
    page = open_page("explorer", "lang=da")
    fields = page.locator(".lever input")
    assert fields.count() > 10
    for i in range(fields.count()):
        field = fields.nth(i)
        label = field.evaluate(
            "el => el.labels && el.labels.length ? el.labels[0].innerText"
            " : el.getAttribute('aria-label') || ''"
        )
        assert label.strip(), field.evaluate("el => el.outerHTML")
