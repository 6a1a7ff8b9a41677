"""new_pair counts a pair's co-mentions over the bundled look-back (prior_days), not over all history: a pair last named
together three years ago is new again to an analyst. The pair's old co-mentions lie before every day the rules read,
so the look-back, not the summed older history, must decide (built through `pactwatch import`)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.signals import load_alert_config
from tests.signals.test_undated_alerts import undated_backlog_home

YEARS_AGO = (1100, 1101)  # twice, three years ago: over max_prior's one co-mention


@pytest.fixture()
def home_with_a_pair_back_after_years(tmp_path):
    return undated_backlog_home(tmp_path, paired_days=YEARS_AGO)


def new_pairs(home, today) -> dict[str, dict]:
    result = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--json", "--since", today.isoformat()])
    assert result.exit_code == 0, result.output
    return {alert["pair"]: alert for alert in json.loads(result.output) if alert["kind"] == "new_pair"}


def test_a_pair_back_after_years_is_a_new_pair(home_with_a_pair_back_after_years):
    home, today = home_with_a_pair_back_after_years
    [rule] = [rule for rule in load_alert_config().rules if rule.kind == "new_pair"]
    assert rule.prior_days == 365 and rule.history_days < min(YEARS_AGO)
    found = new_pairs(home, today)["CHL-NZL"]
    assert (found["current"], found["baseline"], found["prior_days"]) == (6, 0.0, 365)
    assert "CHL-NZL: 6 articles" in found["summary"] and "no article connecting the pair in the 365 days before" in found["summary"]


def test_over_all_history_it_is_not(alerts_file, home_with_a_pair_back_after_years):
    from pipeline.signals.config import DEFAULT_ALERTS_FILE

    home, today = home_with_a_pair_back_after_years
    bundled = DEFAULT_ALERTS_FILE.read_text(encoding="utf-8")
    assert "prior_days = 365" in bundled
    alerts_file(bundled.replace("prior_days = 365", "prior_days = 0"))
    assert "CHL-NZL" not in new_pairs(home, today)
