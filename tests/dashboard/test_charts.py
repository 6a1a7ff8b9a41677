"""Chart builders checked on their Vega-Lite specs (chart.to_dict())."""
from __future__ import annotations

import colorsys
import inspect
import itertools
import json
import math
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from altair.utils import schemapi

from pipeline.dashboard import charts, network, transforms
from .conftest import as_drawn

ROOT = Path(__file__).resolve().parents[2]

DAYS = pd.to_datetime(["2025-03-08", "2025-03-09", "2025-03-10"])
NOTE = {"field": "note", "type": "nominal", "title": "not comparable"}


@pytest.fixture(autouse=True)
def _no_altair_from_dict(monkeypatch):
    """Every chart here is built without Altair's from_dict, which hashes its ~570 schema classes anew on each call: a
    shorthand string or alt.value() dict in an encoding went through it, about 10 ms each (charts.py says so)."""
    def refuse(*args, **kwargs):
        raise AssertionError("an encoding went through Altair's from_dict: give it a channel object")
    monkeypatch.setattr(schemapi._FromDict, "__init__", refuse)


def spec(chart) -> dict:
    return chart.to_dict()


def layer_marks(chart) -> list[str]:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec(chart)["layer"]]


def series_frame() -> pd.DataFrame:
    return pd.DataFrame({"bucket": list(DAYS) * 2, "series": ["RUS"] * 3 + ["PRK"] * 3,
                         "articles": [1, 2, 3, 0, 1, 0], "value": [1.0, 2.0, 3.0, 0.0, 1.0, 0.0]})


def smoothed_frame(rolling: int = 1, grain: str = "day") -> pd.DataFrame:
    whole = series_frame().assign(days_in_range=1, days_in_bucket=1, holds_today=False)
    return transforms.smooth(whole, rolling, grain)


def axis_dates(encoding: dict) -> list[str]:
    return [f"{v['year']}-{v['month']:02}-{v['date']:02}" for v in encoding["axis"]["values"]]


def bar_gap(bars: dict, width: float) -> float:
    """The space Vega leaves after each bar in a plot `width` px wide: the mark's x2Offset expression, evaluated."""
    condition, _, choices = bars["mark"]["x2Offset"]["expr"].partition("?")
    spaced, _, unspaced = choices.partition(":")
    plot_width, _, rest = condition.partition("/")
    assert plot_width.strip() == "width"
    count, _, least = rest.partition(">=")
    return float(spaced) if width / float(count) >= float(least) else float(unspaced)


def test_thin_bars_over_time_leave_no_gap():
    """140 weeks in a 150 px column (the Pair explorer at 800 px over 2.7 years) left 1 px gaps between 1 px bars:
    the chart drew nothing. Bars of at least MIN_SPACED_BAR_PX keep their gap."""
    weeks = pd.date_range("2024-03-04", periods=140, freq="W-MON")
    frame = pd.DataFrame({"bucket": weeks, "cue": "cooperation", "sentences": 1})
    chart = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "week", scale=charts.CUE_COLORS))
    assert bar_gap(chart, width=150) == 0
    assert bar_gap(chart, width=140 * charts.MIN_SPACED_BAR_PX) == -charts.TIME_BAR_SPACING


def test_volume_bars_span_whole_days_with_gap_shading_behind():
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["no ingest run"]})
    chart = charts.volume(daily, gaps)
    assert layer_marks(chart) == ["rect", "bar"]
    shading, bars = spec(chart)["layer"]
    assert bars["encoding"]["x"]["field"] == "day" and bars["encoding"]["x2"]["field"] == "bucket_end"
    assert bars["encoding"]["y"]["field"] == "articles" and bars["encoding"]["y2"] == {"datum": 0}
    # not the theme's gap, which hides 90 daily bars; and none where the bars are too thin to spare a pixel
    assert bar_gap(bars, width=600) == -charts.TIME_BAR_SPACING and bar_gap(bars, width=9) == 0
    assert shading["encoding"]["color"]["scale"]["domain"] == ["no ingest run"]  # the kinds on the chart only


def test_day_axes_label_only_days_of_the_range():
    """A banded day axis labelled 'Nov 29', the day after the range."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    no_gaps = pd.DataFrame({"day": pd.to_datetime([]), "reason": pd.Series([], dtype=str)})
    bars = spec(charts.volume(daily, no_gaps))
    assert "timeUnit" not in bars["encoding"]["x"]
    assert axis_dates(bars["encoding"]["x"]) == ["2025-03-08", "2025-03-09", "2025-03-10"]


def test_weekly_axes_are_labelled_with_the_monday_bucket_starts():
    """Vega's week ticks and `yearweek` start on Sunday: the first bar of a June range read 'May 31'."""
    mondays = pd.to_datetime(["2026-06-01", "2026-06-08", "2026-06-15"])
    frame = pd.DataFrame({"bucket": mondays, "topic": ["trade"] * 3, "sentences": [1, 2, 3]})
    bars = spec(charts.stacked(frame, "sentences", "topic", "Mentions", "week"))
    assert "timeUnit" not in bars["encoding"]["x"] and "tickCount" not in bars["encoding"]["x"]["axis"]
    assert axis_dates(bars["encoding"]["x"]) == ["2026-06-01", "2026-06-08", "2026-06-15"]
    ends = list(bars["datasets"].values())[0]
    assert [row["bucket_end"][:10] for row in ends] == ["2026-06-08", "2026-06-15", "2026-06-22"]
    assert bars["encoding"]["x"]["axis"]["format"] == "%b %d"


def test_day_and_week_labels_name_the_year_over_a_range_crossing_one():
    frame = pd.DataFrame({"bucket": pd.to_datetime(["2025-12-29", "2026-01-05"]), "series": ["RUS"] * 2,
                          "articles": [1, 2], "value": [1.0, 2.0], "days_in_range": 7, "days_in_bucket": 7,
                          "holds_today": False})
    line = spec(charts.lines(transforms.smooth(frame, 1, "week"), "Articles", "week"))["layer"][0]["layer"][0]
    assert line["encoding"]["x"]["axis"]["format"] == "%b %d, %Y"


def test_time_axes_label_at_most_ten_buckets():
    days = pd.date_range("2025-01-01", periods=95)
    frame = pd.DataFrame({"bucket": days, "cue": "cooperation", "sentences": 1})
    x = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "day"))["encoding"]["x"]
    assert len(x["axis"]["values"]) == 10 and x["axis"]["labelOverlap"] is True


def test_time_axes_centre_the_first_label_on_its_day_as_the_others():
    """Streamlit's theme flushes the first label of an axis to the right of its tick: over three days in a half-width
    column (the Pair explorer at 800 px) "Sep 14" ran into "Sep 15", or labelOverlap hid "Sep 15"."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["no ingest run"]})
    stacked = pd.DataFrame({"bucket": DAYS, "cue": ["cooperation"] * 3, "sentences": [1, 0, 2]})
    x_axes = [layer["encoding"]["x"]["axis"] for layer in spec(charts.volume(daily, gaps))["layer"]]
    x_axes += [spec(charts.stacked(stacked, "sentences", "cue", "Sentences", "day", span=(DAYS[0], DAYS[-1])))[
        "encoding"]["x"]["axis"]]
    x_axes += [layer["encoding"]["x"]["axis"] for layer in series_layers(charts.lines(smoothed_frame(), "A", "day"))]
    assert len(x_axes) == 2 + 1 + 3
    assert [axis["labelFlush"] for axis in x_axes] == [False] * len(x_axes)


def series_layers(chart) -> list[dict]:
    return spec(chart)["layer"][0]["layer"]


def test_lines_draw_points_cut_by_the_range_hollow_on_a_dashed_line():
    """A month holding only Aug 31 was drawn as a real value: a dive to 12 articles."""
    frame = series_frame().assign(days_in_range=[1, 31, 30] * 2, days_in_bucket=[31, 31, 30] * 2, holds_today=False)
    dashed, solid, whole, cut = series_layers(charts.lines(transforms.smooth(frame, 1, "month"), "Articles", "month"))
    assert dashed["mark"]["strokeDash"] and "transform" not in dashed
    assert solid["transform"] == [{"filter": "datum.note === ''"}]
    assert whole["transform"] == [{"filter": "datum.note === ''"}] and whole["encoding"]["fill"]["field"] == "series"
    assert cut["transform"] == [{"filter": "!(datum.note === '')"}] and cut["encoding"]["fill"] == {"value": "white"}
    assert NOTE in cut["encoding"]["tooltip"] and NOTE not in whole["encoding"]["tooltip"]


def test_the_solid_line_breaks_at_a_bucket_no_feed_covered():
    """Eight months without any article stored were hollow points, but the solid line still ran through them."""
    frame = series_frame().assign(days_in_range=1, days_in_bucket=1, holds_today=False,
                                  all_articles=[5, 0, 6] * 2)
    chart = charts.lines(transforms.smooth(frame, 1, "day"), "Articles", "day")
    solid = series_layers(chart)[1]
    assert solid["encoding"]["detail"] == {"field": "stretch", "type": "ordinal"}
    rows = pd.DataFrame(list(spec(chart)["datasets"].values())[0])
    assert rows.groupby("series")["stretch"].apply(list).to_dict() == {"PRK": [0, 1, 1], "RUS": [0, 1, 1]}


def test_a_smoothed_share_keeps_its_percent_axis():
    """The percent format was applied only without a rolling mean: 0.0-0.5 instead of 0-50 %."""
    chart = charts.lines(smoothed_frame(rolling=3), "Share", "day", percent=True)
    line = series_layers(chart)[0]
    assert line["encoding"]["y"]["field"] == "plotted" and line["encoding"]["y"]["axis"]["format"] == ".0%"


def test_pickable_lines_select_the_nearest_points_day_as_text_and_series():
    """Trends' 6 px points were a dead end and hard to hit: invisible points over the lines carry the click selection
    of the point nearest the pointer, its day as text (charts.PICKED_DAY) and series; the drawn points keep theirs.
    Vega-Lite's `nearest` selection takes clicks on its cells alone, not on the drawn points above them: the one read
    (DAY_PICK) takes a click on any mark, the nearest one's cells there for it to take."""
    drawn = spec(charts.lines(smoothed_frame(), "Articles", "day", pickable=True))
    picks = drawn["layer"][0]["layer"][2]  # after the dashed and solid lines, below the drawn points
    # Altair hoists a layer's selections to the top, bound to that layer's view
    cells, pick = sorted(drawn["params"], key=lambda param: param["name"] == charts.DAY_PICK)
    assert cells["name"] == charts.NEAREST_CELLS and cells["select"]["nearest"] is True
    assert pick["name"] == charts.DAY_PICK and pick["views"] == cells["views"] == [picks["name"]]
    assert pick["select"]["fields"] == [charts.PICKED_DAY, "series"] and "nearest" not in pick["select"]
    assert picks["mark"]["opacity"] == 0 and picks["encoding"]["tooltip"] == {"value": None}
    rows = next(iter(drawn["datasets"].values()))
    assert {row[charts.PICKED_DAY] for row in rows} == {"2025-03-08", "2025-03-09", "2025-03-10"}
    assert len(series_layers(charts.lines(smoothed_frame(), "Articles", "day"))) == 3  # the Topics page's: no pick


