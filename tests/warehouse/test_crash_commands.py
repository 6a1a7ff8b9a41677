"""kill -9 at any moment of the other writing commands (retag, compact, import): the published snapshot stays whole,
nothing stored is lost, nothing is left behind, and the command run again gives what an uninterrupted run gives.

`demo` loads its corpus as `import` does (BulkPublisher, publish_compacted) but costs seconds a run even at 60
articles (writing the corpus sizes its spikes with the real tagger), too slow for a run per random kill: it is
killed at three chosen moments instead, each the first sight of a file it makes."""
from __future__ import annotations

import fcntl
import json
import os
import random
import re
import signal
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Callable, NamedTuple

import duckdb
import pytest

from pipeline.demo import DemoManifest
from pipeline.feeds.feedlist import load_feed_list
from pipeline.home import Home
from pipeline.store.queries import articles_without_tags, tag_versions
from pipeline.store.snapshot import GRACE_SECONDS, KEEP_SNAPSHOTS, collect_garbage, publish, snapshot_version
from pipeline.store.warehouse import DERIVED_TABLES, STAGING_SUFFIX

from tests.conftest import home_copy

from .conftest import COUNTRIES, pactwatch, pactwatch_command

# Small enough for a busy 2-core box: a run takes seconds, most of them start-up.
ARCHIVE_ARTICLES, BATCH = 800, 200
# Each attempt is a process start-up (the tagger in every pool worker) and a run: the bulk of the cost in CI.
ATTEMPTS = 4
CONTENT_TABLES = ("articles", "article_feeds", *DERIVED_TABLES, "country_daily", "comention_daily")
# Columns that say when a command ran, not what it stored: they differ between the reference home and the other.
WHEN_STORED = {"articles": ("first_seen_at", "run_id"), "article_feeds": ("first_seen_at", "run_id")}
HOME_ENTRIES = {"warehouse.duckdb", "pactwatch.duckdb", "snapshots", "ingest.lock"}
SNAPSHOT_NAME = re.compile(r"pactwatch-\d{9}\.duckdb")
OLD_TAGGER = "0.0+an-older-tagger"
# The writer's log, made by a command's first write: kills are spread from then on, not over the start-up
# (imports, the tagger, the process pool), where a kill interrupts nothing.
WRITING = "warehouse.duckdb.wal"


