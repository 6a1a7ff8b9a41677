"""Helpers every page shares: the view (snapshot + filters), headers, empty states, tables, chart picks.

Feed text only ever reaches the browser inside st.dataframe cells (drawn on a canvas, never parsed as
HTML) or st.text; Markdown-rendering calls here only carry our own strings, numbers and ISO codes.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Callable, Sequence
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pandas.io.formats.style import Styler
import streamlit as st

from .. import seeds
from ..home import Home
from ..store.queries import DEMO_STARTED, Scope
from ..store.reader import SnapshotUnreadable
from . import charts, data, filters, transforms
from .charts import CELL_PICK, DAY_PICK, PAIR_PICK, PICKED_DAY, series_hues
from .routes import ALERT, ALERTS, ARTICLES, PAIR, SEARCH

PAIR_TOPIC = "topic"  # the Pair explorer's URL parameter for the topic its sentences are narrowed to
PAIR_LEVEL = "level"  # ... and for whether its articles need a sentence naming both
# Opened from an alert, the Pair explorer keeps the way back: the Alerts page's dates before they became the alert's
# window, and the alert (under the Alerts page's own parameter, which it reads on the way back)
BACK_FROM, BACK_TO, BACK_ALERT = "alerts_from", "alerts_to", ALERT

VIEW_KEY = "pactwatch.view"
EMPTY_HINT = "Run `pactwatch demo` for demo data or `pactwatch ingest` for live feeds, then reload this page."
DATE_COLUMN = st.column_config.DateColumn(format="YYYY-MM-DD")
# A replay of old captures files its undated items under the replay day: without this mark, an old story in the
# evidence of a pair reads as today's.
DATED_COLUMN = st.column_config.CheckboxColumn(
    "dated", help="Ticked: `day` is the day the article was published. Not ticked: its feed gave no usable date (none, "
                  "unreadable or in the future) and `day` is the day PactWatch first stored it, which can be long "
                  "after (old captures replayed). The sidebar's \"Leave out undated articles\" drops them everywhere.")
# "None" in the column read as a fault (stop 75's audit): it is a link the feed gave that a click must not open
URL_COLUMN = st.column_config.LinkColumn("link", display_text=transforms.LINK_TEXT,
                                         help="Opens the article. None: the feed gave no http(s) link that opens "
                                              "safely (javascript:, data: and malformed links are not shown)")
# An evidence sentence on one line showed its first ~65 characters at 1366 px, in half of them not the second country
# (nor the words that make a tag wrong), and only a double-click opened the rest. Streamlit wraps a cell's text only in
# rows taller than 4rem (64 px): a table with a `sentence` column gets rows of three lines, ~180 characters of its
# 400 px column (nine in ten real sentences whole; 43 of 44 of the report's show both countries); a longer one still
# opens on a double-click.
SENTENCE_COLUMN = st.column_config.TextColumn("sentence", width="large")
SENTENCE_ROW_PX = 76
CUE_WORDS_COLUMN = st.column_config.TextColumn(
    "cue words", help="The words that decided the cue, as written: those of the family with more words near the two "
                      "countries, else in the whole sentence (seeds/topics/cues.toml); a verb ending a cooperation word "
                      "is one confrontation with it (\"ended its defence pact\"). Blank: no cue, or the sentence was "
                      "tagged before the warehouse kept them (`pactwatch retag`).")
# Given only where the page built the column (transforms.with_why_links): a `why` column of the SQL page is text.
WHY_COLUMN = {"why": st.column_config.LinkColumn("why", display_text="why tagged?",
                                                 help="Opens the article's countries, pair sentences and topics with "
                                                      "their words (Articles page), in a new tab")}


@dataclass(frozen=True)
class View:
    snapshot: data.Snapshot | None
    status: dict | None
    options: dict | None
    scope: Scope | None  # None when the warehouse holds no articles yet
    unreadable: str | None = None  # why a published snapshot cannot be opened (another process locks it)
    pinned: dict | None = None  # the run the view is pinned to (Scope.as_of: queries.run_facts), None for the latest


def build_view() -> View:
    """Called by the entry script before the page runs: resolves the snapshot and draws the sidebar."""
    try:
        snapshot = data.current()
        if snapshot is None:
            return View(None, None, None, None)
        status = data.status(snapshot)
    except SnapshotUnreadable as exc:
        return View(None, None, None, None, unreadable=str(exc))
    if not status["articles"]:
        return View(snapshot, status, None, None)
    options = _with_linked_pairs(snapshot, data.filter_options(snapshot))
    pair_choices = partial(_pair_choices, snapshot, options["pairs"])
    scope = filters.sidebar(status, options, pair_choices, _pinnable_runs(snapshot))
    pinned = data.run_facts(snapshot, scope.as_of) if scope.as_of is not None else None
    return View(snapshot, status, {**options, "pairs": pair_choices(scope.countries)}, scope, pinned=pinned)


LINKED_RUNS = "pactwatch.linked_runs"  # session key: the runs past the recent ones that links pinned a view to


def _pinnable_runs(snapshot: data.Snapshot) -> dict[int, str]:
    """The runs "Data as of run" offers (run id: label): the latest ones, and those past them a link pinned a view to
    (a quote's link of last year). Kept for the session, as linked pairs are: a menu link's URL names none, and the
    control holding one would fall back to the latest data."""
    linked = st.session_state.setdefault(LINKED_RUNS, {})
    asked = filters.linked_run(filters.url_value(filters.AS_OF))
    if asked is not None and asked not in linked and (run := data.run_facts(snapshot, asked)):
        linked[asked] = transforms.run_label(run)
    return {**{run["run_id"]: transforms.run_label(run) for run in data.recent_runs(snapshot)}, **linked}


LINKED_PAIRS = "pactwatch.linked_pairs"  # session key: the pairs past the listed ones that links named
PAIR_PARAMS = ("pair", "pairs", "series_pairs")  # the URL parameters naming pairs: Pair explorer, sidebar, Trends


def _with_linked_pairs(snapshot: data.Snapshot, options: dict[str, list[str]]) -> dict[str, list[str]]:
    """The pair choices with the stored pairs a link names past the 500 listed (a rising pair's or a new_pair alert's
    click): the Pair explorer opened on another pair. Kept for the session: a menu link's URL names none, and the
    controls holding one would fall back to their defaults."""
    listed = set(options["pairs"])
    asked = dict.fromkeys(pair for name in PAIR_PARAMS for raw in filters.url_values(name)
                          if (pair := transforms.parse_pair(raw)) and pair not in listed)
    linked = st.session_state.setdefault(LINKED_PAIRS, [])
    if new := tuple(pair for pair in asked if pair not in linked):
        linked.extend(data.stored_pairs(snapshot, new))
    return {**options, "pairs": options["pairs"] + [pair for pair in linked if pair not in listed]}


def _pair_choices(snapshot: data.Snapshot, listed: list[str], countries: tuple[str, ...]) -> list[str]:
    """The `listed` pairs (the busiest, and those links named), then every other stored pair naming one of the
    sidebar's `countries`: a rare pair (LAO–PRK) is a Countries pick away, where listing every stored pair would send
    tens of thousands of choices on every rerun."""
    known = set(listed)
    naming = data.pairs_naming(snapshot, countries) if countries else []
    return listed + [pair for pair in naming if pair not in known]


def utc_today() -> date:
    """The day whose articles are still arriving: charts mark its bucket as not whole."""
    return datetime.now(UTC).date()


REASON_CHARS = 200


def error_with_reason(message: str, reason: str, icon: str = ":material/error:") -> None:
    """An error saying `message` and its `reason` (as inline code: a path, a query, DuckDB's words are not Markdown)
    in the alert a screen reader announces: beside it, in a block of its own, the reason was never read out. A reason
    longer than REASON_CHARS is also shown whole, as plain text, below (unwrapped: DuckDB's caret under a query's
    line must stay under it)."""
    error_with_reasons(message, [reason], icon)


def error_with_reasons(message: str, reasons: Sequence[str], icon: str = ":material/error:") -> None:
    """error_with_reason for several reasons ("; "-separated in the alert), shown whole below a line each, wrapped:
    one file's mistakes, each led by its file and line."""
    said = "; ".join(reasons)
    st.error(f"{message} {transforms.inline_code(said, REASON_CHARS)}", icon=icon)
    if len(said) > REASON_CHARS or "\n" in said:
        st.code("\n".join(reasons), language=None, wrap_lines=len(reasons) > 1)


def page(title: str, *, needs_articles: bool = True) -> View:
    """Start a page: title, demo banner, freshness; stops with a helpful empty state when there is no data."""
    st.title(title, anchor=False)
    view: View = st.session_state[VIEW_KEY]
    if view.unreadable:
        error_with_reason("The published warehouse cannot be opened:", view.unreadable, icon=":material/lock:")
        filters.stop()
    if view.snapshot is None:
        home = transforms.inline_code(str(Home.resolve().root), limit=200)
        st.info(f"No published warehouse in {home} yet (set PACTWATCH_HOME to read another home). {EMPTY_HINT}",
                icon=":material/inbox:")
        filters.stop()
    if view.status["is_demo"]:
        st.warning(_demo_banner(view.status["demo_state"]), icon=":material/science:")
    _freshness(view.status)
    _failed_publish(data.publish_failure())
    _stale_tags(view.snapshot, view.status["tag_versions"])
    if needs_articles:
        stop_without_articles(view)
        if view.pinned:
            st.info(transforms.pinned_note(view.pinned), icon=":material/push_pin:")
    return view


def _demo_banner(state: str | None) -> str:
    """A demo published on the way, or stopped before its end, lacks most of its articles and spikes: say so."""
    if state == DEMO_STARTED:
        return ("Demo data, loaded in part: a synthetic corpus from `pactwatch demo`, not real news, still loading or "
                "stopped before its end (`make run` builds it again).")
    return "Demo data: a synthetic corpus from `pactwatch demo`, not real news."


def stop_without_articles(view: View) -> None:
    """Stops a page with nothing to show before the first article, saying how to get some."""
    if view.scope is None:
        st.info(f"The warehouse has no articles yet. {EMPTY_HINT} When an ingest has run, the Feeds page shows "
                "what each feed returned.", icon=":material/inbox:")
        filters.stop()


def _freshness(status: dict) -> None:
    last = status["last_run_at"]
    when = f"{last:%Y-%m-%d %H:%M} UTC ({status['last_run_kind']} run)" if last is not None else "no run recorded"
    st.caption(f"Data as of {when} · {status['articles']:,} articles")


def _failed_publish(failure: dict | None) -> None:
    """The writer went on storing runs, and these pages on showing the last one published: the "Data as of" line
    above is older than the news."""
    if failure:
        when = failure.get("failed_at") or "an unknown time"
        st.warning(f"Publishing failed at {transforms.inline_code(str(when))}: these pages show the data as of the run "
                   f"above, and the warehouse holds newer runs. Once the cause is fixed, the next `pactwatch ingest` "
                   f"publishes them (`pactwatch status --check` names it). "
                   f"{transforms.inline_code(str(failure.get('error')), limit=300)}", icon=":material/sync_problem:")


def _stale_tags(snapshot: data.Snapshot, tag_versions: dict[str, int]) -> None:
    """After an upgrade or a seed edit, old tags stay until `pactwatch retag`: every count mixes rule sets. Beside seed
    files that do not load, the retag would fail: their mistake is named."""
    current = data.tagger_version(snapshot)
    stale = {version: count for version, count in tag_versions.items() if version != current}
    if stale:
        others = ", ".join(f"{transforms.inline_code(version)}: {count:,}" for version, count in stale.items())
        effect = seeds.stale_tags_effect(tag_versions, current).capitalize()
        problem = data.seeds_load_problem(current)
        blocked = f", {seeds.retag_blocked(transforms.inline_code(problem, limit=300))}" if problem else ""
        st.warning(f"{sum(stale.values()):,} of {sum(tag_versions.values()):,} tagged articles were tagged by another "
                   f"tagger version than this code's `{current}` ({others}). {effect} until "
                   f"`pactwatch retag` rebuilds every tag{blocked}.", icon=":material/sync_problem:")


def filters_do_not_apply() -> None:
    """Under the sidebar of a page that reads none of its filters (Feeds, SQL): they are kept for the other pages. A
    home without articles has no filters to speak of."""
    if st.session_state[VIEW_KEY].scope is not None:
        st.sidebar.caption("These filters apply to the other pages, not to this one.")


def article_topics_note(scope: Scope) -> None:
    """Under topic counts filtered to pairs: they count articles' own topics, which the Pair explorer does not, so
    the two count one pair and topic differently (a topic on Topics may have no sentence in the Pair explorer)."""
    if scope.pairs:
        st.caption("A topic here counts the articles whose own topics include it (the topic's words over the whole "
                   "article reach its threshold, or, for diplomacy, a pair sentence carries it); the Pair explorer and "
                   "`v_pair_topic_daily` count the topics of the pair's own sentences, where one word suffices, so "
                   "their counts differ.")


def undated_note(view: View) -> None:
    """On every page counting articles: how many in scope sit on the day first stored, when they are a notable share
    (transforms.undated_note). Said on the Overview alone, a bookmarked Co-occurrence page drew a replayed backlog as
    this quarter's most connected pair."""
    if note := transforms.undated_note(*data.undated_articles(view.snapshot, view.scope)):
        st.caption(note)


def english_only_note(view: View, counts_topics: bool = False) -> None:
    """On a page counting topics (`counts_topics`) or filtered by the sidebar's Topics: how many articles in scope are
    in another language, whose topics are not read (transforms.english_only_note). Only the Topics page said it, and
    a topic's Trends line from mixed-language feeds read as the whole coverage's. Counted without the Topics filter,
    which keeps none of them."""
    if not (counts_topics or view.scope.topics):
        return
    every_topic = replace(view.scope, topics=(), all_topics=False)
    if note := transforms.english_only_note(*data.other_language_articles(view.snapshot, every_topic),
                                            topic_filtered=bool(view.scope.topics)):
        st.caption(note)


def unlisted_note(scope: Scope) -> None:
    """Under a pair count with the sidebar's "Leave out list-only pairs" on: what it leaves out."""
    if scope.unlisted_only:
        st.caption(UNLISTED_NOTE)


def list_only_note(view: View, drawn: tuple[str, ...] = (), topic: str | None = None, level: str = "article") -> None:
    """On the pages counting the pairs of all their articles (or the pairs `drawn`: Trends' lines, the co-occurrence
    matrix's cells, counted there at its `level` and `topic`): with "Leave out list-only pairs" on, what it leaves out;
    off, how many of the counts only lists of countries make, when a notable share (transforms.list_only_note), as
    undated_note says of undated articles. (The Pair explorer's evidence counts its own listing sentences.)"""
    if view.scope.unlisted_only:
        unlisted_note(view.scope)
    elif note := transforms.list_only_note(*data.list_only_pairs(view.snapshot, view.scope, drawn, topic, level),
                                           counted_for="the pairs drawn" if drawn else "a pair"):
        st.caption(note)


UNLISTED_NOTE = ("List-only pairs left out (sidebar): an article counts for a pair only with a sentence naming both "
                 "countries that does more than list them among other countries, or with none (about both).")


def partial_points_note(trend: pd.DataFrame) -> None:
    """What the hollow points of a line chart (charts.lines) are, when it has any."""
    if (trend["note"] != "").any():
        st.caption("Hollow points on a dashed line are not comparable with the others: a first or last bucket cut by "
                   "the date range or holding today (still collecting), a bucket for which no article at all is stored "
                   "(no feed covered it: its zero says nothing about the news), or a rolling mean over fewer buckets "
                   "or such a bucket (their tooltips say which; `all_articles` in a table counts every article "
                   "stored).")


def empty(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def _csv(frame: pd.DataFrame) -> bytes:
    return transforms.spreadsheet_safe(frame).to_csv(index=False).encode("utf-8")


def _parquet(frame: pd.DataFrame, provenance: dict[str, str]) -> bytes:
    """`frame` as Parquet, saying what it was cut from in its key-value metadata (_provenance), as `export` does."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    described = {**provenance, "downloaded_at": datetime.now(UTC).isoformat()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           **{f"pactwatch.{key}": value for key, value in described.items()}})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _provenance(name: str) -> dict[str, str]:
    """What a download was cut from: the table, the page and its URL parameters (which open the same view again),
    the run its data stops at (`as_of`: the run id a pinned view counts up to, "" for the latest data) and the tagger
    versions of its tags. The file name carries the parameters as a hash."""
    view = st.session_state[VIEW_KEY]
    status = view.status or {}
    last, kind = (view.pinned["finished_at"], view.pinned["kind"]) if view.pinned else \
        (status.get("last_run_at"), status.get("last_run_kind"))
    return {"table": name, "view": f"{st.context.url or ''}?{urlencode(filters.url_params(), doseq=True)}",
            "data_as_of": f"{last.isoformat()} ({kind} run)" if last else "",
            "as_of": str(view.pinned["run_id"]) if view.pinned else "",
            "stored_tagger_versions": ",".join(status.get("tag_versions") or {})}


NO_DAYS = ()  # table(days=NO_DAYS): rows of no date range (a SQL result)


def table(frame: pd.DataFrame, name: str, *, style: Callable[[pd.DataFrame], Styler] | None = None,
          column_config: dict | None = None, height: int | str = "auto",
          complete: Callable[[], pd.DataFrame] | None = None, links: bool = True,
          days: tuple[date, date] | tuple[()] | None = None, in_name: tuple[str, ...] = (),
          article: str | None = None, column_order: list[str] | None = None) -> None:
    """A dataframe with CSV and Parquet downloads; a `url` column becomes a link (http(s) only). With `links` False
    it is text, as written (the Feeds page's feed urls: as links, its file:// feeds would read "None").

    The downloads are named by `name`, `days` (default: the sidebar's dates) and the page's other URL parameters
    but those `in_name` names, whose values `name` carries (transforms.download_name); the rows of one `article` (its
    id) by `name` and the article alone (transforms.article_download_name).

    `style` turns the (already sanitised) frame into a pandas Styler for cell colours. `complete`, for a table capped
    to its newest rows, fetches every row when a download is clicked: a CSV of only the rows shown (300 sentences of
    1,902) would read as the whole evidence.

    `column_order` names the columns shown, in that order (default: the frame's, all of them); the downloads keep
    every column of the frame, in its order, and the table's column menu can show the others.

    A `sentence` column is wide and its rows three lines tall, wrapped (SENTENCE_COLUMN).

    The table shows a list cell as 'a, b' and a pair as its label (PRK–RUS); the downloads hold what the CLI writes
    (`_downloadable`).
    """
    dates = {column: DATE_COLUMN for column in ("day", "bucket") if column in frame.columns}
    if "dated" in frame.columns and pd.api.types.is_bool_dtype(frame["dated"]):
        dates["dated"] = DATED_COLUMN
    sentences = {"sentence": SENTENCE_COLUMN} if "sentence" in frame.columns else {}
    config = {"url": URL_COLUMN if links else st.column_config.TextColumn(), **dates, **sentences,
              **(column_config or {})}
    safe = transforms.with_safe_links if links else _as_is
    shown = safe(frame)
    on_screen = transforms.lists_as_text(shown)
    st.dataframe(style(on_screen) if style else on_screen, hide_index=True, column_config=config, height=height,
                 row_height=SENTENCE_ROW_PX if sentences else None, column_order=column_order)
    rows = (lambda: _downloadable(safe(complete()), config)) if complete else (lambda: _downloadable(shown, config))
    file_name = transforms.article_download_name(name, article) if article else _download_name(name, days, in_name)
    buttons = st.container(horizontal=True)
    # a screen reader's list of buttons read "CSV, Parquet, CSV, Parquet": each names its table too
    what = name.replace("_", " ")
    buttons.download_button(f"CSV · {what}", lambda: _csv(rows()), f"{file_name}.csv", "text/csv", key=f"csv.{name}",
                            on_click="ignore", icon=":material/download:")
    provenance = _provenance(name)
    buttons.download_button(f"Parquet · {what}", lambda: _parquet(rows(), provenance), f"{file_name}.parquet",
                            "application/vnd.apache.parquet", key=f"parquet.{name}", on_click="ignore",
                            icon=":material/download:")


def _download_name(name: str, days: tuple[date, date] | tuple[()] | None, in_name: tuple[str, ...]) -> str:
    """The view's URL parameters as written so far: those of the controls above the table, which decide its rows.
    Not "Show all columns", which changes no row: the same rows downloaded under two names read as two views."""
    scope = st.session_state[VIEW_KEY].scope
    if days is None:
        days = (scope.start, scope.end) if scope else NO_DAYS
    view = {key: values for key, values in filters.url_params().items()
            if key not in (*filters.DATE_PARAMS, filters.ALL_COLUMNS)}
    return transforms.download_name(name, days, view, in_name)


def _as_is(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def _downloadable(frame: pd.DataFrame, config: dict) -> pd.DataFrame:
    """The table as the CLI writes it (pairs keyed PRK-RUS, days as dates, lists kept lists, which a CSV joins with ';', sentences
    unmarked, their marks kept beside them: transforms.with_unmarked_sentences), without the
    `why` links WHY_COLUMN shows: relative to the app's page, they lead nowhere from a spreadsheet (article_id stays). A
    `why` column of another kind (a SQL result's) is data and stays."""
    days = [column for column, kind in config.items() if kind is DATE_COLUMN and column in frame.columns]
    keyed = transforms.with_days_as_dates(transforms.with_unmarked_sentences(transforms.with_pair_keys(frame)), days)
    return keyed.drop(columns="why") if config.get("why") is WHY_COLUMN["why"] else keyed


def picked_pair(chart: alt.TopLevelMixin, key: str, width: int | str = "stretch") -> str | None:
    """Draw a chart carrying the PAIR_PICK selection, `width` px wide (default: its column's width); returns the clicked
    pair key, if any."""
    for point in _clicked_points(chart, key, PAIR_PICK, width):
        pair = transforms.parse_pair(point.get("pair"))
        if pair:
            return pair
    return None


def chosen_pair(pairs: list[str], label: str, key: str) -> str | None:
    """The keyboard's way to what a click on a chart opens (its marks take no focus): a choice among the chart's
    `pairs` (labels or keys), listed as typed (PRK-RUS, filters.PAIR_TYPING); the chosen pair's key, once
    (_chosen_once)."""
    return _chosen_once(label, [transforms.parse_pair(pair) for pair in pairs], key, placeholder="Choose a pair",
                        help=filters.PAIR_TYPING)


def chosen_day(counts: pd.DataFrame, label: str, key: str) -> date | None:
    """The keyboard's way to a day a bar's click opens: a choice among the days of `counts` (day, articles), the
    newest first, each with its articles; the chosen day, once (_chosen_once)."""
    newest_first = counts.sort_values("day", ascending=False)
    articles = dict(zip(pd.to_datetime(newest_first["day"]).dt.date, newest_first["articles"]))
    return _chosen_once(label, list(articles), key, placeholder="Choose a day",
                        format_func=lambda day: f"{day:%Y-%m-%d} ({articles[day]:,} articles)")


def _chosen_once(label: str, options: list, key: str, **selectbox) -> object | None:
    """A selectbox's choice, once: the choice is then cleared, so that a return to the page does not switch away
    again."""
    chosen = st.selectbox(label, options, index=None, key=key, **selectbox)
    if chosen is not None:
        del st.session_state[key]
    return chosen


def picked_cell(chart: alt.TopLevelMixin, key: str, fields: tuple[str, ...]) -> dict[str, str] | None:
    """Draw a chart carrying the CELL_PICK selection (charts.matrix); returns the clicked cell's `fields`, if any."""
    for point in _clicked_points(chart, key, CELL_PICK):
        if all(isinstance(point.get(name), str) for name in fields):
            return {name: point[name] for name in fields}
    return None


def picked_day(chart: alt.TopLevelMixin, key: str) -> date | None:
    """Draw a chart carrying the DAY_PICK selection (charts.volume, charts.stacked); returns the clicked bar's day
    (its bucket's first), if any."""
    for point in _clicked_points(chart, key, DAY_PICK):
        if day := _day_of(point):
            return day
    return None


def picked_series_point(chart: alt.TopLevelMixin, key: str) -> tuple[date, str] | None:
    """Draw a chart carrying the DAY_PICK selection on series (charts.lines, `pickable`); returns the clicked point's
    bucket (its first day) and series, if any."""
    for point in _clicked_points(chart, key, DAY_PICK):
        if (day := _day_of(point)) and isinstance(point.get("series"), str):
            return day, point["series"]
    return None


def _day_of(point: dict) -> date | None:
    """A clicked mark's PICKED_DAY, if it is a day."""
    with contextlib.suppress(TypeError, ValueError):
        return date.fromisoformat(point.get(PICKED_DAY))
    return None


def open_articles(first: date, last: date | None = None, lists: dict[str, list[str]] | None = None) -> None:
    """Switch to the Articles page on the articles of `first` to `last` (default: that one day), keeping the other
    sidebar filters; `lists` (URL name: values) replace the sidebar's lists of those names. The page's search
    starts empty: kept from an earlier visit, its words would hide articles of the clicked bar or point (an empty one
    in the URL would add a history entry the page then drops, and Back would stop there). Topics in `lists` are each a
    line's own, whose articles the list holds: the sidebar's switch to "all of these topics" is left off, here and as
    kept in the session (two topic lines meeting at a point listed only the articles with both)."""
    filters.forget(ARTICLES.name, SEARCH)
    params = {**filters.sidebar_params(), **(lists or {})}
    if "topics" in (lists or {}):
        filters.forget("", filters.ALL_TOPICS)
        params.pop(filters.ALL_TOPICS, None)
    filters.switch_page(ARTICLES.path, {**params, "from": [first.isoformat()], "to": [(last or first).isoformat()]})


def held_hues(name: str, chosen: list[str]) -> dict[str, str]:
    """The colours of the series `chosen` for the chart `name` (charts.series_hues), held for the session: each keeps
    the one it had on the run before."""
    key = f"hues.{name}"
    st.session_state[key] = series_hues(chosen, st.session_state.get(key, {}))
    return st.session_state[key]


def lines_opening_articles(chart: alt.TopLevelMixin, trend: pd.DataFrame, key: str, kind: str, keys: tuple[str, ...],
                           scope: Scope, grain: str, rolling: int = 1) -> None:
    """Draw a line chart of `keys` of this kind (charts.lines, `pickable`, of `trend`) whose click on a point opens the
    Articles page on its articles (the browser's Back returns): the days of its bucket within the sidebar's dates, and
    the sidebar's list of this kind (Countries, Pairs, Topics) set to its series alone, or to every series whose point
    lies there (transforms.series_meeting). A caption says so."""
    if point := picked_series_point(chart, key):
        start, series = point
        # the pairs' series are labels (PRK–RUS)
        picked = [transforms.parse_pair(label) if kind == "pairs" else label
                  for label in transforms.series_meeting(trend, start, series)]
        open_articles(*transforms.bucket_days(start, grain, (scope.start, scope.end)), lists={kind: picked})
    st.caption(transforms.point_click_caption(kind, keys, scope, grain, rolling))


def draw_chart(chart: alt.TopLevelMixin, **options):
    """st.altair_chart of `chart` in legible ink (charts.legible): every page draws its charts here."""
    return st.altair_chart(charts.legible(chart), **options)


def _clicked_points(chart: alt.TopLevelMixin, key: str, selection_name: str,
                    width: int | str = "stretch") -> list[dict]:
    event = draw_chart(chart, key=key, on_select="rerun", selection_mode=selection_name, width=width)
    selection = event.selection.get(selection_name) if event else None
    points = selection if isinstance(selection, list) else [selection] if selection else []
    return [point for point in points if isinstance(point, dict)]


def open_pair(pair: str, topic: str | None = None, window: tuple[str, str] | None = None,
              level: str = "article", back: dict[str, str] | None = None) -> None:
    """Switch to the Pair explorer on `pair` (narrowed to its sentences of `topic`, when given), keeping the sidebar
    filters but the dates when a `window` (first day, last day) is given: among 90 days', an alert's articles would
    be lost.

    A switch from inside a page drops the sidebar's widget state in a real browser session, so the
    filters travel in the URL and the sidebar re-seeds from it; so do the pair and topic (a URL parameter wins over
    the ones kept from an earlier visit). Without the topic, a Co-occurrence cell of a pair's trade articles
    would open on all the pair's articles; `level` "sentence" keeps its articles to those with a sentence naming both,
    as the cell counts them. The level is always sent: kept from a click on a sentence cell, it would narrow the
    articles of an alert or a rising pair opened later, which count every article pairing the two. `back`
    (BACK_FROM, BACK_TO, BACK_ALERT) gives the Pair explorer a link back to the Alerts page as it was.
    """
    dates = {"from": [window[0]], "to": [window[1]]} if window else {}
    filters.switch_page(PAIR.path, {**filters.sidebar_params(), **dates, "pair": pair,
                                    **({PAIR_TOPIC: topic} if topic else {}), PAIR_LEVEL: level, **(back or {})})


def back_params() -> dict[str, str]:
    """The way back to the Alerts page this page was opened from (BACK_FROM, BACK_TO, BACK_ALERT), for `open_pair`'s
    `back` when the page switches to itself: new dates must not lose it."""
    return {name: value for name in (BACK_FROM, BACK_TO, BACK_ALERT) if (value := filters.url_value(name)) is not None}


def back_to_alerts(snapshot: data.Snapshot) -> dict | None:
    """On a page opened from an alert: a link back to the Alerts page on its dates before the alert's window narrowed
    them, on that alert. Back on Alerts by the sidebar, only the window's alerts would be listed: a dead end. Returns
    the alert, as the Alerts page lists it (None: opened from none, or from one its dates no longer hold)."""
    try:
        dates = [date.fromisoformat(filters.url_value(name) or "") for name in (BACK_FROM, BACK_TO)]
    except ValueError:  # none, or a link's own words: no way back to offer, nor to keep in the URL
        filters.not_drawn("Back to the alerts", BACK_FROM, BACK_TO, BACK_ALERT)
        return None
    key = filters.url_value(BACK_ALERT)
    params = {**filters.sidebar_params(), "from": dates[0].isoformat(), "to": dates[1].isoformat(),
              **({BACK_ALERT: key} if key is not None else {})}
    # a switch, as open_pair's: it drops the sidebar's widget state, which a page link would keep on the alert's window
    if st.button(f"Back to the alerts of {dates[0]} – {dates[1]}", icon=":material/arrow_back:"):
        filters.switch_page(ALERTS.path, params)
    if key is None or data.alert_rules_mistakes():  # a rules file broken since: the Alerts page names it
        return None
    return next((alert for alert in data.alerts(snapshot, *dates)[0] if alert["key"] == key), None)
