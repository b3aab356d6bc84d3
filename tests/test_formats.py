"""One number, one text, whatever the medium (issue 27): the pages' Babel text, the charts' d3
format (drawn by Vega itself, through vl-convert), the workbook's Excel format and the browser's
Intl.NumberFormat (run by Node, as the lever runs it) all show a value as data/numbers.py's
table says, in Danish and in English."""

import html
import json
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
import vl_convert as vlc
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.data import i18n, numbers
from explorer.model import fields
from explorer.ui.content import charts

KINDS = list(numbers.KINDS)
VALUES = [0, -0.004, 0.035, 0.355, 2.5, -2.5, 17.5, 21.99, 42.76, 259.06, 1234567.891, -20_000]
VALUES += [2_049_999.0, 0.125, 1e9 - 1, 12.25, -0.0001, 999.95]
#: The lever's code in the browser, as js/lever.js writes it, for a list of values.
INTL = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.map(([kind, values]) => {
  const local = new Intl.NumberFormat(kind.locale, kind.options);
  const scaled = (value) => (kind.scale !== 1 ? value * kind.scale : value / kind.per);
  return values.map((value) => `${kind.before}${local.format(scaled(value))}${kind.after}`);
});
process.stdout.write(JSON.stringify(out));
"""
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node for Intl")


def intl_texts(lang: str, values: list[float]) -> dict[str, list[str]]:
    """Every kind's text of ``values`` as the browser's lever writes it (Node's Intl)."""
    batch = [[numbers.intl(k, lang), values] for k in KINDS]
    done = subprocess.run(
        ["node", "-e", INTL], input=json.dumps(batch), capture_output=True, text=True, check=True
    )
    return dict(zip(KINDS, json.loads(done.stdout)))


def d3_texts(lang: str, values: list[float]) -> dict[str, list[str]]:
    """Every kind's number of ``values`` as a chart writes it: a Vega text mark per value with
    the kind's d3 format and the page's number locale; the data in the kind's unit as the
    charts put it there (millions divided, shares as they are: d3's '%' scales)."""
    rows = []
    for k in KINDS:
        per = numbers.kind(k).per
        data = [{"i": i, "v": v / per if per != 1 else v} for i, v in enumerate(values)]
        rows.append(
            {
                "data": {"values": data},
                "mark": "text",
                "encoding": {
                    "y": {"field": "i", "type": "ordinal", "axis": None},
                    "text": {"field": "v", "type": "quantitative", "format": numbers.d3(k)},
                },
            }
        )
    svg = vlc.vegalite_to_svg({"vconcat": rows}, format_locale=charts.FORMAT_LOCALE[lang])
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    n = len(values)
    return {k: texts[i * n : (i + 1) * n] for i, k in enumerate(KINDS)}


def excel_text(fmt: str, value: float, lang: str) -> str:
    """What Excel shows for ``value`` in number format ``fmt`` (the formats numbers.excel
    writes: '#,##0.0', '0', '#,##0.0,,' in millions, '#,##0" "%'), with the language's marks,
    as a Danish or English Excel shows it: rounded half away from zero on its shortest decimal
    form."""
    match = re.fullmatch(r'(#,##0|0)(?:\.(0+))?(,*)("\u00a0")?(%)?', fmt)
    assert match, fmt
    grouping, decimals, thousands, space, percent = match.groups()
    places = len(decimals or "")
    value = value / 1000 ** len(thousands) if thousands else value
    shown = Decimal(repr(value * 100 if percent else value))
    shown = shown.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)
    text = f"{shown:{',' if grouping == '#,##0' else ''}.{places}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text + ("\u00a0" if space else "") + ("%" if percent else "")


def number_part(kind: str, text: str, lang: str) -> str:
    """The number in a kind's text, without its unit."""
    before, after = numbers.kind(kind).affixes(lang)
    assert text.startswith(before) and text.endswith(after), (kind, text)
    return text[len(before) : len(text) - len(after)]


