"""Known disturbances injected into the demo corpus (spikes, a feed outage, a flooding outlet) + ground truth."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from pipeline.demo.plan import BaselinePlan, Window
from pipeline.demo.scenario import EMPTY_BANK, TONES, Scenario, ScenarioError, Stream
from pipeline.demo.series import series_feed

SPIKE_OUTLETS = 4  # a spike's extra articles rotate over this many outlets (so >= 2 outlets report it)


def _sorted_pair(pair) -> tuple[str, str]:
    first, second = sorted(pair)
    return first, second


def _require_positive(**values: int) -> None:
    for name, value in values.items():
        if value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")


@dataclass(frozen=True)
class Spike:
    """Extra articles on `pair` x `topic` so each day of the window has ~`multiplier` x its baseline; with `ramp`, a
    rise over weeks instead: day i of n has 1 + (multiplier - 1) x i / n of it, reaching `multiplier` on the last.

    The baseline is the pair x topic series as tagged (what alerts and analysts read), not the one stream
    the extra articles are written for: see pipeline/demo/series.py."""
    pair: tuple[str, str]
    topic: str
    start: date
    days: int
    multiplier: float
    ramp: bool = False

    def multiplier_on(self, day_number: int) -> float:
        """The multiplier of the spike's `day_number`-th day (1 = its first)."""
        return 1 + (self.multiplier - 1) * day_number / self.days if self.ramp else self.multiplier

    def __post_init__(self) -> None:
        object.__setattr__(self, "pair", _sorted_pair(self.pair))
        _require_positive(days=self.days)
        if self.multiplier < 1:
            raise ValueError(f"spike multiplier must be >= 1, got {self.multiplier}")


@dataclass(frozen=True)
class Outage:
    """Feeds down: no items from `outlets` (None: all but the first demo outlet) for `days` from `start`."""
    start: date
    days: int
    outlets: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        _require_positive(days=self.days)


@dataclass(frozen=True)
class Flood:
    """One outlet repeating a pair: `per_day` extra articles on `pair` x `topic` for `days` from `start`."""
    outlet: str
    pair: tuple[str, str]
    topic: str
    start: date
    days: int
    per_day: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "pair", _sorted_pair(self.pair))
        _require_positive(days=self.days, per_day=self.per_day)


def default_spikes(end_date: date) -> list[Spike]:
    """The spikes `pactwatch demo` injects by default: recent, 5x-8x their baseline, on series busy enough at the
    default 20k articles (>= 1 a day) to clear the alert rules' floors, so each one shows up on the Alerts page.
    Quieter series (0.3-0.6 a day at 20k) sit under the floors: a spike there would teach that alerts miss it.
    And a rise over the last two months, to 4x, so the Overview's default 90 days list a rising pair: the dated
    events of seeds/demo/scenario.toml end in 2025, and four-day spikes move no 90-day count beyond chance. (To 2.5x,
    the pair's count passed the test at some end dates and not at others: z 1.56 against 2.326 at 2026-12-07; to 3.5x,
    z 2.38-5.7 at ten end dates; to 4x, 3.0-5.8 at five.)"""
    return [
        Spike(("PRK", "RUS"), "military", end_date - timedelta(days=20), days=4, multiplier=5.0),
        Spike(("CHN", "USA"), "sanctions", end_date - timedelta(days=45), days=4, multiplier=8.0),
        Spike(("CHN", "USA"), "technology", end_date - timedelta(days=75), days=4, multiplier=6.0),
        Spike(("CHN", "RUS"), "diplomacy", end_date - timedelta(days=110), days=4, multiplier=6.0),
        Spike(("PRK", "RUS"), "diplomacy", end_date - timedelta(days=60), days=60, multiplier=4.0, ramp=True),
    ]


@dataclass
class GroundTruth:
    """What one injection did, for scoring detectors. Days are ISO dates, `last_day` inclusive."""
    kind: str  # spike | outage | flood
    label: str  # the item category marking its articles ("spike-0", "flood-0", "outage")
    first_day: str
    last_day: str
    outlets: list[str]
    pair: list[str] | None = None
    topic: str | None = None
    multiplier: float | None = None
    ramp: bool = False  # spikes: the multiplier reached on the last day, rising from 1 (Spike.ramp)
    per_day: int | None = None
    expected_extra: int = 0  # articles it was planned to add (spikes, floods)
    written: int = 0  # articles it actually added (less any that fell in an outage)
    removed: int = 0  # articles it removed (outage)
    # day -> {"baseline": expected articles of the pair x topic series (spikes; floods: of the stream),
    #         "stream": of the spiked stream alone (spikes), "extra": articles added}
    daily: dict[str, dict[str, float]] = field(default_factory=dict)
    series_shares: dict[str, float] = field(default_factory=dict)  # spikes: pair stream topic -> share in the series
    spike_share: float | None = None  # spikes: share of its own extra articles filed in the series
    tagger_version: str | None = None  # spikes: the tagger that measured those shares


@dataclass
class Injection:
    """Extra articles to write: per day index, articles per outlet; rendered with its own rng."""
    truth: GroundTruth
    stream: Stream
    rng: random.Random
    per_day: dict[int, dict[str, int]]


