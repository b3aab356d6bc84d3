"""The key figures every output shows, in one list, each in one wording.

The explorer's KPI cards (ui/content/kpis.py), the command line's report (``__main__``) and the
workbook's key figures (outputs/workbook.py) all show ``KEY_FIGURES`` in this order; ``cards``
gives each its value and the line beneath it, with the number kinds of data/numbers.py, and
``payback_words`` says a payback the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer import catalogue
from explorer.data import i18n, numbers
from explorer.model import Result
from explorer.outputs.payback import fell_back_text


@dataclass(frozen=True)
class KeyFigure:
    """A key figure: ``key`` names its label (texts.yaml ``kpi.<key>``), the Result's attribute
    and the workbook's defined name; ``in_workbook`` is false for one the workbook's formulas
    cannot recompute (the break-even effect is a search over the model)."""

    key: str
    in_workbook: bool = True


#: The answer first (net present value, payback), then what it is made of: so a phone's first
#: screen and a screen reader meet the answer first, in the same order as a wide screen.
KEY_FIGURES = (
    KeyFigure("npv"),
    KeyFigure("payback_year"),
    KeyFigure("payback_year_kommune"),
    KeyFigure("benefit_cost_ratio"),
    KeyFigure("extra_workers"),
    KeyFigure("total_cost"),
    KeyFigure("total_savings"),
    KeyFigure("break_even_effect", in_workbook=False),
    KeyFigure("pv_wider_gains"),
)
#: Paybacks by key figure: (whose cumulative net, in payback.fell_back_text's words).
PAYBACKS = {"payback_year": "public", "payback_year_kommune": "kommune"}


def payback_words(
    plain: int | None, discounted: int | None, lang: str, fell: str = ""
) -> tuple[str, str]:
    """(value, the line beneath) of a payback: the discounted year, the undiscounted beside it;
    ``fell`` (see ``fell_back_text``) where there is no year to show beside it."""
    never = i18n.t("never", lang)
    if discounted is not None and discounted == plain:
        return str(discounted), i18n.t("kpi_sub.same_year", lang)
    if discounted is not None:
        return str(discounted), i18n.t("kpi_sub.undiscounted", lang, year=plain)
    if plain is not None:
        return never, i18n.t("kpi_sub.plain_only", lang, year=plain)
    return never, fell


def payback(r: Result, key: str, lang: str) -> tuple[str, str]:
    """``payback_words`` of the public sector's (``payback_year``) or the kommune's payback."""
    return payback_words(
        r.calendar(getattr(r, key)),
        r.calendar(getattr(r, f"{key}_discounted")),
        lang,
        fell_back_text(r, PAYBACKS[key], lang),
    )


def _break_even(r: Result, lang: str) -> tuple[str, str]:
    """The break-even effect; with no effect entered there is no documented effect to compare
    with, and the card says so."""
    t = i18n.t
    if not any(o.effect > 0 for o in r.scenario.outcomes):
        return t("break_even.no_effect", lang), t("break_even.no_effect_sub", lang)
    be = r.break_even_effect
    shown = i18n.percent(be, lang) if be is not None else t("break_even.above_card", lang)
    # a preset's effect is documented; an own case's may be the reader's own
    documented = catalogue.preset(r.scenario.case) is not None
    return shown, t("kpi_sub.break_even" if documented else "kpi_sub.break_even_own", lang)


def card(r: Result, key: str, lang: str) -> tuple[str, str]:
    """(value, the line beneath) of key figure ``key``."""
    s, t = r.scenario, i18n.t
    if key in PAYBACKS:
        return payback(r, key, lang)
    if key == "break_even_effect":
        return _break_even(r, lang)
    if key == "extra_workers":
        before, after = (
            i18n.people(s.cases / c, lang) for c in (s.caseload_before, s.caseload_after)
        )
        return i18n.people(r.extra_workers, lang), t(
            "kpi_sub.staff", lang, before=before, after=after
        )
    if key == "benefit_cost_ratio":
        return i18n.factor(r.benefit_cost_ratio, lang), ""
    sub = {
        "total_cost": lambda: t("kpi_sub.years", lang, n=s.horizon_years, start=s.start_year),
        "npv": lambda: t("kpi_sub.rate", lang, rate=numbers.text(s.discount_rate, "share", lang)),
        "pv_wider_gains": lambda: t(
            "kpi_sub.wider_counted" if s.wider_gains else "kpi_sub.wider_not_counted", lang
        ),
    }.get(key, lambda: "")
    return i18n.millions(getattr(r, key), lang), sub()


def cards(r: Result, lang: str) -> list[tuple[str, str, str]]:
    """(key, value, the line beneath) of every key figure, in order."""
    return [(f.key, *card(r, f.key, lang)) for f in KEY_FIGURES]
