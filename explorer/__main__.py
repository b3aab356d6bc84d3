"""Command line: list the cases, evaluate one (or a case file) with changes, export it, check the
fit, read the claims, print the sources page or the field table.

    python -m explorer                        # list the cases
    python -m explorer evaluate herning --set caseload_after=22 --csv herning.csv
    python -m explorer evaluate aabenraa --set self_support.effect=0.5 --lang en
    python -m explorer evaluate my_case.yaml --xlsx my_case.xlsx
    python -m explorer calibrate hjoerring    # the fitted figures and documented vs model
    python -m explorer claims --lang en       # every claim's verdict
    python -m explorer sources > docs/sources.md
    python -m explorer bake site --base-url https://example.org/   # read views as static files
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import catalogue, model
from explorer.analysis import calibration, claims
from explorer.catalogue import settings
from explorer.catalogue.owncase import OWN, OwnCaseError
from explorer.data import i18n
from explorer.data.figures import CatalogueError
from explorer.data.yamlfile import DataError
from explorer.model import fields
from explorer.model.scenario import Scenario
from explorer.outputs import export, key_figures, payback, sources


class CommandLineError(Exception):
    """Bad arguments: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CommandLineError(message)


def set_help() -> str:
    """The --set help, from the field specification."""
    names = ", ".join(fields.of(Scenario))
    outcome = ", ".join(fields.group("outcome"))
    return (
        f"change a field, FIELD=NUMBER (repeatable; applied together). Fields: {names}. "
        f"Outcome fields as OUTCOME.FIELD: {outcome}."
    )


def apply_settings(
    scenario: Scenario, settings_: list[str], lang: str = "en"
) -> tuple[Scenario, list[settings.Notice]]:
    """The scenario with every ``FIELD=NUMBER`` applied at once (so a pair such as
    caseload_before=20 caseload_after=10 is checked together, not one at a time), read as a link
    reads it: a value out of range is clamped and a decimal in a whole field rounded, each with
    the link's notice. A value that is not a number as a link writes one is an error, in the
    link's words."""
    pairs = []
    keys = [o.key for o in scenario.outcomes]
    for text in settings_:
        name, sep, raw = text.partition("=")
        if not sep or not name:
            raise CommandLineError(f"--set takes FIELD=NUMBER; got {text!r}")
        key, dot, attr = name.rpartition(".")
        if dot and key not in keys:
            raise CommandLineError(
                f"--set {name}: no outcome {key!r}; this case has {', '.join(keys)}"
            )
        if dot and attr not in fields.group("outcome"):
            raise CommandLineError(
                f"--set {name}: outcome fields are {', '.join(fields.group('outcome'))}"
            )
        if not dot and name not in fields.of(Scenario):
            raise CommandLineError(
                f"--set {name}: unknown field; choose one of {', '.join(fields.of(Scenario))}"
            )
        pairs.append((name, raw))
    notices: list[settings.Notice] = []
    changes, outcome_changes, _ = settings.read(scenario, pairs, lang, notices)
    ignored = next((n for n in notices if n.kind in settings.IGNORED), None)
    if ignored is not None:
        raise CommandLineError(ignored.text(lang))
    return settings.apply(scenario, changes, outcome_changes, lang, notices), notices


def changed_facts(settings: list[str], base: Scenario, scenario: Scenario) -> list[str]:
    """The ``--set`` names that changed a case fact (fields.yaml's ``role: fact``) of ``base``
    in ``scenario``: a setting dropped with a notice changed nothing."""
    out = []
    for text in settings:
        name = text.partition("=")[0]
        key, dot, attr = name.rpartition(".")
        spec = fields.group("outcome").get(attr) if dot else fields.of(Scenario).get(name)
        if spec is None or not spec.is_fact:
            continue
        if dot:
            was, now = (next(o for o in s.outcomes if o.key == key) for s in (base, scenario))
            changed = getattr(was, attr) != getattr(now, attr)
        else:
            changed = getattr(base, name) != getattr(scenario, name)
        if changed and name not in out:
            out.append(name)
    return out


def report(result: model.Result, title: str, lang: str) -> str:
    """The key figures as the KPI cards say them (value, then the line beneath), the payback
    notes and the yearly table as text."""
    t = i18n.t
    rows = [
        (t(f"kpi.{key}", lang), f"{value} · {sub}" if sub else value)
        for key, value, sub in key_figures.cards(result, lang)
    ]
    width = max(len(k) for k, _ in rows)
    lines = [title, i18n.t("amounts_note", lang, year=catalogue.price_year()), ""]
    lines += [f"{k:<{width}}  {v}" for k, v in rows] + [""]
    notes = payback.payback_notes(result, lang)
    lines += [*notes, ""] if notes else []
    columns = [
        "calendar_year",
        "cost",
        "savings",
        "savings_kommune",
        "savings_stat",
        "net",
        "cumulative_net",
    ]
    table = result.yearly[columns].copy()
    for col in columns[1:]:
        table[col] = [i18n.millions(v, lang) for v in table[col]]
    table.columns = [t(f"column.{c}", lang) for c in columns]
    return "\n".join(lines) + table.to_string(index=False)


