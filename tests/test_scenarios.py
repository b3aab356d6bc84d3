"""The golden values, written as scenario files an economist can add without Python.

Each file in ``tests/scenarios/`` is a list of scenarios: a preset ``case``, the ``levers`` set
on it (scenario fields, as ``python -m explorer fields`` lists them) and the KPIs it must give,
each with its ``value`` (``null`` for "none": no payback, no ratio without costs), its
``tolerance`` (in the KPI's own unit) and ``why``, a one-line derivation. A wrong number fails
naming the file, the scenario and the KPI with expected, actual and tolerance; a file that is
not well formed fails naming the file and the field. ``tests/scenarios/README.md`` shows one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import explorer
from explorer.model import fields
from explorer.model.scenario import Scenario

FOLDER = Path(__file__).resolve().parent / "scenarios"
FILES = sorted(FOLDER.glob("*.yaml"))
LEVERS = fields.of(Scenario)


class ScenarioFileError(ValueError):
    """A scenario file that is not well formed; the message names the file and the field."""


@dataclass(frozen=True)
class Expected:
    value: float | None
    tolerance: float
    why: str


@dataclass(frozen=True)
class Case:
    """One scenario of a file: where it is, what it sets and what it must give."""

    where: str
    scenario: Scenario
    expect: dict[str, Expected]


def kpi_names() -> tuple[str, ...]:
    """Every KPI a scenario can expect (those of ``evaluate`` plus the break-even effect)."""
    one = explorer.evaluate(explorer.load_case(explorer.cases()[0]))
    return (*one.kpis, "break_even_effect")


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioFileError(
            f"{where}: {value!r} is not a number (write 12_500_000 or 0.25, not '12.5e6')"
        )
    return float(value)


def _expected(entry: object, where: str) -> Expected:
    if not isinstance(entry, dict):
        raise ScenarioFileError(f"{where}: write value, tolerance and why under it")
    unknown = set(entry) - {"value", "tolerance", "why"}
    if unknown:
        raise ScenarioFileError(
            f"{where}: unknown field {sorted(unknown)[0]!r} (a why with a comma goes in quotes)"
        )
    for key in ("value", "why"):
        if key not in entry:
            raise ScenarioFileError(f"{where}.{key} is missing")
    value = None if entry["value"] is None else _number(entry["value"], f"{where}.value")
    if value is not None and "tolerance" not in entry:
        raise ScenarioFileError(f"{where}.tolerance is missing (in the KPI's unit, e.g. 5_000)")
    tolerance = _number(entry.get("tolerance", 0), f"{where}.tolerance")
    if tolerance < 0:
        raise ScenarioFileError(f"{where}.tolerance must be 0 or more")
    if not str(entry["why"] or "").strip():
        raise ScenarioFileError(f"{where}.why is empty: say in one line where the value comes from")
    return Expected(value, tolerance, str(entry["why"]).strip())


def load(path: Path) -> list[Case]:
    """The scenarios of one file, checked: an unknown case, lever or KPI, a lever out of its
    range, a missing value, tolerance or derivation raise ``ScenarioFileError``."""
    name = f"tests/scenarios/{path.name}"
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScenarioFileError(f"{name}: not YAML: {error}") from None
    if not isinstance(content, list) or not content:
        raise ScenarioFileError(f"{name}: a list of scenarios ('- name: ...') is expected")
    kpis, out = kpi_names(), []
    for i, entry in enumerate(content):
        where = f"{name}, scenario {i + 1}"
        if not isinstance(entry, dict):
            raise ScenarioFileError(f"{where}: name, case, levers and expect are expected")
        unknown = set(entry) - {"name", "case", "levers", "expect"}
        if unknown:
            raise ScenarioFileError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        for key in ("name", "case", "expect"):
            if key not in entry:
                raise ScenarioFileError(f"{where}: {key} is missing")
        where = f"{name}, {entry['name']!r}"
        if entry["case"] not in explorer.cases():
            raise ScenarioFileError(
                f"{where}: case: unknown case {entry['case']!r}; "
                f"choose one of {', '.join(explorer.cases())}"
            )
        levers = entry.get("levers") or {}
        for lever, value in levers.items():
            if lever not in LEVERS:
                raise ScenarioFileError(f"{where}: levers: unknown lever {lever!r}")
            _number(value, f"{where}: levers.{lever}")
        try:
            scenario = explorer.load_case(entry["case"]).replace(**levers)
        except ValueError as error:
            raise ScenarioFileError(f"{where}: levers: {error}") from None
        if not isinstance(entry["expect"], dict) or not entry["expect"]:
            raise ScenarioFileError(f"{where}: expect: name at least one KPI")
        expect = {}
        for kpi, wanted in entry["expect"].items():
            if kpi not in kpis:
                raise ScenarioFileError(
                    f"{where}: expect: unknown KPI {kpi!r}; choose from {', '.join(kpis)}"
                )
            expect[kpi] = _expected(wanted, f"{where}: expect.{kpi}")
        out.append(Case(where, scenario, expect))
    return out


def actual(result: explorer.Result, kpi: str) -> float | None:
    value = result.break_even_effect if kpi == "break_even_effect" else result.kpis[kpi][0]
    return None if value is None or math.isnan(value) else float(value)


def misses(case: Case) -> list[str]:
    """What the scenario gives that it should not, one line a KPI."""
    result, out = explorer.evaluate(case.scenario), []
    for kpi, wanted in case.expect.items():
        got = actual(result, kpi)
        if wanted.value is None or got is None:
            ok = wanted.value is None and got is None
        else:
            ok = abs(got - wanted.value) <= wanted.tolerance
        if not ok:
            out.append(
                f"{case.where}: {kpi} expected {wanted.value} ± {wanted.tolerance:g}, "
                f"got {got} ({wanted.why})"
            )
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_file_gives_its_expected_kpis(path):
    failed = [line for case in load(path) for line in misses(case)]
    assert not failed, "\n".join(failed)


def test_there_are_scenario_files():
    assert FILES, f"no scenario files in {FOLDER}"


GOOD = """
- name: Herning with no extra caseworkers
  case: herning
  levers: {caseload_after: 48}
  expect:
    total_cost: {value: 0, tolerance: 0, why: no one is hired}
