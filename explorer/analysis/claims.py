"""Debate claims (data/claims.yaml) and verdicts computed from the model, the sources and the fit.

A claim quotes its seed's exact words and is split into parts, each testing some of those words.
A *documents* part compares the claim's number with a documented figure (or notes that it was not
found); it is shown beside the verdict, never counted in it. A *model* part runs a check on a
scenario: the verdict is the model's answer under the reader's settings, from the model parts only
(a claim without one *cannot be checked*, and says why). If the scenario is the case preset itself
in every lever the check reads (the inputs its fit used) and the preset was fitted to the very
result the check would reproduce, the part is *consistent by construction*, and it names what,
beside the fit, turns it. Each check declares the levers it reads (``READS``: a check on calendar
years reads the horizon and the programme's years only up to its last year); a lever outside them
never changes its answer. Under any other settings, and for every other part, the check runs on
Monte Carlo draws, weighted by the documented results (``uncertainty``), and the weighted share of
draws that support it gives *holds* (at least 9 in 10), *contradicted* (at most 1 in 10) or
*depends on assumptions* (the inputs whose plausible range turns the answer are named). A part
whose check reads a fitted figure or an assumption names it (``Rest``). A check reads a quantity
calibration has a rule for by that rule (``calibration.parts_of``), and takes one perspective:
society's gain counts no transfers. A claim of "always" or "100 per cent" (strict)
holds only in 99 draws in 100; if more than half but fewer than 99 in 100 support it, it *holds in
most draws, not always*, and the part says what the draws against it have in common (weak savings,
a harmful effect). The claim's verdict follows from its parts' statuses by fixed rules
(``combine``). Amounts a claim states in an earlier year's kroner are converted to the price year
before they are compared with the model. A vague word (»rigeligt«) is read through an explicit,
adjustable *reading* (claims.yaml's ``readings``), an assumption the page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from explorer import catalogue
from explorer.analysis import calibration, financing, uncertainty
from explorer.catalogue.reader import Documented
from explorer.data import files, i18n, numbers, pages, yamlfile
from explorer.data.figures import PRICE_YEAR_KEY, CatalogueError, convert, price_index
from explorer.model import engine, fields
from explorer.model.results import Run
from explorer.model.scenario import Scenario

VERDICTS = (
    "holds",
    "mostly",
    "holds_in_part",
    "depends",
    "by_construction",
    "contradicted",
    "cannot_check",
)
#: The pages a claim may send the reader to (claims.yaml's ``page``).
PAGES = tuple(p.name for p in pages.PAGES if p.claim_target)
DRAWS = 2_000
HOLDS, CONTRADICTED = 0.9, 0.1
#: A claim of 'always' or '100 per cent' holds only if (nearly) every draw supports it; if more
#: than half do (``MOST``), it holds in most draws, not always.
STRICT, MOST = 0.99, 0.5


# -- evaluations: a scenario's results as arrays over one point or many draws ---------------------
@dataclass(frozen=True)
class Evaluation(Run):
    """A run with financing terms per row (for the bond checks); ``of(scenario, batch, terms)``.
    ``weights``: the draws' weights by the documented results (``uncertainty.simulate``); None
    counts every row alike."""

    terms: dict[str, np.ndarray]
    weights: np.ndarray | None = None

    @classmethod
    def point(cls, scenario: Scenario) -> Evaluation:
        return cls.of(scenario, engine.Batch.of([scenario]), _default_terms(1))

    @classmethod
    def draws(cls, scenario: Scenario, n: int = DRAWS, seed: int = 0) -> Evaluation:
        sim = uncertainty.simulate(scenario, n, seed)
        rng = np.random.default_rng(seed + 1)
        z = {name: rng.standard_normal(n) for name, _ in uncertainty.TERM_DRAWS}
        terms = uncertainty.term_draws(z, uncertainty.default_spreads().as_dict())
        return cls(scenario, sim.batch, sim.paths, sim.kpis, terms, sim.weights)


def _default_terms(n: int) -> dict[str, np.ndarray]:
    terms = financing.default_terms()
    return {name: np.full(n, getattr(terms, name)) for name, _ in uncertainty.TERM_DRAWS}


@dataclass(frozen=True)
class Statistic:
    """A check's numbers (value, format) per draw and whether each draw supports the part."""

    values: dict[str, tuple[np.ndarray, str]]
    supports: np.ndarray


def _years(ev: Evaluation, first: int, last: int) -> np.ndarray:
    years = ev.scenario.start_year + np.arange(ev.scenario.horizon_years)
    return (years >= first) & (years <= last)


def state_fall(ev: Evaluation, share: float, first: int, last: int) -> Statistic:
    """The fall the programme brings in the person-years in the costly state (first outcome) over
    the calendar years first..last, as a share of those without it, is ``share`` or more."""
    pick = _years(ev, first, last)
    without = ev.paths.without[:, 0, pick].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        fall = np.where(without > 0, ev.paths.people[:, 0, pick].sum(axis=1) / without, 0.0)
    return Statistic({"fall": (fall, "share")}, fall >= share - 1e-9)


def _first_exit(ev: Evaluation) -> int:
    exits = np.flatnonzero(ev.batch.exits)
    if not len(exits):
        raise ValueError(f"case {ev.scenario.case!r} has no exit outcome")
    return int(exits[0])


def savings_over_years(ev: Evaluation, first: int, last: int, amount: float = 0.0) -> Statistic:
    """The programme's budget savings over the calendar years first..last (undiscounted, before
    what it costs) above ``amount``: what the seeds' sources count as 'saved' (the public
    budgets', never a wider gain, so the wider-gains switch does not move it)."""
    pick = _years(ev, first, last)
    savings = ev.paths.savings_payer[:, :, pick].sum(axis=(1, 2))
    return Statistic({"savings": (savings, "millions")}, savings > amount)


def _cohort_row(ev: Evaluation) -> Documented:
    """The case's documented count of its starting group still on the benefit a year later, or a
    row of that measure (twelve months) if the case documents none."""
    case = catalogue.case(ev.scenario.case)
    rows = [r for r in case.documented if r.measure == "cohort_after" and r.months == 12]
    return rows[0] if rows else Documented("", "cohort_after", months=12)


