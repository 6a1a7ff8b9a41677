"""Orchestration: daily series from the store -> rules -> coverage and source gates -> cooldown -> alerts.

Rules are replayed day by day from `since - cooldown_days`, or earlier while a series fires there, so an alert
raised before `since` still mutes its repeats, and the result is what a daily run would have reported on each day.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import groupby

import numpy as np
import pandas as pd

from ..store import indicators
from ..store.indicators import Window
from .config import LEVELS, AlertConfig, load_alert_config
from .copies import copy_gate
from .episodes import with_episodes
from .model import Alert, HeldBack, KeptOut
from .rules import (Rule, coverage_gaps, cooldown, diversity_block, evaluate, floors_missed, rise_share,
                    rose_past_thresholds)
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
    floors: tuple[str, ...] = ()  # a rise a floor kept from being tested: the floors it fell below

    def window(self, calendar: Calendar) -> Window:
        return Window(*self.key, calendar.day(self.day - self.rule.window_days + 1), calendar.day(self.day))


@dataclass(frozen=True)
class Screening:
    """The alerts raised on the days asked for, newest first; the rule firings of those days that a gate held
    back; and the rises a rule's floor kept from being tested, biggest first (at most `kept_out_listed` of
    `kept_out_series`). Without the last two an empty list reads as "nothing rose" when one outlet alone
    carried a rise, or a quiet pair exploded below every rule's floor."""
    alerts: list[Alert]
    held: list[HeldBack]
    days: tuple[date, date] | None = None  # the first and last day screened; None without articles
    kept_out: list[KeptOut] = field(default_factory=list)
    kept_out_series: int = 0  # series with such a rise, listed or not


def screen_alerts(con, since: date | None = None, config: AlertConfig | None = None,
                  until: date | None = None, today: date | None = None) -> Screening:
    """Alerts raised on days >= since (default: the `lookback_days` up to the last) and <= until (default: the last
    day of data) without evidence, and the firings held back and rises kept out on those days; an alert whose window
    ends on `today` (default: the UTC day now) or later is not `day_over`."""
    config = config or load_alert_config()
    # a few early days of articles, then a silence longer than the warm-up, are no start of the data: an archive's one
    # stray item of 2020 made the warm-up years past, and the years of nothing read as zero news, every steady series a
    # surge. A silence after a longer start is an outage, its days before the history they are.
    first, last = indicators.day_range(con, config.settings.warmup_days)
    if last is None:
        return Screening([], [])
    end = min(until, last) if until else last
    # an --until in the first days of year 1 has fewer days before it than the look-back (it raised OverflowError)
    since = since or end - timedelta(days=min(config.settings.lookback_days - 1, (end - date.min).days))
    screening = detect_alerts(con, since, last, first, config, until)
    today = today or datetime.now(UTC).date()
    alerts = [replace(alert, day_over=alert.day < today) for alert in _with_undated_and_outlets(con, screening.alerts)]
    return replace(screening, alerts=with_episodes(alerts), kept_out=_with_undated_and_outlets(con, screening.kept_out),
                   days=(since, end))


def _with_undated_and_outlets(con, found: list[Alert] | list[KeptOut]) -> list[Alert] | list[KeptOut]:
    """`found` (alerts, or rises kept out) with how many of their window's articles have no date of their own
    (`undated`): a new feed's backlog, not news, can make either; with their window's outlets, which a rise kept
    out had no gate count (an alert's gate counted the same); and with the stories those articles are, copies of one
    counted once (a wire story run by twelve outlets is twelve articles)."""
    if not found:
        return found
    windows = [_window(item) for item in found]
    counts = indicators.undated_and_outlets(con, windows)
    stories = indicators.window_stories(con, windows)
    return [replace(item, undated=undated, outlets=outlets, stories=told.stories)
            for item, (undated, outlets), told in zip(found, counts, stories)]


def current_alerts(con, since: date | None = None, config: AlertConfig | None = None) -> list[Alert]:
    """Alerts raised on days >= since (default: the latest `lookback_days`), newest first, with evidence
    (`screen_alerts` leaves it for `alert_evidence`, e.g. for the one alert a reader opens)."""
    config = config or load_alert_config()
    return with_evidence(con, screen_alerts(con, since, config).alerts, config)


