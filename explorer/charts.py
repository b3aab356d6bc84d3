"""Altair chart builders: Result -> alt.Chart. No widgets here; texts and numbers in da or en."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import i18n
from .model import Result

#: d3 number-format locales for Vega (axes, tooltips) and vl-convert (PNG/SVG export).
FORMAT_LOCALE = {
    "da": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["DKK ", ""]},
}
WIDTH, HEIGHT = 430, 250
YEAR_AXIS = alt.Axis(labelAngle=0, labelOverlap=True)
COLOURS = {"public": "#1f5f8b", "kommune": "#d9822b", "cost": "#b23a48", "line": "#333333"}

_CHART_TEXT = {
    "mio": ("mio. kr.", "DKK m"),
    "cumulative_title": ("Akkumuleret netto: hvornår er investeringen tjent hjem?",
                         "Cumulative net: when does it pay back?"),
    "flows_title": ("Udgifter og gevinster pr. år", "Costs and savings per year"),
    "sweep_title": ("Hvilket sagstal betaler sig? Nettonutidsværdi", "What caseload pays? NPV"),
    "who": ("Hvem", "Who"),
    "item": ("Post", "Item"),
    "caseload_after": ("Sagstal efter ændringen", "Caseload after the change"),
    "your_choice": ("Dit valg", "Your choice"),
    "payers_title": ("Hvem får gevinsten? Gevinst pr. år", "Who gets the savings? Savings per year"),
    "arrangements_title": ("Hvem betaler? Nutidsværdi pr. part og finansiering",
                           "Who pays? Present value per party and arrangement"),
    "investor": ("Investor", "Investor"),
    "fan_title": ("Hvor sikkert? Akkumuleret netto, 5–95 % og 25–75 % af udfaldene",
                  "How sure? Cumulative net, 5–95 % and 25–75 % of outcomes"),
    "median": ("Median", "Median"),
    "payback_title": ("Hvornår er det tjent hjem? Andel af udfaldene",
                      "When does it pay back? Share of outcomes"),
    "share_of_draws": ("Andel af udfald", "Share of outcomes"),
    "never": ("Aldrig", "Never"),
    "tornado_title": ("Hvad betyder mest? Nettonutidsværdi ved lav og høj værdi",
                      "What matters most? NPV at low and high value"),
    "input": ("Input", "Input"),
    "low_high": ("Værdi", "Value"),
    "low": ("Lav", "Low"),
    "high": ("Høj", "High"),
    "arrangement": ("Finansiering", "Arrangement"),
}


def text(key: str, lang: str) -> str:
    return _CHART_TEXT[key][i18n.LANGS.index(i18n.check_lang(lang))]


def _base(chart: alt.Chart, title: str) -> alt.Chart:
    return chart.properties(width=WIDTH, height=HEIGHT, title=title).configure_axis(
        labelFontSize=11, titleFontSize=12).configure_title(fontSize=14, anchor="start")


def cumulative_net(result: Result, start_year: int, lang: str = "da") -> alt.Chart:
    """Cumulative net for the public sector and the kommune alone, payback years marked."""
    y = result.yearly
    who = {"cumulative_net": i18n.t("public_sector", lang),
           "cumulative_net_kommune": i18n.t("kommune", lang)}
    data = pd.DataFrame({
        "year": list(y["year"] + start_year) * 2,
        "value": list(y["cumulative_net"] / 1e6) + list(y["cumulative_net_kommune"] / 1e6),
        "who": [who["cumulative_net"]] * len(y) + [who["cumulative_net_kommune"]] * len(y),
    })
    colour = alt.Color("who:N", title=text("who", lang),
                       scale=alt.Scale(domain=list(who.values()),
                                       range=[COLOURS["public"], COLOURS["kommune"]]),
                       legend=alt.Legend(orient="bottom"))
    x = alt.X("year:O", title=i18n.t("year", lang), axis=YEAR_AXIS)
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=x, y=alt.Y("value:Q", title=text("mio", lang), axis=alt.Axis(format=",.1f")),
        color=colour,
        strokeDash=alt.StrokeDash("who:N", scale=alt.Scale(domain=list(who.values()),
                                                           range=[[1, 0], [6, 4]]), legend=None),
        tooltip=[alt.Tooltip("who:N", title=text("who", lang)),
                 alt.Tooltip("year:O", title=i18n.t("year", lang)),
                 alt.Tooltip("value:Q", title=text("mio", lang), format=",.1f")])
    zero = alt.Chart(pd.DataFrame({"value": [0]})).mark_rule(color="#999").encode(y="value:Q")
    marks = [zero, lines]
    paybacks = [(who[col], year) for col, year in (("cumulative_net", result.payback_year),
                                                    ("cumulative_net_kommune",
                                                     result.payback_year_kommune))
                if year is not None]
    if paybacks:
        pts = pd.DataFrame({"who": [w for w, _ in paybacks],
                            "year": [start_year + yr for _, yr in paybacks]})
        marks.append(alt.Chart(pts).mark_rule(strokeDash=[4, 3]).encode(x=x, color=colour))
    return _base(alt.layer(*marks), text("cumulative_title", lang))


def yearly_flows(result: Result, start_year: int, lang: str = "da") -> alt.Chart:
    """Costs (below zero) and savings by outcome (above zero), stacked per year."""
    y = result.yearly
    s = result.scenario
    items = [(i18n.t("cost_staff", lang), -y["cost_staff"]),
             (i18n.t("cost_other", lang), -y["cost_other"])]
    items += [(getattr(o, f"label_{lang}"), y[f"savings_{o.key}"]) for o in s.outcomes]
    data = pd.DataFrame({
        "year": [v + start_year for _ in items for v in y["year"]],
        "item": [name for name, values in items for _ in values],
        "value": [v / 1e6 for _, values in items for v in values],
    })
    domain = [name for name, _ in items]
    palette = [COLOURS["cost"], "#e8a0a8", "#2e8b57", "#7fbf9a", "#4b7bb5"][: len(domain)]
    return _base(alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title=i18n.t("year", lang), axis=YEAR_AXIS),
        y=alt.Y("sum(value):Q", title=text("mio", lang), axis=alt.Axis(format=",.1f")),
        color=alt.Color("item:N", title=text("item", lang),
                        scale=alt.Scale(domain=domain, range=palette),
                        legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("item:N", title=text("item", lang)),
                 alt.Tooltip("year:O", title=i18n.t("year", lang)),
                 alt.Tooltip("sum(value):Q", title=text("mio", lang), format=",.2f")]),
        text("flows_title", lang))


def npv_by_caseload(table: pd.DataFrame, current: float, current_npv: float,
                    lang: str = "da") -> alt.Chart:
    """NPV against caseload after (from ``model.sweep``), the current choice marked."""
    data = pd.DataFrame({"caseload": table["caseload_after"], "npv": table["npv"] / 1e6})
    x = alt.X("caseload:Q", title=text("caseload_after", lang),
              scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f"))
    y = alt.Y("npv:Q", title=f"{i18n.t('npv', lang)} ({text('mio', lang)})",
              axis=alt.Axis(format=",.1f"))
    line = alt.Chart(data).mark_line(color=COLOURS["public"]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("caseload:Q", title=text("caseload_after", lang), format=",.1f"),
                           alt.Tooltip("npv:Q", title=text("mio", lang), format=",.1f")])
    zero = alt.Chart(pd.DataFrame({"npv": [0]})).mark_rule(color="#999").encode(y="npv:Q")
    mark = alt.Chart(pd.DataFrame({"caseload": [current], "npv": [current_npv / 1e6],
                                   "label": [text("your_choice", lang)]}))
    point = mark.mark_point(size=120, filled=True, color=COLOURS["kommune"]).encode(x=x, y=y)
    label = mark.mark_text(dy=-14, fontWeight="bold").encode(x=x, y=y, text="label:N")
    return _base(alt.layer(zero, line, point, label), text("sweep_title", lang))


def export(chart: alt.Chart, fmt: str, lang: str = "da") -> bytes:
    """The chart as PNG or SVG bytes, rendered without a browser (vl-convert)."""
    import vl_convert as vlc

    spec, locale = chart.to_dict(), FORMAT_LOCALE[i18n.check_lang(lang)]
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec, format_locale=locale).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=2, format_locale=locale)
    raise ValueError(f"format must be 'png' or 'svg'; got {fmt!r}")


def savings_by_payer(result: Result, start_year: int, lang: str = "da") -> alt.Chart:
    """Savings per year, stacked by who gets them (kommune, region, stat)."""
    y = result.yearly
    payers = [(i18n.t(p, lang), y[f"savings_{p}"]) for p in ("kommune", "region", "stat")]
    data = pd.DataFrame({
        "year": [v + start_year for _ in payers for v in y["year"]],
        "who": [name for name, values in payers for _ in values],
        "value": [v / 1e6 for _, values in payers for v in values],
    })
    domain = [name for name, _ in payers]
    return _base(alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title=i18n.t("year", lang), axis=YEAR_AXIS),
        y=alt.Y("sum(value):Q", title=text("mio", lang), axis=alt.Axis(format=",.1f")),
        color=alt.Color("who:N", title=text("who", lang), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=domain,
                                        range=[COLOURS["kommune"], "#7a9e3b", COLOURS["public"]])),
        tooltip=[alt.Tooltip("who:N", title=text("who", lang)),
                 alt.Tooltip("year:O", title=i18n.t("year", lang)),
                 alt.Tooltip("sum(value):Q", title=text("mio", lang), format=",.2f")]),
        text("payers_title", lang))


def arrangements(summary: pd.DataFrame, names: dict[str, str], lang: str = "da") -> alt.Chart:
    """Present value per party under each financing arrangement (from ``financing.summary``)."""
    parties = [("kommune", i18n.t("kommune", lang)), ("stat", i18n.t("stat", lang)),
               ("investor", text("investor", lang))]
    rows = [{"arrangement": names[row.arrangement], "who": label,
             "value": getattr(row, f"pv_{party}") / 1e6}
            for row in summary.itertuples() for party, label in parties]
    data = pd.DataFrame(rows)
    return _base(alt.Chart(data).mark_bar().encode(
        y=alt.Y("arrangement:N", title=None, sort=list(names.values())),
        yOffset=alt.YOffset("who:N", sort=[label for _, label in parties]),
        x=alt.X("value:Q", title=f"{i18n.t('npv', lang)} ({text('mio', lang)})",
                axis=alt.Axis(format=",.1f")),
        color=alt.Color("who:N", title=text("who", lang), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[label for _, label in parties],
                                        range=[COLOURS["kommune"], COLOURS["public"], "#6b4c9a"])),
        tooltip=[alt.Tooltip("arrangement:N", title=text("arrangement", lang)),
                 alt.Tooltip("who:N", title=text("who", lang)),
                 alt.Tooltip("value:Q", title=text("mio", lang), format=",.1f")]),
        text("arrangements_title", lang))


def fan(bands: pd.DataFrame, start_year: int, lang: str = "da") -> alt.Chart:
    """Percentile bands of the cumulative net per year (from ``Simulation.bands``)."""
    data = bands.assign(year=bands["year"] + start_year)
    for col in ("p5", "p25", "p50", "p75", "p95"):
        data[col] = data[col] / 1e6
    x = alt.X("year:O", title=i18n.t("year", lang), axis=YEAR_AXIS)
    base = alt.Chart(data)
    outer = base.mark_area(opacity=0.25, color=COLOURS["public"]).encode(
        x=x, y=alt.Y("p5:Q", title=text("mio", lang), axis=alt.Axis(format=",.1f")), y2="p95:Q")
    inner = base.mark_area(opacity=0.45, color=COLOURS["public"]).encode(x=x, y="p25:Q", y2="p75:Q")
    median = base.mark_line(point=True, color=COLOURS["line"]).encode(
        x=x, y="p50:Q", tooltip=[alt.Tooltip("year:O", title=i18n.t("year", lang)),
                                 alt.Tooltip("p50:Q", title=text("median", lang), format=",.1f")])
    zero = alt.Chart(pd.DataFrame({"v": [0]})).mark_rule(color="#999").encode(y="v:Q")
    return _base(alt.layer(outer, inner, zero, median), text("fan_title", lang))


def payback_distribution(shares: pd.Series, start_year: int, lang: str = "da") -> alt.Chart:
    """Share of draws paying back in each year, and never (from ``payback_distribution``)."""
    labels = [str(start_year + y) if y >= 0 else text("never", lang) for y in shares.index]
    data = pd.DataFrame({"year": labels, "share": shares.to_numpy()})
    return _base(alt.Chart(data).mark_bar(color=COLOURS["public"]).encode(
        x=alt.X("year:N", title=i18n.t("year", lang), sort=labels, axis=YEAR_AXIS),
        y=alt.Y("share:Q", title=text("share_of_draws", lang), axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("year:N", title=i18n.t("year", lang)),
                 alt.Tooltip("share:Q", title=text("share_of_draws", lang), format=".1%")]),
        text("payback_title", lang))


def tornado(table: pd.DataFrame, labels: dict[str, str], npv: float, lang: str = "da") -> alt.Chart:
    """NPV swing per input, low and high ends as bars from the point NPV (from
    ``uncertainty.tornado``)."""
    rows = []
    for row in table.itertuples():
        for end in ("low", "high"):
            rows.append({"input": labels.get(row.input, row.input), "end": text(end, lang),
                         "from": npv / 1e6, "to": getattr(row, f"npv_{end}") / 1e6})
    data = pd.DataFrame(rows)
    order = [labels.get(i, i) for i in table["input"]]
    return _base(alt.Chart(data).mark_bar().encode(
        y=alt.Y("input:N", title=None, sort=order),
        x=alt.X("from:Q", title=f"{i18n.t('npv', lang)} ({text('mio', lang)})",
                axis=alt.Axis(format=",.1f")),
        x2="to:Q",
        color=alt.Color("end:N", title=text("low_high", lang), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[text("low", lang), text("high", lang)],
                                        range=[COLOURS["cost"], "#2e8b57"])),
        tooltip=[alt.Tooltip("input:N", title=text("input", lang)),
                 alt.Tooltip("end:N", title=text("low_high", lang)),
                 alt.Tooltip("to:Q", title=text("mio", lang), format=",.1f")]),
        text("tornado_title", lang))
