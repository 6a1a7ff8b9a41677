"""The one home directory that holds all PactWatch state, and the writer lock inside it."""
from __future__ import annotations

import fcntl
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

HOME_ENV = "PACTWATCH_HOME"
DEFAULT_HOME = "./data"
EXIT_LOCKED = 75  # EX_TEMPFAIL: another writer holds the home; cron simply tries again next time
LOCK_POLL = 0.1  # seconds between tries of a lock a run waits for (flock itself waits without a bound)


class HomeLocked(RuntimeError):
    """Another PactWatch run holds a lock of this home: a writer (ingest, demo, retag, import) the writer lock, an
    `alerts --notify-webhook` the lock of its webhook."""


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, path: str | os.PathLike | None = None) -> "Home":
        chosen = path or os.environ.get(HOME_ENV) or DEFAULT_HOME
        return cls(Path(chosen).expanduser().resolve())

    @property
    def writer_db(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published_db(self) -> Path:
        return self.root / "pactwatch.duckdb"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def demo_dir(self) -> Path:
        return self.root / "demo"

    @property
    def lock_file(self) -> Path:
        return self.root / "ingest.lock"

    @property
    def publish_failure(self) -> Path:
        """When and why the last publish failed; gone once one succeeds. Readers learn from it, without opening the
        writer (which would lock a writer out), that the snapshot they query lacks runs the writer holds."""
        return self.root / "publish-failed.json"

    @property
    def outbox(self) -> Path:
        """Alert payloads whose webhook delivery failed, sent again by the next `alerts` to that webhook."""
        return self.root / "outbox"

    @property
    def notify_records(self) -> Path:
        """Which alerts each webhook received (`notify.DeliveryRecord`), so a scheduled `alerts` posts each once."""
        return self.root / "notify"

    def keeps(self, path: Path) -> bool:
        """Whether `path` is part of the home's state (the writer file, the published snapshot, the lock, the
        snapshots, demo, outbox and notify folders): an output written there would destroy what every reader opens."""
        target = path.expanduser().resolve()
        files = {self.writer_db, self.writer_db.with_name(self.writer_db.name + ".wal"), self.published_db,
                 self.lock_file}
        folders = (self.snapshots, self.demo_dir, self.outbox, self.notify_records)
        return target in {file.resolve() for file in files} or any(target.is_relative_to(folder.resolve())
                                                                   for folder in folders)

    def writable(self) -> bool:
        """Whether this user may write the home: its folder, the writer file and the lock, those that exist. Not on a
        read-only mount, nor in another user's home: writing commands fail there, and `backup` reads instead."""
        return all(os.access(path, os.W_OK) for path in (self.root, self.writer_db, self.lock_file) if path.exists())

    def ensure(self) -> "Home":
        self.root.mkdir(parents=True, exist_ok=True)
        self.snapshots.mkdir(exist_ok=True)
        return self

    @contextmanager
    def writer_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold an exclusive lock for the duration of a writing run, trying for `wait` seconds (HomeLocked then).

        fcntl locks die with the process, so a kill -9 never leaves a stale lock behind; what a killed restore left
        beside the warehouse is settled before the run opens it (`settle_killed_restore`).
        """
        self.ensure()
        with open(self.lock_file, "a+") as handle, flocked(handle, fcntl.LOCK_EX, self.lock_file, wait):
            try:
                self.return_to_owner()  # what a root command killed before its end left root's
                settle_killed_restore(self.writer_db)
                yield
            finally:
                self.return_to_owner()

    def return_to_owner(self, paths: Iterable[Path] | None = None) -> None:
        """Root writing a home another user owns (a `compact` by hand on the service user's home, a container running
        as root on a bind mount) gives the files it made or replaced (`paths`, else all) back to that user: left
        root's, the owner's own scheduled ingest could no longer open the writer file or take the lock."""
        if os.geteuid() != 0 or (owner := self.root.stat()).st_uid == 0:
            return
        for path in self.not_the_owners(paths):
            os.lchown(path, owner.st_uid, owner.st_gid)

    def not_the_owners(self, paths: Iterable[Path] | None = None) -> list[Path]:
        """The files of the home (`paths`, else all) another user than its owner owns: a root command killed with -9
        (the OOM killer, a reboot) hands nothing back, and the owner's ingest then fails on them ("Permission denied")
        until root's next writing command here, or a chown."""
        owner = self.root.stat().st_uid
        return sorted(path for path in (self.root.rglob("*") if paths is None else paths)
                      if path.lstat().st_uid != owner)

    @contextmanager
    def reader_lock(self, alone: bool = False, wait: float = 0.0) -> Iterator[None]:
        """Keep writers out for a moment without waiting (or for `wait` seconds), and without writing: a shared lock
        on the lock file opened read-only, which a user who may only read the home can take too (flock needs no
        write access). HomeLocked while a writer runs; a writer starting meanwhile finds the home locked. `alone`:
        other readers kept out too (an exclusive lock; HomeLocked while one reads), for a probe that must not meet
        their locks."""
        descriptor = os.open(self.lock_file, os.O_RDONLY | os.O_CREAT, 0o644)  # creates it only when missing
        self.return_to_owner([self.lock_file])
        with open(descriptor, "rb") as handle, flocked(handle, fcntl.LOCK_EX if alone else fcntl.LOCK_SH,
                                                        self.lock_file, wait):
            yield


@contextmanager
def flocked(handle, operation: int, path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold `operation` (LOCK_EX, LOCK_SH) on the open `handle` of `path`, trying for `wait` seconds; HomeLocked
    when another run still holds it then."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, operation | fcntl.LOCK_NB)
            break
        except BlockingIOError as exc:
            if time.monotonic() >= deadline:
                waited = f" (waited {wait:g} s)" if wait else ""
                raise HomeLocked(f"another PactWatch run holds {path}{waited}") from exc
        time.sleep(LOCK_POLL)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)


def replace_file(path: Path, text: str) -> None:
    """Write `text` as the file `path` whole or not at all: into a temp file beside it, synced, then renamed over it. A
    run killed (or a disk filling up) on the way leaves `path` as it was, and at worst its temp file
    (`unfinished_replacements`), never a file cut short that a later run would read."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as handle:
        try:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # the rename must not land before the data it names
        except BaseException:
            os.unlink(handle.name)
            raise
    os.replace(handle.name, path)
    sync_directory(path.parent)


def unfinished_replacements(folder: Path, names: str) -> list[Path]:
    """The temp files that runs killed before their rename left of `replace_file` to the files in `folder` named like
    `names` (a glob pattern). Only a run that alone writes those files may remove them."""
    return sorted(folder.glob(f".{names}.*"))


def restore_staging(writer_db: Path) -> Path:
    """Where `pactwatch restore` copies a backup beside the warehouse `writer_db`, before renaming it into place."""
    return writer_db.with_name(f".{writer_db.name}.restoring")


def set_aside_log(writer_db: Path) -> Path:
    """Where `pactwatch restore` keeps the replaced warehouse's log while it renames its copy into place."""
    return Path(f"{writer_db}.wal.before-restore")


def settle_killed_restore(writer_db: Path) -> None:
    """Put right what a restore killed (kill -9, a power cut) left beside `writer_db`, before anything opens it; the
    caller holds the writer lock. The log a restore set aside belongs to the old file while the copy still waits
    beside it, and goes back to it: opened without it, the warehouse would lack its last runs. Once the copy is the
    warehouse, that log belongs to nothing: replayed onto the restored file, it would corrupt it. Then the copy is
    removed. Where the old file has written a log of its own since (under a version before this one), both are left
    for an operator to look at: nothing is overwritten."""
    staging, set_aside, log = restore_staging(writer_db), set_aside_log(writer_db), Path(f"{writer_db}.wal")
    if set_aside.exists() and not staging.exists():
        set_aside.unlink()
    elif set_aside.exists() and not log.exists():
        os.replace(set_aside, log)
        sync_directory(writer_db.parent)
    if not set_aside.exists():
        for leftover in (Path(f"{staging}.wal"), staging):
            leftover.unlink(missing_ok=True)


def sync_file(path: Path) -> None:
    """Put `path`'s data on disk, before a rename names it: renamed first, a power cut can leave the name on an empty
    file."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def sync_directory(folder: Path) -> None:
    """Make the renames done in `folder` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