def test_a_raw_count_is_one_tooltip_row_of_a_point():
    """A point of raw counts read "articles 10" above "Articles 10": the plotted value is the count itself. A rolling
    mean of counts, or a share, is a row of its own beside the count it comes from."""
    def rows(chart) -> list[str]:
        whole = series_layers(chart)[2]
        return [row.get("title", row["field"]) for row in whole["encoding"]["tooltip"]]

    assert rows(charts.lines(smoothed_frame(), "Articles", "day")) == ["series", "day", "articles"]
    assert rows(charts.lines(smoothed_frame(rolling=2), "Articles, mean of 2 days", "day"))[2:] == [
        "articles", "Articles, mean of 2 days"]
    share = smoothed_frame().assign(plotted=lambda frame: frame["articles"] / 4)
    assert rows(charts.lines(share, "Share", "day", percent=True))[2:] == ["articles", "Share"]


def test_lines_mark_feed_changes_with_their_own_colours():
    markers = pd.DataFrame({"day": [DAYS[1]], "change": ["added"], "feed_ids": ["wire"],
                            "why": ["wire: first fetched"]})
    chart = spec(charts.lines(smoothed_frame(), "Share", "week", markers=markers, percent=True))
    assert chart["layer"][1]["mark"]["type"] == "rule"
    assert chart["resolve"] == {"scale": {"color": "independent", "shape": "independent", "strokeDash": "independent"}}


def test_a_feed_change_rule_says_why_in_its_tooltip():
    """A 'stopped' rule named its feeds only: failing, gone, or answering with nothing (empty, stale) was the Feeds
    page's to tell."""
    markers = pd.DataFrame({"day": [DAYS[1]], "change": ["stopped"], "feed_ids": ["hollow"],
                            "why": ["hollow: empty (no entries in the last 4 successful fetches)"]})
    rule = spec(charts.lines(smoothed_frame(), "Articles", "day", markers=markers))["layer"][1]
    assert {"field": "why", "type": "nominal", "title": "feeds"} in rule["encoding"]["tooltip"]


def test_the_legend_of_many_series_fits_the_chart_height():
    """Eleven topics beside a 320 px chart lost 'trade' at the bottom."""
    eleven = pd.concat([smoothed_frame().assign(series=f"s{n}") for n in range(11)])
    assert spec(charts.lines(eleven, "Articles", "day"))["height"] >= 11 * charts.LEGEND_ROW_PX


def test_series_colours_are_ten_distinct_hues():
    """tableau20 drew CHN dark blue next to RUS light blue; tableau10, then, its red and green as one olive to the
    red-green colour-blind: a chart given no hues takes SERIES_HUES."""
    line = series_layers(charts.lines(smoothed_frame(), "Articles", "day"))[0]
    assert as_drawn(line["encoding"]["color"]["scale"]["range"]) == list(charts.SERIES_HUES)