def group_fall(ev: Evaluation, share: float) -> Statistic:
    """The programme moved at least ``share`` of the starting group off the benefit in a year,
    beyond its own exits anyway: calibration's rule for a cohort count (``parts_of``), the one
    the fit uses, so the check and the fit read the same number."""
    without, programme = calibration.parts_of(ev, _cohort_row(ev))
    moved = -programme
    cases = ev.batch.scalars["cases"]
    return Statistic(
        {
            "moved": (moved, "count"),
            "share": (moved / cases, "share"),
            "anyway": (cases - without, "count"),
            "left": (cases - without + moved, "count"),
        },
        moved >= share * cases - 1e-9,
    )


def _calendar(ev: Evaluation, index: np.ndarray, first: int, last: int) -> Statistic:
    """A year index per draw (NaN: never) as a calendar year, and whether it is in first..last."""
    year = ev.scenario.start_year + index
    inside = ~np.isnan(year) & (np.nan_to_num(year) >= first) & (np.nan_to_num(year) <= last)
    return Statistic({"year": (year, "year")}, inside)


def kommune_yearly_net_turns(ev: Evaluation, first: int, last: int) -> Statistic:
    """The first year the kommune's yearly net (savings minus cost) is above zero."""
    positive = ev.paths.net_kommune > 0
    index = np.where(positive.any(axis=1), positive.argmax(axis=1), np.nan)
    return _calendar(ev, index.astype(float), first, last)


def kommune_pays_back_in(ev: Evaluation, first: int, last: int) -> Statistic:
    """The kommune's payback year: from it on, its cumulative net stays at or above zero."""
    return _calendar(ev, ev.kpis["payback_year_kommune"].astype(float), first, last)


def outside_share(ev: Evaluation, at_least: float) -> Statistic:
    payer = ev.paths.savings_payer.sum(axis=2)  # (n, 3)
    total = payer.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        outside = np.where(total > 0, (payer[:, 1] + payer[:, 2]) / total, 0.0)
    return Statistic({"share": (outside, "share")}, outside >= at_least - 1e-9)


def society_saving_per_person(ev: Evaluation, years: int, amount: float) -> Statistic:
    """Society's gain over ``years`` per person moved off the benefit (first exit outcome),
    against ``amount`` (in the price year). One perspective, society's: the wider gain per
    person-year (income and taxes, KORA) over the person-years the case's duration keeps a person
    off. The benefit saved is a transfer from one pocket to another, so it is not counted."""
    k = _first_exit(ev)
    stays = 1 - 1 / ev.batch.outcome["duration_years"][:, k]
    person_years = np.sum([stays**t for t in range(years)], axis=0)
    keep = 1 - ev.batch.scalars["optimism_bias"]
    society = person_years * ev.batch.wider[:, k] * keep
    return Statistic(
        {"society": (society, "money"), "person_years": (person_years, "number")},
        society >= amount,
    )


def success_share(ev: Evaluation, one_in: int) -> Statistic:
    cost_per_case = ev.paths.cost.sum(axis=1) / ev.batch.scalars["cases"]
    gain = catalogue.figure("claims.casa_gain_per_case").in_prices
    needed = cost_per_case / gain
    return Statistic(
        {
            "cost": (cost_per_case, "money"),
            "gain": (np.full_like(needed, gain), "millions"),
            "needed": (needed, "share"),
        },
        needed <= 1 / one_in,
    )


def contract_shares(ev: Evaluation) -> tuple[np.ndarray, float]:
    """The share of its savings each draw's contract pays the investor, one an investor signs,
    and the share the investor needs.

    At the point values it is the share an investor needs to get its capital back plus its
    documented return at the preset's documented effect (``financing.participation``), judged
    before the result and capped at all the savings ('only part of the saving achieved'). Where
    in the contracts an investor signs and the seed allows (from that share to all the savings) a
    real contract would land is not documented: the draws move the share there with the spread
    of an assumption (the drawn share's step from the assumed one), so a verdict that turns on
    it is 'depends' and names the share."""
    terms = financing.default_terms()
    signed = financing.participation(ev.scenario, terms)
    moved = ev.terms["bond_outcome_share"] - terms.bond_outcome_share
    return np.clip(signed.share + moved, signed.share, 1.0), signed.needed


def _bond(ev: Evaluation) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict]:
    """The kommune's present value under the bond, the price of the finance, what it pays the
    investor and its own savings in the contract years (undiscounted), per draw, and the
    contract's share and the share the investor needs (as a check's values).

    The contract an investor signs (``contract_shares``), fixed before the result: each draw
    meets the trigger or not by its own measured reduction and pays the share of its own
    realised savings, up to its drawn cap."""
    shares, needed = contract_shares(ev)
    b = financing.contract(
        ev.paths, financing.default_terms(), {**ev.terms, "bond_outcome_share": shares}
    )
    own = (ev.paths.net_kommune * ev.paths.discount).sum(axis=1)
    bond = financing.kommune_pv(ev.paths, b)
    terms = {
        "contract_share": (shares, "bond_share"),
        "needed": (np.full_like(shares, needed), "bond_share"),
    }
    return bond, own - bond, b.paid.sum(axis=1), b.realised.sum(axis=1), terms


def bond_costs_more(ev: Evaluation) -> Statistic:
    _, price, _, _, terms = _bond(ev)
    return Statistic({"compared": (price, "against_self"), **terms}, price > 0)


def kommune_never_loses(ev: Evaluation) -> Statistic:
    bond, _, _, _, terms = _bond(ev)
    return Statistic({"kommune": (bond, "millions"), **terms}, bond >= -1e-6)


def kommune_pays_part(ev: Evaluation) -> Statistic:
    """Under the bond the kommune pays the investor less than it saves in the contract years
    (undiscounted), or nothing: 'only part of the saving achieved, and only once it is'."""
    _, _, paid, saved, terms = _bond(ev)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(saved > 0, paid / saved, np.where(paid > 0, np.nan, 0.0))
    return Statistic(
        {
            "paid": (paid, "millions"),
            "saved": (saved, "millions"),
            "share": (share, "share"),
            **terms,
        },
        (paid <= 0) | (paid < saved * (1 - 1e-9)),
    )


