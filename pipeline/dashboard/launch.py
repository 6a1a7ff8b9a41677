"""`pactwatch dashboard`: the `streamlit run` command line of the packaged entry script. Streamlit reads
.streamlit/config.toml from the working directory only, so the project's safe settings go as flags, which hold
wherever it starts (tests/dashboard/test_launch.py keeps them equal to that file's). Imports no streamlit."""
from __future__ import annotations

import sys
from pathlib import Path

ENTRY = Path(__file__).resolve().with_name("entry.py")
# .streamlit/config.toml but its theme (how the pages look, not what they let through), as `streamlit run` flags
SAFE_SETTINGS = {
    "server.address": "127.0.0.1",
    "server.headless": True,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "browser.gatherUsageStats": False,
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "client.disableDataExport": True,
    "runner.magicEnabled": False,
}


def streamlit_argv(port: int, address: str | None = None) -> list[str]:
    """The command that serves the dashboard on `address` (default the config's, loopback) and `port`, with the safe
    settings."""
    settings = {**SAFE_SETTINGS, "server.address": address or SAFE_SETTINGS["server.address"], "server.port": port}
    flags = [part for name, value in settings.items() for part in (f"--{name}", _flag_value(value))]
    return [sys.executable, "-m", "streamlit", "run", str(ENTRY), *flags]


def _flag_value(value: bool | int | str) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
