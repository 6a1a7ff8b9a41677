"""Articles: search titles (and, on request, text within the selected dates), with links and downloads; open one
article to see why it is tagged as it is."""
from datetime import date

import pandas as pd
import streamlit as st

from pipeline.dashboard import data, filters, transforms, ui
from pipeline.dashboard.routes import ARTICLE, SEARCH

TWO_TOPIC_LEVELS = ("A pair sentence's topics need one word of the topic inside the sentence (weak words such as "
                    "\"deal\" or \"travel\" count); the article's topics need the topic's threshold over its title "
                    "and text (lower in a short article for some topics), except diplomacy, which a pair sentence "
                    "carrying it gives the article. So a sentence can carry a topic its article lacks, and the reverse. "
                    "The words behind a sentence's topics are not stored: only those behind the article's topics are "
                    "(below).")

LANGUAGE_COLUMN = st.column_config.TextColumn(
    "language", help="The language its feed or entry declares (de for de-AT), else, when none is declared, the one "
                     "the tagger read from the words (then `read` is ticked); empty: English.")
TIME_COLUMN = st.column_config.DatetimeColumn(
    "time", format="HH:mm", help="UTC: when it was published, or first stored when its date was missing or unusable. "
                                 "The list is newest first by this time within each day.")
# narrow, beside `dated`: "no date given" and "date unreadable" fit, a claimed date is cut after its day
WHY_UNDATED_COLUMN = st.column_config.TextColumn(
    "why undated", width=120, help="Why `day` is the day PactWatch first stored the article, not its publication day: "
                                   "its feed gave no date, gave one that cannot be read, or gave one ahead of when it "
                                   "was stored (that date in UTC, which the downloads hold as `claimed`); then the "
                                   "date as the feed wrote it, in quotes (cut short: the downloads hold it whole as "
                                   "`published_as_written`). Empty: dated.")
# Base widths, which a wide window widens: a title at the grid's own cap (about 290 px), a 40-character id (about
# 300), a long host and the header "outlet_country" over three letters took the list past a 1366 px window. An id's
# first characters tell it apart; the downloads hold it whole.
TITLE_COLUMN = st.column_config.TextColumn("title", width=240)
TEXT_SHOWN_WHOLE, TEXT_BOX_PX = 3_000, 480  # a longer text scrolls in a box of that height
LINK_COLUMN = {**ui.URL_COLUMN, "width": 120}
# "country" read as the article's ("Indian exports to Russia": CHL); "based in" took the list 1 px past 1366
OUTLET_COUNTRY_COLUMN = st.column_config.TextColumn(
    "from", help="The outlet's country, as the feed list gives it (`outlet_country` in the downloads).")
FOCUS_COLUMN = st.column_config.TextColumn(
    "focus", width=90, help="The countries the article is about (its focus), most salient first: why a list opened "
                            "from a chart holds it.")
ID_COLUMN = st.column_config.TextColumn(
    "article_id", width=90, help="The article's id, which `pactwatch` commands and SQL take (whole in the downloads).")
READ_COLUMN = st.column_config.CheckboxColumn(
    "read", help="No language was declared: the tagger read this one from the words (German, French, ...).")
SEEN_AT_COLUMN = st.column_config.DatetimeColumn(
    "seen at", format="YYYY-MM-DD HH:mm", help="UTC: when PactWatch first met this version of the article in its feed. "
                                               "The downloads hold each version's feed and text too.")
LIST_FROM = "list_from"  # URL: the first article of the page shown, "YYYY-MM-DD~article_id" (none: the newest)
OPEN_ARTICLE = "Open an article of the list"  # the label of the picker ARTICLE names in the URL
SEARCH_CHARS = 200


def parse_start(raw: str) -> tuple[date, str]:
    day, _, article_id = raw.partition("~")
    if not article_id:
        raise ValueError(f"no article id in {raw!r}")
    return date.fromisoformat(day), article_id


def dump_start(start: tuple[date, str]) -> str:
    return f"{start[0]:%Y-%m-%d}~{start[1]}"


def starts_a_page(snapshot: data.Snapshot, listing: tuple, start: tuple[date, str]) -> bool:
    """Whether the article `start` names is in the list, where its page starts. A link's start that is not (an
    article of another day or none at all) started the page after its day's articles, hiding them, or at the newest
    while the link still named it."""
    page = data.search(snapshot, *listing, start)
    return not page.empty and (pd.Timestamp(page["day"].iloc[0]).date(), page["article_id"].iloc[0]) == start


