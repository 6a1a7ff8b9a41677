"""Feed health beyond failures: a feed that answers every poll but brings nothing is `empty` or `stale`, not healthy.

Real HTTP server, real warehouse; the polls run through `poll_feeds` at the times given (as a cron ingest would run
them days apart), and health is read from the published snapshot by `pactwatch feeds list`."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.feeds.feedlist import load_feed_list
from pipeline.feeds.models import FeedState
from pipeline.feeds.schedule import CLOCK_TOLERANCE, MAX_PAUSE, host_blocks
from pipeline.home import Home
from pipeline.ingest import poll_feeds, register_feed_specs
from pipeline.seeds import load_tagger
from pipeline.store import queries
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse
from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss

START = datetime(2025, 3, 3, 6, 0, tzinfo=timezone.utc)


def story(slug: str, days_before_start: float = 0) -> Item:
    return Item(f"Story {slug}", "Seoul and Tokyo held talks.", link=f"https://news.example.org/{slug}",
                guid=f"g-{slug}", published=START - timedelta(days=days_before_start))


def daily_story(day: int) -> Item:
    """A new article on each poll day, dated that day."""
    return story(f"daily-{day}", -day)


class Poller:
    """The feeds of one home, polled at START + the days asked for; the server's routes may change in between."""

    def __init__(self, home: Path, tmp_path: Path, feeds: dict[str, str]):
        self.home = Home.resolve(home).ensure()
        listing = tmp_path / "feeds.toml"
        listing.write_text(feed_list_toml(feeds))
        with Warehouse(self.home.writer_db) as warehouse:
            register_feed_specs(warehouse, load_feed_list(listing))

    def poll(self, day: float) -> None:
        self.poll_at(START + timedelta(days=day))

    def poll_at(self, now: datetime) -> None:
        with Warehouse(self.home.writer_db) as warehouse:
            poll_feeds(self.home, warehouse, load_tagger(), now=now)

    def schedule(self, feed_id: str, next_check_at: datetime) -> None:
        """Move one feed's next poll, as an earlier run's schedule would have set it."""
        with Warehouse(self.home.writer_db) as warehouse:
            warehouse.con.execute("UPDATE feeds SET next_check_at = ? WHERE feed_id = ?", [next_check_at, feed_id])


def listed(home: Path) -> dict[str, dict]:
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "list", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.output)}


def health(home: Path) -> dict[str, tuple[str, str | None]]:
    return {feed_id: (row["health"], row["health_reason"]) for feed_id, row in listed(home).items()}


def test_a_feed_serving_an_empty_channel_is_empty_not_healthy(home, tmp_path, http_server):
    """The captured Daily Mail channel held no entry at any fetch and read "healthy"; a failing feed stays failing,
    and one that brings an article every day stays healthy."""
    http_server.routes["/empty.xml"] = Response(200, rss([]))
    http_server.routes["/down.xml"] = Response(404, b"not found")
    poller = Poller(home, tmp_path, {name: http_server.url(f"/{name}.xml") for name in ("empty", "daily", "down")})
    for day in range(4):
        http_server.routes["/daily.xml"] = Response(200, rss([daily_story(n) for n in range(day + 1)]))
        poller.poll(day)
    assert health(home) == {
        "empty": ("empty", "no entries in the last 4 successful fetches"),  # parsed once, then "unchanged"
        "daily": ("healthy", None),
        "down": ("failing", "4 failed fetches in a row")}
    assert listed(home)["empty"]["empty_fetches"] == 4


