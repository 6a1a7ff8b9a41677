"""How much of each stream the analyst's pair x topic series holds, so a spike can be sized against that series.

Alerts read the pair x topic series as the tagger files articles, not the stream the generator wrote them
for: PRK-RUS military articles are filed under diplomacy too, so the PRK-RUS diplomacy series carries about
twice its stream. A spike of k x "baseline" means k x that series. Templates name countries only through
their placeholders, so only the pair's own streams can feed its series (another stream's third-country sentence
may name the pair, in a list with no topic word: that adds to the whole pair, never to a pair x topic series,
tests/test_demo_text.py). How much of each one does depends
on the tagger, so it is measured: a sample of the stream's articles is tagged with the warehouse's own tagger
and flattened into the rows the warehouse stores.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from pipeline.demo.plan import BaselinePlan
from pipeline.demo.scenario import Scenario, ScenarioError
from pipeline.demo.text import ArticleWriter
from pipeline.seeds import load_tagger
from pipeline.tag_rows import DerivedRows

SAMPLE_ARTICLES = 240  # per stream and spike, spread over its days: each share within ~3 points


@dataclass(frozen=True)
class SeriesFeed:
    """Which streams feed one pair x topic series on a spike's days, and how much of each."""
    shares: dict[int, float]  # stream index -> share of its articles (as written those days) filed in the series
    spike_share: float  # the same for the spike's own extra articles (the stream's text, no event story)
    tagger_version: str

    def expected(self, plan: BaselinePlan, d: int) -> float:
        """The series' expected articles on day index `d` (baseline, no noise)."""
        return sum(plan.expected[d][s] * share for s, share in self.shares.items())


def series_feed(scenario: Scenario, plan: BaselinePlan, spiked: int, days: list[tuple[date, int]],
                rng: random.Random) -> SeriesFeed:
    """Tag SAMPLE_ARTICLES articles of each of the pair's streams, rendered as on `days` ((day, day index))."""
    stream = scenario.streams[spiked]
    counter = _SeriesCounter(load_tagger(), stream.key, ArticleWriter(scenario), rng)
    feeders = [s for s, other in enumerate(scenario.streams) if other.key[0] == stream.key[0]]
    shares = {s: counter.share(s, days, plan) for s in feeders}
    spike_share = counter.share(spiked, days)
    if days and not spike_share:
        raise ScenarioError(f"spike on {stream.key}: the tagger files none of the stream's articles in its series")
    return SeriesFeed(shares, spike_share, counter.tagger.version)


class _SeriesCounter:
    """Renders articles of a stream and counts those the warehouse would file in one pair x topic series."""

    def __init__(self, tagger, series: tuple[tuple[str, ...], str], writer: ArticleWriter,
                 rng: random.Random) -> None:
        self.tagger = tagger
        self.series = series
        self.writer = writer
        self.rng = rng

    def share(self, s: int, days: list[tuple[date, int]], plan: BaselinePlan | None = None) -> float:
        """Share of stream `s`'s articles in the series; with `plan`, event stories are told as on those days."""
        stream = self.writer.scenario.streams[s]
        filed = tried = 0
        for n, (day, d) in enumerate(days):
            self.writer.start_day(day)
            story = plan.event_text.get((d, s)) if plan else None
            for _ in range(_per_day(n, len(days))):
                filed += in_series(self.tagger, self.series, *self.writer.render(self.rng, stream, story), day)
                tried += 1
        return filed / tried if tried else 0.0


def in_series(tagger, series: tuple[tuple[str, ...], str], title: str, text: str, day: date) -> bool:
    """Whether ingest would store the article in the (pair, topic) series: the article_pairs rows it derives."""
    (pair, topic), rows = series, DerivedRows(tagger.version)
    rows.add("sample", day, tagger.tag(title, text, published=day))
    pairs = rows.tables["article_pairs"]
    return any((a, b) == pair and topic in topics
               for a, b, topics in zip(pairs["iso_a"], pairs["iso_b"], pairs["topics"]))


def _per_day(n: int, days: int) -> int:
    """Day n's part of SAMPLE_ARTICLES (the parts add up exactly)."""
    return SAMPLE_ARTICLES * (n + 1) // days - SAMPLE_ARTICLES * n // days
