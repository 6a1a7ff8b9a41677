"""A damaged block (bit rot, a torn write) in the writer file: publish copied it over the good snapshot, which broke
every reader, `status --check` passed, and a backup named "Current transaction is aborted" rather than the cause."""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from pipeline.home import Home
from pipeline.monitor import EXIT_UNHEALTHY
from pipeline.store.errors import StoreError
from tests.httpserver import Response
from tests.logfmt import without_ts
from tests.rss import Item, rss
from tests.test_cli_usage import invoke, run

DUCKDB_HEADERS = 3 * 4096  # the file header and the two database headers before the first block


def damage(path: Path, table: str = "articles") -> None:
    """Random bytes over the blocks holding `table`'s rows, past each block's checksum."""
    with duckdb.connect(str(path), read_only=True) as con:
        blocks = {block for block, in con.execute("SELECT DISTINCT block_id FROM pragma_storage_info(?) "
                                                   "WHERE block_id >= 0", [table]).fetchall()}
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    os.chmod(path, 0o644)
    with open(path, "r+b") as file:
        for block in blocks:
            file.seek(DUCKDB_HEADERS + block * size + 64)
            file.write(os.urandom(4096))


@pytest.fixture()
def ingested(home, http_server) -> Home:
    items = [Item(f"Talks in Seoul {n}", f"Korea and Japan met for the {n}th time." * 20, guid=f"g{n}")
             for n in range(50)]
    http_server.routes["/a.xml"] = Response(200, rss(items))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest")
    return Home.resolve(home)


def test_a_damaged_writer_is_not_published_and_the_good_snapshot_stays(home, ingested):
    published = ingested.published_db.resolve()
    damage(ingested.writer_db)
    result = run(home, "ingest", "--now")
    assert result.exit_code != 0
    assert ingested.published_db.resolve() == published, "readers keep the snapshot before it"
    assert not list(ingested.snapshots.glob(".staging-*")), "the damaged copy is removed"
    failure = json.loads(ingested.publish_failure.read_text())["error"]
    assert "checksum" in failure or "Corrupt" in failure, failure
    code = run(home, "status", "--check").exit_code
    assert code == EXIT_UNHEALTHY


def test_a_damaged_snapshot_is_a_problem_status_names(home, ingested):
    damage(ingested.published_db.resolve())
    result = run(home, "status", "--check")
    assert result.exit_code == EXIT_UNHEALTHY, result.output
    problems = without_ts(result.stderr)
    assert len(problems) == 1, "nothing else is known: the feeds, runs and tags are read from it"
    assert problems[0].startswith("pactwatch: the published snapshot cannot be read"), problems


def test_a_backup_of_a_damaged_writer_names_the_damage(home, ingested, tmp_path):
    damage(ingested.writer_db)
    result = run(home, "backup", str(tmp_path / "b.duckdb"))
    assert isinstance(result.exception, StoreError)
    assert "aborted" not in str(result.exception) and "checksum" in str(result.exception), result.exception
