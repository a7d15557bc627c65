"""A statistic's chart: each citation's interval and period against the primary reading, as inline SVG.

Drawn at build time with Altair and rendered by vl-convert (Vega-Lite to SVG, no browser, no
network), so the page needs no script and the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl
import vl_convert as vlc
from markupsafe import Markup

from validate.publishing.site import words
from validate.publishing.site.content import Statistic
from validate.publishing.site.shown import shown
from validate.text.dates import first_day, last_day

# Fidelity labels in colours that differ in lightness as well as hue;
# the words are in the legend and the axis labels too, so colour is never the only clue.
PALETTE = {
    "faithful": "#1b7837",
    "rounded": "#5aae61",
    "period_dropped": "#b35806",
    "hedge_dropped": "#e08214",
    "period_changed": "#8c510a",
    "reframed": "#762a83",
    "outside": "#b2182b",
    "unverified": "#4d4d4d",
}
# Fonts with Arial's metrics first: vl-convert measures labels with such a font, and a wider one in
# the browser would push them past the picture's edge (the left padding is the margin for that).
_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
_ROW = 34


@dataclass(frozen=True)
class Layout:
    """A chart's size: the wide one for a desktop's column, the narrow one for a phone's."""

    name: str
    width: int  # each panel's plotting width, in pixels
    left: int  # room left of the axis labels, for a browser font wider than vl-convert's
    numbers_only: bool  # label each citation by its number alone (the text alternative names it)
    ticks: int  # about this many ticks fit the periods' axis with their labels apart


# The wide chart (743 pixels) shrank to fit a phone's 343, its labels to 5 pixels: a phone draws a
# chart of its own, as wide as its screen, each citation labelled by its number.
WIDE = Layout("wide", width=460, left=60, numbers_only=False, ticks=8)
NARROW = Layout("narrow", width=250, left=8, numbers_only=True, ticks=4)
LAYOUTS = (WIDE, NARROW)


def _data(values: list[dict[str, Any]]) -> Any:
    return alt.InlineData(values=values)


def _title(titles: dict[str, str], source_id: Any) -> str:
    return titles.get(str(source_id), str(source_id))


def _finite(values: list[Any]) -> list[float]:
    return [float(v) for v in values if v is not None]


def _category(claim: dict[str, Any]) -> str:
    return str(claim["label"])


def _category_words(code: str) -> str:
    return words.label(code) if code in words.LABELS else code


# Citations in the order of their numbers ("order" holds each one's), not by name.
_BY_NUMBER = alt.EncodingSortField(field="order", op="min", order="ascending")


def citation_name(number: int, claim: dict[str, Any], title: str) -> str:
    """How the chart and its text alternative name a citation: its number and its source, shortened."""
    short = title if len(title) <= 38 else title[:37].rstrip() + "…"
    # Shown as the page shows it: a control character in a title made vl-convert abort the build.
    return str(shown(f"{number}. {short}"))


def _value_rows(statistic: Statistic, titles: dict[str, str]) -> tuple[list[dict[str, Any]], float, float]:
    claims = statistic.shown_claims
    bounds = _finite([c.get("value_low") for c in claims] + [c.get("value_high") for c in claims])
    bounds += _finite([c.get("value") for c in claims])
    primary = statistic.agreement
    bounds += _finite([statistic.row.get("primary_value"), primary.get("primary_low"), primary.get("primary_high")])
    top = max(bounds, default=1.0)
    bottom = min([*bounds, 0.0])
    # An open end is drawn to a margin beyond every finite bound, dashed, and said so in words.
    far_high = top + (top - bottom) * 0.25 or 1.0
    far_low = bottom - (top - bottom) * 0.25 if bottom < 0 else bottom
    rows = []
    for n, c in enumerate(claims, 1):
        category = _category(c)
        low, high = c.get("value_low"), c.get("value_high")
        rows.append(
            {
                "citation": citation_name(n, c, _title(titles, c["source_id"])),
                "order": n,
                "fidelity": _category_words(category),
                "category": category,
                "low": float(low) if low is not None else far_low,
                "high": float(high) if high is not None else far_high,
                "value": float(c["value"]),
                "open": "open end" if low is None or high is None else "closed",
            }
        )
    return rows, far_low, far_high


