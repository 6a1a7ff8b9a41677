"""The read-side queries of the dashboard, `export`'s filters and the alert evidence: parameterised SQL over a
read-only snapshot connection (the data dictionary is store.catalog's, the alert series store.indicators').

Queries aggregate in SQL and return small pandas frames, or a few values. Derived tables carry `day`, so series and
co-occurrence never join `articles` unless an outlet/language filter asks for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from ..pairs import pair_codes
from ..tagging.language import ENGLISH
from ..tagging.text import is_english
from .migrate import column_names, has_column, has_table

# An article's day as the queries read it (articles aliased `a`): stored at ingest, so no time-zone cast runs.
ARTICLE_DAY = "a.day"
# Feeds declare a language in any case and often with a region (en-US, en-us, de-AT, de-DE): one choice and one
# filter per language, its primary subtag as the tagger reads it (tagging.text.primary_subtag).
DECLARED_LANGUAGE = "lower(split_part(replace(a.language, '_', '-'), '-', 1))"
GRAINS = ("day", "week", "month")
SERIES_KINDS = ("countries", "pairs", "topics")
LEVELS = ("sentence", "article")
SEARCH_LIMIT = 500
EVIDENCE_LIMIT = 300  # newest pair sentences the Pair explorer lists
PAIR_ARTICLES_LIMIT = 500
# the outlets "Who covers the pair" ranks, as the Overview ranks RISING_PAIRS: one band each, 28 px, so twenty
# keep the chart under a screen (620 px); one per outlet drew 84,000 px for an archive of 3,000 sources, which
# the browser showed as a broken image with the evidence below it out of reach
PAIR_OUTLETS = 20
FEED_CHANGES_LISTED = 10  # feeds a feed-set change names by id in its `why` (it counts the rest)
LISTED_PAIRS = 500  # the busiest pairs the pair choices list (filter_options); pairs_naming reaches the others
# article_pairs, not v_pair_daily: the view has a row per topic, so summing its articles counts an article once
# per topic of its pair sentences.
EXAMPLE_QUERY = ("SELECT iso_a || '-' || iso_b AS pair, count(*) AS articles, sum(sentences) AS sentences\n"
                 "FROM article_pairs GROUP BY pair ORDER BY articles DESC LIMIT 20")
IN_LIST = "IN (SELECT unnest(?::VARCHAR[]))"
# An article whose day is its publication day. The others (no usable date: missing, unreadable or in the future) are
# filed under the day PactWatch first stored them, which a replay of old captures makes today: their rows say so
# (`dated`), and a scope can leave them out (Scope.dated_only).
DATED = "{0}.date_quality = 'ok'"
# The publication time an undated article's feed gave, which did not file it (one ahead of when stored; NULL for the
# others): with its date_quality, what the Articles page says of why it is undated (article_day.why_undated).
CLAIMED = f"CASE WHEN NOT {DATED} THEN {{0}}.published_at END"
WRITTEN = "published_as_written"  # the date as the feed wrote it, which it says too (migration 0056)
PAIR_KEY = "iso_a || '-' || iso_b"  # as readers type a pair ("PRK-RUS": pipeline.pairs)
# meta key: how far `pactwatch demo` got. Started at its first write, finished as its last, before its final publish.
DEMO_STATE, DEMO_STARTED, DEMO_FINISHED = "demo_state", "started", "finished"


@dataclass(frozen=True)
class Scope:
    """Which articles a view looks at: a day range plus optional filters (empty tuple = no filter)."""

    start: date
    end: date
    countries: tuple[str, ...] = ()
    pairs: tuple[str, ...] = ()  # "AAA-BBB" with AAA < BBB
    topics: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    outlet_countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    all_topics: bool = False  # articles with every one of `topics`, not with any of them
    dated_only: bool = False  # without the articles filed under the day first stored (DATED)
    # an article counts for a pair only when not every sentence of it naming the pair lists the two among other
    # countries (`_connects`): pair counts and the Pairs filter, not country or topic counts
    unlisted_only: bool = False
    # a run id: only the articles that run or an earlier one stored (articles.run_id), so a view quoted from a link
    # keeps its numbers when a later ingest or import files articles inside its dates (None: every stored article)
    as_of: int | None = None

    @property
    def filtered(self) -> bool:
        """True when anything beyond the day range narrows the articles (the per-day aggregates count them all, those
        stored after an `as_of` run too)."""
        return any((self.countries, self.pairs, self.topics, self.outlets, self.outlet_countries, self.languages,
                    self.dated_only)) or self.as_of is not None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Scope":
        """The equally long period just before this one."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))

    def sources(self) -> "Scope":
        """Every article of the same days and sources (outlets, their countries, languages), whatever it names or is
        about: what the feeds in scope stored, against which a filtered count's empty day or bucket tells a gap in
        coverage from a quiet spell in the news."""
        return replace(self, countries=(), pairs=(), topics=(), all_topics=False)


class _Where:
    """A WHERE clause built together with its parameters, so the two can never drift apart."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, clause: str, *params) -> "_Where":
        self.parts.append(clause)
        self.params.extend(params)
        return self

    def sql(self) -> str:
        return " AND ".join(self.parts) or "TRUE"


def read_language(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(join, expression): the language an article (`articles a` + join) was read in, as the Languages filter matches
    it: the declared tag's language (`DECLARED_LANGUAGE`), else the one the tagger read from its words
    (article_languages), else English, as the tagger reads an article it finds no other language in (it stores no row
    for it): `en` left out the English articles that declare no language.
    A snapshot published before migration 0024 has no article_languages: the declared tag, else English."""
    if not has_table(con, "article_languages"):
        return "", f"coalesce({DECLARED_LANGUAGE}, '{ENGLISH}')"
    return ("LEFT JOIN article_languages l ON l.article_id = a.article_id AND l.day = a.day",
            f"coalesce({DECLARED_LANGUAGE}, l.language, '{ENGLISH}')")


def date_as_written(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    """articles.published_as_written of the row `alias`, or NULL (not kept) on a snapshot published before migration
    0056."""
    return f"{alias}.{WRITTEN}" if has_column(con, "articles", WRITTEN) else "CAST(NULL AS VARCHAR)"


def article_revisions(con: duckdb.DuckDBPyConnection, alias: str, as_of: int | None = None) -> tuple[str, str, list]:
    """(join, columns, the join's parameters): what a quote of the first capture of the article of the row `alias`
    (its article_id and day) needs to say of the versions its feeds served later: `revisions`, how many
    (article_revisions, at most REVISIONS_KEPT: the first ones; 0 when none), and `last_revision_seen_at`, when the
    latest of them was first seen; with `as_of` (Scope.as_of), those its runs up to that one met,
    so a pinned view's download stays as it was. A first capture quoted as evidence ("Train Collision in Spain Kills
    at Least 21", later "…at Least 39") said nothing of the correction. Both NULL (unknown) on a snapshot published
    before migration 0057."""
    if not has_table(con, "article_revisions"):
        return "", "CAST(NULL AS BIGINT) AS revisions, CAST(NULL AS TIMESTAMPTZ) AS last_revision_seen_at", []
    met = ("run_id <= ?", [as_of]) if as_of is not None else ("TRUE", [])
    return (f"LEFT JOIN (SELECT article_id, day, count(*) AS revisions, max(seen_at) AS last_seen_at "
            f"FROM article_revisions WHERE {met[0]} GROUP BY ALL) rv "
            f"ON rv.article_id = {alias}.article_id AND rv.day = {alias}.day",
            "coalesce(rv.revisions, 0) AS revisions, rv.last_seen_at AS last_revision_seen_at", met[1])


def languages_not_read(counts: dict[str, int]) -> dict[str, int]:
    """Of counts per language (`read_language`), those of the languages whose topics and cues are not read: all but
    English (the lexicons are English)."""
    return {language: n for language, n in counts.items() if language and not is_english(language)}


def _scoped(con: duckdb.DuckDBPyConnection, scope: Scope, start: date, end: date, day: str = "day",
            article_id: str = "article_id") -> _Where:
    """Rows of a day-carrying table within [start, end] whose article passes every filter of `scope`."""
    where = _Where().add(f"{day} BETWEEN ? AND ?", start, end)
    join, language = read_language(con) if scope.languages else ("", "")
    source = [(f"{column} {IN_LIST}", [list(values)]) for column, values in
              (("a.outlet", scope.outlets), ("a.outlet_country", scope.outlet_countries),
               (language, scope.languages)) if values]
    if scope.dated_only:
        source.append((DATED.format("a"), []))
    if scope.as_of is not None:
        source.append(("a.run_id <= ?", [scope.as_of]))
    if source:
        conditions = " AND ".join(condition for condition, _ in source)
        where.add(f"{article_id} IN (SELECT a.article_id FROM articles a {join} WHERE {ARTICLE_DAY} BETWEEN ? AND ? "
                  f"AND {conditions})", start, end, *(value for _, values in source for value in values))
    tagged = (("article_countries", "iso3", scope.countries), ("article_pairs", PAIR_KEY, scope.pairs),
              ("article_topics", "topic", scope.topics))
    for table, column, values in tagged:
        if not values:
            continue
        if table == "article_pairs":  # the articles connecting a pair, as the pair counts count them
            connects, *params = _connects(con, scope, start, end, "sp")
            where.add(f"{article_id} IN (SELECT article_id FROM article_pairs sp WHERE day BETWEEN ? AND ? "
                      f"AND {column} {IN_LIST} AND {connects})", start, end, list(values), *params)
        elif table == "article_topics" and scope.all_topics:
            where.add(f"{article_id} IN (SELECT article_id FROM article_topics WHERE day BETWEEN ? AND ? "
                      f"AND topic {IN_LIST} GROUP BY article_id HAVING count(DISTINCT topic) = ?)",
                      start, end, list(values), len(set(values)))
        else:
            where.add(f"{article_id} IN (SELECT article_id FROM {table} WHERE day BETWEEN ? AND ? "
                      f"AND {column} {IN_LIST})", start, end, list(values))
    return where


def _connects(con: duckdb.DuckDBPyConnection, scope: Scope, start: date, end: date,
              alias: str = "article_pairs") -> list:
    """[SQL, *parameters] (the arguments of _Where.add): whether the article_pairs row `alias` counts for its pair in
    `scope`. Always, unless Scope.unlisted_only; then only when its article has a sentence naming the pair that does
    not list the two among other countries (pair_sentences.listed IS NOT TRUE: NULL, tagged before migration 0025,
    counts), or no sentence naming both at all (about both, its focus countries): the views' `unlisted_articles`
    (migration 0045)."""
    if not scope.unlisted_only:
        return ["TRUE"]
    return [unlisted_pair_row(alias, _listed(con, "ls"), "ls.day BETWEEN ? AND ?"), start, end]


def unlisted_pair_row(alias: str, listed: str = "ls.listed", sentence_days: str = "TRUE") -> str:
    """SQL: whether the article_pairs row `alias` connects its pair with more than a list: a sentence of its article
    naming the pair that `listed` (pair_sentences ls's column, or NULL for unknown) does not mark, of the days
    `sentence_days` allows, or no sentence naming both at all (about both). Shared by the dashboard's switch and
    `export --unlisted-only`."""
    # a row IN a subquery: a semi join, ~3x faster than EXISTS correlated on the four columns (20k demo, 90 days)
    return (f"({alias}.sentences = 0 OR ({alias}.article_id, {alias}.iso_a, {alias}.iso_b) IN (SELECT ls.article_id, "
            f"ls.iso_a, ls.iso_b FROM pair_sentences ls WHERE {sentence_days} AND {listed} IS NOT TRUE))")


def _sentence_counts(con: duckdb.DuckDBPyConnection, scope: Scope, alias: str = "pair_sentences") -> str:
    """SQL: whether the pair_sentences row `alias` counts in `scope`: always, unless Scope.unlisted_only; then only
    when it does not list the two among other countries (`_connects`' rule for one sentence)."""
    return f"{_listed(con, alias)} IS NOT TRUE" if scope.unlisted_only else "TRUE"


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict) -> pd.DataFrame:
    # Through Arrow rather than .df(): DuckDB's own pandas path trips pandas 3 deprecations on TIMESTAMPTZ.
    return con.execute(sql, params).to_arrow_table().to_pandas(date_as_object=False)


