"""Publishing read-only snapshots so readers never block the writer and the writer never breaks a reader.

DuckDB allows one read-write process or many read-only ones per file, never both. The writer keeps
its own file; after each committed run it CHECKPOINTs, copies the file to a new versioned snapshot and
atomically repoints the stable `<home>/pactwatch.duckdb` symlink. DuckDB caches one database instance
per path within a process, so every snapshot has its own file name; readers resolve the link to learn
the current version. On POSIX an unlinked file stays readable by whoever still has it open, so
garbage collection never breaks a reader that is mid-query.

The writer's feeds.url keeps a feed's credentials (a password in the URL, "?apikey=…"): the poller needs them. A
snapshot is for readers, so while the writer holds any (pipeline/redact.py tells), or has held one since it was last
compacted (replaced, it lingers in free blocks), it is written as a logical copy with them masked, never as a byte copy
edited afterwards, whose free blocks would still hold them.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from ..home import Home, replace_file
from ..redact import credential_markers, redact_text, redact_url
from .aggregates import rebuild_daily_aggregates
from .compact import Substitutes, copy_database, read_every_block
from .errors import StoreError
from .migrate import schema_version
from .warehouse import Warehouse

SNAPSHOT_PREFIX = "pactwatch-"
# DuckDB never gives free blocks back and every snapshot copies the whole writer file. Bulk writes leave many:
# a retag 42 % of the file (the old derived tables), a 100k-article import 31 % (row groups and aggregates
# rewritten at each run's checkpoint). Compacting costs ~15 s at 1M articles.
COMPACT_FROM_FREE_SHARE = 0.2
KEEP_SNAPSHOTS = 2
# A reader that resolved the link just before a swap has this long to open the file it got, counted from the
# swap, not the file's age: frequent publishes do not pile up copies, and an old file still gets its grace.
GRACE_SECONDS = 5
# Readers only ever read a snapshot. One process opening it read-write would hold DuckDB's exclusive lock,
# locking every reader out, and could change what readers take for the published data. Readable by all:
# readers are often other users (the dashboard's service account, analysts); the home's own permissions
# decide who gets in. Unlinking (garbage collection) needs only the directory to be writable.
SNAPSHOT_MODE = 0o444
# meta key: the writer file (device:inode) in which a publish last saw a credential. A credential replaced or removed
# since lingers in that file's free blocks, which a byte copy would publish; a compaction writes a new file.
CREDENTIALS_SEEN_IN = "credentials_seen_in"
# Where a credential can be stored: feed URLs (kept for the poller), and the fetch URLs and errors written before
# they were masked when stored (ingest and feeds/http.py mask them now). Table -> column -> how it is masked.
_CREDENTIAL_COLUMNS = {"feeds": {"url": redact_url, "listed_url": redact_url, "fetched_url": redact_url,
                                  "last_error": redact_text},
                       "fetches": {"url": redact_url, "error": redact_text}, "runs": {"error": redact_text}}


@dataclass(frozen=True)
class Published:
    """A snapshot published: its file, how the readers' copy was written (BYTE_COPY, or MASKED_COPY: a logical copy
    masking credentials, which costs what a compaction does), how long publishing took, and the report of the
    compaction before it (`publish_compacted`, whose seconds include it; None for a plain publish)."""

    path: Path
    copy: str
    seconds: float
    compaction: dict | None = None

    def summary_fields(self) -> dict:
        """What a command's summary says of it, named as an ingest run's log line names it."""
        return {"publish_seconds": self.seconds, "publish_copy": self.copy}


BYTE_COPY, MASKED_COPY = "bytes", "masked"


class PublishError(StoreError):
    """The snapshot could not be written (disk full, unwritable home); the previous one stays published."""


class WriterMissing(StoreError):
    """The home holds published snapshots but no writer file (deleted by mistake, a bad restore, a failed disk sync):
    no new home. A writer made there would be published over the data and its snapshots collected."""


def published_without_writer(home: Home) -> Path | None:
    """The newest snapshot of a home that has snapshots but no writer file, else None."""
    if home.writer_db.exists():
        return None
    return max(home.snapshots.glob(f"{SNAPSHOT_PREFIX}*.duckdb"), key=snapshot_version, default=None) \
        or current_snapshot(home)


def writer_missing_message(home: Home, newest: Path) -> str:
    return (f"{home.writer_db.name} is missing, but {home.root} holds published data (newest snapshot {newest}): no "
            "new warehouse is made over it. Put it back from a backup, `pactwatch restore BACKUP --force`, or from that "
            f"snapshot copied out of the home: `cp {newest} /tmp/recovered.duckdb && pactwatch --home {home.root} "
            "restore /tmp/recovered.duckdb` (restore refuses a snapshot that masks feed credentials: a backup then)")


def publish(con: duckdb.DuckDBPyConnection, home: Home) -> Published:
    """Refresh the daily aggregates, checkpoint the writer and atomically publish a read-only copy as the
    next snapshot version. A failure is recorded for readers (`publish_failure`) until a publish succeeds."""
    started = time.monotonic()
    with _recording_failure(home):
        target, copy = _publish(con, home)
    with contextlib.suppress(OSError):  # a record left behind is a false alarm, cleared by the next publish
        home.publish_failure.unlink(missing_ok=True)
    collect_garbage(home, con)
    return Published(target, copy, round(time.monotonic() - started, 3))


@contextlib.contextmanager
def _recording_failure(home: Home) -> Iterator[None]:
    """Whatever stops a publish after a commit (the copy, or a bulk write's compaction before it: a full disk fails
    either) is recorded for readers, and raised."""
    try:
        yield
    except Exception as exc:
        _record_publish_failure(home, exc)
        raise


def _publish(con: duckdb.DuckDBPyConnection, home: Home) -> tuple[Path, str]:
    _refresh_aggregates(con, home)
    version = max(map(snapshot_version, home.snapshots.glob(f"{SNAPSHOT_PREFIX}*.duckdb")), default=0) + 1
    target = home.snapshots / f"{SNAPSHOT_PREFIX}{version:09d}.duckdb"
    staging = home.snapshots / f".staging-{os.getpid()}.duckdb"
    try:
        _remove_staging(staging)  # a read-only copy (or its log) a killed publish of a process with our pid left
        copy = _write_readers_copy(con, home.writer_db, staging)
        # A byte copy carries a damaged block of the writer (bit rot, a torn write) to every reader: read it all first
        read_every_block(staging, con)
        os.chmod(staging, SNAPSHOT_MODE)
        os.replace(staging, target)
        _point_link(home.published_db, target)
    except (OSError, duckdb.Error, StoreError) as exc:
        with contextlib.suppress(OSError):
            _remove_staging(staging)
        reason = getattr(exc, "strerror", None) or exc
        raise PublishError(f"could not publish snapshot to {home.snapshots}: {reason}") from exc
    return target, copy


def _record_publish_failure(home: Home, error: Exception) -> None:
    """Best effort: the disk that refused the snapshot may refuse this small file too, and then the record before it
    stays whole (written in place, a full disk left it empty: "publishing failed at an unknown time")."""
    record = {"failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "error": str(error)}
    with contextlib.suppress(OSError):
        replace_file(home.publish_failure, json.dumps(record))


def publish_failure(home: Home) -> dict | None:
    """{failed_at, error} of the last publish when it failed (the published snapshot then lacks the runs the writer
    committed since), else None. An unreadable record still says a publish failed."""
    try:
        with home.publish_failure.open(encoding="utf-8", errors="replace") as file:
            record = json.loads(file.read(_FAILURE_RECORD_MAX))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:  # deep nesting exhausts the decoder's stack
        return {"failed_at": None, "error": f"its record {home.publish_failure} cannot be read: {exc}"}
    if not isinstance(record, dict):
        return {"failed_at": None, "error": "its record is no object"}
    return {"failed_at": record.get("failed_at"), "error": record.get("error")}


_FAILURE_RECORD_MAX = 1 << 16  # characters: a record is one line of a few hundred


def _write_readers_copy(con: duckdb.DuckDBPyConnection, writer: Path, staging: Path) -> str:
    """A byte copy of the writer file, the fast way, when it holds no credential and has held none since its last
    compaction; else a logical copy masking them (it costs what a compaction does: ~15 s at 1M articles). A
    credential replaced or removed since stays in the writer's free blocks, which a byte copy would publish."""
    substitutes, generation = _credential_substitutes(con), _file_generation(writer)
    if substitutes is not None:
        con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [CREDENTIALS_SEEN_IN, generation])
    if substitutes is None and not _credentials_seen_in(con, generation):
        shutil.copyfile(writer, staging)
        return BYTE_COPY
    copy_database(con, staging, substitutes)
    return MASKED_COPY


