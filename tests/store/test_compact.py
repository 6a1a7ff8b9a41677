"""compact: the writer file rewritten without free blocks, every row, view, constraint and comment kept."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.home import Home
from pipeline.seeds import load_tagger
from pipeline.store.catalog import data_dictionary
from pipeline.store.errors import StoreError
from pipeline.store.reader import open_snapshot
from pipeline.store.warehouse import Warehouse
from pipeline.tag_pool import derive
from tests.logfmt import without_ts

from .conftest import run_row, write_articles

TITLES = ("Putin hosts Kim in Pyongyang", "Seoul and Tokyo hold talks on North Korean missiles",
          "India buys more Russian oil despite US sanctions", "Chinese tourists return to Thailand")


@pytest.fixture()
def churned_home(home) -> Home:
    """A published home whose derived tables were replaced once, as a retag does, so its file has free blocks."""
    pw_home = Home.resolve(home).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        for _ in range(3):
            write_articles(warehouse, pw_home, 400)
        warehouse.con.execute("UPDATE articles SET title = ? || ' ' || article_id, text = repeat(title || '. ', 8)",
                              [TITLES[0]])
        tagger = load_tagger()
        batches = (derive(rows, tagger).tables for rows in warehouse.iter_articles_for_tagging(batch_size=300))
        run_id = warehouse.next_run_id()
        warehouse.replace_derived(batches, finish_run=lambda: {**run_row(run_id, 0), "kind": "retag"})
    return pw_home


def everything(warehouse: Warehouse) -> dict:
    con = warehouse.con
    tables = [row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {
        "rows": {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in tables},
        "dictionary": data_dictionary(con),
        "views": con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall(),
        "constraints": con.execute("SELECT table_name, constraint_text FROM duckdb_constraints() ORDER BY ALL").fetchall(),
    }


def leftovers(pw_home: Home) -> list[str]:
    return sorted(path.name for path in pw_home.writer_db.parent.glob(f".{pw_home.writer_db.name}*"))


def test_compact_drops_the_free_blocks_and_keeps_everything_else(churned_home):
    with Warehouse(churned_home.writer_db) as warehouse:
        before = everything(warehouse)
        report = warehouse.compact()
        assert report["compacted"] and report["free_share_before"] > 0.1 and report["free_share_after"] == 0.0
        assert report["bytes_after"] < report["bytes_before"] * (1 - report["free_share_before"] / 2)
        assert report["bytes_after"] == churned_home.writer_db.stat().st_size
        assert everything(warehouse) == before
        assert sum(map(len, before["rows"].values())) > 3000 and before["views"] and before["constraints"]
        write_articles(warehouse, churned_home, 5)  # the reopened connection writes and publishes
        assert warehouse.article_count() == 1205
    assert leftovers(churned_home) == []


def test_compact_below_the_free_share_leaves_the_file_alone(churned_home):
    with Warehouse(churned_home.writer_db) as warehouse:
        warehouse.con.execute("CHECKPOINT")
        inode = churned_home.writer_db.stat().st_ino
        report = warehouse.compact(min_free_share=0.99)
        assert not report["compacted"] and report["bytes_after"] == report["bytes_before"]
        assert churned_home.writer_db.stat().st_ino == inode


def test_opening_the_warehouse_removes_a_killed_compactions_copy(churned_home):
    with Warehouse(churned_home.writer_db) as warehouse:
        expected = everything(warehouse)
    for name in (f".{churned_home.writer_db.name}.compacting", f".{churned_home.writer_db.name}.compacting.wal"):
        (churned_home.writer_db.parent / name).write_bytes(b"half a database")
    with Warehouse(churned_home.writer_db) as warehouse:
        assert leftovers(churned_home) == []
        assert everything(warehouse) == expected


def test_cli_compact_reports_and_publishes(churned_home):
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.store.reader import open_snapshot

    result = CliRunner().invoke(cli, ["--home", str(churned_home.root), "compact", "--min-free", "0.1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["compacted"] and report["free_share_after"] == 0.0
    with open_snapshot(churned_home) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1200,)
    published = sorted(churned_home.snapshots.iterdir())
    again = CliRunner().invoke(cli, ["--home", str(churned_home.root), "compact", "--min-free", "0.1"],
                               catch_exceptions=False)
    assert not json.loads(again.output)["compacted"]
    assert sorted(churned_home.snapshots.iterdir()) == published, "nothing compacted, no new snapshot copied"


def test_a_compaction_that_runs_out_of_disk_leaves_the_warehouse_as_it_was(churned_home):
    from tests.warehouse.test_disk_full import run

    before = churned_home.writer_db.read_bytes()
    failed = run(churned_home.root, "compact", file_size_limit=256 * 1024)
    assert failed.returncode == 1
    assert without_ts(failed.stderr)[0].startswith("pactwatch: ") and "Traceback" not in failed.stderr, failed.stderr
    assert "it is unchanged" in failed.stderr
    assert churned_home.writer_db.read_bytes() == before
    assert leftovers(churned_home) == []

    compacted = run(churned_home.root, "compact")
    assert compacted.returncode == 0 and json.loads(compacted.stdout)["compacted"], compacted.stderr
    with Warehouse(churned_home.writer_db) as warehouse:
        assert warehouse.article_count() == 1200



def status(root) -> dict:
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(root), "status", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_status_reports_the_free_block_share_of_the_writer_not_of_the_snapshot(home):
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.store.compact import space_use
    from pipeline.store.snapshot import publish

    pw_home = Home.resolve(home).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        for _ in range(3):
            write_articles(warehouse, pw_home, 400)
        assert status(home)["writer_busy"], "this process holds the writer file open"
        warehouse.compact()
        publish(warehouse.con, pw_home)
        # Rewrites the column's blocks and publishes nothing, like a retag or an import stopped early.
        warehouse.con.execute("UPDATE articles SET text = repeat(title || '. ', 8)")
        warehouse.con.execute("CHECKPOINT")
        written = space_use(warehouse.con).free_share
    with open_snapshot(pw_home) as con:
        assert space_use(con).free_share == 0.0, "published compacted, before the rewrite"
    assert status(home)["free_block_share"] == round(written, 3) > 0.05  # the rewrite freed the old blocks
    CliRunner().invoke(cli, ["--home", str(home), "compact"], catch_exceptions=False)
    assert status(home)["free_block_share"] == 0.0


def test_status_does_not_wait_for_a_writing_command(churned_home):
    with churned_home.writer_lock():
        report = status(churned_home.root)
    assert report["writer_busy"] and report["free_block_share"] is None
    assert report["articles"] == 1200, "the rest comes from the snapshot as ever"
    assert not status(churned_home.root)["writer_busy"]


@pytest.fixture()
def read_only():
    """Make paths read-only for this process, as a home is for a reader who does not own it: chmod for a user;
    chattr +i for root, whom permissions do not stop (skipped where chattr is missing or unsupported)."""
    frozen: list[Path] = []

    def freeze(*paths: Path) -> None:
        for path in paths:
            if os.geteuid() != 0:
                path.chmod(path.stat().st_mode & ~0o222)
            elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)],
                                                                 capture_output=True).returncode:
                pytest.skip("as root only chattr +i makes a home read-only, and it is missing or unsupported here")
            frozen.append(path)

    yield freeze
    for path in reversed(frozen):
        if os.geteuid() != 0:
            path.chmod(path.stat().st_mode | 0o200)
        else:
            subprocess.run(["chattr", "-i", str(path)], check=True)


def test_status_reads_the_free_share_for_a_user_who_may_only_read_the_home(churned_home, read_only):
    with churned_home.writer_lock():  # a writing command ran once: the lock file exists
        pass
    expected = status(churned_home.root)["free_block_share"]
    read_only(churned_home.lock_file, churned_home.root)
    with pytest.raises(PermissionError):  # what writer_state (then writer_free_share) met before: the lock opened for writing
        with churned_home.writer_lock():
            pass
    report = status(churned_home.root)
    assert (report["free_block_share"], report["writer_busy"], report["writer_unreadable"]) == (expected, False, None)
    assert expected > 0.1


def test_status_without_the_home_lock_says_why_it_has_no_free_share(churned_home, read_only):
    assert not churned_home.lock_file.exists()  # written outside any command: none made it
    read_only(churned_home.root)
    report = status(churned_home.root)
    assert report["free_block_share"] is None and not report["writer_busy"]
    assert "ingest.lock" in report["writer_unreadable"] and report["articles"] == 1200
    assert not report["writer_damaged"], "not a problem for `status --check`: the writers may open it"
    from click.testing import CliRunner

    from pipeline.cli import cli

    text = CliRunner().invoke(cli, ["--home", str(churned_home.root), "status"], catch_exceptions=False)
    assert text.exit_code == 0 and \
        "free_block_share and snapshot_behind are not read: cannot take the home's reader lock" in text.output


def test_compact_in_a_home_whose_path_needs_quoting(tmp_path):
    pw_home = Home.resolve(tmp_path / "O'Brien's \"data\"").ensure()  # ATTACH takes the path as a literal
    with Warehouse(pw_home.writer_db) as warehouse:
        for _ in range(3):
            write_articles(warehouse, pw_home, 400)
        warehouse.con.execute("UPDATE articles SET text = repeat(title || '. ', 8)")
        assert warehouse.compact()["compacted"]
        assert warehouse.article_count() == 1200
    assert leftovers(pw_home) == []


def test_a_compaction_that_fails_before_a_bulk_writes_last_publish_is_recorded_for_readers(churned_home):
    """retag, import and demo compact the writer before their last publish, and a full disk fails that copy first:
    readers were not told the snapshot lacks the committed run. A directory where the copy goes refuses it, even for
    root; the next publish that succeeds clears the record."""
    from pipeline.store import snapshot

    refused = churned_home.writer_db.with_name(f".{churned_home.writer_db.name}.compacting")
    with Warehouse(churned_home.writer_db) as warehouse:
        # free blocks before the file's last ones (a checkpoint cuts free blocks off its end), more than the daily
        # aggregates' refresh can fill (md5: text that compresses no smaller)
        for statement in ("CREATE TABLE churn AS SELECT md5(range::VARCHAR) AS x FROM range(200000)", "CHECKPOINT",
                          "CREATE TABLE kept AS SELECT md5(range::VARCHAR) AS x FROM range(200000)", "CHECKPOINT",
                          "DROP TABLE churn", "CHECKPOINT"):
            warehouse.con.execute(statement)
        refused.mkdir()
        with pytest.raises(StoreError, match="Is a directory.*; it is unchanged"):
            snapshot.publish_compacted(warehouse, churned_home, min_free_share=0.0)
        assert str(refused) in snapshot.publish_failure(churned_home)["error"]
        refused.rmdir()
        snapshot.publish_compacted(warehouse, churned_home, min_free_share=0.0)
    assert snapshot.publish_failure(churned_home) is None
