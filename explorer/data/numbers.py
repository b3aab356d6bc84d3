"""How a number is shown, one rule per kind of quantity, whatever the medium.

``KINDS`` says for each kind (money in millions, kroner, people, percent, ratio...) how many
decimals it has, whether trailing zeros are dropped ('2,5' but '3', not '3,0'), its scale (per
cent: x 100) and its unit in each language. Every medium derives its format from that row:
``text`` (Babel: the pages, the command line, the CSV's texts), ``d3`` (the charts' axes and
tooltips, with ``d3_locale``), ``excel`` (the workbook's cells) and ``intl`` (the options of the
browser's ``Intl.NumberFormat``, for a lever while it is dragged). tests/test_formats.py holds one
number to the same text in every medium and both languages.

A value halfway between two shown numbers (in its shortest decimal form) is rounded away from
zero, as Excel and Intl do; d3 rounds the binary value, so a chart may show such a value one in
the last decimal lower ('1.005' is 1.00499... in binary). Excel cannot drop trailing zeros: a
trimmed kind shows its decimals there ('3.0').
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)

LOCALES = {"da": "da_DK", "en": "en_GB"}
#: The browser's name of each language's locale (Intl.NumberFormat).
BROWSER_LOCALES = {"da": "da-DK", "en": "en-GB"}
PERCENT = {"da": ("", "\u00a0%"), "en": ("", "%")}  # Danish writes '35 %', English '35%'


@dataclass(frozen=True)
class Kind:
    """How one kind of quantity is shown: ``decimals`` (at most, with ``trim``), ``scale`` (the
    shown number is the value times it: per cent) or ``per`` (divided by it: millions), grouping
    of thousands, and the unit around the number in each language as (before, after)."""

    decimals: int
    trim: bool = False
    scale: int = 1
    per: int = 1
    grouping: bool = True
    unit: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def percent(self) -> bool:
        return self.scale == 100

    def affixes(self, lang: str) -> tuple[str, str]:
        return self.unit.get(lang, ("", ""))


KINDS: dict[str, Kind] = {
    # money: the KPIs and yearly amounts in millions, a price or a salary in kroner
    "millions": Kind(1, per=1_000_000, unit={"da": ("", " mio. kr."), "en": ("DKK ", " m")}),
    "kroner": Kind(0, unit={"da": ("", " kr."), "en": ("DKK ", "")}),
    # people and caseloads as the KPI cards show them: caseworkers, persons, person-years, cases
    # per caseworker, and spans of years ('2,5 år')
    "people": Kind(1, trim=True),
    "caseload": Kind(1, trim=True),
    "years": Kind(1, trim=True),
    # whole things: cases, draws
    "count": Kind(0),
    # a result in per cent (break-even effect, a chance, a difference) and an input share
    "percent": Kind(0, scale=100, unit=PERCENT),
    "share": Kind(1, trim=True, scale=100, unit=PERCENT),
    # the benefit-cost ratio, an input multiplier ('1,5 ×')
    "ratio": Kind(2),
    "multiplier": Kind(2, trim=True, unit={"da": ("", " ×"), "en": ("", " ×")}),
    # a calendar year: no thousands separator
    "year": Kind(0, grouping=False),
    # the workbook's yearly rates and discount factors, as plain fractions; an outcome's
    # strength of effect in a year; a yes (1) or no (0) column
    "fraction": Kind(3),
    "discount_factor": Kind(4),
    "strength": Kind(2, scale=100, unit=PERCENT),
    "flag": Kind(0, grouping=False),
}

#: The kind of a field's unit format (data/fields.yaml); a flag shows words, not a number.
FIELD_KINDS = {
    "count": "count",
    "number": "people",  # caseloads, caseworkers, years: the same rule
    "money": "kroner",
    "share": "share",
    "multiplier": "multiplier",
    "year": "year",
    "flag": "flag",
}


def field_kind(fmt: str, whole: bool = False) -> str:
    """The kind of a field's values: its unit format's, whole numbers of a trimmed kind as a
    count (the same text, and an Excel cell without a decimal)."""
    name = FIELD_KINDS[fmt]
    return "count" if whole and KINDS[name].trim and not KINDS[name].unit else name


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no number kind {name!r}; choose one of {', '.join(KINDS)}") from None


def scaled(value: float, name: str) -> float:
    """The value in the kind's unit, computed as the charts and the browser compute it: 2.5e6
    kroner is 2.5 millions; a share of 0.35 is 35 per cent."""
    k = kind(name)
    return float(value) * k.scale if k.scale != 1 else float(value) / k.per


def rounded(value: float, name: str) -> Decimal:
    """The number a kind shows for ``value`` (scaled, its shortest decimal form rounded half away
    from zero), never -0."""
    k = kind(name)
    exact = Decimal(repr(scaled(value, name)))
    out = exact.quantize(Decimal(1).scaleb(-k.decimals), rounding=ROUND_HALF_UP)
    return out if out != 0 else abs(out)


def pattern(name: str) -> str:
    """The kind's number pattern (Unicode LDML, which Babel and Excel both read): '#,##0.0'."""
    k = kind(name)
    whole = "#,##0" if k.grouping else "0"
    if not k.decimals:
        return whole
    return whole + "." + ("#" if k.trim else "0") * k.decimals


