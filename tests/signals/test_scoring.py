"""The alert scorer's spike sizes: injected (one stream), stored, and against the tagged series' own level."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from pipeline.demo.injections import GroundTruth
from pipeline.signals.model import Alert
from bench.alert_scoring import baseline_window, score_alerts


def spike(label: str, pair: list[str]) -> GroundTruth:
    days = {f"2025-03-0{d}": {"baseline": 2.0, "extra": 4.0} for d in (3, 4, 5)}
    return GroundTruth(kind="spike", label=label, first_day="2025-03-03", last_day="2025-03-05", outlets=["a", "b"],
                       pair=pair, topic="military", multiplier=3.0, daily=days)


def alert_on(pair: list[str]) -> Alert:
    return Alert(rule="burst", kind="weekday_zscore", level="pair_topic", iso_a=pair[0], iso_b=pair[1],
                 topic="military", day=date(2025, 3, 5), window_start=date(2025, 3, 3), current=18, baseline=6.0,
                 ratio=3.0, z=5.0, outlets=2, top_outlet="a", top_outlet_share=0.5, top_outlet_rise_share=0.3,
                 coverage="ok")


def test_a_spike_is_sized_against_the_series_level_as_well_as_its_stream():
    on_busy_series, on_own_series = spike("spike-0", ["PRK", "RUS"]), spike("spike-1", ["CHN", "IND"])
    manifest = SimpleNamespace(injections=[on_busy_series, on_own_series])
    # 18 stored articles in 3 days on both; before it the busy series ran at 6 a day (other streams share
    # its tags), the other at 2 a day (the spiked stream alone).
    score = score_alerts([alert_on(["CHN", "IND"])], manifest, {"spike-0": 18, "spike-1": 18},
                         {"spike-0": 168, "spike-1": 56}, series_weeks=100, pair_weeks=50)
    busy, own = score.spikes
    assert (busy.stored_multiplier, busy.series_multiplier) == (3.0, 1.0)
    assert (own.stored_multiplier, own.series_multiplier) == (3.0, 3.0)
    report = score.report()
    assert report["recall_3x"] == 0.5 and report["recall_series_3x"] == 1.0
    assert report["recall_series_2x_to_3x"] is None


def test_the_series_baseline_is_the_four_weeks_before_the_spike():
    assert baseline_window(spike("spike-0", ["PRK", "RUS"]))[3:] == (date(2025, 2, 3), date(2025, 3, 2))
