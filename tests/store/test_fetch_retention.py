"""compact --keep-fetches: the fetch log trimmed to its cut-off, and every feed's health and history read the same.

A synthetic log of 400 days, a run a day, written with the store's own insert path into a real home: five feeds whose
fetches exercise each thing that keeps an old fetch."""
from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.home import Home
from pipeline.store import queries
from pipeline.store.arrow_io import columns_of, insert_rows
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import FEED_STATE_COLUMNS, RUN_COLUMNS, Warehouse
from tests.warehouse.test_disk_full import run

NOW = datetime.now(timezone.utc)
DAYS = 400
KEEP_DAYS = 90
# feed -> (days ago of its fetches, oldest first; the fetch k days ago: (outcome, entries, run kind)); what it keeps
FEEDS = {
    # served entries at every fetch: the 90 days, and its first fetch (its last 50 lie within the 90 days)
    "steady": ([(k, "ok", 12, "ingest") for k in range(DAYS - 1, -1, -1)], 90 + 1),
    # served entries a year ago and answered 304 since: that fetch and every one after it, and its first
    "quiet": ([(k, "ok", 5, "ingest") if k >= 365 else (k, "not_modified", None, "ingest")
               for k in range(DAYS - 1, -1, -1)], 366 + 1),
    # entries until 150 days ago, empty documents since (health: empty): from the last that served, and its first
    "hollow": ([(k, "ok", 10 if k >= 150 else 0, "ingest") for k in range(300, -1, -1)], 151 + 1),
    # never served an entry (documents without entries, then errors): v_feed_health counts every fetch, all kept
    "refused": ([(k, "ok", 0, "ingest") if k > 99 else (k, "error", None, "ingest") for k in range(120, -1, -1)],
                121),
    # disabled 200 days ago; fetched first by a demo run, then once by an ingest, then by demo runs: its last 50,
    # its first fetch and its first by an ingest (Trends' feed changes: it was polled, so its disabling is a stop)
    "retired": ([(399, "ok", 3, "demo"), (398, "ok", 3, "ingest")]
                + [(k, "ok", 3, "demo") for k in range(397, 199, -1)], 50 + 2),
}
LOGGED = sum(len(fetches) for fetches, _ in FEEDS.values())
KEPT = sum(kept for _, kept in FEEDS.values())


def fetched_at(days_ago: int) -> datetime:
    return NOW - timedelta(days=days_ago + 0.5)  # half a day off the cut-off, whatever the seconds between


def run_id(days_ago: int, kind: str) -> int:
    """One ingest and one demo run a day, numbered in time order."""
    return 2 * (DAYS - days_ago) - (kind == "ingest")


def run_rows() -> list[dict]:
    return [{"run_id": run_id(k, kind), "kind": kind, "started_at": fetched_at(k), "finished_at": fetched_at(k),
             "status": "completed", "feeds_polled": 1, "not_modified": 0, "failures": 0, "new_articles": 0,
             "duplicates": 0, "seconds": 1.0, "tagger_version": "test", "error": None}
            for k in range(DAYS) for kind in ("ingest", "demo")]


def fetch_rows() -> list[dict]:
    return [{"run_id": run_id(k, kind), "feed_id": feed_id, "fetched_at": fetched_at(k),
             "url": f"https://news.example.org/{feed_id}.xml", "status_code": 500 if outcome == "error" else 200,
             "outcome": outcome, "bytes": 2000, "ms": 80.0, "error": "HTTP 500" if outcome == "error" else None,
             "entries": entries, "new_articles": 0}
            for feed_id, (fetches, _) in FEEDS.items() for k, outcome, entries, kind in fetches]


