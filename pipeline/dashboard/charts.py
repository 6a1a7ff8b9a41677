"""Pure Altair chart builders: data frames in, charts out (tested on their Vega-Lite dicts).

Feed text never goes into a chart: only days, ISO3 codes, topics, outlets and numbers do.
"""
from __future__ import annotations

import math
import re
import textwrap
import zlib

import altair as alt
import pandas as pd

from ..tagging.model import CUES, NO_TOPIC, TOPIC_ID
from . import transforms

# Altair's debug mode validates every schema object as it is made: a selection parameter took 0.2 s, and the pages
# spent most of their run building charts. Streamlit still validates each whole chart once, when it draws it.
alt.utils.schemapi.disable_debug_mode()
# Encodings are channel objects (alt.Tooltip("pair:N"), alt.X2(...), alt.OpacityValue(...)), never shorthand strings nor
# alt.value() dicts: Altair reads those through from_dict, which hashes its ~570 schema classes anew each time.

# Streamlit's chart theme writes axis, legend and facet-header text in grey #808495: 3.7:1 on the light theme's
# white, under WCAG AA's 4.5:1 for text. Vega's built-in `background` signal holds the theme's background (Streamlit
# draws a chart anew when the reader switches theme), so an expression can choose by page: a dark ink on a light page
# (6.4:1) and Streamlit's own light grey on a dark one (10.5:1 on its #171614).
INK_ON_LIGHT, INK_ON_DARK = "#5b5e6b", "#bfc5d3"
DARK_PAGE = "#171614"  # Streamlit's dark theme's background
# The palettes' colours under 3:1 on DARK_PAGE (WCAG's least for graphics; military's black was 1.2:1, its line
# invisible) and the lighter twin each takes on a dark page, of its hue family (black's a light grey, nuclear's brown a
# tan: darker browns fell within 6-14 of humanitarian, trade or technology to a deuteranope). Found by a search
# keeping every palette 15 apart there too, simulated and for normal vision (tests/dashboard/test_charts.py).
ON_DARK = {
    "#000000": "#dddddd", "#004488": "#007cf8", "#08519c": "#0b78e8", "#225522": "#3f793f", "#332288": "#7965de",
    "#616161": "#6d6d6d", "#663333": "#d4a382", "#6a1b9a": "#a77dc1", "#882255": "#cc2b7b", "#aa3377": "#bf3082",
}


def by_page(on_light: str, on_dark: str) -> alt.ExprRef:
    """A colour that is `on_dark` on a dark page and `on_light` on any other (a page of no colour too)."""
    return alt.ExprRef(f"0.5 > luminance(background) ? '{on_dark}' : '{on_light}'")


def on_page(look: str | list[int]) -> str | list[int] | alt.ExprRef:
    """`look` as drawn: a colour of ON_DARK chooses its twin on a dark page; any other look is itself."""
    twin = ON_DARK.get(look) if isinstance(look, str) else None
    return look if twin is None else by_page(look, twin)


INK = by_page(INK_ON_LIGHT, INK_ON_DARK)

PAIR_PICK = "pair_pick"  # the selection parameter whose value (a pair key) opens the Pair explorer
CELL_PICK = "cell_pick"  # the selection parameter of a clicked matrix cell (its x and y values)
DAY_PICK = "day_pick"  # the selection parameter of a clicked bar over time (its day or bucket)
# The day a click on a bar over time selects, as text: Vega reads the chart's dates as local time and hands a date
# field back as epoch milliseconds of local midnight, the day before in UTC for a browser east of Greenwich.
PICKED_DAY = "picked_day"
NEAREST_CELLS = "nearest_cells"  # lays out the cells around a line chart's points (_nearest_point_pick)
FEED_CHANGES = "feed_changes"  # the layer of a line chart's feed-set rules: Vega names its marks after it
INGEST_GAPS = "ingest_gaps"  # ... and of the volume chart's gap shading
# blue and orange, not green and red: those two have one lightness, and to the red-green colour-blind one olive
CUE_HUES = ("#08519c", "#e66101")
CUE_COLORS = alt.Scale(domain=list(CUES), range=[on_page(hue) for hue in CUE_HUES])
CUE_TINTS = dict(zip(CUES, ["#c6dbef", "#fdd0a2"]))  # the same hues, light enough for dark text on them
# Every palette below is checked as the red-green colour-blind see it (tests/dashboard/test_charts.py simulates
# deuteranopia and protanopia, Machado 2009): to a deuteranope the old "no ingest run" orange and "low volume" yellow
# shadings were 8 apart (CIE76 ΔE, at their opacity), military red and trade green one olive (7), and the third and
# fifth series hues (tableau10's red and green) 1.7, the same colour. The hues below were picked by a search over
# Okabe-Ito, Paul Tol's, ColorBrewer's and Tableau's palettes: each pair apart in lightness or on the blue-yellow axis,
# the one a red-green colour-blind reader keeps.
GAP_OPACITY = 0.3
GAP_COLORS = {"no ingest run": "#616161", "low volume": "#fdd835"}  # grey and yellow: 28 apart shaded, simulated
CHANGE_COLORS = {"added": "#1565c0", "stopped": "#6a1b9a"}
CHANGE_DASHES = {"added": [6, 3], "stopped": [2, 2]}  # the two rules' colours are 12 apart to a deuteranope
# Points of each series take a shape of their own beside its colour (lines), in the same order: colour alone fails
# some reader whatever the palette. Eight, then again from the first: with its colour, a shape still tells the ninth.
SERIES_SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right",
                 "triangle-left")
# The lines a reader picks (series_hues): by position in the order picked, RUS went from blue to orange when CHN
# joined it. The first six at least 30 apart simulated (the old ones 1.7); all ten 13.6 and 3:1 on either theme's page
# (the ninth and tenth, a lighter green and tableau's orange, were 2.8 and 2.5:1 on white: a violet has the room).
SERIES_HUES = ("#377eb8", "#a6761d", "#ee6677", "#225522", "#332288", "#000000", "#882255", "#b07aa1", "#33aa44",
               "#9933ee")
# Countries and pairs of a chart given no hues, by their order: those hues too (tableau10 has the same red and green).
CATEGORY_COLORS = alt.Scale(range=[on_page(hue) for hue in SERIES_HUES])
# More categories than that (a pair's outlets come from up to 21 countries with the seed feeds) would repeat its
# hues, two countries' outlets in one orange; nine hues and a grey for the rest left 12 of 21 grey. So eighteen, dark
# shades first: the first nine take the dark shade of a hue and the next nine a light one (its HLS hue within 0.03),
# nine apart (tableau20's own order puts a hue's two shades side by side: the two busiest countries were two blues).
# The first six are 16 apart simulated (tableau20's dark shades 1.7), the nine 11; for normal vision all eighteen and
# the grey 12 (CIEDE2000; light shades of one lightness were 2 apart, two pinks). The rest share its light
# grey, under a legend entry naming them (_other_label); the bar's label and tooltip name its own value. Which come
# first follows an order the page gives (ranked_bars), so that a category keeps its colour from chart to chart.
CATEGORY_HUES = ("#332288", "#ff7f0e", "#e41a1c", "#009988", "#228833", "#aa4499", "#882255", "#9467bd", "#33bbee",
                 "#a79aea", "#ffbe85", "#f29192", "#85fff1", "#9aeaa7", "#d779d8", "#ea9ac2", "#cbbfe3", "#86c5cb")
