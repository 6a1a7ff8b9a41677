"""Backing up the writer's warehouse, and restoring a home from such a backup.

A backup is the writer file as COPY FROM DATABASE writes it (what a compaction writes): every table, view and
comment, credentials included, without the free blocks. The writer file is opened read-only, never migrated: a
backup taken after an upgrade and before its first writing command is the file the older version wrote, the way
back to it (`restore` migrates it when it is put back with this version). It is written while the caller holds
the writer lock, so no run is half in it; or, in a home this user may not write (a read-only mount, another user's
home), while the caller holds the readers' lock, which keeps every writer out as well.
A published snapshot is no backup: it masks the feeds' credentials, which the poller needs, and the aggregates of
the days after it would be rebuilt anyway.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ..home import restore_staging, set_aside_log, sync_directory, sync_file
from ..redact import MASK
from .compact import copy_database
from .errors import StoreError
from .migrate import available_migrations, has_table, schema_version
from .warehouse import DUCKDB_LOCK_CONFLICT, Warehouse, open_error

BACKUP_MODE = 0o600  # it holds the feeds' credentials and is kept apart from the home: its owner's alone


def write_backup(writer_db: Path, target: Path, this_user_writes: bool = True) -> dict:
    """A whole copy of the writer file at `writer_db` at `target`, at the schema it has, or nothing there. Opened
    read-only (a log a killed writer left beside it is read in memory, as a writer would replay it): the caller
    holds the writer lock, or, in a home this user may not write (`this_user_writes` false), the readers' lock;
    either keeps writers out meanwhile. The output says which."""
    try:
        con = duckdb.connect(str(writer_db), read_only=True)
    except duckdb.Error as exc:
        if this_user_writes or DUCKDB_LOCK_CONFLICT in str(exc):  # the owner's backup would meet the same lock
            raise open_error(writer_db, exc) from exc
        raise StoreError(f"could not read {writer_db} to back it up ({exc}): back it up as the user who owns the "
                         "home; nothing was written") from exc
    made_from = ("warehouse.duckdb as it is, under the writer lock" if this_user_writes else
                 "warehouse.duckdb read-only, under the readers' lock (this user may not write the home; writers "
                 "were kept out)")
    with con:
        return {**_write_copy(con, target), "made_from": made_from}


def _write_copy(con: duckdb.DuckDBPyConnection, target: Path) -> dict:
    """The database of `con` at `target`, or nothing there: written in a directory only its owner can open (the
    credentials are never readable by others, even mid-write), then renamed into place. That directory is named
    after this process (`partial_copy`): one a killed backup left is removed by the next backup to `target`."""
    target = target.absolute()
    private = partial_copy(target, os.getpid())
    try:
        remove_stale_copies(target)
        os.mkdir(private, 0o700)
        try:
            written = private / target.name
            copy_database(con, written)
            os.chmod(written, BACKUP_MODE)
            sync_file(written)
            os.replace(written, target)
        finally:
            _remove_unstopped(private)
        sync_directory(target.parent)
    except (duckdb.Error, OSError, StoreError) as exc:
        raise StoreError(f"could not write the backup {target}: {getattr(exc, 'strerror', None) or exc}; "
                         "nothing was written there") from exc
    return {"backup": str(target), "bytes": target.stat().st_size, **_contents(con)}


def partial_copy(target: Path, pid: int) -> Path:
    """The private directory in which process `pid` writes its backup to `target`."""
    return target.with_name(f".{target.name}.partial-{pid}")


def remove_stale_copies(target: Path) -> list[Path]:
    """Remove what killed backups left in the folder of `target`, to any name there (a nightly backup writes a new
    name each night): the directories of `partial_copy` whose process is gone, and those of versions before, which
    named them as tempfile does (`.<name>.` and 8 letters, digits or `_`); each only while it holds that backup file
    alone. A backup kill -9'd, OOM-killed or cut by a reboot left a whole copy there, which a rotation's `find -name
    'pactwatch-*.duckdb'` never matches. Nothing else is touched."""
    ours = re.compile(r"\.(?P<name>.+)\.(?:partial-(?P<pid>\d+)|[a-z0-9_]{8})")
    stale = [path for path in target.parent.glob(".*")
             if (found := ours.fullmatch(path.name)) and path.is_dir() and not path.is_symlink()
             and _holds_only_copies(path, found["name"]) and not _alive(found["pid"])]
    for path in stale:
        _remove_unstopped(path)
    return stale


def _holds_only_copies(folder: Path, name: str) -> bool:
    return all(entry.name in (name, f"{name}.wal") for entry in folder.iterdir())


def _alive(pid: str | None) -> bool:
    """Whether process `pid` (None: a directory of an older version) still runs, and is not this one (a pid reused)."""
    if pid is None or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        pass
    return True


def _remove_unstopped(folder: Path) -> None:
    """Remove `folder` whole: the exception a stop signal raises (stop_signals.py) would cut the removal short and
    leave a whole copy behind."""
    with _stops_held():
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _stops_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back until the block ends: file operations that must not be cut in between."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def restore_backup(source: Path, writer_db: Path) -> dict:
    """Make the backup at `source` the warehouse at `writer_db`; the caller holds the writer lock, which settles what
    a restore killed before left (`settle_killed_restore`). The backup is copied beside the warehouse and opened
    there first, which migrates an older one: a backup that cannot be read leaves the warehouse as it was. Returns
    what the restored warehouse holds, and the backup's schema version when it was migrated (else None), the
    restore's own run and what the replaced warehouse held (`replaced`)."""
    _check_is_warehouse(source)
    replaced = _replaced(writer_db)
    staging = restore_staging(writer_db)
    try:
        shutil.copyfile(source, staging)
        sync_file(staging)
        with Warehouse(staging) as restored:
            contents = {**_contents(restored.con), "migrated_from": restored.migrated and restored.migrated[0]}
            run_id = restored.record_restore(str(source.absolute()), replaced)
        if Path(f"{staging}.wal").exists():  # closing checkpoints: a log left means the file is not whole without it
            raise StoreError(f"{staging}.wal was not emptied")
        with _stops_held():
            _swap_in(staging, writer_db)
    except (duckdb.Error, OSError, StoreError) as exc:
        _remove_file_and_log(staging)
        failure = getattr(exc, "strerror", None) or exc
    else:
        sync_directory(writer_db.parent)
        set_aside_log(writer_db).unlink(missing_ok=True)
        return {"restored_from": str(source.absolute()), **contents, "run_id": run_id, "replaced": replaced}
    # Raised outside the handler: the CLI tells the innermost StoreError of a chain, which would name the staging copy.
    raise StoreError(f"could not restore {source}: {failure}; the warehouse is unchanged")