def _file_generation(writer: Path) -> str:
    """Which file the writer is: a compaction swaps in a new one (a new inode), without the old one's free blocks."""
    stat = writer.stat()
    return f"{stat.st_dev}:{stat.st_ino}"


def _credentials_seen_in(con: duckdb.DuckDBPyConnection, generation: str) -> bool:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [CREDENTIALS_SEEN_IN]).fetchone()
    return row is not None and row[0] == generation


def _credential_substitutes(con: duckdb.DuckDBPyConnection) -> Substitutes | None:
    """The stored values a reader must see masked, or None when there is none. Only values holding a marker of
    pipeline/redact.py ("@" of a userinfo, "=" of a parameter, the host of a service keeping its secret in the path)
    can hold one, so the distinct values read are few. The markers are looked for once per distinct value, not per
    row (a fetch history has millions): any_value keeps the optimizer from filtering below the grouping."""
    markers = "|".join(re.escape(marker) for marker in credential_markers())
    masked: dict[str, str] = {}
    holding: dict[str, tuple[str, ...]] = {}
    for table, columns in _CREDENTIAL_COLUMNS.items():
        for column, redact in columns.items():
            stored = con.execute(f"SELECT value FROM (SELECT any_value({column}) AS value FROM {table} "
                                 f"GROUP BY {column}) WHERE regexp_matches(value, ?, 'i')", [markers]).fetchall()
            found = {value: shown for value, in stored if (shown := redact(value)) != value}
            if found:
                masked.update(found)
                holding[table] = (*holding.get(table, ()), column)
    # Only the columns holding one are rewritten value by value: a fetch history of millions of rows whose URLs were
    # masked when stored is copied as it is (a key in `feeds.url` alone made each publish look up every fetch's URL).
    return Substitutes(holding, masked) if masked else None


