"""Readers never block the writer and the writer never breaks a reader (issue: the warehouse)."""
from __future__ import annotations

import json

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from .conftest import start_python

# An analyst opening the published path afresh every 0.1 s, as the DuckDB CLI or a notebook would.
POLLING_READER = """
import json, sys, time, duckdb
path, stop_file = sys.argv[1], sys.argv[2]
counts, errors = [], []
import os
while not os.path.exists(stop_file):
    try:
        con = duckdb.connect(path, read_only=True)
        counts.append(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        con.close()
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.1)
print(json.dumps({"counts": counts, "errors": errors}))
"""

# A dashboard-like process holding one read-only connection for the whole test.
HOLDING_READER = """
import json, os, sys, time, duckdb
path, stop_file = sys.argv[1], sys.argv[2]
con = duckdb.connect(path, read_only=True)
counts, errors = [], []
while not os.path.exists(stop_file):
    try:
        counts.append(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.1)
print(json.dumps({"counts": counts, "errors": errors}))
"""


@pytest.mark.slow
def test_twenty_runs_with_readers_polling_and_holding(home, growing_feeds, tmp_path):
    listing = growing_feeds(feeds=5, per_request=3)
    runner = CliRunner()
    first = runner.invoke(cli, ["--home", str(home), "ingest", "--interval", "0s", "--feeds", str(listing)])
    assert first.exit_code == 0, first.output
    stop = tmp_path / "stop"
    published = str(home / "pactwatch.duckdb")
    readers = [start_python(POLLING_READER, published, str(stop)), start_python(HOLDING_READER, published, str(stop))]
    writer_errors = []
    for _ in range(19):
        result = runner.invoke(cli, ["--home", str(home), "ingest", "--interval", "0s"])
        if result.exit_code != 0:
            writer_errors.append(result.output)
    stop.touch()
    polling, holding = (json.loads(reader.communicate(timeout=60)[0]) for reader in readers)

    assert writer_errors == []
    assert polling["errors"] == [] and holding["errors"] == []
    assert len(polling["counts"]) > 10 and len(holding["counts"]) > 10
    assert polling["counts"] == sorted(polling["counts"]), "a reader never sees the count go down"
    expected = 5 * 3 * 20
    with duckdb.connect(published, read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (expected, expected)
    assert polling["counts"][-1] <= expected
