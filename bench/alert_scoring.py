"""Score alerts against a demo corpus's ground truth: injected spikes, the feed outage, the flooding outlet.

Every alert gets one cause, checked in this order:
  spike              the spike's pair x topic (or its whole pair), window overlapping the spike days
  spike_other_topic  the spike's pair on another topic (its articles carry several topics)
  flood              the flooded pair while the flood runs
  outage             window touching the outage days or the week after (a depressed baseline)
  event              a scenario event's pair while the event surges (real news in the demo world)
  false              nothing we injected or scheduled explains it
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable, Mapping

from pipeline.demo import DemoManifest, GroundTruth, load_scenario
from pipeline.demo.scenario import Event

from pipeline.signals.model import Alert

OUTAGE_AFTERMATH = timedelta(days=7)
BUSY_PER_DAY = 2.0  # recall is reported separately for streams above and below this baseline
EVENT_SURGE = 0.25  # an event explains an alert while it adds >= 25% to its streams' baseline
EVENT_STEP_DAYS = 35
SERIES_BASELINE_DAYS = 28  # the level a spike is measured against: the ACLED-style trailing four weeks  # a lasting level change looks like a surge until the 4-week baseline absorbs it


@dataclass(frozen=True)
class SpikeResult:
    label: str
    pair: str
    topic: str
    multiplier: float
    first_day: date
    last_day: date
    baseline_per_day: float
    stored_multiplier: float  # articles the warehouse holds for the spike days / baseline (after dedup, tagging)
    series_multiplier: float  # the same articles / the tagged series' own level over the 4 weeks before
    detected_by: str | None  # rule id of the first matching alert
    alert_day: date | None


@dataclass
class AlertScore:
    spikes: list[SpikeResult]
    causes: Counter
    false_alerts: list[Alert]
    series_weeks: float  # pair x topic series x weeks evaluated: the denominator of the false-alert rate
    pair_weeks: float
    by_rule: Counter = field(default_factory=Counter)

    def recall(self, counts: Callable[[SpikeResult], bool]) -> float | None:
        eligible = [spike for spike in self.spikes if counts(spike)]
        return round(sum(s.detected_by is not None for s in eligible) / len(eligible), 3) if eligible else None

    def false_per_1000(self, units: float) -> float:
        return 1000 * self.causes["false"] / units if units else 0.0

    def report(self) -> dict:
        return {
            "recall_3x": self.recall(lambda s: s.multiplier >= 3),
            "recall_3x_busy": self.recall(lambda s: s.multiplier >= 3 and s.baseline_per_day >= BUSY_PER_DAY),
            "recall_3x_quiet": self.recall(lambda s: s.multiplier >= 3 and s.baseline_per_day < BUSY_PER_DAY),
            "recall_2x": self.recall(lambda s: 2 <= s.multiplier < 3),
            "recall_stored_3x": self.recall(lambda s: s.stored_multiplier >= 3),
            "recall_series_3x": self.recall(lambda s: s.series_multiplier >= 3),
            "recall_series_2x_to_3x": self.recall(lambda s: 2 <= s.series_multiplier < 3),
            "alerts": sum(self.causes.values()), "causes": dict(self.causes), "by_rule": dict(self.by_rule),
            "false_per_1000_series_weeks": round(self.false_per_1000(self.series_weeks), 3),
            "false_per_1000_pair_weeks": round(self.false_per_1000(self.pair_weeks), 3),
            "series_weeks": round(self.series_weeks), "pair_weeks": round(self.pair_weeks),
            "spikes": [vars(spike) for spike in self.spikes],
            "false_alerts": [alert.summary for alert in self.false_alerts],
        }


def score_alerts(alerts: list[Alert], manifest: DemoManifest, stored: Mapping[str, int],
                 before: Mapping[str, int], *, series_weeks: float, pair_weeks: float) -> AlertScore:
    """`stored`: per spike label, the articles the warehouse holds on its pair x topic over its days;
    `before`: the same series' articles over the SERIES_BASELINE_DAYS before them.

    A spike is injected as a multiple of one generated stream, but the tagged pair x topic series also
    carries other streams' articles, so the series rises by less than the injected multiple: the series
    multiplier says how big the spike is for any detector that sees the warehouse."""
    truths = manifest.injections
    events = load_scenario().events
    causes = {id(alert): cause_of(alert, truths, events) for alert in alerts}
    return AlertScore(
        spikes=[_spike_result(truth, alerts, stored[truth.label], before[truth.label])
                for truth in truths if truth.kind == "spike"],
        causes=Counter(causes.values()),
        false_alerts=[alert for alert in alerts if causes[id(alert)] == "false"],
        series_weeks=series_weeks, pair_weeks=pair_weeks,
        by_rule=Counter(f"{alert.rule}:{causes[id(alert)]}" for alert in alerts))


def cause_of(alert: Alert, truths: Iterable[GroundTruth], events: Iterable[Event]) -> str:
    truths = list(truths)
    for cause, kind, explains in _CHECKS:
        if any(explains(alert, truth) for truth in truths if truth.kind == kind):
            return cause
    if any(_event_explains(alert, event) for event in events):
        return "event"
    return "false"


def _days(truth: GroundTruth, after: timedelta = timedelta(0)) -> tuple[date, date]:
    return date.fromisoformat(truth.first_day), date.fromisoformat(truth.last_day) + after


def _overlaps(alert: Alert, first: date, last: date) -> bool:
    return alert.window_start <= last and alert.day >= first


def _same_pair(alert: Alert, truth: GroundTruth) -> bool:
    return [alert.iso_a, alert.iso_b] == truth.pair


def _spike_hit(alert: Alert, truth: GroundTruth) -> bool:
    return _same_pair(alert, truth) and alert.topic in (truth.topic, None) and _overlaps(alert, *_days(truth))


def _spike_other_topic(alert: Alert, truth: GroundTruth) -> bool:
    return _same_pair(alert, truth) and _overlaps(alert, *_days(truth))


def _flood_hit(alert: Alert, truth: GroundTruth) -> bool:
    return _same_pair(alert, truth) and _overlaps(alert, *_days(truth))


def _outage_hit(alert: Alert, truth: GroundTruth) -> bool:
    return _overlaps(alert, *_days(truth, OUTAGE_AFTERMATH))


_CHECKS = (("spike", "spike", _spike_hit), ("spike_other_topic", "spike", _spike_other_topic),
           ("flood", "flood", _flood_hit), ("outage", "outage", _outage_hit))  # (cause, truth kind, test)


def _event_explains(alert: Alert, event: Event) -> bool:
    if (alert.iso_a, alert.iso_b) not in {tuple(sorted(pair)) for pair in event.pairs}:
        return False
    lead_share = load_scenario().settings.lead_share
    for offset in range((alert.day - alert.window_start).days + 1):
        day = alert.window_start + timedelta(days=offset)
        passing, lasting = event.surplus(day, lead_share)
        if passing >= EVENT_SURGE or (lasting and 0 <= (day - event.day).days < EVENT_STEP_DAYS):
            return True
    return False


def spike_window(truth: GroundTruth) -> tuple[str, str, str, date, date]:
    """(iso_a, iso_b, topic, first day, last day) of a spike: what to count in the warehouse for `stored`."""
    return (*truth.pair, truth.topic, *_days(truth))


def baseline_window(truth: GroundTruth) -> tuple[str, str, str, date, date]:
    """The same series over the SERIES_BASELINE_DAYS before the spike: what to count for `before`."""
    first, _ = _days(truth)
    return (*truth.pair, truth.topic, first - timedelta(days=SERIES_BASELINE_DAYS), first - timedelta(days=1))


def _spike_result(truth: GroundTruth, alerts: list[Alert], stored: int, before: int) -> SpikeResult:
    hits = sorted((alert for alert in alerts if _spike_hit(alert, truth)), key=lambda alert: alert.day)
    baseline = sum(day["baseline"] for day in truth.daily.values())
    first, last = _days(truth)
    series_level = before / SERIES_BASELINE_DAYS * ((last - first).days + 1)
    return SpikeResult(truth.label, "-".join(truth.pair), truth.topic, truth.multiplier, first, last,
                       round(baseline / max(len(truth.daily), 1), 2), round(stored / baseline, 2) if baseline else 0.0,
                       round(stored / series_level, 2) if series_level else 0.0,
                       hits[0].rule if hits else None, hits[0].day if hits else None)
