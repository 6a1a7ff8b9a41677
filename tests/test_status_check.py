"""`pactwatch status --check`: a stopped or failing ingest is a non-zero exit with its reason, where every failed
fetch exited 0, a run stopped for good failed nothing, and a failed publish left readers on old data unsaid."""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pipeline.home import Home
from pipeline.feeds.feedlist import load_feed_list
from pipeline.ingest import poll_feeds, register_feed_specs
from pipeline.monitor import EXIT_UNHEALTHY
from pipeline.seeds import DEFAULT_SEEDS_DIR, load_problem, load_tagger, tagger_version
from pipeline.status import status_notes, status_report
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import DERIVED_TABLES, Warehouse
from tests.conftest import seeds_that_do_not_load
from tests.httpserver import Response
from tests.logfmt import logged_at, without_ts
from tests.rss import Item, feed_list_toml, rss
from tests.store.conftest import run_row
from tests.test_cli_usage import invoke, run


def check(home, *args) -> tuple[int, list[str]]:
    result = run(home, "status", "--check", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stdout == "", "without --json a check prints problems alone: cron mails any output"
    assert all(map(logged_at, result.stderr.splitlines())), "each problem is dated, as the log lines are"
    return result.exit_code, without_ts(result.stderr)


@pytest.fixture()
def ingested_home(home, http_server):
    """A home whose one feed answered its first ingest with an article."""
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest")
    return home


def test_a_home_whose_ingest_ran_and_whose_feeds_answered_is_healthy(ingested_home):
    assert check(ingested_home) == (0, [])
    report = json.loads(invoke(ingested_home, "status", "--json"))
    assert (report["enabled_feeds"], report["failing_feeds"], report["snapshot_behind"]) == (1, 0, False)
    finished = datetime.fromisoformat(report["last_ingest_at"])
    assert finished == datetime.fromisoformat(report["last_run"]["finished_at"]) and finished.tzinfo is not None
    assert "failing_feeds: 0" in invoke(ingested_home, "status")


def test_the_text_report_lines_up_its_colons_under_the_longest_key(ingested_home):
    """Keys longer than the old fixed width of 17 (snapshot_schema_version) pushed their colons out of line."""
    report = json.loads(invoke(ingested_home, "status", "--json"))
    printed = invoke(ingested_home, "status").splitlines()[:len(report)]
    assert [line.split(": ", 1)[0].strip() for line in printed] == list(report)
    assert {line.index(": ") for line in printed} == {max(map(len, report))}


def test_feeds_that_all_fail_are_a_problem_though_the_ingest_exits_0(home, http_server):
    for feed in ("a", "b"):  # no route: the server answers 404
        invoke(home, "feeds", "add", http_server.url(f"/{feed}.xml"), "--id", feed)
    invoke(home, "ingest")  # exit 0: the run completed, its failures recorded per feed
    assert check(home) == (EXIT_UNHEALTHY, ["pactwatch: 2 of 2 enabled feeds are neither healthy nor "
                                            "paused, above --max-failing 0.5: `pactwatch feeds list` says why"])
    assert json.loads(invoke(home, "status", "--json"))["failing_feeds"] == 2
    assert check(home, "--max-failing", "1") == (0, [])


def test_one_failing_feed_of_two_is_within_the_default_share(home, http_server):
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    for feed in ("a", "b"):
        invoke(home, "feeds", "add", http_server.url(f"/{feed}.xml"), "--id", feed)
    invoke(home, "ingest")
    assert check(home) == (0, [])
    code, problems = check(home, "--max-failing", "0.4")
    assert code == EXIT_UNHEALTHY, problems
    assert problems[0].startswith("pactwatch: 1 of 2 enabled feeds are neither healthy nor paused"), problems


def test_one_feed_dead_for_days_is_a_problem_whatever_the_share(home, http_server, tmp_path):
    """A review left one feed of three answering 404 for eleven days, and the share rule (--max-failing 0.5) never
    spoke: of thirty feeds, fifteen could die unheard. Any one feed that has brought nothing usable (failing, gone,
    empty) for longer than --max-broken is a problem of its own."""
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    listing = tmp_path / "feeds.toml"  # /b.xml has no route: 404 at every poll
    listing.write_text(feed_list_toml({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")}))
    added = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=3)
    pw_home = Home.resolve(home).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing), now=added)
        for hours in (0, 24, 48, 70):
            poll_feeds(pw_home, warehouse, load_tagger(), now=added + timedelta(hours=hours), whatever_schedule=True)
    report = json.loads(invoke(home, "status", "--json"))
    assert (report["failing_feeds"], report["broken_feeds"]) == (1, {"b": {"health": "failing",
                                                                           "since": added.isoformat()}})
    assert check(home, "--max-age", "100h") == (EXIT_UNHEALTHY, [
        f"pactwatch: 1 enabled feed(s) brought nothing usable for longer than --max-broken 24.0 h: b (failing since "
        f"{added.isoformat()}): `pactwatch feeds list` says why; `feeds disable ID` for one that is not coming back"])
    assert check(home, "--max-age", "100h", "--max-broken", "80h") == (0, [])


def test_a_feed_enabled_again_is_broken_since_then_not_since_it_was_added(home, http_server, tmp_path):
    """A feed added two months ago that never answered, disabled, and enabled again today (by `feeds enable`, or by
    a feed list saying enabled = true) alarmed at its third failure as "failing since" the day it was added."""
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    listing = tmp_path / "feeds.toml"  # /b.xml and /c.xml have no route: 404 at every poll
    listing.write_text(feed_list_toml({name: http_server.url(f"/{name}.xml") for name in ("a", "b", "c")}))
    now = datetime.now(timezone.utc)
    pw_home = Home.resolve(home).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing), now=now - timedelta(days=60))
        poll_feeds(pw_home, warehouse, load_tagger(), now=now - timedelta(days=60))
    for feed_id in ("b", "c"):
        invoke(home, "feeds", "disable", feed_id)
    invoke(home, "feeds", "enable", "b")
    with Warehouse(pw_home.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing), now=now)  # the list enables c again
        for minutes in (50, 30, 10):
            poll_feeds(pw_home, warehouse, load_tagger(), now=now - timedelta(minutes=minutes), whatever_schedule=True)
    broken = json.loads(invoke(home, "status", "--json"))["broken_feeds"]
    assert broken["c"] == {"health": "failing", "since": now.isoformat()}
    assert broken["b"]["health"] == "failing" and datetime.fromisoformat(broken["b"]["since"]) > now - timedelta(days=1)
    assert check(home, "--max-failing", "1") == (0, [])