def with_evidence(con, alerts: list[Alert], config: AlertConfig | None = None) -> list[Alert]:
    """`alerts` with their top articles and cue sentences."""
    found = _evidence(con, [_window(alert) for alert in alerts], config or load_alert_config())
    return [replace(alert, articles=tuple(articles), sentences=tuple(sentences))
            for alert, (articles, sentences) in zip(alerts, found)]


def _window(alert: Alert | KeptOut) -> Window:
    return Window(alert.iso_a, alert.iso_b, alert.topic, alert.window_start, alert.day)


def alert_evidence(con, window: Window, config: AlertConfig | None = None) -> tuple[list[dict], list[dict]]:
    """(articles, sentences) of one alert's window: its top articles, one per outlet first, and cue sentences."""
    return _evidence(con, [window], config or load_alert_config())[0]


def _evidence(con, windows: list[Window], config: AlertConfig) -> list[tuple[list[dict], list[dict]]]:
    articles = indicators.evidence_articles(con, windows, config.settings.evidence_articles)
    sentences = indicators.evidence_sentences(con, windows, config.settings.evidence_sentences)
    return list(zip(articles, sentences))


def detect_alerts(con, since: date, last: date, first_data_day: date, config: AlertConfig,
                  until: date | None = None) -> Screening:
    # a `since` before the data is the data's first day: 0001-01-01 less the cool-down is no date
    screened_from = max(since, first_data_day)
    warmed_up = first_data_day + timedelta(days=config.settings.warmup_days)
    # From the cool-down plus a window before --since: an alert there makes the first ones asked for continuations.
    reach = config.settings.cooldown_days + max(rule.window_days for rule in config.rules)
    replay_from = max(screened_from - timedelta(days=reach), warmed_up)
    # The cool-down runs from one alert raised to the next, so a series firing on the replay's first days may have been
    # muted by an alert before them, which then leaves a later firing free: the replay reaches back (doubling) until
    # no series fires there, else --since, the lookback and each daily run would date a long rise's alerts differently.
    while True:
        screening, settled = _replay(con, (since, until or last), screened_from, replay_from, last, first_data_day,
                                     config)
        if settled or replay_from <= warmed_up:
            return screening
        replay_from = max(replay_from - (screened_from - replay_from), warmed_up)


def _replay(con, asked: tuple[date, date], screened_from: date, replay_from: date, last: date, first_data_day: date,
            config: AlertConfig) -> tuple[Screening, bool]:
    """The screening of the days `asked` (first, last) with rules replayed from `replay_from`, and whether that was
    early enough: no series' firing on the replay's first cooldown_days - 1 days, whose fate an alert raised before
    them would decide."""
    if min(replay_from, screened_from) > last:
        return Screening([], []), True
    # The rules' days start at replay_from; a rise during the warm-up is only explained, so the calendar reaches
    # back far enough for it too, its coverage gaps judged as before from the rules' first day of history.
    rules_from = replay_from - timedelta(days=config.history_days)
    calendar = Calendar.spanning(min(replay_from, screened_from) - timedelta(days=config.history_days), last)
    coverage = _coverage(con, calendar, first_data_day, calendar.index(rules_from), config)
    days = _Days(calendar.index(replay_from), calendar.index(screened_from),
                 calendar.index(first_data_day + timedelta(days=config.settings.warmup_days)))
    screened = [_fired(con, level, calendar, coverage, days, config) for level in LEVELS]
    candidates = [candidate for fired, _ in screened for candidate in fired]
    kept_out = _uncovered([c for _, floored in screened for c in floored], candidates, config.settings.cooldown_days,
                          calendar.index(asked[1]))
    candidates, gapped = _judge_coverage(candidates, coverage.gaps, config.coverage.on_gap)
    candidates, grown = _judge_growth(candidates, coverage, config.coverage.min_prior_volume_share)
    candidates, blocked = _gate(con, candidates, calendar, config)
    candidates, copied = copy_gate(con, candidates, [c.window(calendar) for c in candidates], config.gate)
    settled = all(c.day - days.replay_from >= config.settings.cooldown_days - 1 for c in candidates)
    # Days after those asked for are left out before the held-back firings and kept-out rises are summed per series:
    # a series' latest one must not be a later day's, and vanish with it.
    def shown(candidate: Candidate) -> bool:
        return asked[0] <= calendar.day(candidate.day) <= asked[1]

    raised = _cool_down(candidates, config.settings.cooldown_days)
    alerts = [_alert(c, c.window(calendar), None if start is None else calendar.day(start))
              for c, start in zip(raised, _episode_starts(raised, config.settings.cooldown_days)) if shown(c)]
    held = [(c, gate, reason) for c, gate, reason in gapped + grown + blocked + copied if shown(c)]
    listed = _kept_out([c for c in kept_out if shown(c)], calendar)
    return Screening(sorted(alerts, key=lambda a: (a.day, a.current), reverse=True),
                     _held_back(held, calendar), kept_out=listed[:config.settings.kept_out_listed],
                     kept_out_series=len(listed)), settled


