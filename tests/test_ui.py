"""The apps without a browser: build them, move widgets, assert on KPIs, charts and the URL."""

from urllib.parse import parse_qs

import pytest

import explorer
from explorer import links
from explorer import financing
from explorer.ui import caseload, claim, how, landing, payers, risk


def kpi_text(app, name):
    return app.kpis[name].value


def test_explorer_starts_on_herning_in_danish():
    app = caseload.CaseloadExplorer("")
    assert app.lang == "da" and app.result.scenario.case == "herning"
    assert ">4,0<" in kpi_text(app, "extra_workers")
    assert "i år 1 (2014)" in kpi_text(app, "payback_year")
    assert app.url.query == "case=herning&lang=da"


def test_moving_the_caseload_updates_kpis_extra_workers_charts_and_url():
    app = caseload.CaseloadExplorer("")
    before_spec = app.chart_widgets["cumulative"].chart.to_dict()
    app.levers["caseload_after"].slider.value = 20
    assert app.result.scenario.caseload_after == 20
    assert ">5,6<" in kpi_text(app, "extra_workers")
    assert app.extra.value == pytest.approx(5.6)
    assert app.chart_widgets["cumulative"].chart.to_dict() != before_spec
    assert parse_qs(app.url.query)["caseload_after"] == ["20"]
    # The NPV chart marks the current choice.
    marked = [l for l in app.figures["sweep"].to_dict()["layer"] if l["mark"]["type"] == "point"]
    assert app.figures["sweep"].to_dict()["datasets"]
    assert marked


def test_extra_workers_lever_moves_the_caseload():
    app = caseload.CaseloadExplorer("")
    app.extra.value = 8
    assert app.levers["caseload_after"].value == pytest.approx(16)
    assert app.result.extra_workers == pytest.approx(8)


def test_case_change_loads_the_preset_and_its_outcome_levers():
    app = caseload.CaseloadExplorer("")
    app.levers["caseload_after"].slider.value = 20
    app.case_picker.value = "aabenraa"
    preset = explorer.load_case("aabenraa")
    assert app.result.scenario == preset
    assert set(app.outcome_levers) == {("self_support", a) for a in caseload.OUTCOME_LEVERS}
    app.outcome_levers[("self_support", "effect")].slider.value = 0.5
    assert app.result.scenario.outcome("self_support").effect == 0.5
    assert "Kontanthjælp" in app.sources.value and "star.dk" in app.sources.value


def test_link_state_round_trips_through_the_app():
    app = caseload.CaseloadExplorer("case=hjoerring&caseload_after=40&effect_scale=0.5&lang=en")
    assert app.lang == "en" and app.result.scenario.caseload_after == 40
    again = caseload.CaseloadExplorer(app.url.query)
    assert again.result.scenario == app.result.scenario
    assert "DKK" in kpi_text(app, "total_cost")


def test_bad_url_values_show_notices_not_errors():
    app = caseload.CaseloadExplorer("caseload_after=abc&horizon_years=999&case=odense")
    text = app.notices.value
    assert "caseload_after=abc er ikke et tal" in text
    assert "horizon_years=999 ligger uden for 1–20; 20 bruges" in text
    assert "Sagen odense findes ikke" in text
    assert app.result.scenario.horizon_years == 20


def test_every_default_shows_its_source_or_says_it_is_an_assumption():
    app = caseload.CaseloadExplorer("")
    table = app.sources.value
    case = explorer.case("herning")
    for key in set(case.sources.values()):
        figure = explorer.figure(key)
        if figure.is_assumption:
            assert "ingen kilde (antagelse)" in table
        else:
            assert figure.source_url in table
    assert app.levers["worker_cost"].slider.tooltip.startswith("Kilde: KORA")


def test_downloads_produce_csv_png_and_svg():
    app = caseload.CaseloadExplorer("")
    csv = app.downloads.download("csv").decode()
    assert csv.splitlines()[0].startswith("year,extra_workers")
    assert len(csv.splitlines()) == 11
    assert app.downloads.download("png")[:8] == b"\x89PNG\r\n\x1a\n"
    app.downloads.choice.value = "sweep"
    svg = app.downloads.download("svg").decode()
    assert "<svg" in svg and "Sagstal efter ændringen" in svg


def test_how_it_works_tracks_the_lever():
    page = how.HowItWorks("")
    assert "= <b>4,0</b>" in page.chain.value and "kr.." not in page.chain.value
    page.levers["caseload_after"].slider.value = 20
    assert "= <b>5,6</b>" in page.chain.value
    assert parse_qs(page.url.query)["caseload_after"] == ["20"]
    page.case_picker.value = "hjoerring"
    assert "Ude af offentlig forsørgelse" in page.chain.value


def test_landing_links_to_the_pages_in_the_chosen_language():
    html = landing.app("lang=en").children[1].value
    assert "/voila/render/explorer.ipynb?lang=en" in html
    assert "/voila/render/how_it_works.ipynb?lang=en" in html