def test_tags_of_another_tagger_version_are_a_problem_until_a_retag(ingested_home):
    """After an upgrade (or a seed edit) every count mixes two rule sets until a retag: `status` and the dashboard
    said so, and the check, the one thing wired to mail, exited 0."""
    pw_home = Home.resolve(ingested_home)
    with Warehouse(pw_home.writer_db) as warehouse:
        for table in DERIVED_TABLES:
            warehouse.con.execute(f"UPDATE {table} SET tagger_version = '1.0+0ld'")
        publish(warehouse.con, pw_home)
    assert check(ingested_home) == (EXIT_UNHEALTHY, [
        f"pactwatch: stored tags are from another tagger than this code's {tagger_version()} (an upgrade or an edited "
        "seed file): counts keep the old rules, or mix them with the new, until `pactwatch retag` rebuilds them"])
    invoke(ingested_home, "retag")
    assert check(ingested_home) == (0, [])


def test_status_prints_the_report_and_notes_of_the_library(ingested_home):
    """The report is a library call (pipeline.status), which a notebook or another monitor reads as the CLI prints
    it: the JSON is the report, the text its keys then its notes."""
    pw_home = Home.resolve(ingested_home)
    with Warehouse(pw_home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE article_topics SET tagger_version = '1.0+0ld'")
        publish(warehouse.con, pw_home)
    report = status_report(pw_home)
    assert json.loads(invoke(ingested_home, "status", "--json")) == json.loads(json.dumps(report, default=str))
    assert report["retag_needed"] and report["articles"] == 1
    assert status_notes(report) == [f"Some tags come from another tagger version than {tagger_version()}: run "
                                    "`pactwatch retag`."]
    printed = invoke(ingested_home, "status").splitlines()
    assert printed[-1] == status_notes(report)[0] and len(printed) == len(report) + 1


def test_seed_files_that_do_not_load_are_a_problem_instead_of_a_retag_that_would_fail(ingested_home, tmp_path,
                                                                                       monkeypatch):
    """A broken seed edit stopped every cron ingest while `status --check` said to run `retag`, which failed the same
    way; a typo in alerts.toml stopped the daily webhook while the check stayed at 0 (review R1 of stop 53)."""
    import pipeline.signals.config

    assert check(ingested_home) == (0, [])
    rules = seeds_that_do_not_load(tmp_path, monkeypatch)
    alerts = rules.parents[1] / "alerts.toml"
    monkeypatch.setattr(pipeline.signals.config, "DEFAULT_ALERTS_FILE", alerts)
    alerts.write_text(alerts.read_text(encoding="utf-8").replace("min_ratio =", "min_raito =", 1), encoding="utf-8")
    status, problems = check(ingested_home)
    assert status == EXIT_UNHEALTHY and len(problems) == 2, problems  # no retag advice: the seeds changed, unloaded
    assert problems[0].startswith(f"pactwatch: the seed files do not load ({rules}:") and "`retag`" in problems[0]
    typo_line = alerts.read_text(encoding="utf-8").split("min_raito =")[0].count("\n") + 1
    assert problems[1].startswith(f"pactwatch: the alert rules do not load ({alerts}:{typo_line}: rule 'surge_4w': "
                                  "unknown field 'min_raito'"), problems[1]
    report = json.loads(run(ingested_home, "status", "--json").stdout)
    # files that do not load make no tagger to retag to: retag_needed said yes, and `retag` failed (a review, stop 67)
    assert not report["retag_needed"] and str(rules) in report["seeds_error"]
    assert "min_raito" in report["alert_rules_error"]


def test_each_seed_edit_is_checked_again_and_its_error_names_the_line_it_is_on(tmp_path):
    """A load that passed is kept per content of the seed files (`status` loaded them afresh on every call); an
    edit is checked again, and an error is never kept: a comment added above a bad entry, which keeps the hash, moves
    the line the error names."""
    seeds = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS_DIR, seeds)
    topics = seeds / "topics" / "topics.toml"
    good = topics.read_text(encoding="utf-8")
    assert load_problem(seeds) is None
    topics.write_text(good.replace("threshold =", "threshhold =", 1), encoding="utf-8")
    first = load_problem(seeds)
    line = first.removeprefix(f"{topics}:").split(":")[0]
    version = tagger_version(seeds)
    topics.write_text("# a comment\n" + good.replace("threshold =", "threshhold =", 1), encoding="utf-8")
    assert tagger_version(seeds) == version  # a comment is no change of the rules
    assert load_problem(seeds) == first.replace(f":{line}:", f":{int(line) + 1}:", 1)
    topics.write_text(good, encoding="utf-8")
    assert load_problem(seeds) is None