def test_a_feed_empty_once_is_not_empty_until_it_stays_so(home, tmp_path, http_server):
    """One empty document between full ones is a publisher's hiccup; three in a row are a feed that stopped."""
    poller = Poller(home, tmp_path, {"wobbly": http_server.url("/wobbly.xml")})
    http_server.routes["/wobbly.xml"] = Response(200, rss([story("a")]))
    poller.poll(0)
    http_server.routes["/wobbly.xml"] = Response(200, rss([]))
    poller.poll(0.5)
    assert health(home)["wobbly"] == ("healthy", None)
    poller.poll(1)
    poller.poll(1.5)
    assert health(home)["wobbly"] == ("empty", "no entries in the last 3 successful fetches")
    http_server.routes["/wobbly.xml"] = Response(200, rss([story("a"), story("b", -2)]))
    poller.poll(2)
    assert health(home)["wobbly"] == ("healthy", None)


def test_a_feed_serving_the_same_old_items_past_its_usual_pace_is_stale(home, tmp_path, http_server):
    """A site serving a cached document: every poll answers, the items never change. A daily feed is stale after 4
    days (3 times its usual day, at least 4); a weekly feed is not stale after 6 days, and a feed with too little
    history to know its pace is not judged before 30."""
    http_server.routes["/cached.xml"] = Response(200, rss([story(f"cached-{n}", n) for n in range(4)]))
    http_server.routes["/weekly.xml"] = Response(200, rss([story(f"weekly-{n}", 7 * n) for n in range(4)]))
    http_server.routes["/new.xml"] = Response(200, rss([story("new-0")]))
    poller = Poller(home, tmp_path, {name: http_server.url(f"/{name}.xml")
                                     for name in ("cached", "weekly", "new", "daily")})
    for day in range(7):
        http_server.routes["/daily.xml"] = Response(200, rss([daily_story(n) for n in range(day + 1)]))
        poller.poll(day)
        if day == 4:
            assert health(home)["cached"] == ("healthy", None), "4 days without a new article: not more than 4"
    assert health(home) == {
        "cached": ("stale", "no new article for 6.0 days, usually every 1.0 days"),
        "weekly": ("healthy", None),
        "new": ("healthy", None),
        "daily": ("healthy", None)}
    feeds = listed(home)
    assert (feeds["weekly"]["usual_days"], feeds["weekly"]["stale_after_days"]) == (7.0, 21.0)
    assert (feeds["new"]["usual_days"], feeds["new"]["stale_after_days"]) == (None, 30.0)


def test_a_failing_feed_is_failing_however_long_it_brought_nothing(home, tmp_path, http_server):
    """Failures come first: a feed stale for a week that then fails is failing, and says so."""
    http_server.routes["/f.xml"] = Response(200, rss([story(f"f-{n}", n) for n in range(4)]))
    poller = Poller(home, tmp_path, {"f": http_server.url("/f.xml")})
    for day in range(8):
        poller.poll(day)
    assert health(home)["f"][0] == "stale"
    http_server.routes["/f.xml"] = Response(500, b"down")
    for day in range(8, 11):
        poller.poll(day)
    assert health(home)["f"] == ("failing", "3 failed fetches in a row")


def test_feeds_list_says_why_a_feed_is_not_healthy(home, tmp_path, http_server):
    http_server.routes["/empty.xml"] = Response(200, rss([]))
    poller = Poller(home, tmp_path, {"empty": http_server.url("/empty.xml")})
    for day in range(3):
        poller.poll(day)
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "list"], catch_exceptions=False)
    header, row = [line.split("\t") for line in result.output.splitlines()]
    assert dict(zip(header, row))["health_reason"] == "no entries in the last 3 successful fetches"
    assert header[:3] == ["feed_id", "health", "health_reason"] and header[-1] == "last_error"


def test_a_gone_feed_says_when_it_answered_410_and_what_to_do(home, tmp_path, http_server):
    """Every other unhealthy state had a sentence; a gone feed's reason was empty in `feeds list` and "None" on the
    Feeds page, and its remedy was in the README alone."""
    http_server.routes["/old.xml"] = Response(410, b"gone")
    poller = Poller(home, tmp_path, {"old": http_server.url("/old.xml")})
    poller.poll_at(START)
    poller.poll_at(START + timedelta(days=1))  # not asked again: the reason keeps the day it answered 410
    assert health(home) == {"old": ("gone", "the server answered 410 Gone at 2025-03-03 06:00 UTC: not polled again; "
                                            "`pactwatch feeds enable old` tries it again, `feeds disable old` stops "
                                            "counting it")}
    assert len(http_server.requests) == 1


