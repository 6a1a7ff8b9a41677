"""Overview: KPIs against the previous period, rising pairs, daily volume with ingest-gap markers."""
import streamlit as st

from pipeline.dashboard import charts, data, filters, transforms, ui

# The Feeds page counts feeds by what they do now: the demo's 20 feeds read "Disabled 20" there, where this page counts
# the 20 that brought its articles
KPI_HELP = {"feeds with articles": "Feeds that brought an article of this date range, disabled ones too (the demo's "
                                   "and imported archives' feeds are registered disabled): the Feeds page says which "
                                   "are polled now.",
            "pairs": "Pairs of countries that articles of this date range connect: named in one sentence, or two of "
                     "the countries an article is about. The sidebar's \"Leave out list-only pairs\" leaves out "
                     "a pair named only in lists of countries. Under its Countries, every pair of the articles "
                     "naming them, theirs or not (an article naming North Korea may pair Russia and Ukraine too).",
            data.PAIRS_NAMING_THEM: "Of those pairs, the ones naming one of the sidebar's Countries: the pairs the "
                                    "Pair explorer offers first."}


def kpi_label(metric: str, countries: tuple[str, ...]) -> str:
    """"Pairs naming PRK" for the count of the pairs naming the sidebar's one country ("them" for several)."""
    named = countries[0] if len(countries) == 1 else "them"
    return f"Pairs naming {named}" if metric == data.PAIRS_NAMING_THEM else metric.capitalize()


view = ui.page("Overview")
scope, snapshot = view.scope, view.snapshot
previous = scope.previous()
st.caption(f"{scope.start} → {scope.end} ({scope.days} day{'s' if scope.days > 1 else ''}) compared with {previous.start} → {previous.end}")
last_day, first_day, today = view.status["last_day"], view.status["first_day"], ui.utc_today()
if previous.start < first_day:  # from the first day on, every pair and count "rises" from nothing
    empty = min((first_day - previous.start).days, previous.days)
    st.caption(f"No articles before {first_day}: {empty} of the previous period's {previous.days} days "
               f"{'are' if empty > 1 else 'is'} empty, so the changes against it, and the rising pairs, are not like "
               "for like.")
if scope.end > last_day:
    empty = min((scope.end - last_day).days, scope.days)
    st.caption(f"No articles after {last_day}: {'the last ' if empty < scope.days else ''}"
               f"{empty} day{'s' if empty > 1 else ''} of this range {'are' if empty > 1 else 'is'} empty, so the "
               "changes against the previous period are not like for like.")
if scope.start <= today <= scope.end:
    st.caption("Today's articles are still arriving (its bar is faded): the changes against the previous period are "
               "not like for like until the day is over.")

kpis = data.kpis(snapshot, scope)
articles = kpis.set_index("metric").loc["articles"]  # current, previous
ui.undated_note(view)
ui.english_only_note(view)  # filtered by topic: the articles in other languages have none
ui.list_only_note(view)  # beside the undated note, above the counts it speaks of (under rising pairs: read as theirs)
kpi_row = st.container(horizontal=True)  # wraps on a narrow window, where fixed columns would cut "1,906" to "1,…"
for row in kpis.itertuples(index=False):
    # grey: fewer articles or pairs than the period before is news, not bad news (a red "↓ -2" reads as an error);
    # 190 px: at 150 "Feeds with articles" and its help icon read "Feeds with art…"
    # the change as signed words: its arrow is hidden from a screen reader, which read "49" with no sign nor base
    change = int(row.current - row.previous)
    kpi_row.metric(kpi_label(row.metric, scope.countries), f"{row.current:,}", delta=f"{change:+,}" if change else "0",
                   delta_arrow="auto" if change else "off", delta_description="vs before", border=True,
                   width=190, delta_color="off", help=KPI_HELP.get(row.metric))

if not articles["current"]:  # four zeros and an empty chart
    ui.empty("No article in this date range passes these filters: widen the dates or drop a filter." if scope.filtered
             else "No article in this date range: widen the dates.")
    filters.stop()
volume, gaps = data.volume(snapshot, scope, today)
left, right = st.columns([3, 2])
with left:
    st.header("Articles per day", anchor=False)
    day = ui.picked_day(charts.volume(volume, gaps), key="volume")
    if day := day or ui.chosen_day(volume, "List a day's articles", key="volume_by_keyboard"):
        ui.open_articles(day)
    # under a country, pair or topic filter the shading's counts are not the bars' ("low volume (3 vs median 12)"
    # over a bar of 0): it says of which articles
    of_sources = (" of the outlets and languages in scope, whatever their articles name" if scope.sources() != scope
                  else "")
    st.caption("Click a bar, or choose its day above, to list that day's articles."
               + (f" Flagged: {transforms.ingest_gaps_note(gaps)}{of_sources}." if len(gaps) else ""))
with right:
    st.header("Rising pairs", anchor=False)
    rising = data.rising_pairs(snapshot, scope)
    st.caption(f"Listed: pairs with at least {data.RISING_MIN_ARTICLES} articles in this period that gained more than "
               "chance makes once in a hundred, given how many of all the articles in scope fall in each period "
               "(with as many articles in both, 4 → 16 and 0 → 8 rose, 7 → 12 and 100 → 120 did not)."
               + (" Under the sidebar's Countries, the pairs of the articles naming them, theirs or not."
                  if scope.countries else ""))
    if rising.empty:
        ui.empty("No pair rose beyond chance against the previous period.")
    else:
        clicked = ui.picked_pair(charts.ranked_bars(rising, "pair", "change", "Articles gained", pick_pair=True),
                                 key="rising")
        chosen = ui.chosen_pair(list(rising["pair"]), "Open a rising pair", key="rising_by_keyboard")
        if clicked or chosen:
            ui.open_pair(clicked or chosen)
        st.caption(f"The {len(rising)} pair(s) that grew most (at most {data.RISING_PAIRS}). Click a bar, or choose "
                   "the pair above, to open it in the Pair explorer. `grew_most`: the topic whose articles of the pair "
                   "grew most, and by how many."
                   + (" `undated`: how many of its articles have no usable publication date, counted on the day "
                      "PactWatch stored them, so part of the rise may be old news." if "undated" in rising else "")
                   + transforms.volume_change_note(int(articles["current"]), int(articles["previous"])))
if not rising.empty:  # the page's width: in the chart's column a 900 px window showed only `pair` and `change`
    ui.table(rising, "rising_pairs")