@dataclass(frozen=True)
class _Days:
    """Calendar indexes: the first day rules fire on, the first day asked for, the first day after the warm-up."""
    replay_from: int
    screened_from: int
    warmed_up: int


@dataclass(frozen=True)
class Coverage:
    """Per calendar day: the corpus's articles, outage gaps, and healthy days (inside the data, no gap)."""
    volume: np.ndarray
    gaps: np.ndarray
    healthy: np.ndarray


def _coverage(con, calendar: Calendar, first_data_day: date, gaps_from: int, config: AlertConfig) -> Coverage:
    """Days before the data starts are not healthy: no data is not zero news. Gaps are judged from `gaps_from`
    on (no earlier day is a gap), on those days' volumes only: what the rules see does not depend on how far
    back the calendar reaches to explain a warm-up."""
    frame = indicators.coverage_daily(con, calendar.first_day, calendar.day(calendar.days - 1))
    volume, feeds = np.zeros(calendar.days), np.zeros(calendar.days)
    volume[frame["day_index"]], feeds[frame["day_index"]] = frame["articles"], frame["feeds"]
    # The latest day is still being collected: low so far is not an outage, nor evidence of one on the days before.
    gaps = np.zeros(calendar.days, dtype=bool)
    gaps[gaps_from:-1] = coverage_gaps(volume[gaps_from:-1], feeds[gaps_from:-1], config.coverage)
    inside = np.arange(calendar.days) >= calendar.index(first_data_day)
    return Coverage(volume, gaps, inside & ~gaps)


def _fired(con, level: str, calendar: Calendar, coverage: Coverage, days: _Days,
           config: AlertConfig) -> tuple[list[Candidate], list[Candidate]]:
    """The rules' firings on `level` from days.replay_from on, and the rises their floors kept untested."""
    rules = config.rules_for(level)
    if not rules:
        return [], []
    # Read only the days these rules look at, and only series whose window can reach min_current (or be listed
    # as kept out by a floor): more series or earlier days change no rule's result on the days replayed.
    earliest = min(days.replay_from, days.screened_from)
    reads_from = max(earliest - max(rule.history_days for rule in rules), 0)
    active_from = calendar.day(max(earliest - max(rule.window_days for rule in rules) + 1, 0))
    min_active = min([rule.min_current for rule in rules] + [config.settings.kept_out_min_articles])
    keys, counts = _series(con, level, calendar, reads_from, active_from, min_active)
    found, floored = [], []
    for rule in rules:
        watched, watched_counts = _watched(rule, keys, counts)
        metrics = _metrics(con, rule, watched, watched_counts, coverage, calendar.day(reads_from))
        order = config.rules.index(rule)
        for s, t in np.argwhere(metrics.fires[:, days.replay_from:]):
            t += days.replay_from
            found.append(Candidate(rule, order, watched[s], int(t), metrics.current[s, t],
                                   metrics.baseline[s, t], metrics.ratio[s, t], metrics.z[s, t]))
        floored += _floored(rule, order, watched, metrics, days, config.settings)
    return found, floored


def _watched(rule: Rule, keys: list[tuple], counts: np.ndarray) -> tuple[list[tuple], np.ndarray]:
    """The series a rule watches (its pairs and topics) and their counts; all of them, not copied, for most rules."""
    if not rule.scoped:
        return keys, counts
    rows = [s for s, key in enumerate(keys) if rule.covers(key)]
    return [keys[s] for s in rows], counts[rows]