def test_a_gone_feed_already_disabled_is_not_told_to_disable_itself(home, tmp_path, http_server):
    """`feeds disable old` on a gone feed left its reason saying "`feeds disable old` stops counting it"."""
    http_server.routes["/old.xml"] = Response(410, b"gone")
    Poller(home, tmp_path, {"old": http_server.url("/old.xml")}).poll_at(START)
    assert CliRunner().invoke(cli, ["--home", str(home), "feeds", "disable", "old"]).exit_code == 0
    assert health(home) == {"old": ("gone", "the server answered 410 Gone at 2025-03-03 06:00 UTC: not polled again; "
                                            "`pactwatch feeds enable old` tries it again (it is disabled: not "
                                            "counted)")}


def test_a_feed_whose_server_asked_for_a_pause_is_paused_until_then_and_not_counted_as_failing(
        home, tmp_path, http_server):
    """A 429 with "Retry-After: 3600" read "degraded" on the refused feed, which `status --check` counted as not
    healthy, and "healthy" on the feed beside it, left unasked, whose last_error alone said so. Both are paused, until
    the hour is over. Polled at times just past (the view judges a pause by the clock it is read at)."""
    now = datetime.now(timezone.utc)
    for name in ("limited", "beside"):
        http_server.routes[f"/{name}.xml"] = Response(200, rss([story(name)]))
    poller = Poller(home, tmp_path, {name: http_server.url(f"/{name}.xml") for name in ("limited", "beside")})
    poller.poll_at(now - timedelta(hours=1))
    http_server.routes["/limited.xml"] = Response(429, headers={"Retry-After": "3600"})
    poller.schedule("beside", now + timedelta(days=1))  # not due: "limited" is refused alone
    poller.poll_at(now - timedelta(minutes=30))
    poller.schedule("beside", now - timedelta(minutes=30))
    poller.poll_at(now - timedelta(minutes=20))  # "beside" due, its host paused: not asked
    assert sorted(path for path, _ in http_server.requests) == ["/beside.xml", "/limited.xml", "/limited.xml"]
    feeds = listed(home)
    until = datetime.fromisoformat(feeds["limited"]["next_check_at"]).astimezone(timezone.utc)
    assert until > now and feeds["beside"]["next_check_at"] == feeds["limited"]["next_check_at"]
    said = f"its server asked for a pause (HTTP 429 or Retry-After): not asked before {until:%Y-%m-%d %H:%M} UTC"
    assert health(home) == {"limited": ("paused", said), "beside": ("paused", said)}
    status = json.loads(CliRunner().invoke(cli, ["--home", str(home), "status", "--json"]).output)
    assert (status["enabled_feeds"], status["failing_feeds"], status["paused_feeds"]) == (2, 0, 2)


def test_a_feed_refused_with_a_pause_shorter_than_its_backoff_is_paused_for_the_pause_then_degraded(
        home, tmp_path, http_server):
    """"Retry-After: 60" on a feed whose backoff is 30 minutes read "paused ... not asked before" the end of the
    backoff, as though the server had asked for it (and every feed of its host waited that long). Paused for the
    minute asked; past it, the refused feed is degraded: it failed, and backs off."""
    now = datetime.now(timezone.utc)
    http_server.routes["/limited.xml"] = Response(503, headers={"Retry-After": "60"})
    poller = Poller(home, tmp_path, {"earlier": http_server.url("/limited.xml")})
    poller.poll_at(now - timedelta(minutes=10))
    later = tmp_path / "later.toml"  # on another server (localhost is not 127.0.0.1), refused now
    later.write_text(feed_list_toml({"now": http_server.url("/limited.xml").replace("127.0.0.1", "localhost")}))
    with Warehouse(poller.home.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(later))
    poller.poll_at(now)
    feeds = listed(home)
    until = datetime.fromisoformat(feeds["now"]["pause_until"]).astimezone(timezone.utc)
    assert now + timedelta(seconds=60) <= until < now + timedelta(minutes=2)
    assert all(datetime.fromisoformat(feed["next_check_at"]) > now + timedelta(minutes=10) for feed in feeds.values())
    said = f"its server asked for a pause (HTTP 429 or Retry-After): not asked before {until:%Y-%m-%d %H:%M} UTC"
    assert health(home) == {"earlier": ("degraded", "1 failed fetch in a row"), "now": ("paused", said)}
    status = json.loads(CliRunner().invoke(cli, ["--home", str(home), "status", "--json"]).output)
    assert (status["failing_feeds"], status["paused_feeds"]) == (1, 1)


