"""The apps without a browser: build them, move widgets, assert on KPIs, charts and the URL."""

from urllib.parse import parse_qs

import pytest

import explorer
from explorer import links
from explorer.ui import caseload, how, landing


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
    csv = app.download("csv").decode()
    assert csv.splitlines()[0].startswith("year,extra_workers")
    assert len(csv.splitlines()) == 11
    assert app.download("png")[:8] == b"\x89PNG\r\n\x1a\n"
    app.chart_choice.value = "sweep"
    svg = app.download("svg").decode()
    assert "<svg" in svg and "Sagstal efter ændringen" in svg


def test_how_it_works_tracks_the_lever():
    page = how.HowItWorks("")
    assert "= <b>4,0</b>" in page.chain.value and "kr.." not in page.chain.value
    page.caseload.slider.value = 20
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
