"""Pair explorer: one pair's topics and cues over time, who covers it, the evidence sentences and articles."""
from dataclasses import replace
from datetime import date
from typing import NoReturn

import streamlit as st

from pipeline.dashboard import charts, data, filters, transforms, ui

# as the cue chart's colours; the text black, as on the matrix's light cells: the dark theme's light text was
# 1.2:1 on the tints
CUE_CELL = {cue: f"background-color: {tint}; color: black" for cue, tint in charts.CUE_TINTS.items()}
LISTED_HELP = ("A sentence such as \"Trump's Military Parade Set Beside Those of France, Russia and North Korea\" names "
               "two countries as items of one list: in hand-labelled news such a sentence relates the two once in 25 "
               "(docs/accuracy.md). The charts above count every sentence naming the pair, unless the sidebar's "
               "\"Leave out list-only pairs\" is on: then they and the articles leave such sentences out, while this "
               "switch decides for the evidence alone.")
PAIR_HELP = (f"The {data.LISTED_PAIRS} pairs with most articles, and every pair of the countries chosen in the "
             "sidebar's Countries: choose a country there to reach a rarer pair. " + filters.PAIR_TYPING)

# The cue and its words next to the sentence: in the query's order (day, dated, outlet, sentence, topics, cue, ...) a
# 1366 px window cut the cue words to three letters, and at 150 % zoom showed neither the cue nor its words
EVIDENCE_FIRST = ["day", "sentence", "cue", "cue_words", "topics", "why"]
# the caption under the articles explains `sentences` 0: at 1440 px the query's order put it past the title, off screen
ARTICLES_FIRST = ["day", "dated", "title", "why", "sentences", "topics"]
ARTICLE_LEVELS = {"sentence": "naming both in a sentence", "article": "also those about both"}
HIDE_LISTED, HIDE_LISTED_LABEL = "lists", "Hide sentences that only list the two among other countries"  # URL, label
LEVEL_HELP = ("Who covers the pair and the article list: only the articles with a sentence naming both countries, "
              "or also those about both (two of their focus countries) without such a sentence, which carry the "
              "article's topics. The Co-occurrence page counts the first in its sentence mode, both in its article "
              "mode.")


def offer_other_dates(elsewhere: dict, listed: bool, shown: tuple[date, date], pair: str, topic: str | None,
                      level: str) -> None:
    """The pair's articles the sidebar's dates (`shown`) leave out: how many, their first and last day, and a button
    to dates that hold them (around the articles `listed` already, so none drops out). Without it, a pair whose
    articles all lie before the 90 days shown reads as never covered."""
    if not elsewhere["articles"]:
        return
    first, last = elsewhere["first_day"], elsewhere["last_day"]
    st.info(f"{elsewhere['articles']:,} {'more ' if listed else ''}article(s) pair them with these filters outside "
            f"these dates, from {first} to {last}.", icon=":material/date_range:")
    start, end = transforms.dates_holding(shown, (first, last), keep=listed)
    # with nothing listed in these dates the button moves to theirs (dates_holding): no widening, so not called one
    label = f"Widen the dates to {start} – {end}" if listed else f"Show their dates, {start} – {end}"
    if st.button(label, icon=":material/date_range:", key="pair.widen"):
        ui.open_pair(pair, topic, (start.isoformat(), end.isoformat()), level, back=ui.back_params())


def first_columns(frame, first: list[str]) -> list[str]:
    """Every column of `frame`, those of `first` first, in that order."""
    return [*first, *(column for column in frame.columns if column not in first)]


def open_bucket(start: date | None, grain: str, pair: str, topic: str | None, level: str,
                shown: tuple[date, date]) -> None:
    """Narrow the page to the days of the day, week or month starting `start`, a clicked bar's, within the dates
    `shown` (the browser's Back returns). A faded bar's bucket, cut by the range or holding today, opens on the days
    its bar counts: the whole week went past the range, or past today. A bar of the range shown has nothing to
    narrow: the switch would open this view again, its click still picked, and again."""
    if start is not None and (bucket := transforms.bucket_days(start, grain, shown)) != shown:
        ui.open_pair(pair, topic, (bucket[0].isoformat(), bucket[1].isoformat()), level, back=ui.back_params())


def bars_key(name: str, shown: tuple[date, date]) -> str:
    """The key of a chart whose bar click narrows the dates: the page switches to itself, and under the key it had
    the chart kept the click, which narrowed the page again on every run, forever (a Pair explorer's server
    rerunning it twice a second); a key of the dates shown opens each range's chart unclicked, Back's too."""
    return f"{name}.{shown[0]}.{shown[1]}"