def test_a_series_keeps_its_colour_as_others_are_added_or_removed():
    """By their alphabetical position among the series chosen, RUS was blue beside USA and orange once CHN was added."""
    def colours(chosen: list[str], held: dict[str, str]) -> dict[str, str]:
        frame = pd.concat([smoothed_frame().query("series == 'RUS'").assign(series=series) for series in chosen])
        scale = series_layers(charts.lines(frame, "Articles", "day", hues=charts.series_hues(chosen, held)))[0][
            "encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], as_drawn(scale["range"])))

    hues = charts.SERIES_HUES
    two = colours(["RUS", "USA"], {})
    assert two == {"RUS": hues[0], "USA": hues[1]}
    three = colours(["RUS", "USA", "CHN"], two)
    assert list(three) == ["RUS", "USA", "CHN"] and three == {**two, "CHN": hues[2]}  # the legend in the picks' order
    assert colours(["USA", "CHN"], three) == {"USA": hues[1], "CHN": hues[2]}
    assert colours(["USA", "CHN", "IRN"], {"USA": hues[1], "CHN": hues[2]})["IRN"] == hues[0]  # RUS's, freed
    assert charts.series_hues(["trade", "military"], {}) == {"trade": charts.TOPIC_COLORS["trade"],
                                                            "military": charts.TOPIC_COLORS["military"]}
    assert len(set(hues)) == 10


def test_a_topic_has_the_same_colour_on_every_chart():
    topics = pd.DataFrame({"bucket": [DAYS[0]] * 3, "series": ["trade", "(none)", "diplomacy"],
                           "topic": ["trade", "(none)", "diplomacy"], "value": [1.0] * 3, "articles": [1] * 3,
                           "days_in_range": 1, "days_in_bucket": 1, "holds_today": False})
    line = series_layers(charts.lines(transforms.smooth(topics, 1, "day"), "Articles", "day"))[0]
    bars = spec(charts.stacked(topics[["bucket", "topic", "articles"]], "articles", "topic", "Mentions", "day"))
    only_trade = spec(charts.stacked(topics[:1][["bucket", "topic", "articles"]], "articles", "topic", "M", "day"))
    expected = {"domain": ["(none)", "diplomacy", "trade"], "range": ["#9e9e9e", "#0077bb", "#42a448"]}
    assert line["encoding"]["color"]["scale"] == bars["encoding"]["color"]["scale"] == expected
    assert only_trade["encoding"]["color"]["scale"] == {"domain": ["trade"], "range": ["#42a448"]}


def test_every_topic_of_the_seeds_has_its_own_colour():
    topics = tomllib.loads((ROOT / "seeds" / "topics" / "topics.toml").read_text())
    assert set(topics) - {"defaults"} <= set(charts.TOPIC_COLORS)
    assert len(set(charts.TOPIC_COLORS.values())) == len(charts.TOPIC_COLORS)


def test_a_topic_a_home_added_takes_a_hue_of_its_own_and_leaves_the_others_theirs():
    """One added topic ("cyber") made a chart draw every topic in the countries' hues: military lost its black."""
    frame = pd.DataFrame({"bucket": [DAYS[0]] * 3, "topic": ["military", "cyber", "(none)"], "articles": [1] * 3})
    scale = spec(charts.stacked(frame, "articles", "topic", "Mentions", "day"))["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["(none)"] == "#9e9e9e" and colours["military"] == charts.on_page("#000000").to_dict()
    assert colours["cyber"] == charts.topic_color("cyber") in charts.ADDED_TOPIC_HUES
    assert not set(charts.ADDED_TOPIC_HUES) & set(charts.TOPIC_COLORS.values())


# Dichromacy as Machado, Oliveira and Fernandes (2009) simulate it at severity 1, on linear RGB
DICHROMACIES = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
}
# CIE76 ΔE: about 2 is just noticeable side by side; thin lines and small legend swatches need far more. The old
# palettes reached 1.7 (the third and fifth series hues) and 4.2 (energy and tourism).
LEAST_APART = 15


def linear_rgb(hex_colour: str) -> list[float]:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def seen_with(dichromacy: str, hex_colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of `hex_colour` as a reader with `dichromacy` sees it."""
    rgb = linear_rgb(hex_colour)
    seen = [min(1.0, max(0.0, sum(weight * c for weight, c in zip(row, rgb)))) for row in DICHROMACIES[dichromacy]]
    x, y, z = (sum(weight * c for weight, c in zip(row, seen)) / white for row, white in zip(
        ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505)), (0.95047, 1.0, 1.08883)))
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def least_apart(colours, dichromacy: str) -> tuple[float, str, str]:
    """The closest two of `colours` as a reader with `dichromacy` sees them: (CIE76 ΔE, one, the other)."""
    seen = {colour: seen_with(dichromacy, colour) for colour in colours}
    return min((math.dist(seen[a], seen[b]), a, b) for a, b in itertools.combinations(seen, 2))


PAGES = {"light": "#ffffff", "dark": charts.DARK_PAGE}  # the backgrounds of Streamlit's two themes


def drawn_on(page: str, colours) -> list[str]:
    """`colours` of a palette as a chart draws them on `page` (a colour of charts.ON_DARK takes its twin there)."""
    return as_drawn([charts.on_page(colour).to_dict() if colour in charts.ON_DARK else colour for colour in colours],
                    page)


def shaded(hex_colour: str, opacity: float, page: str) -> str:
    """`hex_colour` drawn at `opacity` over `page`'s background, as the browser blends it (in sRGB)."""
    return "#" + "".join(f"{round(opacity * int(hex_colour[i:i + 2], 16) + (1 - opacity) * int(PAGES[page][i:i + 2], 16)):02x}"
                         for i in (1, 3, 5))


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("dichromacy", DICHROMACIES)
def test_topic_colours_stay_apart_to_the_red_green_colour_blind(dichromacy, page):
    """To a deuteranope military red and trade green were one olive (ΔE 7.3), energy and tourism 5.0: the Topics page,
    Trends' topics and the Pair explorer's stacked bars draw them side by side."""
    closest = least_apart(drawn_on(page, charts.TOPIC_COLORS.values()), dichromacy)
    assert closest[0] >= LEAST_APART, closest


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("dichromacy", DICHROMACIES)
def test_the_first_six_series_and_category_hues_stay_apart_to_the_red_green_colour_blind(dichromacy, page):
    """The third and fifth (red #e45756, green #54a24b) were one olive to a deuteranope, ΔE 1.7: two of six Trends
    lines, and two outlet countries' bars."""
    for palette in (charts.SERIES_HUES, charts.CATEGORY_HUES):
        closest = least_apart(drawn_on(page, palette[:6]), dichromacy)
        assert closest[0] >= LEAST_APART, closest


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("dichromacy", DICHROMACIES)
def test_the_ingest_gap_shadings_stay_apart_to_the_red_green_colour_blind(dichromacy, page):
    """Orange and yellow, shaded at 0.3 opacity, were ΔE 8.2 apart to a deuteranope."""
    closest = least_apart([shaded(colour, charts.GAP_OPACITY, page)
                           for colour in drawn_on(page, charts.GAP_COLORS.values())], dichromacy)
    assert closest[0] >= LEAST_APART, closest


def test_every_palette_colour_shows_on_a_dark_page():
    """Military's black line was 1.2:1 on the dark theme's background, finance's navy 1.9:1: not seen. WCAG asks 3:1 of
    a graphic; each colour under that takes a lighter twin there (charts.ON_DARK), one of its own."""
    palettes = [charts.TOPIC_COLORS.values(), charts.SERIES_HUES, charts.CATEGORY_HUES, charts.CUE_HUES,
                charts.CHANGE_COLORS.values(), ["#616161"]]  # the network's edge handles
    faint = {colour: round(contrast(colour, charts.DARK_PAGE), 2)
             for palette in palettes for colour in drawn_on("dark", palette) if contrast(colour, charts.DARK_PAGE) < 3}
    assert faint == {}
    assert len(set(charts.ON_DARK.values())) == len(charts.ON_DARK)
    assert all(contrast(colour, charts.DARK_PAGE) < 3 for colour in charts.ON_DARK)  # a twin only where needed


@pytest.mark.parametrize("page", PAGES)
def test_every_topic_colour_shows_on_either_page(page):
    """On white tourism's gold was 2.1:1, sanctions' cyan 2.3 and trade's green 2.8: WCAG asks 3:1 of a graphic, and
    the Topics page draws them as thin lines. "(none)" is a neutral grey, drawn beside them."""
    faint = {topic: round(contrast(colour, PAGES[page]), 2)
             for topic, colour in zip(charts.TOPIC_COLORS, drawn_on(page, charts.TOPIC_COLORS.values()))
             if topic != charts.NO_TOPIC and contrast(colour, PAGES[page]) < 3}
    assert faint == {}


@pytest.mark.parametrize("page", PAGES)
def test_every_series_line_shows_on_either_page(page):
    """Trends draws a reader's series as thin lines: the ninth (#4daf4a) was 2.8:1 on white, the tenth (#ff7f0e) 2.5,
    under the 3:1 WCAG asks of a graphic."""
    faint = {colour: round(contrast(colour, PAGES[page]), 2)
             for colour in drawn_on(page, charts.SERIES_HUES) if contrast(colour, PAGES[page]) < 3}
    assert faint == {}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("dichromacy", DICHROMACIES)
def test_all_ten_series_hues_stay_apart_to_the_red_green_colour_blind(dichromacy, page):
    closest = least_apart(drawn_on(page, charts.SERIES_HUES), dichromacy)
    assert closest[0] >= 13.5, closest


@pytest.mark.parametrize("page", PAGES)
def test_chart_text_reads_on_both_pages(page):
    """Streamlit's theme wrote axes' and legends' text #808495: 3.7:1 on white, under WCAG AA's 4.5:1."""
    ink = as_drawn([charts.INK.to_dict()], page)[0]
    assert contrast(ink, PAGES[page]) >= 4.5
    config = spec(charts.legible(charts.ranked_bars(outlets_of(2), "outlet", "articles", "Articles")))["config"]
    assert all(config[part][text] == charts.INK.to_dict()
               for part in ("axis", "legend", "header") for text in ("labelColor", "titleColor"))


def test_trend_lines_tell_their_series_apart_by_shape_as_well_as_colour():
    """Trends' lines differed by colour alone: one stroke, one circle. Each series' points take a shape of their own,
    over the colours' domain, so one legend shows both."""
    frame = pd.concat([smoothed_frame().query("series == 'RUS'").assign(series=series)
                       for series in ["RUS", "USA", "CHN"]])
    hues = charts.series_hues(["RUS", "USA", "CHN"], {})
    layers = series_layers(charts.lines(frame, "Articles", "day", pickable=True, hues=hues))
    points = [layer for layer in layers if layer["mark"]["type"] == "point" and layer["mark"].get("opacity") != 0]
    assert points
    for layer in points:
        color, shape = layer["encoding"]["color"], layer["encoding"]["shape"]
        assert shape["field"] == color["field"] == "series" and "legend" not in shape
        assert shape["scale"]["domain"] == color["scale"]["domain"] == ["RUS", "USA", "CHN"]
        assert shape["scale"]["range"] == list(charts.SERIES_SHAPES)
        assert shape.get("title") == color.get("title")  # merged into one legend


def test_added_and_stopped_feed_rules_differ_in_dash_as_well_as_colour():
    """Both kinds of rule were dashed [4, 3]: their blue and purple are ΔE 12 apart to a deuteranope."""
    markers = pd.DataFrame({"day": [DAYS[0], DAYS[1]], "change": ["added", "stopped"], "feed_ids": ["a", "b"],
                            "why": ["a: first fetched", "b: gone"]})
    rules = spec(charts.lines(smoothed_frame(), "Articles", "day", markers=markers))["layer"][1]
    dash = rules["encoding"]["strokeDash"]
    assert dash["field"] == "change" and dash["title"] == rules["encoding"]["color"]["title"]
    assert dash["scale"]["domain"] == ["added", "stopped"]
    assert dash["scale"]["range"][0] != dash["scale"]["range"][1]


def test_heatmap_selection_picks_a_pair():
    cells = pd.DataFrame({"row": ["PRK", "RUS"], "col": ["RUS", "PRK"], "pair": ["PRK-RUS"] * 2,
                          "together": [4, 4], "value": [4.0, 4.0]})
    heat = spec(charts.heatmap(cells, "Articles", ["RUS", "PRK"]))
    assert heat["params"][0]["name"] == charts.PAIR_PICK
    assert heat["params"][0]["select"]["fields"] == ["pair"]
    assert heat["encoding"]["x"]["sort"] == ["RUS", "PRK"]
    # room for the labels and the legend below on top of 26 px a row (7 countries had 13 px rows)
    assert heat["height"] == 2 * charts.HEATMAP_ROW_PX + charts.HEATMAP_FRAME_PX
    assert heat["encoding"]["color"]["legend"]["orient"] == "bottom"  # a right legend left 40 px of cells at 800 px
    assert heat["encoding"]["tooltip"][0] == {"field": "label", "type": "nominal", "title": "pair"}  # PRK–RUS
    assert {row["label"] for row in next(iter(heat["datasets"].values()))} == {"PRK–RUS"}


def test_heatmap_counts_start_at_zero_and_lift_diverges_around_it():
    """An automatic domain started at the smallest count (71): that cell looked empty."""
    cells = pd.DataFrame({"row": ["PRK", "RUS"], "col": ["RUS", "PRK"], "pair": ["PRK-RUS"] * 2,
                          "together": [71, 71], "value": [-0.5, -0.5]})
    counts = spec(charts.heatmap(cells, "Articles", ["RUS", "PRK"]))["encoding"]["color"]["scale"]
    lift = spec(charts.heatmap(cells, "Lift", ["RUS", "PRK"], diverging=True))["encoding"]["color"]["scale"]
    assert counts["domainMin"] == 0
    assert lift["domain"] == [-0.5, 0.5] and lift["scheme"] == "redblue"
    # all above chance: 0 stays the white middle (domainMid alone coloured the smallest lift dark red)
    positive = cells.assign(value=[0.1, 0.4])
    assert spec(charts.heatmap(positive, "Lift", ["RUS", "PRK"], diverging=True))["encoding"]["color"]["scale"][
        "domain"] == [-0.4, 0.4]
    # a pair too rarely together for a lift is a grey cell, says why in its tooltip, and leaves the scale alone
    thin = pd.DataFrame({"row": ["PRK", "RUS", "PRK", "USA"], "col": ["RUS", "PRK", "USA", "PRK"],
                         "pair": ["PRK-RUS"] * 2 + ["PRK-USA"] * 2, "together": [9, 9, 1, 1],
                         "value": [0.4, 0.4, float("nan"), float("nan")]})
    grey = spec(charts.heatmap(thin, "Lift", ["RUS", "PRK", "USA"], diverging=True))
    assert grey["mark"]["invalid"] == "show" and grey["config"]["scale"]["invalid"] == {
        "color": {"value": charts.NO_VALUE_GREY}}
    assert grey["encoding"]["color"]["scale"]["domain"] == [-0.4, 0.4]
    assert grey["encoding"]["color"]["title"] == ["Lift", charts.GREY_CELLS]  # the legend names the grey (review R)
    assert spec(charts.heatmap(positive, "Lift", ["RUS", "PRK"], diverging=True))["encoding"]["color"]["title"] == "Lift"
    assert [row["value"] for row in next(iter(grey["datasets"].values()))][2:] == [None, None]
    shown = grey["transform"][0]
    assert shown["as"] == "shown" and shown["calculate"].endswith(f": '{charts.NO_RATIO}'")
    # every pair too thin: no NaN in the domain (the browser's JSON parser refused the chart)
    none_valued = spec(charts.heatmap(thin.iloc[2:], "Lift", ["PRK", "USA"], diverging=True))
    assert none_valued["encoding"]["color"]["scale"]["domain"] == [-1.0, 1.0]


def test_network_edges_are_pickable_and_nodes_sized_by_articles():
    totals = pd.DataFrame({"iso3": ["RUS", "PRK", "USA", "CHN"], "articles": [7, 4, 2, 1]})
    pairs = pd.DataFrame({"iso_a": ["PRK", "CHN"], "iso_b": ["RUS", "RUS"], "together": [4, 1]})
    nodes, edges = network.network_frames(totals, pairs)
    chart = charts.network(nodes, edges)
    assert layer_marks(chart) == ["rule", "point", "circle", "text"]  # edge midpoints are diamonds, not countries
    layers = spec(chart)["layer"]
    pick = spec(chart)["params"][0]  # Altair hoists a layer's selection to the top, bound to that layer's view
    assert pick["name"] == charts.PAIR_PICK and pick["views"] == [layers[1]["name"]]
    assert layers[2]["encoding"]["size"]["field"] == "articles"
    assert sorted(edges["pair"]) == ["CHN-RUS", "PRK-RUS"]
    assert list(nodes["iso3"]) == ["RUS", "PRK", "CHN"]  # USA has no partner among them: not drawn


def test_network_labels_sit_above_their_circles_whatever_their_size():
    """One 18 px offset for every label wrote the busiest countries' codes (RUS, CHN, USA on the demo) across their
    25 px circles, black on blue."""
    totals = pd.DataFrame({"iso3": ["RUS", "PRK", "CHN"], "articles": [800, 400, 10]})
    pairs = pd.DataFrame({"iso_a": ["PRK", "CHN"], "iso_b": ["RUS", "RUS"], "together": [4, 1]})
    chart = spec(charts.network(*network.network_frames(totals, pairs)))
    circles, labels = chart["layer"][2:]
    size = circles["encoding"]["size"]["scale"]
    assert (size["domain"], size["range"]) == ([0, 800], list(charts.NODE_AREA_PX))
    assert labels["mark"]["dy"] == {"expr": "datum.label_dy"}
    offsets = {row["iso3"]: row["label_dy"] for row in chart["datasets"][labels["data"]["name"]]}
    for code, articles in zip(totals["iso3"], totals["articles"]):
        radius = ((200 + 1800 * articles / 800) / math.pi) ** 0.5  # the circle's area, as the size scale gives it
        assert -offsets[code] == pytest.approx(radius + charts.NODE_LABEL_GAP_PX)


def test_stacked_bars_follow_the_grain():
    months = pd.to_datetime(["2025-03-01", "2025-03-01", "2025-04-01"])
    frame = pd.DataFrame({"bucket": months, "cue": ["cooperation", "confrontation", "cooperation"],
                          "sentences": [1, 2, 1]})
    chart = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "month", scale=charts.CUE_COLORS))
    assert chart["encoding"]["x2"]["field"] == "bucket_end" and bar_gap(chart, 600) == -charts.TIME_BAR_SPACING
    rows = list(chart["datasets"].values())[0]
    assert [row["bucket_end"][:10] for row in rows] == ["2025-04-01", "2025-04-01", "2025-05-01"]
    assert [(row["stack_start"], row["stack_end"]) for row in rows] == [(2, 3), (0, 2), (0, 1)]
    assert (chart["encoding"]["y"]["field"], chart["encoding"]["y2"]["field"]) == ("stack_end", "stack_start")
    assert as_drawn(chart["encoding"]["color"]["scale"]["range"]) == list(charts.CUE_HUES)
    assert chart["encoding"]["color"]["legend"]["orient"] == "bottom"  # a right legend squeezed the bars at 800 px


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour (its 0.03928 and sRGB's 0.04045 split no 8-bit value apart)."""
    red, green, blue = linear_rgb(hex_colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_cooperation_and_confrontation_differ_in_lightness_not_only_hue():
    """Green #2e7d32 and red #c62828 had luminance 0.155 and 0.137: to the red-green colour-blind one olive."""
    cooperation, confrontation = (relative_luminance(colour) for colour in charts.CUE_HUES)
    lighter, darker = max(cooperation, confrontation), min(cooperation, confrontation)
    assert (lighter + 0.05) / (darker + 0.05) >= 2, (cooperation, confrontation)  # WCAG contrast between the two
    # the evidence table's cue cells are light tints of the same hues (they were green and red beside a blue and
    # orange chart)
    for cue, colour in zip(charts.CUE_COLORS.domain, charts.CUE_HUES):
        tint = charts.CUE_TINTS[cue]
        hue = [colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0] for c in (colour, tint)]
        assert abs(hue[0] - hue[1]) < 0.03 and relative_luminance(tint) > 0.5, (cue, hue)


def test_stacked_tooltip_carries_the_extra_columns():
    """Topic mentions exceed the bucket's sentences: the tooltip gives both."""
    frame = pd.DataFrame({"bucket": DAYS[:1].repeat(2), "topic": ["trade", "military"], "sentences": [2, 1],
                          "bucket_sentences": [2, 2]})
    tooltip = spec(charts.stacked(frame, "sentences", "topic", "Sentence–topic mentions", "week"))["encoding"]["tooltip"]
    assert {"field": "bucket_sentences", "type": "quantitative", "title": "sentences in the bucket",
            "format": ",d"} in tooltip
    assert "opacity" not in spec(charts.stacked(frame, "sentences", "topic", "Mentions", "week"))["encoding"]


def test_stacked_bars_span_the_date_range_not_just_the_buckets_with_data():
    """One day with sentences in a 30-day range: its bar filled the whole chart, as if it were the month."""
    frame = pd.DataFrame({"bucket": DAYS[:1], "cue": ["cooperation"], "sentences": [2]})
    encoding = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "day",
                                   span=(date(2025, 3, 1), date(2025, 3, 30))))["encoding"]
    # Vega's local dates, months from 0: DateTimes there made Vega-Lite warn of a conflicting domain (charts._time_x)
    assert encoding["x"]["scale"]["domain"] == {"expr": "[datetime(2025, 2, 1), datetime(2025, 2, 31)]"}
    assert len(encoding["x"]["axis"]["values"]) == charts.MAX_TIME_LABELS  # labelled across the range


