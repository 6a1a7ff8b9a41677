"""`pactwatch dashboard`: the `streamlit run` command line of the packaged entry script. Streamlit reads
.streamlit/config.toml from the working directory only, so the project's safe settings go as flags, which hold
wherever it starts (tests/dashboard/test_launch.py keeps them equal to that file's). Imports no streamlit."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ENTRY = Path(__file__).resolve().parents[1] / "dashboard_entry.py"  # not beside pages/: see its docstring
# .streamlit/config.toml as `streamlit run` flags: what the pages let through, and the theme that keeps captions at
# WCAG AA contrast and headings in order
SETTINGS = {
    "server.address": "127.0.0.1",
    "server.headless": True,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "browser.gatherUsageStats": False,
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "client.disableDataExport": True,
    "runner.magicEnabled": False,
    "theme.headingFontSizes": ["2.75rem", "1.75rem", "1.5rem", "1.25rem", "1.125rem", "1rem"],
    "theme.light.textColor": "#121110",
}


def streamlit_argv(port: int, address: str | None = None) -> list[str]:
    """The command that serves the dashboard on `address` (default the config's, loopback) and `port`, with the
    config's settings."""
    settings = {**SETTINGS, "server.address": address or SETTINGS["server.address"], "server.port": port}
    flags = [part for name, value in settings.items() for part in (f"--{name}", _flag_value(value))]
    return [sys.executable, "-m", "streamlit", "run", str(ENTRY), *flags]


def _flag_value(value: bool | int | str | list[str]) -> str:
    if isinstance(value, list):  # Streamlit reads a list option's flag as JSON (app_session: headingFontSizes)
        return json.dumps(value)
    return str(value).lower() if isinstance(value, bool) else str(value)
