"""An alert names how many of its window's articles have no date of their own: filed on the day first stored, a
backlog of old undated stories (a new feed's, a replay of captures) rises like news of that day."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.dashboard.routes import ROUTES
from pipeline.home import Home
from tests.dashboard.conftest import open_page

ALERTS = next(route for route in ROUTES if route.name == "alerts")

OUTLETS = ("North Desk", "South Desk", "East Desk")
HISTORY = ("Russia and China sign a trade deal on {n}", "Japan and South Korea hold talks on {n}",
           "India and Brazil agree on a farm pact on {n}")


def record(n: int, title: str, outlet: str, published: str | None) -> dict:
    return {"id": f"r{n}", "title": title, "text": "", "url": f"https://news.example.org/{n}", "source": outlet,
            **({"published": published} if published else {})}


@pytest.fixture()
def home_with_an_undated_backlog(tmp_path):
    """Sixty days of dated news from three outlets, then today a backlog of undated stories pairing two countries
    never named together before (what the first poll of a feed that dates nothing brings)."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    items = [(title.format(n=f"{outlet}, day {days}"), outlet, (today - timedelta(days=days)).isoformat())
             for days in range(60, -1, -1) for outlet in OUTLETS for title in HISTORY]
    items += [(f"Chile and New Zealand sign a fisheries pact, part {n}", OUTLETS[n % 3], None) for n in range(6)]
    records = [record(n, *item) for n, item in enumerate(items)]
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(json.dumps(item) for item in records))
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)])
    assert result.exit_code == 0, result.output
    return home, today.date()


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
