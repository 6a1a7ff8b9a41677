"""A home whose warehouse.duckdb is gone but whose published snapshots are there is no new home: a writing command
that created an empty writer there published it over the only copy of the data and collected that copy (a fault
injection review lost 15,000 articles to one `rm` and the next cron ingest)."""
from __future__ import annotations

import shutil
import time

import duckdb

from pipeline.home import Home
from pipeline.monitor import EXIT_UNHEALTHY
from pipeline.store.snapshot import GRACE_SECONDS, collect_garbage, publish
from pipeline.store.warehouse import Warehouse
from tests.httpserver import Response
from tests.logfmt import without_ts
from tests.rss import Item, rss
from tests.test_cli_usage import invoke, run


def articles_in(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def ingested_twice(home, http_server) -> Home:
    """A home of two ingest runs (two snapshots), then its writer file deleted."""
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest")
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1"),
                                                      Item("Talks in Tokyo", "Japan and China met.", guid="g2")]))
    invoke(home, "ingest", "--now")
    return Home.resolve(home)


def test_a_writing_command_refuses_a_home_whose_writer_is_gone_but_whose_snapshots_are_there(home, http_server):
    stored = ingested_twice(home, http_server)
    published = stored.published_db.resolve()
    stored.writer_db.unlink()
    snapshots = sorted(stored.snapshots.iterdir())
    for command in (("ingest", "--now"), ("feeds", "add", http_server.url("/b.xml"), "--id", "b")):
        result = run(home, *command)
        assert result.exit_code == 1, result.output
        said = str(result.exception)  # main() prints it as `pactwatch: …`, exit 1
        assert "warehouse.duckdb is missing" in said and str(published) in said and "restore" in said, said
        assert not stored.writer_db.exists(), "no empty writer made"
        assert sorted(stored.snapshots.iterdir()) == snapshots and stored.published_db.resolve() == published
    assert articles_in(published) == 2


def test_status_reports_the_missing_writer_as_a_problem(home, http_server):
    stored = ingested_twice(home, http_server)
    stored.writer_db.unlink()
    result = run(home, "status", "--check")
    assert result.exit_code == EXIT_UNHEALTHY, result.output
    problems = without_ts(result.stderr)
    assert problems[0].startswith("pactwatch: warehouse.duckdb is missing"), problems
    assert "writer_missing" in invoke(home, "status")


def test_the_newest_snapshot_restored_puts_its_runs_back(home, http_server, tmp_path):
    stored = ingested_twice(home, http_server)
    stored.writer_db.unlink()
    copy = tmp_path / "recovered.duckdb"
    shutil.copyfile(stored.published_db, copy)
    invoke(home, "restore", str(copy))
    assert articles_in(stored.writer_db) == 2
    invoke(home, "ingest", "--now")


def test_garbage_collection_keeps_the_snapshots_holding_runs_the_writer_lacks(home, http_server):
    """A writer made anew (or restored from an older backup) lacks the runs of the snapshots before it: those are the
    only copy of them, however many newer snapshots there are."""
    stored = ingested_twice(home, http_server)
    older = sorted(stored.snapshots.glob("pactwatch-*.duckdb"))[-2:]  # the ingests' (the first: `feeds add`'s)
    stored.writer_db.unlink()
    with Warehouse(stored.writer_db) as fresh:
        for run_id in (1, 2, 3):
            fresh.con.execute("INSERT INTO runs (run_id, kind, started_at, status) VALUES (?, 'ingest', now(), "
                              "'completed')", [run_id])
            publish(fresh.con, stored)
        collect_garbage(stored, fresh.con, now=time.time() + GRACE_SECONDS + 1)
    assert all(path.exists() for path in older), "their runs are in no other file"
