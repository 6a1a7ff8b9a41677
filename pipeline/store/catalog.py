"""The data dictionary and warehouse status, read from whichever connection the caller has."""
from __future__ import annotations

import fcntl
import os
from datetime import datetime
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ..home import Home, HomeLocked
from .compact import space_use
from .errors import StoreError
from .migrate import available_migrations, migrate, schema_version
from .warehouse import DUCKDB_LOCK_CONFLICT
from .queries import (article_days, articles_without_stories, articles_without_tags, articles_without_topic_words,
                      broken_feeds, demo_state, enabled_feed_health, health_columns, is_demo, last_ingest_at,
                      runs_by_kind, tag_versions)
from .reader import NoSnapshot, open_snapshot, unreadable
from .snapshot import published_behind

_OBJECTS_SQL = """
SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'
UNION ALL
SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'
ORDER BY kind, name
"""
_COLUMNS_SQL = """
SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
WHERE NOT internal AND schema_name = 'main' ORDER BY table_name, column_index
"""


def data_dictionary(con: duckdb.DuckDBPyConnection | None = None) -> list[dict]:
    """Every table and view with its comment and its columns (type, comment).

    Without a connection, describes the schema this code version creates (an in-memory migration).
    """
    con = con or _fresh_schema()
    columns: dict[str, list[dict]] = {}
    for table, column, data_type, comment in con.execute(_COLUMNS_SQL).fetchall():
        columns.setdefault(table, []).append({"name": column, "type": data_type, "comment": comment})
    return [{"name": name, "kind": kind, "comment": comment, "columns": columns.get(name, [])}
            for name, kind, comment in con.execute(_OBJECTS_SQL).fetchall()]


def published_dictionary(home: Home) -> tuple[str, list[dict]]:
    """The dictionary of the warehouse an analyst queries in `home` (its published snapshot), with a line saying
    which schema that is; the schema this code creates when nothing is published yet."""
    try:
        con = open_snapshot(home)
    except NoSnapshot:
        return f"no warehouse in {home.root} yet, so the schema this version of PactWatch creates", data_dictionary()
    with con:
        version, latest = schema_versions(con)
        pending = f"; the next writing command migrates it to {latest}" if version < latest else ""
        return f"{home.published_db}, schema version {version}{pending}", data_dictionary(con)


def last_run(con: duckdb.DuckDBPyConnection) -> tuple[int | None, datetime | None]:
    """(run_id, finished_at) of the last run `con`'s warehouse holds: what a snapshot's answers stop at."""
    return con.execute("SELECT max(run_id), max(finished_at) FROM runs").fetchone()