def test_a_pause_the_scheduler_ignores_as_too_far_ahead_shows_no_pause_either(home, tmp_path, http_server):
    """A run under a clock days ahead stored a pause ending then. The scheduler ignores a pause ending more than
    MAX_PAUSE + CLOCK_TOLERANCE ahead, longer than any server may ask (`host_blocks`), and polls the feed, while
    `feeds list` and status's paused_feeds still said "paused" until that far date. The view's limit is the
    scheduler's: a pause just inside it holds for both, one just past it for neither."""
    now = datetime.now(timezone.utc)
    http_server.routes["/limited.xml"] = Response(429, headers={"Retry-After": "3600"})
    poller = Poller(home, tmp_path, {"limited": http_server.url("/limited.xml")})
    poller.poll_at(now + timedelta(days=3))  # the clock ran ahead
    assert health(home) == {"limited": ("degraded", "1 failed fetch in a row")}
    limit = MAX_PAUSE + CLOCK_TOLERANCE
    for pause_until, paused in ((now + limit - timedelta(minutes=1), True), (now + limit + timedelta(minutes=1), False)):
        with Warehouse(poller.home.writer_db) as warehouse:
            warehouse.con.execute("UPDATE feeds SET pause_until = ?", [pause_until])
            publish(warehouse.con, poller.home)
        state = FeedState("limited", http_server.url("/limited.xml"), pause_until=pause_until)
        assert bool(host_blocks([state], now)) is paused
        assert health(home)["limited"][0] == ("paused" if paused else "degraded"), pause_until
    status = json.loads(CliRunner().invoke(cli, ["--home", str(home), "status", "--json"]).output)
    assert status["paused_feeds"] == 0


def test_a_feed_its_server_refuses_at_every_return_is_failing_though_paused(home, tmp_path, http_server):
    """A pause is not a failure, but a server that answers 429 each time its pause is over keeps the feed's articles
    from us: three refusals in a row are failing, whatever pause the last one asked for."""
    now = datetime.now(timezone.utc)
    http_server.routes["/limited.xml"] = Response(429, headers={"Retry-After": "7200"})
    poller = Poller(home, tmp_path, {"limited": http_server.url("/limited.xml")})
    for hours_ago in (4.2, 2.1, 0):  # each time its two hours' pause is over, and so is its backoff (up to 1.2 h)
        poller.poll_at(now - timedelta(hours=hours_ago))
    assert len(http_server.requests) == 3
    feed = listed(home)["limited"]
    assert datetime.fromisoformat(feed["next_check_at"]) > now  # the last pause still holds
    assert (feed["health"], feed["health_reason"]) == ("failing", "3 failed fetches in a row")


