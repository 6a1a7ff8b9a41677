"""A quiet pair that suddenly explodes (real captured feeds: USA–VEN went from 2–4 articles a week to 17, then 31):
every pair × topic series sits below a rule's floor, so "no alerts" said nothing. Built in a real warehouse through
the store's write path (tests/dashboard/factory.py), with IRN–JPN as the quiet pair and CHN–RUS trade as the rest
of the corpus."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from pipeline.article_day import NO_USABLE_DATE, STORED_DAY
from pipeline.cli import cli
from pipeline.dashboard.routes import ROUTES
from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.store.reader import open_snapshot
from pipeline.store.warehouse import Warehouse
from tests.dashboard.conftest import open_page
from tests.dashboard.factory import Story, feed_specs, write_stories

QUIET_FROM = date(2025, 8, 4)  # a Monday; 21 quiet weeks, then the two loud ones
LOUD = {date(2025, 12, 29): {"military": 10, "energy": 7}, date(2026, 1, 5): {"military": 18, "energy": 13}}
QUIET = {"military": 2, "energy": 1}  # 3 a week
LAST = date(2026, 1, 11)
OUTLETS = ("wire", "daily", "flaky")


def spread(count: int, week: date) -> list[date]:
    """`count` articles over a week's days, weekdays first, as news falls."""
    order = [0, 2, 4, 1, 3, 5, 6]
    return [week + timedelta(days=order[n % 7]) for n in range(count)]


def quiet_pair_stories() -> list[Story]:
    stories, week = [], QUIET_FROM
    while week <= LAST:
        for topic, count in LOUD.get(week, QUIET).items():
            stories += [Story(f"q{week:%Y%m%d}{topic}{n}", day, (), f"Iran and Japan {topic} {n}",
                              f"Iran and Japan discuss {topic} ties.", (topic,))
                        for n, day in enumerate(spread(count, week))]
        week += timedelta(days=7)
    for n, story in enumerate(stories):  # three outlets carry the pair, in turn: the source gate has no say
        story.feeds = (OUTLETS[n % 3],)
    day = QUIET_FROM
    while day <= LAST:  # the rest of the corpus: a steady weekday rhythm from three outlets
        stories += [Story(f"b{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Trade {n}", "China and Russia expand trade.",
                          ("trade",)) for n in range(8 if day.weekday() < 5 else 4)]
        day += timedelta(days=1)
    return stories


def quiet_pair_warehouse(tmp_path_factory, name: str, stories: list[Story]) -> Home:
    home = Home.resolve(tmp_path_factory.mktemp(name) / "home").ensure()
    with Warehouse(home.writer_db) as warehouse:
        warehouse.register_feeds(feed_specs(), datetime(2025, 8, 1, tzinfo=timezone.utc))
        write_stories(warehouse, home, stories, LAST)
    return home


@pytest.fixture(scope="module")
def quiet_pair_home(tmp_path_factory) -> Home:
    return quiet_pair_warehouse(tmp_path_factory, "quiet", quiet_pair_stories())


# An old item without a usable date, filed under the day a replay stored it: the loud week's last day. Its key sorts
# first on that day, so it is the day's first evidence article, and Daily's first of the window.
UNDATED = Story("q0-undated", LAST, ("daily",), "Iran and Japan old accord", "Iran and Japan discuss military ties.",
                ("military",), undated=True)


@pytest.fixture(scope="module")
def undated_quiet_pair_home(tmp_path_factory) -> Home:
    return quiet_pair_warehouse(tmp_path_factory, "quiet_undated", quiet_pair_stories() + [UNDATED])


def screen(home: Home, since: date = date(2025, 1, 1), config=None):
    with open_snapshot(home) as con:
        return screen_alerts(con, since, config)


def bundled_without(rule_id: str) -> str:
    """The bundled rules file less one rule."""
    from pipeline.signals.config import DEFAULT_ALERTS_FILE

    chunks = DEFAULT_ALERTS_FILE.read_text(encoding="utf-8").split("[[rule]]")
    return "[[rule]]".join(chunk for chunk in chunks if f'id = "{rule_id}"' not in chunk)


@pytest.fixture()
def no_pair_rule(alerts_file):
    """The rules with nothing testing the whole quiet pair but new_pair, as before surge_pair: its topics' rises are
    all that tells of it, listed as kept out. (With surge_pair the pair's alert reports them, and they are not listed:
    test_the_rises_of_a_pair_that_alerted_are_not_listed_again.)"""
    from pipeline.signals import load_alert_config

    return load_alert_config(alerts_file(bundled_without("surge_pair")))