OTHER_GREY = "#bab0ac"
OTHER_NAMED = 3  # how many of the values sharing OTHER_GREY its legend entry names: "(other: CHL, KEN, ZAF +2)"
# A topic keeps its colour on every page, whichever topics a chart shows; "(none)" is a neutral grey. Every topic of
# seeds/topics has one (tested). Any two are at least 16 apart simulated on either theme's page (the old ones 4.2:
# energy, tourism and education_culture one ochre, military and trade one olive), and 22 for normal vision (CIE76).
# Each is 3:1 on white at least (WCAG's least for graphics): tourism's gold was 2.1:1, sanctions' cyan 2.3, trade's
# green 2.8; a deeper gold took energy's orange to burnt orange, 16 apart from it to a deuteranope (a helper's search).
TOPIC_COLORS = {
    NO_TOPIC: "#9e9e9e", "diplomacy": "#0077bb", "education_culture": "#aa3377", "energy": "#c04800",
    "finance": "#004488", "humanitarian": "#ee3377", "military": "#000000", "nuclear": "#663333",
    "sanctions": "#00a2b8", "technology": "#666633", "tourism": "#c88800", "trade": "#42a448",
}
ADDED_TOPIC = re.compile(f"{TOPIC_ID}|{re.escape(NO_TOPIC)}")  # a topic's id, or none
# The two of SERIES_HUES farthest from every topic's colour, measured as the topic colours were (CIE76 on the light
# page: 31 and 66 for normal vision, 12 and 16 at least to a red-green colour-blind reader; on the dark page a
# deuteranope sees the purple within 4 of a topic's). The others lie near military's black, trade's green,
# tourism's gold, diplomacy's blue or humanitarian's pink.
ADDED_TOPIC_HUES = ("#9933ee", "#332288")
# Day and week labels name the year only when the buckets span more than one; month labels always do.
DATE_FORMATS = {"day": "%b %d", "week": "%b %d", "month": "%b %Y"}
DATE_FORMATS_WITH_YEAR = {"day": "%b %d, %Y", "week": "%b %d, %Y", "month": "%b %Y"}  # months: not "Jan 01, 2025"
MAX_TIME_LABELS = 10
RANKED_LABEL_PX = 280
# Bars over time leave 1 px between them: Streamlit's theme leaves more, which is a whole 90-day bar's width
# in a dashboard column and fades the bars to hairlines. Bars narrower than MIN_SPACED_BAR_PX leave none: 944 days
# in 700 px, or 140 weeks in 150 px, left 0 px of bar between 1 px gaps, and the chart drew nothing.
TIME_BAR_SPACING = 1
MIN_SPACED_BAR_PX = 4
# Points and bars of a bucket cut by the date range (rows whose `note` is not empty) are drawn, but marked.
COMPARABLE = "datum.note === ''"
NOT_COMPARABLE = f"!({COMPARABLE})"
PARTIAL_BAR_OPACITY = 0.35
# What a tooltip row of each field is titled: the frames' column names (grew_most, bucket_sentences) read as code.
# Fields absent here are titled by their own name, a word (pair, topic, articles).
TOOLTIP_TITLES = {
    "bucket_sentences": "sentences in the bucket", "iso3": "country", "together": "articles together",
    "change": "articles gained", "current": "articles in these dates", "previous": "articles in the period before",
    "grew_most": "topic that grew most", "undated": "articles without a usable date",
    "outlet_country": "outlet's country", "naming_either": "articles naming either", "reason": "ingest gap",
    "note": "not comparable",
}
COUNT_FORMAT = ",d"  # every number a tooltip row of _tooltips shows is a count: 12,345, not 12345
# A bucket's row: titled by its grain, a month by its month alone ("2025-03", not its first day)
BUCKET_TOOLTIPS = {"day": ("day", "%Y-%m-%d"), "week": ("week of", "%Y-%m-%d"), "month": ("month", "%Y-%m")}
RANKED_BAR_PX = 28
RANKED_LEAST_PX = 60  # the plot of one or two bars
LEGEND_ROW_PX = 30
LEGEND_COLUMNS = 3  # legends below a chart in a half-width column (at 800 px a right legend leaves 30 px of bars)
# ... as many of those columns as the chart's width holds: three fixed ones run past a 230 px chart at 800 px,
# cutting its labels and hiding the third column's topics.
LEGEND_CHAR_PX = 6  # a legend label's width per character (11 px font), plus the symbol and gap
LEGEND_SYMBOL_PX = 30
# Axis titles longer than this break into lines: Vega does not wrap them, and one line runs past both ends of a
# 320 px trend's y axis, a 180 px bar chart at 800 px, or a Pair explorer y axis squeezed by its legend at 800 px.
AXIS_TITLE_CHARS = 20
# A matrix cell's number is written in white above this share of the largest value (black on dark green
# is unreadable).
LIGHT_TEXT_ABOVE = 0.6
# ... and only in cells as wide as its longest number (7 px a digit of the 11 px font, a margin either side): a phone's
# 288 px chart gave twelve countries 6 px columns, and "44", "22", "14" ran into one another ("4422142"). The table
# below the matrix, and each cell's tooltip, give every number.
MATRIX_DIGIT_PX, MATRIX_TEXT_MARGIN_PX = 7, 2
MATRIX_ROW_PX = 28
# A chart's `height` its plot's alone, the axes and legends drawn around it: Streamlit's "fit" fits them into it too,
# and a legend below, taller where a narrow chart leaves it fewer columns, would squeeze the marks
PLOT_HEIGHT = alt.AutoSizeParams(type="fit-x", contains="padding")


def _bucket_ticks(starts: pd.Series) -> list[pd.Timestamp]:
    """Evenly spaced bucket starts, at most MAX_TIME_LABELS."""
    ticks = sorted(pd.to_datetime(starts).unique())
    return ticks[::max(1, math.ceil(len(ticks) / MAX_TIME_LABELS))]


def _date_time(moment) -> alt.DateTime:
    moment = pd.Timestamp(moment)
    return alt.DateTime(year=moment.year, month=moment.month, date=moment.day)


def _local_date(moment) -> str:
    """`moment`'s day as a Vega expression of local midnight, as a DateTime is (Vega counts months from 0)."""
    moment = pd.Timestamp(moment)
    return f"datetime({moment.year}, {moment.month - 1}, {moment.day})"


def _time_x(starts: pd.Series, grain: str, field: str = "bucket", domain: tuple | None = None) -> alt.X:
    """A time axis labelled only at bucket starts (`starts`), over `domain` (first start, last end) when given.

    Vega's own week ticks and `yearweek` start on Sunday while DuckDB's weeks start on Monday, and banded
    ticks labelled the day after the range: explicit values are the buckets themselves. Dates are local
    on both sides (data and DateTime), so the labels hold in every browser time zone.

    Each label is centred on its bucket's start: Streamlit's theme flushes the first one to the right of its tick
    (labelFlush), and over a few days in a narrow column it ran into the second ("Sep 14Sep 15"), or labelOverlap hid
    the second.

    The domain is an expression, not DateTimes: those in the domain of an x with an x2 (a bar's span) reach Vega-Lite
    6.4 in two forms it cannot merge, and it warned ("Conflicting scale property domain", then "Infinite extent").
    """
    ticks = _bucket_ticks(starts)
    one_year = len({tick.year for tick in ticks}) <= 1
    axis = alt.Axis(values=[_date_time(t) for t in ticks], title=None,
                    format=(DATE_FORMATS if one_year else DATE_FORMATS_WITH_YEAR)[grain], labelOverlap=True,
                    labelFlush=False)
    scale = alt.Scale(domain=alt.ExprRef(f"[{', '.join(map(_local_date, domain))}]")) if domain else alt.Undefined
    return alt.X(f"{field}:T", axis=axis, scale=scale)