def _floored(rule: Rule, order: int, keys: list[tuple], metrics, days: _Days, settings) -> list[Candidate]:
    """Windows from days.screened_from on whose rise passes `rule`'s ratio and z but that a floor of the rule, or
    the warm-up, kept from firing."""
    if rule.kind == "new_pair":  # no ratio, no z: its only floor, the pair's history, is what makes it new
        return []
    rose = rose_past_thresholds(rule, metrics, settings.kept_out_min_articles)
    rose[:, :days.screened_from] = False
    rose[:, days.warmed_up:] &= ~metrics.fires[:, days.warmed_up:]  # before it, no rule fires at all
    floored = []
    for s, t in np.argwhere(rose):
        current, baseline = metrics.current[s, t], metrics.baseline[s, t]
        floors = floors_missed(rule, current, baseline, metrics.history[s, t])
        if t < days.warmed_up:
            floors.append(f"the data's first {settings.warmup_days} days (warmup_days), when no rule fires")
        floored.append(Candidate(rule, order, keys[s], int(t), current, baseline, metrics.ratio[s, t],
                                 metrics.z[s, t], floors=tuple(floors)))
    return floored


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
    if rule.kind != "new_pair" or rule.prior_days or not metrics.fires.any():  # a look-back is inside the days read
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


def _judge_growth(candidates: list[Candidate], coverage: Coverage,
                  share: float) -> tuple[list[Candidate], list[tuple[Candidate, str, str]]]:
    """New pairs whose look-back (`prior_days`) ran at under `share` of their window's articles a day (over its days
    inside the data and without a gap; none such: 0) are held back: a year of two feeds saw nothing of what seventeen
    name in a week. A steady corpus's alerts do not change. A rule looking back over all history (prior_days 0) is not
    judged: those days are not read."""
    judged, held = [], []
    for candidate in candidates:
        rule = candidate.rule
        if rule.kind != "new_pair" or not rule.prior_days:
            judged.append(candidate)
            continue
        first = candidate.day - rule.window_days + 1
        looked = slice(max(first - rule.prior_days, 0), first)
        inside = coverage.healthy[looked]
        before = coverage.volume[looked][inside].sum() / max(inside.sum(), 1)
        during = coverage.volume[first:candidate.day + 1].sum() / rule.window_days
        if before >= share * during:
            judged.append(candidate)
        else:
            held.append((candidate, "coverage", f"the corpus grew: {before:.1f} articles a day before the window, "
                                                f"{during:.1f} in it; the pair may be new only to feeds added"))
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


def _episode_starts(raised: list[Candidate], cooldown_days: int) -> list[int | None]:
    """Per alert raised, the day of the first alert of the episode it continues, or None for a fresh rise. An alert
    continues an episode when its pair, at any topic or level, alerted on an earlier day within cooldown_days plus its
    window's days before it (that alert's own episode, back to its first): one story's second alert, its baseline
    leaving out the first burst, otherwise reads as a fresh tenfold rise."""
    windows: dict[tuple, dict[int, int]] = {}  # pair -> day -> the longest window of that day's alerts
    for c in raised:
        days = windows.setdefault(c.key[:2], {})
        days[c.day] = max(days.get(c.day, 0), c.rule.window_days)
    # pair -> day -> (the pair's alert day before it, that day's episode start)
    before: dict[tuple, dict[int, tuple[int, int]]] = {}
    for pair, days in windows.items():
        start: dict[int, int] = {}
        last = None
        for day in sorted(days):
            continued = last is not None and day - last <= cooldown_days + days[day]
            start[day] = start[last] if continued else day
            if last is not None:
                before.setdefault(pair, {})[day] = (last, start[last])
            last = day
    found = []
    for c in raised:
        last, episode = before.get(c.key[:2], {}).get(c.day, (None, None))
        found.append(episode if last is not None and c.day - last <= cooldown_days + c.rule.window_days else None)
    return found


def _sortable(key: tuple) -> tuple:
    return tuple("" if part is None else part for part in key)