def test_an_ingest_that_stopped_running_is_a_problem_and_other_runs_do_not_hide_it(home):
    """Its last ingest run finished days ago; an import since (a run of another kind) polled no feed."""
    now = datetime.now(timezone.utc)
    pw_home = Home.resolve(home).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        warehouse.write_run({**run_row(1, 0), "started_at": now - timedelta(days=3),
                             "finished_at": now - timedelta(days=3)})
        warehouse.write_run({**run_row(2, 0), "kind": "import", "started_at": now, "finished_at": now})
        publish(warehouse.con, pw_home)
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")  # never polled: not healthy, allowed below
    code, problems = check(home, "--max-failing", "1")
    assert code == EXIT_UNHEALTHY and len(problems) == 1, problems
    assert problems[0].startswith("pactwatch: the last completed ingest run finished at ") and \
        ", 72.0 h ago, longer than --max-age 2.0 h" in problems[0], problems
    assert check(home, "--max-failing", "1", "--max-age", "80h") == (0, [])
    _, problems = check(home, "--max-failing", "1", "--max-age", "90s")
    assert "longer than --max-age 1.5 min" in problems[0], "not --max-age 0.0 h"


def test_a_run_that_finished_in_the_future_is_a_problem(home):
    """A run under a clock hours ahead: --max-age saw a recent run, and the check stayed green while every run after
    the clock was fixed idled on the schedule it made."""
    now = datetime.now(timezone.utc)
    pw_home = Home.resolve(home).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        warehouse.write_run({**run_row(1, 0), "started_at": now + timedelta(hours=5),
                             "finished_at": now + timedelta(hours=5)})
        publish(warehouse.con, pw_home)
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    code, problems = check(home, "--max-failing", "1")
    assert code == EXIT_UNHEALTHY and len(problems) == 1, problems
    assert problems[0].startswith("pactwatch: the last ingest run finished at ") and problems[0].endswith(
        ", in the future: the clock went back? runs now poll every feed again; check the machine's clock (NTP)"), \
        problems
    with Warehouse(pw_home.writer_db) as warehouse:  # the clock fixed, the next run: no alarm for hours more
        warehouse.write_run({**run_row(2, 0), "started_at": now, "finished_at": now})
        publish(warehouse.con, pw_home)
    assert check(home, "--max-failing", "1") == (0, [])


