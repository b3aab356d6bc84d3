"""Reproduce in Python (explorer/outputs/reproduce.py): the snippet a page's Share offers, run in a
fresh Python, prints the page's key figures to the krone; the JSON download carries the model's."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import pytest

from explorer import catalogue, model
from explorer.data import i18n
from explorer.outputs import reproduce
from explorer.ui.views import readview

LINKS = (
    "case=herning&lang=da",
    "case=aabenraa&caseload_after=25&self_support.effect=0.5&horizon_years=12&lang=en",
    "case=hjoerring&caseload_after=40&discount_rate=0.05&bond_years=6&H=0.2&lang=da",
)
PAGES = ("explorer", "who_pays", "how_sure", "claims", "how_it_works")
MONEY = {"total_cost", "total_savings", "npv", "pv_wider_gains", "median_npv", "price_of_finance"}


def built(name: str, query: str) -> Any:
    return readview.page_class(name)(query, url="https://example.org/view/" + name)


def run(code: str) -> dict[str, Any]:
    """The snippet in a fresh interpreter: its printed 'name: value' lines."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    out: dict[str, object] = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(": ")
        out[name] = None if value == "None" else float(value)
    return out


def card(p, key: str) -> str:
    """A KPI card's shown value on the page."""
    box = p.kpi_box.value
    start = box.index(f"<div class='kpi kpi-{key}'>")
    value = box.index("<div class='kpi-value'>", start) + len("<div class='kpi-value'>")
    return box[value : box.index("</div>", value)]


def expected(name: str, p) -> dict[str, Any]:
    """The page's own numbers behind its key figures, from what the page computed."""
    r = getattr(p, "result", None) or model.evaluate(p.current)
    pay = {
        key: r.calendar(getattr(r, key))
        for key in (
            "payback_year",
            "payback_year_discounted",
            "payback_year_kommune",
            "payback_year_kommune_discounted",
        )
    }
    if name == "who_pays":
        y = r.yearly[["savings_kommune", "savings_region", "savings_stat"]].sum()
        bond = p.summary.set_index("arrangement").loc["signed_bond"]
        return {
            **pay,
            "share_kommune": y["savings_kommune"] / y.sum(),
            "price_of_finance": bond["kommune_extra_cost"],
        }
    if name == "how_sure":
        sim = p.sim
        return {
            "p_payback": sim.p_payback,
            "p_npv_positive": sim.p_npv_positive,
            "effective_draws": sim.effective_draws,
            "median_npv": sim.median_npv,
            "npv": r.npv,
        }
    return {
        "npv": r.npv,
        **pay,
        "benefit_cost_ratio": r.benefit_cost_ratio,
        "extra_workers": r.extra_workers,
        "total_cost": r.total_cost,
        "total_savings": r.total_savings,
        "break_even_effect": r.break_even_effect,
        "pv_wider_gains": r.pv_wider_gains,
    }


def same(name: str, got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is None and want is None
    assert isinstance(got, float)
    if name in MONEY:
        return abs(got - float(want)) <= 0.5  # to the krone
    if name == "effective_draws":
        return abs(got - float(want)) <= 0.5
    return math.isclose(got, float(want), rel_tol=1e-12)


@pytest.mark.parametrize("query", LINKS)
@pytest.mark.parametrize("name", PAGES)
def test_the_snippet_prints_the_pages_key_figures_to_the_krone(name, query):
    p = built(name, query)
    setting = p.reproduction()
    code = reproduce.snippet(setting)
    # the install line in the page's language (regression: English on every Danish page)
    first = f"# {reproduce.DISTRIBUTION} {reproduce.version()}; " + (
        "i projektets mappe ved den version" if setting.lang == "da" else "in the project's folder"
    )
    assert code.startswith(first) and code.splitlines()[0].endswith("pip install .")
    printed = run(code)
    want = expected(name, p)
    assert list(printed) == list(want)
    for key, value in want.items():
        assert same(key, printed[key], value), (key, printed[key], value)
    lang = p.lang
    if name == "explorer":  # the cards show the printed numbers
        assert card(p, "npv") == i18n.millions(printed["npv"], lang)
    if name == "who_pays":
        assert card(p, "share-kommune") == i18n.percent(printed["share_kommune"], lang)
    if name == "how_sure":
        assert card(p, "p-npv") == i18n.percent(printed["p_npv_positive"], lang)


def test_the_snippet_names_only_what_the_link_changed():
    p = built("who_pays", LINKS[2])
    code = reproduce.snippet(p.reproduction())
    assert (
        'explorer.load_case("hjoerring").replace(caseload_after=40.0, discount_rate=0.05)' in code
    )
    assert "financing.Terms(bond_years=6)" in code
    plain = reproduce.snippet(built("explorer", LINKS[0]).reproduction())
    assert 's = explorer.load_case("herning")\n' in plain


def test_an_own_case_snippet_builds_the_whole_scenario_and_prints_its_figures():
    from explorer.ui.pages import own_case

    p = own_case.OwnCasePage("lang=en")
    p.start_choice.value = "aabenraa"
    p.start_button.click()
    setting = p.reproduction()
    assert setting is not None
    code = reproduce.snippet(setting)
    assert "load_case" not in code and "s = Scenario(" in code
    printed = run(code)
    assert abs(printed["npv"] - p.result.npv) <= 0.5
    assert card(p, "npv") == i18n.millions(printed["npv"], "en")


@pytest.mark.parametrize("name", ["explorer", "how_sure", "who_pays"])
def test_the_json_carries_the_models_key_figures_table_inputs_and_sources(name):
    p = built(name, LINKS[1])
    data = json.loads(reproduce.json_bytes(p.reproduction(), "https://example.org/x"))
    want = expected(name, p)
    assert list(data["key_figures"]) == list(want)
    for key, value in want.items():
        got = data["key_figures"][key]
        assert same(key, None if got is None else float(got), value), key
    r = model.evaluate(p.current)
    assert data["version"] == reproduce.version()
    assert data["link"] == "https://example.org/x"
    assert len(data["yearly"]) == len(r.yearly) == p.current.horizon_years
    assert data["yearly"][-1]["cumulative_net"] == pytest.approx(
        r.yearly["cumulative_net"].iloc[-1]
    )
    assert data["inputs"]["caseload_after"] == 25.0
    assert data["inputs"]["horizon_years"] == 12
    assert any(s["figure"] and s["url"] for s in data["sources"])
    assert data["python"] == reproduce.snippet(p.reproduction())


def test_a_page_without_key_figures_has_no_snippet():
    assert built("index", "lang=en").reproduction() is None
    with pytest.raises(LookupError, match="index"):
        reproduce.Setting("index", catalogue.load_case("herning"))
