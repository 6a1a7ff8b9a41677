"""Feeds: health of every feed, failing and gone ones first and coloured, then those that answer but bring nothing."""
import streamlit as st

from pipeline.dashboard import data, filters, ui

HEALTH_COLORS = {"failing": "#ffcdd2", "gone": "#e0e0e0", "degraded": "#ffe0b2", "empty": "#e1bee7",
                 "stale": "#d1c4e9", "never polled": "#fff9c4", "paused": "#bbdefb"}
COUNTED_STATES = ("healthy", "degraded", "failing", "empty", "stale", "gone")
# cards only when a feed is so: the demo's and an import's feeds are all disabled, and six zero cards over a list of
# 20 feeds read as none working (the Overview counted 20 active)
COUNTED_WHEN_ANY = ("never polled", "paused", "disabled")
FEED, FEED_LABEL = "feed", "Feed"  # the fetch history's feed picker: URL parameter and label

view = ui.page("Feeds", needs_articles=False)
ui.filters_do_not_apply()
today = ui.utc_today()  # the health is as of today, which names its downloads (the sidebar's dates do not apply)
health = data.feed_health(view.snapshot, today)
if health.empty:
    ui.empty("No feeds registered yet.")
    filters.not_drawn(FEED_LABEL, FEED)
    filters.stop()

counts = health["health"].value_counts()
cards = st.container(horizontal=True)  # wraps on a narrow window, where six fixed columns cut "Healthy" to "H…"
# every state's card, zeros too, while a feed is polled; with none (the demo's, an import's) six zeros read as broken
polled = len(health) > counts.get("disabled", 0) + counts.get("gone", 0)
always = COUNTED_STATES if polled else ()
for state in dict.fromkeys(always + tuple(state for state in COUNTED_STATES + COUNTED_WHEN_ANY if counts.get(state))):
    cards.metric(state.capitalize(), int(counts.get(state, 0)), border=True, width=130)
if counts.get("empty", 0) or counts.get("stale", 0):
    st.caption("Empty: its last successful fetches brought a feed without entries. Stale: no new article for "
               "much longer than its usual pace (`health_reason` says how long). Both answer every poll, so "
               "no error shows; the outlet may have moved its feed.")
if disabled := int(counts.get("disabled", 0)):
    st.caption(f"{disabled} disabled feed(s) are not polled: archives loaded by `pactwatch import` and the demo's "
               "outlets (written once by `pactwatch demo`) are registered disabled; `pactwatch feeds enable ID` "
               "polls one again.")


def highlight(row):
    color = HEALTH_COLORS.get(row["health"])
    return [f"background-color: {color}" if color else ""] * len(row)


ui.table(health, "feed_health", style=lambda frame: frame.style.apply(highlight, axis=1), links=False,
         days=(today, today), column_config={
    "url": st.column_config.TextColumn("feed url"),
    "last_success_at": st.column_config.DatetimeColumn("last success", format="YYYY-MM-DD HH:mm"),
    "last_checked_at": st.column_config.DatetimeColumn("last checked", format="YYYY-MM-DD HH:mm"),
    "health_reason": st.column_config.TextColumn("why"),
    "last_new_article_at": st.column_config.DatetimeColumn("last new article", format="YYYY-MM-DD HH:mm"),
    "items_per_day": st.column_config.NumberColumn("items/day (7 d)", format="%.2f"),
})

st.header("Fetch history", anchor=False)
# the worst feed first, as listed above: when it began failing, and how, is in its fetches
feed_id = filters.choice(st.selectbox, FEED_LABEL, FEED, list(health["feed_id"]),
                         format_func=dict(zip(health["feed_id"], health["name"].fillna(""))).get)
fetches = data.feed_fetches(view.snapshot, feed_id)
if fetches.empty:
    ui.empty("This feed has not been fetched yet.")
else:
    st.caption(f"Its latest {len(fetches)} fetch{'' if len(fetches) == 1 else 'es'}, newest first (at most "
               f"{data.FETCH_HISTORY_LIMIT}): `entries` read from the document, `new_articles` stored from them.")
    ui.table(fetches, f"fetches_{feed_id}", links=False, days=(today, today), in_name=(FEED,), column_config={
        "fetched_at": st.column_config.DatetimeColumn("fetched at", format="YYYY-MM-DD HH:mm"),
        "ms": st.column_config.NumberColumn(format="%.0f")})