def test_a_home_with_a_writer_and_no_snapshot_yet_is_checked(home):
    """A home whose writer was created (a writing command stopped before its first publish): the check ran into a
    report without broken_feeds and died with a KeyError."""
    with Warehouse(Home.resolve(home).ensure().writer_db):
        pass
    code, problems = check(home)
    assert code == EXIT_UNHEALTHY and "pactwatch: no enabled feed: ingest polls nothing (`pactwatch feeds enable ID`, " \
        "`feeds add`)" in problems, problems


def test_a_home_that_never_ingested_is_a_problem(home):
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    code, problems = check(home, "--max-failing", "1")
    assert (code, problems) == (EXIT_UNHEALTHY, ["pactwatch: no completed ingest run in the published snapshot"])


def test_a_snapshot_behind_the_writer_is_a_problem_until_a_publish(ingested_home):
    """A run committed and not published: readers see the data before it, and nothing said so. Without a failure
    record it was killed or stopped before its publish (the common case, kill -9 of a cron run), not a full disk."""
    pw_home, now = Home.resolve(ingested_home), datetime.now(timezone.utc)
    with Warehouse(pw_home.writer_db) as warehouse:
        warehouse.write_run({**run_row(warehouse.next_run_id(), 0), "started_at": now, "finished_at": now})
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and len(problems) == 1 and "published snapshot lacks what the writer holds" in \
        problems[0], problems
    assert "a command stopped before publishing (killed or stopped?)" in problems[0] and "full disk" not in problems[0]
    assert json.loads(invoke(ingested_home, "status", "--json"))["snapshot_behind"] is True
    invoke(ingested_home, "ingest")  # publishes what the writer holds, due feeds or none
    assert check(ingested_home) == (0, [])


def test_a_first_ingest_stopped_after_registering_its_feeds_leaves_a_snapshot_behind(home, tmp_path):
    """A new home's first `ingest --feeds`, stopped while polling, left its feeds in the writer and nothing published:
    `status` said the snapshot was current and the check advised `feeds add` for "no enabled feed" (an outside
    audit)."""
    listing = tmp_path / "first.toml"
    listing.write_text(feed_list_toml({"first": "https://news.example.org/rss"}))
    with Warehouse(Home.resolve(home).ensure().writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing))
    assert json.loads(invoke(home, "status", "--json"))["snapshot_behind"] is True
    code, problems = check(home)
    assert code == EXIT_UNHEALTHY and not any("no enabled feed" in problem for problem in problems), problems
    assert any("the published snapshot lacks what the writer holds" in problem for problem in problems), problems