def outlet_weights(scenario: Scenario, countries: tuple[str, ...]) -> tuple[list[str], list[float]]:
    """Outlet ids and cumulative choice weights for articles about `countries` (focus outlets favoured)."""
    boost = scenario.settings.focus_boost
    weights = [o.volume * (boost if o.focus.intersection(countries) else 1.0) for o in scenario.outlets]
    return [o.id for o in scenario.outlets], list(accumulate(weights))


def plan_spike(spike: Spike, label: str, scenario: Scenario, plan: BaselinePlan, rng: random.Random,
               sample_rng: random.Random) -> Injection:
    """Extra articles so the tagged series expects `multiplier` x its baseline each day (`sample_rng`: sizing)."""
    index = scenario.stream_index(spike.pair, spike.topic)
    if index is None:
        raise ScenarioError(f"spike on {spike.pair} {spike.topic}: not a scenario stream (use a Flood instead)")
    outlets = _pick_outlets(scenario, spike.pair, rng)
    days = list(days_in_window(spike.start, spike.days, plan.window))
    feed = series_feed(scenario, plan, index, days, sample_rng)
    truth = _truth("spike", label, spike.start, spike.days, outlets, pair=list(spike.pair), topic=spike.topic,
                   multiplier=spike.multiplier, ramp=spike.ramp, spike_share=round(feed.spike_share, 3),
                   series_shares={scenario.streams[s].topic: round(share, 3) for s, share in feed.shares.items()},
                   tagger_version=feed.tagger_version)
    per_day, wanted, written = {}, 0.0, 0
    for day, d in days:
        baseline = feed.expected(plan, d)
        multiplier = spike.multiplier_on((day - spike.start).days + 1)
        wanted += (multiplier - 1) * baseline / feed.spike_share  # only that share of them joins the series
        extra = round(wanted) - written
        written += extra
        per_day[d] = _rotate(outlets, extra, start=d)
        truth.daily[day.isoformat()] = {"baseline": round(baseline, 3), "stream": round(plan.expected[d][index], 3),
                                        "extra": extra}
    truth.expected_extra = written
    return Injection(truth, scenario.streams[index], rng, per_day)


def plan_flood(flood: Flood, label: str, scenario: Scenario, plan: BaselinePlan, rng: random.Random) -> Injection:
    scenario.outlet(flood.outlet)
    if (flood.topic, TONES[0]) not in scenario.topic_text:
        raise ScenarioError(f"flood topic {flood.topic!r} has no templates")
    if not set(flood.pair) <= scenario.countries.keys():
        raise ScenarioError(f"flood pair {flood.pair}: countries.toml knows only {sorted(scenario.countries)}")
    index = scenario.stream_index(flood.pair, flood.topic)
    stream = scenario.streams[index] if index is not None else _unscheduled_stream(flood.pair, flood.topic)
    truth = _truth("flood", label, flood.start, flood.days, [flood.outlet], pair=list(flood.pair),
                   topic=flood.topic, per_day=flood.per_day)
    per_day = {}
    for day, d in days_in_window(flood.start, flood.days, plan.window):
        per_day[d] = {flood.outlet: flood.per_day}
        truth.daily[day.isoformat()] = {"baseline": round(plan.expected[d][index], 3) if index is not None else 0.0,
                                        "extra": flood.per_day}
    truth.expected_extra = flood.per_day * len(per_day)
    return Injection(truth, stream, rng, per_day)


def _unscheduled_stream(pair: tuple[str, str], topic: str) -> Stream:
    """A pair x topic the scenario never mentions: either way round, either tone, no own texts."""
    return Stream(pair, topic, weekly=0.0, cooperation=0.5, ordered=False, own_text=EMPTY_BANK)


def outage_truth(outage: Outage, scenario: Scenario) -> GroundTruth:
    outlets = outage.outlets if outage.outlets is not None else [o.id for o in scenario.outlets[1:]]
    for outlet_id in outlets:
        scenario.outlet(outlet_id)
    return _truth("outage", "outage", outage.start, outage.days, sorted(outlets))


def _truth(kind: str, label: str, start: date, days: int, outlets: list[str], **details) -> GroundTruth:
    last = start + timedelta(days=days - 1)
    return GroundTruth(kind, label, start.isoformat(), last.isoformat(), list(outlets), **details)


def days_in_window(start: date, days: int, window: Window):
    for offset in range(days):
        day = start + timedelta(days=offset)
        d = window.index(day)
        if d is not None:
            yield day, d


def _pick_outlets(scenario: Scenario, pair: tuple[str, str], rng: random.Random) -> list[str]:
    ids, cum_weights = outlet_weights(scenario, pair)
    chosen: list[str] = []
    while len(chosen) < min(SPIKE_OUTLETS, len(ids)):
        outlet_id = rng.choices(ids, cum_weights=cum_weights)[0]
        if outlet_id not in chosen:
            chosen.append(outlet_id)
    return chosen


def _rotate(outlets: list[str], articles: int, start: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in range(articles):
        outlet_id = outlets[(start + n) % len(outlets)]
        counts[outlet_id] = counts.get(outlet_id, 0) + 1
    return counts