def feed_state(feed_id: str) -> dict:
    """The feed as its last fetch left it."""
    fetches = FEEDS[feed_id][0]
    last, outcome, _, _ = fetches[-1]
    failed = outcome == "error"
    failures = len(list(itertools.takewhile(lambda fetch: fetch[1] == "error", reversed(fetches))))
    return {name: None for name in FEED_STATE_COLUMNS} | {
        "feed_id": feed_id, "url": f"https://news.example.org/{feed_id}.xml", "last_status": outcome,
        "last_http_status": 500 if failed else 200, "consecutive_failures": failures,
        "last_error": "HTTP 500" if failed else None, "last_success_at": fetched_at(last + failures),
        "last_checked_at": fetched_at(last), "gone": False, "key_mode": "guid"}


@pytest.fixture()
def logged_home(home) -> Home:
    """A published home with the feeds of FEEDS and their 400 days of fetches."""
    pw_home = Home.resolve(home).ensure()
    specs = [{"feed_id": feed_id, "url": f"https://news.example.org/{feed_id}.xml", "name": feed_id.title(),
              "outlet": "Example", "outlet_country": "GBR", "language": "en", "tier": "wire", "tags": [],
              "enabled": feed_id != "retired"} for feed_id in FEEDS]
    runs = run_rows()
    with Warehouse(pw_home.writer_db) as warehouse:
        warehouse.register_feeds(specs, fetched_at(DAYS))
        with warehouse.transaction():
            insert_rows(warehouse.con, "runs", columns_of(runs[:-1], RUN_COLUMNS))
        warehouse.write_run(runs[-1], fetches=fetch_rows(), feed_states=[feed_state(feed_id) for feed_id in FEEDS])
        publish(warehouse.con, pw_home)
    return pw_home


def what_feeds_read(con) -> dict:
    """Every view and query over fetches that says something of a feed's present state, and its history page (as JSON:
    a missing value is NaN in a data frame, and NaN equals nothing)."""
    whole_range = (date(2000, 1, 1), date(2100, 1, 1))
    return {"health": con.execute("SELECT * FROM v_feed_health ORDER BY feed_id").fetchall(),
            "changes": queries.feed_changes(con, *whole_range).to_json(orient="records", date_format="iso"),
            "history": {feed_id: queries.feed_fetches(con, feed_id).to_json(orient="records", date_format="iso") for feed_id in FEEDS}}


def fetches_per_feed(con) -> dict[str, int]:
    return dict(con.execute("SELECT feed_id, count(*) FROM fetches GROUP BY feed_id").fetchall())


def test_old_fetches_go_and_what_each_feed_reads_stays(logged_home):
    with Warehouse(logged_home.writer_db) as warehouse:
        before = what_feeds_read(warehouse.con)
        report = warehouse.drop_old_fetches(NOW - timedelta(days=KEEP_DAYS))
        assert what_feeds_read(warehouse.con) == before
        assert fetches_per_feed(warehouse.con) == {feed_id: kept for feed_id, (_, kept) in FEEDS.items()}
        assert report == {"fetches_kept": KEPT, "fetches_dropped": LOGGED - KEPT}
        health = {row[0]: row for row in warehouse.con.execute(
            "SELECT feed_id, health, empty_fetches, empty_since FROM v_feed_health").fetchall()}
        assert health["hollow"] == ("hollow", "empty", 150, fetched_at(149))
        assert health["refused"] == ("refused", "failing", 21, fetched_at(120)), "never served: every fetch counts"
        assert health["quiet"] == ("quiet", "healthy", 365, fetched_at(364)), "a year-old serving fetch is kept"
        assert warehouse.scalar("SELECT count(*) FROM runs") == 2 * DAYS, "runs stay"
        assert warehouse.scalar("SELECT min(fetched_at) FROM fetches WHERE feed_id = 'steady' AND fetched_at > ?",
                                [fetched_at(DAYS - 1)]) == fetched_at(KEEP_DAYS - 1)


def test_a_cut_off_before_every_fetch_drops_none(logged_home):
    with Warehouse(logged_home.writer_db) as warehouse:
        before = warehouse.con.execute("SELECT * FROM fetches ORDER BY ALL").fetchall()
        assert warehouse.drop_old_fetches(fetched_at(DAYS)) == {"fetches_dropped": 0, "fetches_kept": len(before)}
        assert warehouse.con.execute("SELECT * FROM fetches ORDER BY ALL").fetchall() == before