def go_to(state_key: str, snapshot: data.Snapshot, listing: tuple, position: int) -> None:
    """A page button: start the list at its article at `position` (0: the newest, which needs no query)."""
    filters.move_to(state_key, listing, data.search_page_start(snapshot, *listing, position) if position else None)


view = ui.page("Articles")
ui.undated_note(view)
ui.english_only_note(view)  # filtered by topic: the articles in other languages have none
# a row that wraps: in a quarter column a 900 px window cut the toggle's label to "Sear…"
search_row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
text = filters.text(search_row.text_input, "Search", SEARCH, "", SEARCH_CHARS, "search",
                    placeholder="words in the title, e.g. sanctions",
                    help='Articles holding every word whole, in any order, case aside; "in quotes" for a phrase, '
                         '`word*` for every word starting so (`sanction*` finds sanctions, sanctioned).')
in_body = filters.switch(search_row.toggle, "Search text too", "body", False,
                         help="Titles only by default; also search the article text (slower).")

if len(data.search_terms(text)) > data.MAX_SEARCH_TERMS:
    st.caption(f"Only the first {data.MAX_SEARCH_TERMS} different words of the search count.")
listing = (view.scope, text.strip(), in_body)
start = filters.page_position(LIST_FROM, "Page of the list", listing, parse=parse_start, dump=dump_start,
                              valid=lambda linked: starts_a_page(view.snapshot, listing, linked))
found = data.search(view.snapshot, *listing, start)
if found.empty and start is not None:  # a kept page past the end of a list a new snapshot shrank: start at the newest
    filters.move_to(filters.state_key(LIST_FROM), listing, None)
    st.rerun()
if found.empty:
    ui.empty("No article matches these filters." + (" Try also searching article text." if text and not in_body else ""))
    filters.not_drawn(OPEN_ARTICLE, ARTICLE)
    filters.stop()
# One page holding the whole list needs no count; otherwise one scan counts the list and the articles before the page.
paged = start is not None or len(found) == data.SEARCH_LIMIT
total, before = data.search_count(view.snapshot, *listing, start) if paged else (len(found), 0)
if total > len(found):
    st.caption(f"Articles {before + 1:,}–{before + len(found):,} of {total:,} matching, newest first "
               f"({data.SEARCH_LIMIT} a page; a click on a header sorts this page only). "
               f"The downloads hold all {total:,}.")
else:
    st.caption(f"{total:,} article(s), newest first")
# Only over a page listing an article of today (as a click on today's faded bar opens, its day alone), whose list may
# grow: said whenever the range held today, on almost every default view, it went unread
if pd.to_datetime(found["day"]).dt.date.eq(ui.utc_today()).any():
    st.caption("Today (UTC) is not over: the list holds its articles stored so far, and more may arrive.")
ui.table(found, "articles", column_config={"why_undated": WHY_UNDATED_COLUMN, "time": TIME_COLUMN,
                                           "title": TITLE_COLUMN, "language": LANGUAGE_COLUMN,
                                           "language_read": READ_COLUMN, "article_id": ID_COLUMN,
                                           "url": LINK_COLUMN, "outlet_country": OUTLET_COUNTRY_COLUMN,
                                           "focus": FOCUS_COLUMN},
         complete=lambda: data.uncached(data.search)(view.snapshot, *listing, None, total),
         column_order=transforms.articles_shown(found))
if total > len(found):
    last_page = (total - 1) // data.SEARCH_LIMIT * data.SEARCH_LIMIT
    controls = st.container(horizontal=True)
    for label, icon, position, allowed in (
            ("Newest", ":material/first_page:", 0, before > 0),
            ("Newer", ":material/chevron_left:", max(before - data.SEARCH_LIMIT, 0), before > 0),
            ("Older", ":material/chevron_right:", before + data.SEARCH_LIMIT, before + len(found) < total),
            ("Oldest", ":material/last_page:", last_page, before < last_page)):
        controls.button(label, icon=icon, key=f"articles.{label.lower()}", disabled=not allowed, on_click=go_to,
                        args=(filters.state_key(LIST_FROM), view.snapshot, listing, position))

st.header("Why is an article tagged as it is?", anchor=False)
listed = found.set_index("article_id")
labels = dict(zip(listed.index, map(transforms.article_label, listed["day"], listed["why_undated"],
                                    listed["outlet"], listed["title"])))
days = dict(zip(listed.index, pd.to_datetime(listed["day"]).dt.date))
# a link from another page's article ("why tagged?") opens it even when a busy day's list holds it on a later page
if (linked := filters.url_value(ARTICLE)) and linked not in labels:
    if brief := data.article_brief(view.snapshot, linked, view.scope.start, view.scope.end):
        undated = transforms.undated_because(brief["date_quality"], brief["claimed"], brief["published_as_written"])
        labels[linked] = transforms.article_label(brief["day"], undated, brief["outlet"], brief["title"]) + " (linked)"
        days[linked] = brief["day"]