def _period_rows(statistic: Statistic, titles: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for n, c in enumerate(statistic.shown_claims, 1):
        if c.get("period_from") is None or c.get("period_to") is None:
            continue
        rows.append(
            {
                "citation": citation_name(n, c, _title(titles, c["source_id"])),
                "order": n,
                "fidelity": _category_words(_category(c)),
                "category": _category(c),
                "start": _iso(c["period_from"]),
                "end": _iso(_next_day(c["period_to"])),
            }
        )
    return rows


def _iso(day: Any) -> str:
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def _colour(categories: list[str]) -> alt.Color:
    present = sorted(set(categories))
    return alt.Color(
        "fidelity:N",
        title="Fidelity",
        scale=alt.Scale(
            domain=[_category_words(c) for c in present], range=[PALETTE.get(c, "#4d4d4d") for c in present]
        ),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )


def _citation_axis(layout: Layout) -> alt.Y:
    # A citation's name starts with its number and a full stop (citation_name): the narrow chart
    # keeps that number, an expression over the label Vega made, not over the data.
    if layout.numbers_only:
        axis = alt.Axis(labelExpr="split(datum.label, '.')[0]", title="Citation")
        return alt.Y("citation:N", sort=_BY_NUMBER, axis=axis)
    return alt.Y("citation:N", title=None, sort=_BY_NUMBER, axis=alt.Axis(labelLimit=320))


def chart_spec(statistic: Statistic, titles: dict[str, str], layout: Layout = WIDE) -> dict[str, Any] | None:
    """The Vega-Lite specification of the statistic's chart (of the citations its page shows) in
    the given layout, or None when it has no citation."""
    if not statistic.shown_claims:
        return None
    values, far_low, far_high = _value_rows(statistic, titles)
    # Sorted by the citation's number, a field of each row: a list of the names, as Vega-Lite
    # turns it into one nested expression, overflowed the stack at 2,000 citations.
    y = _citation_axis(layout)
    colour = _colour([r["category"] for r in values])
    unit = words.UNITS.get(str(statistic.row.get("unit")), "value")
    base = alt.Chart(_data(values))
    # The axis ends where open ends stop (no "nice" rounding past them), so an open end reaches the
    # edge and never reads as a bound.
    scale = alt.Scale(domain=[far_low, far_high], nice=False, zero=False)
    layers: list[Any] = [
        base.mark_rule(strokeWidth=6).encode(
            x=alt.X(
                "low:Q",
                title=f"Value ({unit})",
                axis=alt.Axis(format=",~r", labelOverlap=True, tickCount=6),
                scale=scale,
            ),
            x2="high:Q",
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "open:N",
                title="Interval end",
                scale=alt.Scale(domain=["closed", "open end"], range=[[1, 0], [10, 4]]),
                # A symbol long enough to show a dash and its gap: at the default length "open end"
                # looked as solid as "closed".
                legend=alt.Legend(orient="bottom", direction="vertical", symbolSize=400, symbolStrokeWidth=3),
            ),
        ),
        # The stated value in its citation's colour, outlined in black: an interval narrower than
        # the diamond (675, read as [674.5, 675.5], on an axis to 800) shows its fidelity here.
        base.mark_point(shape="diamond", size=90, filled=True, stroke="#000000", strokeWidth=1, opacity=1).encode(
            x=alt.X("value:Q", axis=alt.Axis(format=",~r")), y=y, color=colour
        ),
    ]
    primary = _primary_value_layer(statistic, far_low, far_high)
    if primary is not None:
        layers.append(primary)
    panels: list[Any] = [alt.layer(*layers).properties(width=layout.width, height=_ROW * len(values), title="Values")]
    periods = _period_rows(statistic, titles)
    if periods or statistic.row.get("primary_period_start"):
        panels.append(_period_panel(statistic, periods, colour, layout))
    chart = (
        alt.vconcat(*panels)
        .properties(padding={"left": layout.left, "right": 10, "top": 5, "bottom": 5})
        .configure(aria=False, font=_FONT)
        .configure_view(stroke="#767676")
    )
    # Not validated against Vega-Lite's JSON Schema: the code, not the data, shapes the spec, and
    # validating took a fifth of the spec's time (0.006 s a chart) for the same dict.
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