def number(value: float, name: str, lang: str) -> str:
    """The number alone, in the language's marks: '1.234,5' or '1,234.5'."""
    return format_decimal(rounded(value, name), format=pattern(name), locale=LOCALES[lang])


def text(value: float, name: str, lang: str) -> str:
    """The number with its kind's unit: '2,0 mio. kr.', 'DKK 2.0 m', '35 %', '1,5 ×'."""
    before, after = kind(name).affixes(lang)
    return f"{before}{number(value, name, lang)}{after}"


def d3(name: str, axis: bool = False) -> str:
    """The kind's d3 format (Vega's ``format``), read with ``d3_locale``: ',.1f', '.0%'. An
    ``axis`` drops trailing zeros from its ticks (0, 0,5, 1), which are round numbers."""
    k = kind(name)
    group = "," if k.grouping else ""
    trim = "~" if k.trim or axis else ""
    return f"{group}.{k.decimals}{trim}{'%' if k.percent else 'f'}"


def d3_locale(lang: str) -> dict:
    """d3's number locale for the language (Vega's ``formatLocale``)."""
    locale = LOCALES[lang]
    money = kind("kroner").affixes(lang)
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": [3],
        "currency": [money[0], money[1]],
        "percent": PERCENT[lang][1],
        "minus": get_minus_sign_symbol(locale),  # d3's own is '−' (U+2212); Babel's is '-'
    }


def excel(name: str, lang: str = "en") -> str:
    """The kind's Excel number format: the number alone (the unit has its own column) but for
    the per cent sign, spaced in Danish ('35 %') as the pages write it."""
    k = kind(name)
    whole = "#,##0" if k.grouping else "0"
    shown = whole + ("." + "0" * k.decimals if k.decimals else "")
    shown += "," * round(math.log10(k.per) / 3)  # each trailing comma divides by a thousand
    if k.percent:
        after = PERCENT[lang][1]
        shown += after if after == "%" else f'"{after[:-1]}"%'
    return shown


def intl(name: str, lang: str) -> dict:
    """What the browser needs to show the kind as ``text`` does: Intl.NumberFormat's locale and
    options, the scale and the unit around the number."""
    k = kind(name)
    before, after = k.affixes(lang)
    return {
        "locale": BROWSER_LOCALES[lang],
        "options": {
            "minimumFractionDigits": 0 if k.trim else k.decimals,
            "maximumFractionDigits": k.decimals,
            "useGrouping": k.grouping,
            "roundingMode": "halfExpand",
            "signDisplay": "negative",  # no '-0,0' for a value that rounds to zero
        },
        "scale": k.scale,
        "per": k.per,
        "before": before,
        "after": after,
    }
