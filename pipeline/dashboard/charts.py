"""Pure Altair chart builders: data frames in, charts out (tested on their Vega-Lite dicts).

Feed text never goes into a chart: only days, ISO3 codes, topics, outlets and numbers do.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

PAIR_PICK = "pair_pick"  # the selection parameter whose value (a pair key) opens the Pair explorer
CUE_COLORS = alt.Scale(domain=["cooperation", "confrontation"], range=["#2e7d32", "#c62828"])
GAP_COLORS = alt.Scale(domain=["no ingest run", "low volume"], range=["#ef6c00", "#fdd835"])
CHANGE_COLORS = alt.Scale(domain=["added", "stopped"], range=["#1565c0", "#6a1b9a"])
# Series, topics and outlet countries: the theme's 10 colours repeat from the 11th category on (trade was drawn
# in diplomacy's blue); 20 distinct ones cover the 11 topics (+ none) and a pair's outlet countries.
CATEGORY_COLORS = alt.Scale(scheme="tableau20")
# Vega-Lite time units matching our buckets, so a bar spans its whole day, week or month.
TIME_UNITS = {"day": "yearmonthdate", "week": "yearweek", "month": "yearmonth"}
DATE_FORMATS = {"day": "%b %d", "week": "%b %d", "month": "%b %Y"}
# Bars over time leave 1 px between them: Streamlit's theme leaves more, which is a whole 90-day bar's width
# in a dashboard column (the bars faded to hairlines).
TIME_BAR_SPACING = 1
RANKED_AXIS_PX = 50


def _time_x(field: str, grain: str, banded: bool = False) -> alt.X:
    """A time axis with one tick per bucket at most (no '12 PM' ticks on daily data)."""
    axis = alt.Axis(format=DATE_FORMATS[grain], tickCount={"interval": grain, "step": 1},
                    title=None)
    if banded:
        return alt.X(f"{TIME_UNITS[grain]}({field}):T", axis=axis)
    return alt.X(f"{field}:T", axis=axis)


def _count_y(field: str, title: str, percent: bool = False, stack=None) -> alt.Y:
    axis = alt.Axis(format=".0%") if percent else alt.Axis(format="d", tickMinStep=1)
    return alt.Y(f"{field}:Q", title=title, axis=axis, stack=stack)


def volume(daily: pd.DataFrame, gaps: pd.DataFrame) -> alt.LayerChart:
    """Articles per day as bars; ingest-gap days shaded behind them, coloured by reason."""
    kinds = gaps.assign(kind=gaps["reason"].str.replace(r" \(.*", "", regex=True))
    shading = alt.Chart(kinds).mark_rect(opacity=0.3).encode(
        x=_time_x("day", "day", banded=True), color=alt.Color("kind:N", scale=GAP_COLORS, title="ingest gap"),
        tooltip=[alt.Tooltip("day:T"), "reason:N"])
    bars = alt.Chart(daily).mark_bar(color="#4c78a8", binSpacing=TIME_BAR_SPACING).encode(
        x=_time_x("day", "day", banded=True), y=_count_y("articles", "Articles"),
        tooltip=[alt.Tooltip("day:T"), alt.Tooltip("articles:Q")])
    return alt.layer(shading, bars).properties(height=260)


def ranked_bars(frame: pd.DataFrame, label: str, value: str, title: str, color: str | None = None) -> alt.Chart:
    """Horizontal bars sorted by value (rising pairs, outlets)."""
    encoding = {"y": alt.Y(f"{label}:N", sort="-x", title=None),
                "x": alt.X(f"{value}:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1)),
                "tooltip": list(frame.columns)}
    if color:
        encoding["color"] = alt.Color(f"{color}:N", scale=CATEGORY_COLORS)
    # 24 px a bar plus the x axis and its title: Streamlit fits the whole chart into `height`, and bars thinner
    # than a label lose every other label
    return alt.Chart(frame).mark_bar().encode(**encoding).properties(height=max(120, 24 * len(frame) + RANKED_AXIS_PX))


def lines(frame: pd.DataFrame, value_title: str, grain: str, rolling: int = 1, markers: pd.DataFrame | None = None,
          percent: bool = False) -> alt.LayerChart:
    """One line per series over `bucket`; `rolling` > 1 smooths with a trailing mean of that many buckets.

    `markers` (day, change, feed_ids) become dashed rules where the feed set changed.
    """
    fmt = ".1%" if percent else ",.2~f"
    base = alt.Chart(frame).encode(x=_time_x("bucket", grain),
                                   color=alt.Color("series:N", title=None, scale=CATEGORY_COLORS))
    if rolling > 1:
        base = base.transform_window(smoothed="mean(value)", frame=[-(rolling - 1), 0], groupby=["series"],
                                     sort=[{"field": "bucket"}])
        field = "smoothed"
    else:
        field = "value"
    line = base.mark_line(point=True).encode(
        y=_count_y(field, value_title, percent) if rolling == 1 else alt.Y(f"{field}:Q", title=value_title),
        tooltip=["series:N", "bucket:T", alt.Tooltip("articles:Q"), alt.Tooltip(f"{field}:Q", format=fmt)])
    layers = [line]
    if markers is not None and len(markers):
        layers.append(alt.Chart(markers).mark_rule(strokeDash=[4, 3], strokeWidth=2).encode(
            x="day:T", color=alt.Color("change:N", scale=CHANGE_COLORS, title="feed set"),
            tooltip=["day:T", "change:N", "feed_ids:N"]))
    return alt.layer(*layers).resolve_scale(color="independent").properties(height=320)


def _pair_pick() -> alt.Parameter:
    return alt.selection_point(name=PAIR_PICK, fields=["pair"], on="click", clear="dblclick")


def heatmap(cells: pd.DataFrame, value_title: str, order: list[str]) -> alt.Chart:
    """Country × country matrix; clicking a cell selects its pair."""
    pick = _pair_pick()
    return alt.Chart(cells).mark_rect(stroke="white").encode(
        x=alt.X("col:N", sort=order, title=None), y=alt.Y("row:N", sort=order, title=None),
        color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="blues")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
        tooltip=["pair:N", "together:Q", alt.Tooltip("value:Q", title=value_title, format=".3g")],
    ).add_params(pick).properties(height=max(240, 26 * len(order)))


def network(nodes: pd.DataFrame, edges: pd.DataFrame) -> alt.LayerChart:
    """Countries as circles (size = articles), co-mentions as lines; clicking an edge's midpoint selects it."""
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x, y = alt.X("x:Q", axis=axis), alt.Y("y:Q", axis=axis)
    links = alt.Chart(edges).mark_rule(color="#9e9e9e").encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", strokeWidth=alt.StrokeWidth("together:Q", scale=alt.Scale(range=[1, 8]),
                                                                    legend=None))
    pick = _pair_pick()
    midpoints = alt.Chart(edges).transform_calculate(mx="(datum.x + datum.x2) / 2", my="(datum.y + datum.y2) / 2") \
        .mark_circle(size=140, color="#616161").encode(
            x=alt.X("mx:Q", axis=axis), y=alt.Y("my:Q", axis=axis), tooltip=["pair:N", "together:Q"],
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.35))).add_params(pick)
    circles = alt.Chart(nodes).mark_circle(color="#4c78a8", opacity=0.85).encode(
        x=x, y=y, size=alt.Size("articles:Q", scale=alt.Scale(range=[200, 2000]), legend=None),
        tooltip=["iso3:N", "articles:Q"])
    labels = alt.Chart(nodes).mark_text(fontWeight="bold", dy=-18).encode(x=x, y=y, text="iso3:N")
    return alt.layer(links, midpoints, circles, labels).properties(height=460)


