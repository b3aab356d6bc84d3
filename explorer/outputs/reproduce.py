"""Reproduce a page in Python: a few lines that compute the page's key figures with the
package's public API, pinned to the version that made them, and the same numbers as JSON (key
figures, yearly table, inputs, sources, version) for a data link.

The JSON's key figures are the snippet's own: its lines are run here to fill them, so what a
reader runs and what the file says cannot drift apart.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from explorer import catalogue
from explorer.catalogue.reader import Case
from explorer.data import i18n
from explorer.model import fields
from explorer.model.scenario import Scenario
from explorer.outputs.key_figures import KEY_FIGURES, PAYBACKS

#: The distribution's name on the package index (pyproject.toml).
DISTRIBUTION = "social-investment-explorer"

#: Key figures that are not money (the rest are kroner, printed to the krone).
NOT_MONEY = ("extra_workers", "benefit_cost_ratio", "break_even_effect")


def _main() -> tuple[tuple[str, str], ...]:
    """The explorer's key figures (``key_figures.KEY_FIGURES``, in order) as (name, expression on
    the result ``r``): a payback year undiscounted, then discounted, as its card shows both."""
    out: list[tuple[str, str]] = []
    for f in KEY_FIGURES:
        if f.key in PAYBACKS:
            out += [(k, f"r.calendar(r.{k})") for k in (f.key, f"{f.key}_discounted")]
        else:
            out.append((f.key, f"r.{f.key}" if f.key in NOT_MONEY else f"round(r.{f.key})"))
    return tuple(out)


MAIN = _main()
PAYBACK = tuple(m for m in MAIN if m[0].startswith("payback_year"))
#: Per page: the lines after ``r = explorer.evaluate(s)`` and the key figures they print.
PAGES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "explorer": ((), MAIN),
    "own_case": ((), MAIN),
    "claims": ((), MAIN),
    "how_it_works": ((), MAIN),
    "who_pays": (
        (
            "terms = financing.Terms({terms})",
            'bond = financing.summary(r, terms).set_index("arrangement").loc["signed_bond"]',
            'payers = r.yearly[["savings_kommune", "savings_region", "savings_stat"]].sum()',
        ),
        (
            *PAYBACK,
            ("share_kommune", 'payers["savings_kommune"] / payers.sum()'),
            ("price_of_finance", 'round(bond["kommune_extra_cost"])'),
        ),
    ),
    "how_sure": (
        ("sim = explorer.simulate(s, {draws}, seed=0, spreads=explorer.Spreads({spreads}))",),
        (
            ("p_payback", "sim.p_payback"),
            ("p_npv_positive", "sim.p_npv_positive"),
            ("effective_draws", "round(sim.effective_draws)"),
            ("median_npv", "round(sim.median_npv)"),
            ("npv", "round(r.npv)"),
        ),
    ),
}
#: Imports a page's lines need beside ``import explorer``.
IMPORTS = {"who_pays": "from explorer.analysis import financing"}


def version() -> str:
    """The installed package's version."""
    return importlib.metadata.version(DISTRIBUTION)


def install_line(lang: str = "en") -> str:
    """Which version made the numbers, and how to install it, in ``lang``: the package is not on
    PyPI, so from the project's source at that version."""
    return i18n.t("export.install", lang, name=DISTRIBUTION, version=version())


@dataclass(frozen=True)
class Setting:
    """What a page computed its figures from: its scenario, the field groups beside it (financing
    terms, spreads), the draws of a page that simulates, and an own case's description."""

    page: str
    scenario: Scenario
    lang: str = "da"
    extras: dict[str, dict[str, float]] = field(default_factory=dict)
    draws: int | None = None
    case: Case | None = None

    def __post_init__(self) -> None:
        if self.page not in PAGES:
            raise LookupError(f"page {self.page!r} shows no key figures to reproduce")