def write_archive(path: Path) -> Path:
    records = ({"id": f"a{n}", "url": f"https://archive.example.org/{n}", "source": "Archive",
                "title": f"{COUNTRIES[n % 8]} and {COUNTRIES[(3 * n + 1) % 8]} hold talks, part {n}",
                "text": f"{COUNTRIES[n % 8]} and {COUNTRIES[(3 * n + 1) % 8]} signed a trade agreement on {n} "
                        "items. Sanctions on oil exports were discussed.",
                "published": f"2024-06-{1 + n % 28:02d}T10:00:00Z"} for n in range(ARCHIVE_ARTICLES))
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def finished(home: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(pactwatch_command(home, *args), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def timed(home: Path, *args: str, marker: str | None = None) -> float:
    """Seconds an uninterrupted run takes (from the moment it makes `marker` in the home, when given): the span the
    kills are spread over. Only chooses moments; nothing asserts on it."""
    process, started = pactwatch(home, *args), time.time()
    began = time.monotonic() if marker is None else made(home / marker, process, started)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return time.monotonic() - began


def killed_when_made(home: Path, args: tuple[str, ...], marker: str) -> bool:
    """Run `pactwatch args` and SIGKILL it as it makes `marker` in the home; whether the kill came before its end."""
    process, started = pactwatch(home, *args), time.time()
    made(home / marker, process, started)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return process.returncode == -signal.SIGKILL


def made(path: Path, process: subprocess.Popen, started: float) -> float:
    """The moment the process started at `started` has made `path` (or ended without making it): one a killed run
    left does not count."""
    while not _modified_since(path, started) and process.poll() is None:
        time.sleep(0.001)
    return time.monotonic()


def _modified_since(path: Path, started: float) -> bool:
    try:
        return path.stat().st_mtime >= started
    except FileNotFoundError:
        return False


def kill_at_random_moments(home: Path, args: tuple[str, ...], seconds: float, check, *, seed: int,
                           marker: str | None = None) -> int:
    """Run `pactwatch args` ATTEMPTS times, each SIGKILLed at a seeded random moment within `seconds` (of the
    moment it makes `marker`, when given) unless it ends first; `check()` after each. Returns the number killed."""
    rng, kills = random.Random(seed), 0
    for _ in range(ATTEMPTS):
        process, started = pactwatch(home, *args), time.time()
        if marker is not None:
            made(home / marker, process, started)
        try:
            _, stderr = process.communicate(timeout=rng.uniform(0, seconds))
            assert process.returncode == 0, stderr
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.communicate()
            kills += 1
        check()
    return kills


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """Rows and a hash of the contents of every table a command stores or rebuilds."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM (SELECT * {_except(table)} "
                                   f"FROM {table}) t").fetchone() for table in CONTENT_TABLES}


def _except(table: str) -> str:
    return f"EXCLUDE ({', '.join(WHEN_STORED[table])})" if table in WHEN_STORED else ""


def stored_ids(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {article_id for article_id, in con.execute("SELECT article_id FROM articles").fetchall()}


def assert_whole(path: Path) -> None:
    """Every article tagged, all by one tagger version, and counted by the runs that stored it."""
    with duckdb.connect(str(path), read_only=True) as con:
        articles, counted = con.execute("SELECT (SELECT count(*) FROM articles), "
                                        "(SELECT coalesce(sum(new_articles), 0) FROM runs)").fetchone()
        assert articles == counted, f"{path.name}: {articles} articles, its runs stored {counted}"
        assert articles_without_tags(con) == 0, f"{path.name}: articles without their tags"
        assert len(tag_versions(con)) <= 1, f"{path.name} mixes tagger versions: {tag_versions(con)}"


def assert_lock_free(home: Path) -> None:
    """ingest.lock is an flock: it dies with the killed process."""
    with open(home / "ingest.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if a dead writer still held it
        fcntl.flock(handle, fcntl.LOCK_UN)


def one_of(*states: dict) -> Callable[[dict], bool]:
    return lambda published: published in states


def whole_runs_of(loaded: dict) -> Callable[[dict], bool]:
    """A bulk load publishes at its end what it `loaded`, and on the way (every BULK_PUBLISH_SECONDS) whole runs."""
    return lambda published: published == loaded or (published["articles"][0] % BATCH == 0
                                                      and published["articles"][0] < loaded["articles"][0])


def never_losing(home: Path, publishable: Callable[[dict], bool]):
    """The check after each kill: a published snapshot that is `publishable` (or none yet), a writer
    file that opens whole with every article any earlier attempt stored, and a free lock."""
    stored = stored_ids(home / "warehouse.duckdb") if (home / "warehouse.duckdb").exists() else set()

    def check() -> None:
        assert_lock_free(home)
        if (home / "pactwatch.duckdb").exists():
            assert publishable(fingerprint(home / "pactwatch.duckdb")), "a snapshot is a run's before or after"
            assert_whole(home / "pactwatch.duckdb")
        if (home / "warehouse.duckdb").exists():
            assert_whole(home / "warehouse.duckdb")
            now_stored = stored_ids(home / "warehouse.duckdb")
            assert stored <= now_stored, "an article stored before was lost"
            stored.update(now_stored)
    return check


def assert_status_reads(home: Path) -> None:
    """`status` after the last kill reads the home a killed run left. Once, not after every kill: a process
    start-up each, and the checks before it already open both files and take the lock."""
    status = json.loads(finished(home, "status", "--json").stdout)
    assert status["writer_unreadable"] is None and not status["writer_busy"], status


def assert_completed_like(home: Path, reference: Path) -> None:
    """The command run again to its end: both files hold what the uninterrupted run stored, and nothing is left
    behind but the home's own files (old snapshots go once their grace period is over)."""
    assert fingerprint(home / "pactwatch.duckdb") == fingerprint(reference / "pactwatch.duckdb")
    assert fingerprint(home / "warehouse.duckdb") == fingerprint(reference / "warehouse.duckdb")
    assert_whole(home / "warehouse.duckdb")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        staging = con.execute("SELECT table_name FROM duckdb_tables() WHERE ends_with(table_name, ?)",
                              [STAGING_SUFFIX]).fetchall()
    assert staging == [], "a killed retag's staging tables are dropped"
    assert {entry.name for entry in home.iterdir()} <= HOME_ENTRIES
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as writer:
        collect_garbage(Home(home), writer, now=time.time() + GRACE_SECONDS + 1)
    snapshots = sorted(entry.name for entry in (home / "snapshots").iterdir())
    assert all(SNAPSHOT_NAME.fullmatch(name) for name in snapshots) and len(snapshots) <= KEEP_SNAPSHOTS, snapshots


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return write_archive(tmp_path_factory.mktemp("archive") / "archive.jsonl")


class Imported(NamedTuple):
    home: Path
    seconds: float  # its import's, from the first write


def import_args(archive: Path) -> tuple[str, ...]:
    return "import", str(archive), "--batch-size", str(BATCH)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, archive) -> Imported:
    """A home holding the archive, published: what the other tests start from, and the import test's reference."""
    home = tmp_path_factory.mktemp("imported") / "home"
    return Imported(home, timed(home, *import_args(archive), marker=WRITING))


def tagged_by_an_older_tagger(home: Path) -> Path:
    """Tags of another tagger version in both files, as after an upgrade: what `retag` replaces. Published long before,
    as an upgrade finds them: else the first retag, the reference the kills are spread over, waited out the readers'
    grace for that snapshot (up to GRACE_SECONDS) and the retags after it did not, over in a tenth of its time."""
    with closing(duckdb.connect(str(home / "warehouse.duckdb"))) as con:
        for table in DERIVED_TABLES:
            con.execute(f"UPDATE {table} SET tagger_version = ?", [OLD_TAGGER])
        publish(con, Home(home))
    long_before = time.time() - 10 * GRACE_SECONDS
    for snapshot in (home / "snapshots").iterdir():
        os.utime(snapshot, (long_before, long_before))
    return home


def with_free_blocks(home: Path) -> Path:
    """The same contents, with a dropped table's blocks free in the writer file: what `compact` reclaims."""
    with closing(duckdb.connect(str(home / "warehouse.duckdb"))) as con:
        con.execute("CREATE TABLE dropped AS SELECT * FROM articles")
        con.execute("CHECKPOINT")
        con.execute("DROP TABLE dropped")
        con.execute("CHECKPOINT")
    return home


@pytest.mark.slow
def test_sigkill_during_retag_then_a_clean_retag(imported, tmp_path):
    home = tagged_by_an_older_tagger(home_copy(imported.home, tmp_path / "home"))
    reference = home_copy(home, tmp_path / "reference")
    seconds = timed(reference, "retag", marker=WRITING)
    before, after = fingerprint(home / "pactwatch.duckdb"), fingerprint(reference / "pactwatch.duckdb")
    assert before != after

    kills = kill_at_random_moments(home, ("retag",), seconds, never_losing(home, one_of(before, after)), seed=20261201,
                                   marker=WRITING)
    assert kills >= 2, "the timings must actually interrupt runs"
    assert_status_reads(home)
    finished(home, "retag")
    assert_completed_like(home, reference)


@pytest.mark.slow
def test_sigkill_during_compact_then_a_clean_compact(imported, tmp_path):
    home = with_free_blocks(home_copy(imported.home, tmp_path / "home"))
    reference = home_copy(home, tmp_path / "reference")
    # from the moment the copy starts: before it, a kill only interrupts the start-up
    seconds = timed(reference, "compact", marker=".warehouse.duckdb.compacting")
    published = fingerprint(home / "pactwatch.duckdb")
    assert published == fingerprint(reference / "pactwatch.duckdb") == fingerprint(home / "warehouse.duckdb")

    checked = never_losing(home, one_of(published))

    def checked_then_freed_again() -> None:  # each attempt finds something to compact, though one got to the end
        checked()
        assert fingerprint(home / "warehouse.duckdb") == published, "compacting changes no stored row"
        with_free_blocks(home)

    kills = kill_at_random_moments(home, ("compact",), seconds, checked_then_freed_again, seed=20261202,
                                   marker=".warehouse.duckdb.compacting")
    assert kills >= 2, "the timings must actually interrupt runs"
    assert_status_reads(home)
    finished(home, "compact")
    assert_completed_like(home, reference)
    assert json.loads(finished(home, "status", "--json").stdout)["free_block_share"] == 0


@pytest.mark.slow
def test_sigkill_during_import_then_a_clean_import(archive, imported, tmp_path):
    home, (reference, seconds), args = tmp_path / "home", imported, import_args(archive)
    after = fingerprint(reference / "pactwatch.duckdb")
    assert after["articles"][0] == ARCHIVE_ARTICLES

    # A killed import keeps the runs it committed and the next one goes on from there: kills spread over a share of
    # the run land in the part not done yet, not after the end of the work.
    kills = kill_at_random_moments(home, args, 2 * seconds / ATTEMPTS, never_losing(home, whole_runs_of(after)),
                                   seed=20261203, marker=WRITING)
    assert kills >= 2, "the timings must actually interrupt runs"
    assert_status_reads(home)
    finished(home, *args)
    assert_completed_like(home, reference)


DEMO = ("demo", "--articles", "60", "--end-date", "2026-06-30")
DEMO_ARTICLES = 60  # that corpus holds no duplicate
# The first sight of each, in the order a demo makes them: it kills a run as it ends writing the corpus (the feed list
# written, the manifest maybe not), as it starts loading it, and as it publishes what it loaded.
DEMO_MOMENTS = ("demo/feeds.toml", "demo/manifest.json", "snapshots/pactwatch-000000001.duckdb")


def demo_corpus(home: Path) -> tuple[DemoManifest | None, list[str] | None]:
    """The manifest and the feed ids of the feed list in the home's demo folder, None for a file not there: whole
    (they load), or not there at all."""
    manifest, feed_list = home / "demo" / "manifest.json", home / "demo" / "feeds.toml"
    return (DemoManifest.load(manifest.parent) if manifest.exists() else None,
            [spec.feed_id for spec in load_feed_list(feed_list)] if feed_list.exists() else None)


def cut_short(path: Path) -> None:
    """What writing in place (versions before) left of a file when the run was killed half-way."""
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])


