"""The writer's warehouse: the single read-write DuckDB file, touched only by writing runs."""
from __future__ import annotations

import collections
import contextlib
import itertools
import json
import math
import os
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator, Mapping, NamedTuple, Sequence

import duckdb

from ..home import sync_directory
from ..tagging.stories import StoredCopy, first_copies
from .arrow_io import columns_of, insert_rows, registered
from .comments import all_comments, restore_lost_comments
from .compact import SpaceUse, copy_database, space_use
from .errors import StoreError, WarehouseLocked
from .migrate import migrate, schema_version
from .queries import FETCH_HISTORY_LIMIT
from .transaction import atomic

ARTICLE_COLUMNS = (
    "article_id", "article_key", "url", "title", "text", "published_at", "published_as_written", "first_seen_at", "day",
    "date_quality", "outlet", "outlet_country", "language", "content_hash", "title_key", "run_id",
)
ARTICLE_FEED_COLUMNS = ("article_id", "feed_id", "day", "first_seen_at", "run_id")
ARTICLE_REVISION_COLUMNS = ("article_id", "day", "run_id", "feed_id", "seen_at", "title", "text", "url", "content_hash")
FEED_SPEC_COLUMNS = ("feed_id", "url", "name", "outlet", "outlet_country", "language", "tier", "tags", "enabled")
FEED_STATE_COLUMNS = (
    "feed_id", "url", "etag", "last_modified", "body_hash", "last_full_fetch_at", "last_status", "last_http_status",
    "last_error",
    "consecutive_failures", "last_success_at", "last_checked_at", "next_check_at", "gone", "key_mode", "fetched_url",
    "pause_until",
)
FETCH_COLUMNS = ("run_id", "feed_id", "fetched_at", "url", "status_code", "outcome", "bytes", "ms",
                 "error", "entries", "new_articles")
RUN_COLUMNS = ("run_id", "kind", "started_at", "finished_at", "status", "feeds_polled", "not_modified",
               "failures", "new_articles", "duplicates", "seconds", "tagger_version", "error")
# DuckDB's default buffer pool is 80 % of RAM and keeps every block it touched, so the writer's memory would
# grow with the warehouse (1.15 GiB at 1M articles). A run needs a few tens of MB; colder blocks are re-read.
WRITER_MEMORY_LIMIT = "256MB"
# At the default 16 MB of write-ahead log a bulk load checkpoints after nearly every 5,000-article run;
# publish() checkpoints before each snapshot anyway. Importing 400k articles: 16 MB 2,869/s, 64 MB 3,660/s;
# more log holds more unwritten blocks in the buffer pool, for no further gain.
WRITER_CHECKPOINT_THRESHOLD = "64MB"
# A retag's queries over every article (the stories of their keys, what it changed) read this many articles at a time:
# 995k at once ran out of WRITER_MEMORY_LIMIT, in the stories' query and in the count of the tagger versions replaced.
RETAG_ARTICLES_A_QUERY = 100_000
# A run's tags up to this size (_tag_bytes) go in with its one transaction; larger ones are staged in chunks of about
# it. Staging every 500 articles (e2b93f6) cost the 1M import a commit, and a staging table made and dropped, ten
# times per 5,000-record batch: half its wall time, 2,911 articles/s against 3,000.
TAG_BYTES_A_TRANSACTION = 16 << 20
# What a derived row of short cells (ids, codes, offsets, a matched phrase) holds in a transaction, its text aside
_TAG_ROW_BYTES = 100
# Polling state a feed starts from when its URL changes (SQL literals): due now, no validators, no backoff.
_NEW_URL_STATE = {"etag": "NULL", "last_modified": "NULL", "body_hash": "NULL", "last_full_fetch_at": "NULL",
                  "consecutive_failures": "0", "next_check_at": "NULL", "gone": "FALSE", "fetched_url": "NULL",
                  "pause_until": "NULL"}
# The fetches before $cutoff that nothing reads for a feed's present state. Kept whatever their age, for each feed:
# its last $history fetches (the Feeds page's history, its last fetch first); the one v_feed_health's last_served
# finds (its last fetch that served entries) and every fetch after it, or all of them when none served entries (the
# view counts empty_fetches and empty_since over those); its first fetch and its first in an ingest run
# (queries.feed_changes: the day it was 'added', and whether it was ever polled). Nothing refers to a fetch row.
_DROP_OLD_FETCHES = """
DELETE FROM fetches WHERE rowid IN (
    WITH placed AS (
        SELECT f.rowid AS row_id, f.fetched_at, f.run_id,
               row_number() OVER (PARTITION BY f.feed_id ORDER BY f.fetched_at DESC, f.run_id DESC) AS newness,
               max(f.run_id) FILTER (WHERE f.outcome = 'ok' AND f.entries > 0) OVER feed AS last_served_run,
               min(f.fetched_at) OVER feed AS first_fetched_at,
               min(f.fetched_at) FILTER (WHERE r.kind = 'ingest') OVER feed AS first_ingest_fetched_at
        FROM fetches f LEFT JOIN runs r USING (run_id)
        WINDOW feed AS (PARTITION BY f.feed_id))
    SELECT row_id FROM placed
    WHERE fetched_at < $cutoff AND newness > $history
      AND run_id < last_served_run  -- NULL (never served entries): kept
      AND fetched_at <> first_fetched_at AND fetched_at IS DISTINCT FROM first_ingest_fetched_at)"""
DERIVED_TABLES = ("mentions", "article_countries", "article_topics", "topic_hits", "pair_sentences", "article_pairs",
                  "article_languages", "article_stories")


