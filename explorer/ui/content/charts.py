"""Charts as Vega-Lite specifications: model results in, plain data out (no widgets, no Altair).

Every builder returns a chart *body*: marks, encodings and data in millions of the price year's
kroner, texts in the page's language. ``for_page`` fits a body to its column in the page's font;
``for_download`` adds the title, the lines that describe the scenario (what differs from the
preset, a fitted figure), the source line and the link that reproduces it, wrapped so that nothing
is cut, for a PNG or SVG in an article. The palette is Okabe and Ito's, which stays distinct for
colour-blind readers; series with nothing in them get no legend entry.
"""

from __future__ import annotations

import re

import pandas as pd

from explorer import catalogue
from explorer.data import i18n, numbers
from explorer.model import Result

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#: The font of a chart drawn on the server (vl-convert): the one it measures its labels with,
#: then the fonts with the same widths, so that a browser showing the SVG cuts no label.
SERVER_FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
#: Okabe & Ito (2008), safe for the common kinds of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
HEIGHT = 260
#: Least gap in pixels between two year labels; closer, and every other label is left out.
YEAR_GAP = 6
EXPORT_WIDTH = 680
#: d3 number formats for Vega in the page's language (the embed options' formatLocale).
FORMAT_LOCALE = {lang: numbers.d3_locale(lang) for lang in i18n.LANGS}
#: The formats of the charts' quantities (data/numbers.py): money in millions, people, shares.
MONEY = numbers.d3("millions")
MONEY_AXIS = numbers.d3("millions", axis=True)
PEOPLE = numbers.d3("people")
PEOPLE_AXIS = numbers.d3("people", axis=True)
CASELOAD = numbers.d3("caseload")
CASELOAD_AXIS = numbers.d3("caseload", axis=True)
PERCENT = numbers.d3("percent")
CONFIG = {
    "font": FONT,
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelFont": FONT,
        "titleFont": FONT,
        "titleFontWeight": "normal",
        "gridColor": "#e6e6e6",
    },
    "legend": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "orient": "bottom",
        "direction": "vertical",
        "labelLimit": 320,  # a whole series name at a phone's width (340 px)
    },
    "title": {
        "fontSize": 15,
        "anchor": "start",
        "subtitleFontSize": 12,
        "subtitleColor": "#444",
        "font": FONT,
        "subtitleFont": FONT,
    },
    "view": {"stroke": None},
    "range": {"category": list(PALETTE.values())},
}


def t(key: str, lang: str, **values) -> str:
    return i18n.t(f"chart.{key}", lang, **values)


def money_title(lang: str) -> str:
    return t("millions", lang, year=catalogue.price_year())


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {
            k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
            for k, v in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


def _colour(domain: list[str], colours: list[str], title: str) -> dict:
    return {
        "field": "series",
        "type": "nominal",
        "title": title,
        "scale": {"domain": domain, "range": colours},
    }


def _year_x(lang: str) -> dict:
    """Years along x; labels closer than YEAR_GAP pixels (a phone's column) show every other
    year instead of running together."""
    return {
        "field": "year",
        "type": "ordinal",
        "title": t("year", lang),
        "axis": {"labelAngle": 0, "labelOverlap": True, "labelSeparation": YEAR_GAP},
    }


def _money_y(lang: str, field: str = "value", stack: bool = False) -> dict:
    y = {
        "field": field,
        "type": "quantitative",
        "title": money_title(lang),
        "axis": {"format": MONEY_AXIS},
    }
    if stack:
        y["aggregate"] = "sum"
    return y


def cumulative_net(result: Result, lang: str) -> dict:
    """Cumulative net (undiscounted and discounted) for the public sector and the kommune alone."""
    y, s = result.yearly, result.scenario
    series = [
        ("cumulative_net", "public"),
        ("cumulative_net_kommune", "kommune"),
        ("cumulative_pv_net", "public_pv"),
    ]
    names = {key: t(f"series.{key}", lang) for _, key in series}
    rows = [
        {"year": int(year), "series": names[key], "value": float(v) / 1e6}
        for column, key in series
        for year, v in zip(y["calendar_year"], y[column])
    ]
    domain = [names[key] for _, key in series]
    colour = _colour(domain, [PALETTE["blue"], PALETTE["orange"], PALETTE["sky"]], t("who", lang))
    layers = [
        {"mark": {"type": "rule", "color": "#888", "aria": False}, "encoding": {"y": {"datum": 0}}},
        {
            "mark": {"type": "line", "point": True, "strokeWidth": 2.5},
            "encoding": {
                "x": _year_x(lang),
                "y": _money_y(lang),
                "color": colour,
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "title": t("who", lang),
                    "scale": {"domain": domain, "range": [[1, 0], [6, 4], [2, 2]]},
                },
                "tooltip": [
                    {"field": "series", "title": t("who", lang)},
                    {"field": "year", "title": t("year", lang)},
                    {"field": "value", "title": money_title(lang), "format": MONEY},
                ],
            },
        },
    ]
    year = result.payback_year_discounted
    marks = [] if year is None else [{"year": s.start_year + year, "series": names["public_pv"]}]
    if marks:
        layers.append(
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeDash": [4, 3], "strokeWidth": 1.5},
                "encoding": {"x": {"field": "year", "type": "ordinal"}, "color": colour},
            }
        )
    return {"data": {"values": rows}, "layer": layers, "title": t("cumulative_title", lang)}


