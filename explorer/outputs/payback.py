"""Payback in words, for the pages and the command line: a cumulative net that reached zero and
fell back before paying back ("above zero in 2013, back below from 2014"), and the notes that
say why such a year does not count."""

from __future__ import annotations

from explorer.data import i18n
from explorer.model import Result


def fell_back_text(r: Result, who: str, lang: str) -> str:
    """'above zero in 2013, back below from 2014 (undiscounted)' for ``who``'s first crossing
    that did not last (the undiscounted one if both did not), or ''."""
    found = r.fell_back
    for discounted in (False, True):
        if (who, discounted) in found:
            up, down = found[who, discounted]
            basis = i18n.t("payback.discounted" if discounted else "payback.undiscounted", lang)
            return i18n.t("payback.fell_back", lang, up=up, down=down, basis=basis)
    return ""


def payback_notes(r: Result, lang: str) -> list[str]:
    """An undiscounted payback without a discounted one, and every cumulative net that reached
    zero and fell back (so that year does not count as paying back)."""
    t = i18n.t
    texts = []
    if r.payback_year is not None and r.payback_year_discounted is None:
        texts.append(t("payback.only_plain", lang, plain=r.calendar(r.payback_year)))
    # One note per crossing: the bases, then the payers, that share its years are named together.
    bases: dict[tuple[str, tuple[int, int]], list[str]] = {}
    for (who, discounted), years in r.fell_back.items():
        basis = t("payback.discounted" if discounted else "payback.undiscounted", lang)
        bases.setdefault((who, years), []).append(basis)
    payers: dict[tuple[tuple[int, int], tuple[str, ...]], list[str]] = {}
    for (who, years), basis_names in bases.items():
        payers.setdefault((years, tuple(basis_names)), []).append(t(f"payback.who.{who}", lang))
    both = f" {t('payback.and', lang)} "
    for ((up, down), names), whos in payers.items():
        text = t(
            "payback.fell_back_note",
            lang,
            who=both.join(whos),
            basis=both.join(names),
            up=up,
            down=down,
        )
        texts.append(text[0].upper() + text[1:])
    return texts