def test_feeds_an_ingest_registered_before_it_was_stopped_are_a_snapshot_behind(ingested_home, http_server, tmp_path):
    """`ingest --feeds` commits the feed list before it polls: stopped while polling (SIGTERM), the new feed was in the
    writer, not in the snapshot, and `status` said the snapshot was current (its last run was the writer's)."""
    http_server.routes["/late.xml"] = Response(200, rss([Item("Talks in Hanoi", "Vietnam and Laos met.", guid="l1")]))
    listing = tmp_path / "late.toml"
    listing.write_text(feed_list_toml({"late": http_server.url("/late.xml")}))
    with Warehouse(Home.resolve(ingested_home).writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing))
    report = json.loads(invoke(ingested_home, "status", "--json"))
    assert report["snapshot_behind"] is True and report["feeds"] == 1
    invoke(ingested_home, "ingest")  # the late feed is due: its run publishes it
    report = json.loads(invoke(ingested_home, "status", "--json"))
    assert report["snapshot_behind"] is False and report["feeds"] == 2


def test_a_writer_migrated_and_not_yet_published_is_named_as_such_not_as_a_failed_publish(ingested_home):
    """Review U: an upgrade's first writing command killed between its migrations and its publish (or a backup that
    migrated) was reported as "a publish failed: a full disk?", which sent the operator looking for a full disk."""
    import duckdb

    latest = json.loads(invoke(ingested_home, "status", "--json"))["code_schema_version"]
    with duckdb.connect(str(Home.resolve(ingested_home).published_db.resolve())) as snapshot:  # as published before 0048
        snapshot.execute("DELETE FROM schema_migrations WHERE version >= 48")
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and problems == [
        f"pactwatch: the writer was migrated to schema {latest} and not yet published: the next `pactwatch ingest` "
        "publishes it (readers see the snapshot before the upgrade until then)"]
    report = json.loads(invoke(ingested_home, "status", "--json"))
    assert (report["snapshot_behind"], report["writer_schema_version"], report["snapshot_schema_version"]) == (
        True, latest, 47)
    invoke(ingested_home, "ingest")  # publishes it, due feeds or none
    assert check(ingested_home) == (0, [])


def test_a_failed_publish_that_added_no_run_is_a_problem_until_a_publish(ingested_home, http_server):
    """A feed's new name, and the publish after it failed (a full disk): the writer holds no run the snapshot lacks,
    so `snapshot_behind` stayed false and the check exited 0 while readers saw the list before the change."""
    refused = Home.resolve(ingested_home).snapshots / f".staging-{os.getpid()}.duckdb"
    refused.mkdir()  # the copy cannot be written there, even by root, as on a full disk
    renamed = run(ingested_home, "feeds", "add", http_server.url("/a.xml"), "--id", "a", "--name", "Korea desk")
    assert renamed.exit_code == 1 and "the change is saved in the warehouse; could not publish" in renamed.output
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and len(problems) == 1, problems
    assert problems[0].startswith("pactwatch: publishing failed at 20") and "could not publish snapshot to" in \
        problems[0] and "readers see the snapshot before it" in problems[0], problems
    failed = json.loads(invoke(ingested_home, "status", "--json"))["publish_failed"]
    assert failed["failed_at"].startswith("20") and failed["error"].startswith("could not publish snapshot to ")
    assert "publish_failed: failed_at=20" in invoke(ingested_home, "status")
    refused.rmdir()
    invoke(ingested_home, "ingest")  # no feed is due: it publishes what the failed publish left out
    assert check(ingested_home) == (0, [])
    assert json.loads(invoke(ingested_home, "status", "--json"))["publish_failed"] is None
    assert invoke(ingested_home, "sql", "SELECT name FROM feeds").split("\n")[:2] == ["name", "Korea desk"]