def test_stacked_fades_buckets_cut_by_the_range():
    """The Pair explorer drew a month holding one day as a whole month's bar, like the trend lines once did."""
    frame = pd.DataFrame({"bucket": DAYS[:2], "cue": ["cooperation", "cooperation"], "sentences": [1, 9],
                          "note": ["partial: 1 of 31 days", ""]})
    whole, cut = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "month"))["layer"]
    assert whole["transform"] == [{"filter": "datum.note === ''"}] and "opacity" not in whole["encoding"]
    assert cut["transform"] == [{"filter": "!(datum.note === '')"}]
    assert cut["encoding"]["opacity"] == {"value": charts.PARTIAL_BAR_OPACITY} and charts.PARTIAL_BAR_OPACITY < 1
    assert NOTE in cut["encoding"]["tooltip"]
    assert whole["encoding"]["color"]["legend"]["symbolOpacity"] == 1  # the legend is not faded with the cut bars


def test_charts_draw_no_layer_without_data():
    """Vega warned of every empty layer ("Infinite extent"): the gap shading of days without a gap, the marks of noted
    buckets where none is."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6], "note": ""})
    no_gaps = pd.DataFrame({"day": pd.to_datetime([]), "reason": pd.Series([], dtype=str)})
    stacked = pd.DataFrame({"bucket": DAYS, "cue": ["cooperation"] * 3, "sentences": [1, 0, 2], "note": ""})
    assert spec(charts.volume(daily, no_gaps))["mark"]["type"] == "bar"
    assert spec(charts.stacked(stacked, "sentences", "cue", "Sentences", "day"))["mark"]["type"] == "bar"
    assert [layer["mark"]["type"] for layer in series_layers(charts.lines(smoothed_frame(), "Articles", "day"))] == [
        "line", "line", "point"]



def test_a_range_of_today_alone_draws_no_layer_of_whole_buckets():
    """A day's range of today holds one bucket, not over yet: the layers of whole buckets (one carrying the click
    selection) had no data, and Vega warned ("Infinite extent"). The noted marks carry the selection then."""
    noted = {"filter": "!(datum.note === '')"}
    daily = pd.DataFrame({"day": DAYS[:1], "articles": [5], "note": "not over yet: holds today (UTC)"})
    no_gaps = pd.DataFrame({"day": pd.to_datetime([]), "reason": pd.Series([], dtype=str)})
    cues = daily.rename(columns={"day": "bucket", "articles": "sentences"}).assign(cue="cooperation")
    for chart in (charts.volume(daily, no_gaps), charts.stacked(cues, "sentences", "cue", "Sentences", "day")):
        drawn = spec(chart)
        assert drawn["transform"] == [noted] and [param["name"] for param in drawn["params"]] == [charts.DAY_PICK]
    today = series_frame().assign(days_in_range=0, days_in_bucket=1, holds_today=True).query("bucket == @DAYS[0]")
    layers = series_layers(charts.lines(transforms.smooth(today, 1, "day"), "Articles", "day", pickable=True))
    assert [layer.get("transform") for layer in layers] == [None, None, [noted]], layers


def test_whole_buckets_have_no_empty_not_comparable_row_in_their_tooltips():
    """Every whole bar of the Pair explorer (and whole day, trend point) showed "not comparable" with nothing
    beside it: the note's tooltip row belongs to the marks of cut buckets only."""
    frame = pd.DataFrame({"bucket": DAYS[:2], "cue": ["cooperation", "cooperation"], "sentences": [1, 9],
                          "note": ["partial: 1 of 31 days", ""]})
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6], "note": ["", "", "not over yet: holds today (UTC)"]})
    no_gaps = pd.DataFrame({"day": pd.to_datetime([]), "reason": pd.Series([], dtype=str)})
    noted = [spec(charts.stacked(frame, "sentences", "cue", "Sentences", "month"))["layer"],
             spec(charts.volume(daily, no_gaps))["layer"],
             series_layers(charts.lines(transforms.smooth(series_frame().assign(
                 days_in_range=[1, 1, 0] * 2, days_in_bucket=1, holds_today=False), 1, "day"), "Articles", "day"))[2:]]
    for whole, cut in noted:
        assert whole["transform"] == [{"filter": "datum.note === ''"}]
        assert "note" not in [row["field"] for row in whole["encoding"]["tooltip"] if isinstance(row, dict)]
        assert NOTE in cut["encoding"]["tooltip"]