def _tooltips(*fields: str) -> list[alt.Tooltip]:
    """Tooltip rows of `fields` ("name:type") under their TOOLTIP_TITLES, counts formatted."""
    return [_tooltip(field) for field in fields]


def _tooltip(field: str, title: str | None = None) -> alt.Tooltip:
    name, _, kind = field.partition(":")
    return alt.Tooltip(field, title=title or TOOLTIP_TITLES.get(name, name),
                       format=COUNT_FORMAT if kind == "Q" else alt.Undefined)


def _typed(frame: pd.DataFrame, columns) -> list[str]:
    """`columns` of `frame` as "name:type": numbers quantitative, anything else nominal."""
    return [f"{column}:{'Q' if pd.api.types.is_numeric_dtype(frame[column]) else 'N'}" for column in columns]


def _bucket_tooltip(grain: str, field: str = "bucket") -> alt.Tooltip:
    title, date_format = BUCKET_TOOLTIPS[grain]
    return alt.Tooltip(f"{field}:T", title=title, format=date_format)


NOTE_TOOLTIP = _tooltip("note:N")
# A screen reader says a mark's description, in place of the list of its encodings Vega reads it as otherwise: a
# stacked bar's first number was its y, the top of its stack, and a network edge was four coordinates. Written here,
# one per row, as the field DESCRIBED encodes (only days, codes, topics, outlets and numbers, as every chart's text).
DESCRIPTION = "description"
DESCRIBED = alt.Description(f"{DESCRIPTION}:N")


def _described(frame: pd.DataFrame, texts) -> pd.DataFrame:
    return frame.assign(**{DESCRIPTION: list(texts)})


def _counted(number, noun: str) -> str:
    """A count as said: "1,880 articles", "1 article" (`noun` in the plural, its first word without its s for one)."""
    first, _, rest = noun.partition(" ")
    word = first.removesuffix("s") if int(number) == 1 else first
    return " ".join([f"{int(number):,}", word, *filter(None, [rest])])


def _counts(numbers: pd.Series, noun: str) -> pd.Series:
    return numbers.map(lambda number: _counted(number, noun))


def _bucket_words(starts: pd.Series, grain: str) -> pd.Series:
    return starts.map(lambda start: _bucket_word(start, grain))


def _bucket_word(start, grain: str) -> str:
    """A bucket as its tooltip names it: "2026-11-16", "week of 2026-11-16", "month 2026-11"."""
    title, date_format = BUCKET_TOOLTIPS[grain]
    date = pd.Timestamp(start).strftime(date_format)
    return date if grain == "day" else f"{title} {date}"


def _most(frame: pd.DataFrame, value: str) -> pd.Series | None:
    """The row of `frame` with the largest `value` (the first of equals; rows without one aside), none in a frame
    without a value. A chart's summary names it."""
    valued = frame.dropna(subset=[value])
    return None if valued.empty else valued.iloc[valued[value].to_numpy().argmax()]


def _listed(words) -> str:
    """Words as read in a sentence: "PRK–RUS, CHN–RUS and IRN–RUS"."""
    *others, last = words
    return f"{', '.join(others)} and {last}" if others else last


