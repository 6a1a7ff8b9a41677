"""Alert: what fired, on which series, with the numbers and the evidence an analyst checks it against."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date


class _OnSeries:
    """The pair and the series' name, for the records below (each has iso_a, iso_b and topic)."""
    iso_a: str
    iso_b: str
    topic: str | None

    @property
    def pair(self) -> str:
        return f"{self.iso_a}-{self.iso_b}"

    @property
    def series(self) -> str:
        return f"{self.pair}{f' {self.topic}' if self.topic else ''}"


@dataclass(frozen=True)
class Alert(_OnSeries):
    rule: str
    kind: str  # surge | weekday_zscore | new_pair
    level: str  # pair_topic | pair
    iso_a: str
    iso_b: str
    topic: str | None
    day: date  # the day the rule fired: the last day of the window
    window_start: date
    current: int  # articles in the window
    baseline: float  # expected articles for the window (new_pair: articles before it, over `prior_days`)
    ratio: float | None
    z: float | None  # None (JSON null) where nothing was expected: a z against 0 says nothing
    outlets: int
    top_outlet: str | None
    top_outlet_share: float
    top_outlet_rise_share: float | None  # its part of the rise above expected, beyond its usual share
    coverage: str  # ok | gap (the window touches a day with a coverage drop; only when on_gap = "mark")
    undated: int = 0  # articles of `current` without a usable date of their own, filed on the day first stored
    stories: int | None = None  # the stories `current`'s articles are (copies of one count once); None: not counted
    # False when the window ends today (UTC): its numbers are those so far (a webhook gets an alert once, then final)
    day_over: bool = True
    # The day of the first alert of the episode this one continues (its pair alerted within cooldown_days + its window
    # before it, at any topic or level; JSON "YYYY-MM-DD"), None (null) for a fresh rise
    continues: date | None = None
    # new_pair: the days before the window whose co-mentions `baseline` counts (its rule's prior_days); None: all
    # history, or another kind
    prior_days: int | None = None
    # The episode the alert is part of: the alerts of its pair whose windows overlap its own, directly or through
    # another, share it ("CHN-USA.2026-10-25": the pair and their earliest window's first day; signals/episodes.py)
    episode: str | None = None
    articles: tuple[dict, ...] = ()  # title, url, outlet, day, dated (store.queries.DATED), sentences
    # sentence, cue, cue_words (the words that decided it), outlet, day, dated, url, spans (the pair's [start, end))
    sentences: tuple[dict, ...] = ()

    @property
    def key(self) -> str:
        """What names this alert wherever it is kept or linked (a dashboard link, a webhook's delivery record): its
        series, last day and rule, "PRK-RUS.military.2026-11-12.burst_weekday" (a whole pair's topic reads "all")."""
        return f"{self.pair}.{self.topic or 'all'}.{self.day.isoformat()}.{self.rule}"

    @property
    def summary(self) -> str:
        """One line that says why the alert fired."""
        what = self.series
        span = f"{self.window_start.isoformat()}..{self.day.isoformat()}"
        sources = _sources(self.outlets, self.undated, self.stories, self.current)
        episode = f", continuing the pair's alerts from {self.continues.isoformat()}" if self.continues else ""
        if self.kind == "new_pair":
            return f"{what}: {self.current} articles {span}, {self._before()} ({sources}){episode}"
        numbers = f"x{self.ratio:.1f}" if _finite(self.ratio) else "new"
        return (f"{what}: {self.current} articles {span} vs {self.baseline:.1f} expected "
                f"({numbers}, {_z_text(self.z)}, {sources}) [{self.rule}]{episode}")

    def _before(self) -> str:
        """A new pair's articles before its window, over its rule's look-back when it has one: those connecting the
        pair (article_pairs), not every article naming both (comention_daily), which a list of countries makes."""
        found = f"{self.baseline:.0f} article(s)" if self.baseline else "no article"
        found += " connecting the pair"
        if self.prior_days:
            return f"{found} in the {self.prior_days} days before"
        return f"{found} before"

    def to_dict(self) -> dict:
        """JSON-ready: ISO dates, rounded numbers, no NaN/inf (JSON has none)."""
        data = asdict(self)
        data.update(key=self.key, pair=self.pair, summary=self.summary, day=self.day.isoformat(),
                    window_start=self.window_start.isoformat(), baseline=round(self.baseline, 2),
                    continues=self.continues.isoformat() if self.continues else None,
                    ratio=_json_number(self.ratio), z=_json_number(self.z),
                    top_outlet_share=round(self.top_outlet_share, 3),
                    top_outlet_rise_share=_json_number(self.top_outlet_rise_share),
                    articles=[_iso_days(item) for item in self.articles],
                    sentences=[_iso_days(item) for item in self.sentences])
        return data


