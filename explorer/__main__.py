"""Command line: list the cases, evaluate one with overrides, export CSV, print the sources page.

    python -m explorer                       # list the cases
    python -m explorer evaluate herning --set caseload_after=22 --csv herning.csv
    python -m explorer evaluate aabenraa --set self_support.effect=0.5 --lang en
    python -m explorer sources > docs/sources.md
"""

from __future__ import annotations

import argparse
import sys

from . import catalogue, i18n, model, sources
from .scenario import Outcome, Scenario, levers


class CommandLineError(Exception):
    """Bad arguments: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CommandLineError(message)


def parse_setting(text: str) -> tuple[str, str | None, float]:
    """'caseload_after=22' -> ('caseload_after', None, 22.0); 'institution.effect=0.5' too."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise CommandLineError(f"--set takes FIELD=NUMBER; got {text!r}")
    try:
        value = float(raw)
    except ValueError:
        raise CommandLineError(f"--set {name}: {raw!r} is not a number") from None
    outcome, dot, field = name.rpartition(".")
    if dot:
        if field not in levers(Outcome):
            raise CommandLineError(f"--set {name}: outcome fields are {', '.join(levers(Outcome))}")
        return field, outcome, value
    if name not in levers(Scenario):
        raise CommandLineError(f"--set {name}: unknown field; choose one of "
                               f"{', '.join(levers(Scenario))}")
    return name, None, value


def apply_settings(scenario: Scenario, settings: list[str]) -> Scenario:
    for text in settings:
        field, outcome, value = parse_setting(text)
        try:
            if outcome:
                scenario = scenario.replace_outcome(outcome, **{field: value})
            else:
                scenario = scenario.replace(**{field: value})
        except (ValueError, KeyError) as error:
            raise CommandLineError(str(error).strip("'\"")) from None
    return scenario


def report(result: model.Result, case: catalogue.Case, lang: str) -> str:
    """KPIs and the yearly table as text."""
    start = case.start_year
    be = result.break_even_effect
    kpis = [
        (i18n.t("extra_workers", lang), i18n.number(result.extra_workers, lang, 1)),
        (i18n.t("total_cost", lang), i18n.millions(result.total_cost, lang)),
        (i18n.t("total_savings", lang), i18n.millions(result.total_savings, lang)),
        (i18n.t("npv", lang), i18n.millions(result.npv, lang)),
        (i18n.t("benefit_cost_ratio", lang), i18n.factor(result.benefit_cost_ratio, lang)),
        (i18n.t("payback_year", lang), i18n.payback(result.payback_year, start, lang)),
        (i18n.t("payback_year_kommune", lang), i18n.payback(result.payback_year_kommune, start, lang)),
        (i18n.t("break_even_effect", lang),
         i18n.t("times_effect", lang, value=i18n.number(be, lang, 2)) if be is not None
         else i18n.t("above_range", lang)),
    ]
    width = max(len(k) for k, _ in kpis)
    lines = [case.title[lang], ""] + [f"{k:<{width}}  {v}" for k, v in kpis] + [""]
    columns = ["year", "cost", "savings", "savings_kommune", "savings_stat", "net", "cumulative_net"]
    table = result.yearly[columns].copy()
    table["year"] = table["year"] + start
    for col in columns[1:]:
        table[col] = [i18n.millions(v, lang) for v in table[col]]
    table.columns = [i18n.t(c, lang) for c in columns]
    return "\n".join(lines) + table.to_string(index=False)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m explorer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("cases", help="list the case presets")
    ev = sub.add_parser("evaluate", help="evaluate a case")
    ev.add_argument("case")
    ev.add_argument("--set", action="append", default=[], metavar="FIELD=NUMBER",
                    help="override a field; outcome fields as OUTCOME.FIELD=NUMBER")
    ev.add_argument("--csv", metavar="PATH", help="write the yearly table as CSV")
    ev.add_argument("--lang", default="da", choices=i18n.LANGS)
    sub.add_parser("sources", help="print the sources page (Markdown)")
    try:
        args = parser.parse_args(argv)
        if args.command in (None, "cases"):
            for name in catalogue.cases():
                print(f"{name:<10} {catalogue.case(name).title['da']}")
        elif args.command == "sources":
            print(sources.markdown())
        else:
            try:
                case = catalogue.case(args.case)
            except ValueError as error:
                raise CommandLineError(str(error)) from None
            result = model.evaluate(apply_settings(case.scenario, args.set))
            print(report(result, case, args.lang))
            if args.csv:
                try:
                    result.yearly.to_csv(args.csv, index=False)
                except OSError as error:
                    raise CommandLineError(f"--csv {args.csv}: {error.strerror}") from None
    except CommandLineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except catalogue.CatalogueError as error:
        print(f"error in data: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
