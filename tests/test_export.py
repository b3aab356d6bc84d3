"""The CSV people open: both forms read with a plain pandas.read_csv, the numbers are the model's,
and what the table is (scenario, changed inputs, link, sources) travels in its last column."""

import io

import pandas as pd
import pytest

import explorer
from explorer import catalogue
from explorer.outputs import export

OPTIONS = {"da": {"sep": ";", "decimal": ","}, "en": {}}


def read(text: str, lang: str) -> pd.DataFrame:
    """The file as a spreadsheet user or a pandas user opens it: no options beyond the form."""
    data = text.encode("utf-8-sig")
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **OPTIONS[lang])


@pytest.mark.parametrize("lang", ["da", "en"])
def test_csv_opens_with_plain_read_csv_and_equals_the_model(lang):
    for case in explorer.cases():
        r = explorer.evaluate(explorer.load_case(case))
        link = "https://example.org/x?case=" + case
        text = export.csv_text(r, lang, link=link)
        assert not any(line.startswith("#") for line in text.splitlines())
        table = read(text, lang)
        expected = export.table(r, lang)
        about = "Om tabellen" if lang == "da" else "About this table"
        assert list(table.columns) == [*expected.columns, about]
        numbers = table.drop(columns=about)
        for column in expected.columns:  # every column but the last stays a number
            assert pd.api.types.is_integer_dtype(numbers[column]) == (
                pd.api.types.is_integer_dtype(expected[column])
            ), column
            assert pd.api.types.is_numeric_dtype(numbers[column]), column
            assert numbers[column].tolist() == pytest.approx(expected[column].tolist()), column
        y = r.yearly
        assert table.iloc[:, 0].tolist() == y["calendar_year"].tolist()
        cost = next(c for c in table.columns if c.startswith(("Udgift (", "Cost (")))
        assert table[cost].tolist() == y["cost"].round().astype(int).tolist()
        assert "2024" in cost
        cells = table[about].dropna().tolist()
        lines = export.header_lines(r, lang, link)
        assert cells[: len(table) - 1] == lines[: len(table) - 1]  # one line a row
        assert cells[-1] == " | ".join(lines[len(table) - 1 :])  # the rest in the last row
        assert any(link in cell for cell in cells)
        assert any("http" in cell for cell in cells[3:])


def test_few_lines_fill_rows_from_the_first_and_leave_the_rest_empty():
    r = explorer.evaluate(explorer.load_case("herning"))
    frame = export.with_about(export.table(r, "en"), ["one", "two"], "en")
    assert frame["About this table"].tolist()[:3] == ["one", "two", None]
    assert frame.iloc[:, :-1].equals(export.table(r, "en"))


def test_a_text_cell_is_never_read_as_a_formula():
    r = explorer.evaluate(explorer.load_case("herning"))
    frame = export.with_about(export.table(r, "en"), ["=HYPERLINK(1)", " -2", "+3", "ok"], "en")
    cells = frame["About this table"].tolist()
    assert cells[:4] == ["'=HYPERLINK(1)", "' -2", "'+3", "ok"]


def test_danish_csv_is_danish():
    r = explorer.evaluate(explorer.load_case("aabenraa"))
    text = export.csv_text(r, "da")
    first = text.splitlines()[0]
    assert first.startswith("År;") and "Udgift" in first and "Cost" not in first
    assert first.endswith(";Om tabellen")
    assert export.file_name("aabenraa", "table", "da", "csv") == "aabenraa-tabel.csv"
    assert export.file_name("aabenraa", "table", "en", "csv") == "aabenraa-table.csv"


def test_changed_inputs_name_every_input_that_differs_from_the_preset_in_the_page_language():
    preset = catalogue.load_case("herning")
    assert export.changed_inputs(preset, "da") == []
    s = preset.replace(worker_cost=100_000, other_cost_per_year=250_000).replace_outcome(
        "institution", deadweight=0.3
    )
    da = export.changed_inputs(s, "da")
    assert len(da) == 3
    assert da[0].startswith("Løn pr. sagsbehandler: 100.000 kr. (forudindstilling: ")
    assert da[1] == "Andre udgifter pr. år: 250.000 kr. (forudindstilling: 0 kr.)"
    assert da[2] == "Institutionsanbringelser, dødvægt: 30\u00a0% (forudindstilling: 0\u00a0%)"
    en = export.changed_inputs(s, "en")
    assert en[0].startswith("Salary per caseworker: DKK 100,000 (preset: DKK ")
    assert en[2] == "Institution placements, deadweight: 30% (preset: 0%)"
    years = export.changed_inputs(preset.replace(horizon_years=8), "en")
    assert years == ["Time horizon: 8 years (preset: 10)"]
    # a case outside the catalogue has no preset; another base can be given
    own = preset.replace(case="own", cases=50)
    assert export.changed_inputs(own, "en") == []
    assert export.changed_inputs(own, "en", base=preset) == ["Active cases: 50 (preset: 192)"]