def test_link_parser_never_raises_on_hostile_input():
    for query in ["caseload_after=1e999", "horizon_years=-5", "x" * 5000, "case=%00",
                  "caseload_before=10&caseload_after=50", "institution.effect=nan",
                  "reference_caseload_after=99", "lang=<script>", "effect_scale=1,5"]:
        link = links.parse(query)
        explorer.evaluate(link.scenario)
        assert link.lang in ("da", "en")


def test_who_pays_explains_the_wrong_pocket_and_the_bond():
    page = payers.WhoPays("case=aabenraa")
    words = page.words.value
    assert "går" in words and "til kommunen" in words and "til staten" in words
    assert "Med denne obligation betaler kommunen" in words
    page.levers["effect_scale"].slider.value = 0.3
    assert "når ikke tærsklen på 50 %" in page.words.value
    assert "effect_scale=0.3" in page.url.query


def test_who_pays_terms_change_the_comparison_and_the_url():
    page = payers.WhoPays("case=aabenraa&effect_scale=2")
    before = page.summary.set_index("arrangement").loc["impact_bond", "investor_irr"]
    page.terms["bond_cap"].slider.value = 0.05
    after = page.summary.set_index("arrangement").loc["impact_bond", "investor_irr"]
    assert after == pytest.approx(0.05) and before > after
    assert "bond_cap=0.05" in page.url.query
    again = payers.WhoPays(page.url.query)
    assert again.current_terms() == page.current_terms()


def test_who_pays_case_change_resets_the_levers_and_downloads_flows():
    page = payers.WhoPays("case=aabenraa&effect_scale=0.3")
    page.case_picker.value = "herning"
    assert page.result.scenario == explorer.load_case("herning")
    table = page.flows_table()
    assert set(table["arrangement"]) == set(financing.ARRANGEMENTS)
    assert page.downloads.download("csv").decode().startswith("year,kommune,region,stat,investor")


def test_who_pays_bad_terms_in_the_url_are_clamped_with_a_notice():
    page = payers.WhoPays("grant_share=7&bond_trigger=abc")
    assert page.current_terms().grant_share == 1
    assert "grant_share=7 ligger uden for 0–1" in page.notices.value
    assert "bond_trigger=abc er ikke et tal" in page.notices.value


@pytest.mark.parametrize("unit, value, da, en", [
    ("DKK per year", 500_000, "500.000 kr.", "DKK 500,000"),
    ("share of cost", 0.5, "50,0 %", "50.0 %"),
    ("return per year", 0.13, "13,0 %", "13.0 %"),
    ("per year", 0.035, "3,5 %", "3.5 %"),
    ("people per year", 3.7, "3,7", "3.7"),
    ("multiplier", 1, "1,00 ×", "1.00 ×"),
    ("years", 10, "10", "10"),
])
def test_lever_values_read_as_a_person_reads_them(unit, value, da, en):
    from explorer.ui.common import format_value
    assert format_value(value, unit, "da") == da
    assert format_value(value, unit, "en") == en


def test_how_sure_page_reacts_and_keeps_spreads_in_the_url():
    page = risk.HowSure("case=herning")
    before = page.kpis["p_payback"].value
    page.levers["effect_scale"].slider.value = 2
    assert page.kpis["p_payback"].value != before
    assert "effect_scale=2" in page.url.query
    page.spreads["A"].slider.value = 0.1
    assert "A=0.1" in page.url.query
    assert risk.HowSure(page.url.query).current_spreads() == page.current_spreads()
    assert "Effekten skal være mindst" in page.breakeven.value
    page.cost_per_child.value = 1_700_000
    assert "ét ud af 5" in page.casa.value


def test_claim_page_shows_evidence_answer_verdict_and_a_link_to_the_explorer():
    page = claim.CheckClaim("claim=hjoerring_four_years")
    body = page.body.value
    assert "Hjørring" in body and "nordjyske.dk" in body and "Holder, hvis" in body
    assert "explorer.ipynb?case=hjoerring&amp;lang=da" in body
    page.picker.value = "treatment_26x"
    assert "Kan ikke efterprøves" in page.body.value
    assert page.url.query == "claim=treatment_26x&lang=da"
    assert "findes ikke" in claim.CheckClaim("claim=<b>").notices.value


def test_sources_panel_speaks_the_page_language():
    worker = explorer.figure("dk.worker_cost")
    da = caseload.CaseloadExplorer("").sources.value
    en = caseload.CaseloadExplorer("lang=en").sources.value
    assert worker.note_da in da and worker.note not in da
    assert worker.note in en and worker.note_da not in en
    assert "kr. pr. sagsbehandler pr. år" in da
    flow = explorer.figure("herning.institution_flow")
    tooltip = caseload.CaseloadExplorer("").outcome_levers[("institution", "base_flow")].slider.tooltip
    assert tooltip == f"Antagelse: {flow.note_da}"
