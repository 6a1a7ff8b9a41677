"""Read-only access to the published snapshot: what the dashboard, `pactwatch sql` and analysts use."""
from __future__ import annotations

from pathlib import Path

import duckdb

from ..home import Home
from .snapshot import current_snapshot, snapshot_version


class NoSnapshot(RuntimeError):
    """Nothing has been published in this home yet."""


def open_snapshot(home: Home, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current snapshot (or to `path`, a specific version)."""
    con = duckdb.connect(str(snapshot_path(home, path)), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    return con


def snapshot_path(home: Home, path: Path | None = None) -> Path:
    """`path`, else the current snapshot; NoSnapshot when nothing has been published."""
    path = path or current_snapshot(home)
    if path is None:
        raise NoSnapshot(f"no published warehouse at {home.published_db}: run `pactwatch demo` or `pactwatch ingest`")
    return path


def current_version(home: Home) -> tuple[int, Path | None]:
    path = current_snapshot(home)
    return snapshot_version(path), path