class _Facet(NamedTuple):
    """One thing a retag compares (`Warehouse._staged_changes`): the rows of `table` (`where` filters them), each
    counting its `unit` (the columns naming an article or a pair sentence) under `key`, an SQL expression (it may
    unnest a list: a row per value)."""

    table: str
    unit: str
    key: str
    where: str = "TRUE"


class _FacetChange(NamedTuple):
    units: int  # units whose keys differ
    moved: dict[str, int]  # the MOVED_SHOWN keys gaining or losing the most units: key -> units gained (negative: lost)


_PAIR = "iso_a || '-' || iso_b"
# a pair's topics as v_pair_topic_daily, the alert series and the Pair explorer count them: none is '(none)'
_PAIR_TOPIC = f"{_PAIR} || ' ' || unnest(CASE WHEN len(topics) = 0 THEN ['(none)'] ELSE topics END)"
# a pair sentence: one starting where it did is the same, whatever a new sentence break did to its end
_PAIR_SENTENCE = "article_id, iso_a, iso_b, field, start_offset"
_COUNTRIES = _Facet("article_countries", "article_id", "iso3")
_PAIRS = _Facet("article_pairs", "article_id", _PAIR)
_TOPICS = _Facet("article_topics", "article_id", "topic")
_PAIR_TOPICS = _Facet("article_pairs", "article_id", _PAIR_TOPIC)
_SENTENCE_TOPICS = _Facet("pair_sentences", _PAIR_SENTENCE, _PAIR_TOPIC)
_SENTENCE_CUES = _Facet("pair_sentences", _PAIR_SENTENCE, f"{_PAIR} || ' ' || cue", "cue IS NOT NULL")
# how many articles and pair sentences a retag changes, per aspect: those whose keys differ
_CHANGED_FACETS = {
    "articles_changed": {"countries": _COUNTRIES, "focus": _COUNTRIES._replace(where="is_focus"),
                         "pairs": _PAIRS, "topics": _TOPICS, "pair_topics": _PAIR_TOPICS},
    "sentences_changed": {"topics": _SENTENCE_TOPICS, "cues": _SENTENCE_CUES}}
# what a retag reports moving most: the keys gaining or losing the most articles or pair sentences
_MOVED_FACETS = {"country_articles_changed": _COUNTRIES, "pair_articles_changed": _PAIRS,
                 "topic_articles_changed": _TOPICS, "pair_topic_articles_changed": _PAIR_TOPICS,
                 "pair_topic_sentences_changed": _SENTENCE_TOPICS, "pair_cue_sentences_changed": _SENTENCE_CUES}
MOVED_SHOWN = 10
STAGING_SUFFIX = "__retag"  # derived rows staged batch by batch, named before runs staged theirs too: retag swaps
# its tables in, a run moves its rows in
# DuckDB has no exception class of its own for a file another process holds, only this IOException message.
DUCKDB_LOCK_CONFLICT = "Could not set lock on file"


def _enabled_at(enabled: str, now: str) -> str:
    """feeds.enabled_at as a write setting feeds.enabled to the SQL `enabled` leaves it: `now` when that enables a
    disabled feed, else as it was. `status --check --max-broken` counts a broken feed from no earlier: a feed
    enabled again after months disabled has not been broken all that time."""
    return f"CASE WHEN {enabled} AND NOT feeds.enabled THEN {now} ELSE feeds.enabled_at END"


class StoredArticle(NamedTuple):
    """What ingest needs of an article stored already: its day (its links are filed on it) and its first capture's
    content hash (a different one is a later version of it)."""

    day: date
    content_hash: str


class GuidHolder(NamedTuple):
    """The story an opaque GUID key holds: its link, title and text, and the feeds that carried it."""

    url: str | None
    title: str | None
    text: str | None
    feeds: tuple[str, ...]


class KnownVersions(NamedTuple):
    """Of a stored article: the content hashes of the versions recorded in article_revisions, and the feeds that
    carried it (article_feeds)."""

    hashes: list[str]
    feeds: list[str]


class TitledStory(NamedTuple):
    """An article the same-story rule compares a new one with (same outlet and normalized title)."""

    when: datetime  # published, else first seen
    text: str
    article_id: str
    day: date


class StoredPage(NamedTuple):
    """A stored article at a link a new one has: the same-page and same-link rules compare them."""

    url: str
    title: str | None
    keyed_by_link: bool  # its key is its link's URL ("url:" + url), not an opaque GUID or another URL
    story: TitledStory


def open_error(path: Path, exc: Exception) -> StoreError:
    if isinstance(exc, duckdb.IOException) and DUCKDB_LOCK_CONFLICT in str(exc):
        # DuckDB goes on to advise opening the file read-only, which would lock the next writer out just the same
        holder = str(exc).split(" However, ", 1)[0]
        return WarehouseLocked(f"another process holds the warehouse {path} open ({holder}); readers open the "
                               "published pactwatch.duckdb beside it, never this file")
    return StoreError(f"cannot open the warehouse {path}: {exc}")


def discard_warehouse(path: Path) -> None:
    """Delete a closed writer file, its log first (a log left behind would be replayed onto the next file of that
    name). Only for one holding the demo's synthetic data alone: `demo` starting a demo over (demo_home)."""
    for file in (Path(f"{path}.wal"), path):
        file.unlink(missing_ok=True)
    sync_directory(path.parent)


