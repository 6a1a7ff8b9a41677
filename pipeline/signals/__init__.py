"""Monitoring signals: explainable spike alerts over pair and pair x topic series.

    from pipeline.signals import current_alerts
    with open_snapshot(home) as con:
        for alert in current_alerts(con, since=date(2025, 1, 1)):
            print(alert.summary, alert.to_dict()["articles"])

Rules, thresholds and gates live in seeds/alerts.toml; rules.py holds the pure rule kernels.
"""
from pipeline.signals.config import AlertConfig, AlertConfigError, load_alert_config, parse_alert_config
from pipeline.signals.engine import Screening, alert_evidence, current_alerts, screen_alerts, with_evidence
from pipeline.signals.model import Alert, HeldBack, KeptOut

__all__ = ["Alert", "AlertConfig", "AlertConfigError", "HeldBack", "KeptOut", "Screening", "alert_evidence",
           "current_alerts", "load_alert_config", "parse_alert_config", "screen_alerts", "with_evidence"]