def _literal(value: Any) -> str:
    """A value as Python source (strings in double quotes)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _args(values: dict[str, Any]) -> str:
    return ", ".join(f"{name}={_literal(value)}" for name, value in values.items())


def _changed(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return bool(a != b)


def scenario_lines(s: Scenario) -> list[str]:
    """Lines that make ``s``: a preset and what differs from it, else the whole scenario."""
    if s.case not in catalogue.cases():
        return [f"s = {s!r}"]
    preset = catalogue.load_case(s.case)
    lines = [f"s = explorer.load_case({_literal(s.case)})"]
    changes = {
        name: getattr(s, name)
        for name in fields.of(Scenario)
        if _changed(getattr(s, name), getattr(preset, name))
    }
    if changes:
        lines[0] += f".replace({_args(changes)})"
    for o in s.outcomes:
        old = preset.outcome(o.key)
        attrs = {
            f.name: getattr(o, f.name)
            for f in dataclasses.fields(o)
            if _changed(getattr(o, f.name), getattr(old, f.name))
        }
        if attrs:
            lines.append(f"s = s.replace_outcome({_literal(o.key)}, {_args(attrs)})")
    return lines


def _extras(setting: Setting, group: str) -> str:
    defaults = {n: fields.default_value(f) for n, f in fields.group(group).items()}
    values = setting.extras.get(group, {})
    return _args({n: v for n, v in values.items() if n in defaults and _changed(v, defaults[n])})


def code(setting: Setting) -> str:
    """The Python lines (without the install line) that print the page's key figures."""
    setup, figures = PAGES[setting.page]
    body = [
        line.format(
            terms=_extras(setting, "terms"),
            spreads=_extras(setting, "spreads"),
            draws=setting.draws,
        )
        for line in setup
    ]
    printed = "".join(f'    "{name}": {expression},\n' for name, expression in figures)
    imports = ["import explorer", IMPORTS.get(setting.page, "")]
    if setting.scenario.case not in catalogue.cases():
        imports.append("from explorer import Outcome, Price, Scenario")
    return (
        "\n".join(line for line in imports if line)
        + "\n\n"
        + "\n".join(scenario_lines(setting.scenario))
        + "\nr = explorer.evaluate(s)\n"
        + "".join(f"{line}\n" for line in body)
        + f"\nkey_figures = {{\n{printed}}}\n"
        + "for name, value in key_figures.items():\n"
        + '    print(f"{name}: {value}")\n'
    )


def snippet(setting: Setting) -> str:
    """The install line pinned to this version (as a comment) and the code."""
    return f"# {install_line(setting.lang)}\n{code(setting)}"


def key_figures(setting: Setting) -> dict[str, Any]:
    """The page's key figures, as the snippet computes them (its lines run here)."""
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code(setting), f"<{setting.page}>", "exec"), namespace)
    return {name: _plain(value) for name, value in namespace["key_figures"].items()}


def _plain(value: Any) -> Any:
    """A number as JSON has it (NaN and infinities as null)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    number = float(value)
    if not math.isfinite(number):
        return None
    return int(number) if float(number).is_integer() and abs(number) < 2**53 else number


def _sources(setting: Setting) -> list[dict[str, Any]]:
    from explorer.outputs import sources

    case = setting.case
    if case is None and setting.scenario.case in catalogue.cases():
        case = catalogue.case(setting.scenario.case)
    if case is None:
        return []
    rows = []
    for what, label, f in sources.case_sources(case, setting.lang):
        rows.append(
            {
                "input": what,
                "label": label,
                "figure": f.key,
                "value": f.value,
                "unit": f.unit if setting.lang == "en" else f.unit_da,
                "year": f.year,
                "grade": f.grade,
                "source": f.source_title,
                "url": f.source_url,
            }
        )
    return rows


def data(setting: Setting, link: str = "") -> dict[str, Any]:
    """The view's numbers: version, link, key figures, inputs, yearly table, sources, code."""
    from explorer import model

    r = model.evaluate(setting.scenario)
    yearly = json.loads(r.yearly.to_json(orient="records"))
    return {
        "package": DISTRIBUTION,
        "version": version(),
        "page": setting.page,
        "lang": setting.lang,
        "link": link,
        "case": setting.scenario.case,
        "price_year": catalogue.price_year(),
        "key_figures": key_figures(setting),
        "inputs": json.loads(json.dumps(dataclasses.asdict(setting.scenario))),
        "extras": {g: dict(v) for g, v in setting.extras.items() if v},
        "draws": setting.draws,
        "yearly": yearly,
        "sources": _sources(setting),
        "python": snippet(setting),
    }


def json_bytes(setting: Setting, link: str = "") -> bytes:
    return json.dumps(data(setting, link), ensure_ascii=False, indent=1).encode("utf-8")
