"""Alerts: current spikes, the rule that fired with its numbers, and the evidence behind each one."""
import pandas as pd
import streamlit as st

from pipeline.dashboard import data, transforms, ui

OVERVIEW_COLUMNS = ["day", "pair", "topic", "kind", "rule", "current", "baseline", "ratio", "z", "outlets",
                    "top_outlet_share", "top_outlet_rise_share", "coverage"]

view = ui.page("Alerts", needs_articles=False)
since, until = (view.scope.start, view.scope.end) if view.scope else (None, None)  # the sidebar's dates
raised = data.alerts(view.snapshot, since, until)
alerts = transforms.alerts_in_scope(raised, view.scope) if view.scope else raised
if view.scope and (view.scope.outlets or view.scope.outlet_countries or view.scope.languages):
    st.caption("Alerts are computed over every outlet and language: the outlet and language filters do not apply.")
if not alerts:
    ui.empty(f"No alerts in this date range with these filters ({len(raised)} without the country, pair and "
             "topic filters): no pair or pair × topic series crossed a rule of seeds/alerts.toml. "
             "Widen the dates to look further back.")
    st.stop()
st.caption(f"{len(alerts)} of {len(raised)} alerts raised since {since or 'the last week'} pass the filters, "
           "newest first." if len(alerts) < len(raised) else
           f"{len(alerts)} alerts raised since {since or 'the last week'}, newest first.")

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