def counterfactual_path(result: Result, lang: str) -> dict:
    """Each outcome's person-years in the costly state on the case's one path without the
    programme (its base flows and trend) and with it: the gap is what the programme saves."""
    y, s = result.yearly, result.scenario
    rows, domain, colours, dashes = [], [], [], []
    #: without (warm) and with (cool) the programme, one pair of hues for each outcome
    hues = [
        (PALETTE["vermillion"], PALETTE["blue"]),
        (PALETTE["orange"], PALETTE["green"]),
        (PALETTE["purple"], PALETTE["sky"]),
    ]
    for k, o in enumerate(s.outcomes):
        label = o.label(lang)
        without = y[f"without_{o.key}"]
        paths = {
            t("without", lang, outcome=label): without,
            t("with", lang, outcome=label): without - y[f"people_{o.key}"],
        }
        for (name, values), dash, hue in zip(paths.items(), ([6, 4], [1, 0]), hues[k % len(hues)]):
            domain.append(name)
            colours.append(hue)
            dashes.append(dash)
            rows += [
                {"year": int(year), "series": name, "value": float(v)}
                for year, v in zip(y["calendar_year"], values)
            ]
    colour = _colour(domain, colours, t("path", lang))
    colour["legend"] = {"symbolType": "stroke", "symbolStrokeWidth": 2.5}  # shows the dash too
    return {
        "data": {"values": rows},
        "mark": {"type": "line", "point": True, "strokeWidth": 2.5},
        "encoding": {
            "x": _year_x(lang),
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": t("person_years", lang),
                "axis": {"format": PEOPLE_AXIS},
                "scale": {"zero": True},
            },
            "color": colour,
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "title": t("path", lang),
                "scale": {"domain": domain, "range": dashes},
            },
            "tooltip": [
                {"field": "series", "title": t("path", lang)},
                {"field": "year", "title": t("year", lang)},
                {"field": "value", "title": t("person_years", lang), "format": PEOPLE},
            ],
        },
        "title": t("path_title", lang),
    }


def yearly_flows(result: Result, lang: str) -> dict:
    """Costs (below zero) and savings by outcome (above zero), stacked per year."""
    y, s = result.yearly, result.scenario
    items = [
        (t("cost_staff", lang), -y["cost_staff"], PALETTE["vermillion"]),
        (t("cost_other", lang), -y["cost_other"], PALETTE["orange"]),
    ]
    greens = [PALETTE["green"], PALETTE["blue"], PALETTE["sky"], PALETTE["purple"]]
    items += [
        (o.label(lang), y[f"savings_{o.key}"], greens[k % len(greens)])
        for k, o in enumerate(s.outcomes)
    ]
    if s.wider_gains:
        items.append((t("wider", lang), y["savings_society"], PALETTE["yellow"]))
    items = [item for item in items if (item[1].abs() > 0.5).any()]
    return _stacked_bars(y["calendar_year"], items, t("item", lang), t("flows_title", lang), lang)


def _stacked_bars(years, items: list, legend: str, title: str, lang: str) -> dict:
    """Bars per year stacked by series; ``items`` are (name, yearly values in DKK, colour)."""
    rows = [
        {"year": int(year), "series": name, "value": float(v) / 1e6}
        for name, values, _ in items
        for year, v in zip(years, values)
    ]
    return {
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "x": _year_x(lang),
            "y": _money_y(lang, stack=True),
            "color": _colour([n for n, _, _ in items], [c for _, _, c in items], legend),
            "tooltip": [
                {"field": "series", "title": legend},
                {"field": "year", "title": t("year", lang)},
                {
                    "field": "value",
                    "aggregate": "sum",
                    "title": money_title(lang),
                    "format": MONEY,
                },
            ],
        },
        "title": title,
    }


