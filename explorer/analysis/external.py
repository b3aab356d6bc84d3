"""An outside check: studies of lower caseloads abroad that no preset was fitted to.

Each study in data/studies.yaml is configured as a case and run through the engine with a Danish
preset's fitted exit effect, not refitted: the preset's effect, reference change and services
share, applied at the study's own caseload change through the engine's log dose (no services are
bought abroad, so only the caseload part of the effect acts). Each published result is held
against the model's prediction within a tolerance fixed in the data beforehand from the study's own
precision, and the verdict is "matches", "model above" or "model below".

A fitted effect can be carried to a group with another base rate in two ways; both are shown:

- ``moved``: the preset's moved share (of those who would otherwise stay, the share one reference
  step moves: ``Outcome.moved_share``), as the effect that moves the same share at the study's
  base rate;
- ``entered``: the preset's ``effect`` as it stands, a relative rise in exits, at the study's base
  rate (what a reader who types the preset's effect into an own case gets).

Either is held at the most the study's group allows (everyone who would stay moved at the
reference change), as the engine's moved share is. ``evidence()`` pools the presets and the
randomised study into an effect per caseload change with its spread, for an own case that enters
no effect. ``python -m explorer.analysis.external`` prints the table in docs/model.md.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from explorer import catalogue, model
from explorer.data import files, i18n, yamlfile
from explorer.model import fields
from explorer.model.scenario import Outcome, Price, Scenario

#: The Danish presets whose fitted exit effects are carried abroad.
PRESETS = ("aabenraa", "hjoerring")
READINGS = ("moved", "entered")
VERDICTS = ("matches", "model_above", "model_below")
DAYS = 365.0
#: Points a year at which the payback is looked for (a hundredth of a month).
PAYBACK_STEPS = 1200
#: The 5th and 95th percentiles of a normal distribution, in standard deviations.
Z90 = 1.6448536269514722
STUDY_KEYS = {
    "name",
    "citation",
    "url",
    "start_year",
    "cases",
    "caseload_before",
    "caseload_after",
    "worker_cost",
    "overhead",
    "benefit_per_year",
    "fx",
    "base_rate",
    "duration_years",
    "other_benefit_share",
    "horizon_years",
    "published",
}
#: A study's numbers, each a figure key; worker_cost may be left out.
NUMBERS = tuple(sorted(STUDY_KEYS - {"name", "citation", "url", "start_year", "published"}))


@dataclass(frozen=True)
class Published:
    """A study's published result, and the tolerance set from the data alone, before any
    comparison: the value ± ``within_se`` standard errors, or a window stated beforehand."""

    figure: str
    measure: str  # a key of MEASURES, or "none" (shown, not compared)
    value: float
    se: float | None
    band: tuple[float, float]
    label_da: str
    label_en: str
    se_figure: str | None = None

    def label(self, lang: str) -> str:
        return self.label_da if lang == "da" else self.label_en


@dataclass(frozen=True)
class Study:
    """A published caseload reduction abroad as a case for the model (amounts in euros)."""

    key: str
    name: dict[str, str]
    citation: str
    url: str
    start_year: int
    numbers: dict[str, float]  # NUMBERS -> value (worker_cost may be missing)
    sources: dict[str, str]  # NUMBERS -> figure key
    published: tuple[Published, ...]

    def __getattr__(self, name: str) -> float:
        """A study's number as an attribute: ``study.cases``."""
        if name in NUMBERS and name in self.__dict__.get("numbers", {}):
            return self.numbers[name]
        raise AttributeError(name)

    @property
    def short(self) -> str:
        """The authors and year: 'Böheim, Eppel & Mahringer (2023)'."""
        return self.citation.split("),")[0] + ")"


def _fail(where: str, problem: str) -> NoReturn:
    raise yamlfile.DataError(f"studies.yaml ({where}): {problem}")