def _sources(outlets: int, undated: int, stories: int | None = None, articles: int = 0) -> str:
    """What a rise's articles came from: outlets, the stories they are when some are copies of one (a wire story run
    by several outlets is an article each), and how many have no date of their own (a backlog, not news)."""
    copied = stories is not None and stories < articles
    told = f", {stories} {'story' if stories == 1 else 'stories'}" if copied else ""
    return f"{outlets} outlets{told}" + (f", {undated} undated" if undated else "")


def _z_text(z: float | None) -> str:
    """z as printed: n/a where it is None, against an expected count of 0 (JSON null)."""
    return f"z={z:.1f}" if _finite(z) else "z=n/a"


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _json_number(value: float | None) -> float | None:
    return round(value, 2) if _finite(value) else None


def _iso_days(item: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in item.items()}


@dataclass(frozen=True)
class HeldBack(_OnSeries):
    """A series on which rules fired but a gate kept those firings from alerting: why "no alerts" can hide a rise.
    The series may still have alerted on another day of those asked for (a firing that passed the gates)."""
    rule: str  # the rule of the latest firing held back (of several on that day, the first listed in alerts.toml)
    iso_a: str
    iso_b: str
    topic: str | None
    day: date  # the latest day a rule fired and was held back
    # coverage (the window touches an outage) | sources (too few outlets, or one outlet dominates) | copies (copies of
    # a few stories, such as a wire story run by several outlets, make most of the rise)
    gate: str
    reason: str  # the gate's own words, e.g. "1 outlet(s) < 2"
    firings: int  # firings held back on the series in the days asked for: one per rule and day (two rules on a day: 2)

    @property
    def summary(self) -> str:
        return (f"{self.series} {self.day.isoformat()} [{self.rule}, {self.firings} firing(s)] held back by the "
                f"{self.gate} gate: {self.reason}")

    def to_dict(self) -> dict:
        return {**asdict(self), "pair": self.pair, "summary": self.summary, "day": self.day.isoformat()}


@dataclass(frozen=True)
class KeptOut(_OnSeries):
    """A series whose window rose past a rule's ratio and z, but which a floor of that rule (or the warehouse's
    warm-up) kept from being tested: a quiet series that suddenly explodes fits no rule, and "no alerts" must not
    hide it. Its biggest such window in the days asked for; it may have alerted on another day."""
    rule: str
    iso_a: str
    iso_b: str
    topic: str | None
    day: date  # the last day of that window
    window_start: date
    current: int
    baseline: float  # expected articles for the window, as the rule computes it
    ratio: float | None
    z: float | None  # None (JSON null) where nothing was expected
    floor: str  # each floor the window fell below, "; "-separated, e.g. "expected 0.95 articles in 4 days, below ..."
    first_day: date  # the first day a floor kept a rise on this series out, of the days asked for
    days: int  # days a floor kept a rise on this series out (days in a cool-down of a firing on its pair aside)
    undated: int = 0  # articles of `current` without a usable date of their own, filed on the day first stored
    outlets: int = 0  # distinct outlets of `current`'s articles: one outlet's run of stories reads as a rise too
    stories: int | None = None  # the stories `current`'s articles are: one story's copies read as a rise too

    @property
    def summary(self) -> str:
        ratio = f"x{self.ratio:.1f}" if _finite(self.ratio) else "none before"
        sources = _sources(self.outlets, self.undated, self.stories, self.current)
        more = f"; {self.days} days from {self.first_day.isoformat()}" if self.days > 1 else ""
        return (f"{self.series} {self.window_start.isoformat()}..{self.day.isoformat()}: {self.current} articles vs "
                f"{self.baseline:.2f} expected ({ratio}, {_z_text(self.z)}, {sources}) [{self.rule}] not tested: "
                f"{self.floor}{more}")

    def to_dict(self) -> dict:
        return {**asdict(self), "pair": self.pair, "summary": self.summary, "day": self.day.isoformat(),
                "window_start": self.window_start.isoformat(), "first_day": self.first_day.isoformat(),
                "baseline": round(self.baseline, 2), "ratio": _json_number(self.ratio), "z": _json_number(self.z)}
