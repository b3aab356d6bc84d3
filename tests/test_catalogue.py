"""data/ loads and validates; a malformed file names the file, the row or case, and the problem."""

import math

import pytest

import explorer
from explorer import catalogue
from explorer.catalogue import casefile, owncase
from explorer.catalogue.reader import load_cases
from explorer.data import files, yamlfile
from explorer.data.figures import COLUMNS, CatalogueError, load_figures
from explorer.model import refusion

HEADER = ",".join(COLUMNS)
CPI = "prices.price_year,2024,year,år,2024,,A,,,The price year.,Prisåret.,,"
GOOD = 'x.a,1,DKK,kr.,2020,,H,Title,https://example.org/a,"A note, with a comma.",En note.,,'


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([header, CPI, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_shipped_data_loads_and_every_figure_is_documented():
    figures = explorer.figures()
    assert len(figures) > 100
    for f in figures.values():
        assert f.note and f.note_da
        assert f.grade in ("A", "F") or f.source_url.startswith("http")
        if f.is_fitted:
            assert f.fitted_to
        assert math.isfinite(f.in_prices)
    assert explorer.cases() == ["herning", "aabenraa", "hjoerring"]


def test_no_text_from_internal_notes_reaches_a_reader():
    for f in explorer.figures().values():
        for text in (f.note, f.note_da, f.source_title):
            assert "research note" not in text.lower() and "researchnot" not in text.lower()
            assert "truncated" not in text.lower() and "memory" not in text.lower()


def test_every_case_value_has_a_figure_or_is_named_as_the_case_own():
    for name in explorer.cases():
        case = explorer.case(name)
        for _what, key in case.sources.items():
            assert key in explorer.figures()
        for field in explorer.model.fields.of(explorer.Scenario):
            if field != "start_year":
                assert field in case.sources, (name, field)
        for o in case.scenario.outcomes:
            for attr in ("base_rate", "effect", "deadweight", "duration_years"):
                assert f"{o.key}.{attr}" in case.sources


def test_amounts_are_converted_to_the_price_year():
    f = explorer.figure("price.institution_placement")
    index = catalogue.figures()
    chained = 1.0
    for year in range(2020, 2025):
        chained *= 1 + index[f"cpi.{year}"].value
    assert f.in_prices == pytest.approx(f.value * chained)
    assert explorer.figure("refusion.after_52_weeks").in_prices == 0.2  # not money: unchanged


def test_refusion_shares_come_from_the_sourced_steps():
    price = explorer.load_case("aabenraa").outcome("self_support").prices[0]
    assert price.stat == explorer.figure("refusion.after_52_weeks").value == 0.2
    figures = explorer.figures()
    assert refusion.benefit_state_share(0, figures) == pytest.approx(
        (4 * 0.8 + 22 * 0.4 + 26 * 0.3) / 52
    )
    assert refusion.benefit_state_share(26, figures) == pytest.approx(0.25)
    t1 = figures["refusion.high_cost_threshold_1"].in_prices
    cost = figures["price.institution_placement"].in_prices
    assert refusion.high_cost_state_share(cost, figures) == pytest.approx(0.25 * (cost - t1) / cost)
    assert refusion.high_cost_state_share(500_000, figures) == 0


def test_discount_presets_are_the_three_sourced_rates():
    assert [f.value for f in catalogue.discount_presets().values()] == [0.0, 0.035, 0.04]


def test_a_good_file_loads(tmp_path):
    figures = load_figures(write(tmp_path, GOOD))
    assert figures["x.a"].value == 1 and figures["x.a"].note == "A note, with a comma."
    assert figures["x.a"].note_in("da") == "En note." and figures["x.a"].unit_in("da") == "kr."


@pytest.mark.parametrize(
    "row, message",
    [
        ("x.a,one,DKK,kr.,2020,,H,T,https://e.org,n,m,,", r"\(x.a\): value 'one' is not a number"),
        ("x.a,500_000,DKK,kr.,2020,,H,T,https://e.org,n,m,,", r"value '500_000' is not a number"),
        ('x.a,"500,000",DKK,kr.,2020,,H,T,https://e.org,n,m,,', r"value '500,000' is not a number"),
        ("x.a,nan,DKK,kr.,2020,,H,T,https://e.org,n,m,,", r"value 'nan' is not a number"),
        (
            "x.a,1,DKK,kr.,20x,,H,T,https://e.org,n,m,,",
            r"\(x.a\): year '20x' is not a whole number",
        ),
        ("x.a,1,DKK,kr.,1850,,H,T,https://e.org,n,m,,", r"year must be from 1990 to 2100"),
        ("x.a,1,DKK,kr.,2020,,Z,T,https://e.org,n,m,,", r"grade must be one of H, M, L, A, F"),
        ("x.a,1,DKK,kr.,2020,,H,T,,n,m,,", r"grade H\) needs a source_url"),
        ("x.a,1,DKK,kr.,2020,,A,T,ftp://e.org,n,m,,", r"source_url must start with http"),
        ("x.a,1,DKK,kr.,2020,,H,T,https://e.org,,m,,", r"note is empty"),
        ("x.a,1,DKK,,2020,,H,T,https://e.org,n,m,,", r"unit_da is empty"),
        ("x.a,1,DKK,kr.,2020,,F,T,,n,m,,", r"must name the documented figures"),
        ("x.a,1,DKK,kr.,2020,,H,T,https://e.org,n,m,,x.b", r"fitted_to is only for fitted figures"),
        ("x.a,1,DKK,kr.,2020,,H,T,https://e.org,a,b,c,d,e", r": more fields than columns"),
        ("123,1,DKK,kr.,2020,,H,T,https://e.org,n,m,,", r"key '123' must be dotted words"),
    ],
)
def test_malformed_rows_are_named(tmp_path, row, message):
    with pytest.raises(CatalogueError, match=r"figures.csv, row 3.*" + message):
        load_figures(write(tmp_path, row))


def test_duplicate_keys_unknown_references_and_bad_headers_are_named(tmp_path):
    with pytest.raises(CatalogueError, match=r"row 4: duplicate key 'x.a'"):
        load_figures(write(tmp_path, GOOD, GOOD))
    with pytest.raises(CatalogueError, match="header must be"):
        load_figures(write(tmp_path, GOOD, header="key,value"))
    with pytest.raises(CatalogueError, match=r"\(x.a\): derived_from/fitted_to name unknown"):
        load_figures(write(tmp_path, "x.a,1,DKK,kr.,2020,,L,T,https://e.org,n,m,x.nope,"))
    money = "x.m,1,DKK,kr.,2020,2019,H,T,https://e.org,n,m,,"
    with pytest.raises(CatalogueError, match=r"\(x.m\): no price index for 2019"):
        load_figures(write(tmp_path, money))


def test_missing_binary_and_latin1_figure_files_are_named(tmp_path):
    with pytest.raises(CatalogueError, match=r"figures.csv: file not found"):
        load_figures(tmp_path / "figures.csv")
    path = tmp_path / "figures.csv"
    path.write_bytes(
        (HEADER + "\nx.a,1,DKK,kr.,2020,,H,T,https://e.org,Året,Året,,\n").encode("latin-1")
    )
    with pytest.raises(CatalogueError, match=r"figures.csv: not UTF-8"):
        load_figures(path)


@pytest.fixture
def cases_copy(tmp_path):
    text = files.data_path("cases.yaml").read_text(encoding="utf-8")
    path = tmp_path / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "cases: herning.cases",
            "cases: herning.nope",
            r"case 'herning', cases: 'herning.nope' is not a key in figures.csv",
        ),
        (
            "          sign: -1\n          payers: {kommune: 1}",
            "          sign: -1\n          payers: {kommune: 0.5}",
            r"case 'herning', institution.price.1: price .* payer shares .* must sum to 1",
        ),
        (
            "          sign: -1\n          payers: {kommune: 1}",
            "          sign: -1\n          payers: {town: 1}",
            r"institution.price.1.payers: must map some of kommune, region, stat",
        ),
        (
            "{high_cost_refusion: price.institution_placement}",
            "{magic: price.institution_placement}",
            r"institution.price.0.stat: unknown rule 'magic'",
        ),
        (
            "    caseload_after: herning.caseload_after\n",
            "    caseload_after: herning.caseload_after\n    caseload_after_x: 3\n",
            r"case 'herning', levers: unknown field\(s\) caseload_after_x",
        ),
        (
            "    caseload_after: herning.caseload_after\n",
            "    caseload_after: 60\n",
            r"case 'herning', caseload_after: caseload_after must be from 1 to 48",
        ),
        ("      kind: entry", "      kind: sideways", r"institution.kind: must be 'entry'"),
        ("aabenraa:\n", "123:\n", r"case names must be plain names"),
        (
            "    cases: aabenraa.cases\n",
            "    cases: 500_000\n",
            r"case 'aabenraa', cases: must be a number or a figure key; got '500_000'",
        ),
    ],
)
def test_malformed_cases_name_the_case_and_field(cases_copy, old, new, message):
    text = cases_copy.read_text(encoding="utf-8")
    assert old in text, old
    cases_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"cases.yaml.*" + message):
        load_cases(cases_copy, explorer.figures())