def _published(row: Any, where: str, figures: dict) -> Published:
    if not isinstance(row, dict) or not {"figure", "measure", "label"} <= set(row):
        _fail(where, "a published result needs figure, measure and label")
    for key in (row["figure"], row.get("se")):
        if key is not None and key not in figures:
            _fail(where, f"no figure {key!r} in figures.csv")
    if row["measure"] not in (*MEASURES, "none"):
        _fail(where, f"unknown measure {row['measure']!r}; choose one of {', '.join(MEASURES)}")
    value = figures[row["figure"]].value
    se = figures[row["se"]].value if row.get("se") else None
    if "window" in row:
        low, high = (float(x) for x in row["window"])
    elif se is not None and "within_se" in row:
        low, high = value - row["within_se"] * se, value + row["within_se"] * se
    else:
        _fail(where, "the tolerance needs window: [low, high], or se with within_se")
    if not low <= value <= high:
        _fail(where, f"the tolerance {low:g} to {high:g} must hold the published value {value:g}")
    label = row["label"]
    return Published(
        row["figure"],
        row["measure"],
        value,
        se,
        (low, high),
        label["da"],
        label["en"],
        row.get("se"),
    )


def load_studies(text: str | None = None) -> dict[str, Study]:
    """The studies in data/studies.yaml (or ``text``), every number read from figures.csv."""
    path = files.data_path("studies.yaml")
    spec = yamlfile.parse(path.read_text("utf-8") if text is None else text, "studies.yaml")
    figures = catalogue.figures()
    studies = {}
    for key, body in spec.items():
        unknown = set(body) - STUDY_KEYS
        if unknown:
            _fail(key, f"unknown key(s) {', '.join(sorted(unknown))}")
        sources = {n: body[n] for n in NUMBERS if n in body}
        missing = set(NUMBERS) - set(sources) - {"worker_cost"}
        if missing:
            _fail(key, f"missing {', '.join(sorted(missing))}")
        for name, figure in sources.items():
            if figure not in figures:
                _fail(f"{key}.{name}", f"no figure {figure!r} in figures.csv")
        rows = tuple(
            _published(row, f"{key}.published.{i}", figures)
            for i, row in enumerate(body.get("published") or ())
        )
        studies[key] = Study(
            key,
            dict(body["name"]),
            body["citation"],
            body["url"],
            int(body["start_year"]),
            {n: figures[f].value for n, f in sources.items()},
            sources,
            rows,
        )
    return studies


@cache
def shipped_studies() -> dict[str, Study]:
    """The shipped studies (``load_studies()``), read once."""
    return load_studies()


def _exit_outcome(s: Scenario) -> Outcome:
    return next(o for o in s.outcomes if o.kind == "exit")


def transferred_effect(source: Outcome, target: Outcome, reading: str) -> float:
    """A preset's exit effect carried to the study's group (``target``'s base rate and deadweight):
    ``entered`` as it stands, ``moved`` as the effect that moves the same share of those who would
    stay; either held at the most the target group allows."""
    if reading == "entered":
        effect = source.effect
    elif reading == "moved":
        effect = target.effect_moving(source.moved_share())
    else:
        raise ValueError(f"unknown reading {reading!r}; choose one of {', '.join(READINGS)}")
    return min(effect, target.max_effect)


def scenario(study: Study, preset: str | Scenario, reading: str = "moved") -> Scenario:
    """The study as a case for the model, with ``preset``'s fitted exit effect (a preset's name or
    its scenario) at the preset's reference change and services share, and no services bought.

    A caseload above the field's range (the Austrian 250) is scaled down with the group, which
    keeps the ratio the dose reads, the extra caseworkers and every per-person measure."""
    ref = catalogue.load_case(preset) if isinstance(preset, str) else preset
    before = min(study.caseload_before, fields.field("scenario", "caseload_before").hi)
    scale = before / study.caseload_before
    price = Price(
        "Ydelse", "Benefit", amount=study.benefit_per_year * study.fx, kommune=1, region=0, stat=0
    )
    target = Outcome(
        key="unemployed",
        label_da="Ledig",
        label_en="Unemployed",
        kind="exit",
        base_rate=study.base_rate,
        effect=0.0,
        deadweight=_exit_outcome(ref).deadweight,
        duration_years=study.duration_years,
        other_benefit_share=study.other_benefit_share,
        prices=(price,),
    )
    outcome = dataclasses.replace(
        target, effect=transferred_effect(_exit_outcome(ref), target, reading)
    )
    horizon = int(study.horizon_years)
    values: dict[str, Any] = dict(
        cases=round(study.cases * scale),
        caseload_before=before,
        caseload_after=study.caseload_after * scale,
        overhead=study.overhead,
        start_year=study.start_year,
        horizon_years=horizon,
        programme_years=horizon,
        discount_rate=0.0,
        reference_caseload_before=ref.reference_caseload_before,
        reference_caseload_after=ref.reference_caseload_after,
        services_share=ref.services_share,
        reference_other_cost=ref.reference_other_cost,
        other_cost_per_year=0.0,
        max_dose=ref.max_dose,
        outcomes=(outcome,),
        case=f"{study.key}.{ref.case}.{reading}",
    )
    if "worker_cost" in study.numbers:
        values["worker_cost"] = study.worker_cost * study.fx
    return Scenario(**values)