def _swap_in(staging: Path, writer_db: Path) -> None:
    """Rename `staging` over `writer_db`. The old file's log belongs to it: replayed onto the restored file, it would
    corrupt it. It is set aside (removed once the rename is synced), and put back if the rename fails; a restore
    killed in between leaves it for the next writer to put back (`settle_killed_restore`)."""
    old_log, set_aside = Path(f"{writer_db}.wal"), set_aside_log(writer_db)
    if old_log.exists():
        os.replace(old_log, set_aside)
    try:
        os.replace(staging, writer_db)
    except OSError:
        if set_aside.exists():
            os.replace(set_aside, old_log)
        raise


def _replaced(writer_db: Path) -> dict | None:
    """The last run and the articles of the warehouse a restore replaces; None when there is none, or it cannot be
    read (a damaged file: its runs are unknown, and the restore is what mends it)."""
    if not writer_db.exists():
        return None
    try:
        with duckdb.connect(str(writer_db), read_only=True) as con:
            last_run, articles = con.execute(
                "SELECT (SELECT max(run_id) FROM runs), (SELECT count(*) FROM articles)").fetchone()
    except duckdb.Error:
        return None
    return {"last_run": last_run, "articles": articles}


DUCKDB_MAGIC = b"DUCK"  # bytes 8 to 11 of every DuckDB database file, after its header's checksum


def _check_is_warehouse(source: Path) -> None:
    """Refuse a file that is no PactWatch backup before anything is copied: opened read-write, any other DuckDB file
    would be migrated into a new, empty one; a file with a log beside it is not whole alone (only the file is
    copied); a published snapshot's feed URLs are masked, and the poller would send "***" for their credentials."""
    if Path(f"{source}.wal").exists() and Path(f"{source}.wal").stat().st_size:
        raise StoreError(f"{source} has a log beside it ({source}.wal) that holds part of it: restore a file written "
                         "by `pactwatch backup`, which is whole alone, or open this one once with DuckDB to fold the "
                         "log in; nothing was restored")
    # DuckDB's own words for a file of another kind: "Cannot launch in-memory database in read-only mode!"
    with source.open("rb") as handle:
        if handle.read(len(DUCKDB_MAGIC) + 8)[8:] != DUCKDB_MAGIC:
            raise StoreError(f"{source} is not a DuckDB database (a file `pactwatch backup` writes is one): nothing "
                             "was restored")
    try:
        with duckdb.connect(str(source), read_only=True) as con:
            is_warehouse = schema_version(con) > 0 and has_table(con, "articles")
            masked = is_warehouse and con.execute("SELECT count(*) FROM feeds WHERE contains(url, ?)",
                                                  [MASK]).fetchone()[0]
    except duckdb.Error as exc:
        raise StoreError(f"{source} is not a DuckDB database PactWatch can read: {exc}") from exc
    if not is_warehouse:
        raise StoreError(f"{source} is a DuckDB database but not a PactWatch warehouse (no schema migrations, "
                         "no articles table): nothing was restored")
    if masked:
        raise StoreError(f"{source} holds {masked} feed URL(s) with their credentials masked ({MASK}): a published "
                         "snapshot, not a backup (the poller would send the mask); restore a file written by "
                         "`pactwatch backup`; nothing was restored")


def _contents(con: duckdb.DuckDBPyConnection) -> dict:
    """What the warehouse of `con` holds (both tables exist since the first schema), and its schema against this
    code's when they differ: a backup is the file as it was written."""
    articles, feeds = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM feeds)").fetchone()
    version, latest = schema_version(con), available_migrations()[-1][0]
    contents = {"articles": articles, "feeds": feeds, "schema_version": version}
    if version < latest:
        contents["schema_note"] = (f"schema version {version}, older than this code's {latest}: the file as the "
                                   "older version wrote it (the way back to it); `pactwatch restore` migrates it")
    elif version > latest:
        contents["schema_note"] = (f"schema version {version}, newer than this code's {latest}: restore it with "
                                   "the newer version")
    return contents


def _remove_file_and_log(path: Path) -> None:
    for file in (Path(f"{path}.wal"), path):
        file.unlink(missing_ok=True)
