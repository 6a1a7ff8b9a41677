"""The hostile/edge-case corpus (../shared/data/feeds/edge-cases): nothing raises, bombs die fast,
memory stays bounded."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import psutil
import pytest

from pipeline.feeds.models import FeedState
from pipeline.feeds.parse import parse_feed
from pipeline.feeds.poll import poll
from tests.feeds.conftest import NOW

pytestmark = pytest.mark.corpus

BOMB_SECONDS = 5.0  # a safety property, not a speed test: measured ≈ 1 ms
PEAK_RSS_BYTES = 1 << 30
NOT_FEEDS = {".csv", ".md", ".json"}


def corpus_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*")
                  if path.is_file() and path.suffix not in NOT_FEEDS and not path.name.startswith("LICENSE"))


def declares_entities(body: bytes) -> bool:
    return b"<!ENTITY" in body.replace(b"\x00", b"")


@pytest.fixture(scope="module")
def edge_cases(shared_data: Path) -> Path:
    root = shared_data / "feeds" / "edge-cases"
    if not root.is_dir():
        pytest.skip(f"{root} not found")
    return root


class PeakRss:
    """Samples the RSS of a process and its children in the background (psutil), as a peak: the one `pid` names (a
    subprocess under test), or this process's, where `grown` is the peak over what it held on entry (a pytest worker's
    own RSS grows with the tests it ran before: 1.1 GiB measured once, 0.4 GiB of it the ingest under test)."""

    def __init__(self, pid: int | None = None) -> None:
        self.pid = pid
        self.peak = 0
        self.start = psutil.Process().memory_info().rss if pid is None else 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def grown(self) -> int:
        return self.peak - self.start

    def _sample(self) -> None:
        process = psutil.Process(self.pid)
        while True:
            try:
                family = [process] + process.children(recursive=True)
            except psutil.Error:  # the process under test has ended
                return
            total = 0
            for member in family:
                try:
                    total += member.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            if self._stop.wait(0.01):
                return


def test_every_file_parses_without_raising_and_bombs_die_fast(edge_cases):
    files = corpus_files(edge_cases)
    assert len(files) > 2_000
    slow_bombs, accepted_bombs = [], []
    with PeakRss() as memory:
        for path in files:
            body = path.read_bytes()
            started = time.perf_counter()
            parsed = parse_feed(body, path.as_uri(), NOW)  # must not raise
            elapsed = time.perf_counter() - started
            if declares_entities(body) or path.parent.name == "defusedxml-xmlbombs":
                if elapsed > BOMB_SECONDS:
                    slow_bombs.append((path.name, elapsed))
                if declares_entities(body) and not (parsed.error or "").startswith("rejected"):
                    accepted_bombs.append(path.relative_to(edge_cases))
    assert slow_bombs == []
    assert accepted_bombs == []
    assert memory.grown < PEAK_RSS_BYTES, f"RSS grew {memory.grown / 2**20:.0f} MiB"


def test_known_bombs_are_rejected(edge_cases):
    for name in ("xmlbomb.xml", "xmlbomb2.xml", "quadratic.xml", "cyclic.xml", "external.xml", "external_file.xml"):
        parsed = parse_feed((edge_cases / "defusedxml-xmlbombs" / name).read_bytes(), "https://e.org/", NOW)
        assert parsed.error.startswith("rejected"), name
    for name in ("rss-billion-laughs.xml", "rss-quadratic-blowup-12KB.xml", "rss-xxe-local-file.xml"):
        assert parse_feed((edge_cases / "synthetic" / name).read_bytes(), "https://e.org/", NOW).error


def test_whole_corpus_through_poll(edge_cases):
    """Every file as a file:// feed through the real poller and parser pool: one result each."""
    files = corpus_files(edge_cases)
    states = [FeedState(f"f{n}", path.as_uri()) for n, path in enumerate(files)]
    with PeakRss() as memory:
        outcomes = {result.feed_id: result.outcome for result, _ in poll(states, now=NOW, per_host=8)}
    assert len(outcomes) == len(files)
    assert set(outcomes.values()) <= {"ok", "error", "rejected"}
    assert memory.grown < PEAK_RSS_BYTES, f"RSS grew {memory.grown / 2**20:.0f} MiB"
