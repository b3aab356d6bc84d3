"""data/ loads and validates; a malformed row names the file, the row and the problem."""

import shutil

import pytest

import explorer
from explorer import catalogue, refusion
from explorer.catalogue import COLUMNS, CatalogueError, load_cases, load_figures

HEADER = ",".join(COLUMNS)
GOOD = 'x.a,1,DKK,kr.,2020,H,Title,https://example.org/a,"A note, with a comma.",En note.'


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_shipped_data_loads_and_every_figure_is_documented():
    figures = explorer.figures()
    assert len(figures) > 40
    for f in figures.values():
        assert f.note
        assert f.is_assumption or f.source_url.startswith("http")
    assert explorer.cases() == ["herning", "aabenraa", "hjoerring"]


def test_every_case_default_has_a_figure_behind_it():
    for name in explorer.cases():
        case = explorer.case(name)
        for lever in catalogue.levers(explorer.Scenario):
            assert case.sources[lever] in explorer.figures()
            assert getattr(case.scenario, lever) == pytest.approx(
                explorer.figure(case.sources[lever]).value)
        for o in case.scenario.outcomes:
            for field in ("base_flow", "effect", "duration_years"):
                assert case.sources[f"{o.key}.{field}"] in explorer.figures()
            assert case.sources[f"{o.key}.price.0"] in explorer.figures()


def test_refusion_shares_come_from_the_sourced_steps():
    price = explorer.load_case("aabenraa").outcome("self_support").prices[0]
    assert price.stat == explorer.figure("refusion.after_52_weeks").value == 0.2
    assert price.kommune == pytest.approx(0.8)
    figures = explorer.figures()
    # A benefit year from the first week: 4 weeks at 80 %, 22 at 40 %, 26 at 30 %.
    assert refusion.benefit_state_share(0, figures) == pytest.approx((4 * .8 + 22 * .4 + 26 * .3) / 52)
    # From week 26: 26 weeks at 30 %, 26 at 20 % (Hjørring's assumption).
    assert refusion.benefit_state_share(26, figures) == pytest.approx(0.25)
    hj = explorer.load_case("hjoerring").outcome("off_support").prices[0]
    assert hj.stat == pytest.approx(0.25)
    # An institution placement at DKK 1,160,000: 25 % of what lies above DKK 830,000.
    assert refusion.high_cost_state_share(1_160_000, figures) == pytest.approx(
        0.25 * 330_000 / 1_160_000)
    # DKK 2.5 m: 25 % of 0.8 m, 50 % of 0.42 m, 75 % of 0.45 m.
    assert refusion.high_cost_state_share(2_500_000, figures) == pytest.approx(
        (0.25 * 800_000 + 0.5 * 420_000 + 0.75 * 450_000) / 2_500_000)
    assert refusion.high_cost_state_share(500_000, figures) == 0
    placement = explorer.load_case("herning").outcome("institution").prices[0]
    assert placement.stat == pytest.approx(0.25 * 330_000 / 1_160_000)


def test_discount_presets_are_the_three_sourced_rates():
    rates = [f.value for f in catalogue.discount_presets().values()]
    assert rates == [0.0, 0.035, 0.04]


def test_a_good_file_loads(tmp_path):
    figures = load_figures(write(tmp_path, GOOD))
    assert figures["x.a"].value == 1 and figures["x.a"].note == "A note, with a comma."
    assert figures["x.a"].note_in("da") == "En note." and figures["x.a"].unit_in("da") == "kr."


@pytest.mark.parametrize("row, message", [
    ('x.a,one,DKK,kr.,2020,H,T,https://e.org,"n",m', r"\(x.a\): value 'one' is not a number"),
    ('x.a,nan,DKK,kr.,2020,H,T,https://e.org,"n",m', r"\(x.a\): value must be finite"),
    ('x.a,1,DKK,kr.,20x,H,T,https://e.org,"n",m', r"\(x.a\): year '20x' is not a whole number"),
    ('x.a,1,DKK,kr.,1850,H,T,https://e.org,"n",m', r"year must be from 1990 to 2100"),
    ('x.a,1,DKK,kr.,2020,Z,T,https://e.org,"n",m', r"grade must be one of H, M, L, A"),
    ('x.a,1,DKK,kr.,2020,H,T,,"n",m', r"grade H\) needs a source_url"),
    ('x.a,1,DKK,kr.,2020,A,T,ftp://e.org,"n",m', r"source_url must start with http"),
    ('x.a,1,DKK,kr.,2020,H,T,https://e.org,,m', r"note is empty"),
    ('x.a,1,DKK,kr.,2020,H,T,https://e.org,n,', r"note_da is empty"),
    ('x.a,1,DKK,,2020,H,T,https://e.org,n,m', r"unit_da is empty"),
    ('x.a,1,DKK,kr.,2020,H,T,https://e.org,a,b,c', r": more fields than columns"),
])
def test_malformed_rows_are_named(tmp_path, row, message):
    with pytest.raises(CatalogueError, match=r"figures.csv, row 2.*" + message):
        load_figures(write(tmp_path, row))


def test_duplicate_keys_and_bad_headers_are_named(tmp_path):
    with pytest.raises(CatalogueError, match=r"row 3: duplicate key 'x.a'"):
        load_figures(write(tmp_path, GOOD, GOOD))
    with pytest.raises(CatalogueError, match="header must be"):
        load_figures(write(tmp_path, GOOD, header="key,value"))


@pytest.fixture
def data_copy(tmp_path):
    shutil.copy(catalogue.DATA_DIR / "cases.yaml", tmp_path / "cases.yaml")
    return tmp_path / "cases.yaml", explorer.figures()


@pytest.mark.parametrize("old, new, message", [
    ("cases: herning.cases", "cases: herning.nope",
     r", cases: 'herning.nope' is not a key in figures.csv"),
    ("    max_dose: model.max_dose\n  outcomes:\n    - key: institution",
     "  outcomes:\n    - key: institution",
     r", levers: every lever needs a figure; missing max_dose"),
    ("sign: -1\n          payers: {kommune: 1}", "sign: -1\n          payers: {kommune: 0.5}",
     r", institution.price.1: price .* payer shares .* must sum to 1"),
    ("sign: -1\n          payers: {kommune: 1}", "sign: -1\n          payers: {town: 1}",
     r"institution.price.1.payers: must map some of kommune, region, stat"),
    ("{high_cost_refusion: price.institution_placement}", "{magic: price.institution_placement}",
     r"institution.price.0.stat: unknown rule 'magic'"),
    ("caseload_after: herning.caseload_after\n    reference_caseload_before",
     "caseload_after: herning.institution_flow\n    caseload_after_x: herning.cases\n"
     "    reference_caseload_before", r"levers: unknown field\(s\) caseload_after_x"),
])
def test_malformed_cases_name_the_case_and_field(data_copy, old, new, message):
    path, figures = data_copy
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"cases.yaml, case .herning.*" + message):
        load_cases(path, figures)


def test_invalid_yaml_is_named(data_copy):
    path, figures = data_copy
    path.write_text("herning: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cases.yaml: not valid YAML"):
        load_cases(path, figures)


def test_unknown_case_lists_the_choices():
    with pytest.raises(ValueError, match="unknown case 'odense'; choose one of herning"):
        explorer.load_case("odense")
