"""`make run`'s promise: the default demo's Alerts page shows every spike the demo injects (the CLI end to end)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.demo import default_spikes
from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.store.reader import open_snapshot

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
    for spike in default_spikes(END):
        last = (spike.start + timedelta(days=spike.days - 1)).isoformat()
        assert [a for a in alerts if a["pair"] == "-".join(spike.pair) and a["topic"] == spike.topic
                and a["window_start"] <= last and a["day"] >= spike.start.isoformat()], (spike, alerts)


def test_the_summit_days_before_the_first_alert_say_which_floor_kept_them_out(default_demo):
    """The Pyongyang summit (2024-06-19) first alerted on 06-22 with nothing said about the three days before: in a
    warehouse from 2024-05-01, burst_weekday's 12-week level had one healthy day too few (min_history 0.5 = 42 days;
    a day counts once its weekday has a week of corpus rhythm behind it), and surge_4w was under its floor."""
    with open_snapshot(Home.resolve(default_demo[1])) as con:
        screening = screen_alerts(con, date(2024, 6, 1))
    first_alert = min(a.day for a in screening.alerts if a.pair == "PRK-RUS" and a.topic == "military")
    summit = next(k for k in screening.kept_out if k.pair == "PRK-RUS" and k.topic == "military")
    assert summit.first_day == date(2024, 6, 19) < first_alert and summit.day < first_alert and summit.days >= 3
    # the entry shows the biggest of those days: burst_weekday was still short of history or, a day later, of its
    # floor of 2 expected articles (which one depends on the corpus's noise)
    assert summit.rule == "burst_weekday" or "also burst_weekday: " in summit.floor
    assert "below min_history 0.5 (42 days)" in summit.floor or "in 4 days, below the floor of 2.0" in summit.floor
