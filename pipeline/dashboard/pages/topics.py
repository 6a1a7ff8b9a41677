"""Topics: topic × country matrix and topic trends."""
import streamlit as st

from pipeline.dashboard import charts, data, filters, transforms, ui

EVIDENCE_TOPIC, EVIDENCE_COUNTRY = "evidence_topic", "evidence_country"  # URL parameters of the evidence's choices
EVIDENCE_LABELS = {EVIDENCE_TOPIC: "Why articles count under", EVIDENCE_COUNTRY: "Naming"}
CELL_SHOWN = "topics.cell_shown"  # the matrix cell whose click last set them
TOPICS_DRAWN = 4  # eleven lines at once were a thicket: the busiest few are drawn, the reader adds others

view = ui.page("Topics")
scope, snapshot = view.scope, view.snapshot
ui.undated_note(view)

left, right = st.columns([1, 3])
top_n = filters.number(left.number_input, "Top countries", "top", 12, 3, 40)
# eleven daily lines over months are a thicket: ranges past a month start weekly
grain = filters.choice(right.radio, "Trend per", "grain", list(data.GRAINS), horizontal=True,
                       default=transforms.starting_grain(scope.days, weekly_after=31))

ui.english_only_note(view, counts_topics=True)
trend = data.trend(snapshot, scope, "topics", tuple(view.options["topics"]), grain, "raw", ui.utc_today())
# stable: topics with as many articles stay in the order of their names, so the lines drawn first are the same each run
per_topic = trend.groupby("series")["articles"].sum().sort_values(ascending=False, kind="stable")
if not per_topic.any():
    ui.empty(f"No article from {scope.start} to {scope.end} has a topic" + (
        f" among those these filters keep: {words}." if (words := transforms.filters_in_words(scope)) else "."))
    for name, label in EVIDENCE_LABELS.items():
        filters.not_drawn(label, name)
    filters.stop()
ui.article_topics_note(scope)
st.header("Articles by topic and country", anchor=False)
matrix, tie_note = data.topic_matrix(snapshot, scope, top_n)
if matrix.empty:  # the topics' articles name no country: the trend below still counts them
    ui.empty("No article with a topic names a country with these filters.")
else:
    order = list(matrix.groupby("iso3")["articles"].sum().sort_values(ascending=False).index)
    cell = ui.picked_cell(charts.matrix(matrix, "iso3", "topic", "articles", order), "topic_matrix", ("topic", "iso3"))
    if cell and cell != st.session_state.get(CELL_SHOWN):  # a new click: its evidence below; later picks stand
        st.session_state[CELL_SHOWN] = cell
        filters.point_to(EVIDENCE_TOPIC, cell["topic"])
        filters.point_to(EVIDENCE_COUNTRY, cell["iso3"])
    if tie_note:
        st.caption(tie_note)
    st.caption("Click a cell (or choose its topic and country under Evidence) for the evidence of its articles.")
    # its numbers as a table under its own heading (under the next, a screen reader found them the trend's): one row
    # per cell already, so sum, not pivot_table's default mean (it would make the counts floats)
    ui.table(matrix.pivot_table(index="topic", columns="iso3", values="articles", aggfunc="sum", fill_value=0)[order]
             .reset_index(), "topic_country")

st.header("Topics over time", anchor=False)
# the default depends on the data: kept in the URL, or a shared link draws other topics after an ingest
drawn = filters.multichoice(st.multiselect, "Topics drawn", "drawn", list(per_topic.index),
                            default=tuple(per_topic[per_topic > 0].index[:TOPICS_DRAWN]),
                            help=f"At first the {TOPICS_DRAWN} topics that have most articles in scope; the list "
                                 "runs from the busiest topic to the quietest.")
if drawn:
    smoothed = transforms.smooth(trend[trend["series"].isin(drawn)], 1, grain)
    # colours as on the Trends page: a topic's own, in the order of the picks, which the legend follows
    hues = ui.held_hues("topic_trend", list(drawn))
    ui.lines_opening_articles(charts.lines(smoothed, "Articles", grain, pickable=True, hues=hues, series_title="topic"),
                             smoothed, "topic_trend", "topics", drawn, scope, grain)
    ui.partial_points_note(smoothed)
else:
    ui.empty("Pick a topic to draw its line.")

st.header("Evidence", anchor=False)
left, right = st.columns(2)
# the default is the scope's most frequent topic: kept in the URL, or a shared link shows another topic after an ingest
topic = filters.choice(left.selectbox, EVIDENCE_LABELS[EVIDENCE_TOPIC], EVIDENCE_TOPIC,
                       list(per_topic[per_topic > 0].index), keep_default=True)
country = filters.optional_choice(right.selectbox, EVIDENCE_LABELS[EVIDENCE_COUNTRY], EVIDENCE_COUNTRY,
                                  [] if matrix.empty else order,
                                  help="Only the articles naming this country, as a cell of the matrix counts them (a "
                                       "click on a cell picks its topic and country).")
articles = int(per_topic[topic]) if country is None else transforms.matrix_cell(matrix, topic, country)
evidence = data.topic_evidence(snapshot, scope, topic, naming=country)
if country and not articles:
    ui.empty(f"No {transforms.inline_code(topic)} article names {country} under these filters.")
elif evidence.empty:
    ui.empty(f"No topic words are stored for these {transforms.inline_code(topic)} articles: they were tagged before "
             "the warehouse kept them (migration 0021). `pactwatch retag` adds them.")
else:
    st.caption(f"{transforms.shown_of(len(evidence), articles, 'articles')}"
               f". Each comes with the sentence holding the first word that raised {transforms.inline_code(topic)} (in the "
               "text, else the title), marked ⟦like this⟧. Text is shown exactly as the feed sent it, never as HTML.")
    ui.table(evidence, f"topic_evidence_{topic}", in_name=(EVIDENCE_TOPIC,), column_config=ui.WHY_COLUMN,
             complete=lambda: data.uncached(data.topic_evidence)(snapshot, scope, topic, articles, country))