def trimmed(text: str, lang: str) -> str:
    """A number without trailing decimal zeros: what a trimmed kind shows of Excel's."""
    mark = "," if lang == "da" else "."
    found = re.fullmatch(r"(.*?)(\u00a0?%)?", text)
    assert found is not None
    body, percent = found.groups()
    if mark in body:
        body = body.rstrip("0").rstrip(mark)
    return body + (percent or "")


def binary_tie(value: float, kind: str) -> bool:
    """Whether d3 (which rounds the binary value) and the rest (its shortest decimal form)
    round ``value`` differently: a value such as 1.005, which is 1.00499... in binary."""
    k = numbers.kind(kind)
    x = numbers.scaled(value, kind)
    step = Decimal(1).scaleb(-k.decimals)
    exact = Decimal(x).quantize(step, rounding=ROUND_HALF_UP)
    return exact != Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP)


def check_every_medium(values: list[float]) -> None:
    for lang in i18n.LANGS:
        browser, chart = intl_texts(lang, values), d3_texts(lang, values)
        for kind in KINDS:
            k = numbers.kind(kind)
            for value, in_browser, in_chart in zip(values, browser[kind], chart[kind]):
                text = numbers.text(value, kind, lang)
                shown = numbers.number(value, kind, lang)
                where = (kind, lang, value)
                assert shown == number_part(kind, text, lang), where
                assert in_browser == text, where
                if not binary_tie(value, kind):
                    # d3's '%' writes the page's per cent sign; the others the number alone
                    assert in_chart == (text if k.percent else shown), where
                excel = excel_text(numbers.excel(kind, lang), value, lang)
                expected = text if k.percent else shown
                assert (trimmed(excel, lang) if k.trim else excel) == expected, where


@needs_node
def test_one_number_shows_the_same_in_every_medium_and_both_languages():
    check_every_medium(VALUES)


@needs_node
@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
        | st.decimals(min_value=-1000, max_value=1000, places=4).map(float),
        min_size=1,
        max_size=12,
    )
)
def test_any_value_shows_the_same_in_every_medium(values):
    check_every_medium(values)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_people_and_caseloads_show_as_the_kpi_cards_show_them(lang):
    """Issue 26: 'Ekstra sagsbehandlere 21,99 sagsbehandlere' stood beside a card saying 22,0,
    and the lever's field showed 42,76 while it moved. A lever of caseworkers or a caseload
    shows its value as the card does, and the browser gets the same rule."""
    from explorer.ui.live.widgets import Lever

    workers = fields.field("page", "extra_workers")
    caseload = fields.field("scenario", "caseload_after")
    for f, value in ((workers, 21.99), (caseload, 42.76), (caseload, 22.0)):
        lever = Lever(f, lang, value, lo=0, hi=200)
        assert lever.display == i18n.people(value, lang)
        assert lever.number_format == numbers.intl("people", lang)
    assert (
        i18n.people(21.99, lang) == "22"
        and i18n.people(42.76, lang) == ("42,8", "42.8")[i18n.LANGS.index(lang)]
    )


def test_a_whole_field_shows_no_decimal_in_any_medium():
    horizon = fields.field("scenario", "horizon_years")
    assert numbers.field_kind(horizon.unit.format, horizon.whole) == "count"
    assert numbers.excel(numbers.field_kind(horizon.unit.format, horizon.whole)) == "#,##0"
    assert horizon.show(10, "da") == "10"


def test_the_charts_use_the_tables_formats_only():
    """Every d3 format a chart carries is one of the table's."""
    from explorer import catalogue, model

    allowed = {numbers.d3(k) for k in KINDS} | {numbers.d3(k, axis=True) for k in KINDS}
    r = model.evaluate(catalogue.load_case("herning"))
    body = json.dumps([charts.cumulative_net(r, "da"), charts.yearly_flows(r, "da")])
    found = set(re.findall(r'"format": "([^"]*)"', body))
    assert found and found <= allowed, found - allowed
