"""Who saves, and who pays: savings by payer, and the financing arrangements side by side."""

from __future__ import annotations

import contextlib
import html
import math

import ipywidgets as w
import pandas as pd

from explorer import catalogue, model
from explorer.analysis import financing
from explorer.analysis.financing import Terms
from explorer.data import i18n
from explorer.model.scenario import Scenario
from explorer.outputs import key_figures
from explorer.ui.content import charts, kpis
from explorer.ui.live import page, widgets

SCENARIO = ("caseload_after", "effect_scale", "horizon_years", "programme_years")


class WhoPays(page.Page):
    name = "who_pays"
    offers = page.Offers(charts=("payers", "arrangements"), files=page.TABLE_FILES)
    embed = page.Embed(cards=("share-kommune", "payback-year-kommune"), chart="payers")
    edits = ("terms",)

    def build(self) -> None:
        s = self.base
        self.picker = self.case_choice()
        for name in SCENARIO:
            self.lever(name, getattr(s, name))
        terms = Terms(**self.extras.get("terms", {}))
        for name in financing.fields.of(Terms):
            self.lever(name, getattr(terms, name), group="terms")
        self.kpi_box = widgets.html_box("kpis")
        self.fitted = widgets.html_box("fitted-note")
        self.words = widgets.html_box("plain-words")
        self.table = widgets.html_box("arrangements-table")
        self.chart_box = w.VBox()

    def layout(self) -> w.Widget:
        t = lambda key: i18n.t(f"who_pays.{key}", self.lang)
        controls = w.VBox(
            [self.picker]
            + [self.levers[n] for n in SCENARIO]
            + [w.HTML(f"<h3>{html.escape(t('terms'))}</h3>")]
            + [self.levers[n] for n in financing.fields.of(Terms)]
        )
        controls.add_class("levers")
        # on a phone the case stays on top and the other levers follow the results
        self.picker.add_class("case-choice")
        results = w.VBox(
            [
                self.notice_box,
                self.kpi_box,
                self.fitted,
                self.words,
                self.chart_box,
                self.table,
                self.download_bar(lambda: self.result),
            ]
        )
        results.add_class("results")
        main = w.Box([controls, results])
        main.add_class("main")
        head = w.HTML(
            f"<h1>{html.escape(t('title'))}</h1><p class='summary'>{html.escape(t('intro'))}</p>"
        )
        return w.VBox([head, main])

    def terms(self) -> Terms:
        return Terms(**self.lever_values("terms"))

    def refresh(self) -> None:
        with contextlib.suppress(ValueError):
            self.extras["terms"] = {k: v for k, v in self.lever_values("terms").items()}
        super().refresh()

    def show(self, s: Scenario) -> None:
        lang = self.lang
        self.result = r = model.evaluate(s)
        self.fitted.value = kpis.fitted_note(s, lang, result=r)
        terms = self.terms()
        self.summary = financing.summary(r, terms)
        names = {k: i18n.t(f"who_pays.names.{k}", lang) for k in financing.ARRANGEMENTS}
        y = r.yearly
        total = y[["savings_kommune", "savings_region", "savings_stat"]].sum().sum()
        share = y["savings_kommune"].sum() / total if total > 0 else math.nan
        # the price of the bond an investor signs: the other is only as good as its assumed share
        bond = self.summary.set_index("arrangement").loc["signed_bond"]
        price = bond["kommune_extra_cost"]
        self.kpi_box.value = (
            "<div class='kpi-grid'>"
            + "".join(
                [
                    kpis.card(
                        "payback_year",
                        *_pb(
                            r.calendar(r.payback_year_discounted), r.calendar(r.payback_year), lang
                        ),
                        lang,
                    ),
                    kpis.card(
                        "payback_year_kommune",
                        *_pb(
                            r.calendar(r.payback_year_kommune_discounted),
                            r.calendar(r.payback_year_kommune),
                            lang,
                        ),
                        lang,
                    ),
                    kpis.card(
                        "share_kommune",
                        i18n.percent(share, lang) if total > 0 else i18n.t("not_defined", lang),
                        "",
                        lang,
                        title=i18n.t("who_pays.share_kommune", lang),
                    ),
                    kpis.card(
                        "price_of_finance",
                        extra_cost(price, lang),
                        i18n.t("who_pays.price_sub", lang),
                        lang,
                        title=i18n.t(
                            "who_pays.price_of_finance",
                            lang,
                            share=charts.bond_share(bond["bond_share"], lang),
                        ),
                    ),
                ]
            )
            + "</div>"
        )
        self.words.value = "".join(
            f"<p>{html.escape(p)}</p>" for p in self.sentences(r, terms, total)
        )
        self.table.value = self.table_html(names)
        self.chart_box.children = [
            self.chart("payers", charts.savings_by_payer(r, lang), s),
            self.chart("arrangements", charts.arrangements(self.summary, names, lang), s),
        ]

    def sentences(self, r: model.Result, terms: Terms, total: float) -> list[str]:
        lang, y = self.lang, r.yearly
        m = lambda v: i18n.millions(v, lang)
        pct = lambda v: i18n.percent(v, lang)
        share_of = lambda v: charts.bond_share(v, lang)
        t = lambda key, **kw: i18n.t(f"who_pays.{key}", lang, **kw)
        region = y["savings_region"].sum()
        out = [
            t(
                "pocket",
                total=m(total),
                kommune=m(y["savings_kommune"].sum()),
                stat=m(y["savings_stat"].sum()),
                region=t("region", region=m(region)) if region else "",
            )
        ]
        out.append(t("not_savings", years=terms.bond_years))
        b = financing.bond(r, terms)
        row = self.summary.set_index("arrangement").loc["impact_bond"]
        reduction, trigger = pct(b.reduction), i18n.percent(terms.bond_trigger, lang, 1)
        if b.triggered:
            out.append(
                t(
                    "bond_works",
                    reduction=reduction,
                    trigger=trigger,
                    paid=m(b.paid.sum()),
                    share=share_of(b.paid.sum() / max(b.realised.sum(), 1.0)),
                    realised=m(b.realised.sum()),
                    invested=m(b.invest.sum()),
                    assumed=share_of(terms.bond_outcome_share),
                    compared=i18n.against_self(row["kommune_extra_cost"], lang),
                    irr=investor_return(row, lang),
                )
            )
        else:
            out.append(
                t("bond_fails", reduction=reduction, trigger=trigger, invested=m(b.invest.sum()))
            )
        default = financing.default_terms().bond_outcome_share
        out.append(t("share", share=share_of(terms.bond_outcome_share), default=share_of(default)))
        out += self.participation(r, terms)
        out.append(self.trigger_words(r, terms))
        cliff = financing.cliff(r.scenario, terms)
        if cliff is not None:
            effect = i18n.number(cliff.effect, lang, 2)
            out.append(t("cliff", effect=effect, below=m(cliff.below), above=m(cliff.above)))
        f = catalogue.figure
        out.append(
            t(
                "terms_source",
                trigger=i18n.percent(f("peterborough.trigger").value, lang, 1),
                cap=pct(f("peterborough.cap").value),
                years=int(f("peterborough.term").value),
            )
        )
        out.append(t("after"))
        out.append(
            t(
                "peterborough",
                trigger=i18n.percent(f("peterborough.trigger").value, lang, 1),
                cap=pct(f("peterborough.cap").value),
                result=pct(f("peterborough.result").value),
                ret=pct(f("peterborough.investor_return").value),
                years=int(f("impact60.years").value),
                impact=i18n.percent(f("impact60.return").value, lang, 1),
            )
        )
        return [i18n.tidy(p) for p in out]

    def participation(self, r: model.Result, terms: Terms) -> list[str]:
        """The share an investor needs, judged before the result and then held, beside the share
        set here, each with the investor's return at the reader's settings."""
        lang = self.lang
        pct = lambda v: i18n.percent(v, lang)
        t = lambda key, **kw: i18n.t(f"who_pays.{key}", lang, **kw)
        p = financing.participation(r.scenario, terms)
        table = self.summary.set_index("arrangement")
        ret = pct(p.target)
        if math.isinf(p.needed):
            return [t("participation_none", ret=ret)]
        out = [
            t(
                "participation",
                needed=charts.bond_share(p.needed, lang),
                ret=ret,
                signed=investor_return(table.loc["signed_bond"], lang, back=True),
                share=charts.bond_share(terms.bond_outcome_share, lang),
                here=investor_return(table.loc["impact_bond"], lang, back=True),
            )
        ]
        if p.exceeds_savings:
            out.append(
                t(
                    "participation_exceeds",
                    needed=charts.bond_share(p.needed, lang),
                    ret=ret,
                    irr=i18n.percent(p.irr, lang, 1),
                )
            )
        return out

    def trigger_words(self, r: model.Result, terms: Terms) -> str:
        """What the trigger is measured against, and how much of the documented effect meets it."""
        lang = self.lang
        trigger = i18n.percent(terms.bond_trigger, lang, 1)
        at = financing.trigger_effect(r.scenario, terms)
        if at is None:
            met = financing.bond(model.evaluate(financing.ex_ante(r.scenario)), terms).triggered
            key = "trigger_always" if met else "trigger_never"
            return i18n.t(f"who_pays.{key}", lang, trigger=trigger)
        return i18n.t("who_pays.trigger", lang, trigger=trigger, effect=i18n.percent(at, lang))

    def table_html(self, names: dict[str, str]) -> str:
        lang = self.lang
        cols = (
            "arrangement",
            "pv_kommune",
            "pv_stat",
            "pv_investor",
            "investor_irr",
            "kommune_extra_cost",
        )
        titles = {c: html.escape(i18n.t(f"who_pays.columns.{c}", lang)) for c in cols}
        head = "".join(f"<th scope='col'>{titles[c]}</th>" for c in cols)
        # each cell names its column (data-label), so that a phone shows a row as a card
        cell = lambda c, text: f"<td class='num' data-label='{titles[c]}'>{text}</td>"
        # millions to one decimal; a small loss that rounds to zero shows no minus sign
        m = lambda value: i18n.number(round(value / 1e6, 1) + 0.0, lang, 1)
        rows = []
        for row in self.summary.itertuples():
            name = html.escape(names[row.arrangement])
            if not pd.isna(row.bond_share):
                share = charts.bond_share(row.bond_share, lang)
                words = i18n.t("who_pays.row_share", lang, share=share)
                name += f"<br><span class='bond-share'>{html.escape(words)}</span>"
            cells = [f"<th scope='row'>{name}</th>"]
            cells += [cell(c, m(getattr(row, c))) for c in ("pv_kommune", "pv_stat", "pv_investor")]
            bond = row.arrangement in ("impact_bond", "signed_bond")
            irr = investor_return(row, lang, cell=True) if bond else "—"
            cells.append(cell("investor_irr", html.escape(irr)))
            cells.append(cell("kommune_extra_cost", m(row.kommune_extra_cost)))
            rows.append("<tr>" + "".join(cells) + "</tr>")
        note = html.escape(i18n.t("who_pays.table_note", lang, year=catalogue.price_year()))
        return (
            f"<div class='table-wrap'><table class='arrangements'><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></div><p class='grades'>{note}</p>"
        )


