"""Trends: countries, pairs or topics over time, raw or normalized, smoothed, with feed-set change markers."""
import streamlit as st

from pipeline.dashboard import charts, data, filters, transforms, ui
from pipeline.store.queries import GRAINS, SERIES_KINDS

MAX_SERIES = 6

view = ui.page("Trends")
scope, snapshot = view.scope, view.snapshot

controls = st.columns([2, 4, 2, 3, 2])
kind = filters.choice(controls[0].radio, "Compare", "kind", list(SERIES_KINDS))
options = view.options[kind]
label = transforms.pair_label if kind == "pairs" else str
keys = filters.multichoice(controls[1].multiselect, f"{kind.capitalize()} (up to {MAX_SERIES})", "series", options,
                           default=tuple(options[:3]), parse_item=transforms.parse_pair if kind == "pairs" else str,
                           max_selections=MAX_SERIES, format_func=label)
grain = filters.choice(controls[2].radio, "Per", "grain", list(GRAINS))
normalizations = [n for n in transforms.NORMALIZATIONS if kind == "pairs" or n != "share_either"]
normalization = filters.choice(controls[3].radio, "Show", "norm", normalizations,
                               format_func=transforms.NORMALIZATIONS.get)
rolling = filters.number(controls[4].number_input, f"Rolling mean ({grain}s)", "rolling", 1, 1, 30)

if not keys:
    ui.empty(f"Pick at least one of the {kind} to compare.")
    st.stop()

trend = data.trend(snapshot, scope, kind, keys, grain, normalization)
changes = data.feed_changes(snapshot, scope)
st.altair_chart(charts.lines(trend, transforms.NORMALIZATIONS[normalization], grain, rolling, changes,
                             percent=normalization != "raw"))
if len(changes):
    st.caption("Dashed rules: days the feed set changed (a feed first fetched, or a feed that stopped working). "
               "Raw counts jump there for reasons unrelated to the news.")
shown = trend.drop(columns="value") if normalization == "raw" else trend.rename(columns={"value": normalization})
ui.table(shown, f"trend_{kind}")
