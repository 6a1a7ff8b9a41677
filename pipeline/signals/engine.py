"""Orchestration: daily series from the store -> rules -> coverage and source gates -> cooldown -> alerts.

Rules are replayed day by day from `since - cooldown_days`, so an alert raised just before `since`
still mutes its repeats, and the result is what a daily run would have reported on each day.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import groupby

import numpy as np
import pandas as pd

from ..store import indicators
from ..store.indicators import Window
from .config import LEVELS, AlertConfig, load_alert_config
from .model import Alert, HeldBack
from .rules import Rule, coverage_gaps, cooldown, diversity_block, evaluate, rise_share
from .sources import Sources, fetch_outlet_days


@dataclass(frozen=True)
class Calendar:
    """Day indexes 0..days-1 from `first_day`: the rules see arrays, the alerts see dates."""
    first_day: date
    days: int

    @classmethod
    def spanning(cls, first_day: date, last_day: date) -> "Calendar":
        return cls(first_day, (last_day - first_day).days + 1)

    def index(self, day: date) -> int:
        return (day - self.first_day).days

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=int(index))


@dataclass(frozen=True)
class Candidate:
    """A rule firing on one series and day, before the gates and the cooldown decide."""
    rule: Rule
    order: int  # the rule's position in alerts.toml: the first listed wins a tie
    key: tuple[str, str, str | None]  # iso_a, iso_b, topic
    day: int
    current: float
    baseline: float
    ratio: float
    z: float
    coverage: str = "ok"
    sources: Sources | None = None
    top_rise_share: float | None = None  # the biggest outlet's part of the rise (set by the source gate)

    def window(self, calendar: Calendar) -> Window:
        return Window(*self.key, calendar.day(self.day - self.rule.window_days + 1), calendar.day(self.day))


@dataclass(frozen=True)
class Screening:
    """The alerts raised on the days asked for, newest first, and the rule firings of those days that a gate held
    back: without them an empty list reads as "nothing rose" when one outlet alone carried a rise."""
    alerts: list[Alert]
    held: list[HeldBack]
    days: tuple[date, date] | None = None  # the first and last day screened; None without articles


def screen_alerts(con, since: date | None = None, config: AlertConfig | None = None) -> Screening:
    """Alerts raised on days >= since (default: the latest `lookback_days`) without evidence, and the firings held back."""
    config = config or load_alert_config()
    first, last = indicators.day_range(con)
    if last is None:
        return Screening([], [])
    since = since or last - timedelta(days=config.settings.lookback_days - 1)
    return replace(detect_alerts(con, since, last, first, config), days=(since, last))


def current_alerts(con, since: date | None = None, config: AlertConfig | None = None) -> list[Alert]:
    """Alerts raised on days >= since (default: the latest `lookback_days`), newest first, with evidence
    (`screen_alerts` leaves it for `alert_evidence`, e.g. for the one alert a reader opens)."""
    config = config or load_alert_config()
    return with_evidence(con, screen_alerts(con, since, config).alerts, config)


def with_evidence(con, alerts: list[Alert], config: AlertConfig | None = None) -> list[Alert]:
    """`alerts` with their top articles and cue sentences."""
    found = _evidence(con, [Window(a.iso_a, a.iso_b, a.topic, a.window_start, a.day) for a in alerts],
                      config or load_alert_config())
    return [replace(alert, articles=tuple(articles), sentences=tuple(sentences))
            for alert, (articles, sentences) in zip(alerts, found)]


def alert_evidence(con, window: Window, config: AlertConfig | None = None) -> tuple[list[dict], list[dict]]:
    """(articles, sentences) of one alert's window: its top articles, one per outlet first, and cue sentences."""
    return _evidence(con, [window], config or load_alert_config())[0]


def _evidence(con, windows: list[Window], config: AlertConfig) -> list[tuple[list[dict], list[dict]]]:
    articles = indicators.evidence_articles(con, windows, config.settings.evidence_articles)
    sentences = indicators.evidence_sentences(con, windows, config.settings.evidence_sentences)
    return list(zip(articles, sentences))