def npv_by_caseload(table: pd.DataFrame, current: float, current_npv: float, lang: str) -> dict:
    """NPV against caseload after (from ``model.sweep``), the current choice marked."""
    rows = [
        {"caseload": float(c), "npv": float(v) / 1e6}
        for c, v in zip(table["caseload_after"], table["npv"])
    ]
    x = {
        "field": "caseload",
        "type": "quantitative",
        "title": t("caseload_after", lang),
        "scale": {"zero": False},
        "axis": {"format": CASELOAD_AXIS},
    }
    y = {
        "field": "npv",
        "type": "quantitative",
        "title": t("npv_axis", lang, year=catalogue.price_year()),
        "axis": {"format": MONEY_AXIS},
    }
    choice = {
        "values": [
            {"caseload": float(current), "npv": current_npv / 1e6, "label": t("your_choice", lang)}
        ]
    }
    return {
        "layer": [
            {
                "mark": {"type": "rule", "color": "#888", "aria": False},
                "encoding": {"y": {"datum": 0}},
            },
            {
                "data": {"values": rows},
                "mark": {"type": "line", "color": PALETTE["blue"], "strokeWidth": 2.5},
                "encoding": {
                    "x": x,
                    "y": y,
                    "tooltip": [
                        {
                            "field": "caseload",
                            "title": t("caseload_after", lang),
                            "format": CASELOAD,
                        },
                        {"field": "npv", "title": money_title(lang), "format": MONEY},
                    ],
                },
            },
            {
                "data": choice,
                "mark": {"type": "point", "filled": True, "size": 140, "color": PALETTE["orange"]},
                "encoding": {"x": x, "y": y},
            },
            {
                "data": choice,
                "mark": {"type": "text", "dy": -14, "fontWeight": "bold"},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}},
            },
        ],
        "title": t("sweep_title", lang),
    }


def saves_nothing(result: Result) -> bool:
    """No payer saves anything in any year (no effect yet): a chart of who saves would be empty."""
    y = result.yearly
    return not any((y[f"savings_{p}"].abs() > 0.5).any() for p in ("kommune", "region", "stat"))


def savings_by_payer(result: Result, lang: str) -> dict:
    """Budget savings per year, stacked by who gets them."""
    y = result.yearly
    parts = [
        (i18n.t(f"payer.{p}", lang), y[f"savings_{p}"], c)
        for p, c in (
            ("kommune", PALETTE["orange"]),
            ("region", PALETTE["green"]),
            ("stat", PALETTE["blue"]),
        )
    ]
    # Nothing saved (no effect yet): the kommune's zeros, so the chart still shows its years.
    parts = [p for p in parts if (p[1].abs() > 0.5).any()] or parts[:1]
    return _stacked_bars(y["calendar_year"], parts, t("who", lang), t("payers_title", lang), lang)


def bond_share(value: float, lang: str) -> str:
    """A bond's share of the savings as the who-pays page shows it in its card, text, table and
    chart: to a tenth of a per cent, a whole one without its ',0' ('80 %', '79,5 %')."""
    return numbers.text(value, "share", lang)


def arrangements(summary: pd.DataFrame, names: dict[str, str], lang: str) -> dict:
    """Present value per party under each financing arrangement (``financing.summary``); a
    bond's row names its share of the savings."""
    rows_named = {
        row.arrangement: names[row.arrangement]
        + ("" if pd.isna(row.bond_share) else f" ({bond_share(row.bond_share, lang)})")
        for row in summary.itertuples()
    }
    parties = [
        ("kommune", PALETTE["orange"]),
        ("stat", PALETTE["blue"]),
        ("investor", PALETTE["purple"]),
    ]
    parties = [(p, c) for p, c in parties if (summary[f"pv_{p}"].abs() > 0.5).any()]
    labels = {p: i18n.t(f"payer.{p}", lang) for p, _ in parties}
    rows = [
        {
            "arrangement": rows_named[row.arrangement],
            "series": labels[p],
            "value": getattr(row, f"pv_{p}") / 1e6,
        }
        for row in summary.itertuples()
        for p, _ in parties
    ]
    return {
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "y": {
                "field": "arrangement",
                "type": "nominal",
                "title": None,
                "sort": list(rows_named.values()),
                # "Statsligt tilskud (pulje)" on two lines, so that the bars keep a phone's width
                "axis": {
                    "labelLimit": 200,
                    "labelExpr": "split(replace(datum.label, ' (', '\\n('), '\\n')",
                },
            },
            "yOffset": {"field": "series", "sort": list(labels.values())},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": t("npv_axis", lang, year=catalogue.price_year()).split(", ", 1),
                "axis": {"format": MONEY_AXIS},
            },
            "color": _colour(list(labels.values()), [c for _, c in parties], t("who", lang)),
            "tooltip": [
                {"field": "arrangement", "title": t("arrangement", lang)},
                {"field": "series", "title": t("who", lang)},
                {"field": "value", "title": money_title(lang), "format": MONEY},
            ],
        },
        "height": {"step": 14},
        "title": t("arrangements_title", lang),
    }