@pytest.mark.slow
def test_sigkill_during_demo_then_a_demo_that_ends_with_a_whole_home(tmp_path):
    """`pactwatch demo` run again (which starts over a demo holding the home alone, as `make run`'s `demo --unless-done`
    does a stopped one) writes the corpus again before reading it, so the files a killed run (or a version before) left
    cut short are rewritten."""
    home, seen = tmp_path / "home", []
    checked = never_losing(home, lambda published: published["articles"][0] == DEMO_ARTICLES)
    kills = 0
    for marker in DEMO_MOMENTS:
        kills += killed_when_made(home, DEMO, marker)
        checked()
        seen.append(demo_corpus(home))
    assert kills >= 2, "the moments must actually interrupt runs"
    for path in (home / "demo" / "manifest.json", home / "demo" / "feeds.toml"):
        cut_short(path)
    unfinished = (home / "demo" / ".manifest.json.k1ll3d", home / "demo" / "demo-wire" / ".00000.xml.k1ll3d")
    for path in unfinished:  # temp files that a run killed while replacing those left
        path.write_text("cut sh")

    finished(home, *DEMO)
    manifest, feed_ids = whole = demo_corpus(home)
    assert manifest.total_articles == DEMO_ARTICLES and len(feed_ids) == len(manifest.outlets)
    assert all(state in (whole, (None, None), (None, feed_ids)) for state in seen), "each whole, or not yet written"
    assert fingerprint(home / "pactwatch.duckdb") == fingerprint(home / "warehouse.duckdb")
    assert fingerprint(home / "pactwatch.duckdb")["articles"][0] == DEMO_ARTICLES
    assert_whole(home / "warehouse.duckdb")
    assert [path for path in unfinished if path.exists()] == []