def names_one_of(pair: str, countries: tuple[str, ...]) -> bool:
    return bool(set(transforms.pair_codes(pair)) & set(countries))


def lists_left_out(view: ui.View, pair: str, topic: str | None, level: str, shown: int) -> str:
    """With the sidebar's "Leave out list-only pairs" on, a sentence for an empty state: how many of the pair's
    articles it leaves out (those naming the two only in lists of countries) besides the `shown` ones, and how to see
    them; '' when off or none. "No sentence names both countries" alone was true, and hid a pair named in six lists."""
    if not view.scope.unlisted_only:
        return ""
    every = replace(view.scope, unlisted_only=False)
    left_out = data.pair_totals(view.snapshot, every, pair, topic, level)["articles"] - shown
    if not left_out:
        return ""
    iso_a, iso_b = transforms.pair_codes(pair)
    return (f" {left_out:,} article(s) name {iso_a} and {iso_b} only in lists of countries; turn off \"Leave out "
            "list-only pairs\" in the sidebar to see them.")


def eyeballing_caveats(view: ui.View, articles: int, pair: str, topic: str | None, level: str, grain: str) -> None:
    """Captions under the page's count where its bars invite a "tripled" they cannot carry: one outlet supplies more
    than half of its articles, or no bar stands for as many articles as the Overview needs of a rising pair. The
    Overview and the alerts had such rules; this page, the one quoted from, had none."""
    outlets = data.pair_outlets(view.snapshot, view.scope, pair, topic, level)[0]
    busiest = data.pair_busiest_bucket(view.snapshot, view.scope, pair, topic, level, grain)
    for caveat in (transforms.one_outlet_note(outlets, articles),
                   transforms.few_articles_note(busiest, grain, data.RISING_MIN_ARTICLES)):
        if caveat:
            st.caption(caveat)


def stop_without_pairs(articles: int) -> NoReturn:
    """A warehouse whose articles never name two countries together: the pair box, empty, and why there is nothing to
    explore and what brings pairs. The page stopped under its title with a line, no control in sight. Pairs are listed
    from every stored day, so no date or filter of the sidebar would bring one; a link's pair is named as not
    available."""
    filters.not_drawn("Pair", "pair")
    st.selectbox("Pair", [], disabled=True, placeholder="No pair stored yet", help=PAIR_HELP)
    ui.empty(f"None of the {articles:,} stored articles names two countries together (in one sentence, or as two of "
             "the countries it is about), so there is no pair to explore, whatever the dates or filters. Pairs come "
             "with news of relations between countries: add feeds that carry it (`pactwatch feeds add`) and run "
             "`pactwatch ingest`, or `pactwatch demo` for demo data, then reload this page.")
    filters.stop()


view = ui.page("Pair explorer")
scope, snapshot = view.scope, view.snapshot
ui.undated_note(view)
ui.english_only_note(view)  # filtered by topic: the articles in other languages have none
if opened_on := ui.back_to_alerts(snapshot):  # opened on more days than its window, which bars were the alert's?
    before = transforms.days_before_alert(data.alert_rule(opened_on["rule"]))
    st.caption(transforms.alert_window_note(opened_on, before))
pairs = view.options["pairs"]
if not pairs:
    stop_without_pairs(view.status["articles"])

# the sidebar's pairs first, then the busiest pair naming one of its countries: with Countries = PRK there, the
# busiest pair of all (which may name neither) would ignore the filter. So would a pair shown before the reader chose
# Countries it names neither of: it gives way to that pair (one a link or a click opened is shown as asked)
naming = [key for key in pairs if names_one_of(key, scope.countries)]
left, middle, right = st.columns([2, 2, 3])
pair = filters.synced(left.selectbox, "Pair", "pair", (scope.pairs or naming or pairs)[0], options=pairs,
                      parse=lambda raw: transforms.parse_pair(raw[-1]), dump=str, valid=lambda p: p in pairs,
                      under=scope.countries, fits=lambda p: not scope.countries or names_one_of(p, scope.countries),
                      keep_default=True, help=PAIR_HELP)
# the sentences' own topics, as the Co-occurrence page counts a pair for a topic (its clicks bring the topic along);
# the sidebar's Topics filter keeps articles whose own topics include one, and is the wrong tool for "PRK-RUS military"
topic = filters.optional_choice(middle.selectbox, "Sentence topic", ui.PAIR_TOPIC, view.options["topics"],
                                help="Only the sentences naming both countries with a word of this topic, and the "
                                     "articles holding one: what the Co-occurrence page counts for the topic.")