def detect_alerts(con, since: date, last: date, first_data_day: date, config: AlertConfig) -> Screening:
    # a `since` before the data is the data's first day: 0001-01-01 less the cool-down is no date
    replay_from = max(max(since, first_data_day) - timedelta(days=config.settings.cooldown_days),
                      first_data_day + timedelta(days=config.settings.warmup_days))
    if replay_from > last:
        return Screening([], [])
    calendar = Calendar.spanning(replay_from - timedelta(days=config.history_days), last)
    coverage = _coverage(con, calendar, first_data_day, config)
    candidates = [candidate for level in LEVELS
                  for candidate in _fired(con, level, calendar, coverage, calendar.index(replay_from), config)]
    candidates, gapped = _judge_coverage(candidates, coverage.gaps, config.coverage.on_gap)
    candidates, blocked = _gate(con, candidates, calendar, config)
    raised = [c for c in _cool_down(candidates, config.settings.cooldown_days) if calendar.day(c.day) >= since]
    held = [(c, gate, reason) for c, gate, reason in gapped + blocked if calendar.day(c.day) >= since]
    return Screening(sorted((_alert(c, c.window(calendar)) for c in raised), key=lambda a: (a.day, a.current),
                            reverse=True),
                     _held_back(held, calendar))


@dataclass(frozen=True)
class Coverage:
    """Per calendar day: the corpus's articles, outage gaps, and healthy days (inside the data, no gap)."""
    volume: np.ndarray
    gaps: np.ndarray
    healthy: np.ndarray


def _coverage(con, calendar: Calendar, first_data_day: date, config: AlertConfig) -> Coverage:
    """Days before the data starts are not healthy: no data is not zero news."""
    frame = indicators.coverage_daily(con, calendar.first_day, calendar.day(calendar.days - 1))
    volume, feeds = np.zeros(calendar.days), np.zeros(calendar.days)
    volume[frame["day_index"]], feeds[frame["day_index"]] = frame["articles"], frame["feeds"]
    gaps = coverage_gaps(volume, feeds, config.coverage)
    gaps[-1] = False  # the latest day is still being collected: low so far is not an outage
    inside = np.arange(calendar.days) >= calendar.index(first_data_day)
    return Coverage(volume, gaps, inside & ~gaps)


def _fired(con, level: str, calendar: Calendar, coverage: Coverage, replay_from: int,
           config: AlertConfig) -> list[Candidate]:
    rules = config.rules_for(level)
    if not rules:
        return []
    # Read only the days these rules look at, and only series whose window can reach min_current.
    reads_from = max(replay_from - max(rule.history_days for rule in rules), 0)
    active_from = calendar.day(max(replay_from - max(rule.window_days for rule in rules) + 1, 0))
    keys, counts = _series(con, level, calendar, reads_from, active_from, min(rule.min_current for rule in rules))
    found = []
    for rule in rules:
        metrics = _metrics(con, rule, keys, counts, coverage, calendar.day(reads_from))
        for s, t in np.argwhere(metrics.fires[:, replay_from:]):
            t += replay_from
            found.append(Candidate(rule, config.rules.index(rule), keys[s], int(t), metrics.current[s, t],
                                   metrics.baseline[s, t], metrics.ratio[s, t], metrics.z[s, t]))
    return found


def _series(con, level: str, calendar: Calendar, reads_from: int, active_from: date, min_active: int):
    """Series keys and their (series x days) count matrix from day `reads_from` on, zeros filled in."""
    frame = indicators.series_counts(con, level, calendar.day(reads_from), calendar.day(calendar.days - 1),
                                     active_from=active_from, min_active=min_active)
    rows, keys = pd.MultiIndex.from_frame(frame[["iso_a", "iso_b", "topic"]]).factorize()
    counts = np.zeros((len(keys), calendar.days))
    counts[rows, frame["day_index"] + reads_from] = frame["articles"]
    return [(iso_a, iso_b, topic if isinstance(topic, str) else None) for iso_a, iso_b, topic in keys], counts


def _metrics(con, rule: Rule, keys: list[tuple], counts: np.ndarray, coverage: Coverage, read_from: date):
    metrics = evaluate(rule, counts, coverage.healthy, volume=coverage.volume)
    if rule.kind != "new_pair" or not metrics.fires.any():
        return metrics
    # Articles before the days read can only silence a new pair, so they are looked up for the pairs that fired.
    fired = np.flatnonzero(metrics.fires.any(axis=1))
    before = indicators.pair_articles_before(con, read_from, [keys[s][:2] for s in fired])
    prior = np.zeros(len(keys))
    prior[fired] = [before[keys[s][:2]] for s in fired]
    return evaluate(rule, counts, coverage.healthy, prior, coverage.volume)