OPML_FEEDS = 1000


def write_opml(path: Path) -> Path:
    outlines = "".join(f'<outline type="rss" text="Outlet {n} news" xmlUrl="https://feeds.example.org/{n}.xml"/>\n'
                       for n in range(OPML_FEEDS))
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><body>\n{outlines}</body></opml>\n')
    return path


def feed_table(path: Path) -> list[tuple]:
    """Every feed as stored, but when it was added (the reference home added them at another moment)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * EXCLUDE (added_at) FROM feeds ORDER BY feed_id").fetchall()


def next_snapshot(home: Path) -> str:
    """The snapshot the next publish of `home` writes."""
    version = max(map(snapshot_version, (home / "snapshots").glob("pactwatch-*.duckdb")), default=0) + 1
    return f"snapshots/pactwatch-{version:09d}.duckdb"


@pytest.mark.slow
def test_sigkill_during_feeds_import_opml_then_a_clean_import(imported, tmp_path):
    """`feeds import-opml` (like `feeds add|disable|enable`) writes its feeds in one transaction, then publishes. It is
    killed as it commits (DuckDB writes the log then) and as it publishes: a run each, ~2 s of start-up."""
    home = home_copy(imported.home, tmp_path / "home")
    args = ("feeds", "import-opml", str(write_opml(tmp_path / "feeds.opml")))
    before, found = feed_table(home / "warehouse.duckdb"), []
    checked = never_losing(home, one_of(fingerprint(home / "pactwatch.duckdb")))
    kills = 0
    for marker in (WRITING, next_snapshot(home)):
        kills += killed_when_made(home, args, marker)
        checked()
        found += [feed_table(home / "warehouse.duckdb"), feed_table(home / "pactwatch.duckdb")]
    assert kills >= 1, "the moments must actually interrupt runs (the last may come as a run ends)"

    finished(home, *args)
    after = feed_table(home / "warehouse.duckdb")
    earlier = {feed_id for feed_id, *_ in before}
    assert [row for row in after if row[0] in earlier] == before and len(after) == len(before) + OPML_FEEDS
    assert all(feeds in (before, after) for feeds in found), "none of the file's feeds, or all"
    assert feed_table(home / "pactwatch.duckdb") == after
    assert fingerprint(home / "warehouse.duckdb") == fingerprint(home / "pactwatch.duckdb") == fingerprint(
        imported.home / "pactwatch.duckdb"), "the articles are as they were"