def _held_back(held: list[tuple[Candidate, str, str]], calendar: Calendar) -> list[HeldBack]:
    """One entry per series, its latest firing held back (with how many there were), newest first; of several rules
    firing that day, the first listed, as for an alert: a rule added at the end of alerts.toml changes no line."""
    per_series: dict[tuple, list[tuple[Candidate, str, str]]] = {}
    for item in held:
        per_series.setdefault(item[0].key, []).append(item)
    found = [HeldBack(candidate.rule.id, *candidate.key, calendar.day(candidate.day), gate, reason, len(firings))
             for firings in per_series.values()
             for candidate, gate, reason in [max(firings, key=lambda item: (item[0].day, -item[0].order))]]
    return sorted(found, key=lambda h: (h.day, h.pair, h.topic or ""), reverse=True)


def _uncovered(floored: list[Candidate], fired: list[Candidate], cooldown_days: int, last: int) -> list[Candidate]:
    """The floored windows of pairs on which no rule fired, at any level, within cooldown_days either side (up to day
    `last`, the last asked for): a rise a rule already reported (or a gate held back), or reported days later, or on
    the whole pair or another of its topics, needs no other explanation."""
    fired_days: dict[tuple, set[int]] = {}
    for candidate in fired:
        if candidate.day <= last:
            fired_days.setdefault(candidate.key[:2], set()).add(candidate.day)
    reach = max(cooldown_days, 1)
    return [c for c in floored
            if not any(c.day + lag in fired_days.get(c.key[:2], ()) for lag in range(1 - reach, reach))]


def _kept_out(floored: list[Candidate], calendar: Calendar) -> list[KeptOut]:
    """One entry per series: the window of the rule that came nearest to testing it (fewest floors missed), its
    biggest rise (articles above expected) for that rule, with the first day a floor kept a rise out and how many
    days one did; biggest rise first."""
    per_series: dict[tuple, list[Candidate]] = {}
    for candidate in floored:
        per_series.setdefault(candidate.key, []).append(candidate)
    found = []
    for key, windows in per_series.items():
        biggest = min(windows, key=_nearest_miss)
        window = biggest.window(calendar)
        found.append(KeptOut(biggest.rule.id, *key, window.last_day, window.first_day, int(biggest.current),
                             float(biggest.baseline), _number(biggest.ratio), _z_shown(biggest),
                             _floors_that_day(biggest, windows), calendar.day(min(c.day for c in windows)),
                             len({c.day for c in windows})))
    return sorted(found, key=lambda k: (k.current - k.baseline, k.day), reverse=True)


def _floors_that_day(chosen: Candidate, windows: list[Candidate]) -> str:
    """The chosen rule's floors, then those of every other rule that rose past its thresholds on the same day: why
    burst_weekday stayed silent matters as much as why surge_4w did."""
    others = sorted((c for c in windows if c.day == chosen.day and c is not chosen), key=lambda c: c.order)
    return "; ".join([*chosen.floors, *(f"also {c.rule.id}: {'; '.join(c.floors)}" for c in others)])


def _nearest_miss(candidate: Candidate) -> tuple:
    """Fewest floors missed first (burst_weekday's one floor explains a quiet series better than surge_52w's
    three), then the biggest rise, then the rule listed first."""
    return len(candidate.floors), -(candidate.current - candidate.baseline), candidate.order


def _alert(candidate: Candidate, window: Window, continues: date | None = None) -> Alert:
    sources, rule = candidate.sources, candidate.rule
    return Alert(
        rule=rule.id, kind=rule.kind, level=rule.level, iso_a=window.iso_a, iso_b=window.iso_b, topic=window.topic,
        day=window.last_day, window_start=window.first_day, current=int(candidate.current),
        baseline=float(candidate.baseline), ratio=_number(candidate.ratio), z=_z_shown(candidate),
        outlets=sources.outlets, top_outlet=sources.top_outlet,
        top_outlet_share=sources.top_outlet_articles / sources.articles if sources.articles else 0.0,
        top_outlet_rise_share=candidate.top_rise_share, coverage=candidate.coverage, continues=continues,
        prior_days=rule.prior_days or None)  # only new_pair takes one


def _z_shown(candidate: Candidate) -> float | None:
    """The window's z, or None against nothing expected: z against a zero clamped to 1e-9 only grows with the count."""
    return None if candidate.baseline == 0 else _number(candidate.z)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
