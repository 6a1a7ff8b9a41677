"""`pactwatch dashboard`: the safe settings go to Streamlit as flags, the same as .streamlit/config.toml's."""
from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner

import pytest

from pipeline.cli import cli
from pipeline.dashboard.launch import ENTRY, SETTINGS, streamlit_argv
from pipeline.dashboard.routes import ROUTES

from .conftest import open_page

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def flattened(table: dict, prefix: str = "") -> dict:
    """A TOML table's values by dotted name, as Streamlit names its options ("theme.light.textColor")."""
    return {name: value for key, item in table.items()
            for name, value in (flattened(item, f"{prefix}{key}.") if isinstance(item, dict)
                                else {f"{prefix}{key}": item}).items()}


def test_the_flags_are_the_config_files_settings():
    """A launch outside the checkout read no config: it listened on every interface, collected usage statistics,
    showed tracebacks, the Deploy button and the grid's CSV export (formulas live), and captions fell under WCAG AA
    contrast without the theme (review Y)."""
    assert SETTINGS == flattened(CONFIG)


def run_dashboard(monkeypatch, *args: str) -> tuple[list[str], dict[str, str]]:
    """What `pactwatch ARGS` would exec (the process becomes Streamlit's: no server is started here)."""
    execs = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: execs.append((path, argv, env)))
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    [(path, argv, env)] = execs
    assert path == argv[0] == sys.executable
    return argv, env


def test_dashboard_runs_the_packaged_entry_with_the_safe_settings_on_the_home(monkeypatch, tmp_path):
    argv, env = run_dashboard(monkeypatch, "--home", str(tmp_path / "h"), "dashboard", "--port", "8600")
    assert argv[1:5] == ["-m", "streamlit", "run", str(ENTRY)] and ENTRY.is_file()
    flags = dict(zip(argv[5::2], argv[6::2]))
    assert flags == {"--server.address": "127.0.0.1", "--server.headless": "true", "--server.enableXsrfProtection":
                     "true", "--server.enableCORS": "true", "--server.fileWatcherType": "none",
                     "--server.runOnSave": "false", "--browser.gatherUsageStats": "false",
                     "--client.showErrorDetails": "none", "--client.toolbarMode": "viewer",
                     "--client.disableDataExport": "true", "--runner.magicEnabled": "false",
                     "--theme.headingFontSizes": '["2.75rem", "1.75rem", "1.5rem", "1.25rem", "1.125rem", "1rem"]',
                     "--theme.light.textColor": "#121110", "--server.port": "8600"}
    assert env["PACTWATCH_HOME"] == str(tmp_path / "h")


def test_dashboard_address_replaces_loopback_only(monkeypatch, tmp_path):
    argv, _ = run_dashboard(monkeypatch, "--home", str(tmp_path), "dashboard", "--address", "0.0.0.0")
    assert argv == streamlit_argv(8501, "0.0.0.0") and argv[argv.index("--server.address") + 1] == "0.0.0.0"


@pytest.mark.parametrize("route", [route for route in ROUTES if route != ROUTES[0]], ids=lambda route: route.name)
def test_a_link_to_a_page_opened_first_draws_that_page_through_the_packaged_entry(monkeypatch, factory_home, route):
    """Beside dashboard/pages/, the entry made Streamlit run /alerts as the bare page file (KeyError on the view) until
    `/` was opened once: a bookmarked link after a restart failed (review Y). AppTest runs are each a first one."""
    app = open_page(monkeypatch, factory_home, route, entry=ENTRY)
    assert [title.value for title in app.title][:1] == [route.title]
