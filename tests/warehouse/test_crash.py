"""kill -9 at any moment of an ingest leaves both files consistent; the next run completes the work."""
from __future__ import annotations

import random
import signal
import subprocess

import duckdb
import pytest

from .conftest import pactwatch

FEEDS, ITEMS = 8, 60


def published_counts(home) -> tuple[int, int]:
    with duckdb.connect(str(home / "pactwatch.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()


@pytest.mark.slow
def test_sigkill_at_random_moments_then_a_clean_run(home, static_feeds, tmp_path):
    listing = static_feeds(feeds=FEEDS, items=ITEMS)
    reference = tmp_path / "reference"
    assert pactwatch(reference, "ingest", "--interval", "0s", "--feeds", str(listing)).wait(timeout=120) == 0
    expected = published_counts(reference)
    assert expected == (FEEDS * ITEMS, FEEDS * ITEMS)

    rng = random.Random(20240619)
    kills = 0
    for attempt in range(8):
        process = pactwatch(home, "ingest", "--interval", "0s", "--feeds", str(listing))
        try:
            process.wait(timeout=rng.uniform(0.2, 2.0))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
        if (home / "pactwatch.duckdb").exists():
            stored, distinct = published_counts(home)
            assert stored == distinct and stored in (0, FEEDS * ITEMS), "a snapshot is whole: a run is all or nothing"
    assert kills >= 3, "the timings must actually interrupt runs"
    assert pactwatch(home, "ingest", "--interval", "0s", "--feeds", str(listing)).wait(timeout=120) == 0
    assert published_counts(home) == expected
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == expected