def test_ranked_bars_keep_a_label_per_bar():
    """4 rising pairs showed 2 labels: the theme's labelFlush pushed the first label onto the second."""
    bars = spec(charts.ranked_bars(pd.DataFrame({"pair": ["A–B"], "change": [3]}), "pair", "change", "More"))
    assert bars["encoding"]["y"]["sort"] == "-x"
    # and no label cut at Vega's 180 px: an outlet's country ends its label ("Jade Gate Daily · CHN" read "Jade Ga…")
    assert bars["encoding"]["y"]["axis"] == {"labelFlush": False, "labelOverlap": False,
                                             "labelLimit": charts.RANKED_LABEL_PX}
    four = spec(charts.ranked_bars(pd.DataFrame({"pair": list("ABCD"), "change": range(4)}), "pair", "change",
                                   "More"))
    # 4 bars keep 28 px each: the height is the bars' alone, the axis, its title and a legend drawn around them (under
    # Streamlit's "fit" they took theirs from it, and a legend below of as many rows as a phone's width leaves, more)
    assert four["autosize"] == {"type": "fit-x", "contains": "padding"} and four["height"] >= 4 * 28


def test_rising_pair_bars_pick_their_pair():
    """The Overview's rising pairs were a dead end: a click on a bar now opens that pair (ui.picked_pair)."""
    frame = pd.DataFrame({"pair": ["PRK–RUS", "IRN–USA"], "change": [46, 34]})
    bars = spec(charts.ranked_bars(frame, "pair", "change", "Articles gained", pick_pair=True))
    assert bars["params"][0]["name"] == charts.PAIR_PICK and bars["params"][0]["select"]["fields"] == ["pair"]
    assert "params" not in spec(charts.ranked_bars(frame, "pair", "change", "Articles gained"))  # outlets: no pick


def test_matrix_numbers_contrast_with_their_cells():
    """Black numbers on the darkest green cells were unreadable."""
    frame = pd.DataFrame({"topic": ["trade"] * 3, "iso3": ["RUS", "CHN", "USA"], "articles": [300, 100, 0]})
    matrix = charts.matrix(frame, "iso3", "topic", "articles", ["RUS", "CHN", "USA"])
    assert layer_marks(matrix) == ["rect", "text"]
    cells, text = spec(matrix)["layer"]
    assert cells["encoding"]["color"]["scale"]["domainMin"] == 0
    assert text["encoding"]["fill"] == {"field": "text_color", "scale": None, "type": "nominal"}
    assert [row["text_color"] for row in list(spec(matrix)["datasets"].values())[0]] == ["white", "black", "black"]


def test_matrix_legend_counts_whole_articles():
    """Over cells of 0 and 1 articles (a small home, a narrow filter) the Topics matrix's legend read "0.0 0.5 1.0"."""
    frame = pd.DataFrame({"topic": ["trade", "military"], "iso3": ["RUS", "RUS"], "articles": [1, 0]})
    cells, _ = spec(charts.matrix(frame, "iso3", "topic", "articles", ["RUS"]))["layer"]
    legend = cells["encoding"]["color"]["legend"]
    assert (legend["format"], legend["tickMinStep"]) == ("d", 1)


