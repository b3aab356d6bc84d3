"""The command line: readable output, CSV export, one-line errors with a non-zero exit."""

import subprocess
import sys

import pandas as pd
import pytest

from explorer.__main__ import main


def test_lists_cases(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "herning" in out and "aabenraa" in out and "hjoerring" in out


def test_evaluates_with_overrides_and_writes_csv(tmp_path, capsys):
    target = tmp_path / "herning.csv"
    assert main(["evaluate", "herning", "--set", "caseload_after=22", "--csv", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Ekstra sagsbehandlere" in out and "4,7" in out and "mio. kr." in out
    table = pd.read_csv(target)
    assert len(table) == 10 and table["extra_workers"][0] == pytest.approx(192 / 22 - 4)


def test_english_and_outcome_overrides(capsys):
    assert main(["evaluate", "aabenraa", "--set", "self_support.effect=0.5", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Break-even effect" in out and "DKK" in out


@pytest.mark.parametrize("args, message", [
    (["evaluate", "odense"], "unknown case 'odense'"),
    (["evaluate", "herning", "--set", "caseload_after=abc"], "'abc' is not a number"),
    (["evaluate", "herning", "--set", "horizon_years=999"], "horizon_years must be from 1 to 20"),
    (["evaluate", "herning", "--set", "nope=1"], "--set nope: unknown field"),
    (["evaluate", "herning", "--set", "caseload_after"], "--set takes FIELD=NUMBER"),
    (["evaluate", "herning", "--set", "institution.colour=1"], "outcome fields are"),
    (["evaluate", "herning", "--set", "ghost.effect=1"], "no outcome 'ghost'"),
    (["evaluate", "herning", "--csv", "/nonexistent/dir/x.csv"], "--csv /nonexistent/dir/x.csv"),
    (["evaluate", "herning", "--lang", "fr"], "invalid choice: 'fr'"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_arguments_give_one_line_and_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_runs_without_traceback():
    done = subprocess.run([sys.executable, "-m", "explorer", "evaluate", "herning", "--set",
                           "effect_scale=9"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error: effect_scale must be from 0 to 3")
    assert "Traceback" not in done.stderr
