"""Articles: search titles (and, on request, text within the selected dates), with links and downloads; open one
article to see why it is tagged as it is."""
import streamlit as st

from pipeline.dashboard import data, filters, transforms, ui
from pipeline.store.queries import SEARCH_LIMIT

TWO_TOPIC_LEVELS = ("A pair sentence's topics need one word of the topic inside the sentence (weak words such as "
                    "\"deal\" or \"travel\" count); the article's topics need the topic's threshold over its title "
                    "and text. So a sentence can carry a topic its article lacks, and the reverse. The words behind a "
                    "sentence's topics are not stored: only those behind the article's topics are (below).")

view = ui.page("Articles")
left, right = st.columns([3, 1], vertical_alignment="bottom")
text = filters.synced(left.text_input, "Search", "q", "", parse=lambda raw: raw[-1][:200], dump=str,
                      placeholder="words in the title, e.g. sanctions", max_chars=200)
in_body = filters.synced(right.toggle, "Search text too", "body", False,
                         parse=lambda raw: raw[-1] == "1", dump=lambda value: "1" if value else "0",
                         help="Titles only by default; also search the article text (slower).")

found = data.search(view.snapshot, view.scope, text.strip(), in_body)
if found.empty:
    ui.empty("No article matches these filters." + (" Try also searching article text." if text and not in_body else ""))
    st.stop()
st.caption(f"{len(found):,} article(s){' (the newest ' + str(SEARCH_LIMIT) + ')' if len(found) >= SEARCH_LIMIT else ''}, newest first")
ui.table(found, "articles")

st.subheader("Why is an article tagged as it is?")
listed = found.set_index("article_id")
labels = dict(zip(listed.index, map(transforms.article_label, listed["day"], listed["outlet"], listed["title"])))
chosen = filters.synced(st.selectbox, "Open an article of the list", "article", None, options=list(labels),
                        format_func=labels.get, parse=lambda raw: raw[-1], dump=str,
                        valid=lambda value: value is None or value in labels, index=None,
                        placeholder="Pick an article to see its countries, pair sentences and topics with their words")
if chosen is None:
    st.stop()
why = data.article_why(view.snapshot, chosen, listed.at[chosen, "day"].date())
if why is None:
    ui.empty("This article is not in the published warehouse any more: reload the page.")
    st.stop()

with st.container(border=True):
    st.text(why.title)  # feed text and feed-list names: st.text renders neither Markdown nor HTML
    facts = st.container(horizontal=True, vertical_alignment="center")
    facts.text(f"{why.outlet or transforms.UNKNOWN} · {why.day:%Y-%m-%d} · {transforms.language_read(why)} · "
               f"tagged by {why.tagger_version or 'nothing (no tags)'}", width="stretch")
    if why.url:
        facts.link_button("Open the article", why.url, icon=":material/open_in_new:")
for note in transforms.article_notes(why, data.tagger_version()):
    st.caption(note)
if why.tagger_version is None:
    st.stop()

SMALL, LARGE = st.column_config.Column(width="small"), st.column_config.TextColumn(width="large")
st.markdown("**Countries**: the focus ones are what the article is about; the words that named each")
if why.countries.empty:
    ui.empty("No country was found in this article.")
else:
    ui.table(why.countries, "article_countries", column_config={
        "iso3": SMALL, "focus": st.column_config.CheckboxColumn(width="small"), "words": LARGE, "mentions": SMALL,
        "salience": st.column_config.NumberColumn(format="%.2f", width="small")})
st.markdown("**Pair sentences**: sentences naming two of its countries, the two marked ⟦like this⟧")
if why.sentences.empty:
    ui.empty("No sentence names two of its countries.")
else:
    ui.table(why.sentences, "article_pair_sentences",
             column_config={"pair": SMALL, "sentence": LARGE, "cue": SMALL, "field": SMALL})
st.markdown("**Topics**: the article's topics with their score, then every word behind them in its sentence")
st.caption(TWO_TOPIC_LEVELS)
if why.topics.empty:
    ui.empty(transforms.no_topic_reason(why.language, why.read_language))
else:
    ui.table(why.topics, "article_topics", column_config={
        "score": st.column_config.NumberColumn(format="%.2f", width="small"), "hits": SMALL, "words": LARGE})
    if len(why.words):
        ui.table(why.words, "article_topic_words", column_config={"sentence": LARGE, "field": SMALL})