def investor_return(row, lang: str, cell: bool = False, back: bool = False) -> str:
    """The bond investor's yearly return from a summary row, or in words why there is none; a
    table ``cell`` gives the rate alone, ``back`` adds what the investor gets back (its
    multiple)."""
    multiple, irr = row.investor_multiple, row.investor_irr
    if pd.isna(multiple):
        return i18n.t("who_pays.irr_no_capital", lang)
    if multiple < 1 or pd.isna(irr):
        key = "irr_cell_none" if cell else "irr_none"
        return i18n.t(f"who_pays.{key}", lang, share=i18n.percent(multiple, lang))
    rate = i18n.percent(irr, lang, 1)
    if back and not cell:
        return i18n.t("who_pays.irr_back", lang, rate=rate, share=i18n.percent(multiple, lang))
    return rate if cell else i18n.t("who_pays.irr", lang, rate=rate)


def extra_cost(value: float, lang: str) -> str:
    """What the bond costs the kommune beyond paying itself, as a difference ('DKK 0.3 m more
    expensive', '... cheaper', 'the same price'), never as a price that looks free or negative."""
    amount = i18n.millions(abs(value), lang)
    if amount == i18n.millions(0, lang):
        return i18n.t("who_pays.price_same", lang)
    key = "who_pays.price_more" if value > 0 else "who_pays.price_less"
    return i18n.t(key, lang, amount=amount)


def _pb(discounted: int | None, plain: int | None, lang: str) -> tuple[str, str]:
    return key_figures.payback_words(plain, discounted, lang)


def app(query: str | None = None) -> w.Widget:
    return page.app(WhoPays, query)