grain = filters.choice(right.radio, "Per", "grain", list(data.GRAINS), horizontal=True,
                       default=transforms.starting_grain(scope.days,
                                                         monthly_after=transforms.HALF_WIDTH_MONTHLY_AFTER_DAYS))
# the Co-occurrence page's "Together in one" comes along with a click: its sentence cells count only the articles
# with a sentence naming both, where the article list would hold the articles about both too. Written even when it is
# the default, as every switch here names it (ui.open_pair): a URL without it moved after the switch, and the browser
# kept both, so Back from a clicked bar's day landed on that day again
level = filters.choice(right.radio, "Articles", ui.PAIR_LEVEL, list(ARTICLE_LEVELS), default="article",
                       horizontal=True, format_func=ARTICLE_LEVELS.get, help=LEVEL_HELP, keep_default=True)
st.header(transforms.pair_label(pair) + (f" · {topic}" if topic else ""), anchor=False)
ui.unlisted_note(scope)

totals = data.pair_totals(snapshot, scope, pair, topic, level)
if not totals["sentences"]:  # no evidence list to hide listing sentences from: its switch is not drawn
    filters.not_drawn(HIDE_LISTED_LABEL, HIDE_LISTED)
elsewhere = data.pair_articles_elsewhere(snapshot, scope, pair, topic, level,
                                         (view.status["first_day"], view.status["last_day"]))
if totals["articles"]:  # analysts ask "since when?"
    st.caption(f"{totals['articles']:,} article(s) with these filters: the first on {totals['first_day']}, the last "
               f"on {totals['last_day']}.")
    if note := transforms.copies_note(data.pair_stories(snapshot, scope, pair, topic, level)):
        st.caption(note)
    eyeballing_caveats(view, totals["articles"], pair, topic, level, grain)
    offer_other_dates(elsewhere, True, (scope.start, scope.end), pair, topic, level)
else:
    about_both = data.pair_totals(snapshot, scope, pair, topic, "article")["articles"] if level == "sentence" else 0
    in_lists = lists_left_out(view, pair, topic, level, 0)
    # a topic no sentence of the pair carries: those in other languages could not carry it
    in_other_languages = (" " + transforms.pair_not_read_note(*data.pair_sentences_not_read(snapshot, scope, pair),
                                                              topic)).rstrip() if topic else ""
    if about_both:  # sentence level found none, but articles about both pair them: say how many
        ui.empty(f"No sentence names both countries with these filters; {about_both:,} article(s) are about both: "
                 f"choose Articles → also those about both.{in_lists}{in_other_languages}")
    else:
        ui.empty("No article pairs these two countries with these filters"
                 + (f" in a sentence of the topic {transforms.inline_code(topic)}." if topic else ".") + in_lists
                 + in_other_languages)
    offer_other_dates(elsewhere, False, (scope.start, scope.end), pair, topic, level)
    filters.stop()
topics = data.pair_topics(snapshot, scope, pair, grain, topic)
if topics.empty:  # articles can pair two countries they are about without a sentence naming both: list them
    ui.empty(f"No sentence names both countries with these filters. {totals['articles']:,} article(s) pair them as "
             "two of the countries they are about: see who covers them and the articles below."
             + lists_left_out(view, pair, topic, level, totals["articles"]))