class Warehouse:
    """Read-write access for one writing process (the home's writer lock guarantees there is only one)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tag_bytes_a_transaction = TAG_BYTES_A_TRANSACTION
        self._connect()

    def _connect(self) -> None:
        try:
            self.con = duckdb.connect(str(self.path))
            self.con.execute("SET TimeZone = 'UTC'")  # days and timestamps are UTC whatever the host says
            self.con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
            self.con.execute(f"SET checkpoint_threshold = '{WRITER_CHECKPOINT_THRESHOLD}'")
            self.con.execute("SET enable_progress_bar = false")  # a long statement would draw into the logfmt on stderr
            before = schema_version(self.con)
            after = migrate(self.con)
            # (from, to) when this open upgraded an existing file, for the command to say so; a new file is created
            self.migrated = (before, after) if 0 < before < after else None
            self.drop_staging()
            self._remove_compaction_files()
        except (duckdb.Error, OSError) as exc:
            raise open_error(self.path, exc) from exc

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing; an I/O failure (disk full) becomes a StoreError after the rollback."""
        try:
            with atomic(self.con):
                yield self.con
        # A COMMIT that cannot write its log reports a TransactionException, not an IOException.
        except (duckdb.IOException, duckdb.FatalException, duckdb.TransactionException, OSError) as exc:
            message = f"could not write the warehouse {self.path}: {exc}; nothing of this run was stored"
            raise StoreError(message) from exc

    # --- reads the writer needs -------------------------------------------------------------
    def scalar(self, sql: str, params: Sequence = ()):
        return self.con.execute(sql, list(params)).fetchone()[0]

    def next_run_id(self) -> int:
        return self.scalar("SELECT coalesce(max(run_id), 0) + 1 FROM runs")

    def record_restore(self, restored_from: str, replaced: Mapping | None) -> int:
        """Record a restore into this warehouse as a run numbered after every run of the one it replaces (`replaced`:
        its last run, None when unknown): run ids never repeat in a home, so a view pinned to a run (`as_of`) never
        counts other articles, and snapshot clean-up knows the replaced runs were let go (`collect_garbage`)."""
        run_id = max(self.next_run_id(), ((replaced or {}).get("last_run") or 0) + 1)
        now = datetime.now(timezone.utc)
        run = {name: 0 for name in RUN_COLUMNS} | {
            "run_id": run_id, "kind": "restore", "started_at": now, "finished_at": now, "status": "completed",
            "seconds": None, "tagger_version": self.meta("tagger_version"), "error": None,
            "details": json.dumps({"restored_from": restored_from, "replaced": replaced})}
        with self.transaction():
            insert_rows(self.con, "runs", columns_of([run], (*RUN_COLUMNS, "details")))
        return run_id

    def runs_since(self, run_id: int) -> dict[str, int]:
        """The runs committed from `run_id` on (one writer holds the home: they are its own), and what they stored."""
        runs, new, duplicates = self.con.execute(
            "SELECT count(*), coalesce(sum(new_articles), 0), coalesce(sum(duplicates), 0) FROM runs WHERE run_id >= ?",
            [run_id]).fetchone()
        return {"runs": runs, "new": int(new), "duplicates": int(duplicates)}

    def feed_rows(self, enabled_only: bool = False) -> list[dict]:
        """Every feed's spec (outlet, country, language: stamped on its articles) and polling state."""
        columns = FEED_SPEC_COLUMNS + FEED_STATE_COLUMNS[2:] + ("key_scope", "listed_url")
        where = " WHERE enabled" if enabled_only else ""
        rows = self.con.execute(f"SELECT {', '.join(columns)} FROM feeds{where} ORDER BY feed_id").fetchall()
        return [dict(zip(columns, row)) for row in rows]

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def stored_articles(self, article_ids: Sequence[str]) -> dict[str, StoredArticle]:
        """article_id -> (day, content_hash) of those of `article_ids` already stored."""
        if not article_ids:
            return {}
        rows = self.con.execute("SELECT article_id, day, content_hash FROM articles "
                                "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                                [sorted(set(article_ids))]).fetchall()
        return {article_id: StoredArticle(day, digest) for article_id, day, digest in rows}

    def guid_holders(self, article_ids: Sequence[str]) -> dict[str, GuidHolder]:
        """article_id -> link, title, text and feeds of those of `article_ids` already stored."""
        if not article_ids:
            return {}
        # the articles first, then their links on their days (a link is filed on its article's day): joined on the
        # id alone, DuckDB read every link, 112 against 56 ms for 50 ids at 1M
        rows = self.con.execute(
            "WITH held AS MATERIALIZED (SELECT article_id, day, url, title, text FROM articles "
            "                           WHERE article_id IN (SELECT unnest(?::VARCHAR[]))) "
            "SELECT h.article_id, any_value(h.url), any_value(h.title), any_value(h.text), "
            "coalesce(list(f.feed_id ORDER BY f.feed_id) FILTER (WHERE f.feed_id IS NOT NULL), []) "
            "FROM held h LEFT JOIN article_feeds f ON f.article_id = h.article_id AND f.day = h.day "
            "GROUP BY h.article_id", [list(article_ids)]).fetchall()
        return {article_id: GuidHolder(url, title, text, tuple(feeds)) for article_id, url, title, text, feeds in rows}

    def known_versions(self, articles: Mapping[str, date]) -> dict[str, KnownVersions]:
        """article_id -> its recorded revisions' hashes and the feeds that carried it, for stored `articles` (id ->
        day: the day lets DuckDB skip the row groups of every other day, as the tables have no key index)."""
        ids = sorted(articles)
        rows = self.con.execute(
            "SELECT a.article_id, "
            "coalesce((SELECT list(r.content_hash ORDER BY r.seen_at) FROM article_revisions r "
            "          WHERE r.article_id = a.article_id AND r.day = a.day), []), "
            "coalesce((SELECT list(f.feed_id ORDER BY f.feed_id) FROM article_feeds f "
            "          WHERE f.article_id = a.article_id AND f.day = a.day), []) "
            "FROM (SELECT unnest(?::VARCHAR[]) AS article_id, unnest(?::DATE[]) AS day) a",
            [ids, [articles[article_id] for article_id in ids]]).fetchall()
        return {article_id: KnownVersions(hashes, feeds) for article_id, hashes, feeds in rows}

    def stored_contents(self, article_ids: Sequence[str]) -> dict[str, tuple[str | None, str]]:
        """article_id -> (title, content_hash) of those of `article_ids` already stored."""
        if not article_ids:
            return {}
        rows = self.con.execute("SELECT article_id, title, content_hash FROM articles "
                                "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                                [sorted(set(article_ids))]).fetchall()
        return {article_id: (title, digest) for article_id, title, digest in rows}

    def stored_pages(self, links: Sequence[str], first_day, last_day) -> list[StoredPage]:
        """The stored articles with one of `links` and a day in [first_day, last_day], for the same-page and
        same-link rules (the lookup reads only the days around the batch)."""
        rows = self.con.execute(
            "SELECT url, title, article_key = 'url:' || url, coalesce(published_at, first_seen_at), text, article_id, "
            "day FROM articles WHERE day BETWEEN ? AND ? AND url IN (SELECT unnest(?::VARCHAR[]))",
            [first_day, last_day, sorted(set(links))]).fetchall()
        return [StoredPage(url, title, keyed_by_link, TitledStory(*story)) for url, title, keyed_by_link, *story in rows]

    def keys_by_feed_link(self, links_by_feed: Mapping[str, Collection[str]]) -> dict[str, dict[str, list[str]]]:
        """feed_id -> url -> article_keys of the feed's stored articles under each of its `links_by_feed` (several
        items may share a link), to notice GUIDs that change while links stay: one query for all the feeds of a run,
        as it reads the link of every stored article."""
        pairs = sorted((feed_id, url) for feed_id, urls in links_by_feed.items() for url in urls)
        if not pairs:
            return {}
        # the linked articles first, a few, then the feeds' links of those: joined the other way, DuckDB matched all a
        # feed's articles (100,000 of 1M) before the links, 1.5x the time
        rows = self.con.execute(
            "WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS feed_id, unnest(?::VARCHAR[]) AS url), "
            "linked AS MATERIALIZED (SELECT article_id, url, article_key FROM articles "
            "                        WHERE url IN (SELECT url FROM wanted)) "
            "SELECT af.feed_id, l.url, list(l.article_key) FROM linked l JOIN article_feeds af USING (article_id) "
            "JOIN wanted w ON w.feed_id = af.feed_id AND w.url = l.url GROUP BY af.feed_id, l.url",
            [[feed_id for feed_id, _ in pairs], [url for _, url in pairs]]).fetchall()
        found: dict[str, dict[str, list[str]]] = {}
        for feed_id, url, keys in rows:
            found.setdefault(feed_id, {})[url] = keys
        return found

    def stored_by_title_key(self, title_keys: Sequence[str], first_day,
                               last_day) -> dict[str, list[TitledStory]]:
        """The stories of stored articles sharing a title key with days in [first_day, last_day]
        (the 7-day rule's reach), so the lookup reads only the days around the batch however large the warehouse
        grows."""
        wanted = sorted({key for key in title_keys if key is not None})
        if not wanted:
            return {}
        rows = self.con.execute(
            "SELECT title_key, coalesce(published_at, first_seen_at), text, article_id, day FROM articles "
            "WHERE day BETWEEN ? AND ? AND title_key IN (SELECT unnest(?::VARCHAR[]))",
            [first_day, last_day, wanted]).fetchall()
        found: dict[str, list[TitledStory]] = {}
        for key, *story in rows:
            found.setdefault(key, []).append(TitledStory(*story))
        return found

    # --- writes --------------------------------------------------------------------------------
    def set_meta(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]
        )

    def register_feeds(self, specs: Sequence[Mapping], now: datetime) -> None:
        """Add new feeds and overwrite the spec columns of known ones with `specs` (complete rows), whose URL is kept
        as the listed one (listed_url). Polling state is kept, except when the URL is another than the feed's listed
        or current one: the old document's validators, backoff and 410 say nothing about the new one, which is
        polled at the next run. The listed URL again keeps the current one a permanent redirect moved the feed to
        (migration 0040): a list registered at every run must not undo the move. A new feed's key scope is its outlet's (the
        scope the outlet's other feeds key their articles under, so that one item is stored once; else the
        outlet, else its id), and it is never refreshed: renaming the outlet must not re-key the articles
        (migrations 0013, 0018). One statement: a command killed on the way stored all of `specs` or none."""
        if not specs:
            return
        scopes = self._key_scopes_of_outlets([spec["outlet"] for spec in specs if spec["outlet"]])
        rows = [{**spec, "added_at": now, "key_scope": scopes.get(spec["outlet"]) or spec["outlet"] or spec["feed_id"]}
                for spec in specs]
        columns = columns_of(rows, FEED_SPEC_COLUMNS + ("added_at", "key_scope"))
        columns["tags"] = [list(tags or ()) for tags in columns["tags"]]
        columns["listed_url"] = columns["url"]
        known_url = "excluded.url IN (feeds.url, feeds.listed_url)"
        refreshed = [f"{c} = excluded.{c}" for c in FEED_SPEC_COLUMNS[1:] if c != "url"]
        refreshed.append(f"enabled_at = {_enabled_at('excluded.enabled', 'excluded.added_at')}")
        refreshed += ["listed_url = excluded.listed_url",
                      f"url = CASE WHEN {known_url} THEN feeds.url ELSE excluded.url END"]
        refreshed += [f"{c} = CASE WHEN {known_url} THEN feeds.{c} ELSE {value} END"
                      for c, value in _NEW_URL_STATE.items()]
        with self.transaction():  # a commit the disk refuses ("feeds add" on a full disk) is a StoreError, in words
            insert_rows(self.con, "feeds", columns,
                        on_conflict=f"ON CONFLICT (feed_id) DO UPDATE SET {', '.join(refreshed)}")

    def _key_scopes_of_outlets(self, outlets: Sequence[str]) -> dict[str, str]:
        """outlet -> the key scope its known feeds use (the earliest added, should a rename have left two)."""
        rows = self.con.execute("SELECT outlet, arg_min(key_scope, added_at) FROM feeds "
                                "WHERE outlet IN (SELECT unnest(?::VARCHAR[])) GROUP BY outlet",
                                [sorted(set(outlets))]).fetchall()
        return dict(rows)

    def set_feed_enabled(self, feed_id: str, enabled: bool) -> bool:
        with self.transaction():  # a commit the disk refuses is a StoreError, said in words
            changed = self.con.execute(
                f"UPDATE feeds SET enabled = ?, enabled_at = {_enabled_at('?', 'now()')} WHERE feed_id = ? "
                "RETURNING feed_id", [enabled, enabled, feed_id]
            ).fetchall()
        return bool(changed)

    def enable_feed(self, feed_id: str) -> bool | None:
        """Enable a feed, and give a gone one (HTTP 410) another try: no longer gone, due at the next run. An operator
        enabling it says the 410 is over; nothing else would ever clear it, short of a new URL. None: no such feed;
        else whether it was gone."""
        with self.transaction():
            row = self.con.execute("SELECT gone FROM feeds WHERE feed_id = ?", [feed_id]).fetchone()
            self.con.execute(f"UPDATE feeds SET enabled = TRUE, enabled_at = {_enabled_at('TRUE', 'now()')}, "
                             "gone = FALSE, next_check_at = CASE WHEN gone THEN NULL ELSE next_check_at END "
                             "WHERE feed_id = ?", [feed_id])
        return None if row is None else row[0]

    def write_run(self, run: Mapping | Callable[[], Mapping], *, fetches: Sequence[Mapping] = (),
                  feed_states: Sequence[Mapping] = (), articles: Sequence[Mapping] = (),
                  article_feeds: Sequence[Mapping] = (), derived: Iterable[Mapping[str, Mapping[str, list]]] = (),
                  revisions: Sequence[Mapping] = ()) -> None:
        """Commit one run atomically: articles, tags, later versions of stored articles (`revisions`, rows of
        article_revisions), feed state and the run record together.

        Feed validators (ETag, body hash) commit with the articles they vouch for, so a crash can
        never leave a 304 hiding articles that were not stored.

        The tags come in batches (`derived`), merged up to `tag_bytes_a_transaction` (_merged_up_to). Tags within
        that (every run of ordinary articles: 5,000 demo items make 8 MB) go in with the run. Larger ones are
        committed to staging tables of their own a chunk at a time as they come: DuckDB keeps what one transaction
        inserts row by row in memory, and a feed dense with country names makes tags many times its text (one 15 MB
        feed: 1.4 GB); the run's transaction then moves them in, inside DuckDB. Staging costs a commit per chunk and
        leaves its blocks free in the file, which every snapshot copies until they are reused or compacted: not worth
        it for tags that fit. `run` is the run record, or a function that makes it once the tags are in (so that its
        timing includes them).
        """
        rows = {"articles": articles, "article_feeds": article_feeds, "fetches": fetches, "feed_states": feed_states,
                "revisions": revisions}
        batches = _merged_up_to(derived, self.tag_bytes_a_transaction)
        first = next(batches, None)
        second = next(batches, None) if first is not None else None
        if second is None:
            self._commit_run(run, rows, lambda: self._insert_derived(first or {}))
            return
        with self._staged(itertools.chain((first, second), batches)):
            self._commit_run(run, rows, self._move_in_staging)

    def _commit_run(self, run: Mapping | Callable[[], Mapping], rows: Mapping[str, Sequence[Mapping]],
                    insert_tags: Callable[[], None]) -> None:
        with self.transaction():
            insert_rows(self.con, "articles", columns_of(rows["articles"], ARTICLE_COLUMNS))
            self._insert_article_feeds(rows["article_feeds"])
            insert_rows(self.con, "article_revisions", columns_of(rows["revisions"], ARTICLE_REVISION_COLUMNS))
            insert_tags()
            self._resolve_stories("article_stories", [row["article_id"] for row in rows["articles"]])
            insert_rows(self.con, "fetches", columns_of(rows["fetches"], FETCH_COLUMNS))
            self._update_feed_states(rows["feed_states"])
            insert_rows(self.con, "runs", columns_of([run() if callable(run) else run], RUN_COLUMNS))

    def _retag_shares(self) -> int:
        """How many shares of the articles a retag's queries over all of them read one at a time."""
        return max(1, math.ceil(self.article_count() / RETAG_ARTICLES_A_QUERY))

    def _resolve_all_stories(self, table: str) -> None:
        """_resolve_stories for every article of `table` (a retag's staged tags), the story keys of one share of the
        articles at a time, each share committed (a run's new articles never come near the memory limit)."""
        shares = self._retag_shares()
        for part in range(shares):
            with self.transaction():
                self._resolve_stories(table, part=(part, shares))

    def _resolve_stories(self, table: str, article_ids: Sequence[str] | None = None,
                         part: tuple[int, int] = (0, 1)) -> None:
        """Give each article of `table` whose story key another article shares (of `article_ids` only, when given: a
        run's new articles; of the keys in `part`, (i, n): those whose hash is i modulo n) its story, as `first_copies`
        decides it from the articles with its key in the order they were stored (run, day, article_id): those of
        earlier runs are decided already, and an article stored later is never before them, so a run leaves their
        stories as they were, and a retag replaying all decides them alike."""
        if article_ids is not None and not article_ids:
            return
        # copies are counted for the run's keys only: grouping every key of 1M articles took twice as long each run
        new = "TRUE" if article_ids is None else "t.article_id IN (SELECT unnest($ids::VARCHAR[]))"
        in_share, params = _share("story_key", part)
        if article_ids is not None:
            params["ids"] = list(article_ids)
        result = self.con.execute(f"""
            WITH fresh AS (SELECT DISTINCT story_key FROM {table} t
                           WHERE story_key IS NOT NULL AND {new} AND {in_share}),
            wanted AS (SELECT story_key FROM {table} JOIN fresh USING (story_key) GROUP BY story_key HAVING count(*) > 1)
            SELECT t.story_key, t.article_id, t.day, t.story_id, NOT ({new}) AS decided
            FROM {table} t JOIN wanted USING (story_key) JOIN articles a ON a.article_id = t.article_id AND a.day = t.day
            ORDER BY t.story_key, a.run_id, t.day, t.article_id""", params)
        copies = (StoredCopy(*row) for rows in iter(lambda: result.fetchmany(10_000), []) for row in rows)
        # every undecided article starts as its own story (tag_rows): only the copies of an earlier one change
        found = [(article_id, story) for article_id, story in first_copies(copies) if story != article_id]
        if found:
            with registered(self.con, {"article_id": [a for a, _ in found], "story_id": [s for _, s in found]}) \
                    as (relation, _):
                self.con.execute(f"UPDATE {table} t SET story_id = r.story_id FROM {relation} r "
                                 "WHERE t.article_id = r.article_id")

    def _insert_derived(self, tables: Mapping[str, Mapping[str, list]]) -> None:
        for table, columns in tables.items():
            insert_rows(self.con, table, columns)
        if "article_countries" in tables:
            insert_rows(self.con, "aggregate_dirty_days", {"day": sorted(set(tables["article_countries"]["day"]))})

    @contextmanager
    def _staged(self, batches: Iterable[Mapping[str, Mapping[str, list]]]) -> Iterator[None]:
        """The batches in the staging tables, each committed on its own; the tables are dropped whatever follows."""
        self.drop_staging()
        self._create_staging()
        try:
            for tables in batches:
                with self.transaction():
                    for table, columns in tables.items():
                        insert_rows(self.con, table + STAGING_SUFFIX, columns)
            yield
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # the failure to report is the first; opening drops leftovers
                self.drop_staging()
            raise
        self.drop_staging()

    def _move_in_staging(self) -> None:
        for table in DERIVED_TABLES:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {table}{STAGING_SUFFIX}")
        self.con.execute(f"INSERT INTO aggregate_dirty_days SELECT DISTINCT day FROM article_countries{STAGING_SUFFIX}")

    def _insert_article_feeds(self, rows: Sequence[Mapping]) -> None:
        """Links not stored yet (the table has no key index to conflict on; see migration 0005)."""
        if not rows:
            return
        with registered(self.con, columns_of(rows, ARTICLE_FEED_COLUMNS)) as (relation, names):
            listed = ", ".join(names)
            self.con.execute(f"INSERT INTO article_feeds ({listed}) SELECT {listed} FROM {relation} b "
                             "ANTI JOIN article_feeds af ON af.article_id = b.article_id AND af.feed_id = b.feed_id")

    def _update_feed_states(self, states: Sequence[Mapping]) -> None:
        if not states:
            return
        assignments = ", ".join(f"{c} = b.{c}" for c in FEED_STATE_COLUMNS[1:])
        with registered(self.con, columns_of(states, FEED_STATE_COLUMNS)) as (relation, _):
            self.con.execute(f"UPDATE feeds SET {assignments} FROM {relation} b WHERE feeds.feed_id = b.feed_id")

    # --- retagging ---------------------------------------------------------------------------
    def article_count(self) -> int:
        return self.scalar("SELECT count(*) FROM articles")

    def replace_derived(self, batches: Iterable[Mapping[str, Mapping[str, list]]],
                        finish_run: Callable[[], Mapping]) -> dict:
        """Swap every derived table's contents for `batches`. The new rows go into staging tables, each chunk of
        `tag_bytes_a_transaction` committed on its own so memory stays flat however large the warehouse; one short
        transaction then swaps them in, so readers and a crash see the old tables or the new ones, never a mix.

        `finish_run` is called once the batches are consumed and returns the run record committed with the swap.
        Returns what the swap changed (`_staged_changes`).
        """
        with self._staged(_merged_up_to(batches, self.tag_bytes_a_transaction)):
            self._resolve_all_stories(f"article_stories{STAGING_SUFFIX}")
            changes = self._staged_changes()
            # the run keeps what it changed: the swap leaves no old tags to compare with
            self._swap_in_staging({**finish_run(), "details": json.dumps(changes)})
        return changes

    def _staged_changes(self) -> dict:
        """The staged tags against the stored ones: the versions they replace (articles tagged by each), how many
        articles and pair sentences differ in each aspect (`_CHANGED_FACETS`), and the keys gaining or losing the
        most of them (`_MOVED_FACETS`): what a seed edit did, which the swap leaves nothing to compare with
        afterwards."""
        shares = self._retag_shares()
        replaced: collections.Counter[str] = collections.Counter()
        for part in range(shares):  # each article in one share alone, so its distinct count is the shares' sum
            in_share, params = _share("article_id", (part, shares))
            replaced.update(dict(self.con.execute(
                "SELECT tagger_version, count(DISTINCT article_id) FROM (SELECT article_id, tagger_version "
                "FROM article_countries UNION ALL SELECT article_id, tagger_version FROM article_topics) "
                f"WHERE {in_share} GROUP BY tagger_version", params).fetchall()))
        facets = {*_MOVED_FACETS.values(), *(facet for named in _CHANGED_FACETS.values() for facet in named.values())}
        found = {facet: self._facet_change(facet, shares) for facet in facets}
        changed = {name: {aspect: found[facet].units for aspect, facet in named.items()}
                   for name, named in _CHANGED_FACETS.items()}
        moved = {name: found[facet].moved for name, facet in _MOVED_FACETS.items()}
        return {"replaced": dict(sorted(replaced.items(), key=lambda item: (-item[1], item[0]))), **changed, **moved}

    def _facet_change(self, facet: _Facet, shares: int) -> _FacetChange:
        """What the staged tags change of `facet`, from its distinct rows (unit, key) found in one of the two tables
        only: a key's rows gained less those lost are the units it gains, and the units with any such row are those
        changed. Only the rows that differ are grouped (at 200,000 articles, grouping every unit's keys and every
        key's units of both tables took four times as long), one of `shares` of the articles at a time."""
        units, gained = 0, collections.Counter()
        for part in range(shares):  # each unit is an article's, so in one share alone
            in_share, params = _share("article_id", (part, shares))
            stored = _facet_rows(facet, facet.table, in_share)
            staged = _facet_rows(facet, facet.table + STAGING_SUFFIX, in_share)
            changed, keys, deltas = self.con.execute(
                f"WITH diff AS MATERIALIZED (SELECT *, -1 AS sign FROM (({stored}) EXCEPT ({staged})) "
                f"                           UNION ALL SELECT *, 1 AS sign FROM (({staged}) EXCEPT ({stored}))), "
                "moved AS (SELECT k, sum(sign) AS delta FROM diff GROUP BY k HAVING delta <> 0) "
                f"SELECT (SELECT count(DISTINCT ({facet.unit})) FROM diff), "
                "(SELECT coalesce(list(k), []) FROM moved), (SELECT coalesce(list(delta), []) FROM moved)",
                params).fetchone()
            units += changed
            gained.update(dict(zip(keys, map(int, deltas))))
        most = sorted((key for key, delta in gained.items() if delta), key=lambda key: (-abs(gained[key]), key))
        return _FacetChange(units, {key: gained[key] for key in most[:MOVED_SHOWN]})

    def compact(self, min_free_share: float = 0.0, fetches_before: datetime | None = None) -> dict:
        """Rewrite the file without its free blocks when at least `min_free_share` of it is free, or when fetches
        made before `fetches_before` were dropped first (drop_old_fetches): a deleted row's space comes back only
        with the rewrite.

        The copy is written beside the file and checked table by table; a rename swaps it in, so a crash
        leaves the old file or the new one, each whole. Returns the file size and free share before and after, and
        with `fetches_before` the fetches dropped and kept."""
        retention: dict = {}
        try:
            if fetches_before:
                retention = self.drop_old_fetches(fetches_before)
            return {**self._rewrite(min_free_share, forced=bool(retention.get("fetches_dropped"))), **retention}
        except _COMPACTION_FAILURES as exc:
            raise StoreError(f"could not compact the warehouse {self.path}: {exc}; {_left_after(retention)}") from exc

    def _rewrite(self, min_free_share: float, forced: bool) -> dict:
        """compact's rewrite: skipped (unless `forced`) when under `min_free_share` of the file is free blocks."""
        self.con.execute("CHECKPOINT")
        before, size_before = space_use(self.con), self.path.stat().st_size
        if not forced and (not before.free_blocks or before.free_share < min_free_share):
            return _compaction_report(False, size_before, before, size_before, before)
        self._remove_compaction_files()
        try:
            copy_database(self.con, self._compaction_path)
        except _COMPACTION_FAILURES:
            self._remove_compaction_files()
            raise
        self.con.close()
        try:
            self._swap_in_compacted()
        finally:
            self._connect()
        return _compaction_report(True, size_before, before, self.path.stat().st_size, space_use(self.con))

    def drop_old_fetches(self, before: datetime) -> dict:
        """Delete, in one transaction, the fetches made before `before` that no view or query reads for a feed's
        present state (_DROP_OLD_FETCHES says which stay): v_feed_health, `feeds list` and `status` read the same
        after it; v_feed_daily's days before `before` count only the fetches kept. Returns how many went and stay."""
        with self.transaction():
            dropped = self.con.execute(_DROP_OLD_FETCHES,
                                       {"cutoff": before, "history": FETCH_HISTORY_LIMIT}).fetchone()[0]
            kept = self.scalar("SELECT count(*) FROM fetches")
        return {"fetches_dropped": dropped, "fetches_kept": kept}

    @property
    def _compaction_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.compacting")

    def _swap_in_compacted(self) -> None:
        # Closing and detaching checkpoint both files and empty their logs. A log left behind would be replayed
        # onto the new file (the writer's) or lost in the rename (the copy's).
        for wal in (Path(f"{self.path}.wal"), Path(f"{self._compaction_path}.wal")):
            if wal.exists() and wal.stat().st_size:
                self._remove_compaction_files()
                raise StoreError(f"{wal} was not emptied; the warehouse was not compacted")
        os.replace(self._compaction_path, self.path)
        sync_directory(self.path.parent)  # the rename itself survives a power cut

    def _remove_compaction_files(self) -> None:
        """The copy a failed or killed compaction left behind (it is never the live file)."""
        for leftover in (self._compaction_path, Path(f"{self._compaction_path}.wal")):
            leftover.unlink(missing_ok=True)

    def drop_staging(self) -> None:
        """Remove the staging tables (and those a failed or killed run or retag left behind)."""
        with self.transaction():
            for table in DERIVED_TABLES:
                self.con.execute(f"DROP TABLE IF EXISTS {table}{STAGING_SUFFIX}")

    def _create_staging(self) -> None:
        with self.transaction():
            for table in DERIVED_TABLES:
                ddl = self.scalar("SELECT sql FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
                                  [table])
                self.con.execute(ddl.replace(f"CREATE TABLE {table}(", f"CREATE TABLE {table}{STAGING_SUFFIX}(", 1))

    def _swap_in_staging(self, run: Mapping) -> None:
        comments = all_comments(self.con)
        with self.transaction():
            for table in DERIVED_TABLES:
                self.con.execute(f"DROP TABLE {table}")
                self.con.execute(f"ALTER TABLE {table}{STAGING_SUFFIX} RENAME TO {table}")
            restore_lost_comments(self.con, comments)
            # every day: the old tags' days (still in the aggregates) and the new ones
            self.con.execute("INSERT INTO aggregate_dirty_days SELECT day FROM country_daily "
                             "UNION SELECT day FROM article_countries")
            self.set_meta("tagger_version", run["tagger_version"])
            insert_rows(self.con, "runs", columns_of([run], (*RUN_COLUMNS, "details")))

    def iter_articles_for_tagging(self, batch_size: int = 5000) -> Iterator[list[tuple]]:
        """(article_id, day, title, text, language) batch by batch, streamed in storage order: sorting would
        hold every article's text in memory at once."""
        cursor = self.con.cursor()
        result = cursor.execute("SELECT article_id, day, title, text, language FROM articles")
        while rows := result.fetchmany(batch_size):
            yield rows
        cursor.close()


def _merged_up_to(batches: Iterable[Mapping[str, Mapping[str, list]]],
                  limit: int) -> Iterator[dict[str, dict[str, list]]]:
    """`batches` of derived tables, consecutive ones merged into chunks of about `limit` bytes (_tag_bytes)."""
    chunk: dict[str, dict[str, list]] = {}
    size = 0
    for tables in batches:
        for table, columns in tables.items():
            merged = chunk.setdefault(table, {column: [] for column in columns})
            for column, values in columns.items():
                merged[column].extend(values)
        size += _tag_bytes(tables)
        if size >= limit:
            yield chunk
            chunk, size = {}, 0
    if chunk:
        yield chunk


def _tag_bytes(tables: Mapping[str, Mapping[str, list]]) -> int:
    """About what the rows of `tables` hold in memory: short cells by the row, and the one long text, a pair
    sentence's, by its length."""
    rows = sum(len(next(iter(columns.values()), ())) for columns in tables.values())
    sentences = tables.get("pair_sentences", {}).get("sentence", ())
    return rows * _TAG_ROW_BYTES + sum(map(len, sentences))


def _facet_rows(facet: _Facet, source: str, in_share: str) -> str:
    """The rows of `facet` in `source` (its table, or the table staged for it): its unit's columns and key `k`, of
    the articles `in_share` (a condition of _share)."""
    return f"SELECT {facet.unit}, {facet.key} AS k FROM {source} WHERE {in_share} AND ({facet.where})"


def _share(column: str, part: tuple[int, int]) -> tuple[str, dict]:
    """A condition and its parameters: the rows whose `column` falls in share part[0] of part[1] (by its hash), the
    way a query over every article reads one share at a time (RETAG_ARTICLES_A_QUERY); every row for one share."""
    index, parts = part
    if parts == 1:
        return "TRUE", {}
    # typed: an untyped parameter made DuckDB cast every hash to HUGEINT, 40x slower (most of a 1M retag's time)
    return f"hash({column}) % $parts::UBIGINT = $part::UBIGINT", {"part": index, "parts": parts}


_COMPACTION_FAILURES = (duckdb.Error, OSError, StoreError)  # a full disk, a damaged block, a copy that differs


def _left_after(retention: dict) -> str:
    """What a failed compaction leaves: the file as it was, but for the fetches it deleted first (committed on their
    own: the failure came after)."""
    dropped = retention.get("fetches_dropped")
    if not dropped:
        return "it is unchanged"
    return f"the {dropped:,} old fetches it deleted first stay deleted, the file was not rewritten, the rest is unchanged"


def _compaction_report(compacted: bool, size_before: int, before: SpaceUse, size_after: int, after: SpaceUse) -> dict:
    return {"compacted": compacted, "bytes_before": size_before, "bytes_after": size_after,
            "free_share_before": round(before.free_share, 3), "free_share_after": round(after.free_share, 3)}