# -- the model's measures, each per person in the study's sign (treated minus controls) ----------


def exits_first_year(r: model.Result, study: Study) -> float:
    """Extra exits in the first year, as a share of the group."""
    return float(r.paths.new_people[0, :, 0].sum() / r.scenario.cases)


def days_unemployed(r: model.Result, study: Study) -> float:
    """Days in unemployment over the horizon: minus the person-years out thanks to the change."""
    return -DAYS * float(r.paths.people[0].sum() / r.scenario.cases)


def benefit_days(r: model.Result, study: Study) -> float:
    """Days with benefits over the horizon: minus the person-years counted (those who leave for
    another benefit save nothing)."""
    return -DAYS * float(r.paths.counted[0].sum() / r.scenario.cases)


def benefits(r: model.Result, study: Study) -> float:
    """Benefits a person over the horizon, in the study's currency."""
    return -float(r.paths.savings_outcome[0].sum() / r.scenario.cases) / study.fx


def days_employed(r: model.Result, study: Study) -> float:
    """Days in work over the horizon: the model counts everyone it moves off benefits (after
    other benefits) as self-supporting; it has no state outside both work and benefits."""
    return DAYS * float(r.paths.counted[0].sum() / r.scenario.cases)


def payback_months(r: model.Result, study: Study | None = None) -> float | None:
    """Months until the cumulative net (undiscounted) reaches 0 and stays at or above it, each year
    spread as the mid-year convention reads it: costs evenly, savings with the people out of the
    costly state rising in a straight line from the year's start to its end. None if that does
    not happen within the horizon."""
    p, horizon = r.paths, r.scenario.horizon_years
    f = np.arange(1, PAYBACK_STEPS + 1) / PAYBACK_STEPS
    end = p.stock[0]  # (K, T)
    start = np.concatenate([np.zeros((end.shape[0], 1)), end[:, :-1]], axis=1)
    mid = (start + end) / 2
    rising = start[..., None] * f + (end - start)[..., None] * f**2 / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.where(mid[..., None] > 0, rising / mid[..., None], f)
    savings = (p.savings_outcome[0][..., None] * shape).sum(axis=0)  # (T, F) within each year
    before = np.concatenate([[0.0], np.cumsum(p.net[0])[:-1]])
    net = (before[:, None] + savings - p.cost[0][:, None] * f).ravel()
    months = ((np.arange(horizon)[:, None] + f) * 12).ravel()
    short = np.flatnonzero(net < 0)
    if short.size == 0:
        return 0.0
    if short[-1] == net.size - 1:
        return None
    return float(months[short[-1] + 1])


MEASURES: dict[str, Callable[[model.Result, Study], float | None]] = {
    "exits_first_year": exits_first_year,
    "days_unemployed": days_unemployed,
    "benefit_days": benefit_days,
    "benefits": benefits,
    "days_employed": days_employed,
    "payback_months": payback_months,
}


def verdict(predicted: float | None, band: tuple[float, float]) -> str:
    """'matches' within the tolerance (its ends included), else 'model_above' or 'model_below'.
    No prediction (a payback beyond the horizon) is above any band."""
    low, high = band
    if predicted is None or predicted > high:
        return "model_above"
    return "model_below" if predicted < low else "matches"


COLUMNS = (
    "study",
    "figure",
    "measure",
    "published",
    "se",
    "low",
    "high",
    "preset",
    "reading",
    "model",
    "verdict",
)


