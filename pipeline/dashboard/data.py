"""Cached query layer: every cache is keyed on the published snapshot, so a new run shows up on rerun.

`current()` is a cheap stat of the snapshot symlink; the connection (st.cache_resource) and every query
result (st.cache_data) take the Snapshot as their first argument, so a new version means new cache keys
and old entries simply age out.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import seeds
from ..article_day import is_dated
from ..home import Home
from ..signals import AlertConfig, AlertConfigError, alert_evidence, load_alert_config, screen_alerts
from ..signals.episodes import episodes
from ..signals.rules import Rule
from ..store import catalog, queries
from ..store.reader import (NoSnapshot, SnapshotUnreadable, current_version, in_utc, open_snapshot,
                            snapshot_path)
from ..store.snapshot import publish_failure as publish_failure_of
from ..store.sandbox import ParameterMismatch, SandboxError, named_parameters, run_sandboxed
from ..store.indicators import Window
from ..store.queries import Scope
# The query layer's limits and choices, which the pages name; pages reach the store only through this module.
from ..store.queries import (EXAMPLE_QUERY, FETCH_HISTORY_LIMIT, GRAINS, LEVELS, LISTED_PAIRS,  # noqa: F401
                             MAX_SEARCH_TERMS, PAIRS_NAMING_THEM, RISING_MIN_ARTICLES, RISING_PAIRS,
                             SEARCH_LIMIT, SERIES_KINDS, search_terms)
from ..store.sandbox import MAX_ROWS as SANDBOX_MAX_ROWS  # noqa: F401
from . import transforms

QUERY_CACHE = {"max_entries": 256, "show_spinner": False}


@dataclass(frozen=True)
class Snapshot:
    home: str
    path: str
    version: int


def current() -> Snapshot | None:
    """The published snapshot of the configured home, or None before the first publish; SnapshotUnreadable when the
    published link points at a file that is gone: such a home is not empty, and must not read as one."""
    home = Home.resolve()
    version, path = current_version(home)
    if path is None:
        with contextlib.suppress(NoSnapshot):
            snapshot_path(home)
        return None
    return Snapshot(str(home.root), str(path), version)


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(snapshot: Snapshot):
    return open_snapshot(Home.resolve(snapshot.home), Path(snapshot.path))


def _run(snapshot: Snapshot, query, *args, **kwargs):
    """Run one store query on a private cursor (in UTC): a DuckDB connection must not be shared across threads."""
    with in_utc(_connection(snapshot).cursor()) as cursor:
        return query(cursor, *args, **kwargs)


def alert_rules_mistakes() -> tuple[str, ...]:
    """Why seeds/alerts.toml cannot be used, each of its mistakes apart; none when it can. Not cached here: its loader
    caches the file as it stands, so a fixed or edited one is read again on the next rerun."""
    try:
        load_alert_config()
    except AlertConfigError as exc:
        return exc.mistakes
    return ()


def alerts(snapshot: Snapshot, since: date | None, until: date | None) -> tuple[list[dict], list[dict], list[dict]]:
    """(alerts, held back, kept out) in [since, until] (default: the rules' lookback), newest first, JSON-ready: the
    alerts without evidence (the page fetches that for the one alert opened, `evidence`), the rule firings a gate
    held back, which tell an empty list from a rise that one outlet alone carried, and the rises a rule's floor kept
    from being tested (a quiet pair that exploded), biggest first."""
    return _alerts(snapshot, since, until, load_alert_config(), datetime.now(UTC).date())


def kept_out_listed() -> int:
    """How many rises kept below a rule's floor the alerts list at most (kept_out_listed of seeds/alerts.toml)."""
    return load_alert_config().settings.kept_out_listed


def alert_rule(rule_id: str) -> Rule | None:
    """The rule of seeds/alerts.toml named `rule_id`; None once the file has dropped it."""
    return next((rule for rule in load_alert_config().rules if rule.id == rule_id), None)


@st.cache_data(**QUERY_CACHE)
def _alerts(snapshot: Snapshot, since: date | None, until: date | None, config: AlertConfig,
            today: date) -> tuple[list[dict], list[dict], list[dict]]:  # the rules and the day are keys: either is new
    screening = _run(snapshot, screen_alerts, since, config, until, today)
    # episode by episode, newest first, the strongest alert of each first: the page shows a row per episode
    return ([alert.to_dict() for episode in episodes(screening.alerts) for alert in episode.alerts], [held.to_dict() for held in screening.held],
            [kept.to_dict() for kept in screening.kept_out])


def evidence(snapshot: Snapshot, alert: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, sentences) behind one alert of `alerts()`."""
    return _evidence(snapshot, alert, load_alert_config())


@st.cache_data(**QUERY_CACHE)
def _evidence(snapshot: Snapshot, alert: dict, config: AlertConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    window = Window(alert["iso_a"], alert["iso_b"], alert["topic"], date.fromisoformat(alert["window_start"]),
                    date.fromisoformat(alert["day"]))
    articles, sentences = _run(snapshot, alert_evidence, window, config)
    sentences = pd.DataFrame(sentences, columns=["sentence", "cue", "cue_words", "outlet", "day", "dated", "url",
                                                 "spans", "article_id"])
    articles = pd.DataFrame(articles, columns=["title", "url", "outlet", "day", "dated", "sentences", "article_id"])
    return (transforms.with_why_links(articles),
            transforms.with_why_links(transforms.with_blank_cues(transforms.marked_sentences(sentences)), "cue_words"))


def evidence_sentences(snapshot: Snapshot, alert: dict) -> int:
    """How many sentences of the alert's window name both countries (on its topic, if it has one): the evidence
    lists a sample of them, and the Pair explorer, opened on the window, counts the same."""
    window = Scope(date.fromisoformat(alert["window_start"]), date.fromisoformat(alert["day"]))
    return pair_totals(snapshot, window, alert["pair"], alert["topic"], "article")["sentences"]


@st.cache_data(**QUERY_CACHE)
def status(snapshot: Snapshot) -> dict:
    return _run(snapshot, queries.status)


@st.cache_data(**QUERY_CACHE)
def recent_runs(snapshot: Snapshot) -> list[dict]:
    """The latest runs (queries.RUN_FACTS), newest first: those the sidebar's "Data as of run" lists."""
    return _run(snapshot, queries.recent_runs)


@st.cache_data(**QUERY_CACHE)
def run_facts(snapshot: Snapshot, run_id: int) -> dict | None:
    """One run (queries.RUN_FACTS) and the tagger versions a retag since gave its articles' tags; None when unknown."""
    return _run(snapshot, queries.run_facts, run_id)


def publish_failure() -> dict | None:
    """When and why the home's last publish failed, None after a success: read at each run, not cached, since the
    snapshot a failure leaves published is the key of every cache."""
    return publish_failure_of(Home.resolve())


@st.cache_data(**QUERY_CACHE)
def other_language_articles(snapshot: Snapshot, scope: Scope) -> tuple[int, int]:
    """(articles in scope known to be in another language than English, all articles in scope): the first
    get countries but no topics (the lexicons are English)."""
    counts = _run(snapshot, queries.articles_by_language, scope)
    return sum(queries.languages_not_read(counts).values()), sum(counts.values())


@st.cache_data(**QUERY_CACHE)
def pair_sentences_not_read(snapshot: Snapshot, scope: Scope, pair: str) -> tuple[dict[str, int], int]:
    """({language: sentences} of the pair's sentences in scope whose topics and cues are not read, all its sentences
    in scope), of every topic, as the Pair explorer's charts count them."""
    counts = _run(snapshot, queries.pair_sentence_languages, scope, pair)
    return queries.languages_not_read(counts), sum(counts.values())


@st.cache_data(**QUERY_CACHE)
def undated_articles(snapshot: Snapshot, scope: Scope) -> tuple[int, int]:
    """(articles in scope without a usable publication date (missing, unparseable, future), all articles in scope):
    the first are filed under the day first seen."""
    counts = _run(snapshot, queries.articles_by_date_quality, scope)
    return sum(n for quality, n in counts.items() if not is_dated(quality)), sum(counts.values())


@st.cache_data(**QUERY_CACHE)
def list_only_pairs(snapshot: Snapshot, scope: Scope, pairs: tuple[str, ...] = (), topic: str | None = None,
                    level: str = "article") -> tuple[int, int]:
    """(articles counted for a pair in scope that name it only in lists of countries, all of them): one per pair;
    with `pairs`, for those pairs alone; with `topic` and `level`, as the co-occurrence matrix counts them."""
    return _run(snapshot, queries.list_only_pairs, scope, pairs, topic, level)


@st.cache_data(ttl=60, show_spinner=False)
def tagger_version(snapshot: Snapshot | None) -> str:
    """The version this code's tagger stamps on new tags (a hash of the seed files): re-read each minute, and at once
    for a new snapshot, so a retag's new tags are not called stale until the minute is over."""
    return seeds.tagger_version()


@st.cache_data(max_entries=4, show_spinner=False)
def seeds_load_problem(version: str) -> str | None:
    """seeds.load_problem() for the seed files stamped `version` (it holds their hash): checked once per edit, and
    only by a page that advises a retag."""
    return seeds.load_problem()


@st.cache_data(**QUERY_CACHE)
def filter_options(snapshot: Snapshot) -> dict[str, list[str]]:
    return _run(snapshot, queries.filter_options)


@st.cache_data(**QUERY_CACHE)
def pairs_naming(snapshot: Snapshot, countries: tuple[str, ...]) -> list[str]:
    return _run(snapshot, queries.pairs_naming, list(countries))


@st.cache_data(**QUERY_CACHE)
def stored_pairs(snapshot: Snapshot, keys: tuple[str, ...]) -> list[str]:
    return _run(snapshot, queries.stored_pairs, list(keys))


@st.cache_data(**QUERY_CACHE)
def kpis(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    return _run(snapshot, queries.kpis, scope)


@st.cache_data(**QUERY_CACHE)
def volume(snapshot: Snapshot, scope: Scope, today: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(daily articles in scope with zero days filled in and a `note` on today and later days, ingest gaps among the
    days that are over: today's few articles so far are not a low-volume day)."""
    daily = _daily_articles(snapshot, scope, today)
    # gaps are about ingestion, so they are judged on every article of the sources in scope: a day PRK was not in the
    # news is no gap under Countries = PRK, while a day the outlets or languages in scope brought nothing is one (their
    # feeds fell silent, not the news), as Trends reads a bucket without any of their articles
    sources = scope.sources()
    stored = daily if sources == scope else _daily_articles(snapshot, sources, today)
    return daily, transforms.ingest_gaps(stored[stored["note"] == ""], _run(snapshot, queries.run_days))


def _daily_articles(snapshot: Snapshot, scope: Scope, today: date | None) -> pd.DataFrame:
    daily = transforms.complete(_run(snapshot, queries.daily_articles, scope), scope.start, scope.end, "day",
                                "day", "articles", today=today)
    return daily.assign(note=transforms.coverage_notes(daily))


@st.cache_data(**QUERY_CACHE)
def rising_pairs(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    return transforms.rising_table(_run(snapshot, queries.rising_pairs, scope))


@st.cache_data(**QUERY_CACHE)
def trend(snapshot: Snapshot, scope: Scope, kind: str, keys: tuple[str, ...], grain: str,
          normalization: str, today: date | None = None) -> pd.DataFrame:
    """bucket, series, articles, value for up to six series, normalized as asked; the bucket holding `today`
    counts as cut (`transforms.bucket_coverage`)."""
    counts = transforms.complete(_run(snapshot, queries.series, scope, kind, list(keys), grain), scope.start,
                                 scope.end, grain, "bucket", "articles", "series", list(keys), today)
    # a bucket without any article of the sources in scope is a gap in coverage, not a fall to zero (a feed's capture
    # ending is not news)
    stored = _run(snapshot, queries.bucket_totals, scope.sources(), grain)
    counts = transforms.with_all_articles(counts, stored)
    denominators = None
    if normalization == "share_all":  # not of the filtered articles: with Countries = PRK, PRK's line would read 100 %
        denominators = stored
    elif normalization == "share_either" and kind == "pairs":
        denominators = _run(snapshot, queries.either_country_totals, scope, list(keys), grain)
    if denominators is not None:
        denominators = denominators.assign(bucket=pd.to_datetime(denominators["bucket"]))
    shaped = transforms.normalize(counts, denominators, normalization)
    return shaped.assign(series=shaped["series"].map(transforms.pair_label) if kind == "pairs" else shaped["series"])


@st.cache_data(**QUERY_CACHE)
def smoothed_trend(snapshot: Snapshot, scope: Scope, kind: str, keys: tuple[str, ...], grain: str, normalization: str,
                   rolling: int, first_day: date | None, today: date | None = None) -> pd.DataFrame:
    """`trend` with its rolling mean or share (`transforms.smooth`). A window near the range's start takes its earlier
    buckets from the days before the range, where the home holds them, as windows further on take them from inside
    it: the first point was the mean of its own bucket alone, one day's chance drawn as a spike."""
    shown = trend(snapshot, scope, kind, keys, grain, normalization, today)
    share_of = transforms.SHARE_OF.get(normalization)
    lead_in = transforms.lead_in_days(scope.start, rolling, grain, first_day)
    if lead_in is None:
        return transforms.smooth(shown, rolling, grain, share_of)
    before = trend(snapshot, replace(scope, start=lead_in[0], end=lead_in[1]), kind, keys, grain, normalization, today)
    smoothed = transforms.smooth(pd.concat([before, shown], ignore_index=True), rolling, grain, share_of)
    return smoothed.iloc[len(before):].reset_index(drop=True)


@st.cache_data(**QUERY_CACHE)
def feed_changes(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    return _run(snapshot, queries.feed_changes, scope.start, scope.end)


@st.cache_data(**QUERY_CACHE)
def cooccurrence(snapshot: Snapshot, scope: Scope, top_n: int, level: str, topic: str | None,
                 metric: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str | None]:
    """(totals of the top countries, pair counts among them, matrix cells with the chosen metric, a note naming the
    countries a tie left out). With a topic, the countries, their totals and the N of lift all
    come from the articles about it, as the pair counts do. The pairs carry what their share and lift come from
    (each country's articles, the articles in scope), so a download can be checked, and how often they were
    together in the equally long period before."""
    totals, tied_out = transforms.cut_at(_run(snapshot, queries.top_countries, scope, top_n, topic), top_n)
    pairs = _run(snapshot, queries.cooccurrence, scope, list(totals["iso3"]), level, topic)
    before = _run(snapshot, queries.cooccurrence, scope.previous(), list(totals["iso3"]), level, topic)
    universe = _run(snapshot, queries.scope_total, scope, topic)
    articles = dict(zip(totals["iso3"], totals["articles"]))
    pairs = pairs.assign(articles_a=pairs["iso_a"].map(articles), articles_b=pairs["iso_b"].map(articles),
                         articles_in_scope=universe,
                         together_before=transforms.matched(pairs, before, ["iso_a", "iso_b"], "together"))
    return totals, pairs, transforms.cooccurrence_cells(pairs, totals, universe, metric), \
        transforms.tied_out_note(totals, tied_out, f"articles about {topic}" if topic else "articles")


@st.cache_data(**QUERY_CACHE)
def pair_topics(snapshot: Snapshot, scope: Scope, pair: str, grain: str, topic: str | None) -> pd.DataFrame:
    return _run(snapshot, queries.pair_topics, scope, pair, grain, topic)


@st.cache_data(**QUERY_CACHE)
def pair_cues(snapshot: Snapshot, scope: Scope, pair: str, grain: str, topic: str | None) -> pd.DataFrame:
    return _run(snapshot, queries.pair_cues, scope, pair, grain, topic)


@st.cache_data(**QUERY_CACHE)
def pair_totals(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None, level: str) -> dict:
    return _run(snapshot, queries.pair_totals, scope, pair, topic, level)


@st.cache_data(**QUERY_CACHE)
def pair_busiest_bucket(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None, level: str, grain: str) -> int:
    """The most articles of the pair in one bar (day, week or month) of the page's charts."""
    return _run(snapshot, queries.pair_busiest_bucket, scope, pair, topic, level, grain)


@st.cache_data(**QUERY_CACHE)
def pair_stories(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None, level: str) -> dict:
    """articles, stories, copied_stories, copies: the stories the pair's articles are, copies of one counted once."""
    return _run(snapshot, queries.pair_stories, scope, pair, topic, level)


@st.cache_data(**QUERY_CACHE)
def pair_articles_elsewhere(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None, level: str,
                            stored: tuple[date, date]) -> dict:
    """articles, first_day, last_day of the pair's articles outside the scope's dates, within the `stored` days."""
    return _run(snapshot, queries.pair_articles_elsewhere, scope, pair, topic, level, *stored)


def uncached(query: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """A cached query's own function: a download of every row is fetched when clicked, not kept in the cache (up to
    256 whole evidence tables per function)."""
    return getattr(query, "__wrapped__", query)


@st.cache_data(**QUERY_CACHE)
def pair_outlets(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None,
                 level: str) -> tuple[pd.DataFrame, int, int]:
    """(outlet, outlet_country, articles of the PAIR_OUTLETS outlets covering the pair most; how many more outlets
    cover it, with how many articles)."""
    return transforms.outlets_and_rest(transforms.with_unknown_outlet_country(
        _run(snapshot, queries.pair_outlets, scope, pair, topic, level)))


@st.cache_data(**QUERY_CACHE)
def pair_evidence(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None,
                  hide_listed: bool = False, limit: int = queries.EVIDENCE_LIMIT) -> pd.DataFrame:
    """The newest `limit` evidence sentences with the two countries' mentions wrapped in ⟦ ⟧ (plain text, never
    markup); `hide_listed`: without those naming the two as items of one list of countries, and without the `listed`
    column, which would be all blanks."""
    shown = transforms.with_blank_cues(transforms.marked_sentences(
        _run(snapshot, queries.pair_evidence, scope, pair, topic, limit, hide_listed)))
    return transforms.with_why_links(transforms.with_safe_links(shown.drop(columns="listed") if hide_listed else shown))


@st.cache_data(**QUERY_CACHE)
def topic_evidence(snapshot: Snapshot, scope: Scope, topic: str, limit: int = queries.EVIDENCE_LIMIT,
                   naming: str | None = None) -> pd.DataFrame:
    """The newest `limit` articles of `topic` (naming the country `naming`, when given), each with the sentence
    holding its first topic word, marked ⟦ ⟧."""
    return transforms.with_why_links(transforms.with_safe_links(transforms.topic_evidence(
        _run(snapshot, queries.topic_evidence, scope, topic, limit, naming))))


@st.cache_data(**QUERY_CACHE)
def pair_articles(snapshot: Snapshot, scope: Scope, pair: str, topic: str | None, level: str,
                  limit: int = queries.PAIR_ARTICLES_LIMIT) -> pd.DataFrame:
    found = _run(snapshot, queries.pair_articles, scope, pair, topic, limit, level)
    return transforms.with_why_links(transforms.with_safe_links(transforms.with_unknown_outlet_country(found)))


@st.cache_data(**QUERY_CACHE)
def topic_matrix(snapshot: Snapshot, scope: Scope, top_n: int) -> tuple[pd.DataFrame, str | None]:
    """The topic × country counts of the top countries, and a note naming those a tie left out."""
    ranked = _run(snapshot, queries.top_countries, scope, top_n, topical=True)
    countries, tied_out = transforms.cut_at(ranked, top_n)
    matrix = _run(snapshot, queries.topic_country_matrix, scope, list(countries["iso3"]))
    return matrix, transforms.tied_out_note(countries, tied_out, "articles with a topic")


@st.cache_data(**QUERY_CACHE)
def search(snapshot: Snapshot, scope: Scope, text: str, in_body: bool,
           start: queries.ArticleKey | None = None, limit: int = queries.SEARCH_LIMIT) -> pd.DataFrame:
    """One page of `limit` matching articles, newest first, from the article `start` on (None: the newest)."""
    return transforms.with_why_undated(transforms.with_safe_links(transforms.with_unknown_outlet_country(
        _run(snapshot, queries.search_articles, scope, text, in_body, start, limit))))


@st.cache_data(**QUERY_CACHE)
def search_count(snapshot: Snapshot, scope: Scope, text: str, in_body: bool,
                 start: queries.ArticleKey | None = None) -> tuple[int, int]:
    """(matching articles on all pages, how many of them are listed before `start`)."""
    return _run(snapshot, queries.search_count, scope, text, in_body, start)


@st.cache_data(**QUERY_CACHE)
def search_page_start(snapshot: Snapshot, scope: Scope, text: str, in_body: bool,
                      position: int) -> queries.ArticleKey | None:
    """The article at `position` of the list (0: the newest), where a page jumped to starts; None past the end."""
    return _run(snapshot, queries.search_page_start, scope, text, in_body, position)


@st.cache_data(**QUERY_CACHE)
def article_why(snapshot: Snapshot, article_id: str, day: date) -> transforms.ArticleWhy | None:
    """One article of `search` with the evidence behind each of its tags (None when the snapshot lacks it)."""
    return transforms.article_why(_run(snapshot, queries.article_tags, article_id, day))


@st.cache_data(**QUERY_CACHE)
def article_brief(snapshot: Snapshot, article_id: str, start: date, end: date) -> dict | None:
    """day, date_quality, claimed, outlet, title of an article a link names, within the sidebar's dates (the dates
    alone key the cache: the other filters do not narrow the lookup)."""
    return _run(snapshot, queries.article_brief, article_id, start, end)


@st.cache_data(**QUERY_CACHE)
def feed_health(snapshot: Snapshot, today: date) -> pd.DataFrame:
    """v_feed_health, cached per snapshot and UTC day: its items per day count the 7 days before today, a window
    that moves at midnight whether or not a new snapshot was published."""
    return transforms.with_unknown_outlet_country(_run(snapshot, queries.feed_health))


@st.cache_data(**QUERY_CACHE)
def feed_fetches(snapshot: Snapshot, feed_id: str) -> pd.DataFrame:
    return _run(snapshot, queries.feed_fetches, feed_id)


class QueryRefused(Exception):
    """The SQL page's query was refused by the sandbox or failed; the message says why."""


def ad_hoc_query(snapshot: Snapshot, sql: str, max_rows: int,
                 params: dict[str, str] | None = None) -> tuple[pd.DataFrame, bool]:
    """A reader's own query in the sandbox, on this snapshot (never cached: it is run when asked), `params` the values
    of its named parameters ($pair); the rows, their repeated column names numbered (x_2), and whether more rows were
    left out."""
    try:
        result = run_sandboxed(Home.resolve(snapshot.home), sql, max_rows=max_rows, snapshot=Path(snapshot.path),
                               params=params)
    except ParameterMismatch as exc:
        raise QueryRefused(f"{exc} (give each a value in its box under the query)") from exc
    except (SandboxError, SnapshotUnreadable) as exc:
        raise QueryRefused(str(exc)) from exc
    return pd.DataFrame(result.rows, columns=transforms.unique_names(result.columns)), result.truncated


@st.cache_data(**QUERY_CACHE)
def query_parameters(snapshot: Snapshot, sql: str) -> list[str]:
    """The named parameters ($pair) of a reader's query, sorted: the SQL page gives each a box."""
    try:
        return named_parameters(Home.resolve(snapshot.home), sql, Path(snapshot.path))
    except SnapshotUnreadable:
        return []


@st.cache_data(**QUERY_CACHE)
def dictionary(snapshot: Snapshot) -> pd.DataFrame:
    """table, kind, column, type, comment: one row per column of every table and view."""
    rows = [(obj["name"], obj["kind"], col["name"], col["type"], col["comment"] or "")
            for obj in _run(snapshot, catalog.data_dictionary) for col in obj["columns"]]
    return pd.DataFrame(rows, columns=["table", "kind", "column", "type", "comment"])