def _primary_value_layer(statistic: Statistic, far_low: float, far_high: float) -> Any:
    a, row = statistic.agreement, statistic.row
    low, high = a.get("primary_low"), a.get("primary_high")
    if low is not None or high is not None:
        # An open end reaches the same margin as the citations' open ends ("more than 29,269" is a
        # band from 29,269 to the edge, not a line of no width).
        band = [
            {
                "low": float(low) if low is not None else far_low,
                "high": float(high) if high is not None else far_high,
                "what": "primary reading",
            }
        ]
        return alt.Chart(_data(band)).mark_rect(opacity=0.25, color="#000000").encode(x="low:Q", x2="high:Q")
    if row.get("primary_value") is not None:
        point = [{"value": float(row["primary_value"]), "what": "primary reading"}]
        return alt.Chart(_data(point)).mark_rule(color="#000000", strokeWidth=2, strokeDash=[2, 2]).encode(x="value:Q")
    return None


def _period_panel(statistic: Statistic, periods: list[dict[str, Any]], colour: alt.Color, layout: Layout) -> Any:
    y = _citation_axis(layout)
    bands: list[dict[str, Any]] = []
    start, end = statistic.row.get("primary_period_start"), statistic.row.get("primary_period_end")
    if start:
        # The reduced-precision dates read as everywhere else (validate.text.dates).
        first, last = pl.select(
            first_day(pl.lit(str(start))).alias("first"), last_day(pl.lit(str(end or start))).alias("last")
        ).row(0)
        bands.append({"start": _iso(first), "end": _iso(_next_day(last))})
    days = [dt.date.fromisoformat(str(r[k])) for r in [*periods, *bands] for k in ("start", "end")]
    first, last = min(days), max(days)
    scale: Any = alt.Undefined  # Vega's own domain, the periods' span
    if (last - first).days < _LEAST_DAYS:
        # A period of one day filled the panel's width, as if it were a long one: a few days'
        # span is drawn inside a fortnight, its place in time as wide as it is.
        need = _LEAST_DAYS - (last - first).days
        first = max(first - dt.timedelta(days=need // 2), dt.date.min)
        last = min(last + dt.timedelta(days=need - need // 2), dt.date.max)
        scale = alt.Scale(domain=[_iso(first), _iso(last)])
    x = alt.X("start:T", title="Period", axis=_time_axis(first, last, layout.ticks), scale=scale)
    layers: list[Any] = []
    if periods:
        layers.append(alt.Chart(_data(periods)).mark_rule(strokeWidth=6).encode(x=x, x2="end:T", y=y, color=colour))
    if bands:
        layers.append(alt.Chart(_data(bands)).mark_rect(opacity=0.25, color="#000000").encode(x=x, x2="end:T"))
    height = _ROW * max(len(periods), 1)
    return alt.layer(*layers).properties(width=layout.width, height=height, title="Periods")


# The shortest span the periods' axis covers, in days.
_LEAST_DAYS = 14


def _time_axis(first: dt.date, last: dt.date, ticks: int = WIDE.ticks) -> alt.Axis:
    """Ticks a whole month (or, for a span of under three months, a whole day) apart, labelled to
    match: left to itself, Vega put weekly ticks on a week's span, all labelled "2018-01". Never
    more than about twice `ticks` of them, whatever the span."""
    days = (last - first).days
    if days < 92:
        # Every day up to a fortnight (labelOverlap thins the labels), weeks past it: a step of
        # several days restarts at each month's first and spaced them unevenly (01-29, 01-31, 02-01).
        interval, step = ("day", 1) if days <= 14 else ("week", max(1, -(-days // (7 * ticks))))
        return alt.Axis(format="%Y-%m-%d", tickCount={"interval": interval, "step": step}, labelOverlap=True)
    months = (last.year - first.year) * 12 + last.month - first.month
    step = max(1, -(-months // ticks))
    if step <= 6:
        # Vega keeps the months whose number the step divides, afresh each year: a step of 5 drew
        # 2012-11, 2013-01, 2013-06, 2013-11, 2014-01. A step that divides 12 spaces them evenly
        # (one of 7 to 11 months is a year's, below).
        step = next(s for s in (1, 2, 3, 4, 6) if s >= step)
        return alt.Axis(format="%Y-%m", tickCount={"interval": "month", "step": step}, labelOverlap=True)
    # Vega keeps the months whose number a month step divides, so a step of a year or more kept
    # each January: a tick a year, 10,000 of them for a period from 0001 to 9999. Years are stepped
    # instead: a tick each January up to twice `ticks` years, as before (labelOverlap thins the
    # labels), and past that every 2, 5, 10, 20, 50... years.
    years = last.year - first.year
    return alt.Axis(
        format="%Y-%m", tickCount={"interval": "year", "step": _round_step(years / (2 * ticks))}, labelOverlap=True
    )


def _round_step(least: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that is at least `least`."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if step >= least:
                return step
        power *= 10


def _next_day(day: dt.date) -> dt.date:
    # A period is drawn to the start of the day after its last; the last day a date can hold
    # (9999-12-31, which the contract's pattern allows) is drawn to its own start instead.
    return day + dt.timedelta(days=1) if day < dt.date.max else day


_SVG_START = re.compile(r"<svg\b")
# Vega gives its mark containers ARIA roles even with aria switched off; inside one role="img" they
# would be unnamed images. Only tags are touched: data text in the SVG has its "<" escaped.
_MARK_ROLES = re.compile(r'(<g\b[^<>]*?) (?:role="graphics-[a-z-]+"|aria-roledescription="[^"<>]*")')


def render_svg(spec: dict[str, Any], described_by: str) -> Markup:
    """The chart as an SVG element to inline, named by the element whose id is `described_by`."""
    svg = vlc.vegalite_to_svg(spec)
    while True:
        svg, n = _MARK_ROLES.subn(r"\1", svg)
        if not n:
            break
    # One image to assistive technology, named by its text alternative beside it.
    svg = _SVG_START.sub(f'<svg role="img" aria-labelledby="{described_by}" focusable="false"', svg, count=1)
    return Markup(svg)


def render_layouts(statistic: Statistic, titles: dict[str, str], described_by: str) -> dict[str, Markup] | None:
    """The chart in every layout, by the layout's name, or None when it has no citation. The page
    holds them all, and its style shows the one that fits the screen (the others are hidden, from
    assistive technology too)."""
    specs = {layout.name: chart_spec(statistic, titles, layout) for layout in LAYOUTS}
    return {name: render_svg(spec, described_by) for name, spec in specs.items() if spec is not None} or None


def text_alternative(statistic: Statistic, titles: dict[str, str]) -> list[str]:
    """The chart in sentences, one per citation it draws after a first about the primary reading."""
    unit = statistic.row.get("unit")
    out = []
    row, a = statistic.row, statistic.agreement
    if a.get("primary_low") is not None or a.get("primary_high") is not None:
        out.append(
            "Grey band: the primary reading, "
            + words.interval(
                a.get("primary_low"),
                a.get("primary_high"),
                a.get("primary_low_inclusive"),
                a.get("primary_high_inclusive"),
                unit,
            )
            + "."
        )
    elif row.get("primary_value") is not None:
        out.append(f"Dotted line: the primary reading, {words.number(row['primary_value'], unit)}.")
    else:
        out.append("No primary reading: the citations are compared with each other only.")
    for n, c in enumerate(statistic.shown_claims, 1):
        interval = words.interval(
            c.get("value_low"), c.get("value_high"), c.get("low_inclusive"), c.get("high_inclusive"), unit
        )
        period = words.period(c.get("period_start"), c.get("period_end"))
        if c.get("period_start") or c.get("period_end"):
            period = f"period {period}"  # not "period no period stated"
        if c.get("duration"):
            period += f", a length of {words.duration(c['duration'])}"
        out.append(
            f"{citation_name(n, c, _title(titles, c['source_id']))}: {interval}; "
            f"{period}; {_category_words(_category(c)).lower()}."
        )
    return out
