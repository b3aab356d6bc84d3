"""One text catalogue: every key in both languages, every key the code uses exists, and no page
shows words of the other language or a raw key."""

import html
import re
from pathlib import Path

import ipywidgets as w
import pytest
from pages import page_class

from explorer.data import i18n
from explorer.data import pages as registry
from explorer.data.figures import figures as explorer_figures
from explorer.ui.live import widgets

ROOT = Path(__file__).resolve().parent.parent
PAGES = [page_class(p) for p in registry.PAGES]
#: Words that give away the other language (names such as Hjørring and kommune are fine).
ENGLISH = re.compile(
    r"\b(the|and|of|savings|cost|costs|years?|caseworkers?|download|source|"
    r"case|chart|pays|back|which|with|not|more|settings)\b",
    re.IGNORECASE,
)
DANISH = re.compile(
    r"\b(og|ikke|af|gevinst|udgift|år|sagsbehandlere|hent|kilde|sag|graf|"
    r"betaler|hvilket|med|flere|indstillinger|tjent|hjem)\b",
    re.IGNORECASE,
)
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]+\.[a-z0-9_]+\b")


def test_every_text_has_both_languages():
    for key, texts in i18n.catalogue().items():
        assert texts["da"].strip() and texts["en"].strip(), key


def test_every_key_the_code_names_exists():
    keys = set(i18n.catalogue())
    prefixes = {k.rsplit(".", 1)[0] + "." for k in keys if "." in k}
    for path in (ROOT / "explorer").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r"""i18n\.t\(\s*["']([a-z0-9_.]+)["']""", text):
            assert key in keys, f"{path.name}: {key}"
        for prefix in re.findall(r"""i18n\.t\(\s*f["']([a-z0-9_.]+\.)\{""", text):
            assert prefix in prefixes, f"{path.name}: {prefix}"


def visible_text(widget) -> list[str]:
    """What a reader can read in a widget tree (HTML, lever and choice labels, chart texts)."""
    out = []
    if isinstance(widget, w.HTML):
        value = re.sub(r"<style>.*?</style>", " ", widget.value, flags=re.S)
        out.append(html.unescape(re.sub(r"<[^>]+>", " ", value)))
    if isinstance(widget, widgets.Lever):
        out += [
            widget.label,
            widget.info_title,
            html.unescape(re.sub(r"<[^>]+>", " ", widget.info_html)),
            widget.error,
        ]
    if isinstance(widget, widgets.Choice):
        out += [widget.label] + [text for _, text in widget.options]
    if isinstance(widget, widgets.Chart):
        out += [str(v) for v in widget.texts.values()]
        out += [str(a.get("title", "")) for a in _encodings(widget.spec)]
    if isinstance(widget, widgets.Chrome):
        out += [text for _, text in widget.pages] + [
            v for k, v in widget.texts.items() if k not in ("other_lang", "other_code")
        ]
    if isinstance(widget, widgets.TextField):
        out += [widget.label, widget.placeholder]
    if isinstance(widget, widgets.FileOpen):
        out.append(widget.label)
    if isinstance(widget, w.Button):
        out.append(widget.description)
    for child in getattr(widget, "children", ()):
        out += visible_text(child)
    return out


def _encodings(spec):
    layers = spec.get("layer", [spec])
    return [
        enc
        for layer in layers
        for enc in layer.get("encoding", {}).values()
        if isinstance(enc, dict)
    ]


QUOTED = re.compile(r"»[^«]*«|“[^”]*”|\"[^\"]*\"|'[^']*'")
#: Source titles and notes quote Danish publications by name on English pages; they are the
#: sources' own words, shown as such.
SOURCE = re.compile(r"(Source|Kilde): .*?(\(\d{4}\))", re.S)
#: Danish institutions keep their names in English notes (Konkurrence- og Forbrugerstyrelsen).
INSTITUTION = re.compile(r"\b[A-ZÆØÅ][\wæøå]*- og [A-ZÆØÅ][\wæøå]+")


@pytest.mark.parametrize("page_class", PAGES, ids=registry.NAMES)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_page_shows_the_other_language_or_a_raw_key(page_class, lang):
    page = page_class(f"lang={lang}&case=aabenraa")
    text = " ".join(visible_text(page.widget))
    text = INSTITUTION.sub(" ", SOURCE.sub(" ", QUOTED.sub(" ", text)))
    for f in explorer_figures().values():  # publications keep their own titles
        if f.source_title:
            text = text.replace(f.source_title, " ")
    other = ENGLISH if lang == "da" else DANISH
    found = sorted({m.group(0).lower() for m in other.finditer(text)})
    assert not found, (lang, found, text[:3000])
    assert not RAW_KEY.findall(text), RAW_KEY.findall(text)
    assert "(s)" not in text, "a count says 'year' or 'years', not 'year(s)'"


