"""Co-occurrence: country × country heatmap and network; clicking a cell or an edge opens that pair."""
import streamlit as st

from pipeline.dashboard import charts, data, filters, network, transforms, ui

METRIC_TITLES = {"count": "Articles together", "share": "Share of articles naming either",
                 "pmi": "Lift (PMI, bits)"}

# the counts each metric's table shows beside it: a share divides `together` by articles_a + articles_b -
# named_both, and lift takes the articles in scope (its N) too
METRIC_INPUTS = {"count": (), "share": ("articles_a", "articles_b"),
                 "pmi": ("articles_a", "articles_b", "articles_in_scope")}
# the table names the pair alone (CHN–USA): which of its countries each count is of
# Headers in words (a screen reader spelled "named underscore both"); the downloads keep the column names
PAIR_COUNTS = {
    "together": st.column_config.NumberColumn("together", help="Articles putting the two countries together, at the "
                                                               "page's level (one sentence, or one article)"),
    "named_both": st.column_config.NumberColumn("naming both", help="Articles naming both countries, together or not"),
    "articles_a": st.column_config.NumberColumn("first country's", help="Articles naming the pair's first country "
                                                                         "(CHN of CHN–USA)"),
    "articles_b": st.column_config.NumberColumn("second country's", help="Articles naming the pair's second country "
                                                                          "(USA of CHN–USA)"),
    "articles_in_scope": st.column_config.NumberColumn("articles in scope", help="Every article of these dates and "
                                                                                 "filters: the N of lift"),
    "together_before": st.column_config.NumberColumn("together before", help="Together in the equally long period "
                                                                             "before"),
}

view = ui.page("Co-occurrence")
scope, snapshot = view.scope, view.snapshot
ui.undated_note(view)
ui.english_only_note(view)  # filtered by topic: the articles in other languages have none
list_only_spot = st.empty()  # beside the undated note, above the charts it speaks of, as on every page counting pairs

# a row that wraps, as on Trends: four fixed columns left "Together in one" ~70 px at 900 px, breaking "sentenc/e",
# and hid the number's steppers
controls = st.container(horizontal=True, gap="medium")
top_n = filters.number(controls.number_input, "Top countries", "top", 15, 3, 40, width=150)
metric = filters.choice(controls.radio, "Metric", "metric", list(METRIC_TITLES), format_func=METRIC_TITLES.get,
                        width="content")
level = filters.choice(controls.radio, "Together in one", "level", list(data.LEVELS), width="content")
topic = filters.optional_choice(controls.selectbox, "Topic", ui.PAIR_TOPIC, view.options["topics"], width=220)

if scope.topics:
    st.caption(transforms.article_topics_note(scope.topics, scope.all_topics, bool(topic)))
totals, pairs, cells, tie_note = data.cooccurrence(snapshot, scope, top_n, level, topic, metric)
if pairs.empty:
    ui.empty(transforms.no_pairs_message(scope, topic, (view.status["first_day"], view.status["last_day"])))
    filters.stop()
keys = pairs["iso_a"] + "-" + pairs["iso_b"]
with list_only_spot:  # of the cells drawn, as counted at their level and topic
    ui.list_only_note(view, tuple(keys), topic, level)

st.caption("Together in one sentence: articles with a sentence naming both countries. In one article: both are "
           "among the countries the article is about (its focus), or they share a sentence; a country named once "
           "in passing does not pair. \"naming both\" (`named_both` in the downloads) counts every article naming both "
           "anywhere, and the share divides "
           "`together` by the articles naming either. The network's lines are as thick as the articles together, "
           "whatever the metric. Click a cell or an edge's midpoint, or choose the pair under the charts, to open "
           "it in the Pair explorer (on that topic's sentences, when one is chosen, and on the articles counted "
           "here).")
order = list(totals["iso3"])
# Two equal columns where each holds either chart at its least width (charts.heatmap_px, NETWORK_PX), else one, the
# network below the heatmap: stretched side by side at 975 px, both were 230 px wide; kept at their least widths, they
# left the right half of a 1920 px page empty. The network stretches to its column; the heatmap's columns widen up to
# charts.HEATMAP_WIDEST_COLUMN_PX, and Streamlit narrows it to its column
least_px = max(charts.heatmap_px(len(order)), charts.NETWORK_PX)
with st.grid(2, min_column_width=least_px, gap="medium"):
    picked = ui.picked_pair(charts.heatmap(cells, METRIC_TITLES[metric], order, diverging=metric == "pmi",
                                           metric=metric), key="heatmap",
                            width=charts.heatmap_px(len(order), charts.HEATMAP_WIDEST_COLUMN_PX))
    nodes, edges = network.network_frames(totals, pairs)
    picked = ui.picked_pair(charts.network(nodes, edges), key="network") or picked
if metric != "count":
    st.caption(f"{METRIC_TITLES[metric].split(' (')[0]} needs at least {transforms.MIN_TOGETHER} articles together: a "
               f"pair named together once or twice gets the largest {'share' if metric == 'share' else 'lift'} of all "
               "by chance. Its cell is grey, and the table gives it none.")
drawn = set(nodes["iso3"])
if unlinked := [code for code in order if code not in drawn]:  # neither chart has a cell or a node for them
    st.caption(f"Top countries in neither the matrix nor the network (named with none of the other top countries): "
               f"{', '.join(unlinked)}")
if tie_note:
    st.caption(tie_note)
picked = picked or ui.chosen_pair(list(keys), "Open a pair of the matrix",
                                  key="cooccurrence_by_keyboard")
if picked:
    ui.open_pair(picked, topic, level=level)

inputs = {column for columns in METRIC_INPUTS.values() for column in columns}
# the pair first, as the dashboard writes it: iso_a and iso_b beside it said it again, and put it last
table = pairs.drop(columns=["iso_a", "iso_b", *sorted(inputs - set(METRIC_INPUTS[metric]))])
table.insert(0, "pair", keys.map(transforms.pair_label))
if metric != "count":  # the number each cell is coloured by, beside the counts it comes from
    table[metric] = keys.map(cells.drop_duplicates("pair").set_index("pair")["value"])
previous = scope.previous()
st.caption(f"Together before: together in {previous.start} → {previous.end}, the equally long period before"
           + (f" (no articles before {view.status['first_day']}: not like for like)."
              if previous.start < view.status["first_day"] else "."))
ui.table(table, "cooccurrence", column_config={**PAIR_COUNTS, metric: st.column_config.NumberColumn(
    METRIC_TITLES[metric], format="percent" if metric == "share" else "%.3g")})