def pays_back(ev: Evaluation) -> Statistic:
    return Statistic({"npv": (ev.kpis["npv"], "millions")}, ev.kpis["npv"] >= 0)


def returns_times(ev: Evaluation, times: float) -> Statistic:
    """The benefit-cost ratio (present value of savings over that of the cost) is ``times`` or
    more."""
    ratio = ev.kpis["benefit_cost_ratio"]
    return Statistic({"ratio": (ratio, "number")}, np.nan_to_num(ratio, nan=-np.inf) >= times)


CHECKS: dict[str, Callable[..., Statistic]] = {
    f.__name__: f
    for f in (
        savings_over_years,
        state_fall,
        group_fall,
        kommune_yearly_net_turns,
        kommune_pays_back_in,
        outside_share,
        society_saving_per_person,
        success_share,
        bond_costs_more,
        kommune_never_loses,
        kommune_pays_part,
        pays_back,
        returns_times,
    )
}
#: Arguments that are amounts of money: a part's ``price_year`` converts them to the price year.
MONEY_ARGS = ("amount",)
#: The levers of a scenario (the rest are facts of the case, always read).
LEVERS = tuple(n for n, f in fields.group("scenario").items() if f.role == "lever")
#: Levers that set how many calendar years a run has, or has the programme, from its start.
YEAR_LEVERS = ("horizon_years", "programme_years")


@dataclass(frozen=True)
class Reads:
    """The levers a check reads; a lever outside them never changes its answer, nor makes a part
    at the preset's fitted inputs anything but "consistent by construction".

    ``window``: the check reads only the calendar years up to its ``last`` argument (the run's first
    year if it has none), so the horizon and the programme's years count only where they end
    before that year. The dose cap (``max_dose``) counts only where it caps the scenario's dose.
    """

    levers: frozenset[str]
    window: bool = False

    def seen(self, scenario: Scenario, args: Mapping[str, Any]) -> dict[str, float]:
        """The levers as the check sees them at ``scenario``: the ones it reads, a year lever cut
        to the check's window, the dose cap cut to the dose."""
        years = int(args.get("last", scenario.start_year)) - scenario.start_year + 1
        dose = engine.log_dose(
            scenario.caseload_before,
            scenario.caseload_after,
            scenario.reference_caseload_before,
            scenario.reference_caseload_after,
        )
        out = {}
        for name in self.levers:
            value = getattr(scenario, name)
            if self.window and name in YEAR_LEVERS:
                value = min(value, max(years, 0))
            elif name == "max_dose":
                value = min(value, float(dose))
            out[name] = value
        return out


def _reads(*, but: Iterable[str] = (), only: Iterable[str] | None = None, window=False) -> Reads:
    levers = set(LEVERS if only is None else only) - set(but)
    return Reads(frozenset(levers | (set(YEAR_LEVERS) if window else set())), window)


#: What moves the people a programme moves (and so its savings).
_PEOPLE = (
    "caseload_after",
    "effect_scale",
    "phase_in_years",
    "staffing_ramp",
    "other_cost_per_year",  # the services' part of the effect
    "max_dose",
)
_PAY = ("discount_rate", "worker_cost", "overhead", "one_off_cost")
#: The levers each check reads (a check not named here reads every lever). Undiscounted sums
#: ignore the discount rate, and a sum over calendar years the years after it; a share of a fall
#: ignores what it costs; a break-even share ignores the effect it asks about; a per-person gain
#: reads only the duration and the bias.
READS: dict[str, Reads] = {
    "savings_over_years": _reads(only={*_PEOPLE, "optimism_bias"}, window=True),
    "state_fall": _reads(only=_PEOPLE, window=True),
    "group_fall": _reads(only=_PEOPLE, window=True),
    "kommune_yearly_net_turns": _reads(but={"discount_rate"}),
    "kommune_pays_back_in": _reads(but={"discount_rate"}),
    "outside_share": _reads(but=_PAY),
    "society_saving_per_person": _reads(only={"optimism_bias"}),
    "success_share": _reads(but={"effect_scale", "discount_rate", "phase_in_years"}),
}


def reads(check: str) -> Reads:
    """The levers ``check`` reads (``READS``; every lever if it names none)."""
    return READS.get(check, _reads())


# -- claims ---------------------------------------------------------------------------------------
ARG_FORMATS = {
    "first": "year",
    "last": "year",
    "share": "share",
    "at_least": "share",
    "years": "number",
    "one_in": "number",
    "times": "number",
    "amount": "money",
}


