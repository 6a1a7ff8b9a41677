"""Publishing read-only snapshots: atomic, versioned, garbage-collected, never breaking a reader."""
from __future__ import annotations

import os

import pytest

from pipeline.store import snapshot
from pipeline.store.reader import NoSnapshot, SnapshotUnreadable, current_version, open_snapshot
from pipeline.store.warehouse import Warehouse

from tests.conftest import readme_notebook
from tests.logfmt import without_ts

from .conftest import write_articles


def count(home) -> int:
    with open_snapshot(home) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_no_snapshot_before_the_first_publish(home):
    from pipeline.home import Home

    with pytest.raises(NoSnapshot, match="pactwatch demo"):
        open_snapshot(Home.resolve(home))


def test_each_publish_is_a_new_version_behind_the_stable_path(published_home):
    version, path = current_version(published_home)
    assert published_home.published_db.is_symlink() and path.name == f"pactwatch-{version:09d}.duckdb"
    with Warehouse(published_home.writer_db) as warehouse:
        write_articles(warehouse, published_home, 2)
    assert current_version(published_home)[0] == version + 1
    assert count(published_home) == 5


def test_a_bulk_writes_last_publish_says_what_it_published_as_a_publish_does(published_home):
    """publish_compacted (retag, import, demo) returned its compaction alone: its callers could not log the publish's
    time and copy as an ingest run does."""
    with Warehouse(published_home.writer_db) as warehouse:
        published = snapshot.publish_compacted(warehouse, published_home, min_free_share=0.0)
    assert published.path.resolve() == current_version(published_home)[1].resolve()
    assert published.copy in (snapshot.BYTE_COPY, snapshot.MASKED_COPY) and published.seconds >= 0
    assert published.compaction["bytes_after"] > 0, "its compaction report, compacted or not"


def test_an_open_reader_survives_new_publishes_and_garbage_collection(published_home, monkeypatch):
    monkeypatch.setattr(snapshot, "GRACE_SECONDS", 0)
    reader = open_snapshot(published_home)
    first = current_version(published_home)[1]
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(snapshot.KEEP_SNAPSHOTS + 2):
            write_articles(warehouse, published_home, 1)
    assert not first.exists(), "old snapshots are collected"
    assert len(list(published_home.snapshots.glob("pactwatch-*.duckdb"))) == snapshot.KEEP_SNAPSHOTS
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3, "the old reader keeps its view"
    assert count(published_home) == 3 + snapshot.KEEP_SNAPSHOTS + 2


def snapshot_files(home) -> list:
    return sorted(home.snapshots.glob("pactwatch-*.duckdb"), key=snapshot.snapshot_version)


def test_a_burst_of_publishes_keeps_its_copies_only_for_the_grace_period(published_home, monkeypatch):
    """A replay publishes every second or so: the copies it replaces go once replaced for GRACE_SECONDS, not
    once a minute old (that kept 60 copies of 11 MB during a 45-capture replay). The product's grace for the burst:
    the session's 1 s let a loaded machine's burst (CI beside three other jobs) outlast it, collecting a copy. An hour:
    no burst outlasts it, and nothing here waits it out."""
    monkeypatch.setattr(snapshot, "GRACE_SECONDS", 3600)
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(snapshot.KEEP_SNAPSHOTS + 2):
            write_articles(warehouse, published_home, 1)
    burst = snapshot_files(published_home)
    assert len(burst) == snapshot.KEEP_SNAPSHOTS + 3, "each was replaced a moment ago: a reader may still open it"
    newest = burst[-1].lstat().st_mtime
    with Warehouse(published_home.writer_db) as warehouse:
        removed = snapshot.collect_garbage(published_home, warehouse.con, now=newest + snapshot.GRACE_SECONDS + 1)
    assert sorted(removed, key=snapshot.snapshot_version) == burst[:3]
    assert snapshot_files(published_home) == burst[3:] and count(published_home) == 3 + snapshot.KEEP_SNAPSHOTS + 2


def test_a_bulk_writes_last_publish_collects_the_copy_a_publish_just_before_it_left(published_home):
    """A publish within GRACE_SECONDS of the one before kept a third copy of the warehouse (the oldest, replaced a
    moment ago: a reader may still open it) until the next publish, which after `make run` (a demo's home) never
    comes: a bulk load publishes on the way, then at its end. Its last publish waits that grace out and collects it;
    a reader holding the copy still reads it."""
    reader = open_snapshot(published_home)
    with Warehouse(published_home.writer_db) as warehouse:
        write_articles(warehouse, published_home, 1)
        snapshot.publish_compacted(warehouse, published_home)
    assert len(snapshot_files(published_home)) == snapshot.KEEP_SNAPSHOTS
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    assert count(published_home) == 4