def compare(
    studies: dict[str, Study] | None = None, presets: tuple[str | Scenario, ...] = PRESETS
) -> pd.DataFrame:
    """Every published result beside the model's prediction with each preset's effect in each
    reading, and the verdict; a result the model has no measure for appears once, unjudged."""
    studies = shipped_studies() if studies is None else studies
    rows: list[tuple[Any, ...]] = []
    for study in studies.values():
        results = {
            (p if isinstance(p, str) else p.case, reading): model.evaluate(
                scenario(study, p, reading)
            )
            for p in presets
            for reading in READINGS
        }
        for pub in study.published:
            common = (study.key, pub.figure, pub.measure, pub.value, pub.se, *pub.band)
            if pub.measure == "none":
                rows.append((*common, None, None, math.nan, ""))
                continue
            for (name, reading), result in results.items():
                value = MEASURES[pub.measure](result, study)
                rows.append(
                    (
                        *common,
                        name,
                        reading,
                        math.nan if value is None else value,
                        verdict(value, pub.band),
                    )
                )
    return pd.DataFrame(rows, columns=COLUMNS)


@cache
def table() -> pd.DataFrame:
    """``compare()`` for the shipped studies and presets (what the page and docs show)."""
    return compare()


# -- evidence-based effect for an own case with none entered ------------------------------------


@dataclass(frozen=True)
class Source:
    """One source's effect per caseload change: ``per_log`` in 1 − (after/before)^per_log, the
    share of those who would otherwise stay that a change moves a year, and its log spread."""

    name: str
    kind: str  # "fitted" (a preset) or "randomised" (a study)
    per_log: float
    log_sd: float


def preset_source(name: str) -> Source:
    """A preset's caseload part of its fitted exit effect, per log unit of caseload change; drawn
    with the spread of a fitted figure (``uncertainty.spread_F``)."""
    s = catalogue.load_case(name)
    moved = _exit_outcome(s).moved_share()
    change = math.log(s.reference_caseload_before / s.reference_caseload_after)
    per_log = -math.log(1 - moved) * (1 - s.services_share) / change
    return Source(name, "fitted", per_log, catalogue.figure("uncertainty.spread_F").value)


def study_source(study: Study) -> Source | None:
    """A study's rise in first-year exits as a share of those who would stay, per log unit of
    caseload change, with its standard error (delta method); None without such a result."""
    pub = next((p for p in study.published if p.measure == "exits_first_year"), None)
    if pub is None or pub.se is None:
        return None
    stayers = 1 - study.base_rate
    moved = pub.value / stayers
    change = math.log(study.caseload_before / study.caseload_after)
    per_log = -math.log(1 - moved) / change
    se = pub.se / ((1 - moved) * stayers * change)
    return Source(study.key, "randomised", per_log, se / per_log)


@dataclass(frozen=True)
class Evidence:
    """An evidence-based effect per caseload change, pooled (DerSimonian–Laird, on the log scale)
    from the presets' fitted effects and the studies' measured ones; ``low`` and ``high`` are the
    5th and 95th percentiles of the effect in a new setting (between-source spread included)."""

    per_log: float
    low: float
    high: float
    tau: float  # between-source standard deviation of log(per_log)
    sources: tuple[Source, ...]

    def moved(self, before: float, after: float) -> tuple[float, float, float]:
        """(central, low, high) share of those who would stay moved a year at ``before → after``."""
        ratio = after / before
        return (1 - ratio**self.per_log, 1 - ratio**self.low, 1 - ratio**self.high)

    def effect(self, before: float, after: float, base_rate: float) -> tuple[float, float, float]:
        """(central, low, high) exit effect at ``before → after`` measured at that change (its own
        reference, no services): the relative rise in exits at ``base_rate``, held within the
        effect field's range (a rise of 500 % is its top, reached only at low base rates)."""
        most = fields.field("outcome", "effect").hi
        per_moved = (1 - base_rate) / base_rate
        central, low, high = (min(m * per_moved, most) for m in self.moved(before, after))
        return (central, low, high)

    def label(self, lang: str) -> str:
        """'Evidence-based effect: pooled from Aabenraa (fitted); …; Böheim, Eppel & Mahringer
        (2023) (randomised trial)'."""
        names = [
            i18n.t(
                f"external.{s.kind}",
                lang,
                name=catalogue.case(s.name).title[lang].split(":")[0]
                if s.kind == "fitted"
                else shipped_studies()[s.name].short,
            )
            for s in self.sources
        ]
        return i18n.t("external.evidence", lang, sources="; ".join(names))


