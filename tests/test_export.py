"""The CSV people open: both forms read with pandas, and the numbers are the model's."""

import io

import pandas as pd
import pytest

import explorer
from explorer.outputs import export


@pytest.mark.parametrize(
    "lang, options",
    [
        ("da", {"sep": ";", "decimal": ","}),
        ("en", {}),
    ],
)
def test_csv_opens_with_pandas_and_equals_the_model(lang, options):
    for case in explorer.cases():
        r = explorer.evaluate(explorer.load_case(case))
        text = export.csv_text(r, lang, link="https://example.org/x?case=" + case)
        table = pd.read_csv(io.StringIO(text), comment="#", **options)
        y = r.yearly
        assert table.iloc[:, 0].tolist() == y["calendar_year"].tolist()
        cost = next(c for c in table.columns if c.startswith(("Udgift (", "Cost (")))
        assert table[cost].tolist() == y["cost"].round().astype(int).tolist()
        net = next(c for c in table.columns if c.startswith(("Netto (", "Net (")))
        assert table[net].tolist() == pytest.approx(y["net"].round().tolist(), abs=0.5)
        assert "2024" in cost
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert any("example.org" in line for line in header)
        assert any("http" in line for line in header[3:])


def test_danish_csv_is_danish():
    r = explorer.evaluate(explorer.load_case("aabenraa"))
    text = export.csv_text(r, "da")
    first = next(line for line in text.splitlines() if not line.startswith("#"))
    assert first.startswith("År;") and "Udgift" in first and "Cost" not in first
    assert export.file_name("aabenraa", "table", "da", "csv") == "aabenraa-tabel.csv"
    assert export.file_name("aabenraa", "table", "en", "csv") == "aabenraa-table.csv"