chosen = filters.synced(st.selectbox, OPEN_ARTICLE, ARTICLE, None, options=list(labels),
                        format_func=labels.get, parse=lambda raw: raw[-1], dump=str,
                        valid=lambda value: value is None or value in labels, index=None,
                        placeholder="Pick an article to see its countries, pair sentences and topics with their words")
if chosen is None:
    filters.stop()
why = data.article_why(view.snapshot, chosen, days[chosen])
if why is None:
    ui.empty("This article is not in the published warehouse any more: reload the page.")
    filters.stop()

with st.container(border=True):
    st.text(why.title)  # feed text and feed-list names: st.text renders neither Markdown nor HTML
    facts = st.container(horizontal=True, vertical_alignment="center")
    facts.text(f"{why.outlet or transforms.UNKNOWN} · {transforms.day_said(why)} · "
               f"{transforms.language_read(why)} · "
               f"tagged by {why.tagger_version or 'nothing (no tags)'} · id {chosen}", width="stretch")
    if why.url:
        facts.link_button("Open the article", why.url, icon=":material/open_in_new:")
if revised := transforms.revisions_said(why.revisions):
    st.text(revised)  # a version's title is feed text: st.text renders neither Markdown nor HTML
    ui.table(why.revisions, "article_revisions", article=chosen, column_config={"seen_at": SEEN_AT_COLUMN},
             column_order=["seen_at", "title", "url"])
if why.text:  # the words around a tag's, which the tables below quote a sentence of
    with st.expander("Its text, as first captured and tagged"):
        st.code(why.text, language=None, wrap_lines=True,  # feed text: st.code shows it as it is, never as HTML
                height="content" if len(why.text) <= TEXT_SHOWN_WHOLE else TEXT_BOX_PX)
for note in transforms.article_notes(why, data.tagger_version(view.snapshot)):
    st.caption(note)
if why.tagger_version is None:
    filters.stop()

SMALL, LARGE = st.column_config.Column(width="small"), st.column_config.TextColumn(width="large")
st.markdown("**Countries**: the focus ones are what the article is about; the words that named each")
if why.countries.empty:
    ui.empty("No country was found in this article.")
else:
    ui.table(why.countries, "article_countries", article=chosen, column_config={
        "iso3": SMALL, "focus": st.column_config.CheckboxColumn(width="small"), "words": LARGE, "mentions": SMALL,
        "salience": st.column_config.NumberColumn(format="%.2f", width="small")})
st.markdown("**Pair sentences**: sentences naming two of its countries, the two marked ⟦like this⟧")
if why.sentences.empty:
    ui.empty("No sentence names two of its countries.")
else:
    ui.table(why.sentences, "article_pair_sentences", article=chosen,
             column_config={"pair": SMALL, "cue": SMALL, "cue_words": ui.CUE_WORDS_COLUMN,
                            "field": SMALL, "listed": st.column_config.Column(
                 width="small", help="The two are items of one list of countries (\"France, Russia and North Korea\"): "
                                     "such a sentence seldom relates them, and gets no cue.")})
if why.about_both:  # such a pair counts too, and no table above shows it
    st.caption(f"Also paired as two of the countries it is about, with no sentence naming both: "
               f"{'; '.join(why.about_both)}. Such a pair counts in the Co-occurrence page's article mode, the Pair "
               "explorer's articles (\"also those about both\") and the pair × topic series, under the topics in "
               "brackets: the article's own, but for those a pair sentence gave it.")
st.markdown("**Topics**: the article's topics with their score, then every word behind them in its sentence")
st.caption(TWO_TOPIC_LEVELS)
if why.topics.empty:
    ui.empty(transforms.no_topic_reason(why.language, why.read_language))
else:
    ui.table(why.topics, "article_topics", article=chosen, column_config={
        "score": st.column_config.NumberColumn(format="%.2f", width="small"), "hits": SMALL, "words": LARGE,
        "given_by": st.column_config.Column(
            "given by", width="small", help="Its score: the topic's words over the title and text reached its threshold. "
                                           "A pair sentence: the score fell short, and a sentence naming two countries "
                                           "carries the topic (diplomacy only: its words there include \"deal\" or "
                                           "\"tensions\").")})
    if len(why.words):
        ui.table(why.words, "article_topic_words", article=chosen, column_config={"field": SMALL})