def test_a_copy_published_long_ago_is_kept_while_it_was_current_a_moment_ago(published_home):
    """An idle ingest's snapshot an hour old, then two quick publishes: a reader that resolved the link just before
    the first of them holds the old copy's name, so the grace counts from its replacement, not from its age."""
    first = current_version(published_home)[1]
    an_hour_ago = first.lstat().st_mtime - 3600
    os.utime(first, (an_hour_ago, an_hour_ago))
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(snapshot.KEEP_SNAPSHOTS):
            write_articles(warehouse, published_home, 1)
    assert first.exists()
    with open_snapshot(published_home, first) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    replaced_at = snapshot_files(published_home)[1].lstat().st_mtime
    with Warehouse(published_home.writer_db) as warehouse:
        removed = snapshot.collect_garbage(published_home, warehouse.con, now=replaced_at + snapshot.GRACE_SECONDS + 1)
    assert removed == [first]


def test_garbage_collection_never_deletes_the_snapshot_the_stable_link_points_at(published_home, monkeypatch):
    """Link swaps that failed after their copies were written (a full disk refused the temporary link) leave the stable
    path on an older copy, beyond the newest kept: collected, every new reader (the dashboard, `status`) would find the
    link dangling until a publish succeeds."""
    monkeypatch.setattr(snapshot, "GRACE_SECONDS", 3600)
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(3):
            write_articles(warehouse, published_home, 1)
    oldest, *_, newest = snapshot_files(published_home)
    snapshot._point_link(published_home.published_db, oldest)
    with Warehouse(published_home.writer_db) as warehouse:
        removed = snapshot.collect_garbage(published_home, warehouse.con, now=newest.lstat().st_mtime + 3600 + 1)
    assert oldest not in removed and oldest.exists()
    assert current_version(published_home)[1] == oldest and count(published_home) == 3, "readers still open it"


def test_two_snapshots_are_kept_once_the_grace_period_is_over(published_home):
    """README ("Snapshots"): `snapshots/` keeps the current and the previous copy, whatever the grace period: a reader
    slower than it to open the copy it resolved still finds it. A literal 2: the tests above count from the constant,
    which would move with it."""
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(2):
            write_articles(warehouse, published_home, 1)
        newest = snapshot_files(published_home)[-1]
        snapshot.collect_garbage(published_home, warehouse.con, now=newest.lstat().st_mtime + 3600)
    assert len(snapshot_files(published_home)) == 2, "three publishes: the current copy and the previous one"
    assert count(published_home) == 5


def test_failed_publish_keeps_the_previous_snapshot(published_home):
    before = current_version(published_home)
    # A directory where the staging copy must go makes the copy fail even for root (like a full disk would).
    (published_home.snapshots / f".staging-{os.getpid()}.duckdb").mkdir()
    with Warehouse(published_home.writer_db) as warehouse:
        with pytest.raises(snapshot.PublishError, match="could not publish"):
            write_articles(warehouse, published_home, 1)
    assert current_version(published_home) == before and count(published_home) == 3


def test_garbage_collection_removes_what_a_killed_publish_left_at_once(published_home):
    """They waited out the grace period meant for readers, which never open them, and outlived the rerun."""
    staging = published_home.snapshots / ".staging-99999.duckdb"
    staging.write_bytes(b"half a copy")
    dangling = published_home.root / ".pactwatch.duckdb.99999.tmp"
    dangling.symlink_to("snapshots/nowhere.duckdb")
    with Warehouse(published_home.writer_db) as warehouse:
        snapshot.collect_garbage(published_home, warehouse.con)
    assert not staging.exists() and not dangling.is_symlink()
    assert count(published_home) == 3


def test_published_snapshots_are_read_only_on_disk(published_home, monkeypatch):
    monkeypatch.setattr(snapshot, "GRACE_SECONDS", 0)
    first = current_version(published_home)[1]
    assert first.stat().st_mode & 0o777 == snapshot.SNAPSHOT_MODE
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(snapshot.KEEP_SNAPSHOTS + 1):
            write_articles(warehouse, published_home, 1)
        assert warehouse.compact()["bytes_after"] > 0
        snapshot.publish(warehouse.con, published_home)
    assert not first.exists(), "read-only snapshots are still collected"
    assert {path.stat().st_mode & 0o777 for path in published_home.snapshots.iterdir()} == {snapshot.SNAPSHOT_MODE}
    assert count(published_home) == 3 + snapshot.KEEP_SNAPSHOTS + 1