def test_a_quiet_pairs_topics_that_explode_below_the_burst_floor_are_named_with_that_floor(quiet_pair_home,
                                                                                         no_pair_rule):
    screening = screen(quiet_pair_home, config=no_pair_rule)
    topics = {kept.topic: kept for kept in screening.kept_out if kept.pair == "IRN-JPN" and kept.topic}
    assert set(topics) == {"military", "energy"}
    military = topics["military"]
    assert military.rule == "burst_weekday" and military.current >= 8 and military.ratio >= 2 and military.z >= 4
    assert military.baseline < 2.0
    assert f"expected {military.baseline:.2f} articles in 4 days, below the floor of 2.0" in military.floor
    assert date(2025, 12, 29) <= military.first_day and military.day <= LAST and military.days >= 1
    # biggest rise first, and nothing the steady background did is listed
    rises = [kept.current - kept.baseline for kept in screening.kept_out]
    assert rises == sorted(rises, reverse=True)
    assert not [kept for kept in screening.kept_out if kept.pair == "CHN-RUS"]


def test_a_rise_kept_out_says_how_many_outlets_carried_it(quiet_pair_home, no_pair_rule):
    """A rise below a rule's floor listed no outlet count, where an alert's line says it: one outlet's run of stories
    and a story all outlets carry read alike. Counted here from the stored rows, window by window."""
    with open_snapshot(quiet_pair_home) as con:
        outlet_of = dict(con.execute("SELECT article_id, outlet FROM articles").fetchall())
        pairs = con.execute("SELECT article_id, iso_a, iso_b, day, topics FROM article_pairs").fetchall()
        screening = screen_alerts(con, date(2025, 1, 1), no_pair_rule)

    def outlets(found) -> int:
        return len({outlet_of[article_id] for article_id, iso_a, iso_b, day, topics in pairs
                    if (iso_a, iso_b) == (found.iso_a, found.iso_b) and found.window_start <= day <= found.day
                    and (found.topic is None or found.topic in topics)})

    assert screening.kept_out and {kept.outlets for kept in screening.kept_out} - {0}
    assert [kept.outlets for kept in screening.kept_out] == [outlets(kept) for kept in screening.kept_out]
    assert all(f", {kept.outlets} outlets" in kept.summary for kept in screening.kept_out)
    assert [alert.outlets for alert in screening.alerts] == [outlets(alert) for alert in screening.alerts]