def _bucket(grain: str, column: str = "day") -> str:
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    return f"CAST(date_trunc('{grain}', {column}) AS DATE)"


# --- warehouse facts -------------------------------------------------------------------------------
def status(con: duckdb.DuckDBPyConnection) -> dict:
    """Article count, day range, the last day of an article with a usable publication date, last run, the demo flag
    and how far the demo got, and the tagger versions of the stored tags."""
    last_run = con.execute("SELECT finished_at, kind FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
    return {**article_days(con), "last_run_at": last_run[0] if last_run else None,
            "last_run_kind": last_run[1] if last_run else None,
            "is_demo": is_demo(con), "demo_state": demo_state(con), "tag_versions": tag_versions(con)}


def article_days(con: duckdb.DuckDBPyConnection) -> dict:
    """Article count, the first and last day articles are filed under, and the last of an article with a usable
    publication date (the others are filed under the day they were stored)."""
    articles, first_day, last_day, last_dated_day = con.execute(
        f"SELECT count(*), min({ARTICLE_DAY}), max({ARTICLE_DAY}), max({ARTICLE_DAY}) FILTER ({DATED.format('a')}) "
        "FROM articles a").fetchone()
    return {"articles": articles, "first_day": first_day, "last_day": last_day, "last_dated_day": last_dated_day}


def runs_by_kind(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many runs of each kind (ingest, demo, import, retag, ...) the warehouse holds."""
    return dict(con.execute("SELECT kind, count(*) FROM runs GROUP BY kind ORDER BY kind").fetchall())


def last_ingest_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the last completed ingest run committed: demo, import and retag runs poll no feed, so one of them must not
    hide that the scheduled ingest stopped. The last by run id, not the latest time: after one run under a clock
    hours ahead, the runs since (the clock fixed) tell whether the ingest still runs, and the check's "in the future"
    holds only until the next run."""
    row = con.execute("SELECT finished_at FROM runs WHERE kind = 'ingest' AND status = 'completed' "
                      "ORDER BY run_id DESC LIMIT 1").fetchone()
    return row[0] if row else None


RECENT_RUNS = 20  # the runs a view can be pinned to from a list (Scope.as_of); a link may name any other
RUN_FACTS = ("run_id", "kind", "finished_at", "tagger_version")


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = RECENT_RUNS) -> list[dict]:
    """RUN_FACTS of the latest `limit` runs, newest first."""
    rows = con.execute(f"SELECT {', '.join(RUN_FACTS)} FROM runs ORDER BY run_id DESC LIMIT ?", [limit]).fetchall()
    return [dict(zip(RUN_FACTS, row)) for row in rows]


def run_facts(con: duckdb.DuckDBPyConnection, run_id: int) -> dict | None:
    """RUN_FACTS of one run, and `rederived`: the tagger versions of the tags now stored for the articles it and the
    runs before it stored that differ from the version they had then (their storing run's, or the last retag's up to
    it): a retag since re-derived them, and what a view pinned to the run counts may differ from what it showed then.
    None when the snapshot holds no such run."""
    row = con.execute(f"SELECT {', '.join(RUN_FACTS)} FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        return None
    # the version each run's articles had then, a row a run, joined on run_id: joining every article to its run by
    # greatest(run_id, the retag's) made DuckDB loop over runs per article (1.0 s at 1M articles, 0.13 s so)
    rederived = con.execute("""
        WITH last_retag AS (SELECT run_id, tagger_version FROM runs WHERE kind = 'retag' AND run_id <= $run
                            ORDER BY run_id DESC LIMIT 1),
             had AS (SELECT r.run_id, CASE WHEN r.run_id < l.run_id THEN l.tagger_version ELSE r.tagger_version END
                            AS tagger_version
                     FROM runs r LEFT JOIN last_retag l ON TRUE WHERE r.run_id <= $run),
             tags AS (SELECT article_id, day, tagger_version FROM article_countries
                      UNION ALL SELECT article_id, day, tagger_version FROM article_topics)
        SELECT DISTINCT t.tagger_version FROM tags t JOIN articles a ON a.article_id = t.article_id AND a.day = t.day
        JOIN had ON had.run_id = a.run_id
        WHERE t.tagger_version IS DISTINCT FROM had.tagger_version ORDER BY 1""", {"run": run_id}).fetchall()
    return {**dict(zip(RUN_FACTS, row)), "rederived": [version for (version,) in rederived]}


def enabled_feed_health(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Enabled feeds, how many of them v_feed_health (what `feeds list` shows) calls neither healthy nor paused, and
    how many paused: a server that asked for a pause (Retry-After) said when to come back, it is not broken."""
    return con.execute("SELECT count(*), count(*) FILTER (WHERE health NOT IN ('healthy', 'paused')), "
                       "count(*) FILTER (WHERE health = 'paused') FROM v_feed_health WHERE enabled").fetchone()


def broken_feeds(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Enabled feeds that bring nothing usable, as v_feed_health judges them (failing, gone or empty), each with its
    health and since when: the first of its empty fetches for an empty one, else its last success, else when it was
    added; never before it was last enabled again (feeds.enabled_at, migration 0054: a feed disabled for months was
    not broken while nobody asked it). Stale feeds are not among them: a quiet source answers, and may simply have
    had no news."""
    enabled_at = "f.enabled_at" if has_column(con, "feeds", "enabled_at") else "NULL"  # none before 0054
    rows = con.execute(f"""
        SELECT h.feed_id, h.health, greatest(CASE WHEN h.health = 'empty' THEN h.empty_since
                                                  ELSE coalesce(h.last_success_at, f.added_at) END,
                                             {enabled_at}) AS since
        FROM (SELECT feed_id, enabled, health, last_success_at, {health_columns(con, ("empty_since",))}
              FROM v_feed_health) h JOIN feeds f USING (feed_id)
        WHERE h.enabled AND h.health IN ('failing', 'gone', 'empty') ORDER BY since NULLS FIRST, h.feed_id""").fetchall()
    return {feed_id: {"health": health, "since": since} for feed_id, health, since in rows}


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `pactwatch demo` wrote this warehouse: its articles are all synthetic."""
    return con.execute("SELECT value = 'true' FROM meta WHERE key = 'is_demo'").fetchone() == (True,)


def demo_state(con: duckdb.DuckDBPyConnection) -> str | None:
    """How far `pactwatch demo` got (DEMO_STARTED, DEMO_FINISHED): a snapshot published on the way, or by a demo
    stopped before its end, says started. None where no demo ran, and in a demo of a version that did not record it."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [DEMO_STATE]).fetchone()
    return row[0] if row else None


def holds_data_of_its_own(con: duckdb.DuckDBPyConnection, demo_feed_tag: str) -> bool:
    """Whether a home holds more than the demo's synthetic data: a feed other than the demo's (tagged `demo_feed_tag`,
    not told by their URLs, which name the home's folder and would not follow the home moved), or a run other than
    the demo's and retags (an ingest, an import: articles of real feeds)."""
    return con.execute("SELECT EXISTS (SELECT 1 FROM feeds WHERE NOT coalesce(list_contains(tags, ?), false)) "
                       "OR EXISTS (SELECT 1 FROM runs WHERE kind NOT IN ('demo', 'retag'))", [demo_feed_tag]).fetchone()[0]


def tag_versions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Articles with stored tags (a country or a topic) per tagger version, most first. More than one version (or
    one that is not the running code's) means the charts mix rule sets until `pactwatch retag`."""
    rows = con.execute("SELECT tagger_version, count(DISTINCT article_id) AS n FROM ("
                       "SELECT article_id, tagger_version FROM article_countries UNION ALL "
                       "SELECT article_id, tagger_version FROM article_topics) "
                       "GROUP BY tagger_version ORDER BY n DESC, tagger_version").fetchall()
    return dict(rows)


def stored_tagger_versions(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tagger versions of the stored countries and topics; cheaper than tag_versions, which counts articles."""
    return {version for (version,) in con.execute("SELECT tagger_version FROM article_countries UNION "
                                                  "SELECT tagger_version FROM article_topics").fetchall()}


def articles_without_tags(con: duckdb.DuckDBPyConnection) -> int:
    """Articles with neither a country nor a topic: nothing derived is stored for them, so no tagger version either,
    and tag_versions counts the others."""
    return con.execute("SELECT count(*) FROM articles a ANTI JOIN article_countries c ON c.article_id = a.article_id "
                       "ANTI JOIN article_topics t ON t.article_id = a.article_id").fetchone()[0]


def articles_without_topic_words(con: duckdb.DuckDBPyConnection) -> int:
    """Articles with a topic but none of its words in topic_hits: tagged before migration 0021 (or stored by a
    snapshot that predates the table); `pactwatch retag` adds them. Their tagger version is this code's, so
    tag_versions alone does not show it."""
    if not has_table(con, "topic_hits"):
        return con.execute("SELECT count(DISTINCT article_id) FROM article_topics").fetchone()[0]
    return con.execute("SELECT count(DISTINCT t.article_id) FROM article_topics t ANTI JOIN topic_hits h "
                       "ON h.article_id = t.article_id AND h.topic = t.topic").fetchone()[0]


def story_of(con: duckdb.DuckDBPyConnection, alias: str) -> tuple[str, str]:
    """(a join, the SQL of the story of the row `alias`, which has article_id and day): its story's first stored copy
    (article_stories.story_id). An article without one counts as a story of its own: stored before migration 0060
    and not retagged since, or read from a snapshot published before it (no table, and no join)."""
    if not has_table(con, "article_stories"):
        return "", f"{alias}.article_id"
    return (f"LEFT JOIN article_stories st ON st.article_id = {alias}.article_id AND st.day = {alias}.day",
            f"coalesce(st.story_id, {alias}.article_id)")


def articles_without_stories(con: duckdb.DuckDBPyConnection) -> int:
    """Articles without a row in article_stories: stored before migration 0060 (all of them, on a snapshot published
    before it); `pactwatch retag` gives them their stories. Until then each counts as a story of its own."""
    if not has_table(con, "article_stories"):
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    return con.execute("SELECT count(*) FROM articles a ANTI JOIN article_stories s "
                       "ON s.article_id = a.article_id AND s.day = a.day").fetchone()[0]


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Choices for the sidebar filters, most frequent first where frequency is known."""
    def column(sql: str) -> list[str]:
        return [row[0] for row in con.execute(sql).fetchall() if row[0] is not None]

    def of_articles(expression: str, join: str = "") -> list[str]:
        return column(f"SELECT {expression} FROM articles a {join} GROUP BY ALL ORDER BY count(*) DESC, 1")

    join, language = read_language(con)
    return {
        "countries": column("SELECT iso3 FROM article_countries GROUP BY iso3 ORDER BY count(*) DESC, iso3"),
        "pairs": column(f"SELECT {PAIR_KEY} FROM article_pairs GROUP BY ALL "
                        f"ORDER BY count(*) DESC, 1 LIMIT {LISTED_PAIRS}"),
        "topics": column("SELECT topic FROM article_topics GROUP BY topic ORDER BY count(*) DESC, topic"),
        # what the articles carry, which the filters match: a feed's language is often unknown (the articles
        # declare theirs, or the tagger reads it), and an outlet renamed later keeps its old name on the articles
        # stored before
        "outlets": of_articles("a.outlet"),
        "outlet_countries": of_articles("a.outlet_country"),
        "languages": of_articles(language, join),
    }


def pairs_naming(con: duckdb.DuckDBPyConnection, countries: list[str]) -> list[str]:
    """Every stored pair naming one of `countries`, most articles first: the pairs past the LISTED_PAIRS busiest are
    reached through their countries (a country pairs with at most the other 250 or so)."""
    return [row[0] for row in con.execute(f"SELECT {PAIR_KEY} FROM article_pairs "
                                          f"WHERE iso_a {IN_LIST} OR iso_b {IN_LIST} GROUP BY ALL "
                                          "ORDER BY count(*) DESC, 1", [countries, countries]).fetchall()]


def stored_pairs(con: duckdb.DuckDBPyConnection, keys: list[str]) -> list[str]:
    """Those of the pair keys `keys` ("IRN-RUS") some article pairs, in their order: filter_options lists
    LISTED_PAIRS."""
    found = {row[0] for row in con.execute(f"SELECT DISTINCT {PAIR_KEY} FROM article_pairs "
                                           f"WHERE {PAIR_KEY} {IN_LIST}", [keys]).fetchall()}
    return [key for key in keys if key in found]


# --- overview ----------------------------------------------------------------------------------------
PAIRS_NAMING_THEM = "pairs naming them"  # kpis' count, under the Countries filter, of the pairs naming one of them


def kpis(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """metric, current, previous: articles, feeds with articles (disabled ones too: an article of the period counts its
    feed), countries and pairs in both periods; under the Countries filter, also the pairs naming one of them
    (PAIRS_NAMING_THEM): the articles naming North Korea connect Russia and Ukraine too, and "pairs" counts those."""
    before = scope.previous()
    period = "CASE WHEN day >= ? THEN 'current' ELSE 'previous' END"
    parts = [
        ("articles", "count(*)", "articles"),
        ("feeds with articles", "count(DISTINCT feed_id)", "article_feeds"),
        ("countries", "count(DISTINCT iso3)", "article_countries"),
        ("pairs", "count(DISTINCT (iso_a, iso_b))", "article_pairs"),
    ] + ([(PAIRS_NAMING_THEM, "count(DISTINCT (iso_a, iso_b))", "article_pairs")] if scope.countries else [])
    selects, params = [], []
    for metric, aggregate, source in parts:
        where = _scoped(con, scope, before.start, scope.end)
        if source == "article_pairs":
            where.add(*_connects(con, scope, before.start, scope.end))
        if metric == PAIRS_NAMING_THEM:
            where.add(f"(iso_a {IN_LIST} OR iso_b {IN_LIST})", list(scope.countries), list(scope.countries))
        if source == "article_feeds" and scope.as_of is not None:  # a later run's feed may carry an older article
            where.add("run_id <= ?", scope.as_of)
        selects.append(f"SELECT '{metric}' AS metric, {period} AS period, {aggregate} AS value "
                       f"FROM {source} WHERE {where.sql()} GROUP BY ALL")
        params += [scope.start, *where.params]
    long = _df(con, " UNION ALL ".join(selects), params)
    wide = long.pivot_table(index="metric", columns="period", values="value", aggfunc="sum")
    wide = wide.reindex(index=[p[0] for p in parts], columns=["current", "previous"]).fillna(0).astype(int)
    return wide.reset_index()


def articles_by_language(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, int]:
    """Articles in scope per language they were read in, as the Languages filter names it (`read_language`: the
    declared tag's language, else the one the tagger read from the text, else English).
    For saying how many carry no topics."""
    where = _scoped(con, scope, scope.start, scope.end, day=ARTICLE_DAY, article_id="a.article_id")
    join, language = read_language(con)
    return dict(con.execute(f"SELECT {language}, count(*) FROM articles a {join} WHERE {where.sql()} GROUP BY ALL",
                            where.params).fetchall())


def articles_by_date_quality(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, int]:
    """Articles in scope per date_quality (ok, missing, unparseable, future): all but ok are filed under the day
    they were first seen, not published."""
    where = _scoped(con, scope, scope.start, scope.end, day=ARTICLE_DAY, article_id="a.article_id")
    return dict(con.execute(f"SELECT a.date_quality, count(*) FROM articles a WHERE {where.sql()} GROUP BY ALL",
                            where.params).fetchall())


def list_only_pairs(con: duckdb.DuckDBPyConnection, scope: Scope, pairs: tuple[str, ...] = (), topic: str | None = None,
                    level: str = "article") -> tuple[int, int]:
    """(the articles counted for a pair in scope that only lists connect, all of them; an article once per pair): how
    much of the pair counts Scope.unlisted_only leaves out, in one scan; with `pairs` ("IRN-JPN"), of those pairs
    alone (Trends' lines, the co-occurrence matrix's cells: a share of every pair said nothing of those drawn); with
    `topic` and `level`, as the co-occurrence matrix counts them (the rows whose topics hold it, of its sentences or
    of its articles)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    where = _scoped(con, scope, scope.start, scope.end, day="p.day", article_id="p.article_id")
    if pairs:
        where.add(f"{PAIR_KEY} {IN_LIST}", list(pairs))  # p's columns: the only table of the query's FROM
    if topic:
        where.add("list_contains(p.topics, ?)", topic)
    if level == "sentence":  # an article counts for its pair with one sentence naming it that is no list
        return con.execute(f"SELECT count(*) FILTER (WHERE NOT unlisted), count(*) FROM ("
                           f"SELECT bool_or({_listed(con, 'p')} IS NOT TRUE) AS unlisted FROM pair_sentences p "
                           f"WHERE {where.sql()} GROUP BY p.article_id, p.iso_a, p.iso_b)", where.params).fetchone()
    connects, *params = _connects(con, replace(scope, unlisted_only=True), scope.start, scope.end, "p")
    return con.execute(f"SELECT count(*) FILTER (WHERE NOT {connects}), count(*) FROM article_pairs p "
                       f"WHERE {where.sql()}", [*params, *where.params]).fetchone()


def daily_articles(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """day, articles (days without articles are absent)."""
    where = _scoped(con, scope, scope.start, scope.end, day=ARTICLE_DAY, article_id="a.article_id")
    return _df(con, f"SELECT {ARTICLE_DAY} AS day, count(*) AS articles FROM articles a WHERE {where.sql()} "
                    "GROUP BY 1 ORDER BY 1", where.params)


def run_days(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """day, runs: the UTC days on which a run committed."""
    return _df(con, "SELECT CAST(finished_at AT TIME ZONE 'UTC' AS DATE) AS day, count(*) AS runs "
                    "FROM runs GROUP BY 1 ORDER BY 1", [])


RISING_PAIRS = 10
# A rising pair's floor: this many articles in the period at least, and a gain chance makes less than once in a
# hundred (RISING_Z). Ranked by gain alone, 0 → 1 and 30 → 31 listed beside pairs gaining hundreds of mentions; with
# one standard deviation as the bar, a methodologist counted 14-16 % of unchanged pairs listed (IRN-RUS 7 → 12).
RISING_MIN_ARTICLES = 5
# Given a pair's articles in both periods (n), those of this period are binomial with the share of the articles in
# scope that fall in it (p: a period in which the feeds stored 30 % more lifts every pair, and is no rise): a rise when
# (current − ½ − n·p) / √(n·p·(1 − p)) ≥ 2.326, one-sided p < 0.01 by the normal approximation with continuity
# correction, which errs towards listing less under 10 articles (at p = ½, 0 → 7 passes the exact test, not this).
RISING_Z = 2.326


def rising_pairs(con: duckdb.DuckDBPyConnection, scope: Scope, limit: int = RISING_PAIRS) -> pd.DataFrame:
    """pair, current, previous, change, top_topic, top_topic_change, undated: pairs whose article count grew most
    against the previous period, above the floor (RISING_MIN_ARTICLES) and beyond chance (RISING_Z), with the topic that grew most among their
    articles (None when none grew): which pairs rose, and on what, in one table. `undated`: how many of the current
    articles have no usable publication date, filed under the day they were stored (a replay of old captures makes a
    "rise" of them)."""
    before = scope.previous()
    where = _scoped(con, scope, before.start, scope.end)
    where.add(*_connects(con, scope, before.start, scope.end))
    stored = _scoped(con, scope, before.start, scope.end, day=ARTICLE_DAY, article_id="a.article_id")
    return _df(con, f"""
        WITH pairs AS (SELECT {PAIR_KEY} AS pair, day >= ? AS now, topics, article_id FROM article_pairs
                       WHERE {where.sql()}),
        volume AS (SELECT count(*) FILTER (WHERE {ARTICLE_DAY} >= ?) / count(*) AS p FROM articles a
                   WHERE {stored.sql()}),
        counted AS (SELECT pair, count(*) FILTER (WHERE now) AS current, count(*) FILTER (WHERE NOT now) AS previous,
                           current - previous AS change, current + previous AS n
                    FROM pairs GROUP BY 1 HAVING current >= ? AND change > 0),
        rising AS (SELECT pair, current, previous, change FROM counted, volume
                   WHERE p < 1 AND current - 0.5 - n * p >= ? * sqrt(n * p * (1 - p))
                   ORDER BY change DESC, current DESC, pair LIMIT ?),
        topic_changes AS (SELECT pair, topic, count(*) FILTER (WHERE now) AS current,
                                 current - count(*) FILTER (WHERE NOT now) AS change
                          FROM (SELECT pair, now, unnest(topics) AS topic FROM pairs
                                WHERE pair IN (SELECT pair FROM rising))
                          GROUP BY ALL HAVING change > 0),
        -- of topics that grew alike, the one with more articles now, then the first by name
        lead_topics AS (SELECT pair, arg_min(topic, (-change, -current, topic)) AS top_topic,
                               max(change) AS top_topic_change
                    FROM topic_changes GROUP BY pair),
        undated AS (SELECT pair, count(*) AS undated FROM pairs JOIN articles a USING (article_id)
                    WHERE now AND a.day >= ? AND a.date_quality <> 'ok' AND pair IN (SELECT pair FROM rising)
                    GROUP BY pair)
        SELECT r.*, l.top_topic, l.top_topic_change, coalesce(u.undated, 0) AS undated
        FROM rising r LEFT JOIN lead_topics l USING (pair) LEFT JOIN undated u USING (pair)
        ORDER BY r.change DESC, r.current DESC, r.pair""",
               [scope.start, *where.params, scope.start, *stored.params, RISING_MIN_ARTICLES, RISING_Z, limit,
                scope.start])


# --- series ------------------------------------------------------------------------------------------
_SERIES_SOURCES = {
    "countries": ("article_countries", "iso3"),
    "pairs": ("article_pairs", PAIR_KEY),
    "topics": ("article_topics", "topic"),
}


def series(con: duckdb.DuckDBPyConnection, scope: Scope, kind: str, keys: list[str], grain: str) -> pd.DataFrame:
    """bucket, series, articles: articles per bucket for each chosen country, pair or topic."""
    table, column = _SERIES_SOURCES[kind]
    where = _scoped(con, scope, scope.start, scope.end).add(f"{column} {IN_LIST}", list(keys))
    if kind == "pairs":
        where.add(*_connects(con, scope, scope.start, scope.end))
    return _df(con, f"SELECT {_bucket(grain)} AS bucket, {column} AS series, count(DISTINCT article_id) AS articles "
                    f"FROM {table} WHERE {where.sql()} GROUP BY ALL ORDER BY 1, 2", where.params)


def bucket_totals(con: duckdb.DuckDBPyConnection, scope: Scope, grain: str) -> pd.DataFrame:
    """bucket, articles: every article in scope, the denominator of 'share of all articles'."""
    where = _scoped(con, scope, scope.start, scope.end, day=ARTICLE_DAY, article_id="a.article_id")
    return _df(con, f"SELECT {_bucket(grain, ARTICLE_DAY)} AS bucket, count(*) AS articles FROM articles a "
                    f"WHERE {where.sql()} GROUP BY 1 ORDER BY 1", where.params)


def either_country_totals(con: duckdb.DuckDBPyConnection, scope: Scope, pairs: list[str],
                          grain: str) -> pd.DataFrame:
    """bucket, series, articles: articles mentioning either country of each pair (the pair's denominator).

    Unfiltered scopes read the per-day aggregates (migration 0006) as n(A) + n(B) - n(A and B): at 944k
    articles over 30 months 330 ms -> a few ms. Filters need the articles themselves: _either_country_exact.
    A key naming one country twice counts it once and subtracts nothing (comention_daily has iso_a < iso_b).
    """
    if scope.filtered:
        return _either_country_exact(con, scope, pairs, grain)
    try:
        return _either_country_from_aggregates(con, scope, pairs, grain)
    except duckdb.CatalogException:  # a snapshot published before migration 0006 has no aggregates
        return _either_country_exact(con, scope, pairs, grain)


def _either_country_from_aggregates(con: duckdb.DuckDBPyConnection, scope: Scope, pairs: list[str],
                                    grain: str) -> pd.DataFrame:
    return _df(con, f"""
        WITH chosen AS (SELECT p AS series, string_split(p, '-') AS isos FROM unnest(?::VARCHAR[]) AS t(p)),
        terms AS (
            SELECT d.day, chosen.series, d.articles FROM country_daily d
            JOIN (SELECT DISTINCT series, unnest(isos) AS iso3 FROM chosen) chosen USING (iso3)
            UNION ALL
            SELECT d.day, chosen.series, -d.articles FROM comention_daily d
            JOIN chosen ON d.iso_a = list_min(chosen.isos) AND d.iso_b = list_max(chosen.isos))
        SELECT {_bucket(grain)} AS bucket, series, CAST(sum(articles) AS BIGINT) AS articles FROM terms
        WHERE day BETWEEN ? AND ? GROUP BY ALL ORDER BY 1, 2""", [list(pairs), scope.start, scope.end])


def _either_country_exact(con: duckdb.DuckDBPyConnection, scope: Scope, pairs: list[str],
                          grain: str) -> pd.DataFrame:
    """either_country_totals counted over article_countries, for any scope.

    The pair is expanded to one row per country so the join is an equi-join (a hash join, not a nested loop).
    """
    where = _scoped(con, scope, scope.start, scope.end, day="c.day", article_id="c.article_id")
    return _df(con, f"""
        WITH chosen AS (SELECT p AS series, unnest(string_split(p, '-')) AS iso3 FROM unnest(?::VARCHAR[]) AS t(p))
        SELECT {_bucket(grain, 'c.day')} AS bucket, chosen.series, count(DISTINCT c.article_id) AS articles
        FROM article_countries c JOIN chosen USING (iso3)
        WHERE {where.sql()} GROUP BY ALL ORDER BY 1, 2""", [list(pairs), *where.params])


def feed_changes(con: duckdb.DuckDBPyConnection, start: date, end: date, listed: int = FEED_CHANGES_LISTED) -> pd.DataFrame:
    """day, change, feeds, feed_ids, why: days a feed was first fetched ('added') or stopped bringing articles
    ('stopped', as v_feed_health judges it): gone, failing or disabled since its last success, empty since the first
    of its empty fetches, stale since its last new article. A feed that answers every poll with nothing drops the
    volume as much as one that fails. `why` says it per feed ("flaky: failing (4 failed fetches in a row)"; "ghost:
    gone" without its reason, which is a remedy for `feeds list`), for the first `listed` feeds by id and how many
    more (`feeds` counts them all): the chart shows it in a tooltip, and a day that added 3,000 feeds made one taller
    than the screen.

    A disabled feed that no `ingest` run fetched was never polled: `pactwatch demo` and `import` register their
    feeds disabled, and every demo feed would read as 'stopped' on the day of the demo run (or, when the demo's
    runs cross midnight UTC, on the second day). A snapshot published before migration 0036 does not date an empty
    feed's stop: it has none until the next ingest publishes.
    """
    return _df(con, f"""
        WITH firsts AS (SELECT feed_id, CAST(min(fetched_at) AT TIME ZONE 'UTC' AS DATE) AS day
                        FROM fetches GROUP BY feed_id),
             polled AS (SELECT DISTINCT feed_id FROM fetches JOIN runs USING (run_id) WHERE runs.kind = 'ingest'),
             stopped AS (
                 SELECT feed_id, health, last_success_at,
                        {health_columns(con, ("health_reason", "empty_since", "last_new_article_at"))}
                 FROM v_feed_health WHERE health IN ('gone', 'failing', 'empty', 'stale')
                                       OR (health = 'disabled' AND feed_id IN (SELECT feed_id FROM polled))),
             stops AS (
                 -- a gone feed's reason is its remedy, in commands: too long for a tooltip naming ten feeds
                 SELECT feed_id, feed_id || ': ' || health
                            || coalesce(' (' || CASE WHEN health <> 'gone' THEN health_reason END || ')', '') AS why,
                        CAST(CASE health WHEN 'empty' THEN empty_since WHEN 'stale' THEN last_new_article_at
                                         ELSE last_success_at END AT TIME ZONE 'UTC' AS DATE) AS day
                 FROM stopped)  -- no day (a feed that never succeeded): no stop to draw, the range drops it
        SELECT day, change, count(*) AS feeds,
               array_to_string(list(feed_id ORDER BY feed_id)[1:$listed], ', ') || {_more(", ")} AS feed_ids,
               array_to_string(list(why ORDER BY feed_id)[1:$listed], '; ') || {_more("; ")} AS why FROM (
            SELECT day, 'added' AS change, feed_id, feed_id || ': first fetched' AS why FROM firsts
            WHERE day > (SELECT min(day) FROM firsts)  -- the very first fetches are the start, not a change
            UNION ALL SELECT day, 'stopped', feed_id, why FROM stops)
        WHERE day BETWEEN $start AND $end GROUP BY ALL ORDER BY day, change""",
               {"start": start, "end": end, "listed": listed})


def _more(separator: str) -> str:
    """SQL for ", and 12 more" after the first $listed of a group's feeds, nothing when it lists them all."""
    return f"CASE WHEN count(*) > $listed THEN format('{separator}and {{:,}} more', count(*) - $listed) ELSE '' END"


# --- co-occurrence -----------------------------------------------------------------------------------
def _about_topic(where: _Where, scope: Scope, topic: str | None) -> _Where:
    """Narrow to articles about `topic`: tagged with it, or with a pair sentence cued with it (a pair term counts
    only there). Every pair the co-occurrence matrix counts for a topic lies inside this set, so lift and share
    compare like with like."""
    if topic:
        where.add("article_id IN (SELECT article_id FROM article_topics WHERE topic = ? AND day BETWEEN ? AND ? "
                  "UNION SELECT article_id FROM pair_sentences WHERE list_contains(topics, ?) AND day BETWEEN ? AND ?)",
                  topic, scope.start, scope.end, topic, scope.start, scope.end)
    return where


def top_countries(con: duckdb.DuckDBPyConnection, scope: Scope, limit: int, topic: str | None = None, *,
                  topical: bool = False) -> pd.DataFrame:
    """iso3, articles: the `limit` most mentioned countries in scope (in articles about `topic`, when given; in
    articles with any topic, when `topical`), and after them any country named as often as the last of them: a
    cut-off inside a tie is the caller's to name."""
    where = _about_topic(_scoped(con, scope, scope.start, scope.end), scope, topic)
    if topical:  # the topic × country matrix counts these: a country of untagged (non-English) articles has no cell
        where.add("article_id IN (SELECT article_id FROM article_topics WHERE day BETWEEN ? AND ?)",
                  scope.start, scope.end)
    return _df(con, f"SELECT iso3, count(*) AS articles FROM article_countries WHERE {where.sql()} GROUP BY iso3 "
                    "QUALIFY rank() OVER (ORDER BY articles DESC) <= ? ORDER BY articles DESC, iso3",
               [*where.params, limit])


def cooccurrence(con: duckdb.DuckDBPyConnection, scope: Scope, countries: list[str], level: str,
                 topic: str | None) -> pd.DataFrame:
    """iso_a, iso_b, together, named_both: of two of `countries`, the articles that put them together (a pair
    sentence, or an article pair: focus countries or a shared sentence) and the articles naming both anywhere.

    `named_both` is what the share of articles naming either needs (n_a + n_b - named_both): `together` is a
    subset of it, smaller at both levels. With a topic, both count in the articles about it, as the totals do.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    table = "pair_sentences" if level == "sentence" else "article_pairs"
    where = _scoped(con, scope, scope.start, scope.end).add(f"iso_a {IN_LIST}", list(countries)) \
        .add(f"iso_b {IN_LIST}", list(countries))
    if topic:
        where.add("list_contains(topics, ?)", topic)
    where.add(*_connects(con, scope, scope.start, scope.end, table) if level == "article"
              else [_sentence_counts(con, scope, table)])

    def run(from_aggregate: bool) -> pd.DataFrame:
        named_sql, named_params = _named_both(con, scope, countries, topic, from_aggregate)
        return _df(con, f"""
            WITH together AS (SELECT iso_a, iso_b, count(DISTINCT article_id) AS together FROM {table}
                              WHERE {where.sql()} GROUP BY ALL),
                 named_both AS ({named_sql})
            SELECT t.iso_a, t.iso_b, t.together, greatest(coalesce(n.named_both, 0), t.together) AS named_both
            FROM together t LEFT JOIN named_both n USING (iso_a, iso_b)
            ORDER BY t.together DESC, t.iso_a, t.iso_b""", [*where.params, *named_params])

    try:
        return run(from_aggregate=not scope.filtered and not topic)
    except duckdb.CatalogException:  # a snapshot published before migration 0006 has no aggregates
        return run(from_aggregate=False)


def _named_both(con: duckdb.DuckDBPyConnection, scope: Scope, countries: list[str], topic: str | None,
                from_aggregate: bool) -> tuple[str, list]:
    """SQL (iso_a, iso_b, named_both) for pairs of `countries`: from the per-day aggregate, which only dates can
    narrow (whole range at 100k articles: 20.7 ms against 38.7 ms joining the articles' countries, two runs on
    one box; docs/benchmarks.md), else from the articles themselves."""
    if from_aggregate:
        return (f"SELECT iso_a, iso_b, CAST(sum(articles) AS BIGINT) AS named_both FROM comention_daily "
                f"WHERE day BETWEEN ? AND ? "
                f"AND iso_a {IN_LIST} AND iso_b {IN_LIST} GROUP BY ALL",
                [scope.start, scope.end, list(countries), list(countries)])
    named = _about_topic(_scoped(con, scope, scope.start, scope.end), scope, topic) \
        .add(f"iso3 {IN_LIST}", list(countries))
    return (f"""WITH named AS (SELECT article_id, iso3 FROM article_countries WHERE {named.sql()})
                SELECT a.iso3 AS iso_a, b.iso3 AS iso_b, count(*) AS named_both
                FROM named a JOIN named b ON a.article_id = b.article_id AND a.iso3 < b.iso3 GROUP BY ALL""",
            named.params)


def scope_total(con: duckdb.DuckDBPyConnection, scope: Scope, topic: str | None = None) -> int:
    """Articles in scope that mention at least one country (the N of lift), about `topic` when given."""
    where = _about_topic(_scoped(con, scope, scope.start, scope.end), scope, topic)
    return con.execute(f"SELECT count(DISTINCT article_id) FROM article_countries WHERE {where.sql()}",
                       where.params).fetchone()[0]


# --- pair explorer -----------------------------------------------------------------------------------
def _pair_where(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None,
                alias: str = "") -> _Where:
    """Rows of pair_sentences or article_pairs (both carry `topics`) for `pair` in scope; with `topic`, only those
    whose topics hold it, as the Co-occurrence page counts a pair for a topic."""
    iso_a, iso_b = pair_codes(pair)
    prefix = f"{alias}." if alias else ""
    where = _scoped(con, scope, scope.start, scope.end, day=f"{prefix}day", article_id=f"{prefix}article_id") \
        .add(f"{prefix}iso_a = ? AND {prefix}iso_b = ?", iso_a, iso_b)
    return where.add(f"list_contains({prefix}topics, ?)", topic) if topic else where


def _pair_articles_where(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None, level: str,
                         alias: str) -> _Where:
    """Rows of article_pairs for `pair` in scope; at the "sentence" level only the articles with a sentence naming
    both: an article also pairs two countries it is about without one (and has the article's topics), so without
    this a Co-occurrence cell of 6 articles together in a military sentence would open on 7."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    where = _pair_where(con, scope, pair, topic, alias=alias)
    where.add(*_connects(con, scope, scope.start, scope.end, alias))
    return where.add(f"{alias}.sentences > 0") if level == "sentence" else where


def pair_topics(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, grain: str,
                topic: str | None = None) -> pd.DataFrame:
    """bucket, topic, sentences, bucket_sentences: the pair's evidence sentences per topic cued in them ('(none)'
    when none), and all its sentences in the bucket (a sentence with two topics counts once under each)."""
    where = _pair_where(con, scope, pair, topic).add(_sentence_counts(con, scope))
    # unnest in the select list, not as a lateral join: DuckDB runs it ~5x faster (measured 20.6 -> 3.6 ms).
    return _df(con, f"""
        SELECT bucket, topic, count(*) AS sentences, any_value(bucket_sentences) AS bucket_sentences FROM (
            SELECT bucket, bucket_sentences,
                   unnest(CASE WHEN len(topics) = 0 THEN ['(none)'] ELSE topics END) AS topic
            FROM (SELECT {_bucket(grain)} AS bucket, topics,
                         count(*) OVER (PARTITION BY {_bucket(grain)}) AS bucket_sentences
                  FROM pair_sentences WHERE {where.sql()}))
        GROUP BY bucket, topic ORDER BY 1, 2""", where.params)


def pair_sentence_languages(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str) -> dict[str, int]:
    """The pair's sentences in scope, of every topic, per language their article was read in (`read_language`),
    counted as its charts count them (`_sentence_counts`): the Pair explorer says how many no topic or cue could be
    read in (the lexicons are English)."""
    where = _pair_where(con, scope, pair, None, alias="s").add(_sentence_counts(con, scope, "s"))
    join, language = read_language(con)
    return dict(con.execute(f"SELECT {language}, count(*) FROM pair_sentences s JOIN articles a "
                            f"ON a.article_id = s.article_id AND a.day = s.day {join} WHERE {where.sql()} GROUP BY ALL",
                            where.params).fetchall())


def pair_cues(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, grain: str,
              topic: str | None = None) -> pd.DataFrame:
    """bucket, cue, sentences, naming_others: cooperation vs confrontation cues in the pair's sentences, and how many
    of those sentences name a third country too, whose relations their cue words may be about ("Trump Doubles the
    Tariff on India, Citing Its Russian Oil Purchases" is India–Russia confrontation)."""
    where = _pair_where(con, scope, pair, topic).add("cue IS NOT NULL").add(_sentence_counts(con, scope))
    return _df(con, f"""
        SELECT {_bucket(grain)} AS bucket, cue, count(*) AS sentences,
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM pair_sentences o WHERE o.article_id = pair_sentences.article_id
                     AND o.day = pair_sentences.day AND o.field = pair_sentences.field
                     AND o.sentence_index = pair_sentences.sentence_index
                     AND (o.iso_a NOT IN (pair_sentences.iso_a, pair_sentences.iso_b)
                          OR o.iso_b NOT IN (pair_sentences.iso_a, pair_sentences.iso_b)))) AS naming_others
        FROM pair_sentences WHERE {where.sql()} GROUP BY ALL ORDER BY 1, 2""", where.params)


def pair_outlets(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None = None,
                 level: str = "article", limit: int = PAIR_OUTLETS) -> pd.DataFrame:
    """outlet, outlet_country, articles, all_outlets, all_articles: the `limit` outlets with most of the pair's
    articles (ties by name, then country), each row carrying how many outlets and articles cover the pair in all, so
    the page can say how many it leaves out."""
    where = _pair_articles_where(con, scope, pair, topic, level, alias="p")
    return _df(con, f"""
        WITH outlets AS (SELECT a.outlet, a.outlet_country, count(*) AS articles FROM article_pairs p
                         JOIN articles a USING (article_id) WHERE {where.sql()} GROUP BY ALL)
        SELECT *, count(*) OVER () AS all_outlets, CAST(sum(articles) OVER () AS BIGINT) AS all_articles
        FROM outlets ORDER BY articles DESC, outlet, outlet_country NULLS LAST LIMIT ?""", [*where.params, limit])


def mention_spans_sql(sentence: str, mentions: str) -> str:
    """SQL for the [start, end) offsets, relative to the sentence, of its two countries' mentions: `sentence` is
    the alias of a pair_sentences row, `mentions` a table or CTE with mentions' columns."""
    return f"""coalesce((SELECT list([m.start_offset - {sentence}.start_offset, m.end_offset - {sentence}.start_offset]
                               ORDER BY m.start_offset)
                  FROM {mentions} m WHERE m.article_id = {sentence}.article_id AND m.day = {sentence}.day
                    AND m.field = {sentence}.field AND m.iso3 IN ({sentence}.iso_a, {sentence}.iso_b)
                    AND m.start_offset >= {sentence}.start_offset AND m.end_offset <= {sentence}.end_offset), [])"""


def _listed(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    """pair_sentences.listed, or NULL (unknown) on a snapshot published before migration 0025."""
    return _newer_pair_sentence_column(con, alias, "listed", "BOOLEAN")


def cue_words_sql(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    """pair_sentences.cue_words of the row `alias`, or NULL (unknown) on a snapshot published before migration 0042:
    the Pair explorer's evidence and an alert's both read it."""
    return _newer_pair_sentence_column(con, alias, "cue_words", "VARCHAR[]")


def _newer_pair_sentence_column(con: duckdb.DuckDBPyConnection, alias: str, column: str, sql_type: str) -> str:
    """A pair_sentences column a migration added, or NULL (unknown) on a snapshot published before it."""
    return f"{alias}.{column}" if has_column(con, "pair_sentences", column) else f"CAST(NULL AS {sql_type})"


def pair_evidence(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None = None,
                  limit: int = EVIDENCE_LIMIT, hide_listed: bool = False) -> pd.DataFrame:
    """The newest sentences naming both countries, with their article and the two countries' mention spans;
    `hide_listed`: without those that name the two as items of one list of countries (pair_sentences.listed).
    `language` is the one the article was read in (`read_language`): no topic or cue is read in another than English.

    `spans` lists [start, end) offsets relative to the sentence, for highlighting without any markup. `article_id`
    names each sentence's article, as a quote in a brief cites it.
    """
    where = _pair_where(con, scope, pair, topic, alias="s")
    listed = _listed(con, "s")
    join, language = read_language(con)
    revised, revisions, revised_params = article_revisions(con, "a", scope.as_of)
    if hide_listed:  # the pair views' unlisted_* count by this rule too (migration 0045): keep the two alike
        where.add(f"{listed} IS NOT TRUE")
    return _df(con, f"""
        WITH evidence AS (
            SELECT s.article_id, s.day, s.field, s.sentence_index, s.start_offset, s.end_offset, s.sentence,
                   s.topics, s.cue, {cue_words_sql(con, "s")} AS cue_words,
                   {listed} AS listed, s.iso_a, s.iso_b
            FROM pair_sentences s WHERE {where.sql()}
            ORDER BY s.day DESC, s.article_id, s.field, s.sentence_index LIMIT ?),
        nearby AS (  -- only the evidence days' mentions: the day bound lets DuckDB skip most of the table
            SELECT m.* FROM mentions m
            WHERE m.day BETWEEN (SELECT min(day) FROM evidence) AND (SELECT max(day) FROM evidence)
              AND m.article_id IN (SELECT article_id FROM evidence))
        SELECT e.day, {DATED.format("a")} AS dated, a.outlet, e.sentence, e.topics, e.cue, e.cue_words,
               {language} AS language, e.listed, a.title, a.url, e.article_id, e.field, a.published_at,
               {date_as_written(con, "a")} AS {WRITTEN}, {revisions}, {mention_spans_sql("e", "nearby")} AS spans
        FROM evidence e JOIN articles a USING (article_id) {join} {revised}
        ORDER BY e.day DESC, e.article_id, e.field, e.sentence_index""", [*where.params, limit, *revised_params])


TOPIC_EVIDENCE_COLUMNS = ["day", "dated", "outlet", "title", "url", "surface", "start_offset", "end_offset", "body",
                          "article_id"]


def topic_evidence(con: duckdb.DuckDBPyConnection, scope: Scope, topic: str,
                   limit: int = EVIDENCE_LIMIT, naming: str | None = None) -> pd.DataFrame:
    """The newest articles of `topic` in scope (and naming the country `naming`, when given: a cell of the topic ×
    country matrix), one row each: the first word that raised the topic (in the text, else the title, which the row
    shows anyway; of words starting together the longest, "trade deal" not "trade") with its field (`body`) and its
    [start, end) there; the caller cuts the sentence out."""
    if not has_table(con, "topic_hits"):
        return pd.DataFrame(columns=TOPIC_EVIDENCE_COLUMNS)  # a snapshot published before migration 0021
    where = _scoped(con, scope, scope.start, scope.end, day="h.day", article_id="h.article_id")
    if naming:  # on top of the sidebar's countries, which keep articles naming any of them
        where.add("h.article_id IN (SELECT article_id FROM article_countries WHERE iso3 = ? AND day BETWEEN ? AND ?)",
                  naming, scope.start, scope.end)
    return _df(con, f"""
        WITH first_hits AS (
            SELECT h.article_id, h.day, h.field, h.start_offset, h.end_offset, h.surface FROM topic_hits h
            WHERE h.topic = ? AND {where.sql()}
            QUALIFY row_number() OVER (PARTITION BY h.article_id
                                       ORDER BY h.field = 'title', h.start_offset, h.end_offset DESC) = 1
            ORDER BY h.day DESC, h.article_id LIMIT ?)
        SELECT f.day, {DATED.format("a")} AS dated, a.outlet, a.title, a.url, f.surface, f.start_offset, f.end_offset,
               CASE f.field WHEN 'title' THEN a.title ELSE a.text END AS body, f.article_id
        FROM first_hits f JOIN articles a ON a.article_id = f.article_id AND a.day = f.day
        ORDER BY f.day DESC, f.article_id""", [topic, *where.params, limit])


def pair_totals(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None = None,
                level: str = "article") -> dict:
    """sentences, listed, articles, first_day, last_day: how many the Pair explorer's lists would hold without their
    caps (`listed`: the sentences among them that name the two as items of one list of countries), and the days of
    the first and last of those articles (None without any)."""
    where = _pair_where(con, scope, pair, topic, alias="s")
    sentences, listed = con.execute(f"SELECT count(*), count(*) FILTER (WHERE {_listed(con, 's')}) "
                                    f"FROM pair_sentences s WHERE {where.sql()}", where.params).fetchone()
    return {"sentences": sentences, "listed": listed,
            **_pair_article_days(con, _pair_articles_where(con, scope, pair, topic, level, alias="p"))}


def pair_stories(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None = None,
                 level: str = "article") -> dict:
    """articles, stories, copied_stories, copies: the pair's articles in scope (those pair_totals counts), the stories
    they are (article_stories), the stories of which several of them are copies, and those copies."""
    where = _pair_articles_where(con, scope, pair, topic, level, alias="p")
    join, story = story_of(con, "p")
    articles, stories, copied_stories, copies = con.execute(
        f"SELECT coalesce(sum(n), 0)::BIGINT, count(*), count(*) FILTER (WHERE n > 1), "
        f"coalesce(sum(n) FILTER (WHERE n > 1), 0)::BIGINT "
        f"FROM (SELECT {story}, count(*) AS n FROM article_pairs p {join} WHERE {where.sql()} GROUP BY 1)",
        where.params).fetchone()
    return {"articles": articles, "stories": stories, "copied_stories": copied_stories, "copies": copies}


def pair_articles_elsewhere(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None, level: str,
                            first_day: date, last_day: date) -> dict:
    """articles, first_day, last_day: the pair's articles from `first_day` to `last_day` (the stored days) that the
    other filters of `scope` keep but its dates leave out: where a reader who finds none, or few, should look."""
    everywhere = replace(scope, start=first_day, end=last_day)
    where = _pair_articles_where(con, everywhere, pair, topic, level, alias="p") \
        .add("p.day NOT BETWEEN ? AND ?", scope.start, scope.end)
    return _pair_article_days(con, where)


def pair_busiest_bucket(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None, level: str,
                        grain: str) -> int:
    """The most articles of the pair (as pair_totals counts them) in one day, week or month of scope; 0 for none."""
    where = _pair_articles_where(con, scope, pair, topic, level, alias="p")
    return con.execute(f"SELECT coalesce(max(articles), 0) FROM (SELECT count(*) AS articles FROM article_pairs p "
                       f"WHERE {where.sql()} GROUP BY {_bucket(grain, 'p.day')})", where.params).fetchone()[0]


def _pair_article_days(con: duckdb.DuckDBPyConnection, where: _Where) -> dict:
    """articles, first_day, last_day of the article_pairs rows (aliased `p`) `where` keeps."""
    articles, first_day, last_day = con.execute(f"SELECT count(*), min(p.day), max(p.day) FROM article_pairs p "
                                                f"WHERE {where.sql()}", where.params).fetchone()
    return {"articles": articles, "first_day": first_day, "last_day": last_day}


def pair_articles(con: duckdb.DuckDBPyConnection, scope: Scope, pair: str, topic: str | None = None,
                  limit: int = PAIR_ARTICLES_LIMIT, level: str = "article") -> pd.DataFrame:
    """day, dated, title, outlet, outlet_country, sentences, topics, url, article_id, published_at,
    published_as_written, revisions and last_revision_seen_at: articles co-mentioning the pair, with what a citation
    of one needs."""
    where = _pair_articles_where(con, scope, pair, topic, level, alias="p")
    revised, revisions, revised_params = article_revisions(con, "a", scope.as_of)
    return _df(con, f"SELECT p.day, {DATED.format('a')} AS dated, a.title, a.outlet, a.outlet_country, p.sentences, "
                    f"p.topics, a.url, p.article_id, a.published_at, {date_as_written(con, 'a')} AS {WRITTEN}, "
                    f"{revisions} FROM article_pairs p JOIN articles a USING (article_id) {revised} "
                    f"WHERE {where.sql()} ORDER BY p.day DESC, a.title LIMIT ?", [*revised_params, *where.params, limit])


# --- topics --------------------------------------------------------------------------------------------
def topic_country_matrix(con: duckdb.DuckDBPyConnection, scope: Scope, countries: list[str]) -> pd.DataFrame:
    """topic, iso3, articles: articles with the topic that mention the country."""
    where = _scoped(con, scope, scope.start, scope.end, day="t.day", article_id="t.article_id")
    return _df(con, f"""
        SELECT t.topic, c.iso3, count(*) AS articles
        FROM article_topics t JOIN article_countries c ON c.article_id = t.article_id AND c.day = t.day
        WHERE {where.sql()} AND c.iso3 {IN_LIST} GROUP BY ALL ORDER BY 1, 2""", [*where.params, list(countries)])


# --- articles ------------------------------------------------------------------------------------------
# The Articles page lists newest first: by day, within a day by the time published (else first seen), ties by id, so
# (day, time, article_id) orders every article and a page can start at one (keyset pagination). A page named by
# its first article keeps its articles when a new snapshot adds newer ones (an OFFSET page would slide), so the
# article opened from it stays listed.


def _list_time(alias: str) -> str:
    """When an article is listed within its day: its publication time when that filed it, else when first seen."""
    return f"coalesce(CASE WHEN {DATED.format(alias)} THEN {alias}.published_at END, {alias}.first_seen_at)"


SEARCH_ORDER = f"a.day DESC, {_list_time('a')} DESC, a.article_id DESC"
ArticleKey = tuple[date, str]  # (day, article_id): where a page of the list starts (its time is looked up)


def search_terms(text: str) -> list[str]:
    """The words of a search, and its "quoted phrases" whole (straight or curly quotes, spaces inside collapsed):
    unquoted words match in any order; quoted phrases match whole. A quote left open is dropped. Each term once, case
    aside: a search uses the first MAX_SEARCH_TERMS (each is one more scan of the titles, and texts, and a pasted
    paragraph of a hundred common words would take a hundred scans)."""
    terms: dict[str, str] = {}
    for phrase, word in _SEARCH_TERM.findall(text):
        term = " ".join(phrase.split()) if phrase else word.strip(_QUOTES)
        if term:
            terms.setdefault(term.lower(), term)
    return list(terms.values())


_QUOTES = '"“”'
_SEARCH_TERM = re.compile(f'[{_QUOTES}]([^{_QUOTES}]+)[{_QUOTES}]|(\\S+)')
MAX_SEARCH_TERMS = 10


def _search_where(con: duckdb.DuckDBPyConnection, scope: Scope, text: str, in_body: bool) -> _Where:
    """Articles in `scope` whose title (or text) holds every term of `text` (`search_terms`) as whole words, in any
    order, case aside; a term ending in "*" as the start of a word ("sanction*": sanctioned, sanctions). A term in a
    script that writes words together (Chinese, Japanese, Thai) or joins little words to them (Arabic's و and ال,
    Korean's particles) matches anywhere: "中国" in "中国和俄罗斯", "روسيا" in "وروسيا".

    Whole words only: "US" does not match inside "Russia". contains(lower()) still runs first (~2x faster than
    ILIKE) and the word-boundary regex only checks its hits. Body search costs more and is bounded by the scope's
    day range like every other filter.
    """
    where = _scoped(con, scope, scope.start, scope.end, day=ARTICLE_DAY, article_id="a.article_id")
    fields = ("a.title", "a.text") if in_body else ("a.title",)
    for term in search_terms(text)[:MAX_SEARCH_TERMS]:
        words, pattern = _term_pattern(term)
        match = "contains(lower({0}), lower(?))" + (" AND regexp_matches({0}, ?, 'i')" if pattern else "")
        params = [words, pattern] if pattern else [words]
        where.add("(" + " OR ".join(f"({match.format(field)})" for field in fields) + ")", *(params * len(fields)))
    return where


def _term_pattern(term: str) -> tuple[str, str | None]:
    """(the words of a search term, the RE2 pattern that finds them whole, or None where they match anywhere)."""
    prefix = term.endswith("*") and len(term) > 1
    words = term[:-1] if prefix else term
    if _JOINED_SCRIPTS.search(words):
        return words, None
    return words, _WORD_START + _re2_literal(words) + ("" if prefix else _WORD_END)


# Letters, their combining marks and digits of any script make a word (RE2's \b knows ASCII only and splits Cyrillic
# words; without the marks, "भारत" would match in "भारतीय").
_WORD_START, _WORD_END = r"(?:^|[^\pL\pM\pN_])", r"(?:$|[^\pL\pM\pN_])"
_JOINED_SCRIPTS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf"
                             "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")  # Arabic, Thai, kana, Han, Hangul
_RE2_SPECIAL = re.compile(r"([\\.^$|?*+()\[\]{}])")


def _re2_literal(text: str) -> str:
    return _RE2_SPECIAL.sub(r"\\\1", text)


def _newer_than(start: ArticleKey) -> tuple[str, list]:
    """The articles listed before `start` (SEARCH_ORDER), with its parameters."""
    start_at = f"(SELECT {_list_time('s')} FROM articles s WHERE s.day = ? AND s.article_id = ?)"
    return f"((a.day, {_list_time('a')}, a.article_id) > (?, {start_at}, ?))", [start[0], *start, start[1]]


def search_articles(con: duckdb.DuckDBPyConnection, scope: Scope, text: str, in_body: bool,
                    start: ArticleKey | None = None, limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """day, dated, date_quality, time, title, focus, outlet, outlet_country, language, language_read, url, article_id,
    claimed (CLAIMED), published_as_written (date_as_written): one page of the articles whose title (or text) holds the words of `text`
    (`_search_where`), newest first (SEARCH_ORDER: `time` within a day), from the article `start` on (None: the
    newest). `focus`: the countries the article is about, most salient first, so a list opened from a chart says why
    each article is in it.
    `language` is the one the article was read in, as the Languages filter matches it (`read_language`);
    `language_read`: none was declared, the tagger read it from the words (English when it found no other). The id,
    with the day, opens one article: `article_tags`."""
    where = _search_where(con, scope, text, in_body)
    if start is not None:
        newer, params = _newer_than(start)
        where.add(f"NOT {newer}", *params)
    join, language = read_language(con)
    # the page's ids first, then its columns: read beside the text of every article in the range, the columns took a
    # quarter of a search of 1M articles' texts
    return _df(con, f"WITH page AS MATERIALIZED (SELECT a.article_id, a.day FROM articles a WHERE {where.sql()} "
                    f"                          ORDER BY {SEARCH_ORDER} LIMIT ?), "
                    f"focus AS (SELECT c.article_id, list(c.iso3 ORDER BY c.salience DESC, c.iso3) AS focus "
                    f"          FROM article_countries c JOIN page ON c.article_id = page.article_id AND c.day = page.day "
                    # the page's days bound the scan: DuckDB skips the row groups of every other day (no key index)
                    f"          WHERE c.is_focus AND c.day BETWEEN (SELECT min(day) FROM page) "
                    f"                                         AND (SELECT max(day) FROM page) "
                    f"          GROUP BY c.article_id) "
                    f"SELECT {ARTICLE_DAY} AS day, {DATED.format('a')} AS dated, a.date_quality, "
                    f"{_list_time('a')} AS time, a.title, coalesce(focus.focus, []) AS focus, a.outlet, "
                    f"a.outlet_country, {language} AS language, "
                    f"a.language IS NULL AS language_read, a.url, a.article_id, {CLAIMED.format('a')} AS claimed, "
                    f"{date_as_written(con, 'a')} AS {WRITTEN} "
                    f"FROM page JOIN articles a ON a.article_id = page.article_id AND a.day = page.day {join} "
                    f"LEFT JOIN focus ON focus.article_id = a.article_id "
                    f"ORDER BY {SEARCH_ORDER}", [*where.params, limit])


def search_count(con: duckdb.DuckDBPyConnection, scope: Scope, text: str, in_body: bool,
                 start: ArticleKey | None = None) -> tuple[int, int]:
    """(articles `search_articles` lists over all its pages, how many of them come before `start`), in one scan."""
    where = _search_where(con, scope, text, in_body)
    newer, params = _newer_than(start) if start is not None else ("FALSE", [])
    total, before = con.execute(f"SELECT count(*), count(*) FILTER (WHERE {newer}) FROM articles a "
                                f"WHERE {where.sql()}", [*params, *where.params]).fetchone()
    return total, before


def search_page_start(con: duckdb.DuckDBPyConnection, scope: Scope, text: str, in_body: bool,
                      position: int) -> ArticleKey | None:
    """The article at `position` (0: the newest) of `search_articles`' list, where the page holding it starts; None
    past the end. Only a jump to a page reads past the rows before it (OFFSET); listing from it does not."""
    where = _search_where(con, scope, text, in_body)
    found = con.execute(f"SELECT {ARTICLE_DAY}, a.article_id FROM articles a WHERE {where.sql()} "
                        f"ORDER BY {SEARCH_ORDER} LIMIT 1 OFFSET ?", [*where.params, position]).fetchone()
    return (found[0], found[1]) if found else None


# Everything stored about one article, one query per table (its own row: article_tags). Each filters on the article's
# `day` too: the tables have no key index (migration 0005), and the day lets DuckDB skip the row groups of every other
# day (DEVELOPERS.md).
ARTICLE_TAG_QUERIES = {
    "countries": "SELECT iso3, is_focus, salience, mentions, tagger_version FROM article_countries "
                 "WHERE article_id = $article_id AND day = $day ORDER BY is_focus DESC, salience DESC, iso3",
    "mentions": "SELECT iso3, field, start_offset, end_offset, surface, kind FROM mentions "
                "WHERE article_id = $article_id AND day = $day ORDER BY field <> 'title', start_offset",
    "pair_sentences": f"""
        WITH own_mentions AS (SELECT * FROM mentions WHERE article_id = $article_id AND day = $day)
        -- iso_a, iso_b, field, sentence_index, sentence, topics, cue, listed since migration 0025, cue_words since 0042
        SELECT s.* EXCLUDE (article_id, day, start_offset, end_offset, tagger_version),
               {mention_spans_sql("s", "own_mentions")} AS spans
        FROM pair_sentences s WHERE s.article_id = $article_id AND s.day = $day
        ORDER BY s.field <> 'title', s.sentence_index, s.iso_a, s.iso_b""",
    # topic, score, hits, tagger_version, and raised since migration 0028
    "topics": "SELECT * EXCLUDE (article_id, day) FROM article_topics "
              "WHERE article_id = $article_id AND day = $day ORDER BY score DESC, topic",
    "topic_hits": "SELECT topic, field, start_offset, end_offset, surface FROM topic_hits "
                  "WHERE article_id = $article_id AND day = $day "
                  "ORDER BY topic, field <> 'title', start_offset, end_offset DESC",
    "read_language": "SELECT language FROM article_languages WHERE article_id = $article_id AND day = $day",
    # the pairs of two of its focus countries that no sentence names together, with the topics they count under
    "pairs_about_both": "SELECT iso_a, iso_b, topics FROM article_pairs "
                        "WHERE article_id = $article_id AND day = $day AND sentences = 0 ORDER BY iso_a, iso_b",
    # the versions its feeds served after the first capture, which the article keeps (migration 0057)
    "revisions": "SELECT seen_at, title, url, feed_id, text FROM article_revisions "
                 "WHERE article_id = $article_id AND day = $day ORDER BY seen_at, content_hash",
}
# Frames read from tables a snapshot published by an older version may lack: (table, the frame's columns).
NEWER_ARTICLE_TABLES = {"topic_hits": ("topic_hits", ["topic", "field", "start_offset", "end_offset", "surface"]),
                        "read_language": ("article_languages", ["language"]),
                        "revisions": ("article_revisions", ["seen_at", "title", "url", "feed_id", "text"])}


def article_brief(con: duckdb.DuckDBPyConnection, article_id: str, start: date, end: date) -> dict | None:
    """day, date_quality, claimed (CLAIMED), published_as_written, outlet, title of one article stored between `start`
    and `end` (the days prune the scan: articles has no key index), or None."""
    row = con.execute(f"SELECT day, date_quality, {CLAIMED.format('a')}, {date_as_written(con, 'a')}, outlet, title "
                      "FROM articles a WHERE day BETWEEN ? AND ? AND article_id = ?", [start, end, article_id]).fetchone()
    return dict(zip(("day", "date_quality", "claimed", WRITTEN, "outlet", "title"), row)) if row else None


def article_tags(con: duckdb.DuckDBPyConnection, article_id: str, day: date) -> dict[str, pd.DataFrame]:
    """One article (`article`: one row, none when unknown; its published_at beside claimed, for a dated one's date as
    read) and what the tagger stored for it, a frame per query of ARTICLE_TAG_QUERIES; `topic_hits` is empty on a
    snapshot published before migration 0021, `read_language` (the language the tagger read an article that
    declares none in) before 0024, `revisions` (its later versions) before 0057."""
    params = {"article_id": article_id, "day": day}
    found = {"article": _df(con, f"SELECT article_id, day, date_quality, {CLAIMED.format('a')} AS claimed, "
                                 f"published_at, {date_as_written(con, 'a')} AS {WRITTEN}, title, text, outlet, "
                                 "outlet_country, language, url FROM articles a "
                                 "WHERE article_id = $article_id AND day = $day", params)}
    for frame, sql in ARTICLE_TAG_QUERIES.items():
        table, columns = NEWER_ARTICLE_TABLES.get(frame, (None, []))
        if table and not has_table(con, table):
            found[frame] = pd.DataFrame(columns=columns)
        else:
            found[frame] = _df(con, sql, params)
    return found


# --- feeds ---------------------------------------------------------------------------------------------
# Worst first: the feeds that bring nothing (empty, stale) right after the ones that fail.
HEALTH_ORDER = ("failing", "gone", "degraded", "empty", "stale", "never polled", "paused", "disabled", "healthy")
FETCH_HISTORY_LIMIT = 50
# The columns feed_health puts first, before the measures and the feed's description
FEED_HEALTH_FIRST = ("health", "feed_id", "name", "health_reason", "last_status", "consecutive_failures",
                     "last_error", "last_success_at", "last_checked_at", "last_new_article_at")


def feed_fetches(con: duckdb.DuckDBPyConnection, feed_id: str, limit: int = FETCH_HISTORY_LIMIT) -> pd.DataFrame:
    """fetched_at, outcome, status_code, error, entries, new_articles, ms, bytes, url: one feed's latest fetches,
    newest first (the health view keeps only the last error; these show when a feed began failing, and how)."""
    return _df(con, "SELECT fetched_at, outcome, status_code, error, entries, new_articles, ms, bytes, url "
                    "FROM fetches WHERE feed_id = ? ORDER BY fetched_at DESC, run_id DESC LIMIT ?", [feed_id, limit])


def health_columns(con: duckdb.DuckDBPyConnection, columns: tuple[str, ...], alias: str = "v_feed_health") -> str:
    """v_feed_health's `columns` as a select list, each NULL under its name on a snapshot published before the
    migration that added it (0035: the reasons and the measures behind empty and stale; 0036: empty_since; 0047:
    pause_until)."""
    present = column_names(con, "v_feed_health")
    return ", ".join(f"{alias}.{column}" if column in present else f"NULL AS {column}" for column in columns)


def feed_health(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """v_feed_health, worst first; why (health_reason) and last_error beside the status, so they are visible
    without scrolling."""
    return _df(con, f"""
        SELECT {health_columns(con, FEED_HEALTH_FIRST)},
               round(items_per_day, 2) AS items_per_day, articles, outlet, outlet_country, url
        FROM v_feed_health
        ORDER BY list_position(?::VARCHAR[], health), consecutive_failures DESC, feed_id""", [list(HEALTH_ORDER)])