def schema_versions(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(the schema version of `con`'s warehouse, the one this code migrates to): a snapshot published before an
    upgrade lags until the next writing command, and lacks the tables, views and columns added since."""
    return schema_version(con), available_migrations()[-1][0]


def _fresh_schema() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    migrate(con)
    return con


def warehouse_status(con: duckdb.DuckDBPyConnection) -> dict:
    feeds = con.execute("SELECT count(*) FROM feeds").fetchone()[0]
    last = con.execute(
        "SELECT run_id, kind, started_at, finished_at, feeds_polled, not_modified, failures, new_articles, "
        "duplicates, seconds, tagger_version FROM runs ORDER BY run_id DESC LIMIT 1"
    )
    names = [d[0] for d in last.description]
    row = last.fetchone()
    last_run = {k: _iso(v) for k, v in zip(names, row)} if row else None
    enabled_feeds, failing_feeds, paused_feeds = enabled_feed_health(con)
    return {**article_days(con), "feeds": feeds, "enabled_feeds": enabled_feeds, "failing_feeds": failing_feeds,
            "paused_feeds": paused_feeds,
            "broken_feeds": {feed_id: {**state, "since": _iso(state["since"])}
                             for feed_id, state in broken_feeds(con).items()},
            "runs": runs_by_kind(con), "last_run": last_run, "last_ingest_at": _iso(last_ingest_at(con)),
            "is_demo": is_demo(con),
            "demo_state": demo_state(con), "tag_versions": tag_versions(con),
            "articles_without_tags": articles_without_tags(con),
            "articles_without_topic_words": articles_without_topic_words(con),
            "articles_without_stories": articles_without_stories(con)}


def snapshot_status(home: Home, path: Path | None) -> tuple[dict, int]:
    """warehouse_status and the schema version of the snapshot at `path` (the current one when None): NoSnapshot
    before the first publish, SnapshotUnreadable when it cannot be opened or read (a damaged block)."""
    with open_snapshot(home, path) as con:
        try:
            return warehouse_status(con), schema_version(con)
        except duckdb.Error as exc:
            raise unreadable(path or home.published_db, exc) from exc


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class WriterBusy(StoreError):
    """A writing command holds the home (or another process the writer file): its free share cannot be read now."""


class WriterHeldOpen(WriterBusy):
    """A process other than a pactwatch writer holds the writer file open for writing (the home's lock keeps our own
    writers out while it is read): every writing command exits 75 until it lets go."""


class WriterUnreadable(StoreError):
    """This user may not open the home's lock or the writer file (readers are often other users), or the writer file
    is damaged (WriterDamaged): no free share."""


class WriterDamaged(WriterUnreadable):
    """The writer file is there, this user may read it, and DuckDB cannot open it: every writing command fails on it
    (a disk or file-system fault, a file cut short), so ingest, compact and backup stop until it is restored."""


def writer_state(home: Home) -> dict:
    """free_block_share: the share of the writer file that is free blocks as of its last checkpoint, what
    `pactwatch compact` would reclaim and what every snapshot copies (the snapshot's own share can be far off: a
    retag or import stopped early frees blocks nobody published). snapshot_behind: the writer holds a run the
    published snapshot lacks (its publish failed, on a full disk say), so readers see old data; read under the
    reader lock, no writer can commit or publish between the two reads. writer_schema_version: the writer file's, which
    an upgrade's first writing command migrates before it publishes (a kill in between leaves the snapshot behind).
    All None before the first write."""
    if not home.writer_db.exists():
        return {"free_block_share": None, "snapshot_behind": None, "writer_schema_version": None,
                "writer_held_open": False}
    with _writer_read_only(home) as con:
        state = {"free_block_share": round(space_use(con).free_share, 3), "snapshot_behind": published_behind(con, home),
                 "writer_schema_version": schema_version(con)}
    return {**state, "writer_held_open": _held_open_elsewhere(home)}


def _held_open_elsewhere(home: Home) -> bool:
    """Whether a process other than ours holds the writer file open in DuckDB (an analyst's session on
    warehouse.duckdb rather than on the snapshot, even read-only): every writing command exits 75 while it does.
    Probed with the home's lock held alone (no writer and no reader of ours, such as another `status` reading the
    file, holds it then), after this process closed its own connection, by trying the lock a writer's DuckDB takes
    on the file, released at once. False when the home's lock is taken (a command of ours runs: not known now), and
    for a user who may not write the file (the writers are others)."""
    try:
        with home.reader_lock(alone=True):
            return _lock_conflict(home.writer_db)
    except (HomeLocked, OSError):
        return False


def _lock_conflict(path: Path) -> bool:
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)  # which releases the probe's lock
    return False


def writer_feed_list(home: Home) -> list[dict]:
    """`feed_list` as the writer file holds it: each feed's URL as the poller uses it, credentials included (the
    snapshot masks them), for the owner moving the list to another reader (`feeds export-opml`)."""
    with _writer_read_only(home) as con:
        return feed_list(con)


@contextmanager
def _writer_read_only(home: Home) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writer file opened read-only for a moment under the home's reader lock, taken without waiting and without
    writing: WriterBusy while a writing command runs (a writer starting in that moment finds the home locked, as
    with any other command); WriterUnreadable for a user who may not open the lock (nor create it when missing) or
    the file; WriterDamaged for a file DuckDB cannot open though this user may read it."""
    try:
        with home.reader_lock(), duckdb.connect(str(home.writer_db), read_only=True) as con:
            yield con
    except (HomeLocked, duckdb.Error) as exc:
        if isinstance(exc, duckdb.Error) and DUCKDB_LOCK_CONFLICT in str(exc):  # under the reader lock: not ours
            raise WriterHeldOpen(f"another process holds {home.writer_db} open: {exc}") from exc
        if _held_open(exc):
            raise WriterBusy(f"cannot read {home.writer_db} now: {exc}") from exc
        if not os.access(home.writer_db, os.R_OK):  # another user's file: the writers that own it may read it
            raise WriterUnreadable(f"this user may not read {home.writer_db}: {exc}") from exc
        raise WriterDamaged(f"{home.writer_db.name} cannot be read, and writing commands will fail on it: "
                            f"{exc}") from exc
    except OSError as exc:  # the lock file unreadable, or missing in a home this user may not write
        raise WriterUnreadable(f"cannot take the home's reader lock ({home.lock_file}), so {home.writer_db.name} is "
                               f"not read: {exc}") from exc


def _held_open(exc: Exception) -> bool:
    """A writer holds the home, or the file is open in another process or this one; any other DuckDB error is a
    damaged file, on which writers will fail too."""
    return (isinstance(exc, (HomeLocked, duckdb.ConnectionException))
            or DUCKDB_LOCK_CONFLICT in str(exc))


HEALTH_COLUMNS = ("feed_id", "name", "url", "outlet", "outlet_country", "enabled", "gone", "health", "health_reason",
                  "last_status", "last_error", "consecutive_failures", "last_success_at", "last_checked_at",
                  "next_check_at", "pause_until", "items_per_day", "articles", "empty_fetches", "last_new_article_at",
                  "usual_days", "stale_after_days")
# Spelled out by the feed list but not shown by v_feed_health; an OPML export needs them to round-trip.
DESCRIPTION_COLUMNS = ("language", "tier", "tags")
FEED_LIST_COLUMNS = HEALTH_COLUMNS + DESCRIPTION_COLUMNS


def feed_list(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every feed with its health, as v_feed_health shows it, and its language, tier (an int) and tags."""
    rows = con.execute(f"SELECT {health_columns(con, HEALTH_COLUMNS, 'h')}, f.language, "
                       "TRY_CAST(f.tier AS INTEGER), f.tags FROM v_feed_health h JOIN feeds f USING (feed_id) "
                       "ORDER BY feed_id").fetchall()
    return [dict(zip(FEED_LIST_COLUMNS, row)) for row in rows]