def test_a_repeated_case_or_key_is_refused_not_silently_replaced(cases_copy):
    text = cases_copy.read_text(encoding="utf-8")
    herning = text[text.index("herning:") : text.index("aabenraa:")]
    cases_copy.write_text(text + "\n" + herning, encoding="utf-8")
    with pytest.raises(
        yamlfile.DataError,
        match=r"cases.yaml, line \d+: the key 'herning' "
        r"appears twice \(lines \d+ and \d+\)",
    ):
        load_cases(cases_copy, explorer.figures())
    cases_copy.write_text(
        text.replace("    cases: herning.cases\n", "    cases: herning.cases\n    cases: 5\n", 1)
    )
    with pytest.raises(yamlfile.DataError, match=r"the key 'cases' appears twice"):
        load_cases(cases_copy, explorer.figures())


@pytest.mark.parametrize(
    "content, message",
    [
        (b"herning: [unclosed", r"cases.yaml, line 1: "),
        ("herning:\n  name: Århus\n".encode("latin-1"), r"cases.yaml, line 2: not UTF-8 text"),
        (b"\x00\x01\x02binary", r"cases.yaml: a binary file"),
        (b"x: !!python/object/apply:os.system ['true']", r"cases.yaml: tags .* are not allowed"),
        (b"x: " + b"a" * 1_100_000, r"cases.yaml: larger than 1000 kB"),
        (b"[" * 30_000 + b"]" * 30_000, r"cases.yaml: nested more than 20 levels deep"),
        (b"".join(b" " * i + b"k:\n" for i in range(100)), r"cases.yaml: nested more than 20"),
        (b"x:\n  ? [a, b]\n  : 1\n", r"cases.yaml: a list or mapping is used as a name"),
        (
            b"herning:\n  name: {da: a, en: a}\n  summary: {da: a, en: a}\n  levers:\n    cases: "
            + b"9" * 400
            + b"\n",
            r"case 'herning', cases: must be a finite number; got 9999",
        ),
    ],
)
def test_bad_yaml_files_are_named(tmp_path, content, message):
    path = tmp_path / "cases.yaml"
    path.write_bytes(content)
    with pytest.raises(yamlfile.DataError, match=message):
        load_cases(path, explorer.figures())


