"""kill -9 at any moment of an ingest leaves both files consistent; the next run completes the work."""
from __future__ import annotations

import random
import signal
import subprocess
import time

import duckdb
import pytest

from .conftest import pactwatch

FEEDS, ITEMS = 8, 60


def published_counts(home) -> tuple[int, int]:
    with duckdb.connect(str(home / "pactwatch.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()


@pytest.mark.slow
def test_sigkill_at_random_moments_then_a_clean_run(home, static_feeds, tmp_path):
    """The kills are spread over the reference run's own time: spread over 0.2-2 s, a box that ran the whole ingest in
    under 2 s interrupted only two runs of eight."""
    listing = static_feeds(feeds=FEEDS, items=ITEMS)
    reference = tmp_path / "reference"
    started = time.monotonic()
    assert pactwatch(reference, "ingest", "--interval", "0s", "--feeds", str(listing)).wait(timeout=120) == 0
    seconds = time.monotonic() - started
    expected = published_counts(reference)
    assert expected == (FEEDS * ITEMS, FEEDS * ITEMS)

    rng = random.Random(20240619)
    kills = 0
    for attempt in range(8):
        process = pactwatch(home, "ingest", "--interval", "0s", "--feeds", str(listing))
        try:
            process.wait(timeout=rng.uniform(0.1, 1.0) * seconds)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
        if (home / "pactwatch.duckdb").exists():
            stored, distinct = published_counts(home)
            assert stored == distinct and stored in (0, FEEDS * ITEMS), "a snapshot is whole: a run is all or nothing"
    assert kills >= 3, f"the timings must actually interrupt runs ({kills} of 8 in a run of {seconds:.1f} s)"
    assert pactwatch(home, "ingest", "--interval", "0s", "--feeds", str(listing)).wait(timeout=120) == 0
    assert published_counts(home) == expected
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == expected
