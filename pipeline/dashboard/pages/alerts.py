"""Alerts: current spikes, the rule that fired with its numbers, and the evidence behind each one."""
import pandas as pd
import streamlit as st

from pipeline.dashboard import data, transforms, ui

OVERVIEW_COLUMNS = ["day", "pair", "topic", "kind", "rule", "current", "baseline", "ratio", "z", "outlets",
                    "top_outlet_share", "top_outlet_rise_share", "coverage"]

view = ui.page("Alerts", needs_articles=False)
since, until = (view.scope.start, view.scope.end) if view.scope else (None, None)  # the sidebar's dates
alerts = data.alerts(view.snapshot, since, until)
if not alerts:
    ui.empty("No alerts in this date range: no pair or pair × topic series crossed a rule of seeds/alerts.toml.")
    st.stop()
st.caption(f"{len(alerts)} alerts raised since {since or 'the last week'}, newest first.")

overview = pd.DataFrame(alerts)[OVERVIEW_COLUMNS]
ui.table(overview.assign(pair=overview["pair"].map(transforms.pair_label)), "alerts")

chosen = st.selectbox("Evidence for", range(len(alerts)), format_func=lambda i: alerts[i]["summary"])
alert = alerts[chosen]
if alert["coverage"] != "ok":
    st.warning("This window touches a day when feeds or volume dropped: check the Feeds page before reading it.")
articles, sentences = data.evidence(view.snapshot, alert)
st.subheader("Sentences naming both countries")
ui.table(sentences, "alert_sentences")
st.subheader("Articles")
ui.table(articles, "alert_articles")
if st.button("Open this pair in the Pair explorer", icon=":material/open_in_new:"):
    ui.open_pair(alert["pair"])