def test_alerts_prints_the_rises_a_floor_kept_out_after_the_held_back_ones(quiet_pair_home, no_pair_rule):
    result = CliRunner().invoke(cli, ["--home", str(quiet_pair_home.root), "alerts", "--since", "2025-01-01"], obj={},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    heading = next(n for n, line in enumerate(lines) if "that its floors kept from being tested" in line)
    listed = [line for line in lines[heading + 1:] if line.startswith("    ")]
    military = next(line for line in listed if line.lstrip().startswith("IRN-JPN military"))
    assert "[burst_weekday] not tested: expected" in military and "below the floor of 2.0" in military
    # --json stays a list of alerts, as the webhook payload and earlier consumers read it
    as_json = CliRunner().invoke(cli, ["--home", str(quiet_pair_home.root), "alerts", "--since", "2025-01-01",
                                       "--json"], obj={}, catch_exceptions=False)
    assert as_json.output.lstrip().startswith("[")


def test_alerts_evidence_says_which_days_are_first_stored(undated_quiet_pair_home):
    """The Alerts page marks an undated evidence article (`dated`); `pactwatch alerts` printed its day, the replay's,
    as the day of the news."""
    home = ["--home", str(undated_quiet_pair_home.root), "alerts", "--since", "2025-01-01"]
    printed = CliRunner().invoke(cli, home, obj={}, catch_exceptions=False).output.splitlines()
    assert f"    {LAST} ({STORED_DAY}; {NO_USABLE_DATE})  Daily: {UNDATED.title}  {UNDATED.url}" in printed
    evidence = [line for line in printed if line.startswith("    20")]  # the alerts' articles
    assert len(evidence) > 1 and [STORED_DAY in line for line in evidence].count(True) == 1
    alerts = json.loads(CliRunner().invoke(cli, [*home, "--json"], obj={}, catch_exceptions=False).output)
    dated = {article["title"]: article["dated"] for alert in alerts for article in alert["articles"]}
    assert dated.pop(UNDATED.title) is False and all(dated.values())


def test_the_kept_out_list_is_bounded_by_the_settings(quiet_pair_home, alerts_file):
    from pipeline.signals import load_alert_config

    bundled = bundled_without("surge_pair")

    def screened(listed: int, min_articles: int):
        limited = re.sub(r"kept_out_listed = \d+", f"kept_out_listed = {listed}",
                         re.sub(r"kept_out_min_articles = \d+", f"kept_out_min_articles = {min_articles}", bundled))
        with open_snapshot(quiet_pair_home) as con:
            return screen_alerts(con, date(2025, 1, 1), load_alert_config(alerts_file(limited)))

    one = screened(1, 8)
    assert one.kept_out_series == 2 and [(k.pair, k.topic) for k in one.kept_out] == [("IRN-JPN", "military")]
    assert screened(10, 19).kept_out_series == 0  # no window reaches 19 articles: a smaller rise is not listed


def test_the_alerts_page_lists_the_rises_a_floor_kept_out(monkeypatch, quiet_pair_home, no_pair_rule):
    """The page said only "no pair or pair × topic series crossed a rule" while IRN–JPN went from 3 a week to 31."""
    alerts = next(route for route in ROUTES if route.name == "alerts")
    dates = {"from": "2025-12-01", "to": LAST.isoformat()}
    app = open_page(monkeypatch, quiet_pair_home, alerts, {**dates, "pairs": "IRN-JPN", "topics": "military"})
    message = next(i.value for i in app.info if "No alerts in this date range" in i.value)
    assert "rose past a rule's ratio and z but below one of its floors" in message
    kept = app.dataframe[-1].value
    assert list(kept.columns) == ["window_start", "day", "pair", "topic", "rule", "current", "baseline", "ratio",
                                  "z", "outlets", "undated", "stories", "floor", "days", "first_day"]
    military = kept[kept["topic"] == "military"].iloc[0]
    assert military["pair"] == "IRN–JPN" and military["outlets"] == len(OUTLETS)
    assert "below the floor of 2.0" in military["floor"]


@pytest.fixture(scope="module")
def quiet_pair_beside_a_rise_home(tmp_path_factory) -> Home:
    """The quiet pair's corpus with its background, CHN-RUS trade, tripled from 2025-12-01: it alerts beside the
    quiet pair's rises."""
    day, more = date(2025, 12, 1), []
    while day <= LAST:
        more += [Story(f"m{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"More trade {n}", "China and Russia expand trade.",
                       ("trade",)) for n in range(16 if day.weekday() < 5 else 8)]
        day += timedelta(days=1)
    return quiet_pair_warehouse(tmp_path_factory, "quiet_beside", quiet_pair_stories() + more)


def test_the_alerts_page_lists_the_rises_a_floor_kept_out_beside_the_alerts(monkeypatch, quiet_pair_beside_a_rise_home,
                                                                           no_pair_rule):
    alerts = next(route for route in ROUTES if route.name == "alerts")
    beside = open_page(monkeypatch, quiet_pair_beside_a_rise_home, alerts, {"from": "2025-12-01",
                                                                             "to": LAST.isoformat()})
    assert "CHN–RUS" in set(beside.dataframe[0].value["pair"])
    assert any("rose below a rule's floor: listed at the bottom" in c.value for c in beside.caption)
    kept = beside.dataframe[-1].value
    assert set(kept.loc[kept["pair"] == "IRN–JPN", "topic"]) == {"military", "energy"}



def test_the_rises_of_a_pair_that_alerted_are_not_listed_again(quiet_pair_home):
    """IRN–JPN's topics, below burst_weekday's floor, were listed as kept out under the whole pair's alerts of the
    same days, which report their rise: a series is listed only when no rule fired on its pair, at any level, within
    the cool-down either side."""
    screening = screen(quiet_pair_home)
    assert {alert.rule for alert in screening.alerts if alert.pair == "IRN-JPN"} == {"surge_pair"}
    assert not [kept for kept in screening.kept_out if kept.pair == "IRN-JPN"]


def test_a_quiet_pair_that_explodes_raises_a_pair_alert(quiet_pair_home):
    """USA–VEN, 2–4 articles a week, then 17 and 31: no pair × topic rule could test it, and no rule ran on whole
    pairs but new_pair. surge_pair does, from the first loud week."""
    pair_alerts = [alert for alert in screen(quiet_pair_home).alerts if alert.pair == "IRN-JPN" and not alert.topic]
    assert [alert.rule for alert in pair_alerts] and {alert.rule for alert in pair_alerts} == {"surge_pair"}
    first = min(pair_alerts, key=lambda alert: alert.day)
    assert first.day < date(2026, 1, 5) and first.current >= 15 and first.ratio >= 4 and first.z >= 4
    assert first.outlets == 3


def test_the_alerts_page_says_how_many_kept_out_rises_it_lists_at_most(monkeypatch, quiet_pair_home, alerts_file):
    """Its caption read "at most kept_out_listed of seeds/alerts.toml", the setting's name where its number belongs."""
    alerts = next(route for route in ROUTES if route.name == "alerts")
    alerts_file(re.sub(r"kept_out_listed = \d+", "kept_out_listed = 7", bundled_without("surge_pair")))
    app = open_page(monkeypatch, quiet_pair_home, alerts, {"from": "2025-12-01", "to": LAST.isoformat()})
    [caption] = [c.value for c in app.caption if "biggest rise first" in c.value]
    assert "biggest rise first, at most 7 (kept_out_listed in seeds/alerts.toml)." in caption
