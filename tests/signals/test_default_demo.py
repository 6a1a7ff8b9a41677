"""`make run`'s promise: the default demo's Alerts page shows every spike the demo injects (the CLI end to end)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.dashboard.routes import ROUTES
from pipeline.demo import default_spikes
from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.store.reader import open_snapshot
from tests.dashboard.conftest import open_page

END = date(2026, 11, 29)  # any end date: the spikes are placed and sized against the series at that date


@pytest.fixture(scope="module")
def default_demo(tmp_path_factory) -> list[str]:
    """`pactwatch demo`'s home (data from 2024-05-01), as --home arguments."""
    home = ["--home", str(tmp_path_factory.mktemp("default_demo") / "home")]
    built = CliRunner().invoke(cli, [*home, "demo", "--end-date", END.isoformat()], obj={}, catch_exceptions=False)
    assert built.exit_code == 0, built.output
    return home


def test_every_default_spike_raises_an_alert_in_the_default_demo(default_demo):
    home = default_demo
    since = (END - timedelta(days=120)).isoformat()
    listed = CliRunner().invoke(cli, [*home, "alerts", "--since", since, "--json"], obj={}, catch_exceptions=False)
    alerts = json.loads(listed.output)
    # the ramp (to 4x over 60 days, of a series of about one article a day) rises too slowly for a spike's rules; it is
    # there for the Overview's rising pairs (the test below)
    for spike in (spike for spike in default_spikes(END) if not spike.ramp):
        last = (spike.start + timedelta(days=spike.days - 1)).isoformat()
        assert [a for a in alerts if a["pair"] == "-".join(spike.pair) and a["topic"] == spike.topic
                and a["window_start"] <= last and a["day"] >= spike.start.isoformat()], (spike, alerts)


def test_the_summit_days_before_the_first_alert_are_not_listed_again_as_kept_out(default_demo):
    """The Pyongyang summit (2024-06-19) first alerted on 06-22, and its rises of 06-19..06-21 (burst_weekday's 12-week
    level one healthy day short of min_history, surge_4w under its floor) were listed under that alert as kept out, as
    if no rule had reported them; PRK-RUS diplomacy too, alerted the same day. An alert on the pair within the cool-down
    either side reports the rise: no series of the pair is listed around it."""
    with open_snapshot(Home.resolve(default_demo[1])) as con:
        screening = screen_alerts(con, date(2024, 6, 1))
    summit = [a.day for a in screening.alerts if a.pair == "PRK-RUS" and a.day < date(2024, 7, 1)]
    assert min(summit) <= date(2024, 6, 23)
    assert not [k for k in screening.kept_out if k.pair == "PRK-RUS" and any(abs((k.day - day).days) < 7
                                                                            for day in summit)]


def test_the_overview_of_the_default_demo_lists_the_pair_that_rose(monkeypatch, default_demo):
    """`make run` opens on the Overview's last 90 days, whose "Rising pairs" said "No pair rose beyond chance": the
    scenario's dated events end in 2025, and its four-day spikes move no 90-day count that far. The demo's ramp (PRK-RUS
    diplomacy to 4x over its last 60 days) leads them, with the topic that grew (other pairs may pass by chance:
    the test is one in a hundred for each)."""
    [ramp] = [spike for spike in default_spikes(END) if spike.ramp]
    app = open_page(monkeypatch, Home.resolve(default_demo[1]), ROUTES[0])
    rising = app.dataframe[0].value
    assert rising.iloc[0]["pair"] == "–".join(ramp.pair)
    assert rising.iloc[0]["grew_most"].startswith(f"{ramp.topic} +")