def stacked(frame: pd.DataFrame, value: str, color: str, title: str, grain: str,
            scale: alt.Scale | None = None) -> alt.Chart:
    """Stacked bars over `bucket` (topics of a pair, cue counts), one bar per day, week or month."""
    return alt.Chart(frame).mark_bar(binSpacing=TIME_BAR_SPACING).encode(
        x=_time_x("bucket", grain, banded=True), y=_count_y(value, title, stack="zero"),
        color=alt.Color(f"{color}:N", title=None, scale=scale or CATEGORY_COLORS),
        tooltip=["bucket:T", f"{color}:N", f"{value}:Q"]).properties(height=260)


def matrix(frame: pd.DataFrame, x: str, y: str, value: str, x_order: list[str]) -> alt.Chart:
    """A plain heatmap with the numbers written in the cells (topic × country)."""
    base = alt.Chart(frame).encode(x=alt.X(f"{x}:N", sort=x_order, title=None), y=alt.Y(f"{y}:N", title=None))
    cells = base.mark_rect().encode(color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="greens")),
                                    tooltip=[f"{y}:N", f"{x}:N", f"{value}:Q"])
    text = base.mark_text().encode(text=f"{value}:Q")
    return alt.layer(cells, text).properties(height=max(200, 28 * frame[y].nunique()))
