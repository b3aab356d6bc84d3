"""The project keeps its promises: same dependencies in pyproject and environment.yml, the
sources page is current, notebooks are committed without outputs, the README names the commands
and lists the registered pages."""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

import explorer
from explorer.data import i18n
from explorer.data import pages as registry
from explorer.outputs import sources

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_runtime_dependencies_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [
        d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))
    ]
    assert sorted(conda) == sorted(project["dependencies"])
    assert {_name(d) for d in conda} == {_name(d) for d in project["dependencies"]}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def test_sources_page_is_generated_from_data():
    assert (ROOT / "docs" / "sources.md").read_text(
        encoding="utf-8"
    ).strip() == sources.markdown().strip(), "run: make sources"


def test_notebooks_are_committed_without_outputs():
    for path in (ROOT / "notebooks").rglob("*.ipynb"):  # the pages and the course
        if ".ipynb_checkpoints" in path.parts:  # JupyterLab's copies, not committed
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make app" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_lists_every_registered_page_by_its_danish_title():
    """The apps section has one entry per page but the landing page: **title** (`notebook`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    apps = readme.split("\n## The apps\n", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^- \*\*(.+?)\*\* \(`(\w+\.ipynb)`\)", apps, re.M)
    assert "`/voila/render/index.ipynb`" in apps
    assert listed == [
        (i18n.t(f"page.{p.name}", "da"), p.notebook) for p in registry.PAGES if p.name != "index"
    ]


def worked_examples() -> list[str]:
    """The numbers docs/model.md works through by hand for Herning and Aabenraa, as the text
    writes them, computed from the figures and the model."""
    h = explorer.load_case("herning")
    m = h.outcomes[0].effect
    y = explorer.evaluate(h).yearly
    shown = [
        f"`m = {m:.4f}`",
        f"`1 − {1 - m:.4f}² = {1 - (1 - m) ** 2:.3f}`",
        f"a dose of 0.415 moves {1 - (1 - m) ** 0.415:.3f}",
        f"`{m:.4f} × 5.53 = {m * 5.53:.2f}` avoided",
        f"{y['people_institution'][0]:.2f} person-years at mid-year",
        f"{y['at_risk_institution'][1]:.2f} at risk, {y['new_institution'][1]:.2f} avoided",
        f"{y['people_institution'][1]:.2f} person-years are counted",
    ]
    place = explorer.figure("price.institution_placement").in_prices
    kommune, _, state = h.outcomes[0].price_by_payer()
    money = [f"{v:,.0f}" for v in (place, kommune, state)]
    shown += [
        f"DKK {money[0]} in 2024 prices",
        f"saves the kommune DKK {money[1]} and\nthe state DKK {money[2]}",
        f"In 2014 savings are DKK {y['savings'][1] / 1e6:.2f} m (kommune "
        f"{y['savings_kommune'][1] / 1e6:.2f} m, state {y['savings_stat'][1] / 1e6:.2f} m)",
    ]
    r = explorer.evaluate(h)
    worker = explorer.figure("dk.worker_salary").in_prices

    def mio(value: float, digits: int = 2) -> str:
        return f"{value / 1e6:.{digits}f}".replace("-", "−")

    npv = {rate: explorer.evaluate(h.replace(discount_rate=rate)).npv for rate in (0, 0.04)}
    sweep = [mio(explorer.evaluate(h.replace(caseload_after=c)).npv) for c in (36, 30, 24, 16, 12)]
    ramp = explorer.evaluate(h.replace(caseload_after=12, staffing_ramp=0.05)).npv
    shown += [
        f"DKK {worker:,.0f} in 2024 prices",
        f"costs DKK {h.cost_per_worker:,.0f} and four",
        f"net {mio(y['net'][0])} m in 2013, +{mio(y['net'][1])} m in 2014",
        f"cumulative net +{mio(y['cumulative_net'][1])} m in 2014",
        f"NPV DKK {mio(r.npv)} m at 3.5 % ({mio(npv[0])} m at 0 %, {mio(npv[0.04])} m at 4 %)",
        f"kommune alone {mio(r.npv_kommune)} m",
        f"benefit-cost ratio {r.benefit_cost_ratio:.2f}",
        f"break-even effect {r.break_even_effect:.3f}",
        f"36 → NPV {sweep[0]} m, 30 → {sweep[1]} m, 24 → {sweep[2]} m, 16 → {sweep[3]} m,",
        f"12 → {sweep[4]} m.",
        f"(NPV {mio(ramp, 1)} m)",
    ]
    aab = explorer.load_case("aabenraa")
    bcr = [
        explorer.evaluate(x).benefit_cost_ratio for x in (aab, aab.replace(other_cost_per_year=0))
    ]
    all_credit = aab.replace(other_cost_per_year=0, services_share=0)
    shown.append(f"goes from {bcr[0]:.2f} to {bcr[1]:.2f}, not to")
    shown.append(
        f"not to {explorer.evaluate(all_credit).benefit_cost_ratio:.2f} as when the caseloads"
    )
    a = aab.outcomes[0]
    moved = a.moved_share()
    shown += [
        f"`m = {a.effect:.4f} × {a.base_rate} / {1 - a.base_rate:.3f} = {moved:.3f}`",
        f"`max_effect = (1 − base_rate) / (base_rate × (1 − deadweight)) = {a.max_effect:.2f}`",
    ]
    return shown


def test_the_docs_worked_examples_are_the_models():
    docs = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    for text in worked_examples():
        assert text in docs, text


def _tables():
    from explorer.analysis import external, financing, uncertainty
    from explorer.model import fields
    from explorer.outputs import summary

    return [
        ("README.md", "headline", summary.table),
        ("docs/model.md", "calibration", summary.calibration_markdown),
        ("docs/model.md", "claims", summary.claims_markdown),
        ("docs/model.md", "fields", fields.markdown),
        ("docs/model.md", "chances", uncertainty.markdown),
        ("docs/model.md", "bonds", financing.markdown),
        ("docs/model.md", "external-table", external.markdown),
        ("docs/model.md", "external-evidence", external.evidence_markdown),
    ]


@pytest.mark.parametrize("where, marker", [(w, m) for w, m, _ in _tables()])
def test_every_table_the_model_writes_is_the_models(where, marker):
    """Regression: the README's table showed the model before a refit (Aabenraa savings 223.3 m
    where the model said 146.3 m). Each table between its markers is the model's own output
    (`make docs` writes them all)."""
    from explorer.outputs import summary

    made = next(make for w, m, make in _tables() if (w, m) == (where, marker))
    text = (ROOT / where).read_text(encoding="utf-8")
    assert summary.between(text, marker, made()) == text, f"run make docs ({where}, {marker})"
