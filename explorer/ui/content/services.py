"""The services' part of the effect in words: the share of the documented effect the bought
services produced, and how much of it their cost buys now (How the model works, the own case)."""

from __future__ import annotations

from explorer.data import i18n
from explorer.model import engine
from explorer.model.scenario import Scenario


def sentence(s: Scenario, lang: str) -> str:
    """'The effect did not come from the caseload alone: 30% of it ...'; empty without services.
    The yearly costs are shown as every yearly amount is, in millions."""
    if s.services_share <= 0:
        return ""
    services = float(engine.services_dose(s.other_cost_per_year, s.reference_other_cost))
    return i18n.t(
        "how.services",
        lang,
        share=i18n.percent(s.services_share, lang),
        other=i18n.millions(s.other_cost_per_year, lang),
        ref=i18n.millions(s.reference_other_cost, lang),
        services=i18n.percent(services, lang),
    )
