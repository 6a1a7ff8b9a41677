"""A summit story tagged military, diplomacy and trade rises on each topic at once: `pactwatch alerts` and the Alerts
page showed one alert per topic, and an analyst read three events. Now one episode: a line (a row) for the pair with
its topics, strongest first, each topic's numbers under it (in the picker); --json adds only `episode`. Built in a
real warehouse through the store's write path (tests/dashboard/factory.py)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.dashboard.routes import ROUTES
from pipeline.home import Home
from tests.dashboard.conftest import open_page
from tests.dashboard.factory import Story
from tests.signals.test_quiet_pair import OUTLETS, quiet_pair_warehouse

FIRST, LAST = date(2026, 6, 1), date(2026, 9, 30)
SUMMIT = (date(2026, 9, 21), date(2026, 9, 24))
TOPICS = ("military", "diplomacy", "trade")
ALERTS = next(route for route in ROUTES if route.name == "alerts")


def day_stories(day: date) -> list[Story]:
    summit = SUMMIT[0] <= day <= SUMMIT[1]
    stories = [Story(f"b{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Briefing {n}", "China and Russia expand trade.",
                     ("trade",)) for n in range(8)]
    # the summit's stories carry all three topics, trade more often: trade rises most
    return stories + [Story(f"s{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Iran and Japan summit {n}",
                            "Iran and Japan discuss security, diplomacy and trade.",
                            TOPICS if n % 4 else ("trade",)) for n in range(12 if summit else 2)]


@pytest.fixture(scope="module")
def summit_home(tmp_path_factory) -> Home:
    days = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    return quiet_pair_warehouse(tmp_path_factory, "summit", [story for day in days for story in day_stories(day)])


def run(home: Home, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home.root), "alerts", "--since", SUMMIT[0].isoformat(), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_summit_is_one_episode_in_the_alerts_json(summit_home):
    found = [alert for alert in json.loads(run(summit_home, "--json")) if alert["pair"] == "IRN-JPN"]
    assert len(found) >= 3 and {alert["topic"] for alert in found} >= set(TOPICS), found
    assert {alert["episode"] for alert in found} == {f"IRN-JPN.{min(a['window_start'] for a in found)}"}
    assert all(alert["summary"] and "current" in alert for alert in found)  # the fields before stay


def test_the_summit_is_one_line_with_its_topics_strongest_first(summit_home):
    lines = run(summit_home).splitlines()
    [heading] = [n for n, line in enumerate(lines) if "IRN-JPN" in line and "one episode" in line]
    assert "alerts on trade, " in lines[heading], lines[heading]  # the biggest rise first
    topics = [line for line in lines[heading + 1:heading + 5] if line.startswith("    IRN-JPN ")]
    assert [line.split()[1].rstrip(":") for line in topics][:1] == ["trade"]
    alone = [line for line in lines if line[12:].startswith("IRN-JPN ") and "one episode" not in line]
    assert not alone, "no alert of the episode has a line of its own"


def test_the_alerts_page_shows_one_row_for_the_summit(monkeypatch, summit_home):
    app = open_page(monkeypatch, summit_home, ALERTS, {"from": SUMMIT[0].isoformat(), "to": LAST.isoformat()})
    overview = app.dataframe[0].value
    rows = overview[overview["pair"] == "IRN–JPN"]
    assert len(rows) == 1 and rows["topics"].iloc[0].startswith("trade, ") and rows["alerts"].iloc[0] >= 3, rows
    assert rows["topic"].iloc[0] == "trade", "the row's numbers are its strongest alert's"
    picker = app.selectbox[0].options
    assert len([option for option in picker if "IRN–JPN" in option]) >= 3, "each topic's numbers can be opened"