def test_a_feed_that_stops_bringing_articles_marks_a_stop_on_the_charts(home, tmp_path, http_server):
    """The Trends chart drew a rule where a feed began failing, none where one went on answering with nothing: the
    volume dropped there unexplained. An empty feed stopped with the first of its empty fetches; a stale one with its
    last new article."""
    http_server.routes["/cached.xml"] = Response(200, rss([story(f"cached-{n}", n) for n in range(4)]))
    poller = Poller(home, tmp_path, {name: http_server.url(f"/{name}.xml") for name in ("moved", "cached", "daily")})
    for day in range(7):
        served = [daily_story(n) for n in range(day + 1)]
        http_server.routes["/daily.xml"] = Response(200, rss(served))
        http_server.routes["/moved.xml"] = Response(200, rss(served if day < 2 else []))  # left empty on day 2
        poller.poll(day)
    with open_snapshot(Home.resolve(home)) as con:
        changes = queries.feed_changes(con, START.date() - timedelta(days=7), START.date() + timedelta(days=7))
    assert changes.assign(day=changes["day"].dt.date).to_dict("records") == [
        {"day": START.date(), "change": "stopped", "feeds": 1, "feed_ids": "cached",
         "why": "cached: stale (no new article for 6.0 days, usually every 1.0 days)"},
        {"day": START.date() + timedelta(days=2), "change": "stopped", "feeds": 1, "feed_ids": "moved",
         "why": "moved: empty (no entries in the last 5 successful fetches)"}]


def test_v_feed_daily_counts_each_feeds_fetches_failures_and_new_articles_by_the_day_of_the_run(
        home, tmp_path, http_server):
    http_server.routes["/down.xml"] = Response(404, b"not found")
    poller = Poller(home, tmp_path, {name: http_server.url(f"/{name}.xml") for name in ("daily", "down")})
    for day in (0, 1, 1.25):  # two runs on the second day, the second bringing nothing new
        http_server.routes["/daily.xml"] = Response(200, rss([daily_story(n) for n in range(int(day) + 1)]))
        poller.poll(day)
    with Warehouse(Home.resolve(home).writer_db) as warehouse:  # a poll its host's pause kept back, as poll stores it
        warehouse.con.execute("INSERT INTO fetches (run_id, feed_id, fetched_at, url, outcome, error) SELECT run_id, "
                              "'down', fetched_at, url, 'rate_limited', 'deferred: host asked for a pause' "
                              "FROM fetches WHERE feed_id = 'down' ORDER BY fetched_at DESC LIMIT 1")
        rows = warehouse.con.execute("SELECT feed_id, day, fetches, successes, failures, deferred, entries, "
                                     "new_articles FROM v_feed_daily ORDER BY feed_id, day").fetchall()
    first, second = START.date(), START.date() + timedelta(days=1)
    assert rows == [("daily", first, 1, 1, 0, 0, 1, 1), ("daily", second, 2, 2, 0, 0, 2, 1),
                    ("down", first, 1, 0, 1, 0, 0, 0), ("down", second, 2, 0, 2, 1, 0, 0)]


def test_v_feed_daily_files_a_fetch_under_its_utc_day_in_any_session_time_zone_without_converting_it(tmp_path):
    """Its day was the time-zone library's (timezone('UTC', fetched_at)) for every fetch: 3.7 s for a year of 60
    feeds polled every 15 minutes (docs/benchmarks.md, "A year of unattended ingestion"). The UTC day is read from
    the microseconds since the epoch, floored (a clock set before 1970 included), whatever the session's TimeZone."""
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        con = warehouse.con
        for at in ("2026-03-01 23:59:59.999999+00", "2026-03-02 00:00:00+00", "1969-12-31 23:00:00+00"):
            con.execute("INSERT INTO fetches (run_id, feed_id, fetched_at, outcome) VALUES (1, 'f', ?, 'ok')", [at])
        for zone in ("Asia/Tokyo", "America/Los_Angeles"):
            con.execute(f"SET TimeZone = '{zone}'")
            assert con.execute("SELECT day, fetches FROM v_feed_daily ORDER BY day").fetchall() == [
                (date(1969, 12, 31), 1), (date(2026, 3, 1), 1), (date(2026, 3, 2), 1)], zone
        view = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'v_feed_daily'").fetchone()[0]
    assert "timezone(" not in view.lower() and "epoch_us(fetched_at)" in view
