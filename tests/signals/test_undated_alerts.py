"""An alert names how many of its window's articles have no date of their own: filed on the day first stored, a
backlog of old undated stories (a new feed's, a replay of captures) rises like news of that day."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import DAY_NOT_OVER, cli
from pipeline.dashboard.routes import ROUTES
from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.store.reader import open_snapshot
from tests.dashboard.conftest import open_page

ALERTS = next(route for route in ROUTES if route.name == "alerts")

OUTLETS = ("North Desk", "South Desk", "East Desk")
HISTORY = ("Russia and China sign a trade deal on {n}", "Japan and South Korea hold talks on {n}",
           "India and Brazil agree on a farm pact on {n}")


def record(n: int, title: str, outlet: str, published: str | None) -> dict:
    return {"id": f"r{n}", "title": title, "text": "", "url": f"https://news.example.org/{n}", "source": outlet,
            **({"published": published} if published else {})}


def undated_backlog_home(tmp_path, paired_days: tuple[int, ...] = (), backlog: int = 6):
    """Sixty days of dated news from three outlets, then today a backlog of undated stories pairing two countries
    (what the first poll of a feed that dates nothing brings): never named together before, or once each of
    `paired_days` ago ((95, 96): new_pair allows one co-mention before; surge_pair's 12 weeks hold neither)."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    items = [(title.format(n=f"{outlet}, day {days}"), outlet, (today - timedelta(days=days)).isoformat())
             for days in range(60, -1, -1) for outlet in OUTLETS for title in HISTORY]
    items += [(f"Chile and New Zealand talk trade on day {days}", OUTLETS[0],
               (today - timedelta(days=days)).isoformat()) for days in paired_days]
    items += [(f"Chile and New Zealand sign a fisheries pact, part {n}", OUTLETS[n % 3], None) for n in range(backlog)]
    records = [record(n, *item) for n, item in enumerate(items)]
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(json.dumps(item) for item in records))
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)])
    assert result.exit_code == 0, result.output
    return home, today.date()


@pytest.fixture()
def home_with_an_undated_backlog(tmp_path):
    return undated_backlog_home(tmp_path)


@pytest.fixture()
def home_with_an_undated_rise(tmp_path):
    """A backlog of 8 pairing two countries named together twice before: not a new pair, and a rise below
    surge_pair's floors (it needs 15 articles; 6 have too small a z to be listed)."""
    return undated_backlog_home(tmp_path, paired_days=(95, 96), backlog=8)


def test_an_alert_says_how_many_of_its_articles_are_undated(home_with_an_undated_backlog):
    home, today = home_with_an_undated_backlog
    result = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--json", "--since", today.isoformat()])
    assert result.exit_code == 0, result.output
    alerts = {alert["pair"]: alert for alert in json.loads(result.output)}
    backlog = alerts["CHL-NZL"]
    assert (backlog["kind"], backlog["current"], backlog["undated"]) == ("new_pair", 6, 6)
    assert "3 outlets, 6 undated" in backlog["summary"]
    assert all(alert["undated"] == 0 for pair, alert in alerts.items() if pair != "CHL-NZL")
    printed = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--since", today.isoformat()]).output
    assert "CHL-NZL: 6 articles" in printed and "6 undated" in printed


def test_an_alert_ending_today_says_its_numbers_are_so_far(home_with_an_undated_backlog):
    """An alert whose window ends on a UTC day not yet over gave its numbers as final (and a webhook gets each alert
    once): it says they are today's so far, in its line, its JSON and (tomorrow) no longer."""
    home, today = home_with_an_undated_backlog
    found = json.loads(CliRunner().invoke(cli, ["--home", str(home), "alerts", "--json", "--since",
                                                today.isoformat()]).output)
    assert found and all(alert["day"] == today.isoformat() and alert["day_over"] is False for alert in found)
    printed = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--since", today.isoformat()]).output
    assert printed.count(DAY_NOT_OVER) == len(found)
    con = open_snapshot(Home.resolve(home))
    try:
        tomorrow = screen_alerts(con, today, today=today + timedelta(days=1)).alerts
    finally:
        con.close()
    assert [alert.key for alert in tomorrow] == [alert["key"] for alert in found]
    assert all(alert.day_over for alert in tomorrow)


def test_the_alerts_page_counts_them_and_warns_under_the_alert(monkeypatch, home_with_an_undated_backlog):
    home, today = home_with_an_undated_backlog
    app = open_page(monkeypatch, Home.resolve(home), ALERTS, {"from": today.isoformat(), "to": today.isoformat()})
    overview = app.dataframe[0].value
    assert list(overview.loc[overview["pair"] == "CHL–NZL", "undated"]) == [6]
    app.selectbox[0].select_index(list(overview["pair"]).index("CHL–NZL")).run()
    assert [warning.value for warning in app.warning if "no date of their own" in warning.value] == [
        "6 of the window's 6 articles have no date of their own: they are filed on the day PactWatch first stored "
        "them, so a new feed's backlog or a replay of old captures, not news of these days, can make this rise. The "
        "evidence's `dated` column leaves them unticked."]


def test_a_rise_kept_below_a_floor_says_how_many_of_its_articles_are_undated(monkeypatch, home_with_an_undated_rise):
    """JPN–USA "11 articles vs 0.00 expected (none before, z=21.9)" was listed as a rise below a rule's floor, in
    `pactwatch alerts` and on the Alerts page, with no word that all 11 were one feed's undated backlog."""
    home, today = home_with_an_undated_rise
    printed = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--since", today.isoformat()]).output
    lines = printed.splitlines()
    heading = next(n for n, line in enumerate(lines) if "that its floors kept from being tested" in line)
    [rise] = [line for line in lines[heading + 1:] if line.lstrip().startswith("CHL-NZL ")]
    assert ": 8 articles vs " in rise and ", 8 undated) [surge_pair] not tested:" in rise
    # nothing was expected: a z against 0 only grows with the count, so none is given (JSON null)
    assert ": 8 articles vs 0.00 expected (none before, z=n/a, 3 outlets, 8 undated)" in rise
    with open_snapshot(Home.resolve(home)) as con:
        [kept] = [k for k in screen_alerts(con, today).kept_out if k.pair == "CHL-NZL"]
    assert kept.to_dict()["z"] is None and kept.to_dict()["ratio"] is None
    app = open_page(monkeypatch, Home.resolve(home), ALERTS, {"from": today.isoformat(), "to": today.isoformat()})
    kept = app.dataframe[-1].value
    assert list(kept.loc[kept["pair"] == "CHL–NZL", "undated"]) == [8]
    assert list(kept.columns).index("undated") == list(kept.columns).index("z") + 2  # after the outlets, as alerts