def _remove_staging(staging: Path) -> None:
    for path in (staging, Path(f"{staging}.wal")):  # a log left beside it would be replayed onto the next copy
        path.unlink(missing_ok=True)


def publish_compacted(warehouse: Warehouse, home: Home,
                      min_free_share: float = COMPACT_FROM_FREE_SHARE) -> Published:
    """The last publish of a bulk write (retag, import, demo): refresh the daily aggregates first (their
    rewrite frees blocks too), compact the writer file when at least `min_free_share` of it is free, then
    publish. Returns what it published, timed from the refresh, with the compaction report; the copy a publish just
    before it left is collected once its grace period is over (collect_after_grace)."""
    started = time.monotonic()
    _refresh_aggregates(warehouse.con, home)
    with _recording_failure(home):
        compaction = warehouse.compact(min_free_share=min_free_share)
    published = publish(warehouse.con, home)
    done = replace(published, seconds=round(time.monotonic() - started, 3), compaction=compaction)
    collect_after_grace(home, warehouse.con)
    return done


def _refresh_aggregates(con: duckdb.DuckDBPyConnection, home: Home) -> None:
    try:
        rebuild_daily_aggregates(con)
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        raise PublishError(f"could not refresh the daily aggregates or checkpoint {home.writer_db}: {exc}") from exc


def _point_link(link: Path, target: Path) -> None:
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


def published_behind(con: duckdb.DuckDBPyConnection, home: Home) -> bool:
    """Whether the published snapshot is not the writer's last run: the writer holds a run it lacks (a publish that
    failed, disk full, or was killed after its commit), it holds runs the writer lacks (a warehouse restored from an
    older backup), its schema is not the writer's (an upgrade migrated the writer), none is readable, or the last
    publish failed (after a write that adds no run, `feeds add`, the last runs agree); the next `ingest` then
    publishes even when no feed is due (any other writing command publishes anyway)."""
    if publish_failure(home):
        return True
    last_run = con.execute("SELECT max(run_id) FROM runs").fetchone()[0]
    path = current_snapshot(home)
    if path is None:  # nothing published yet: behind a run, or the feeds a first `ingest --feeds` stopped left
        return last_run is not None or _feed_list(con)[0] > 0
    try:
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as snapshot:
            published = snapshot.execute("SELECT max(run_id) FROM runs").fetchone()[0]
            published_schema = schema_version(snapshot)
            published_feeds = _feed_list(snapshot) if published_schema == schema_version(con) else None
    except duckdb.Error:  # unreadable or damaged: a new copy replaces it
        return True
    # another last run, not only an older one: a restored warehouse's runs can end before those published; after an
    # upgrade, the schema the writer was migrated to (readers' queries on what it added fail until then); and feeds
    # registered by an ingest stopped before its run (`ingest --feeds` killed while polling)
    return published != last_run or published_schema != schema_version(con) or published_feeds != _feed_list(con)


def _feed_list(con: duckdb.DuckDBPyConnection) -> tuple:
    """The feed list as readers see it, in one number and a count: every column a feed list says but its URL, which a
    masked snapshot holds otherwise (a feed re-added under another URL alone goes unnoticed until its next run)."""
    return con.execute("SELECT count(*), bit_xor(hash(feed_id, name, outlet, outlet_country, language, tier, tags, "
                       "enabled)) FROM feeds").fetchone()