def test_a_hostile_failure_record_is_shown_as_text_by_status(ingested_home):
    """The record is a file in the home, which a monitoring user of another account trusts."""
    Home.resolve(ingested_home).publish_failure.write_text(json.dumps({"failed_at": "\x1b[2J", "error": "x\r\nok"}))
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and problems == [
        "pactwatch: publishing failed at \\x1b[2J (x\\r\\nok): readers see the snapshot before it until a publish "
        "succeeds (`pactwatch ingest` publishes it)"], problems
    shown = invoke(ingested_home, "status")
    assert "\x1b" not in shown and "\r" not in shown and "publish_failed: failed_at=\\x1b[2J, error=x\\r\\nok" in shown


@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
def test_a_writer_file_another_process_holds_open_is_a_problem_at_once(ingested_home, read_write_holder, read_only):
    """An analyst's DuckDB session on warehouse.duckdb, even read-only, makes every ingest exit 75, which cron and
    systemd take for "try later": before, `status --check` said nothing until --max-age passed, and then only asked
    whether the ingest was still scheduled."""
    read_write_holder(ingested_home / "warehouse.duckdb", read_only)
    assert "another process holds the warehouse" in str(run(ingested_home, "ingest", "--now").exception)
    result = run(ingested_home, "status", "--check", "--json")
    assert result.exit_code == EXIT_UNHEALTHY, result.output
    report = json.loads(result.stdout)
    assert (report["writer_busy"], report["writer_held_open"]) == (False, True)
    assert report["problems"] == ["another process holds warehouse.duckdb open (a DuckDB session or notebook on the "
                                  "writer file rather than on pactwatch.duckdb?): every ingest exits 75 until it "
                                  "closes it (`fuser -v` names it)"]


def test_another_reader_of_ours_reading_the_writer_file_is_no_process_holding_it(ingested_home):
    """Two `status` at once (a cron check and a person, or `feeds export-opml`): each reads the writer file under the
    home's shared lock, and the probe met the other's DuckDB read lock, a false "another process holds it" in 10 of
    15 concurrent pairs. The probe now holds the home's lock alone, or does not probe."""
    script = ("import sys, time, duckdb; from pipeline.home import Home; home = Home.resolve(sys.argv[1])\n"
              "with home.reader_lock():\n"
              "    con = duckdb.connect(str(home.writer_db), read_only=True); print('open', flush=True); time.sleep(60)")
    reader = subprocess.Popen([sys.executable, "-c", script, str(ingested_home)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        result = run(ingested_home, "status", "--check", "--json")
    finally:
        reader.kill()
        reader.wait()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["writer_held_open"] is False


def test_a_writing_command_of_ours_is_unknown_not_waited_for_nor_a_problem(ingested_home):
    with Home.resolve(ingested_home).writer_lock():
        result = run(ingested_home, "status", "--check", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["writer_busy"], report["writer_held_open"], report["snapshot_behind"], report["problems"]) == (
        True, None, None, [])


def test_a_damaged_writer_file_is_a_problem_at_the_first_check(ingested_home):
    """The first 8 KiB of warehouse.duckdb zeroed (a disk or file-system fault): `status` said every writing command
    would fail on it, and `--check` stayed at exit 0 until the last run grew older than --max-age (2 h)."""
    with (ingested_home / "warehouse.duckdb").open("r+b") as writer:
        writer.write(bytes(8192))
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and len(problems) == 1, problems
    assert problems[0].startswith("pactwatch: warehouse.duckdb cannot be read, and writing commands will fail on it: ")
    assert "not a valid DuckDB database file" in problems[0] and "`pactwatch restore BACKUP --force`" in problems[0]
    assert run(ingested_home, "ingest").exit_code == 1  # what the problem says


def test_a_writer_file_this_user_may_not_read_is_no_problem(ingested_home):
    """A monitoring user other than the ingest's, who may not read warehouse.duckdb: the share is unknown to it, and the
    file is not damaged (the writers that own it read it)."""
    (ingested_home / "warehouse.duckdb").chmod(0)
    try:
        result = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(ingested_home), "status", "--check",
                                 "--json"], capture_output=True, text=True, preexec_fn=without_root_file_access,
                                cwd=Path(__file__).parent.parent, timeout=120)
    finally:
        (ingested_home / "warehouse.duckdb").chmod(0o644)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == [] and not report["writer_damaged"], report
    assert report["writer_unreadable"].startswith("this user may not read ") and report["free_block_share"] is None


