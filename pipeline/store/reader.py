"""Read-only access to the published snapshot: what the dashboard, `pactwatch sql` and analysts use."""
from __future__ import annotations

from pathlib import Path

import duckdb

from ..home import Home
from .errors import StoreError
from .snapshot import current_snapshot, snapshot_version


class NoSnapshot(RuntimeError):
    """Nothing has been published in this home yet."""


class SnapshotUnreadable(StoreError):
    """A snapshot is published but this process cannot open it (another process holds it open read-write,
    or its file is not readable by this user)."""


def open_snapshot(home: Home, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current snapshot (or to `path`, a specific version)."""
    path = snapshot_path(home, path)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise unreadable(path, exc) from exc
    return in_utc(con)


def in_utc(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` (a connection or a cursor) reading timestamps in UTC, as the warehouse's days are. A cursor starts in the
    process's zone, not its connection's: the dashboard, whose queries each take one, showed a run finished at 00:43
    UTC as "09:43 UTC" on a server in Seoul."""
    con.execute("SET TimeZone = 'UTC'")
    return con


def unreadable(path: Path, exc: Exception) -> SnapshotUnreadable:
    return SnapshotUnreadable(
        f"cannot open the published warehouse {path}: {exc}. If another process opened it without read-only "
        "(duckdb.connect(..., read_only=True), duckdb -readonly), close that; if this user may not read it, ask "
        "whoever runs the ingest to give read access to the home; if the file is damaged, `pactwatch ingest` (or "
        "`retag`) publishes a new copy.")


def snapshot_path(home: Home, path: Path | None = None) -> Path:
    """`path`, else the current snapshot; NoSnapshot when nothing has been published, SnapshotUnreadable when the
    published link points at a file that is gone (which must not read as an empty home: 0 articles, no feeds)."""
    path = path or current_snapshot(home)
    if path is None and home.published_db.is_symlink():
        raise SnapshotUnreadable(
            f"the published warehouse {home.published_db} points at {home.published_db.readlink()}, which is gone; "
            "`pactwatch ingest` (or `retag`) publishes a new copy")
    if path is None:
        raise NoSnapshot(f"no published warehouse at {home.published_db}: run `pactwatch demo` or `pactwatch ingest`")
    return path


def current_version(home: Home) -> tuple[int, Path | None]:
    path = current_snapshot(home)
    return snapshot_version(path), path