def _case(name: str) -> catalogue.Case:
    """A preset, or the case in a file read with the own-case page's checks."""
    if name.endswith((".yaml", ".yml")):
        return catalogue.read_case_file(Path(name))
    try:
        return catalogue.case(name)
    except ValueError as error:
        raise CommandLineError(str(error)) from None


def _write(path: str, option: str, write) -> None:
    target = Path(path)
    if not target.parent.exists():
        raise CommandLineError(f"{option} {path}: the folder {target.parent} does not exist")
    try:
        write(target)
    except OSError as error:
        raise CommandLineError(f"{option} {path}: {error.strerror or error}") from None


def bake_site(folder: str, base_url: str, live_url: str | None = None) -> None:
    from urllib.parse import urlsplit

    from explorer.ui.views import bake

    for option, url in (("--base-url", base_url), ("--live-url", live_url)):
        parts = urlsplit(url or "https://example.org/")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandLineError(f"{option} {url}: give an address like https://example.org/")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise CommandLineError(f"bake {folder}: not a folder")
    written = bake.bake(target, base_url, live_url=live_url)
    print(f"{len(written)} files in {target}")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m explorer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("cases", help="list the case presets")
    ev = sub.add_parser("evaluate", help="evaluate a case preset or a case file")
    ev.add_argument("case", help="a preset's name or a case file (.yaml)")
    ev.add_argument("--set", action="append", default=[], metavar="FIELD=NUMBER", help=set_help())
    ev.add_argument("--csv", metavar="PATH", help="write the yearly table as CSV")
    ev.add_argument("--xlsx", metavar="PATH", help="write an Excel workbook with live formulas")
    ev.add_argument("--lang", default="da", choices=i18n.LANGS)
    cal = sub.add_parser("calibrate", help="recompute a case's fitted figures; documented vs model")
    cal.add_argument("case")
    cl = sub.add_parser("claims", help="every debate claim with its computed verdict")
    cl.add_argument("--lang", default="da", choices=i18n.LANGS)
    sub.add_parser("sources", help="print the sources page (Markdown)")
    sub.add_parser("fields", help="print the table of every input (Markdown)")
    bk = sub.add_parser("bake", help="write every page's read view, for each preset, as files")
    bk.add_argument("folder", help="the folder to write (created if missing)")
    bk.add_argument(
        "--base-url",
        default="http://127.0.0.1:8000/",
        help="where the folder will be served: the address that Share links, embeds and "
        "downloads carry (default: %(default)s, python -m http.server -d FOLDER)",
    )
    bk.add_argument(
        "--live-url",
        help="where a launcher runs (python -m explorer.serving), for 'change the numbers' and "
        "views of other scenarios; without it the pages say how to change the numbers",
    )
    try:
        args = parser.parse_args(argv)
        if args.command in (None, "cases"):
            for name in catalogue.cases():
                print(f"{name:<10} {catalogue.case(name).title['da']}")
        elif args.command == "sources":
            print(sources.markdown().rstrip("\n"))
        elif args.command == "fields":
            print(fields.markdown())
        elif args.command == "calibrate":
            case = _case(args.case)
            for key, value in calibration.fit(case).items():
                print(f"{key} = {value:.4f} (figures.csv: {catalogue.figure(key).value:g})")
            print(calibration.table(case).to_string(index=False))
        elif args.command == "bake":
            bake_site(args.folder, args.base_url, args.live_url)
        elif args.command == "claims":
            for c in claims.claims():
                a = claims.default_answer(c.id)
                print(f"{c.id}: {i18n.t(f'verdict.{a.verdict}', args.lang)}")
        else:
            case = _case(args.case)
            scenario, notices = apply_settings(case.scenario, args.set, args.lang)
            for notice in notices:
                print(
                    f"{i18n.t('notice.title', args.lang)} {notice.text(args.lang)}", file=sys.stderr
                )
            title = case.title[args.lang]
            facts = (
                changed_facts(args.set, case.scenario, scenario)
                if catalogue.preset(case.name)
                else []
            )
            if facts:  # no longer the documented case: the preset's name never labels it
                scenario = scenario.replace(case=OWN)
                title = i18n.t("export.own_from", args.lang, case=title)
                names = ", ".join(facts)
                print(i18n.t("export.facts_changed", args.lang, names=names), file=sys.stderr)
            result = model.evaluate(scenario)
            print(report(result, title, args.lang))
            if args.csv:
                _write(
                    args.csv,
                    "--csv",
                    lambda p: p.write_text(export.csv_text(result, args.lang), encoding="utf-8"),
                )
            if args.xlsx:
                from explorer.outputs import workbook

                _write(
                    args.xlsx,
                    "--xlsx",
                    lambda p: p.write_bytes(workbook.xlsx_bytes(result, args.lang)),
                )
    except (CommandLineError, OwnCaseError) as error:  # a bad argument or case file
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (CatalogueError, DataError) as error:
        print(f"error in data: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