def without_root_file_access() -> None:
    """Root reads any file: drop the capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from what the
    command about to run gets, so that file modes hold for it as for another user. Nothing to drop for a user."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone from the bounding set at exec
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_home_without_an_enabled_feed_is_a_problem(ingested_home):
    invoke(ingested_home, "feeds", "disable", "a")
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and problems == ["pactwatch: no enabled feed: ingest polls nothing "
                                                   "(`pactwatch feeds enable ID`, `feeds add`)"], problems


def test_the_demo_home_is_named_as_what_no_ingest_writes(home, tmp_path, monkeypatch):
    import pipeline.signals.config

    invoke(home, "demo", "--articles", "200", "--end-date", "2026-01-31")
    code, problems = check(home)
    assert code == EXIT_UNHEALTHY and len(problems) == 1 and "this is the demo's home" in problems[0], problems
    # the home an analyst tries a seed edit in: its mistake was hidden behind the demo's line (a review, stop 67)
    alerts = tmp_path / "alerts.toml"
    alerts.write_text("[[rule]]\nid = 'x'\n", encoding="utf-8")
    monkeypatch.setattr(pipeline.signals.config, "DEFAULT_ALERTS_FILE", alerts)
    code, problems = check(home)
    assert len(problems) == 2 and problems[1].startswith("pactwatch: the alert rules do not load"), problems


def test_a_check_of_a_home_that_does_not_exist_fails_with_the_error_exit(tmp_path):
    result = run(tmp_path / "typo", "status", "--check")
    assert result.exit_code == 1 and "no warehouse in" in result.output


@pytest.mark.parametrize("args", [("--max-age", "soon"), ("--max-age", "0s"), ("--max-failing", "1.5")])
def test_bad_thresholds_are_usage_errors(ingested_home, args):
    assert run(ingested_home, "status", "--check", *args).exit_code == 2


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file of the home another owner")
def test_a_file_of_the_home_its_owner_does_not_own_is_a_problem_until_roots_next_write(ingested_home):
    """A root `retag` killed with -9 (the OOM killer, a reboot) left warehouse.duckdb.wal root's: every ingest of the
    home's owner failed on "Permission denied" while `status --check` said nothing for two hours (stop 75's audit)."""
    owner = 65534
    for path in [ingested_home, *ingested_home.rglob("*")]:
        os.lchown(path, owner, owner)
    stray = ingested_home / "warehouse.duckdb"
    os.lchown(stray, 0, 0)  # as the killed root command left it
    code, problems = check(ingested_home)
    assert code == EXIT_UNHEALTHY and problems == [
        f"pactwatch: 1 file(s) of the home are not its owner's (warehouse.duckdb): the owner's ingest fails on them (a "
        f"command run as root and killed before its end?); root's next writing command here gives them back, as "
        f"`chown -R --reference={ingested_home} {ingested_home}` does"], problems
    assert json.loads(invoke(ingested_home, "status", "--json"))["not_the_owners"] == ["warehouse.duckdb"]
    invoke(ingested_home, "feeds", "disable", "a")  # root's next write, under the writer lock
    assert stray.lstat().st_uid == owner and check(ingested_home)[1] == [
        "pactwatch: no enabled feed: ingest polls nothing (`pactwatch feeds enable ID`, `feeds add`)"]


def test_a_snapshot_another_process_holds_open_is_unreadable_not_a_publish_that_stopped(ingested_home):
    """A snapshot opened read-write elsewhere (root's DuckDB session) is one no reader opens: the check said so, and
    also blamed "a command stopped before publishing (killed or stopped?)", which nothing was (stop 75's audit)."""
    published = Home.resolve(ingested_home).published_db.resolve()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\n"
                               "print('open', flush=True)\ntime.sleep(120)", str(published)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        code, problems = check(ingested_home)
    finally:
        holder.kill()
        holder.wait()
    assert code == EXIT_UNHEALTHY and len(problems) == 1, problems
    assert problems[0].startswith("pactwatch: the published snapshot cannot be read"), problems
