"""`make run`'s promise: the default demo's Alerts page shows every spike the demo injects (the CLI end to end)."""
from __future__ import annotations

import json
from datetime import date, timedelta

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.demo import default_spikes

END = date(2026, 11, 29)  # any end date: the spikes are placed and sized against the series at that date


def test_every_default_spike_raises_an_alert_in_the_default_demo(tmp_path):
    home = ["--home", str(tmp_path / "home")]
    built = CliRunner().invoke(cli, [*home, "demo", "--end-date", END.isoformat()], obj={}, catch_exceptions=False)
    assert built.exit_code == 0, built.output
    since = (END - timedelta(days=120)).isoformat()
    listed = CliRunner().invoke(cli, [*home, "alerts", "--since", since, "--json"], obj={}, catch_exceptions=False)
    alerts = json.loads(listed.output)
    for spike in default_spikes(END):
        last = (spike.start + timedelta(days=spike.days - 1)).isoformat()
        assert [a for a in alerts if a["pair"] == "-".join(spike.pair) and a["topic"] == spike.topic
                and a["window_start"] <= last and a["day"] >= spike.start.isoformat()], (spike, alerts)