def test_a_snapshot_another_process_holds_read_write_is_reported_plainly(published_home, read_write_holder):
    from tests.warehouse.test_disk_full import run

    read_write_holder(current_version(published_home)[1])
    with pytest.raises(SnapshotUnreadable, match="Conflicting lock.*read_only=True"):
        open_snapshot(published_home)
    for command in (["status"], ["sql", "SELECT 1"], ["feeds", "list"]):
        result = run(published_home.root, *command)
        assert result.returncode == 1, result
        assert without_ts(result.stderr)[0].startswith("pactwatch: cannot open the published warehouse"), result.stderr
        assert "Traceback" not in result.stderr
    with Warehouse(published_home.writer_db) as warehouse:
        write_articles(warehouse, published_home, 1)
    assert count(published_home) == 4, "the next publish is a new file the lock does not cover"


def test_the_readmes_notebook_snippet_names_the_catalog_as_the_sandbox_does(published_home):
    """Python's connect() resolves the link, so its catalog was named after the snapshot file and changed at
    every publish; the README now shows the ATTACH form, run here as written but for the home's path."""
    from pipeline.store.sandbox import WAREHOUSE

    con = readme_notebook(published_home.published_db)
    try:
        assert con.execute("SELECT current_database(), count(*) FROM articles").fetchone() == (WAREHOUSE, 3)
        assert con.execute(f"SELECT count(*) FROM {WAREHOUSE}.main.articles").fetchone() == (3,)
    finally:
        con.close()


def test_a_published_link_whose_file_is_gone_is_reported_not_read_as_an_empty_home(published_home):
    """`status` said 0 articles and no feeds, `feeds list` an empty list, while the writer held thousands."""
    published_home.published_db.resolve().unlink()
    with pytest.raises(SnapshotUnreadable, match=r"which is gone; `pactwatch ingest` \(or `retag`\) publishes"):
        open_snapshot(published_home)
    with Warehouse(published_home.writer_db) as warehouse:
        assert snapshot.published_behind(warehouse.con, published_home)
        snapshot.publish(warehouse.con, published_home)
        assert not snapshot.published_behind(warehouse.con, published_home)
    assert count(published_home) > 0


def test_garbage_collection_reads_runs_as_integers_and_tells_apart_runs_a_microsecond_apart(published_home):
    """Every publish compares the runs of the writer with those of each snapshot beyond the kept ones: a year of
    15-minute runs is 35,000 rows, which read as Python datetimes took 0.7 s from each file (docs/benchmarks.md, "A
    year of unattended ingestion"). Read as integers they keep the microsecond: a writer whose runs started a
    microsecond later (made anew under the same run ids) lacks the snapshots' runs, which are kept."""
    with Warehouse(published_home.writer_db) as warehouse:
        for _ in range(snapshot.KEEP_SNAPSHOTS):
            write_articles(warehouse, published_home, 1)
        runs = snapshot._runs(warehouse.con)
        assert runs and {type(value) for run in runs for value in run} == {int}
        oldest = snapshot_files(published_home)[0]
        warehouse.con.execute("UPDATE runs SET started_at = started_at + INTERVAL 1 MICROSECOND")
        removed = snapshot.collect_garbage(published_home, warehouse.con, now=oldest.lstat().st_mtime + 3600)
    assert removed == [] and oldest.exists(), "its runs are in no other file"


def test_a_failure_record_that_cannot_be_written_leaves_the_one_before_whole(published_home):
    """On a full disk the record was written in place: truncated first, then refused, it was left empty, and readers
    said "publishing failed at an unknown time" (stop 75's audit). A file size limit refuses the write as the disk
    did (Python ignores SIGXFSZ: the write fails with EFBIG)."""
    import resource

    snapshot._record_publish_failure(published_home, OSError("the first failure"))
    before = snapshot.publish_failure(published_home)
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, limits[1]))
    try:
        snapshot._record_publish_failure(published_home, OSError("a longer second failure, on a full disk"))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
    assert snapshot.publish_failure(published_home) == before and before["error"] == "the first failure"
    assert not list(published_home.root.glob(".publish*")), "no temp file left behind"