def test_a_missing_cases_file_is_named(tmp_path):
    with pytest.raises(yamlfile.DataError, match=r"cases.yaml: file not found"):
        load_cases(tmp_path / "cases.yaml", explorer.figures())


def test_unknown_case_lists_the_choices():
    with pytest.raises(ValueError, match="unknown case 'odense'; choose one of herning"):
        explorer.load_case("odense")


@pytest.mark.parametrize(
    "name", ["cases.yaml", "claims.yaml", "fields.yaml", "texts.yaml", "glossary.yaml"]
)
def test_every_data_file_is_well_within_the_nesting_limit(name):
    text = files.data_path(name).read_text(encoding="utf-8")
    assert not yamlfile.too_deep(text, yamlfile.MAX_DEPTH // 2, yamlfile.MAX_INDENT // 2)


def test_a_case_file_without_references_measured_its_effect_at_its_own_change(tmp_path):
    """Regression: a case file that named no reference got the Scenario's hidden 48 -> 24, so a
    45 -> 30 effect was silently scaled to 58 %. Now the reference is the case's own change and
    its own services, unless the file says otherwise."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "mine:\n"
        "  name: {da: Min, en: Mine}\n"
        "  summary: {da: x, en: x}\n"
        "  levers: {cases: 300, caseload_before: 45, caseload_after: 30,"
        " other_cost_per_year: 1000000}\n"
        "  outcomes:\n"
        "    - {key: x, kind: entry, label: {da: x, en: x}, base_rate: 0.05, effect: 0.3,"
        " prices: [{label: {da: p, en: p}, amount: 500000, payers: {kommune: 1}}]}\n",
        encoding="utf-8",
    )
    s = explorer.load_case(path)
    assert (s.reference_caseload_before, s.reference_caseload_after) == (45, 30)
    assert s.reference_other_cost == 1_000_000
    assert explorer.evaluate(s).paths.dose[0].tolist() == pytest.approx([1.0] * s.horizon_years)


# -- one reading path for case files (issue 25, section 9) ---------------------------------------
def own_case_file(kind="exit", effect="0.3", duration="1", amount="price.kontanthjaelp_30plus"):
    """A reader's case file with one outcome; each argument is written as the file gives it."""
    return f"""
mine:
  name: {{da: "Min sag", en: "My case"}}
  summary: {{da: "Et eksempel.", en: "An example."}}
  levers: {{cases: 300, caseload_before: 40, caseload_after: 25}}
  outcomes:
    - key: jobs
      kind: {kind}
      label: {{da: "Job", en: "Jobs"}}
      base_rate: 0.2
      effect: {effect}
      duration_years: {duration}
      prices:
        - label: {{da: "Ydelse", en: "Benefit"}}
          amount: {amount}
          payers: {{kommune: 1}}
"""


#: The audit's examples, each with the words its refusal must hold: the field, the figure, and
#: what the field allows instead (its kind, or the change the effect was measured at).
WRONG_FILES = {
    "a caseload as a duration": (
        own_case_file(duration="herning.caseload_after"),
        ("“Jobs”, Duration", "herning.caseload_after", "cases per caseworker", "(years)"),
    ),
    "a headcount as a price": (
        own_case_file(amount="herning.cases"),
        ("“Jobs”, Price", "herning.cases", "active cases", "DKK per person per year"),
    ),
    "a refusion share as an effect": (
        own_case_file(effect="refusion.weeks_5_26"),
        (
            "“Jobs”, Effect at the reference change",
            "refusion.weeks_5_26",
            "state share of benefit",
            "relative rise in exits",
        ),
    ),
    "an effect at another reference change": (
        own_case_file(kind="entry", effect="herning.institution_effect"),
        ("“Jobs”", "herning.institution_effect", "measured at caseloads 48 → 24", "40 → 25"),
    ),
}


@pytest.mark.parametrize("example", WRONG_FILES)
def test_load_case_refuses_what_the_own_case_page_refuses_naming_the_field(example, tmp_path):
    """Regression: load_case read a caseload as a duration, a headcount as a price, a refusion
    share as an effect and an effect at a change it was not measured at, without a word."""
    text, words = WRONG_FILES[example]
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        explorer.load_case(path)
    message = str(raised.value)
    for word in words:
        assert word in message
    with pytest.raises(owncase.OwnCaseError) as page:  # the page's own words, in both languages
        casefile.from_yaml(text.encode("utf-8"), "mine.yaml")
    assert page.value.text("en") == message
    refused = raised.value
    assert isinstance(refused, owncase.OwnCaseError)
    assert refused.text("da") == page.value.text("da") != message


def test_a_case_file_that_the_checks_accept_loads_as_the_readers_own_case(tmp_path):
    path = tmp_path / "herning.yaml"
    path.write_text(own_case_file().replace("mine:", "herning:"), encoding="utf-8")
    case = catalogue.read_case_file(path)
    assert case.name == "own" and case.scenario.case == "own"  # never a preset's name
    assert explorer.load_case(path) == case.scenario
    assert case.title["en"] == "My case" and case.sources["jobs.price.0"] == (
        "price.kontanthjaelp_30plus"
    )


@pytest.mark.parametrize("name", catalogue.cases())
def test_each_preset_passes_the_own_case_checks(name):
    """The presets are read by the plain reader (they define which figures a place takes), then
    held to the checks every other case file meets."""
    own = owncase.from_preset(name)
    own.check()
    assert own.case().scenario.replace(case=name) == catalogue.load_case(name)


def test_a_source_has_one_title_and_one_address():
    """Regression: one publication under two titles or two addresses was listed twice as a
    source (a Nordjyske article; KORA's Potentialeberegning)."""
    titles: dict[str, set[str]] = {}
    urls: dict[str, set[str]] = {}
    for f in explorer.figures().values():
        if f.source_url:
            titles.setdefault(f.source_url, set()).add(f.source_title)
            urls.setdefault(f.source_title, set()).add(f.source_url)
    assert not {u: t for u, t in titles.items() if len(t) > 1}
    assert not {t: u for t, u in urls.items() if len(u) > 1}


@pytest.mark.parametrize(
    "key, lang, shown",
    [
        ("herning.institution_effect", "en", "61.83%"),
        ("dk.placed_children_trend", "da", "2,46\u00a0%"),
        ("prices.price_year", "en", "2024"),
        ("study.eur_dkk", "en", "7.46038"),
        ("herning.cases", "da", "192"),
    ],
)
def test_the_sources_table_shows_shares_in_per_cent_and_years_as_years(key, lang, shown):
    """Regression: the sources table showed 0.6183 for a share and 2,024 for a year."""
    from explorer.outputs import sources

    assert sources.shown(catalogue.figure(key), lang) == shown
