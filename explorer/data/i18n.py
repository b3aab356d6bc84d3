"""Danish (default) and English: the text catalogue (data/texts.yaml) and numbers in words.

Every text a reader sees has a key in data/texts.yaml with a Danish and an English version;
``t(key, lang, **values)`` fills in its ``{placeholders}``. Numbers are formatted for the page's
language by the kinds of data/numbers.py: '1.234.567 kr.' and '2,5' in Danish, 'DKK 1,234,567' and
'2.5' in English.
"""

from __future__ import annotations

import math
from functools import cache

from babel.numbers import format_decimal

from explorer.data import files, numbers, yamlfile

LANGS = ("da", "en")
LOCALES = {"da": "da_DK", "en": "en_GB"}
GRADES = ("H", "M", "L", "A", "F")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang


def other(lang: str) -> str:
    """The other language."""
    return "en" if check_lang(lang) == "da" else "da"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every text by key: {key: {"da": ..., "en": ...}} (checked as it is read)."""
    raw = yamlfile.read(files.data_path("texts.yaml"))
    if not isinstance(raw, dict):
        raise yamlfile.DataError("texts.yaml: must map keys to {da, en} texts")
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node) -> None:
        if (
            isinstance(node, dict)
            and set(node) == set(LANGS)
            and all(isinstance(v, str) for v in node.values())
        ):
            out[prefix] = node
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            raise yamlfile.DataError(f"texts.yaml, {prefix}: needs a 'da' and an 'en' text")

    walk("", raw)
    return out


def t(key: str, lang: str = "da", **values) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    try:
        text = catalogue()[key][check_lang(lang)]
    except KeyError:
        raise KeyError(f"no text {key!r} in texts.yaml") from None
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in catalogue()


def grade_text(grade: str, lang: str = "da") -> str:
    return t(f"grade.{grade}", lang)


def tidy(text: str) -> str:
    """Drop the sentence's period after an amount that ends in 'kr.' ('1,5 mio. kr..')."""
    return text.replace("kr..", "kr.").replace("kr.</b>.", "kr.</b>")


def number(value: float, lang: str = "da", digits: int = 0) -> str:
    """1234567.8 -> '1.234.568' (da) or '1,234,568' (en)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALES[check_lang(lang)])


def short(value: float, lang: str = "da", most: int = 2) -> str:
    """A number with at most ``most`` decimals and no trailing zeros: '2,5', '1.000', '0,04'."""
    pattern = "#,##0" + ("." + "#" * most if most else "")
    return format_decimal(value, format=pattern, locale=LOCALES[check_lang(lang)])


def quoted(text: str, lang: str = "da") -> str:
    """A quotation in the language's marks: »…« in Danish, “…” in English."""
    return f"»{text}«" if lang == "da" else f"\u201c{text}\u201d"


def quantity(shown: str, value: float, unit: str, lang: str = "da") -> str:
    """A shown number and its unit ('10 år', '4 sagsbehandlere'); English units are plural but
    for one ('1 year')."""
    if lang == "en" and value == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{shown} {unit}"


def people(value: float, lang: str = "da") -> str:
    """Caseworkers, persons or a caseload as the KPI cards show them: '22', '21,9'."""
    return numbers.number(value, "people", check_lang(lang))


def years(value: float, lang: str = "da") -> str:
    """A span of years: '1 år', '2,5 år'; '1 year', '2.5 years'."""
    shown = numbers.number(value, "years", lang)
    return quantity(shown, value, "år" if lang == "da" else "years", lang)


def dkk(value: float, lang: str = "da") -> str:
    """Whole kroner: '1.234.567 kr.' or 'DKK 1,234,567'."""
    return numbers.text(value, "kroner", check_lang(lang))


def millions(value: float, lang: str = "da", digits: int = 1) -> str:
    """'2,0 mio. kr.' or 'DKK 2.0 m'; billions as 'mia. kr.' / 'bn'; a value that rounds to zero
    shows no minus sign. ``digits`` other than the kind's: a table that needs more."""
    check_lang(lang)
    if abs(value) >= 1e9:
        text = number(round(value / 1e9, digits) + 0.0, lang, digits)
        return f"{text} mia. kr." if lang == "da" else f"DKK {text} bn"
    if digits == numbers.kind("millions").decimals:
        return numbers.text(value, "millions", lang)
    before, after = numbers.kind("millions").affixes(lang)
    return f"{before}{number(round(value / 1e6, digits) + 0.0, lang, digits)}{after}"


def against_self(value: float, lang: str = "da") -> str:
    """What a financing costs the kommune beyond paying itself: 'DKK 0.3 m more than financing
    it itself', '... less ...', or 'about the same' when it rounds to DKK 0.0 m."""
    amount = millions(abs(value), lang)
    if millions(0, lang) == amount:
        return t("against_self.same", lang)
    return t("against_self.more" if value > 0 else "against_self.less", lang, amount=amount)


def percent(value: float, lang: str = "da", digits: int = 0) -> str:
    """'20 %' (da) or '20%' (en); a value that rounds to zero shows no minus sign. ``digits``
    other than the kind's: a rate shown to a tenth of a per cent."""
    check_lang(lang)
    if digits == numbers.kind("percent").decimals:
        return numbers.text(value, "percent", lang)
    before, after = numbers.PERCENT[lang]
    return f"{before}{number(round(value * 100, digits) + 0.0, lang, digits)}{after}"


def field_value(value: float, fmt: str, lang: str = "da") -> str:
    """A value in a field's format (see data/fields.yaml's units and numbers.FIELD_KINDS)."""
    if fmt == "flag":
        return t("on" if value else "off", lang)
    if fmt == "year":
        return str(int(value))
    return numbers.text(value, numbers.FIELD_KINDS[fmt], check_lang(lang))


def year_or_never(year: int | None, lang: str = "da") -> str:
    """A calendar year, or 'ikke inden for horisonten'."""
    return t("never", lang) if year is None else str(year)


def factor(value: float | None, lang: str = "da") -> str:
    """A ratio: '1,41' / '1.41', or 'ikke defineret'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("not_defined", lang)
    return numbers.number(value, "ratio", check_lang(lang))