def _with_notes(texts: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """`texts` with each row's note in brackets, when it has one: a faded bar or a hollow point tells only the eye."""
    if "note" not in frame.columns:
        return texts
    return texts + frame["note"].map(lambda note: f" ({note})" if note else "")


def _time_spans(frame: pd.DataFrame, grain: str, field: str = "bucket", labelled: pd.Series | None = None,
                domain: tuple | None = None) -> dict:
    """x and x2 encodings spanning each bucket from its start to the next one's (not a Sunday-based
    `yearweek` band); `labelled` are the buckets the axis labels (default: the frame's)."""
    return {"x": _time_x(frame[field] if labelled is None else labelled, grain, field, domain),
            "x2": alt.X2("bucket_end:T")}


def _with_ends(frame: pd.DataFrame, grain: str, field: str = "bucket") -> pd.DataFrame:
    return frame.assign(bucket_end=transforms.bucket_ends(frame[field], grain))


def series_hues(chosen: list[str], held: dict[str, str]) -> dict[str, str]:
    """A colour for each of the series `chosen`, in their order (the legend's): a topic its own (TOPIC_COLORS), any
    other the one it `held` on the chart before, else the first of SERIES_HUES that no other holds (up to ten such
    series). So a line keeps its colour as the reader adds or removes others."""
    kept = {series: TOPIC_COLORS.get(series) or held.get(series) for series in chosen}
    free = iter(hue for hue in SERIES_HUES if hue not in kept.values())
    return {series: kept[series] or next(free) for series in chosen}


def topic_color(topic: str) -> str:
    """A topic's colour: its own (TOPIC_COLORS), or for a topic a home added to the seeds one of the series hues no
    topic holds, by its name, so that it is the same on every page (two added topics may share one)."""
    return TOPIC_COLORS.get(topic) or ADDED_TOPIC_HUES[zlib.crc32(topic.encode()) % len(ADDED_TOPIC_HUES)]


def _color_scale(values: pd.Series) -> alt.Scale:
    """Topics in their colours (topic_color: a topic added to the seeds is a lower-case id, where countries and pairs
    are codes in capitals); anything else (countries, pairs) in CATEGORY_COLORS."""
    present = sorted(values.unique())
    if any(value in TOPIC_COLORS for value in present) and all(map(ADDED_TOPIC.fullmatch, present)):
        return alt.Scale(domain=present, range=[on_page(topic_color(value)) for value in present])
    return CATEGORY_COLORS


def _axis_title(title: str) -> str | list[str]:
    """`title` as lines of at most AXIS_TITLE_CHARS (Vega draws a list as one line each)."""
    lines = textwrap.wrap(title, AXIS_TITLE_CHARS)
    return lines if len(lines) > 1 else title


def _count_y(field: str, title: str, percent: bool = False) -> alt.Y:
    # labelFlush (Streamlit's theme) lifts the "0" label off its line, level with nothing: a point at 0 then reads
    # as below zero
    number = {"format": ".0%"} if percent else {"format": "d", "tickMinStep": 1}
    return alt.Y(f"{field}:Q", title=_axis_title(title), axis=alt.Axis(labelFlush=False, **number))


def volume(daily: pd.DataFrame, gaps: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    """Articles per day as bars; ingest-gap days shaded behind them, coloured by reason (no layer without one: Vega
    warned of its empty data). A click on a day's bar, today's faded one too, selects its day (DAY_PICK); one on the
    shading, nothing (it picked no day, and reran the page for nothing)."""
    said = _with_notes(_bucket_words(daily["day"], "day") + ": " + _counts(daily["articles"], "articles"), daily)
    bars = alt.Chart(_described(_pickable(_with_ends(daily, "day", "day"), "day"), said)).mark_bar(
        color="#4c78a8", x2Offset=_bar_gap(len(daily))).encode(
        **_time_spans(daily, "day", "day"), y=_count_y("articles", "Articles"), y2=alt.Y2Datum(0),
        description=DESCRIBED)
    return _layered([*_gap_shading(gaps, daily["day"]),
                     *_noted_apart(bars, daily, [_bucket_tooltip("day", "day"), *_tooltips("articles:Q")],
                                   pick=_day_pick(beside=(INGEST_GAPS,)),
                                   opacity=alt.OpacityValue(PARTIAL_BAR_OPACITY))], height=260,
                    description=_volume_summary(daily, gaps))


def _volume_summary(daily: pd.DataFrame, gaps: pd.DataFrame) -> str:
    """What a screen reader says of the whole chart: "Articles per day, 2026-09-05 to 2026-12-03: 1,880 articles, most
    on 2026-10-14 (41); ingest gaps on 3 days"."""
    busiest = _most(daily, "articles")
    said = (f"Articles per day, {_bucket_word(daily['day'].min(), 'day')} to {_bucket_word(daily['day'].max(), 'day')}: "
            f"{_counted(daily['articles'].sum(), 'articles')}") + (
        "" if busiest is None else f", most on {_bucket_word(busiest['day'], 'day')} ({busiest['articles']:,})")
    gap_days = gaps["day"].nunique()
    return said + (f"; ingest gaps on {_counted(gap_days, 'days')}" if gap_days else "")


def _gap_shading(gaps: pd.DataFrame, days: pd.Series) -> list[alt.Chart]:
    """The ingest-gap days as rectangles over an axis labelled at `days`, coloured by reason; none without a gap."""
    if gaps.empty:
        return []
    kinds = _with_ends(gaps.assign(kind=gaps["reason"].str.replace(r" \(.*", "", regex=True)), "day", "day")
    kinds = _described(kinds, _bucket_words(kinds["day"], "day") + ": ingest gap, " + kinds["reason"])
    return [alt.Chart(kinds, name=INGEST_GAPS).mark_rect(opacity=GAP_OPACITY).encode(
        **_time_spans(kinds, "day", "day", labelled=days),
        # below the bars: beside them, the legend would leave 80 px of a 90-day chart at 800 px, fading the bars away
        color=alt.Color("kind:N", scale=_scale_of_present(GAP_COLORS, kinds["kind"]), title="ingest gap",
                        legend=alt.Legend(orient="bottom")),
        tooltip=[_bucket_tooltip("day", "day"), _tooltip("reason:N")], description=DESCRIBED)]


def _pickable(frame: pd.DataFrame, field: str) -> pd.DataFrame:
    return frame.assign(**{PICKED_DAY: pd.to_datetime(frame[field]).dt.strftime("%Y-%m-%d")})


def _day_pick(*fields: str, beside: tuple[str, ...] = ()) -> alt.Parameter:
    """DAY_PICK on the clicked mark's PICKED_DAY and `fields`, taking no click on the marks of the layers `beside`
    names (_clicks_beside)."""
    return alt.selection_point(name=DAY_PICK, fields=[PICKED_DAY, *fields], on=_clicks_beside(beside),
                               clear="dblclick")


def _clicks_beside(layers: tuple[str, ...]) -> str:
    """A Vega event selector: the clicks on anything but the marks of `layers` (charts of those names: Vega names their
    marks `<name>_marks`). A point selection takes a click on any mark of its chart, other layers' too: on a mark
    without its fields (a gap's shading, a feed-set rule) it picked nothing, and reran the page for nothing. A filter
    per layer, all of which must hold: Vega's selector syntax ends a filter at the first "]", so no array literal."""
    return "click" + "".join(f"[!item() || item().mark.name !== '{layer}_marks']" for layer in layers)


def _bar_gap(bars: int) -> alt.ExprRef:
    """The space after each of `bars` bars over time: TIME_BAR_SPACING where the plot's width (Vega's `width` signal,
    known only in the browser) gives a bar at least MIN_SPACED_BAR_PX, else none."""
    return alt.ExprRef(f"width / {max(bars, 1)} >= {MIN_SPACED_BAR_PX} ? {-TIME_BAR_SPACING} : 0")


def _scale_of_present(looks: dict[str, str | list[int]], values: pd.Series) -> alt.Scale:
    """Each kind in its own look (a colour, a dash), the legend listing only the kinds on the chart (a chart with no
    gap lists no gap kind)."""
    shown = set(values)
    present = [kind for kind in looks if kind in shown]
    return alt.Scale(domain=present, range=[on_page(looks[kind]) for kind in present])


def legible(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """`chart` with its axes', legends' and facet headers' labels and titles in INK (the pages draw every chart so)."""
    ink = {"labelColor": INK, "titleColor": INK}
    return chart.configure_axis(**ink).configure_legend(**ink).configure_header(**ink)


def ranked_bars(frame: pd.DataFrame, label: str, value: str, title: str, color: str | None = None,
                color_title: str | None = None, color_order: list[str] | None = None,
                pick_pair: bool = False) -> alt.Chart:
    """Horizontal bars sorted by value (rising pairs, outlets); `pick_pair`: clicking a bar selects its `pair`.
    Bars are coloured by `color` in the hues `color_order` gives its values (_colour_groups)."""
    # labelFlush (Streamlit's theme) pushes the first label into the second one's box, and labelOverlap then
    # hides every other label: a band axis has room for each label, so neither applies
    # labelLimit: Vega cuts labels at 180 px by default, which loses an outlet's country at the end of its label
    encoding = {"y": alt.Y(f"{label}:N", sort="-x", title=None,
                           axis=alt.Axis(labelFlush=False, labelOverlap=False, labelLimit=RANKED_LABEL_PX)),
                "x": alt.X(f"{value}:Q", title=_axis_title(title), axis=alt.Axis(format="d", tickMinStep=1)),
                "tooltip": _tooltips(*_typed(frame, frame.columns))}
    if color:
        frame, legend_field, scale = _colour_groups(frame, color, value, color_order)
        # below the bars, in as many columns as fit: on the right, with the labels, it left a phone's 288 px chart
        # 10 px of bars
        encoding["color"] = alt.Color(f"{legend_field}:N", scale=scale, title=color_title or color,
                                      legend=alt.Legend(orient="bottom", columns=_legend_columns(frame[legend_field])))
    noun = title.lower()
    frame = _described(frame, frame[label] + ": " + _counts(frame[value], noun))
    chart = alt.Chart(frame).mark_bar()
    if pick_pair:
        pick = _pair_pick()
        chart = chart.add_params(pick)
        encoding["opacity"] = alt.condition(pick, alt.OpacityValue(1.0), alt.OpacityValue(0.5))
    return chart.encode(**encoding, description=DESCRIBED).properties(
        autosize=PLOT_HEIGHT, height=max(RANKED_LEAST_PX, RANKED_BAR_PX * len(frame)),
        description=_ranked_summary(frame, label, value, title))


def _ranked_summary(frame: pd.DataFrame, label: str, value: str, title: str) -> str:
    """What a screen reader says of the whole chart: "Articles gained by pair: 4 pairs, most JPN–KOR (40)"."""
    most = _most(frame, value)
    return f"{title} by {label}: {_counted(len(frame), label + 's')}" + (
        "" if most is None else f", most {most[label]} ({most[value]:,})")


def _colour_groups(frame: pd.DataFrame, color: str, value: str,
                   order: list[str] | None) -> tuple[pd.DataFrame, str, alt.Scale]:
    """(frame, the field to colour by, its scale). The first of `order` take CATEGORY_HUES in turn, whichever of
    them the frame holds: given one order (all outlet countries of the warehouse), a value has one hue on every chart,
    where hues handed out to the values present gave a country another on each pair. The others share OTHER_GREY,
    last in the legend under an entry naming them (_other_label), in a copy of `color`. Without an order, the frame's
    own, largest by `value` first."""
    if order is None:
        order = frame.groupby(color)[value].sum().sort_values(ascending=False, kind="stable").index.tolist()
    colours = dict(zip(order, CATEGORY_HUES))
    present = set(frame[color])
    field = color
    if not present <= set(colours):
        others = [shown for shown in dict.fromkeys([*order, *sorted(present)]) if shown in present - set(colours)]
        field, label = f"{color}_group", _other_label(others)
        frame = frame.assign(**{field: frame[color].where(frame[color].isin(list(colours)), label)})
        colours[label] = OTHER_GREY
    return frame, field, _scale_of_present(colours, frame[field])


def _other_label(others: list[str]) -> str:
    """The legend's entry for the values sharing OTHER_GREY, the first OTHER_NAMED of them by name: the grey is no
    value of its own."""
    more = len(others) - OTHER_NAMED
    return f"(other: {', '.join(others[:OTHER_NAMED])}{f' +{more}' if more > 0 else ''})"


def lines(frame: pd.DataFrame, value_title: str, grain: str, markers: pd.DataFrame | None = None,
          percent: bool = False, pickable: bool = False, hues: dict[str, str] | None = None,
          series_title: str = "series") -> alt.LayerChart:
    """One line per series of `plotted` over `bucket` (frame from transforms.smooth), coloured by `hues` (series_hues:
    the legend in their order) when given, its points shaped by SERIES_SHAPES in the same order; `series_title` names
    what a series is in the tooltip ("country").

    Points with a `note` (a bucket cut by the date range, a mean over fewer buckets) are hollow on a dashed
    line, with the note in their tooltip: drawn, but not as values comparable with the others.
    `markers` (day, change, why: queries.feed_changes) become rules where the feed set changed, dashed by their change
    (CHANGE_DASHES). `pickable`: a click selects the bucket and series of the point nearest to it (DAY_PICK on
    PICKED_DAY and `series`), hollow ones too.
    """
    scale = alt.Scale(domain=list(hues), range=[on_page(hue) for hue in hues.values()]) if hues else _color_scale(frame["series"])
    comparable = COMPARABLE
    frame = frame.assign(stretch=_comparable_stretches(frame))
    if pickable:
        frame = _pickable(frame, "bucket")
    frame = _described(frame, _point_words(frame, grain, value_title, percent))
    base = alt.Chart(frame).encode(x=_time_x(frame["bucket"], grain), y=_count_y("plotted", value_title, percent),
                                   color=alt.Color("series:N", title=None, scale=scale))
    # the lines are silent to a screen reader (aria false): it read each point three times, by both lines and itself
    dashed = base.mark_line(strokeDash=[4, 4], opacity=0.6, aria=False)
    # one solid line per stretch of comparable buckets: over a bucket no feed covered, the line stays dashed. None
    # without a comparable bucket (a day's range of today): Vega warned of the empty layer
    solid = [base.transform_filter(comparable).mark_line(aria=False).encode(detail=alt.Detail("stretch:O"))] \
        if frame["note"].eq("").any() else []
    # shapes over the colours' domain: one legend shows both
    points = base.mark_point(filled=False, opacity=1, size=36).encode(
        fill=alt.Fill("series:N", scale=scale, legend=None), description=DESCRIBED,
        shape=alt.Shape("series:N", title=None, scale=alt.Scale(domain=scale.domain, range=list(SERIES_SHAPES))))
    points = _noted_apart(points, frame, [_tooltip("series:N", series_title), _bucket_tooltip(grain),
                                          *_tooltips("articles:Q", *(["naming_either:Q"]
                                                                     if "naming_either" in frame.columns else [])),
                                          *_plotted_tooltip(frame, value_title, percent)],
                          fill=alt.FillValue("white"))
    picks = [_nearest_point_pick(base)] if pickable else []
    # one colour scale for the series, another for the rules; their shapes and dashes resolved with them, each
    # beside its colour: shared, a scale and its legend went up to the outer layer, apart from the colour's legend
    layers = [alt.layer(dashed, *solid, *picks, *points)]
    legend_rows = frame["series"].nunique()
    if markers is not None and len(markers):
        said = _bucket_words(markers["day"], "day") + ": feed set " + markers["change"] + ", " + markers["why"]
        layers.append(alt.Chart(_described(markers, said), name=FEED_CHANGES).mark_rule(strokeWidth=2).encode(
            x=alt.X("day:T"), color=alt.Color("change:N", scale=_scale_of_present(CHANGE_COLORS, markers["change"]),
                                               title="feed set"),
            strokeDash=alt.StrokeDash("change:N", scale=_scale_of_present(CHANGE_DASHES, markers["change"]),
                                      title="feed set"),
            tooltip=[_bucket_tooltip("day", "day"), _tooltip("change:N", "feed set"), _tooltip("why:N", "feeds")],
            description=DESCRIBED))
        legend_rows += 1 + markers["change"].nunique()
    # the legend sits beside the plot and is cut off below the chart's height: the chart grows with its rows
    independent = alt.ScaleResolveMap(color="independent", shape="independent", strokeDash="independent")
    return alt.layer(*layers, resolve=alt.Resolve(scale=independent),
                     height=max(320, LEGEND_ROW_PX * legend_rows + 40),
                     description=_lines_summary(frame, value_title, grain, percent))


def _lines_summary(frame: pd.DataFrame, value_title: str, grain: str, percent: bool) -> str:
    """What a screen reader says of the whole chart: "Articles per week for PRK–RUS and CHN–RUS, week of 2026-09-07 to
    week of 2026-11-30; PRK–RUS peaked at 45 (week of 2026-11-16)"."""
    said = (f"{value_title} per {grain} for {_listed(list(dict.fromkeys(frame['series'])))}, "
            f"{_bucket_word(frame['bucket'].min(), grain)} to {_bucket_word(frame['bucket'].max(), grain)}")
    peak = _most(frame, "plotted")
    return said if peak is None else (f"{said}; {peak['series']} peaked at {_plotted_words(peak['plotted'], percent)} "
                                      f"({_bucket_word(peak['bucket'], grain)})")


def _point_words(frame: pd.DataFrame, grain: str, value_title: str, percent: bool) -> pd.Series:
    """What a screen reader says of each point: "PRK–RUS, week of 2026-11-16: 45 articles", then the plotted value
    when it is not that count (a share, a mean), as its tooltip does (_plotted_tooltip)."""
    said = (frame["series"] + ", " + _bucket_words(frame["bucket"], grain) + ": "
            + _counts(frame["articles"], "articles"))
    if _plotted_tooltip(frame, value_title, percent):
        said += f"; {value_title}: " + frame["plotted"].map(lambda plotted: _plotted_words(plotted, percent))
    return _with_notes(said, frame)


def _plotted_words(plotted: float, percent: bool) -> str:
    """A plotted value as its tooltip writes it (_plotted_tooltip's formats): "25.0%", "1.5", "1,234"."""
    return f"{plotted:.1%}" if percent else f"{plotted:,.2f}".rstrip("0").rstrip(".")


def _plotted_tooltip(frame: pd.DataFrame, value_title: str, percent: bool) -> list[alt.Tooltip]:
    """The tooltip row of the plotted value, or none when it is each point's count of articles (raw counts, no rolling
    mean): the tooltip read "articles 10" and "Articles 10"."""
    if not percent and frame["plotted"].eq(frame["articles"]).all():
        return []
    return [alt.Tooltip("plotted:Q", title=value_title, format=".1%" if percent else ",.2~f")]


def _nearest_point_pick(base: alt.Chart) -> alt.Chart:
    """Invisible points carrying the click selection of the point nearest the pointer: a 6 px point is hard to hit,
    and a click on a line would select the line's first point. Above the lines, so a click there picks a point;
    below the drawn points, whose tooltips stay theirs. Silent to a screen reader (aria false): the drawn points say
    the same.

    Two selections: Vega-Lite's `nearest` one cuts the plot into cells around these points, but listens to clicks on
    those cells alone, and a click right on a drawn point (above them) did nothing. DAY_PICK, a plain one, takes a
    click on any mark: a drawn point's own values, or a cell's point (Vega-Lite reads a cell's point in every
    selection). The `nearest` one is there for its cells; its value is never read.

    A click on a feed-set rule (FEED_CHANGES, above the cells: its tooltip says why) is no pick: it picked a point of no
    day and no series."""
    return base.mark_point(opacity=0, aria=False).encode(tooltip=alt.TooltipValue(None)).add_params(
        alt.selection_point(name=NEAREST_CELLS, fields=[PICKED_DAY], on="click", nearest=True),
        _day_pick("series", beside=(FEED_CHANGES,)))


def _comparable_stretches(frame: pd.DataFrame) -> list[int]:
    """Per series, which run of buckets between two noted (not comparable) ones each bucket belongs to."""
    ordered = frame.reset_index(drop=True).sort_values(["series", "bucket"], kind="stable")
    return ordered["note"].ne("").groupby(ordered["series"]).cumsum().sort_index().tolist()


def _pair_pick() -> alt.Parameter:
    return alt.selection_point(name=PAIR_PICK, fields=["pair"], on="click", clear="dblclick")


# Streamlit fits the rotated country labels and the legend below into the height too: at 26 px a row plus 60, the
# rows of a 7-country matrix would be 13 px tall, hard to read and to click
HEATMAP_ROW_PX, HEATMAP_FRAME_PX = 26, 150
# Its width, beside the country codes: no narrower in all than its legend's longest title, and columns from as wide as
# the rows (its least width) to HEATMAP_WIDEST_COLUMN_PX where the page has room. Stretched to half a 1920 px page,
# four countries' columns were 170 px wide under 26 px rows; rows as tall as the columns would balloon the same way.
HEATMAP_LABELS_PX, HEATMAP_LEAST_PX = 50, 300
HEATMAP_WIDEST_COLUMN_PX = 40
# The network's least width, about its height (460 px): the labels of a crowded cluster overlapped at 230 px. It
# stretches past it where the page has room.
NETWORK_PX = 420


def heatmap_px(countries: int, column_px: int = HEATMAP_ROW_PX) -> int:
    """The width of a heatmap of `countries` countries with columns `column_px` wide (Streamlit narrows a chart wider
    than its column to it)."""
    return max(HEATMAP_LEAST_PX, column_px * countries + HEATMAP_LABELS_PX)


# How each co-occurrence metric's number reads in the tooltip and the legend, as in the table below the matrix:
# with one format for all, a count of 1 would read "1.00" beside "together: 1", and a share 0.0234.
METRIC_FORMATS = {"count": (",d", "d"), "share": (".1%", ".0%"), "pmi": (".3g", "~g")}
# A gradient legend below a plot no longer than the plot: at 800 px a 200 px gradient ran past the column and cut its
# labels
GRADIENT_BELOW_PX = alt.ExprRef("clamp(width - 30, 60, 200)")
NO_VALUE_GREY = "#d9d9d9"
NO_RATIO = f"none: fewer than {transforms.MIN_TOGETHER} articles together"
# ... and under the legend: its gradient has no grey, whose cells read as lift 0 (a near-white) to a colour-blind
# reader, and an exported image keeps no caption
GREY_CELLS = f"grey: fewer than {transforms.MIN_TOGETHER} together"


def heatmap(cells: pd.DataFrame, value_title: str, order: list[str], diverging: bool = False,
            metric: str = "pmi") -> alt.Chart:
    """Country × country matrix; clicking a cell selects its pair.

    Counts and shares are coloured from 0 (an auto domain starts at the smallest cell, which looks empty);
    a `diverging` metric (lift, negative when two countries meet less often than chance) is centred on 0.
    """
    # A symmetric domain keeps 0 at the scale's white middle whatever the data's range (domainMid alone lets an
    # all-positive matrix start at dark red).
    # Cells without a value are skipped; with none valued (every pair too thin for a lift) the domain would be
    # [NaN, NaN], which the browser's JSON parser refuses.
    reach = cells["value"].abs().max() if diverging and len(cells) else math.nan
    reach = 1.0 if math.isnan(reach) or not reach else float(reach)
    scale = alt.Scale(scheme="redblue", domain=[-reach, reach]) if diverging \
        else alt.Scale(scheme="blues", domainMin=0)
    pick = _pair_pick()
    labelled = cells.assign(label=cells["pair"].map(transforms.pair_label))  # PRK–RUS, as the page writes pairs
    labelled = _described(labelled, _cell_words(labelled, value_title, metric))
    chart = alt.Chart(labelled).mark_rect(stroke="white", invalid="show").encode(
        x=alt.X("col:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False)),
        y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelFlush=False, labelOverlap=False)),
        # below the matrix, the legend leaves a narrow column's whole width to the cells
        color=alt.Color("value:Q", title=[value_title, GREY_CELLS] if cells["value"].isna().any() else value_title,
                        scale=scale,
                        legend=alt.Legend(orient="bottom", format=METRIC_FORMATS[metric][1], titleLimit=320,
                                          tickMinStep=1 if metric == "count" else alt.Undefined,
                                          gradientLength=GRADIENT_BELOW_PX)),
        opacity=alt.condition(pick, alt.OpacityValue(1.0), alt.OpacityValue(0.5)),
        tooltip=[_tooltip("label:N", "pair"), _tooltip("together:Q"),
                 *([] if metric == "count" else [_tooltip("shown:N", value_title)])],
        description=DESCRIBED,
    )
    if metric != "count":  # the count is `together`, already in the tooltip; a missing value would say "null" there
        chart = chart.transform_calculate(
            shown=f"isValid(datum.value) ? format(datum.value, '{METRIC_FORMATS[metric][0]}') : '{NO_RATIO}'")
    return chart.add_params(pick).properties(height=HEATMAP_ROW_PX * len(order) + HEATMAP_FRAME_PX,
                                             description=_heatmap_summary(labelled, value_title, order, metric)
                                             ).configure_scale(
        # a cell without a value (too few articles together for a lift) is drawn grey: dropped ("filter", the
        # default), the pair would look never named together; shown as is, it would take the colour of lift 0
        invalid={"color": {"value": NO_VALUE_GREY}})


def _heatmap_summary(cells: pd.DataFrame, value_title: str, order: list[str], metric: str) -> str:
    """What a screen reader says of the whole chart: "Lift (PMI, bits) for each pair of 7 countries (RUS, CHN, …):
    highest PRK–RUS (2.13)" (no highest when no pair has a value)."""
    highest = _most(cells, "value")
    return f"{value_title} for each pair of {len(order)} countries ({', '.join(order)})" + (
        "" if highest is None else f": highest {highest['label']} ({_metric_words(highest['value'], metric)})")


def _cell_words(cells: pd.DataFrame, value_title: str, metric: str) -> list[str]:
    """What a screen reader says of each cell: "PRK–RUS: 31 articles together", then its metric (_metric_words), or
    why it has none (NO_RATIO)."""
    together = [f"{label}: {_counted(count, 'articles together')}"
                for label, count in zip(cells["label"], cells["together"])]
    if metric == "count":
        return together
    return [f"{said}; {value_title}: {_metric_words(value, metric)}" if pd.notna(value) else f"{said}; {NO_RATIO}"
            for said, value in zip(together, cells["value"])]


def _metric_words(value: float, metric: str) -> str:
    """A metric's value as its tooltip writes it: Python's format specification reads METRIC_FORMATS as d3's does."""
    return format(int(value) if metric == "count" else value, METRIC_FORMATS[metric][0])


NODE_AREA_PX = (200, 2000)  # a network node's circle area, from no articles to the busiest country's
NODE_LABEL_GAP_PX = 8  # from a circle's top to its label's middle: half the bold 11 px code and a gap


def network(nodes: pd.DataFrame, edges: pd.DataFrame) -> alt.LayerChart:
    """Countries as circles (size = articles), co-mentions as lines; clicking an edge's midpoint (a small grey
    diamond: as grey circles they would read as unlabelled countries) selects it. A screen reader reads the edges and
    the circles; the midpoints and the labels, which would say them again, are silent (aria false)."""
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x, y = alt.X("x:Q", axis=axis), alt.Y("y:Q", axis=axis)
    pairs = edges["pair"].map(transforms.pair_label)
    edges = _described(edges, pairs + ": " + _counts(edges["together"], "articles together"))
    links = alt.Chart(edges).mark_rule(color="#9e9e9e").encode(
        x=x, y=y, x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"), description=DESCRIBED,
        strokeWidth=alt.StrokeWidth("together:Q", scale=alt.Scale(range=[1, 8]), legend=None))
    pick = _pair_pick()
    midpoints = alt.Chart(edges).transform_calculate(mx="(datum.x + datum.x2) / 2", my="(datum.y + datum.y2) / 2") \
        .mark_point(shape="diamond", filled=True, size=90, color=on_page("#616161"), aria=False).encode(
            x=alt.X("mx:Q", axis=axis), y=alt.Y("my:Q", axis=axis), tooltip=_tooltips("pair:N", "together:Q"),
            opacity=alt.condition(pick, alt.OpacityValue(0.9), alt.OpacityValue(0.35))).add_params(pick)
    most = max(float(nodes["articles"].max()), 1.0) if len(nodes) else 1.0
    size = alt.Scale(domain=[0, most], range=list(NODE_AREA_PX))  # explicit: the labels' offsets follow it
    circles = alt.Chart(_described(nodes, nodes["iso3"] + ": " + _counts(nodes["articles"], "articles"))).mark_circle(
        color="#4c78a8", opacity=0.85).encode(x=x, y=y, size=alt.Size("articles:Q", scale=size, legend=None),
                                              tooltip=_tooltips("iso3:N", "articles:Q"), description=DESCRIBED)
    labels = alt.Chart(nodes.assign(label_dy=_label_offsets(nodes["articles"], most))).mark_text(
        # in INK, on the page's background: the theme's black was 1.2:1 on a dark page
        fontWeight="bold", color=INK, dy=alt.ExprRef("datum.label_dy"), aria=False).encode(
        x=x, y=y, text=alt.Text("iso3:N"))
    return alt.layer(links, midpoints, circles, labels, height=460, description=_network_summary(nodes, edges))


def _network_summary(nodes: pd.DataFrame, edges: pd.DataFrame) -> str:
    """What a screen reader says of the whole chart: "Countries named together: 14 countries linked by 30 pairs; most
    articles: RUS (794); most together: CHN–USA (398)"."""
    said = f"Countries named together: {_counted(len(nodes), 'countries')} linked by {_counted(len(edges), 'pairs')}"
    busiest, closest = _most(nodes, "articles"), _most(edges, "together")
    if busiest is None or closest is None:
        return said
    return (f"{said}; most articles: {busiest['iso3']} ({busiest['articles']:,}); most together: "
            f"{transforms.pair_label(closest['pair'])} ({closest['together']:,})")


def _label_offsets(articles: pd.Series, most: float) -> pd.Series:
    """Pixels from each node's centre to its label, just above its circle: one offset for all (18 px) wrote the
    busiest countries' codes across their 25 px circles, black on blue."""
    low, high = NODE_AREA_PX
    radius = ((low + (high - low) * articles / most) / math.pi) ** 0.5
    return -(radius + NODE_LABEL_GAP_PX)


def stacked(frame: pd.DataFrame, value: str, color: str, title: str, grain: str,
            scale: alt.Scale | None = None, span: tuple | None = None) -> alt.Chart | alt.LayerChart:
    """Stacked bars over `bucket` (topics of a pair, cue counts), one bar per day, week or month, over the
    buckets of `span` (the date range) when given: else a single bucket's bar would fill the whole chart. A click on
    a bucket's bar, a faded one too, selects its bucket (DAY_PICK).

    Every other column of `frame` goes into the tooltip (e.g. the bucket's sentences behind topic mentions).
    With a `note` column (transforms.with_partial_notes), a bucket cut by the date range is drawn faded.
    """
    starts = transforms.buckets(*span, grain) if span else frame["bucket"]
    domain = (starts[0], transforms.bucket_ends(starts[-1:], grain)[0]) if span else None
    others = _tooltips(*_typed(frame, [column for column in frame.columns
                                       if column not in ("bucket", color, value, "note")]))
    entries = frame[color].nunique()
    legend_rows = math.ceil(entries / LEGEND_COLUMNS) + (entries > LEGEND_COLUMNS)  # a row to spare when narrow
    spans = _pickable(_with_ends(transforms.stack_spans(frame, value, color), grain), "bucket")
    spans = _described(spans, _with_notes(spans[color] + ": " + _counts(spans[value], value)
                                          + ", " + _bucket_words(spans["bucket"], grain), spans))
    bars = alt.Chart(spans).mark_bar(x2Offset=_bar_gap(len(starts))).encode(
        **_time_spans(frame, grain, labelled=pd.Series(starts), domain=domain), y=_count_y("stack_end", title),
        y2=alt.Y2("stack_start:Q"), description=DESCRIBED,
        color=alt.Color(f"{color}:N", title=None, scale=scale or _color_scale(frame[color]),
                        # opaque symbols: the legend otherwise takes the faded bars' opacity
                        legend=alt.Legend(orient="bottom", columns=_legend_columns(frame[color]),
                                          symbolOpacity=1)))
    return _layered(_noted_apart(bars, frame, [_bucket_tooltip(grain), *_tooltips(f"{color}:N", f"{value}:Q"), *others],
                                 pick=_day_pick(), opacity=alt.OpacityValue(PARTIAL_BAR_OPACITY)),
                    height=260 + LEGEND_ROW_PX * legend_rows,
                    description=_stacked_summary(frame, value, color, title, grain, starts))


def _stacked_summary(frame: pd.DataFrame, value: str, color: str, title: str, grain: str, starts) -> str:
    """What a screen reader says of the whole chart: "Topic mentions per week by topic, week of 2026-09-07 to week of
    2026-11-30: diplomacy 120, military 80; most in one week: 48 (week of 2026-11-16)"."""
    totals = frame.groupby(color)[value].sum().sort_values(ascending=False, kind="stable")
    stacks = frame.groupby("bucket", as_index=False)[value].sum()
    tallest = _most(stacks, value)
    return (f"{title} per {grain} by {color}, {_bucket_word(min(starts), grain)} to "
            f"{_bucket_word(max(starts), grain)}: " + ", ".join(f"{group} {total:,}" for group, total in totals.items())
            + ("" if tallest is None else
               f"; most in one {grain}: {tallest[value]:,} ({_bucket_word(tallest['bucket'], grain)})"))


def _legend_columns(labels: pd.Series) -> alt.ExprRef:
    """Up to LEGEND_COLUMNS legend columns, as many as fit the plot's width (Vega's `width` signal)."""
    column_px = LEGEND_CHAR_PX * max((len(str(label)) for label in labels), default=1) + LEGEND_SYMBOL_PX
    return alt.ExprRef(f"max(1, min({LEGEND_COLUMNS}, floor(width / {column_px})))")


def _noted_apart(marks: alt.Chart, frame: pd.DataFrame, tooltip: list, pick: alt.Parameter | None = None,
                 **cut) -> list[alt.Chart]:
    """The layers of `marks` with `tooltip`: one; with a `note` column holding one, two, the marks of buckets that
    carry one (cut by the range, holding today) drawn apart, with the `cut` encodings (faded, hollow) and the note in
    their tooltip. `pick`, a click selection, goes on one layer (one parameter on both is two signals of one name), and
    takes a click on the marks of both: a point selection listens to every mark of its chart. A click on a noted mark
    picks its bucket, which the page opens on its days within the range (an analyst opens today's articles so far).
    Layers, not a layered chart, for the caller to add to its own: Altair copies a nested layer's charts again at every
    level, which made a trend chart take a second to build.

    One tooltip for both would give every whole bucket an empty "not comparable" row (Vega-Lite shows a field
    whatever its value), and a condition cannot leave a tooltip row out. No layer for noted marks when none is, nor for
    whole ones (a day's range of today: its one bucket holds today), the pick then on the noted marks: Vega warned of
    the empty data ("Infinite extent").
    """
    if "note" not in frame.columns or frame["note"].eq("").all():
        return [_picked(marks, pick).encode(tooltip=tooltip)]
    noted = marks.transform_filter(NOT_COMPARABLE).encode(tooltip=[*tooltip, NOTE_TOOLTIP], **cut)
    if frame["note"].ne("").all():
        return [_picked(noted, pick)]
    return [_picked(marks.transform_filter(COMPARABLE), pick).encode(tooltip=tooltip), noted]


def _layered(layers: list[alt.Chart], **properties) -> alt.Chart | alt.LayerChart:
    return layers[0].properties(**properties) if len(layers) == 1 else alt.layer(*layers, **properties)


def _picked(marks: alt.Chart, pick: alt.Parameter | None) -> alt.Chart:
    return marks if pick is None else marks.add_params(pick)


def matrix(frame: pd.DataFrame, x: str, y: str, value: str, x_order: list[str]) -> alt.Chart:
    """A plain heatmap with the numbers written in the cells (topic × country), coloured from 0; a click on a cell
    selects its x and y (CELL_PICK). A screen reader reads the cells, each saying its number: the numbers written in
    them are silent (aria false)."""
    light_above = LIGHT_TEXT_ABOVE * frame[value].max() if len(frame) else 0
    shaded = frame.assign(text_color=frame[value].gt(light_above).map({True: "white", False: "black"}))
    shaded = _described(shaded, shaded[y] + ", " + shaded[x] + ": "
                        + _counts(shaded[value], value))
    base = alt.Chart(shaded).encode(x=alt.X(f"{x}:N", sort=x_order, title=None, axis=alt.Axis(labelOverlap=False)),
                                    y=alt.Y(f"{y}:N", title=None, axis=alt.Axis(labelFlush=False, labelOverlap=False)))
    # whole numbers: over cells of 0 and 1 articles the legend read "0.0 0.5 1.0". Below the cells, as the
    # co-occurrence heatmap's: on the right it took 60 px of a phone's 288 from the columns
    legend = alt.Legend(format="d", tickMinStep=1, orient="bottom", gradientLength=GRADIENT_BELOW_PX)
    cells = base.mark_rect().encode(color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="greens", domainMin=0),
                                                    legend=legend),
                                    tooltip=_tooltips(f"{y}:N", f"{x}:N", f"{value}:Q"),
                                    description=DESCRIBED).add_params(
        alt.selection_point(name=CELL_PICK, fields=[x, y], on="click", clear="dblclick"))
    # fill, not color: color shares the cells' quantitative scale, and a second one fails to draw
    text = base.mark_text(aria=False, opacity=_fitting_numbers(frame[value], len(x_order))).encode(
        text=alt.Text(f"{value}:Q"), fill=alt.Fill("text_color:N", scale=None))
    return alt.layer(cells, text, autosize=PLOT_HEIGHT, height=MATRIX_ROW_PX * frame[y].nunique(),
                     description=_matrix_summary(frame, x, y, value, x_order))


def _fitting_numbers(values: pd.Series, columns: int) -> alt.ExprRef:
    """The opacity of a matrix's numbers: drawn (1) where a column of the plot's width (Vega's `width` signal) holds
    the longest of `values`, else none (0)."""
    longest = f"{values.max():.0f}" if len(values) else "0"
    number_px = MATRIX_DIGIT_PX * len(longest) + 2 * MATRIX_TEXT_MARGIN_PX
    return alt.ExprRef(f"width / {max(columns, 1)} >= {number_px} ? 1 : 0")


def _matrix_summary(frame: pd.DataFrame, x: str, y: str, value: str, x_order: list[str]) -> str:
    """What a screen reader says of the whole chart: "Articles by topic and country (RUS, CHN, …): most trade, USA
    (364)"."""
    most = _most(frame, value)
    said = f"{value.capitalize()} by {TOOLTIP_TITLES.get(y, y)} and {TOOLTIP_TITLES.get(x, x)} ({', '.join(x_order)})"
    return said + ("" if most is None else f": most {most[y]}, {most[x]} ({most[value]:,})")