def pool(sources: tuple[Source, ...]) -> Evidence:
    """Random-effects pooling of the sources' log effects (DerSimonian–Laird)."""
    y = np.log([s.per_log for s in sources])
    v = np.array([s.log_sd for s in sources]) ** 2
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    c = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / c) if c > 0 else 0.0
    ws = 1 / (v + tau2)
    mu = (ws * y).sum() / ws.sum()
    sd = math.sqrt(tau2 + 1 / ws.sum())
    return Evidence(
        math.exp(mu), math.exp(mu - Z90 * sd), math.exp(mu + Z90 * sd), math.sqrt(tau2), sources
    )


@cache
def evidence() -> Evidence:
    """The evidence-based exit effect per caseload change from the presets and the studies."""
    found = [preset_source(p) for p in PRESETS]
    found += [s for s in map(study_source, shipped_studies().values()) if s is not None]
    return pool(tuple(found))


# -- the table in docs/model.md ------------------------------------------------------------------


def shown(measure: str, value: float | None, lang: str = "en", signed: bool = True) -> str:
    """A measure's value as the tables show it: shares in percentage points, months with one
    decimal, days and euros whole, a difference with its sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—" if measure == "none" else i18n.t("external.never", lang)
    digits = 1 if measure in ("exits_first_year", "payback_months") else 0
    number = i18n.number(abs(value) * (100 if measure == "exits_first_year" else 1), lang, digits)
    sign = "−" if value < 0 else "+"
    if not signed or measure == "payback_months" or round(abs(value), 4) == 0:
        sign = ""
    unit = " " + i18n.t("external.pp", lang) if measure == "exits_first_year" else ""
    return sign + number + unit


def markdown(rows: pd.DataFrame | None = None) -> str:
    """The predicted-versus-published table of docs/model.md (English)."""
    rows = table() if rows is None else rows
    studies = shipped_studies()
    names = {p: catalogue.case(p).title["en"].split(":")[0] for p in PRESETS}
    cols = [(p, r) for r in READINGS for p in PRESETS]
    head = " | ".join(f"{names[p]}, {r}" for p, r in cols)
    out = [
        f"| study | result | published | tolerance | {head} |",
        "|---|---|---|---|" + "---|" * len(cols),
    ]
    for (key, figure), group in rows.groupby(["study", "figure"], sort=False):
        first = group.iloc[0]
        pub = next(p for p in studies[key].published if p.figure == figure)
        low, high = (shown(first.measure, v) for v in (first.low, first.high))
        tolerance = (
            i18n.t("external.not_compared", "en")
            if first.measure == "none"
            else i18n.t("external.band", "en", low=low, high=high)
        )
        cells = []
        for p, r in cols:
            hit = group[(group.preset == p) & (group.reading == r)]
            cells.append(
                "—"
                if hit.empty
                else f"{shown(first.measure, hit.iloc[0].model)}, "
                f"{i18n.t(f'external.{hit.iloc[0].verdict}', 'en')}"
            )
        published = shown(first.measure, first.published)
        if not math.isnan(first.se):
            published += f" (s.e. {shown(first.measure, first.se, signed=False)})"
        out.append(
            f"| {studies[key].short} | {pub.label_en} | {published} | {tolerance} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(out)


def evidence_markdown(e: Evidence | None = None) -> str:
    """The evidence-based effect's sources and pooled value, as docs/model.md shows them."""
    e = evidence() if e is None else e
    kinds = {"fitted": "fitted preset", "randomised": "randomised trial"}
    out = [
        "| source | kind | effect per log unit of caseload change | spread (s.d. of its log) |",
        "|---|---|---|---|",
    ]
    for s in e.sources:
        name = (
            catalogue.case(s.name).title["en"].split(":")[0]
            if s.kind == "fitted"
            else shipped_studies()[s.name].short
        )
        out.append(f"| {name} | {kinds[s.kind]} | {s.per_log:.3f} | {s.log_sd:.2f} |")
    central, low, high = (100 * m for m in e.moved(2, 1))
    out += [
        f"| pooled (DerSimonian–Laird) | evidence-based | {e.per_log:.3f} "
        f"(90 %: {e.low:.3f} to {e.high:.3f}) | between sources {e.tau:.2f} |",
        f"| halving a caseload | moves a year, of those who would stay | {central:.1f} % "
        f"(90 %: {low:.1f} % to {high:.1f} %) | |",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), evidence_markdown(), sep="\n\n")