def test_a_span_of_years_is_singular_for_one():
    assert [i18n.years(v, "en") for v in (1, 2.5, 10)] == ["1 year", "2.5 years", "10 years"]
    assert [i18n.years(v, "da") for v in (1, 2.5)] == ["1 år", "2,5 år"]


def test_a_share_that_rounds_to_zero_shows_no_minus_sign():
    assert i18n.percent(-4.7e-9, "en") == "0%"
    assert i18n.percent(-0.004, "da") == "0\u00a0%"
    assert i18n.percent(-0.006, "da") == "-1\u00a0%"
    assert i18n.percent(0.125, "en", 1) == "12.5%"


def test_a_price_against_paying_itself_says_about_the_same_when_it_rounds_to_nothing():
    assert i18n.against_self(30_000, "en") == "about the same as financing it itself"
    assert i18n.against_self(-30_000, "da") == "omtrent det samme som at finansiere selv"
    assert i18n.against_self(300_000, "en") == "DKK 0.3 m more than financing it itself"
    # half away from zero, as Excel and the browser round (data/numbers.py)
    assert i18n.against_self(-1_250_000, "da") == "1,3 mio. kr. mindre end at finansiere selv"


#: Quotation marks of the wrong language: Danish quotes »so«, English “so”; „…“, "…", a
#: single-quoted phrase ('so') or the other language's marks are wrong in either. An apostrophe
#: (DS' vejledning, the kommune's) and code (load_case('fil.yaml')) are not quotation marks.
SINGLE = r"(?:(?<=\s\()|(?<=^\()|(?<![\w(\\]))'(?=[^\s'])[^']*?\S'(?!\w)"
WRONG_QUOTES = {
    "da": re.compile(r"[„“”\"‘’]|" + SINGLE),
    "en": re.compile(r"[„»«\"‘’]|" + SINGLE),
}
FIGURE_TEXTS = {"note": "en", "unit": "en", "note_da": "da", "unit_da": "da"}


def _texts(node, where: str):
    """Every text of a data file with its language, as (where, lang, text)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("da", "en") and isinstance(value, str):
                yield where, key, value
            elif key in ("da", "en") and isinstance(value, dict):  # glossary: {term, text}
                yield from ((f"{where}.{key}", key, v) for v in value.values())
            else:
                yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{where}[{i}]")


def _all_texts():
    import csv

    import yaml

    data = ROOT / "explorer" / "data"
    for path in sorted(data.glob("*.yaml")):
        yield from _texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    with open(data / "figures.csv", encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            for column, lang in FIGURE_TEXTS.items():
                yield f"figures.csv {row['key']}.{column}", lang, row[column] or ""


def test_each_language_has_one_style_of_quotation_marks():
    """Regression: „Ændr tallene“, »…« and “…” all appeared on Danish pages, and English mixed
    'single' quotes with “double” ones."""
    wrong = [
        (where, lang, m.group(0))
        for where, lang, text in _all_texts()
        for m in WRONG_QUOTES[lang].finditer(text)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize(
    "lang, text",
    [
        ("da", "åbner „Ændr tallene“ siden"),
        ("da", 'åbner "Ændr tallene" siden'),
        ("da", "åbner “Ændr tallene” siden"),
        ("en", "opens 'Change the numbers', the page"),
        ("en", "opens »Change the numbers« the page"),
        ("en", 'opens "Change the numbers" the page'),
    ],
)
def test_a_wrong_quotation_mark_is_found(lang, text):
    assert WRONG_QUOTES[lang].search(text)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("da", "åbner »Ændr tallene« efter DS' vejledning med load_case('fil.yaml')"),
        ("en", "opens “Change the numbers” at the kommune's and investors' cost"),
    ],
)
def test_apostrophes_and_code_are_not_quotation_marks(lang, text):
    assert not WRONG_QUOTES[lang].search(text)


def test_the_levers_have_one_danish_name():
    """Regression: the pages said »indstillingerne« for the levers and, in places, »håndtagene«."""
    handles = re.compile(r"håndtag(et|ene)\b", re.IGNORECASE)
    found = [(where, text) for where, lang, text in _all_texts() if handles.search(text)]
    assert not found, found
