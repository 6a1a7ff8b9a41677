"""seeds/alerts.toml loads, and mistakes in it are reported by name instead of silently ignored."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.signals import AlertConfigError, load_alert_config, parse_alert_config
from pipeline.signals.config import DEFAULT_ALERTS_FILE as BUNDLED

RULE = {"id": "surge_4w", "kind": "surge", "level": "pair_topic", "min_ratio": 2.0}


def test_the_bundled_rules_load():
    config = load_alert_config()
    assert {rule.kind for rule in config.rules} == {"surge", "weekday_zscore", "new_pair"}
    assert config.gate.min_outlets >= 2
    assert config.history_days >= 52 * 7, "the 52-week baseline needs a year of history"


@pytest.mark.parametrize("table, message", [
    ({"rule": [{**RULE, "min_ratoi": 2.0}]}, "min_ratoi"),
    ({"rule": [{**RULE, "kind": "magic"}]}, "kind must be"),
    ({"rule": [{**RULE, "kind": "new_pair", "min_ratio": 1.0}]}, "do not apply"),
    ({"rule": [{"id": "n", "kind": "new_pair", "level": "pair_topic"}]}, "level"),
    ({"rule": [{**RULE, "window_days": 10}]}, "window_days"),
    ({"rule": [RULE, RULE]}, "duplicate"),
    ({"rule": []}, "no [[rule]]"),
    ({"rule": [RULE], "gate": {"min_sources": 2}}, "min_sources"),
    ({"rule": [RULE], "coverage": {"on_gap": "ignore"}}, "on_gap"),
    ({"rule": [RULE], "alerts": {}}, "unknown sections"),
])
def test_mistakes_are_named(table, message):
    with pytest.raises(AlertConfigError, match=message.replace("[", r"\[")):
        parse_alert_config(table)


@pytest.mark.parametrize("content, message", [
    (b"[[rule]]\nid = ", "Invalid value"),
    (BUNDLED.read_text(encoding="utf-8").encode("utf-16"), "not UTF-8 text (byte 0): save it as UTF-8"),
], ids=["toml_syntax", "utf16"])
def test_a_broken_file_names_itself(tmp_path, content, message):
    path = tmp_path / "alerts.toml"
    path.write_bytes(content)
    with pytest.raises(AlertConfigError, match=f"^{re.escape(str(path))}: .*{re.escape(message)}"):
        load_alert_config(path)


def test_a_byte_order_mark_is_no_mistake(tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BUNDLED.read_bytes())
    assert load_alert_config(path) == load_alert_config()


def test_the_cli_names_a_broken_file_in_one_line(alerts_file, home):
    """A TOML slip gave `pactwatch alerts` a Python traceback."""
    assert CliRunner().invoke(cli, ["--home", str(home), "demo", "--articles", "20"]).exit_code == 0
    path = alerts_file("[[rule]]\nid = ")
    result = CliRunner().invoke(cli, ["--home", str(home), "alerts"], catch_exceptions=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(f"Error: {path}: "), result.stderr
