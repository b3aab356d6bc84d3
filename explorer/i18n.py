"""Danish (default) and English texts and number formats (Babel)."""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

LANGS = ("da", "en")
LOCALES = {"da": "da_DK", "en": "en_GB"}

TEXTS = {
    "year": ("År", "Year"),
    "extra_workers": ("Ekstra sagsbehandlere", "Extra caseworkers"),
    "cost": ("Udgift", "Cost"),
    "cost_staff": ("Sagsbehandlere", "Caseworkers"),
    "cost_other": ("Andre udgifter", "Other costs"),
    "savings": ("Gevinst", "Savings"),
    "savings_kommune": ("Gevinst, kommune", "Savings, kommune"),
    "savings_stat": ("Gevinst, stat", "Savings, state"),
    "net": ("Netto", "Net"),
    "cumulative_net": ("Akkumuleret netto", "Cumulative net"),
    "total_cost": ("Samlet udgift", "Total cost"),
    "total_savings": ("Samlet gevinst", "Total savings"),
    "npv": ("Nettonutidsværdi", "Net present value"),
    "benefit_cost_ratio": ("Gevinst pr. krone", "Benefit-cost ratio"),
    "payback_year": ("Tjent hjem, offentlig sektor", "Pays back, public sector"),
    "payback_year_kommune": ("Tjent hjem, kommunen alene", "Pays back, kommune alone"),
    "break_even_effect": ("Nødvendig effekt", "Break-even effect"),
    "kommune": ("Kommune", "Kommune"),
    "region": ("Region", "Region"),
    "stat": ("Stat", "State"),
    "public_sector": ("Offentlig sektor", "Public sector"),
    "never": ("ikke inden for horisonten", "not within the horizon"),
    "not_defined": ("ikke defineret", "not defined"),
    "above_range": ("mere end 3 gange", "more than 3 times"),
    "in_year": ("i år {year} ({calendar})", "in year {year} ({calendar})"),
    "times_effect": ("{value} × den dokumenterede effekt", "{value} × the documented effect"),
    "assumption": ("Antagelse", "Assumption"),
    "source": ("Kilde", "Source"),
    "grade": ("Evidens", "Evidence"),
    "app_title": ("Sagstal og økonomi: betaler flere sagsbehandlere sig?",
                  "Caseloads and money: do more caseworkers pay for themselves?"),
    "case": ("Sag", "Case"),
    "levers": ("Håndtag", "Levers"),
    "more_levers": ("Flere indstillinger", "More settings"),
    "sources": ("Kilder bag tallene", "Sources behind the numbers"),
    "downloads": ("Hent", "Download"),
    "table_csv": ("Tabel (CSV)", "Table (CSV)"),
    "chart_png": ("Graf (PNG)", "Chart (PNG)"),
    "chart_svg": ("Graf (SVG)", "Chart (SVG)"),
    "which_chart": ("Graf", "Chart"),
    "chart_cumulative": ("Akkumuleret netto", "Cumulative net"),
    "chart_flows": ("Udgifter og gevinster", "Costs and savings"),
    "chart_sweep": ("Sagstal og nutidsværdi", "Caseload and NPV"),
    "share": ("Del dette scenarie", "Share this scenario"),
    "other_lang": ("English", "Dansk"),
    "discount_preset": ("Diskonteringsrente", "Discount rate"),
    "extra_workers_lever": ("Ekstra sagsbehandlere", "Extra caseworkers"),
    "value": ("Værdi", "Value"),
    "unit": ("Enhed", "Unit"),
    "year_col": ("År", "Year"),
    "setting": ("Indstilling", "Setting"),
    "no_source": ("ingen kilde (antagelse)", "no source (assumption)"),
    "error": ("Indstillingen kunne ikke bruges: {message}", "The setting could not be used: {message}"),
    "notice_title": ("Bemærk", "Note"),
    "home": ("Forside", "Home"),
    "n_years": ("{n} år", "{n} years"),
    "no_discounting": ("ingen diskontering", "no discounting"),
}

GRADE_TEXT = {
    "H": ("Primær eller officiel kilde", "Primary or official source"),
    "M": ("Anerkendt sekundær kilde", "Reputable secondary source"),
    "L": ("Afledt, ældre eller delvis", "Derived, old or partial"),
    "A": ("Antagelse: ikke fundet i en kilde", "Assumption: not found in a source"),
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang


def t(key: str, lang: str = "da", **values) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = TEXTS[key][LANGS.index(check_lang(lang))]
    return text.format(**values) if values else text


def grade_text(grade: str, lang: str = "da") -> str:
    return GRADE_TEXT[grade][LANGS.index(check_lang(lang))]


def tidy(text: str) -> str:
    """Drop the sentence's period after an amount that ends in 'kr.' ('1,5 mio. kr..')."""
    return text.replace("kr..", "kr.").replace("kr.</b>.", "kr.</b>")


def number(value: float, lang: str = "da", digits: int = 0) -> str:
    """1234567.8 -> '1.234.568' (da) or '1,234,568' (en)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALES[check_lang(lang)])


def dkk(value: float, lang: str = "da") -> str:
    """Whole kroner: '1.234.567 kr.' or 'DKK 1,234,567'."""
    text = number(value, lang)
    return f"{text} kr." if lang == "da" else f"DKK {text}"


def millions(value: float, lang: str = "da", digits: int = 1) -> str:
    """'2,0 mio. kr.' or 'DKK 2.0 m'."""
    text = number(value / 1e6, lang, digits)
    return f"{text} mio. kr." if lang == "da" else f"DKK {text} m"


def percent(value: float, lang: str = "da", digits: int = 1) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
    return format_percent(value, format=pattern, locale=LOCALES[check_lang(lang)])


def payback(year: int | None, start_year: int | None, lang: str = "da") -> str:
    """'i år 1 (2014)' or 'ikke inden for horisonten'."""
    if year is None:
        return t("never", lang)
    calendar = start_year + year if start_year else "—"
    return t("in_year", lang, year=year, calendar=calendar)


def factor(value: float | None, lang: str = "da") -> str:
    """A multiplier: '1,41' / '1.41', or 'ikke defineret'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("not_defined", lang)
    return number(value, lang, 2)
