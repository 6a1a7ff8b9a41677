"""Trends: countries, pairs or topics over time, raw or normalized, smoothed, with feed-set change markers."""
import streamlit as st

from pipeline.dashboard import charts, data, filters, transforms, ui

MAX_SERIES = 6

view = ui.page("Trends")
scope, snapshot = view.scope, view.snapshot
ui.undated_note(view)
# the list-only note of pairs, written once the lines are known: beside the undated note, as on every page counting
# pairs (under the chart, it read as a note on the table)
list_only_spot = st.empty()

# a row that wraps: five fixed columns would leave a narrow window ~60 px each and break labels mid-word
controls = st.container(horizontal=True, gap="medium")
# the picks on a row of their own, the page's width: in the row above, 300 px cut a 1366 px window's third pair chip
# ("CHN–RU"), and a width that grows with the row shrank it to two
picks_row = st.container()
kind = filters.choice(controls.radio, "Compare", "kind", list(data.SERIES_KINDS), width="content")
options = view.options[kind]
# one widget and URL parameter per kind: switching to pairs and back keeps the countries picked before
# the sidebar's own picks of this kind come first: with Countries = PRK there, other countries' lines count only
# articles naming PRK too, and would read as those countries' own coverage
picked = tuple(key for key in getattr(scope, kind) if key in options)[:MAX_SERIES]
keys = filters.multichoice(picks_row.multiselect, f"{kind.capitalize()} (up to {MAX_SERIES})", f"series_{kind}",
                           options, default=picked or tuple(options[:3]),
                           parse_item=filters.LINKED_ITEM.get(kind, str),
                           max_selections=MAX_SERIES)
grain = filters.choice(controls.radio, "Per", "grain", list(data.GRAINS), width="content",
                       default=transforms.starting_grain(scope.days))
normalizations = [n for n in transforms.NORMALIZATIONS if kind == "pairs" or n != "share_either"]
normalization = filters.choice(controls.radio, "Show", "norm", normalizations,
                               format_func=transforms.NORMALIZATIONS.get, width="content")
rolling = filters.number(controls.number_input, f"Rolling mean ({grain}s)", "rolling", 1, 1, 30, width=150,
                         help=f"Each point over its {grain} and the ones before it: a count's mean, a share's share of "
                              f"those {grain}s' articles taken together, so a {grain} of 2 articles weighs 2 articles, "
                              f"not as much as a {grain} of 40.")

if not keys:
    ui.empty(f"Pick at least one of the {kind} to compare.")
    filters.stop()

trend = data.smoothed_trend(snapshot, scope, kind, keys, grain, normalization, rolling, view.status["first_day"],
                            ui.utc_today())
if not trend["articles"].any():  # flat zero lines would say nothing about why
    ui.empty(f"No article{' that passes these filters' if scope.filtered else ''} names "
             f"{'any of these ' + kind if len(keys) > 1 else 'this ' + transforms.SINGULAR[kind]} in this date range: "
             f"widen the dates{' or drop a filter' if scope.filtered else ''}.")
    filters.stop()
changes = data.feed_changes(snapshot, scope)
value_title = transforms.NORMALIZATIONS[normalization]
# a rolling share is the share of the window's articles taken together ("share of 2 weeks" read as nothing)
plotted_title = (f"{value_title}, {'mean of' if normalization == 'raw' else 'over'} {rolling} {grain}s"
                 if rolling > 1 else value_title)
# colours by the order of the picks, which the legend follows, each kept as others are added or removed; keyed by the
# legend's labels: a pair's is PRK–RUS (data.py), where its picker lists it as PRK-RUS
hues = ui.held_hues(f"trend_{kind}", [transforms.pair_label(key) if kind == "pairs" else key for key in keys])
ui.lines_opening_articles(charts.lines(trend, plotted_title, grain, changes, percent=normalization != "raw",
                                      pickable=True, hues=hues, series_title=transforms.SINGULAR[kind]),
                          trend, "trend", kind, keys, scope, grain, rolling)
if scope.filtered:
    share = (" Its share is of all the articles of its bucket from the outlets and languages in scope (the "
             "`all_articles` column), whatever countries, pairs and topics they name." if normalization == "share_all"
             else "")
    st.caption(f"Each line counts only the articles that pass the sidebar's filters "
               f"({transforms.filters_in_words(scope)}), not all the articles naming its series.{share}")
if kind == "pairs":
    with list_only_spot:
        ui.list_only_note(view, keys)
if kind == "topics":
    ui.article_topics_note(scope)
ui.english_only_note(view, counts_topics=kind == "topics")
ui.partial_points_note(trend)
if len(changes):
    st.caption("Dashed rules: days the feed set changed: a feed first fetched, or a feed that stopped bringing "
               "articles (gone, failing or disabled since its last success, empty since its first fetch without "
               "entries, stale since its last new article; its tooltip says why). Raw counts jump there for reasons "
               "unrelated to the news.")
table, shares = transforms.trend_table(trend, normalization, rolling, grain)
# a width for a pair's label: auto-sized, "CHN–USA" read "CHN–US" at every width
ui.table(table, f"trend_{kind}", in_name=("kind",),
         column_config={"series": st.column_config.TextColumn(width=90 if kind == "pairs" else None),
                        **{share: st.column_config.NumberColumn(format="percent") for share in shares}})
