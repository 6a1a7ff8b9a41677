"""`.streamlit/config.toml`, where README's "Running the dashboard for others" sends the operator: its settings and its
advice say what the README says."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
README_PROXY = "authenticating reverse proxy (oauth2-proxy, Caddy/nginx with SSO)"


def test_the_config_keeps_the_dashboard_on_loopback_without_error_details():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1" and config["server"]["enableXsrfProtection"]
    assert config["client"]["showErrorDetails"] == "none"


def test_the_config_shows_viewers_no_rerun_bar_when_the_checkout_changes():
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False


def test_the_configs_advice_to_serve_others_is_the_readmes():
    """It advised "st.login OIDC or an authenticating reverse proxy" while the dashboard asks nobody to log in: an
    operator configuring OIDC secrets as told got an open dashboard."""
    advice = " ".join(line.lstrip("# ") for line in CONFIG.read_text(encoding="utf-8").splitlines()
                      if line.startswith("#"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("## Running the dashboard for others", 1)[1]
    assert README_PROXY in " ".join(readme.split()) and README_PROXY in advice
    logs_in = any("st.login(" in path.read_text(encoding="utf-8")
                  for path in [ROOT / "streamlit_app.py", *(ROOT / "pipeline" / "dashboard").rglob("*.py")])
    assert logs_in or "it has no st.login" in advice