def compact(pw_home: Home, *args: str):
    return CliRunner().invoke(cli, ["--home", str(pw_home.root), "compact", *args], catch_exceptions=False)


def read_json(pw_home: Home, *args: str):
    result = CliRunner().invoke(cli, ["--home", str(pw_home.root), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


FEED_STATUS = ("feeds", "enabled_feeds", "failing_feeds", "paused_feeds", "broken_feeds")


def test_cli_compact_keep_fetches_trims_rewrites_and_publishes(logged_home):
    listed, status = read_json(logged_home, "feeds", "list"), read_json(logged_home, "status")
    with open_snapshot(logged_home) as con:
        read_before = what_feeds_read(con)
    result = compact(logged_home, "--keep-fetches", f"{KEEP_DAYS}d", "--min-free", "0.9")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["compacted"], "dropped rows: rewritten whatever --min-free says"
    assert (report["fetches_kept"], report["fetches_dropped"]) == (KEPT, LOGGED - KEPT)
    with open_snapshot(logged_home) as con:  # published
        assert con.execute("SELECT count(*) FROM fetches").fetchone() == (KEPT,)
        assert what_feeds_read(con) == read_before
    assert read_json(logged_home, "feeds", "list") == listed
    after = read_json(logged_home, "status")
    assert {key: after[key] for key in FEED_STATUS} == {key: status[key] for key in FEED_STATUS}
    assert (after["failing_feeds"], after["enabled_feeds"]) == (2, 4), "refused failing, hollow empty"
    with Warehouse(logged_home.writer_db) as warehouse:  # the file opens again, whole
        assert fetches_per_feed(warehouse.con) == {feed_id: kept for feed_id, (_, kept) in FEEDS.items()}

    again = json.loads(compact(logged_home, "--keep-fetches", f"{KEEP_DAYS}d").output)
    assert (again["compacted"], again["fetches_dropped"], again["fetches_kept"]) == (False, 0, KEPT)


def test_cli_compact_without_keep_fetches_keeps_every_fetch(logged_home):
    result = compact(logged_home)
    assert result.exit_code == 0, result.output
    assert not {"fetches_dropped", "fetches_kept"} & set(json.loads(result.output))
    with Warehouse(logged_home.writer_db) as warehouse:
        assert warehouse.scalar("SELECT count(*) FROM fetches") == LOGGED


@pytest.mark.parametrize("duration", ["90x", "d", "0d", "-1d", "3661d", "nan"])
def test_a_bad_keep_fetches_is_a_usage_error_and_changes_nothing(logged_home, duration):
    before = logged_home.writer_db.read_bytes()
    result = compact(logged_home, "--keep-fetches", duration)
    assert result.exit_code == 2 and "--keep-fetches" in result.output, result.output
    assert logged_home.writer_db.read_bytes() == before


def test_a_compaction_the_disk_stops_after_its_deletion_says_the_fetches_went(logged_home):
    """The deletion commits before the file is rewritten: a full disk then (here past `ulimit -f` at half the file,
    which the checkpoint or else the copy reaches) leaves the fetches deleted, where the error said "it is unchanged"."""
    failed = run(logged_home.root, "compact", "--keep-fetches", f"{KEEP_DAYS}d",
                 file_size_limit=logged_home.writer_db.stat().st_size // 2)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert "it is unchanged" not in failed.stderr, failed.stderr
    assert f"the {LOGGED - KEPT:,} old fetches it deleted first stay deleted" in failed.stderr, failed.stderr
    with Warehouse(logged_home.writer_db) as warehouse:
        assert fetches_per_feed(warehouse.con) == {feed_id: kept for feed_id, (_, kept) in FEEDS.items()}
    again = compact(logged_home, "--keep-fetches", f"{KEEP_DAYS}d")
    assert again.exit_code == 0 and json.loads(again.output)["fetches_kept"] == KEPT, again.output