else:
    if topic:  # stacked on top, the other topics of its sentences would set the peaks, not this topic's
        topics = topics[topics["topic"] == topic]
    topics = transforms.with_partial_notes(topics, scope.start, scope.end, grain, ui.utc_today())
    shown = (scope.start, scope.end)
    not_read, sentences = data.pair_sentences_not_read(snapshot, scope, pair)
    not_read_note = transforms.pair_not_read_note(not_read, sentences, topic)
    cues = data.pair_cues(snapshot, scope, pair, grain, topic)
    left, right = st.columns(2)
    with left:
        # the two headings of half the page each fit one line at 1280 px: "Evidence sentences of the topic sanctions"
        # took two at 1366, and the header above names the topic
        st.subheader("Sentences of the topic" if topic else "Topics of the sentences", anchor=False)
        open_bucket(ui.picked_day(charts.stacked(topics, "sentences", "topic",
                                                 "Sentences" if topic else "Topic mentions", grain,
                                                 span=shown), bars_key("pair_topics", shown)),
                    grain, pair, topic, level, shown)
        st.caption(("" if topic else "A sentence with two topics counts once under each, so a bar can be taller "
                    "than the number of sentences (the tooltip gives both). ")
                   + "Click a bar (or set the sidebar's Dates) to narrow the page to its day, week or month. A "
                     "faded bar is one cut by the date "
                     "range or not over yet: a click on it narrows the page to its days within these dates. A "
                     "sentence's topics are the topic words in it; between two "
                   "countries, everyday words count too (\"deal\", \"rejects\" and \"pressure\" for diplomacy). On "
                   "hand-labelled news, 4 in 5 topics shown are right and 3 in 4 of the readers' topics are shown "
                   "(docs/accuracy.md).")
        if not_read_note and cues.empty:  # the empty cue chart says no cue could be read: the topics' half says why
            st.caption(not_read_note)
    with right:
        st.subheader("Cooperation vs confrontation", anchor=False)
        if cues.empty:
            ui.empty(transforms.no_cue_note(not_read, sentences))
        else:
            cues = transforms.with_partial_notes(cues, scope.start, scope.end, grain, ui.utc_today())
            open_bucket(ui.picked_day(charts.stacked(cues, "sentences", "cue", "Sentences", grain,
                                                     scale=charts.CUE_COLORS, span=shown),
                                      bars_key("pair_cues", shown)), grain, pair, topic, level, shown)
        st.caption("A cue counts cooperation and confrontation words near the two countries in the sentence, "
                   "whoever they are about. On hand-labelled news it matches the stance between the two countries "
                   "about half the time and is its opposite about one time in seven (docs/accuracy.md): a trend, "
                   "not a verdict on a sentence. The evidence below names each sentence's cue words. "
                   + ("" if cues.empty else transforms.third_country_note(cues, pair)))
    if not_read_note and not cues.empty:  # once, under both charts: it is about the sentences both count
        st.caption(not_read_note)

st.subheader("Who covers the pair", anchor=False)
outlets, more_outlets, their_articles = data.pair_outlets(snapshot, scope, pair, topic, level)
# hues in the order of the warehouse's outlet countries (busiest first), not the pair's: a country keeps its colour
# from pair to pair. The country in the label too: those past the eighteen busiest share the "(other)" grey, and two
# outlets of one name in two countries would be one band
ui.draw_chart(charts.ranked_bars(outlets.assign(outlet=outlets["outlet"] + " · " + outlets["outlet_country"]),
                                "outlet", "articles", "Articles", color="outlet_country",
                                color_title="Outlet's country",
                                color_order=[*view.options["outlet_countries"], transforms.UNKNOWN]))
if note := transforms.outlets_left_out_note(len(outlets), more_outlets, their_articles):
    st.caption(note)

if totals["sentences"]:
    st.subheader("Evidence", anchor=False)
    hide_listed = filters.switch(st.toggle, HIDE_LISTED_LABEL, HIDE_LISTED, True, help=LISTED_HELP)
    evidence = data.pair_evidence(snapshot, scope, pair, topic, hide_listed)
    hidden = totals["listed"] if hide_listed else 0
    st.caption(f"{transforms.shown_of(len(evidence), totals['sentences'] - hidden, 'sentences')}"
               + (f", {hidden:,} listing the two among other countries hidden" if hidden else "")
               + ". Country mentions are marked ⟦like this⟧ in the table; the text to quote below gives the source's "
                 "words unmarked, with where they stand (headline or body) and whether the outlet later changed the "
                 "article. Text is shown exactly as the feed sent it, never as HTML.")
    ui.table(evidence, f"evidence_{pair}", style=lambda frame: frame.style.map(lambda cue: CUE_CELL.get(cue, ""),
                                                                                subset=["cue"]),
             column_config={"cue_words": ui.CUE_WORDS_COLUMN, **ui.WHY_COLUMN}, in_name=("pair",),
             column_order=first_columns(evidence, EVIDENCE_FIRST),
             complete=lambda: data.uncached(data.pair_evidence)(snapshot, scope, pair, topic, hide_listed,
                                                                totals["sentences"]))
    with st.expander("These sentences as text, to quote"):  # its copy button takes the keyboard's focus
        st.code(transforms.evidence_as_text(evidence), language=None, wrap_lines=True, height=420)

st.subheader("Articles", anchor=False)
articles = data.pair_articles(snapshot, scope, pair, topic, level)
st.caption(f"{transforms.shown_of(len(articles), totals['articles'], 'articles')}"
           + (" (`sentences` 0: about both, with no sentence naming both)." if (articles["sentences"] == 0).any()
              else "."))
ui.table(articles, f"articles_{pair}", column_config=ui.WHY_COLUMN, in_name=("pair",),
         column_order=first_columns(articles, ARTICLES_FIRST),
         complete=lambda: data.uncached(data.pair_articles)(snapshot, scope, pair, topic, level, totals["articles"]))