def fan(bands: pd.DataFrame, lang: str) -> dict:
    """Percentile bands of the cumulative net per year (``Simulation.bands``)."""
    data = bands.assign(year=bands["calendar_year"])
    for col in ("p5", "p25", "p50", "p75", "p95"):
        data[col] = data[col] / 1e6
    rows = _records(data[["year", "p5", "p25", "p50", "p75", "p95"]])
    x = _year_x(lang)
    return {
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.25, "color": PALETTE["blue"]},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "p5",
                        "type": "quantitative",
                        "title": money_title(lang),
                        "axis": {"format": MONEY_AXIS},
                    },
                    "y2": {"field": "p95"},
                },
            },
            {
                "mark": {"type": "area", "opacity": 0.45, "color": PALETTE["blue"]},
                "encoding": {
                    "x": x,
                    "y": {"field": "p25", "type": "quantitative"},
                    "y2": {"field": "p75"},
                },
            },
            {
                "mark": {"type": "rule", "color": "#888", "aria": False},
                "encoding": {"y": {"datum": 0}},
            },
            {
                "mark": {"type": "line", "point": True, "color": PALETTE["black"]},
                "encoding": {
                    "x": x,
                    "y": {"field": "p50", "type": "quantitative"},
                    "tooltip": [
                        {"field": "year", "title": t("year", lang)},
                        {"field": "p50", "title": t("median", lang), "format": MONEY},
                        {"field": "p5", "title": i18n.percent(0.05, lang), "format": MONEY},
                        {"field": "p95", "title": i18n.percent(0.95, lang), "format": MONEY},
                    ],
                },
            },
        ],
        "title": t("fan_title", lang),
    }


def payback_distribution(shares: pd.Series, start_year: int, lang: str) -> dict:
    """Share of draws paying back in each year, and never (``payback_distribution``)."""
    labels = [str(start_year + y) if y >= 0 else t("never", lang) for y in shares.index]
    rows = [{"year": label, "share": float(v)} for label, v in zip(labels, shares)]
    return {
        "data": {"values": rows},
        "mark": {"type": "bar", "color": PALETTE["blue"]},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": t("year", lang),
                "sort": labels,
                # half a bar of room at each end, so that 'Never' under the last bar is not cut
                "scale": {"paddingOuter": 0.5},
                "axis": {"labelAngle": 0, "labelOverlap": True, "labelSeparation": YEAR_GAP},
            },
            "y": {
                "field": "share",
                "type": "quantitative",
                "title": t("share_of_draws", lang),
                "axis": {"format": PERCENT},
            },
            "tooltip": [
                {"field": "year", "title": t("year", lang)},
                {"field": "share", "title": t("share_of_draws", lang), "format": PERCENT},
            ],
        },
        "title": t("payback_title", lang),
    }


#: The tornado's pixels per input: its name on two lines above its bar, and a gap to the next.
TORNADO_STEP = 56


def tornado(table: pd.DataFrame, labels: dict[str, str], npv: float, lang: str) -> dict:
    """NPV at each input's low and high value, as bars from the point NPV. An input that does
    not move the NPV by itself (a wider gain while wider gains are not counted) draws no row.
    Each input's name ("Outcome: input", on two lines) stands above its bar, so that the bars
    keep the chart's whole width on a phone; the x axis spans the bars, not 0 (they start at
    the point NPV)."""
    rows = []
    moving = table[table["moves_alone"].astype(bool)] if "moves_alone" in table else table
    for row in moving.itertuples():
        for end in ("low", "high"):
            rows.append(
                {
                    "input": labels.get(row.input, row.input),
                    "series": t(end, lang),
                    "from": npv / 1e6,
                    "to": getattr(row, f"npv_{end}") / 1e6,
                }
            )
    order = [labels.get(i, i) for i in table["input"]]
    return {
        "data": {"values": rows},
        "encoding": {
            "y": {"field": "input", "type": "nominal", "title": None, "sort": order, "axis": None}
        },
        "layer": [
            {
                # the bar in the lower part of its row, below the name
                "mark": {"type": "bar", "height": 14, "yOffset": 13},
                "encoding": {
                    "x": {
                        "field": "from",
                        "type": "quantitative",
                        "title": t("npv_axis", lang, year=catalogue.price_year()).split(", ", 1),
                        # a tick every 90 px or so: a span without 0 has many round numbers
                        "axis": {"format": MONEY_AXIS, "tickCount": {"expr": "ceil(width / 90)"}},
                        "scale": {"zero": False},
                    },
                    "x2": {"field": "to"},
                    "color": _colour(
                        [t("low", lang), t("high", lang)],
                        [PALETTE["vermillion"], PALETTE["blue"]],
                        t("value", lang),
                    ),
                    "tooltip": [
                        {"field": "input", "title": t("input", lang)},
                        {"field": "series", "title": t("value", lang)},
                        {"field": "to", "title": money_title(lang), "format": MONEY},
                    ],
                },
            },
            {
                # the name from the plot's left edge, in the upper part of its row, once
                "transform": [
                    {"filter": {"field": "series", "equal": t("low", lang)}},
                    {"calculate": "split(datum.input, ': ')", "as": "lines"},
                ],
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dy": 4 - TORNADO_STEP // 2,
                    "fontSize": 12,
                    "lineHeight": 14,
                    "font": FONT,
                },
                "encoding": {"x": {"value": 0}, "text": {"field": "lines"}},
            },
        ],
        "height": {"step": TORNADO_STEP},
        "title": t("tornado_title", lang),
    }