def test_changed_inputs_name_a_changed_price_and_the_financing_terms():
    """Regression: a download's 'changed inputs' left out an outcome's price and payer shares,
    and the financing terms the reader set on Who pays."""
    from dataclasses import replace

    from explorer.analysis.financing import Terms

    preset = catalogue.load_case("herning")
    institution = preset.outcomes[0]
    cheaper = replace(institution.prices[0], amount=900_000.0, kommune=0.9, stat=0.1)
    outcome = replace(institution, prices=(cheaper, *institution.prices[1:]))
    s = replace(preset, outcomes=(outcome, *preset.outcomes[1:]))
    en = export.changed_inputs(s, "en", terms=Terms(bond_years=5))
    assert en[0].startswith("Institution placements, placement in an institution, price: DKK 900,")
    assert en[1].startswith("Institution placements, placement in an institution, municipal share")
    assert en[-1] == "Contract term: 5 years (preset: 8)"
    assert export.changed_inputs(preset, "en", terms=Terms()) == []
    text = export.csv_text(explorer.evaluate(preset), "da", terms=Terms(bond_trigger=0.2))
    assert "Tærskel for betaling: 20\u00a0% (forudindstilling: 7,5\u00a0%)" in text


def test_the_header_lines_list_changed_inputs_and_a_fitted_figure():
    preset = catalogue.load_case("aabenraa")
    plain = export.header_lines(explorer.evaluate(preset), "en")
    assert not any(line.startswith("Changed from the preset") for line in plain)
    assert any(line.startswith("Fitted figure (evidence F): Off cash benefit") for line in plain)
    s = preset.replace(worker_cost=100_000, other_cost_per_year=0)
    lines = export.header_lines(explorer.evaluate(s), "en")
    at = lines.index("Changed from the preset:")
    assert lines[at + 1].startswith("  Salary per caseworker: DKK 100,000")
    assert lines[at + 2].startswith("  Other cost per year: DKK 0 (preset: DKK ")


def test_the_fitted_line_goes_when_the_reader_replaces_the_fitted_value():
    preset = catalogue.load_case("herning")
    assert export.fitted_line(preset, "da").startswith("Tilpasset tal (evidens F)")
    assert export.fitted_line(preset.replace(worker_cost=100_000), "en")
    mine = preset.replace_outcome("institution", effect=0.2)
    assert export.fitted_line(mine, "en") == ""
    assert export.fitted_line(preset.replace(case="own"), "en") == ""


#: Scenarios whose paybacks take each wording: the same year, discounted later than
#: undiscounted, undiscounted only, and never (above zero once and back below).
KEY_FIGURE_SCENARIOS = {
    "herning": {},
    "aabenraa": {},
    "aabenraa, undiscounted only": {"discount_rate": 0.06},
    "herning, above zero and back": {"caseload_after": 12, "staffing_ramp": 0.05},
}


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", KEY_FIGURE_SCENARIOS)
def test_the_cli_the_workbook_and_the_kpi_cards_show_the_same_key_figures(name, lang):
    """Issue 27: one list of key figures and one payback wording. The command line prints every
    card's title, value and the line beneath it; the workbook has a row for every key figure its
    formulas compute, a payback's discounted year as the card's value and its undiscounted year
    in the card's words."""
    import html

    import openpyxl

    from explorer.__main__ import report
    from explorer.data import i18n
    from explorer.outputs import key_figures, workbook
    from explorer.ui.content import kpis

    s = catalogue.load_case(name.split(",")[0]).replace(**KEY_FIGURE_SCENARIOS[name])
    r = explorer.evaluate(s)
    cards = key_figures.cards(r, lang)
    assert [key for key, _, _ in cards] == [f.key for f in key_figures.KEY_FIGURES]
    page = kpis.main(r, lang)
    text = report(r, "", lang).splitlines()
    book = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(r, lang)), data_only=True)
    sheet = book[i18n.t("workbook.sheet_results", lang)]
    rows = {row[3]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[3]}
    for key, value, sub in cards:
        title = i18n.t(f"kpi.{key}", lang)
        card = page.split(f"kpi-{key.replace('_', '-')}'")[1].split("<div class='kpi ")[0]
        assert html.escape(value) in card and html.escape(sub) in card, key
        line = next(line for line in text if line.startswith(title + " "))
        assert line.split(title, 1)[1].strip() == (f"{value} · {sub}" if sub else value), key
        if not next(f for f in key_figures.KEY_FIGURES if f.key == key).in_workbook:
            continue
        assert rows[key][0].startswith(title), key
        if key in key_figures.PAYBACKS:
            discounted, plain = rows[f"{key}_discounted"], rows[key]
            assert str(discounted[1]) == value, key
            assert discounted[0].endswith(i18n.t("payback.discounted", lang))
            assert plain[0].endswith(i18n.t("payback.undiscounted", lang))
            if plain[1] != discounted[1]:  # the undiscounted year, as the card says it
                assert str(plain[1]) in sub or plain[1] == i18n.t("never", lang), key
    # the workbook's rows start with the key figures, in the cards' order
    shown = [f.key for f in key_figures.KEY_FIGURES if f.in_workbook]
    order = [n for n in rows if n in shown]
    assert order == shown
