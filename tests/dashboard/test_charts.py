"""Chart builders checked on their Vega-Lite specs (chart.to_dict())."""
from __future__ import annotations

import json

import pandas as pd

from pipeline.dashboard import charts, network

DAYS = pd.to_datetime(["2025-03-08", "2025-03-09", "2025-03-10"])


def spec(chart) -> dict:
    return chart.to_dict()


def layer_marks(chart) -> list[str]:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec(chart)["layer"]]


def series_frame() -> pd.DataFrame:
    return pd.DataFrame({"bucket": list(DAYS) * 2, "series": ["RUS"] * 3 + ["PRK"] * 3,
                         "articles": [1, 2, 3, 0, 1, 0], "value": [1.0, 2.0, 3.0, 0.0, 1.0, 0.0]})


def test_volume_bars_span_whole_days_with_gap_shading_behind():
    daily = pd.DataFrame({"day": DAYS, "articles": [5, 0, 6]})
    gaps = pd.DataFrame({"day": [DAYS[1]], "reason": ["no ingest run"]})
    chart = charts.volume(daily, gaps)
    assert layer_marks(chart) == ["rect", "bar"]
    shading, bars = spec(chart)["layer"]
    assert bars["encoding"]["x"]["timeUnit"] == "yearmonthdate" and bars["encoding"]["y"]["field"] == "articles"
    assert bars["mark"]["binSpacing"] == charts.TIME_BAR_SPACING  # not the theme's, which hides 90 daily bars
    assert shading["encoding"]["color"]["scale"]["domain"] == ["no ingest run", "low volume"]


def test_lines_rolling_mean_is_a_trailing_window_per_series():
    chart = charts.lines(series_frame(), "Articles", "day", rolling=3)
    line = spec(chart)["layer"][0]
    window = line["transform"][0]
    assert window["frame"] == [-2, 0] and window["groupby"] == ["series"]
    assert window["window"][0] == {"op": "mean", "field": "value", "as": "smoothed"}
    assert line["encoding"]["y"]["field"] == "smoothed"


def test_lines_without_smoothing_plot_the_value_and_mark_feed_changes():
    markers = pd.DataFrame({"day": [DAYS[1]], "change": ["added"], "feed_ids": ["wire"]})
    chart = charts.lines(series_frame(), "Share", "week", markers=markers, percent=True)
    assert layer_marks(chart) == ["line", "rule"]
    line = spec(chart)["layer"][0]
    assert "transform" not in line and line["encoding"]["y"]["field"] == "value"
    assert line["encoding"]["y"]["axis"]["format"] == ".0%"
    assert line["encoding"]["x"]["axis"]["tickCount"] == {"interval": "week", "step": 1}


def test_category_colours_do_not_repeat_before_20_categories():
    """The theme's 10 colours drew the 11th topic (trade) in the 1st one's blue."""
    topics = pd.DataFrame({"bucket": [DAYS[0]] * 12, "series": [f"topic{n}" for n in range(12)], "value": [1.0] * 12,
                           "articles": [1] * 12, "topic": [f"topic{n}" for n in range(12)]})
    by_outlet = pd.DataFrame({"outlet": ["A", "B"], "articles": [2, 1], "outlet_country": ["RUS", "CHN"]})
    built = [spec(charts.lines(topics, "Articles", "day"))["layer"][0],
             spec(charts.stacked(topics, "articles", "topic", "Sentences", "day")),
             spec(charts.ranked_bars(by_outlet, "outlet", "articles", "Articles", "outlet_country"))]
    assert [chart["encoding"]["color"]["scale"] for chart in built] == [{"scheme": "tableau20"}] * 3


def test_heatmap_selection_picks_a_pair():
    cells = pd.DataFrame({"row": ["PRK", "RUS"], "col": ["RUS", "PRK"], "pair": ["PRK-RUS"] * 2,
                          "together": [4, 4], "value": [4.0, 4.0]})
    heat = spec(charts.heatmap(cells, "Articles", ["RUS", "PRK"]))
    assert heat["params"][0]["name"] == charts.PAIR_PICK
    assert heat["params"][0]["select"]["fields"] == ["pair"]
    assert heat["encoding"]["x"]["sort"] == ["RUS", "PRK"]


def test_network_edges_are_pickable_and_nodes_sized_by_articles():
    totals = pd.DataFrame({"iso3": ["RUS", "PRK", "USA", "CHN"], "articles": [7, 4, 2, 1]})
    pairs = pd.DataFrame({"iso_a": ["PRK", "CHN"], "iso_b": ["RUS", "RUS"], "together": [4, 1]})
    nodes, edges = network.network_frames(totals, pairs)
    chart = charts.network(nodes, edges)
    assert layer_marks(chart) == ["rule", "circle", "circle", "text"]
    layers = spec(chart)["layer"]
    pick = spec(chart)["params"][0]  # Altair hoists a layer's selection to the top, bound to that layer's view
    assert pick["name"] == charts.PAIR_PICK and pick["views"] == [layers[1]["name"]]
    assert layers[2]["encoding"]["size"]["field"] == "articles"
    assert sorted(edges["pair"]) == ["CHN-RUS", "PRK-RUS"]
    assert list(nodes["iso3"]) == ["RUS", "PRK", "CHN"]  # USA has no partner among them: not drawn


def test_stacked_bars_follow_the_grain():
    frame = pd.DataFrame({"bucket": DAYS, "cue": ["cooperation", "confrontation", "cooperation"],
                          "sentences": [1, 2, 1]})
    chart = spec(charts.stacked(frame, "sentences", "cue", "Sentences", "month", scale=charts.CUE_COLORS))
    assert chart["encoding"]["x"]["timeUnit"] == "yearmonth" and chart["mark"]["binSpacing"] == charts.TIME_BAR_SPACING
    assert chart["encoding"]["y"]["stack"] == "zero"
    assert chart["encoding"]["color"]["scale"]["range"] == ["#2e7d32", "#c62828"]


def test_ranked_bars_and_matrix():
    bars = spec(charts.ranked_bars(pd.DataFrame({"pair": ["A–B"], "change": [3]}), "pair", "change", "More"))
    assert bars["encoding"]["y"]["sort"] == "-x"
    eight = spec(charts.ranked_bars(pd.DataFrame({"pair": list("ABCDEFGH"), "change": range(8)}), "pair", "change",
                                    "More"))
    assert eight["height"] >= 8 * 24 + 40, "Streamlit fits axis and title into the height: 8 bars keep 24 px each"
    matrix = charts.matrix(pd.DataFrame({"topic": ["trade"], "iso3": ["RUS"], "articles": [2]}), "iso3", "topic",
                           "articles", ["RUS"])
    assert layer_marks(matrix) == ["rect", "text"]


def test_charts_carry_no_feed_text():
    """Builders only ever get codes, topics, outlets and numbers: a spec never contains markup."""
    dumped = json.dumps(spec(charts.lines(series_frame(), "Articles", "day")))
    assert "<" not in dumped.replace("\\u003c", "<").replace("<=", "")