def for_page(body: dict) -> dict:
    """The chart as the page shows it: the column's width, the page's font, no title (the
    page's heading says what it is)."""
    spec = {k: v for k, v in body.items() if k != "title"}
    spec.setdefault("height", HEIGHT)
    return {
        "$schema": SCHEMA,
        **spec,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": CONFIG,
    }


#: Font sizes of the texts around a downloaded chart (the title's and subtitle's are CONFIG's).
TITLE_SIZE = 15
SUBTITLE_SIZE = 12
FOOTER_SIZE = 11
FOOTER_LINE = 15


def line_chars(font_size: float, width: int = EXPORT_WIDTH) -> int:
    """How many characters a line of ``width`` pixels holds at ``font_size``: at most 0.6 em a
    character, wider than the average of the common sans-serif fonts (DejaVu Sans included)."""
    return int(width / (font_size * 0.6))


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken after a space, and in a link
    after '?' or '&'; a longer piece is cut. Non-breaking spaces (Danish '3,5 %') hold."""
    lines: list[str] = []
    line = ""
    for piece in re.split(r"(?<=[ ?&])", text):
        if line.strip(" ") and piece.strip(" ") and len(line) + len(piece.rstrip(" ")) > width:
            lines.append(line.rstrip(" "))
            line = ""
        line += piece
        while len(line.rstrip(" ")) > width:
            lines.append(line[:width])
            line = line[width:]
    if line.strip(" ") or not lines:
        lines.append(line.rstrip(" "))
    return lines


def for_download(body: dict, description: str | list[str], source: str, link: str) -> dict:
    """The chart for an article: its title, the lines that describe the scenario (a text's
    lines split at newlines), the source and the link; every line wrapped to fit, none cut."""
    chart = {k: v for k, v in body.items() if k != "title"}
    chart.setdefault("height", HEIGHT)
    chart["width"] = EXPORT_WIDTH
    paragraphs = description.split("\n") if isinstance(description, str) else description
    subtitle = [
        line for text in paragraphs if text for line in wrap(text, line_chars(SUBTITLE_SIZE))
    ]
    footer_lines = [
        line for text in (source, link) if text for line in wrap(text, line_chars(FOOTER_SIZE))
    ]
    footer = {
        "data": {"values": [{"i": i, "text": text} for i, text in enumerate(footer_lines)]},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": FOOTER_SIZE,
            "color": "#444",
            "font": FONT,
            "x": 0,
        },
        "encoding": {
            "y": {"field": "i", "type": "ordinal", "axis": None},
            "text": {"field": "text"},
        },
        "width": EXPORT_WIDTH,
        "height": FOOTER_LINE * max(1, len(footer_lines)),
    }
    title = wrap(body.get("title", ""), line_chars(TITLE_SIZE))
    return {
        "$schema": SCHEMA,
        "title": {"text": title[0] if len(title) == 1 else title, "subtitle": subtitle},
        "vconcat": [chart, footer],
        "config": {**CONFIG, "background": "white"},
        "padding": 12,
    }


def for_server(spec: dict) -> dict:
    """``spec`` to be drawn by vl-convert: in SERVER_FONT wherever it names the page's font."""
    if isinstance(spec, dict):
        return {k: for_server(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [for_server(v) for v in spec]
    return SERVER_FONT if spec == FONT else spec