def _judge_coverage(candidates: list[Candidate], gaps: np.ndarray,
                    on_gap: str) -> tuple[list[Candidate], list[tuple[Candidate, str, str]]]:
    """Windows touching a coverage gap are dropped (suppress: returned as held back) or kept with coverage="gap" (mark)."""
    judged, held = [], []
    for candidate in candidates:
        if not gaps[candidate.day - candidate.rule.window_days + 1: candidate.day + 1].any():
            judged.append(candidate)
        elif on_gap == "mark":
            judged.append(replace(candidate, coverage="gap"))
        else:
            held.append((candidate, "coverage", "the window touches a day when feeds or volume dropped"))
    return judged, held


def _gate(con, candidates: list[Candidate], calendar: Calendar,
          config: AlertConfig) -> tuple[list[Candidate], list[tuple[Candidate, str, str]]]:
    """The candidates whose window passes the source-diversity gate, with their source counts, and those it blocks."""
    windows = [candidate.window(calendar) for candidate in candidates]
    outlet_days = fetch_outlet_days(con, windows, config.gate.usual_days)
    usual_days = timedelta(days=config.gate.usual_days)
    kept, blocked = [], []
    for candidate, window in zip(candidates, windows):
        found = outlet_days.sources(window)
        usual = outlet_days.share(candidate.key, found.top_outlet, window.first_day - usual_days,
                                  window.first_day - timedelta(days=1))
        top_rise = rise_share(candidate.current, candidate.baseline, found.top_outlet_articles, usual)
        reason = diversity_block(config.gate, found.articles, found.outlets, found.top_outlet_articles, top_rise)
        if reason is None:
            kept.append(replace(candidate, sources=found, top_rise_share=top_rise))
        else:
            blocked.append((candidate, "sources", reason))
    return kept, blocked


def _cool_down(candidates: list[Candidate], cooldown_days: int) -> list[Candidate]:
    """Per series: the first rule listed wins a day, then nothing for cooldown_days."""
    raised = []
    ordered = sorted(candidates, key=lambda c: (_sortable(c.key), c.day, c.order))
    for _, group in groupby(ordered, key=lambda c: c.key):
        per_day = [next(same_day) for _, same_day in groupby(group, key=lambda c: c.day)]
        raised += [c for c, keep in zip(per_day, cooldown([c.day for c in per_day], cooldown_days)) if keep]
    return raised


def _sortable(key: tuple) -> tuple:
    return tuple("" if part is None else part for part in key)


def _held_back(held: list[tuple[Candidate, str, str]], calendar: Calendar) -> list[HeldBack]:
    """One entry per series, its latest firing held back (with how many there were), newest first."""
    per_series: dict[tuple, list[tuple[Candidate, str, str]]] = {}
    for item in sorted(held, key=lambda item: (item[0].day, item[0].order)):
        per_series.setdefault(item[0].key, []).append(item)
    found = [HeldBack(candidate.rule.id, *candidate.key, calendar.day(candidate.day), gate, reason, len(firings))
             for firings in per_series.values() for candidate, gate, reason in firings[-1:]]
    return sorted(found, key=lambda h: (h.day, h.pair, h.topic or ""), reverse=True)


def _alert(candidate: Candidate, window: Window) -> Alert:
    sources, rule = candidate.sources, candidate.rule
    return Alert(
        rule=rule.id, kind=rule.kind, level=rule.level, iso_a=window.iso_a, iso_b=window.iso_b, topic=window.topic,
        day=window.last_day, window_start=window.first_day, current=int(candidate.current),
        baseline=float(candidate.baseline), ratio=_number(candidate.ratio), z=_number(candidate.z),
        outlets=sources.outlets, top_outlet=sources.top_outlet,
        top_outlet_share=sources.top_outlet_articles / sources.articles if sources.articles else 0.0,
        top_outlet_rise_share=candidate.top_rise_share, coverage=candidate.coverage)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