def _show(value: float, fmt: str, lang: str) -> str:
    """A check's number in words: 'millions', 'money', 'count', 'share', 'year' or 'number'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return i18n.t("never", lang) if fmt == "year" else "—"
    if fmt == "millions":
        return i18n.millions(value, lang)
    if fmt == "against_self":
        return i18n.against_self(value, lang)
    if fmt == "money":
        return i18n.dkk(value, lang)
    if fmt == "share":
        return i18n.percent(value, lang)
    if fmt == "bond_share":  # as the who-pays page shows a contract's share: '79,5 %', '80 %'
        return numbers.text(value, "share", lang)
    if fmt == "year":
        return str(int(value))
    if fmt == "count":
        return i18n.number(value, lang)
    return i18n.short(value, lang, 1)


@dataclass(frozen=True)
class Reading:
    """How a vague word of a seed is read as a number (an assumption without a source), and the
    range a reader may move it in: »rigeligt« as savings of at least 1.5 times the cost."""

    name: str
    value: float
    lo: float
    hi: float
    step: float
    format: str  # "multiplier" (times the cost) or "share"
    label: dict[str, str]
    note: dict[str, str]

    def field(self) -> fields.Field:
        """The reading as a field, for a lever on the claims page."""
        return fields.Field(
            self.name,
            "reading",
            fields.Unit(self.name, "", "", self.format),
            self.lo,
            self.hi,
            self.step,
            False,
            self.label,
            self.note,
            self.value,
        )


@dataclass(frozen=True)
class Part:
    kind: str  # "documents" or "model"
    says: dict[str, str]
    figure: str | None = None
    at_least: float | None = None
    at_most: float | None = None
    note: dict[str, str] | None = None
    check: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    scenario: dict[str, Any] | None = None
    rests_on: tuple[str, ...] = ()
    show: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # note placeholder: figure, format
    price_year: int | None = None  # the year of the kroner in the money args (MONEY_ARGS)
    words: str | None = None  # the seed's words this part tests (a piece of the claim's quote)
    #: what of the part's test comes from the same source as the claim (a partly circular check)
    circular: dict[str, str] | None = None

    def readings(self) -> tuple[str, ...]:
        """The readings (claims.yaml's ``readings``) the part's arguments name."""
        return tuple(v for v in self.args.values() if isinstance(v, str))

    def check_args(self, readings: Mapping[str, float] | None = None) -> dict[str, Any]:
        """The check's arguments: a reading's name replaced by its value (``readings`` overrides
        the default), amounts converted from ``price_year`` to the price year."""
        chosen = {r.name: r.value for r in all_readings()} | dict(readings or {})
        args = {k: chosen[v] if isinstance(v, str) else v for k, v in self.args.items()}
        if self.price_year is None:
            return args
        figures = catalogue.figures()
        to, index = int(figures[PRICE_YEAR_KEY].value), price_index(figures)
        return {
            k: convert(v, self.price_year, to, index) if k in MONEY_ARGS else v
            for k, v in args.items()
        }

    def args_shown(self, lang: str, readings: Mapping[str, float] | None = None) -> dict[str, str]:
        shown = {
            k: _show(v, ARG_FORMATS.get(k, "number"), lang)
            for k, v in self.check_args(readings).items()
        }
        shown["now"] = str(int(catalogue.figure(PRICE_YEAR_KEY).value))
        if self.price_year is not None:
            shown |= {
                f"{k}_then": _show(v, "money", lang)
                for k, v in self.args.items()
                if k in MONEY_ARGS
            }
            shown["then"] = str(self.price_year)
        return shown


def _note_values(part: Part, lang: str) -> dict[str, str]:
    return {
        name: _show(catalogue.figure(key).in_prices, fmt, lang)
        for name, (key, fmt) in part.show.items()
    }


def input_label(scenario: Scenario, name: str, lang: str) -> str:
    """What an uncertain input is, in words: 'Løn pr. sagsbehandler', 'Institutionsanbringelser:
    Effekt ved referenceændringen'."""

    key, _, attr = name.partition(".")
    if not attr:
        return fields.field("scenario", key).label[lang]
    if key == "terms":
        return fields.field("terms", attr).label[lang]
    outcome = scenario.outcome(key).label(lang)
    if attr in ("price", "wider"):
        return f"{outcome}: {i18n.t(f'input.{attr}', lang)}"
    return f"{outcome}: {fields.field('outcome', attr).label[lang]}"


@dataclass(frozen=True)
class Claim:
    id: str
    claim: dict[str, str]
    said_by: str
    where: dict[str, str]  # outlet and title
    when: dict[str, str]  # date, or what dates it
    url: str | None  # where the piece is public, if found
    page: str
    parts: tuple[Part, ...]
    scenario: dict[str, Any] | None = None
    universal: bool = False
    strict: bool = False  # "always", "100 per cent": holds only in (nearly) every draw
    sources: tuple[str, ...] = ()
    quote: tuple[str, ...] = ()  # the seed's exact words (Danish), one or more passages
    because: dict[str, str] | None = None  # why the model cannot check it (no model part)

    def readings(self) -> list[Reading]:
        """The readings the claim's parts use."""
        names = {n for p in self.parts for n in p.readings()}
        return [r for r in all_readings() if r.name in names]

    @property
    def case(self) -> str | None:
        return (self.scenario or {}).get("case")

    def cases(self) -> list[str]:
        """Every case the claim's model parts run on."""
        found = [
            (p.scenario or self.scenario or {}).get("case") for p in self.parts if p.kind == "model"
        ]
        return list(dict.fromkeys(c for c in found if c))

    def evidence(self) -> list[str]:
        """The figure keys the claim's parts cite."""
        keys = (
            list(self.sources)
            + [p.figure for p in self.parts if p.figure]
            + [k for p in self.parts for k in p.rests_on]
        )
        return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class Context:
    id: str
    says: dict[str, str]
    figure: str
    compare: dict[str, str] | None = None


@dataclass(frozen=True)
class Unchecked:
    """A claim from the debate that is neither checked nor a sourced figure, and why not."""

    id: str
    says: dict[str, str]
    said_by: str
    where: dict[str, str]
    when: dict[str, str]
    url: str | None
    because: dict[str, str]


@dataclass(frozen=True)
class PartAnswer:
    part: Part
    scenario: Scenario | None
    status: str  # a verdict (not holds_in_part)
    share: float | None  # share of draws that support it (model parts)
    values: dict[str, tuple[float, str]]
    supports_here: bool | None  # at the point values (the reader's settings)
    turns_on: tuple[str, ...] = ()  # inputs whose range turns the answer
    against: dict[str, float] | None = None  # what the draws against it have in common
    draws: int | None = None  # how many draws ``share`` rests on
    readings: dict[str, float] = field(default_factory=dict)  # readings that differ from default
    #: the fitted figures and assumptions among the inputs the check reads (``Rest``)
    rests: tuple[Rest, ...] = ()

    def text(self, lang: str) -> str:
        """The part's answer in words: the numbers at the point values, and the draws."""
        part = self.part
        shown = {k: _show(v, fmt, lang) for k, (v, fmt) in self.values.items()}
        if part.kind == "documents":
            if part.figure is None:
                return part.note[lang].format(**_note_values(part, lang)) if part.note else ""
            fig = catalogue.figure(part.figure)
            value = (
                _show(fig.value, "money", lang)
                if fig.is_money
                else f"{_show(fig.value, 'count', lang)} {fig.unit_in(lang)}"
            )
            return i18n.t("claim.documented", lang, value=value, year=fig.year)
        args = part.args_shown(lang, self.readings)
        if "first" in args and "last" in args:  # '2016', or '2013–2015'
            first, last = args["first"], args["last"]
            args["span"] = first if first == last else f"{first}–{last}"
        words = [i18n.t(f"check.{part.check}", lang, **{**args, **shown})]
        if self.status == "by_construction":
            words.append(i18n.t("claim.fitted", lang))
            if self.supports_here is False:
                words.append(i18n.t("claim.fitted_not_here", lang))
        elif self.share is not None:
            words.append(
                i18n.t(
                    "claim.draws",
                    lang,
                    share=i18n.percent(self.share, lang),
                    draws=i18n.number(self.draws or DRAWS, lang),
                )
            )
        if self.against:
            a = self.against
            shown = {k: i18n.percent(v, lang) for k, v in a.items()}
            words.append(
                i18n.t("claim.against" if "most" in a else "claim.against_none", lang, **shown)
            )
        if self.rests and self.scenario is not None and self.status != "by_construction":
            words.append(self._rests_text(self.scenario, lang))
        if part.circular:
            words.append(part.circular[lang])
        if self.turns_on and self.scenario is not None:
            beside = self.status == "by_construction"
            grades = (
                {i.name: i.grade for i in uncertainty.uncertain_inputs(self.scenario)}
                if beside
                else {}
            )
            names = [
                input_label(self.scenario, n, lang)
                + (f" ({i18n.t('claim.grade', lang, grade=grades[n])})" if n in grades else "")
                for n in self.turns_on
            ]
            key = "claim.beside_fit" if beside else "claim.turns_on"
            words.append(i18n.t(key, lang, inputs=", ".join(names)))
        return " ".join(words)

    def _rests_text(self, scenario: Scenario, lang: str) -> str:
        """What the answer rests on that no measurement settles, and whether it turns it."""
        words = [
            i18n.t(
                "claim.rests", lang, inputs="; ".join(r.text(scenario, lang) for r in self.rests)
            )
        ]
        if self.status == "depends":
            return words[0]  # the inputs that turn it are named after
        turning = [input_label(scenario, r.name, lang) for r in self.rests if r.turns]
        if turning:
            words.append(i18n.t("claim.rests_turn", lang, inputs=", ".join(turning)))
        else:
            words.append(i18n.t("claim.rests_hold", lang))
        return " ".join(words)


@dataclass(frozen=True)
class Answer:
    """The model's verdict and every part's answer; the documents parts are shown beside the
    verdict, not counted in it."""

    claim: Claim
    verdict: str
    parts: tuple[PartAnswer, ...]

    @property
    def model_parts(self) -> tuple[PartAnswer, ...]:
        return tuple(p for p in self.parts if p.part.kind == "model")

    @property
    def by_construction(self) -> tuple[PartAnswer, ...]:
        """The model parts the model was fitted to reproduce: not counted in a verdict that other
        parts decide (``combine``), and shown as such."""
        return tuple(p for p in self.model_parts if p.status == "by_construction")

    @property
    def documents(self) -> tuple[PartAnswer, ...]:
        """What the documents report, beside the verdict."""
        return tuple(p for p in self.parts if p.part.kind == "documents")


def combine(statuses: list[str], universal: bool = False) -> str:
    """A claim's verdict from its model parts' statuses (none: it cannot be checked)."""
    s = set(statuses)
    if not s:
        return "cannot_check"
    if universal and s != {"holds"}:
        return "contradicted" if s & {"contradicted", "depends"} else combine(statuses)
    if s == {"holds"}:
        return "holds"
    if s <= {"holds", "mostly"}:
        return "mostly"
    if s & {"holds", "mostly"}:
        return "holds_in_part"
    if s == {"contradicted"}:
        return "contradicted"
    if "depends" in s:
        return "depends"
    if "contradicted" in s:
        return "contradicted"
    if "by_construction" in s:
        return "by_construction"
    return "cannot_check"


def scenario_of(spec: dict[str, Any] | None) -> Scenario | None:
    """A scenario from {case: NAME, field: value, ...}."""
    if not spec:
        return None
    spec = dict(spec)
    return catalogue.load_case(spec.pop("case")).replace(**spec)


def _document(part: Part) -> PartAnswer:
    if part.figure is None:
        return PartAnswer(part, None, "cannot_check", None, {}, None)
    value = catalogue.figure(part.figure).value
    ok = (part.at_least is None or value >= part.at_least) and (
        part.at_most is None or value <= part.at_most
    )
    return PartAnswer(
        part, None, "holds" if ok else "contradicted", None, {"value": (value, "count")}, ok
    )


def _sensitivity(
    part: Part, scenario: Scenario, point: Statistic, args: dict[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The uncertain inputs (and financing terms) the check reads, and those that turn its answer,
    each moved one spread down and up from the point values (the others held)."""
    spreads = uncertainty.default_spreads().as_dict()
    inputs = uncertainty.uncertain_inputs(scenario)
    names = [item.name for item in inputs] + [f"terms.{name}" for name, _ in uncertainty.TERM_DRAWS]
    n = 2 * len(names)
    batch = engine.Batch.of([scenario]).grow(n)
    zs = {}
    for i, name in enumerate(names):
        z = np.zeros(n)
        z[2 * i], z[2 * i + 1] = -1.0, 1.0
        zs[name] = z
    for item in inputs:
        scale = uncertainty.value_scale(scenario, item.name) if item.draw == "step" else 1.0
        batch = item.apply(
            batch, uncertainty.factors(item.draw, zs[item.name], spreads[item.grade], scale)
        )
    terms = uncertainty.term_draws(
        {name: zs[f"terms.{name}"] for name, _ in uncertainty.TERM_DRAWS}, spreads
    )
    stat = CHECKS[str(part.check)](Evaluation.of(scenario, batch, terms), **args)
    here = bool(point.supports[0])
    moves = np.zeros(n, dtype=bool)
    for key, (values, _) in stat.values.items():
        at = point.values[key][0][0]
        moves |= ~np.isclose(values, at, rtol=1e-9, atol=1e-9, equal_nan=True)
    flips = stat.supports != here
    pick = lambda hit: tuple(name for i, name in enumerate(names) if hit[2 * i] or hit[2 * i + 1])
    return pick(moves | flips), pick(flips)


def _turning_inputs(
    part: Part, scenario: Scenario, here: bool, args: dict[str, Any]
) -> tuple[str, ...]:
    """Inputs (and financing terms) that turn the answer when moved one spread down or up."""
    point = CHECKS[str(part.check)](Evaluation.point(scenario), **args)
    return _sensitivity(part, scenario, point, args)[1]


@dataclass(frozen=True)
class Rest:
    """An input a part's answer rests on that no measurement settles: a fitted figure (grade F,
    and the documented results it was fitted to) or an assumption (grade A)."""

    name: str  # the input ("institution.effect")
    figure: str  # its figure key
    grade: str  # "F" or "A"
    turns: bool  # moved one spread down or up, it turns the answer

    def text(self, scenario: Scenario, lang: str) -> str:
        label = input_label(scenario, self.name, lang)
        fig = catalogue.figure(self.figure)
        if self.grade == "F":
            case = catalogue.case(scenario.case)
            labels = {r.figure: (r.label or {}).get(lang) for r in case.documented}
            targets = [labels.get(k) or catalogue.figure(k).note_in(lang) for k in fig.fitted_to]
            return i18n.t("claim.rest_fitted", lang, label=label, targets="; ".join(targets))
        value = i18n.quantity(
            _show(fig.in_prices, "number", lang), fig.in_prices, fig.unit_in(lang), lang
        )
        return i18n.t("claim.rest_assumed", lang, label=label, value=value)


RESTING_GRADES = ("F", "A")


def _rests(
    scenario: Scenario, read: Iterable[str], flips: Iterable[str], fitted: Iterable[str] = ()
) -> tuple[Rest, ...]:
    """The fitted figures and assumptions among the inputs a check reads (``_sensitivity``);
    ``fitted``: the results a part at the preset reproduces (its fitted figure is then the
    construction itself, not a rest)."""
    inputs = {i.name: i for i in uncertainty.uncertain_inputs(scenario)}
    targets = set(fitted)
    out = []
    figures = catalogue.figures()
    for name in read:
        item = inputs.get(name)
        if item is None or item.grade not in RESTING_GRADES or item.source not in figures:
            continue
        if targets and set(catalogue.figure(item.source).fitted_to) & targets:
            continue
        out.append(Rest(name, item.source, item.grade, name in set(flips)))
    return tuple(out)


def fitted_to(scenario: Scenario, part: Part | None = None) -> set[str]:
    """The documented figures this scenario's answers were fitted to: its preset's targets as
    long as it still uses what was fitted to them (the fitted figures, at the preset's effect
    scale), whatever else moved, else none. A lever moved around a fit still restates the fit
    (regression: Herning at a caseload of 23.5 instead of 24 confirmed KORA's savings, which its
    effect was fitted to, in 100 % of draws weighted by them); another fitted value or effect
    scale is another model of the programme, and is checked. With ``part``: none either where a
    year lever cuts the years its check reads (a horizon shorter than the result's window)."""
    case = catalogue.preset(scenario.case)
    if case is None or scenario.effect_scale != case.scenario.effect_scale:
        return set()
    if part is not None:
        read, args = reads(str(part.check)), part.check_args()
        seen, was = read.seen(scenario, args), read.seen(case.scenario, args)
        if read.window and any(seen[n] != was[n] for n in seen if n in YEAR_LEVERS):
            return set()
    targets = case.fitted_targets(catalogue.figures())
    for name in _fitted_inputs(case.scenario, targets):
        if _input_value(scenario, name) != _input_value(case.scenario, name):
            return set()
    return targets


def _input_value(scenario: Scenario, name: str) -> float:
    """A scenario's value of an uncertain input (``worker_cost``, ``institution.effect``)."""
    key, dot, attr = name.partition(".")
    if not dot:
        return float(getattr(scenario, name))
    return float(getattr(next(o for o in scenario.outcomes if o.key == key), attr))


def status_of(share: float, strict: bool = False) -> str:
    """A model part's status from the share of draws that support it."""
    if share >= (STRICT if strict else HOLDS):
        return "holds"
    if share <= CONTRADICTED:
        return "contradicted"
    return "mostly" if strict and share > MOST else "depends"


def _against(ev: Evaluation, supports: np.ndarray) -> dict[str, float] | None:
    """What the draws against a part have in common: the share of them with a harmful effect and,
    where any saves, their savings as a share of the savings at the point values (the most and
    the median)."""
    weights = np.ones(ev.batch.size) if ev.weights is None else ev.weights
    against = ~supports & (weights > 0)
    if not against.any():
        return None
    factor = np.ones(ev.batch.size) if ev.batch.factor is None else ev.batch.factor.mean(axis=1)
    savings = ev.paths.savings[against].sum(axis=1)
    harmful = float(np.average(factor[against] < 0, weights=weights[against]))
    if savings.max() <= 0:
        return {"harmful": harmful}
    point = float(Evaluation.point(ev.scenario).paths.savings.sum())
    if point <= 0:
        return None
    median = uncertainty.weighted_quantile(savings, 0.5, weights[against]) / point
    most = savings.max() / point
    return {"harmful": harmful, "most": float(most), "median": float(median)}


def _model(
    part: Part,
    scenario: Scenario,
    draws: int,
    strict: bool = False,
    readings: Mapping[str, float] | None = None,
) -> PartAnswer:
    check = CHECKS[str(part.check)]
    args = part.check_args(readings)
    moved = {n: v for n, v in (readings or {}).items() if n in part.readings()}
    point = check(Evaluation.point(scenario), **args)
    here = bool(point.supports[0])
    values = {k: (float(v[0]), fmt) for k, (v, fmt) in point.values.items()}
    read, flips = _sensitivity(part, scenario, point, args)
    fitted = fitted_to(scenario, part) & set(part.rests_on)
    if fitted:
        # by construction: beside the fit, what the answer turns on is every other input it reads
        beside = tuple(n for n in read if n not in _fitted_inputs(scenario, fitted))
        return PartAnswer(
            part,
            scenario,
            "by_construction",
            None,
            values,
            here,
            beside,
            readings=moved,
            rests=_rests(scenario, read, flips, fitted),
        )
    ev = Evaluation.draws(scenario, draws)
    supports = check(ev, **args).supports
    share = float(np.average(supports, weights=ev.weights))
    status = status_of(share, strict)
    turns = flips if status == "depends" else ()
    against = _against(ev, supports) if status == "mostly" else None
    rests = _rests(scenario, read, flips)
    return PartAnswer(
        part, scenario, status, share, values, here, turns, against, draws, moved, rests
    )


def _fitted_inputs(scenario: Scenario, targets: set[str]) -> set[str]:
    """The inputs of ``scenario`` whose figure was fitted to one of ``targets``."""
    return {
        i.name
        for i in uncertainty.uncertain_inputs(scenario)
        if i.source in catalogue.figures() and set(catalogue.figure(i.source).fitted_to) & targets
    }


def answer(
    claim: Claim,
    scenario: Scenario | Iterable[Scenario] | None = None,
    draws: int = DRAWS,
    readings: Mapping[str, float] | None = None,
) -> Answer:
    """The claim's verdict: the model's answer, from its model parts. ``scenario`` (of one of the
    claim's cases, or one per case) replaces the claim's own for the parts of its case, so a
    reader sees whether the claim holds with their settings; ``readings`` moves its readings."""
    own = scenario_of(claim.scenario)
    given = [scenario] if isinstance(scenario, Scenario) else list(scenario or [])
    by_case = {s.case: s for s in given}
    for s in given:
        if s.case not in claim.cases():
            raise ValueError(
                f"claim {claim.id!r} is about {', '.join(map(repr, claim.cases()))}, not {s.case!r}"
            )
    parts = []
    for part in claim.parts:
        if part.kind == "documents":
            parts.append(_document(part))
            continue
        spec = scenario_of(part.scenario) if part.scenario else own
        if spec is None:
            raise ValueError(f"claim {claim.id!r}: a model part needs a scenario")
        spec = by_case.get(spec.case, spec)
        parts.append(_model(part, spec, draws, claim.strict, readings))
    verdict = combine([p.status for p in parts if p.part.kind == "model"], claim.universal)
    return Answer(claim, verdict, tuple(parts))


@cache
def default_answer(claim_id: str) -> Answer:
    """The verdict with the claim's own scenario (cached: it does not change)."""
    return answer(claim(claim_id))


# -- reading claims.yaml --------------------------------------------------------------------------
def _texts(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang] for lang in i18n.LANGS
    ):
        raise CatalogueError(f"{where}: needs a 'da' and an 'en' text")
    return dict(value)


def _part(where: str, raw: Any, figures, quote: tuple[str, ...], readings: set[str]) -> Part:
    if not isinstance(raw, dict) or raw.get("kind") not in ("documents", "model"):
        raise CatalogueError(f"{where}: kind must be 'documents' or 'model'")
    unknown = set(raw) - {
        "kind",
        "says",
        "figure",
        "at_least",
        "at_most",
        "note",
        "check",
        "args",
        "scenario",
        "rests_on",
        "show",
        "price_year",
        "words",
        "circular",
    }
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    says = _texts(f"{where}, says", raw.get("says"))
    words = raw.get("words")
    if words is not None and (
        not isinstance(words, str) or not any(_plain(words) in _plain(q) for q in quote)
    ):
        raise CatalogueError(f"{where}, words: must be words of the claim's quote")
    rests = tuple(raw.get("rests_on") or ())
    for key in ([raw["figure"]] if raw.get("figure") else []) + list(rests):
        if key not in figures:
            raise CatalogueError(f"{where}: {key!r} is not a key in figures.csv")
    if raw["kind"] == "documents":
        note = _texts(f"{where}, note", raw["note"]) if raw.get("note") else None
        if raw.get("figure") is None and note is None:
            raise CatalogueError(f"{where}: a part without a figure needs a note")
        show = {}
        for name, spec in (raw.get("show") or {}).items():
            if not isinstance(spec, list) or len(spec) != 2 or spec[0] not in figures:
                raise CatalogueError(f"{where}, show.{name}: needs [figure key, format]")
            show[name] = (spec[0], spec[1])
        return Part(
            "documents",
            says,
            raw.get("figure"),
            raw.get("at_least"),
            raw.get("at_most"),
            note,
            show=show,
            words=words,
        )
    if raw.get("check") not in CHECKS:
        raise CatalogueError(f"{where}, check: must be one of {', '.join(CHECKS)}")
    args = raw.get("args") or {}
    if not isinstance(args, dict):
        raise CatalogueError(f"{where}, args: must be a mapping")
    unknown_readings = {v for v in args.values() if isinstance(v, str)} - readings
    if unknown_readings:
        raise CatalogueError(f"{where}, args: no reading {', '.join(sorted(unknown_readings))}")
    if words is None:
        raise CatalogueError(f"{where}, words: a model part names the seed's words it tests")
    year = raw.get("price_year")
    if year is not None:
        known = price_index(figures)
        if not isinstance(year, int) or year not in known:
            raise CatalogueError(
                f"{where}, price_year: must be a year of the price index "
                f"({min(known)}–{max(known)}); got {year!r}"
            )
    try:
        scenario_of(raw.get("scenario"))
    except (ValueError, KeyError) as error:
        raise CatalogueError(f"{where}, scenario: {error}") from None
    return Part(
        "model",
        says,
        check=raw["check"],
        args=args,
        scenario=raw.get("scenario"),
        rests_on=rests,
        price_year=year,
        words=words,
        circular=_texts(f"{where}, circular", raw["circular"]) if raw.get("circular") else None,
    )


def _said(where: str, item: dict) -> tuple[str, dict[str, str], dict[str, str], str | None]:
    """Who made a claim, where (outlet and title), when, and the URL where it is public."""
    if not isinstance(item.get("said_by"), str) or not item["said_by"]:
        raise CatalogueError(f"{where}, said_by: missing")
    url = item.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise CatalogueError(f"{where}, url: must start with http:// or https://")
    return (
        item["said_by"],
        _texts(f"{where}, where", item.get("where")),
        _texts(f"{where}, when", item.get("when")),
        url,
    )


def _plain(text: str) -> str:
    """Text with its spaces and quotation marks evened out, to find a quote in its seed."""
    for mark in '”“»«"':
        text = text.replace(mark, '"')
    return " ".join(text.replace("–", "-").split()).casefold()


def _readings(name: str, raw: Any) -> list[Reading]:
    found = []
    for key, item in (raw or {}).items():
        where = f"{name}, reading {key}"
        try:
            value, lo, hi, step = (float(item[k]) for k in ("value", "lo", "hi", "step"))
        except (TypeError, KeyError, ValueError):
            raise CatalogueError(f"{where}: needs a value, lo, hi and step") from None
        if not lo <= value <= hi or step <= 0:
            raise CatalogueError(f"{where}: needs lo <= value <= hi and a step above 0")
        if item.get("format") not in ("multiplier", "share"):
            raise CatalogueError(f"{where}, format: must be 'multiplier' or 'share'")
        label = _texts(f"{where}, label", item.get("label"))
        note = _texts(f"{where}, note", item.get("note"))
        found.append(Reading(key, value, lo, hi, step, item["format"], label, note))
    return found


def load_claims(
    path, data: bytes | None = None
) -> tuple[list[Claim], list[Context], list[Unchecked], list[Reading]]:
    """Read and validate a claims file; errors name the file, the claim and the field."""
    raw = yamlfile.read(path, data)
    name = getattr(path, "name", str(path))
    if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list) or not raw["claims"]:
        raise CatalogueError(f"{name}: needs a list of claims")
    figures = catalogue.figures()
    readings = _readings(name, raw.get("readings"))
    reading_names = {r.name for r in readings}
    claims, ids = [], set()
    for number, item in enumerate(raw["claims"], start=1):
        cid = item.get("id") if isinstance(item, dict) else None
        where = f"{name}, claim {cid or number}"
        if not isinstance(item, dict) or not isinstance(cid, str) or not cid.isidentifier():
            raise CatalogueError(f"{where}: needs an id (a plain name)")
        if cid in ids:
            raise CatalogueError(f"{where}: the id appears twice")
        ids.add(cid)
        if item.get("page") not in PAGES:
            raise CatalogueError(f"{where}, page: must be one of {', '.join(PAGES)}")
        parts = item.get("parts")
        if not isinstance(parts, list) or not parts:
            raise CatalogueError(f"{where}, parts: needs at least one part")
        try:
            scenario_of(item.get("scenario"))
        except (ValueError, KeyError) as error:
            raise CatalogueError(f"{where}, scenario: {error}") from None
        quote = item.get("quote")
        quote = tuple([quote] if isinstance(quote, str) else quote or ())
        if not quote or not all(isinstance(q, str) and q.strip() for q in quote):
            raise CatalogueError(f"{where}, quote: needs the seed's exact words")
        read = tuple(
            _part(f"{where}, part {i + 1}", p, figures, quote, reading_names)
            for i, p in enumerate(parts)
        )
        because = _texts(f"{where}, because", item["because"]) if item.get("because") else None
        if because is None and not any(p.kind == "model" for p in read):
            raise CatalogueError(f"{where}, because: a claim without a model part says why")
        claims.append(
            Claim(
                cid,
                _texts(f"{where}, claim", item.get("claim")),
                *_said(where, item),
                item["page"],
                read,
                item.get("scenario"),
                bool(item.get("universal", False)),
                bool(item.get("strict", False)),
                _keys(where, item, figures),
                quote,
                because,
            )
        )
    context = []
    for item in raw.get("context") or []:
        where = f"{name}, context {item.get('id') if isinstance(item, dict) else '?'}"
        if not isinstance(item, dict) or item.get("figure") not in figures:
            raise CatalogueError(f"{where}: needs an id and a figure key")
        context.append(
            Context(
                item["id"],
                _texts(f"{where}, says", item.get("says")),
                item["figure"],
                item.get("compare"),
            )
        )
    unchecked = []
    for item in raw.get("unchecked") or []:
        uid = item.get("id") if isinstance(item, dict) else None
        where = f"{name}, unchecked {uid or '?'}"
        if not isinstance(uid, str) or not uid.isidentifier() or uid in ids:
            raise CatalogueError(f"{where}: needs an id (a plain name) of its own")
        ids.add(uid)
        unchecked.append(
            Unchecked(
                uid,
                _texts(f"{where}, says", item.get("says")),
                *_said(where, item),
                _texts(f"{where}, because", item.get("because")),
            )
        )
    return claims, context, unchecked, readings


def _keys(where: str, item: dict, figures) -> tuple[str, ...]:
    keys = item.get("evidence") or []
    unknown = [k for k in keys if k not in figures]
    if not isinstance(keys, list) or unknown:
        raise CatalogueError(f"{where}, evidence: unknown figure key(s) {unknown}")
    return tuple(keys)


@cache
def _loaded() -> tuple[
    tuple[Claim, ...], tuple[Context, ...], tuple[Unchecked, ...], tuple[Reading, ...]
]:
    claims_, context_, unchecked_, readings_ = load_claims(files.data_path("claims.yaml"))
    return tuple(claims_), tuple(context_), tuple(unchecked_), tuple(readings_)


def claims() -> tuple[Claim, ...]:
    """The claims in data/claims.yaml."""
    return _loaded()[0]


def context() -> tuple[Context, ...]:
    """Figures from the debate that the model does not test, with their sources."""
    return _loaded()[1]


def unchecked() -> tuple[Unchecked, ...]:
    """Claims from the debate that the model cannot check, each with the reason."""
    return _loaded()[2]


def all_readings() -> tuple[Reading, ...]:
    """How the claims read their vague words (claims.yaml's ``readings``)."""
    return _loaded()[3]


def claim(claim_id: str) -> Claim:
    for c in claims():
        if c.id == claim_id:
            return c
    raise ValueError(
        f"unknown claim {claim_id!r}; choose one of {', '.join(c.id for c in claims())}"
    )


def about(case: str) -> list[Claim]:
    """The claims with a part that runs on the given case."""
    return [c for c in claims() if case in c.cases()]