def current_snapshot(home: Home) -> Path | None:
    """The versioned file the stable path points at, or None before the first publish."""
    if not home.published_db.is_symlink():
        return home.published_db if home.published_db.exists() else None
    resolved = home.published_db.resolve()
    return resolved if resolved.exists() else None


def snapshot_version(path: Path | None) -> int:
    if path is None or not path.name.startswith(SNAPSHOT_PREFIX):
        return 0
    return int(path.stem[len(SNAPSHOT_PREFIX):])


def collect_garbage(home: Home, writer: duckdb.DuckDBPyConnection, now: float | None = None) -> list[Path]:
    """Delete snapshots beyond the newest few once the grace period has passed since a newer one replaced them,
    but never one holding a run the `writer` lacks (the writer was made anew, or lost its file: that snapshot may be
    the only copy of its runs) unless a `restore` recorded in the writer replaced that run (begun before it: let go on
    purpose, and kept they would pile up after each restore), and what a publish killed half-way left (staging copies, temporary
    links) at once: no reader opens those, and the publisher calling this holds the home's lock, so no other publish
    is writing one (left to age, a 46 MB staging copy would outlive a rerun that publishes within the grace period)."""
    now = time.time() if now is None else now
    leftovers = list(home.snapshots.glob(".staging-*.duckdb*")) + list(home.root.glob(f".{home.published_db.name}.*.tmp"))
    expired = [path for path, since in _beyond_kept(home) if now - since > GRACE_SECONDS]
    if expired:
        held, restored_at = _runs(writer), _last_restore(writer)
        expired = [path for path in expired if _replaced_or_held(_runs_of(path) - held, restored_at)]
    removed = []
    for path in expired + leftovers:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _runs(con: duckdb.DuckDBPyConnection) -> set[tuple[int, int]]:
    """Each run as (run_id, when it started in microseconds since the epoch): a writer made anew numbers its runs from
    1 again. Integers, not datetimes: a year of 15-minute runs is 35,000 rows, read from the writer and from a snapshot
    at every publish, and converting their TIMESTAMPTZ to Python took 0.7 s each time (docs/benchmarks.md, "A year
    of unattended ingestion")."""
    return set(con.execute("SELECT run_id, epoch_us(started_at) FROM runs").fetchall())


def _last_restore(con: duckdb.DuckDBPyConnection) -> int | None:
    """When the last restore started, in microseconds since the epoch, as _runs gives it."""
    return con.execute("SELECT epoch_us(max(started_at)) FROM runs WHERE kind = 'restore'").fetchone()[0]


def _replaced_or_held(lacked: set[tuple[int, int]], restored_at: int | None) -> bool:
    """Whether every run of a snapshot the writer lacks (`lacked`) began before the writer's last restore."""
    return all(restored_at is not None and started_at < restored_at for _, started_at in lacked)


def _runs_of(snapshot: Path) -> set[tuple]:
    """The runs of a snapshot; none when it cannot be read (a damaged copy recovers nothing)."""
    try:
        with contextlib.closing(duckdb.connect(str(snapshot), read_only=True)) as con:
            return _runs(con)
    except duckdb.Error:
        return set()


def _beyond_kept(home: Home) -> list[tuple[Path, float]]:
    """The snapshots older than the newest KEEP_SNAPSHOTS (but the published one), each with when it was replaced."""
    current = current_snapshot(home)
    snapshots = sorted(home.snapshots.glob(f"{SNAPSHOT_PREFIX}*.duckdb"), key=snapshot_version, reverse=True)
    # A snapshot's successor was written just before the link swap that replaced it: its mtime is that moment.
    replaced = [(older, newer.lstat().st_mtime) for newer, older in zip(snapshots, snapshots[1:])][KEEP_SNAPSHOTS - 1:]
    return [(path, since) for path, since in replaced if path != current]


def collect_after_grace(home: Home, writer: duckdb.DuckDBPyConnection) -> list[Path]:
    """Wait out the grace period of the snapshots beyond the newest few (at most GRACE_SECONDS), then collect them.
    For the end of a bulk write, which publishes on the way and then at its end: a copy it replaced a moment before
    is kept for readers, and left for the next publish it would stay a whole copy of the warehouse for as long as none
    comes (after `make run`, never). An ingest does not wait: the next one collects it, and a replay of captures
    (`feeds add` and `ingest` in turn) would wait at every step."""
    pending = [since for _, since in _beyond_kept(home)]
    if pending:
        time.sleep(min(GRACE_SECONDS, max(0.0, max(pending) + GRACE_SECONDS - time.time())) + _CLOCK_SLACK)
    return collect_garbage(home, writer)


_CLOCK_SLACK = 0.05  # seconds: past the grace period, not at its last instant (collect_garbage wants more than it)