def test_matrix_numbers_are_drawn_only_in_cells_that_hold_them():
    """A phone's 288 px chart gave the demo's twelve countries 6 px columns, and their numbers ran into one another:
    each is drawn where a column of the plot holds the longest (7 px a digit, 2 px either side), and the legend sits
    below the cells, leaving them the width."""
    frame = pd.DataFrame({"topic": ["trade"] * 3, "iso3": ["RUS", "CHN", "USA"], "articles": [1300, 40, 0]})
    cells, text = spec(charts.matrix(frame, "iso3", "topic", "articles", ["RUS", "CHN", "USA"]))["layer"]
    assert text["mark"]["opacity"] == {"expr": "width / 3 >= 32 ? 1 : 0"}  # "1300": four digits
    assert cells["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_charts_carry_no_feed_text():
    """Builders only ever get codes, topics, outlets and numbers: a spec never contains markup."""
    dumped = json.dumps(spec(charts.lines(smoothed_frame(), "Articles", "day")))
    assert "<" not in dumped.replace("\\u003c", "<").replace("<=", "")


def test_stacked_legend_columns_fit_the_chart_width():
    """Three fixed legend columns ran past a 230 px chart at 800 px: "diplomacy" and "confrontation" were cut and
    the third column's topics hidden. The columns are as many as the plot's width holds, up to three."""
    frame = pd.DataFrame({"bucket": DAYS[:1].repeat(4), "sentences": [1, 1, 1, 1],
                          "topic": ["education_culture", "trade", "military", "diplomacy"]})
    chart = spec(charts.stacked(frame, "sentences", "topic", "Mentions", "day"))
    legend = chart["encoding"]["color"]["legend"]
    column_px = charts.LEGEND_CHAR_PX * len("education_culture") + charts.LEGEND_SYMBOL_PX
    assert legend["columns"] == {"expr": f"max(1, min({charts.LEGEND_COLUMNS}, floor(width / {column_px})))"}
    assert chart["height"] >= 260 + charts.LEGEND_ROW_PX * 3  # 4 entries: 2 rows at 3 columns, a row to spare


def test_long_axis_titles_break_into_lines():
    """Vega draws an axis title on one line: a smoothed share's y title ran past both ends of the 320 px axis
    ("hare of articles mentioning either country, mean of 3 w"), and the rising pairs' x title past a 180 px
    chart at 800 px."""
    long = "Share of articles mentioning either country, mean of 3 weeks"
    y = series_layers(charts.lines(smoothed_frame(rolling=3), long, "week", percent=True))[0]["encoding"]["y"]
    assert isinstance(y["title"], list) and " ".join(y["title"]) == long
    assert all(len(line) <= charts.AXIS_TITLE_CHARS for line in y["title"])
    assert series_layers(charts.lines(smoothed_frame(), "Articles", "day"))[0]["encoding"]["y"]["title"] == "Articles"
    bars = spec(charts.ranked_bars(pd.DataFrame({"pair": ["A–B"], "change": [3]}), "pair", "change", long))
    assert " ".join(bars["encoding"]["x"]["title"]) == long


def test_count_axes_set_zero_level_with_its_line():
    """Streamlit's theme flushes the end labels into the axis: "0" stood above its line, so a point at 0 sat below
    the lowest label and read as negative."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    no_gaps = pd.DataFrame({"day": pd.to_datetime([]), "reason": pd.Series([], dtype=str)})
    stacked = pd.DataFrame({"bucket": pd.to_datetime(DAYS), "cue": ["cooperation"] * 3, "sentences": [1, 0, 2]})
    y_axes = [spec(charts.volume(daily, no_gaps))["encoding"]["y"]["axis"],
              spec(charts.stacked(stacked, "sentences", "cue", "Sentences", "day", scale=charts.CUE_COLORS))[
                  "encoding"]["y"]["axis"]]
    y_axes += [series_layers(charts.lines(smoothed_frame(), "Share", "day", percent=percent))[0]["encoding"]["y"][
        "axis"] for percent in (False, True)]
    assert [axis["labelFlush"] for axis in y_axes] == [False] * 4
    assert [axis["format"] for axis in y_axes] == ["d", "d", "d", ".0%"]


def test_the_gap_legend_sits_below_the_daily_bars():
    """Beside them it left 80 px of bars at 800 px: 90 daily bars faded to nothing."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["no ingest run"]})
    shading = spec(charts.volume(daily, gaps))["layer"][0]
    assert shading["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_gap_and_feed_set_legends_list_only_the_kinds_on_the_chart():
    """Both gap kinds were listed, in their colours, on a chart with one kind of gap or none at all."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["low volume (2 articles, usually 40)"]})
    color = spec(charts.volume(daily, gaps))["layer"][0]["encoding"]["color"]
    assert color["scale"] == {"domain": ["low volume"], "range": [charts.GAP_COLORS["low volume"]]}
    assert "color" not in spec(charts.volume(daily, gaps.iloc[:0]))["encoding"]  # no shading, no legend
    markers = pd.DataFrame({"day": [DAYS[1]], "change": ["stopped"], "feeds": [1], "feed_ids": ["wire"],
                            "why": ["wire: failing"]})
    rules = spec(charts.lines(smoothed_frame(), "Articles", "day", markers=markers))["layer"][1]
    assert rules["encoding"]["color"]["scale"]["domain"] == ["stopped"]


def outlets_of(countries: int) -> pd.DataFrame:
    """One outlet in each of `countries` countries C00, C01, ..., the first with most articles."""
    return pd.DataFrame({"outlet": [f"outlet {n}" for n in range(countries)],
                         "outlet_country": [f"C{n:02}" for n in range(countries)],
                         "articles": range(countries, 0, -1)})


def test_outlet_countries_do_not_share_a_colour():
    """18 outlet countries in ten tableau10 hues: Han River Times (KOR) was the orange of AUS, Eastern Courier (RUS)
    the green of CHL; tableau20 then gave them two shades of one hue, side by side."""
    few = spec(charts.ranked_bars(outlets_of(4), "outlet", "articles", "Articles", color="outlet_country"))
    scale = few["encoding"]["color"].pop("scale")
    legend = few["encoding"]["color"].pop("legend")
    assert few["encoding"]["color"] == {"field": "outlet_country", "title": "outlet_country", "type": "nominal"}
    # below the bars, in the columns the plot's width holds: on the right, beside the outlets' names, it left a
    # phone's chart 10 px of bars
    assert legend == {"orient": "bottom", "columns": {"expr": "max(1, min(3, floor(width / 48)))"}}
    assert scale["domain"] == ["C00", "C01", "C02", "C03"] and as_drawn(scale["range"]) == list(charts.CATEGORY_HUES[:4])
    kept = len(charts.CATEGORY_HUES)
    assert len(set(charts.CATEGORY_HUES) | {charts.OTHER_GREY}) == kept + 1
    every = spec(charts.ranked_bars(outlets_of(kept), "outlet", "articles", "Articles", color="outlet_country"))
    assert every["encoding"]["color"]["field"] == "outlet_country"
    too_many = spec(charts.ranked_bars(outlets_of(kept + 5), "outlet", "articles", "Articles", color="outlet_country"))
    field, scale = too_many["encoding"]["color"]["field"], too_many["encoding"]["color"]["scale"]
    rows = list(too_many["datasets"].values())[0]
    others = f"(other: C{kept:02}, C{kept + 1:02}, C{kept + 2:02} +2)"  # the legend says which the grey ones are
    assert [row[field] for row in rows][:kept] == [f"C{n:02}" for n in range(kept)]
    assert {row[field] for row in rows[kept:]} == {others}
    assert scale["domain"] == [f"C{n:02}" for n in range(kept)] + [others]
    assert as_drawn(scale["range"]) == [*charts.CATEGORY_HUES, charts.OTHER_GREY]
    assert [row["outlet_country"] for row in rows][-1] == f"C{kept + 4:02}"  # the tooltip keeps each bar's own country
    assert "outlet_country" in [row if isinstance(row, str) else row["field"] for row in too_many["encoding"]["tooltip"]]


def test_the_grey_legend_entry_counts_a_single_country_beyond_those_it_names():
    """Four countries share the grey and the entry names three: the fourth is "+1", else the legend says the grey
    bars are three countries' and a reader looks in vain for the fourth's outlet among them."""
    kept = len(charts.CATEGORY_HUES)
    scale = spec(charts.ranked_bars(outlets_of(kept + 4), "outlet", "articles", "Articles",
                                    color="outlet_country"))["encoding"]["color"]["scale"]
    assert scale["domain"][-1] == f"(other: C{kept:02}, C{kept + 1:02}, C{kept + 2:02} +1)"


def test_most_of_the_seed_feeds_outlet_countries_have_a_colour_of_their_own():
    """Nine hues and a grey left 12 of the seed feeds' 21 outlet countries grey, "(other)" in the legend. Two hues of
    neighbouring rank are never two shades of one (tableau20's own order put the two busiest in two blues)."""
    feeds = tomllib.loads((ROOT / "seeds" / "feeds.toml").read_text())
    countries = {feed["outlet_country"] for feed in feeds["feed"] if "outlet_country" in feed}
    scale = spec(charts.ranked_bars(outlets_of(len(countries)), "outlet", "articles", "Articles",
                                    color="outlet_country"))["encoding"]["color"]["scale"]
    grey = [name for name, colour in zip(scale["domain"], scale["range"]) if colour == charts.OTHER_GREY]
    assert len(countries) == 21 and len(scale["domain"]) - len(grey) == 18
    assert grey == ["(other: C18, C19, C20)"]

    def hue(colour: str) -> float:
        return colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]

    apart = [min(abs(hue(a) - hue(b)), 1 - abs(hue(a) - hue(b)))
             for a, b in zip(charts.CATEGORY_HUES, charts.CATEGORY_HUES[1:])]
    assert min(apart) > 0.03, apart


def test_an_outlet_country_keeps_its_colour_from_pair_to_pair():
    """The hues went to the countries of one pair's outlets in their alphabetical order: USA's outlets were orange
    beside GBR's and blue on a pair only they covered."""
    order = ["GBR", "USA", "DEU", *(f"C{n:02}" for n in range(len(charts.CATEGORY_HUES)))]  # busiest first

    def colours(countries: list[str]) -> dict[str, str]:
        outlets = pd.DataFrame({"outlet": countries, "outlet_country": countries, "articles": [1] * len(countries)})
        scale = spec(charts.ranked_bars(outlets, "outlet", "articles", "Articles", color="outlet_country",
                                        color_order=order))["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], as_drawn(scale["range"])))

    assert colours(["GBR", "USA"]) == {"GBR": charts.CATEGORY_HUES[0], "USA": charts.CATEGORY_HUES[1]}
    assert colours(["USA"]) == {"USA": charts.CATEGORY_HUES[1]}
    # past the order's last hue, grey on every pair, whichever countries it shares a chart with
    last = f"C{len(charts.CATEGORY_HUES) - 3:02}"
    assert colours([last, "DEU"]) == {"DEU": charts.CATEGORY_HUES[2], f"(other: {last})": charts.OTHER_GREY}
    assert colours([last]) == {f"(other: {last})": charts.OTHER_GREY}


def test_heatmap_numbers_read_like_the_table_below_it():
    """One '.3g' format for every metric: a count of 1 read "1.00" in the tooltip beside "together: 1" and its legend
    "0.0 0.2 … 1.0"; a share read 0.0234 while the table says 2.3 %."""
    cells = pd.DataFrame({"row": ["RUS", "PRK"], "col": ["PRK", "RUS"], "pair": ["PRK-RUS"] * 2, "together": [1, 1],
                          "value": [1.0, 1.0]})

    def value_rows(chart) -> list[str]:  # the tooltip's value, formatted by a calculation ("shown")
        return [step["calculate"] for step in spec(chart).get("transform", [])
                if any(row["field"] == step["as"] for row in spec(chart)["encoding"]["tooltip"])]

    count = charts.heatmap(cells, "Articles together", ["RUS", "PRK"], metric="count")
    assert value_rows(count) == []  # the count is `together`, already in the tooltip
    legend = spec(count)["encoding"]["color"]["legend"]
    assert (legend["format"], legend["orient"], legend["tickMinStep"]) == ("d", "bottom", 1)
    # no longer than the plot: at 800 px the 200 px gradient ran past the column and "10" read "1"
    assert legend["gradientLength"] == {"expr": "clamp(width - 30, 60, 200)"}
    share = charts.heatmap(cells.assign(value=0.0234), "Share", ["RUS", "PRK"], metric="share")
    assert "format(datum.value, '.1%')" in value_rows(share)[0]
    assert spec(share)["encoding"]["color"]["legend"]["format"] == ".0%"
    lift = charts.heatmap(cells, "Lift", ["RUS", "PRK"], diverging=True, metric="pmi")
    assert "format(datum.value, '.3g')" in value_rows(lift)[0]
    assert spec(lift)["encoding"]["color"]["legend"]["format"] == "~g"


def test_month_labels_never_name_a_day():
    """Over more than one year, month buckets were labelled "Jan 01, 2025" and "Oct 01, 2026"."""
    months = pd.to_datetime(["2025-12-01", "2026-01-01"])
    frame = pd.DataFrame({"bucket": months, "cue": "cooperation", "sentences": 1})
    x = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "month"))["encoding"]["x"]
    assert x["axis"]["format"] == "%b %Y"


NOT_BUILDERS = {"heatmap_px", "series_hues", "by_page", "on_page", "legible", "topic_color"}  # public functions drawing no chart


def every_builders_charts() -> dict[str, list]:
    """Each public chart builder's charts, over frames with the columns the pages give it."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6], "note": ["", "", "not over yet: holds today (UTC)"]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["no ingest run"]})
    rising = transforms.rising_table(pd.DataFrame({"pair": ["PRK-RUS"], "current": [4], "previous": [1], "change": [3],
                                                   "top_topic": ["military"], "top_topic_change": [2], "undated": [1]}))
    outlets = outlets_of(3).assign(outlet=lambda frame: frame["outlet"] + " · " + frame["outlet_country"])
    markers = pd.DataFrame({"day": [DAYS[1]], "change": ["stopped"], "feed_ids": ["wire"], "why": ["wire: failing"]})
    share = smoothed_frame(rolling=2).assign(naming_either=4)
    cells = pd.DataFrame({"row": ["PRK", "RUS"], "col": ["RUS", "PRK"], "pair": ["PRK-RUS"] * 2, "together": [4, 4],
                          "value": [0.5, 0.5]})
    totals = pd.DataFrame({"iso3": ["RUS", "PRK"], "articles": [7, 4]})
    nodes, edges = network.network_frames(totals, pd.DataFrame({"iso_a": ["PRK"], "iso_b": ["RUS"], "together": [4]}))
    topics = pd.DataFrame({"bucket": DAYS[:2], "topic": ["trade", "military"], "sentences": [2, 1],
                           "bucket_sentences": [2, 1], "note": ["partial: 1 of 7 days", ""]})
    cues = pd.DataFrame({"bucket": DAYS[:2], "cue": ["cooperation", "confrontation"], "sentences": [2, 1]})
    matrix = pd.DataFrame({"topic": ["trade", "military"], "iso3": ["RUS", "RUS"], "articles": [3, 1]})
    return {
        "volume": [charts.volume(daily, gaps)],
        "ranked_bars": [charts.ranked_bars(rising, "pair", "change", "Articles gained", pick_pair=True),
                        charts.ranked_bars(outlets, "outlet", "articles", "Articles", color="outlet_country")],
        "lines": [charts.lines(smoothed_frame(), "Articles", "day", markers, pickable=True),
                  charts.lines(share, "Share, mean of 2 weeks", "week", percent=True),
                  charts.lines(smoothed_frame(rolling=2, grain="month"), "Articles, mean of 2 months", "month")],
        "heatmap": [charts.heatmap(cells, "Lift", ["RUS", "PRK"], diverging=True),
                    charts.heatmap(cells, "Articles together", ["RUS", "PRK"], metric="count")],
        "network": [charts.network(nodes, edges)],
        "stacked": [charts.stacked(topics, "sentences", "topic", "Topic mentions", "week"),
                    charts.stacked(cues, "sentences", "cue", "Sentences", "month", scale=charts.CUE_COLORS)],
        "matrix": [charts.matrix(matrix, "iso3", "topic", "articles", ["RUS"])],
    }


def tooltip_rows(node) -> list[dict]:
    """Every tooltip row naming a field, anywhere in a spec (its data aside)."""
    if isinstance(node, list):
        return [row for item in node for row in tooltip_rows(item)]
    if not isinstance(node, dict):
        return []
    tip = node.get("tooltip", [])
    rows = [row for row in (tip if isinstance(tip, list) else [tip]) if isinstance(row, dict) and "field" in row]
    return rows + [row for key, value in node.items() if key not in ("tooltip", "datasets")
                   for row in tooltip_rows(value)]


def test_every_tooltip_row_is_titled_for_the_analyst():
    """Tooltips named the frames' columns: the rising pairs' read `grew_most`, a trend point's `bucket`. Every row of
    every builder's tooltips has a title of words, and a number a format (counts with a thousands separator)."""
    built = every_builders_charts()
    public = {name for name, function in inspect.getmembers(charts, inspect.isfunction)
              if function.__module__ == charts.__name__ and not name.startswith("_")}
    assert set(built) == public - NOT_BUILDERS  # a new builder is checked here too
    for name, made in built.items():
        rows = tooltip_rows([spec(chart) for chart in made])
        assert rows, name
        assert [row["field"] for row in rows if "_" in row.get("title", "_")] == [], name
        assert [row["field"] for row in rows if row["type"] in ("quantitative", "temporal") and not row.get("format")
                ] == [], name



def said(chart) -> list[str]:
    """What a screen reader says for the marks of `chart`: the descriptions in its data, dataset by dataset."""
    return [row[charts.DESCRIPTION] for rows in spec(chart)["datasets"].values() for row in rows
            if charts.DESCRIPTION in row]


def test_a_stacked_bar_says_its_own_count_not_the_top_of_its_stack():
    """Vega reads a mark's encodings to a screen reader: a bar read "Topic mentions: 48", the top of its stack (its y,
    `stack_end`), for diplomacy's 24 sentences."""
    frame = pd.DataFrame({"bucket": pd.to_datetime(["2026-11-16"] * 2), "topic": ["diplomacy", "military"],
                          "sentences": [24, 1], "bucket_sentences": [25, 25], "note": ["", "partial: 3 of 30 days"]})
    chart = charts.stacked(frame.iloc[:1], "sentences", "topic", "Topic mentions", "week")
    assert spec(chart)["encoding"]["description"] == {"field": charts.DESCRIPTION, "type": "nominal"}
    assert said(chart) == ["diplomacy: 24 sentences, week of 2026-11-16"]
    months = frame.assign(bucket=pd.to_datetime(["2026-11-01"] * 2))
    assert said(charts.stacked(months, "sentences", "topic", "Topic mentions", "month")) == [
        "diplomacy: 24 sentences, month 2026-11", "military: 1 sentence, month 2026-11 (partial: 3 of 30 days)"]


def test_bars_over_time_and_trend_points_say_their_day_and_count():
    """A day's bar read "day: Sep 05; Articles: 13; bucket_end: Sep 06, 2026; articles: 13", a point its `bucket`."""
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 1, 6], "note": ["", "", "not over yet: holds today (UTC)"]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["low volume (1 vs median 5)"]})
    assert said(charts.volume(daily, gaps)) == ["2025-03-09: ingest gap, low volume (1 vs median 5)",
                                                "2025-03-08: 5 articles", "2025-03-09: 1 article",
                                                "2025-03-10: 6 articles (not over yet: holds today (UTC))"]
    assert said(charts.lines(smoothed_frame(), "Articles", "day"))[:2] == ["RUS, 2025-03-08: 1 article",
                                                                           "RUS, 2025-03-09: 2 articles"]
    share = smoothed_frame(rolling=2, grain="week").assign(plotted=lambda frame: frame["value"] / 8)
    assert said(charts.lines(share, "Share, mean of 2 weeks", "week", percent=True))[1] == (
        "RUS, week of 2025-03-09: 2 articles; Share, mean of 2 weeks: 25.0%")
    means = smoothed_frame(rolling=2)
    assert said(charts.lines(means, "Articles, mean of 2 days", "day"))[1] == (
        "RUS, 2025-03-09: 2 articles; Articles, mean of 2 days: 1.5")
    markers = pd.DataFrame({"day": [DAYS[1]], "change": ["stopped"], "feed_ids": ["wire"], "why": ["wire: failing"]})
    assert said(charts.lines(smoothed_frame(), "Articles", "day", markers))[-1] == (
        "2025-03-09: feed set stopped, wire: failing")


