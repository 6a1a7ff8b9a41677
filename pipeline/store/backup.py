"""Backing up the writer's warehouse, and restoring a home from such a backup.

A backup is the writer file as COPY FROM DATABASE writes it (what a compaction writes): every table, view and
comment, credentials included, without the free blocks. It is written while the caller holds the writer lock,
so no run is half in it. A published snapshot is no backup: it masks the feeds' credentials, which the poller
needs, and the aggregates of the days after it would be rebuilt anyway.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from ..home import sync_directory
from .compact import copy_database
from .errors import StoreError
from .migrate import has_table, schema_version
from .warehouse import Warehouse

BACKUP_MODE = 0o600  # it holds the feeds' credentials and is kept apart from the home: its owner's alone


def write_backup(warehouse: Warehouse, target: Path) -> dict:
    """A whole copy of the warehouse at `target`, or nothing there: written in a directory only its owner can open
    (the credentials are never readable by others, even mid-write), then renamed into place."""
    target = target.absolute()
    warehouse.con.execute("CHECKPOINT")
    try:
        with tempfile.TemporaryDirectory(prefix=f".{target.name}.", dir=target.parent) as private:
            written = Path(private) / target.name
            copy_database(warehouse.con, written)
            os.chmod(written, BACKUP_MODE)
            _sync_file(written)
            os.replace(written, target)
        sync_directory(target.parent)
    except (duckdb.Error, OSError, StoreError) as exc:
        raise StoreError(f"could not write the backup {target}: {getattr(exc, 'strerror', None) or exc}; "
                         "nothing was written there") from exc
    return {"backup": str(target), "bytes": target.stat().st_size, **_contents(warehouse.con)}


def restore_backup(source: Path, writer_db: Path) -> dict:
    """Make the backup at `source` the warehouse at `writer_db` (the caller holds the writer lock). The backup is
    copied beside it and opened there first, which migrates an older one: a backup that cannot be read leaves the
    warehouse as it was. Returns what the restored warehouse holds."""
    _check_is_warehouse(source)
    staging = writer_db.with_name(f".{writer_db.name}.restoring")
    _remove_file_and_log(staging)
    try:
        shutil.copyfile(source, staging)
        _sync_file(staging)
        with Warehouse(staging) as restored:
            contents = _contents(restored.con)
        if Path(f"{staging}.wal").exists():  # closing checkpoints: a log left means the file is not whole without it
            raise StoreError(f"{staging}.wal was not emptied")
        # The old file's log belongs to it: replayed onto the restored file, it would corrupt it.
        Path(f"{writer_db}.wal").unlink(missing_ok=True)
        os.replace(staging, writer_db)
        sync_directory(writer_db.parent)
    except (duckdb.Error, OSError, StoreError) as exc:
        _remove_file_and_log(staging)
        failure = getattr(exc, "strerror", None) or exc
    else:
        return {"restored_from": str(source.absolute()), **contents}
    # Raised outside the handler: the CLI tells the innermost StoreError of a chain, which would name the staging copy.
    raise StoreError(f"could not restore {source}: {failure}; the warehouse is unchanged")


def _check_is_warehouse(source: Path) -> None:
    """Refuse a file that is no PactWatch warehouse before anything is copied: opened read-write, any other DuckDB
    file would be migrated into a new, empty one."""
    try:
        with duckdb.connect(str(source), read_only=True) as con:
            is_warehouse = schema_version(con) > 0 and has_table(con, "articles")
    except duckdb.Error as exc:
        raise StoreError(f"{source} is not a DuckDB database PactWatch can read: {exc}") from exc
    if not is_warehouse:
        raise StoreError(f"{source} is a DuckDB database but not a PactWatch warehouse (no schema migrations, "
                         "no articles table): nothing was restored")


def _contents(con: duckdb.DuckDBPyConnection) -> dict:
    articles, feeds = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM feeds)").fetchone()
    return {"articles": articles, "feeds": feeds, "schema_version": schema_version(con)}


def _sync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _remove_file_and_log(path: Path) -> None:
    for file in (Path(f"{path}.wal"), path):
        file.unlink(missing_ok=True)
