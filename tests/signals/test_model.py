"""The Alert record's own names: the key that a dashboard link and a webhook's delivery record both keep."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from pipeline.signals.model import Alert

ALERT = Alert(rule="burst_weekday", kind="weekday_zscore", level="pair_topic", iso_a="PRK", iso_b="RUS",
              topic="military", day=date(2026, 11, 12), window_start=date(2026, 11, 9), current=12, baseline=3.0,
              ratio=4.0, z=5.0, outlets=3, top_outlet="a", top_outlet_share=0.4, top_outlet_rise_share=0.2,
              coverage="ok")


def test_an_alert_is_named_by_its_series_day_and_rule_in_its_json_too():
    """The dashboard built this name from an alert's JSON in a function of its own: a webhook's record of the
    alerts it delivered needs the same name, so it is the alert's, one definition read by both."""
    assert ALERT.key == "PRK-RUS.military.2026-11-12.burst_weekday"
    assert ALERT.to_dict()["key"] == ALERT.key
    assert replace(ALERT, topic=None, level="pair", rule="new_pair").key == "PRK-RUS.all.2026-11-12.new_pair"