def test_ranked_bars_and_matrix_cells_say_what_they_count():
    rising = pd.DataFrame({"pair": ["PRK–RUS", "IRN–USA"], "change": [46, 1]})
    assert said(charts.ranked_bars(rising, "pair", "change", "Articles gained", pick_pair=True)) == [
        "PRK–RUS: 46 articles gained", "IRN–USA: 1 article gained"]
    matrix = pd.DataFrame({"topic": ["trade", "military"], "iso3": ["RUS", "RUS"], "articles": [1300, 1]})
    assert said(charts.matrix(matrix, "iso3", "topic", "articles", ["RUS"])) == ["trade, RUS: 1,300 articles",
                                                                                "military, RUS: 1 article"]


def test_heatmap_cells_and_the_network_say_their_pair_and_countries():
    """A network edge read "x: 0.054; y: −0.105; x2: …; together: 31", its layout's coordinates, and no pair."""
    cells = pd.DataFrame({"row": ["PRK", "RUS", "PRK", "USA"], "col": ["RUS", "PRK", "USA", "PRK"],
                          "pair": ["PRK-RUS"] * 2 + ["PRK-USA"] * 2, "together": [31, 31, 1, 1],
                          "value": [2.3456, 2.3456, float("nan"), float("nan")]})
    assert said(charts.heatmap(cells, "Lift (PMI, bits)", ["RUS", "PRK", "USA"], diverging=True))[1:3] == [
        "PRK–RUS: 31 articles together; Lift (PMI, bits): 2.35", f"PRK–USA: 1 article together; {charts.NO_RATIO}"]
    shares = cells.assign(value=[0.25, 0.25, 0.5, 0.5])
    assert said(charts.heatmap(shares, "Share", ["RUS", "PRK", "USA"], metric="share"))[0] == (
        "PRK–RUS: 31 articles together; Share: 25.0%")
    assert said(charts.heatmap(cells, "Articles together", ["RUS", "PRK", "USA"], metric="count"))[0] == (
        "PRK–RUS: 31 articles together")
    totals = pd.DataFrame({"iso3": ["RUS", "PRK", "CHN"], "articles": [794, 4, 1]})
    pairs = pd.DataFrame({"iso_a": ["PRK", "CHN"], "iso_b": ["RUS", "RUS"], "together": [31, 1]})
    assert said(charts.network(*network.network_frames(totals, pairs))) == [
        "PRK–RUS: 31 articles together", "CHN–RUS: 1 article together", "RUS: 794 articles", "PRK: 4 articles",
        "CHN: 1 article"]