"""


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("case: herning", "case: horsens", "bad.yaml, 'Herning with no .*: unknown case 'horsens'"),
        ("caseload_after: 48", "caseloads: 48", "bad.yaml, .*levers: unknown lever 'caseloads'"),
        ("caseload_after: 48", "caseload_after: 480", "bad.yaml, .*levers: caseload_after"),
        ("tolerance: 0, ", "", r"bad.yaml, .*expect.total_cost.tolerance is missing"),
        ("why: no one is hired", "wy: x", "bad.yaml, .*expect.total_cost: unknown field 'wy'"),
        ("total_cost:", "total_costs:", "bad.yaml, .*expect: unknown KPI 'total_costs'"),
        ("value: 0,", "value: '1e6',", r"bad.yaml, .*expect.total_cost.value: '1e6' is not a"),
        ("  case: herning\n", "", r"bad.yaml, scenario 1: case is missing"),
    ],
)
def test_a_malformed_scenario_file_names_the_file_and_the_field(tmp_path, old, new, message):
    assert old in GOOD
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=message):
        load(path)


def test_a_wrong_value_names_the_file_the_kpi_expected_actual_and_tolerance(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(GOOD.replace("value: 0", "value: 1_000"), encoding="utf-8")
    (case,) = load(path)
    assert misses(case) == [
        "tests/scenarios/wrong.yaml, 'Herning with no extra caseworkers': total_cost expected "
        "1000.0 ± 0, got 0.0 (no one is hired)"
    ]