def mark_layers(node: dict) -> list[dict]:
    """The layers of a spec that draw marks, nested layers flattened."""
    return [leaf for layer in node["layer"] for leaf in mark_layers(layer)] if "layer" in node else [node]


def read_aloud(chart) -> list[str]:
    """The marks of the layers of `chart` a screen reader reads: each must say what it is (its description)."""
    drawn = spec(chart)
    read = [layer for layer in mark_layers(drawn) if layer["mark"].get("aria") is not False]
    assert [{**drawn.get("encoding", {}), **layer.get("encoding", {})}.get("description") for layer in read] == [
        {"field": charts.DESCRIPTION, "type": "nominal"}] * len(read)
    return [layer["mark"]["type"] for layer in read]


def test_a_screen_reader_reads_each_point_bar_and_cell_once_and_no_helper_layer():
    """A trend's point was read three times, by its dashed line, its solid line and itself, and the matrix's numbers
    and the network's labels and edge handles each once more. Every layer read says what it is; the others are
    silent (aria false)."""
    built = every_builders_charts()
    assert [read_aloud(chart) for chart in built["lines"]] == [["point", "rule"], ["point", "point"],
                                                               ["point", "point"]]
    assert [read_aloud(chart) for chart in built["network"]] == [["rule", "circle"]]
    assert [read_aloud(chart) for chart in built["matrix"]] == [["rect"]]
    for name, made in built.items():
        assert all(read_aloud(chart) for chart in made), name


def test_every_chart_is_summed_up_for_a_screen_reader():
    """Every chart was announced as "Vega visualization" (vega-embed's label when a spec has no description)."""
    for name, made in every_builders_charts().items():
        for chart in made:
            summary = spec(chart)["description"]
            assert summary and "Vega" not in summary and "<" not in summary, name


def test_time_charts_sum_up_their_dates_totals_and_peak():
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 1, 1206]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["low volume (1 vs median 5)"]})
    assert spec(charts.volume(daily, gaps))["description"] == (
        "Articles per day, 2025-03-08 to 2025-03-10: 1,212 articles, most on 2025-03-10 (1,206); ingest gaps on 1 day")
    assert spec(charts.volume(daily, gaps.iloc[:0]))["description"].endswith("most on 2025-03-10 (1,206)")
    weeks = pd.to_datetime(["2026-11-09", "2026-11-16", "2026-11-16"])
    topics = pd.DataFrame({"bucket": weeks, "topic": ["military", "diplomacy", "military"], "sentences": [30, 24, 24]})
    assert spec(charts.stacked(topics, "sentences", "topic", "Topic mentions", "week"))["description"] == (
        "Topic mentions per week by topic, week of 2026-11-09 to week of 2026-11-16: military 54, diplomacy 24; "
        "most in one week: 48 (week of 2026-11-16)")
    spanned = charts.stacked(topics, "sentences", "topic", "Topic mentions", "week",
                             span=(date(2026, 11, 2), date(2026, 11, 22)))
    assert spec(spanned)["description"].startswith("Topic mentions per week by topic, week of 2026-11-02 to week of ")
    trend = smoothed_frame(grain="week").assign(series=["PRK–RUS"] * 3 + ["CHN–RUS"] * 3)
    assert spec(charts.lines(trend, "Articles", "week"))["description"] == (
        "Articles per week for PRK–RUS and CHN–RUS, week of 2025-03-08 to week of 2025-03-10; PRK–RUS peaked at 3 "
        "(week of 2025-03-10)")
    share = trend.assign(plotted=trend["value"] / 8)
    assert spec(charts.lines(share, "Share of all articles", "week", percent=True))["description"].endswith(
        "PRK–RUS peaked at 37.5% (week of 2025-03-10)")


def test_ranked_and_country_charts_sum_up_their_largest_value():
    rising = pd.DataFrame({"pair": ["PRK–RUS", "IRN–USA"], "change": [46, 1]})
    assert spec(charts.ranked_bars(rising, "pair", "change", "Articles gained"))["description"] == (
        "Articles gained by pair: 2 pairs, most PRK–RUS (46)")
    matrix = pd.DataFrame({"topic": ["trade", "military"], "iso3": ["RUS", "CHN"], "articles": [3, 1300]})
    assert spec(charts.matrix(matrix, "iso3", "topic", "articles", ["RUS", "CHN"]))["description"] == (
        "Articles by topic and country (RUS, CHN): most military, CHN (1,300)")
    cells = pd.DataFrame({"row": ["PRK", "RUS", "PRK", "USA"], "col": ["RUS", "PRK", "USA", "PRK"],
                          "pair": ["PRK-RUS"] * 2 + ["PRK-USA"] * 2, "together": [31, 31, 1, 1],
                          "value": [2.3456, 2.3456, float("nan"), float("nan")]})
    assert spec(charts.heatmap(cells, "Lift (PMI, bits)", ["PRK", "RUS", "USA"], diverging=True))["description"] == (
        "Lift (PMI, bits) for each pair of 3 countries (PRK, RUS, USA): highest PRK–RUS (2.35)")
    unvalued = spec(charts.heatmap(cells.iloc[2:], "Lift (PMI, bits)", ["PRK", "USA"], diverging=True))
    assert unvalued["description"] == "Lift (PMI, bits) for each pair of 2 countries (PRK, USA)"
    totals = pd.DataFrame({"iso3": ["RUS", "PRK", "CHN"], "articles": [794, 4, 1]})
    pairs = pd.DataFrame({"iso_a": ["PRK", "CHN"], "iso_b": ["RUS", "RUS"], "together": [1, 31]})
    assert spec(charts.network(*network.network_frames(totals, pairs)))["description"] == (
        "Countries named together: 3 countries linked by 2 pairs; most articles: RUS (794); most together: "
        "CHN–RUS (31)")
