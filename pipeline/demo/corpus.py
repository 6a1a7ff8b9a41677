"""write_demo_corpus: the day-by-day streaming generator, its manifest, and the snapshot replay order."""
from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from pipeline.demo.injections import (
    Flood, GroundTruth, Injection, Outage, Spike, days_in_window, outage_truth, outlet_weights, plan_flood,
    plan_spike,
)
from pipeline.demo.plan import BaselinePlan, EventText, Window, plan_baseline
from pipeline.demo.rss import SnapshotFile, SnapshotWriter, Truth, feeds_toml, rfc822, rfc822_day
from pipeline.demo.scenario import Scenario, Stream, load_scenario
from pipeline.demo.text import ArticleWriter
from pipeline.home import replace_file, unfinished_replacements

GENERATOR_VERSION = 3  # 2: spikes sized against the tagged pair x topic series; 3: pair articles apart, third countries
NEWS_PEAK_SECOND = 13 * 3600  # publication times cluster around 13:00 UTC
SECONDS_PER_DAY = 86_400
MANIFEST_NAME = "manifest.json"
FEEDS_NAME = "feeds.toml"


@dataclass
class OutletFeeds:
    id: str
    name: str
    country: str
    language: str
    articles: int
    files: list[SnapshotFile]


@dataclass
class DemoManifest:
    """Everything a consumer needs to know about a demo corpus, including the injected ground truth."""
    seed: int
    end_date: str  # ISO; the corpus covers [first_day, end_date)
    first_day: str
    last_day: str
    articles: int  # baseline articles requested
    baseline_written: int  # baseline articles in the files (articles - those removed by an outage)
    total_articles: int  # all items in the files (baseline_written + injected articles written)
    args: dict
    outlets: list[OutletFeeds]
    injections: list[GroundTruth]
    generator_version: int = GENERATOR_VERSION
    root: Path | None = field(default=None, compare=False, repr=False)  # the corpus directory; not serialised

    def to_json(self) -> str:
        data = asdict(self)
        del data["root"]
        return json.dumps(data, indent=1, default=str) + "\n"

    @classmethod
    def load(cls, directory: Path) -> DemoManifest:
        """ManifestError when the directory holds none, or one cut short (versions before wrote it in place)."""
        path = Path(directory) / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["outlets"] = [
                OutletFeeds(**{**outlet, "files": [SnapshotFile(**item) for item in outlet["files"]]})
                for outlet in data["outlets"]
            ]
            data["injections"] = [GroundTruth(**truth) for truth in data["injections"]]
            return cls(**data, root=Path(directory))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            message = f"{path} is no whole demo manifest ({exc}): write the corpus again (`pactwatch demo`)"
            raise ManifestError(message) from exc


class ManifestError(ValueError):
    """A demo corpus directory without a manifest.json that loads."""


def write_demo_corpus(out_dir: Path, *, articles: int = 20000, seed: int = 7, end_date: date | None = None,
                      spikes: list[Spike] | None = None, outage: Outage | None = None, flood: Flood | None = None,
                      items_per_file: int = 500) -> DemoManifest:
    """Write the deterministic demo corpus (RSS snapshots, feeds.toml, manifest.json) under `out_dir`.

    Same arguments give byte-identical snapshot files. Generation streams day by day, so memory stays flat
    however many articles are asked for. Example:
        write_demo_corpus(Path("data/demo"), articles=50_000, spikes=default_spikes(date.today()))
    """
    if articles < 0 or items_per_file < 1:
        raise ValueError("articles must be >= 0 and items_per_file >= 1")
    scenario = load_scenario()
    end = end_date or datetime.now(UTC).date()
    window = Window.ending(end, scenario.settings.covers_from)
    plan = plan_baseline(scenario, window, articles, _rng(seed, "plan"))
    injections = _plan_injections(scenario, plan, seed, spikes or [], flood)
    blackout = _Blackout.of(outage, scenario, window)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for unfinished in [*unfinished_replacements(out_dir, MANIFEST_NAME), *unfinished_replacements(out_dir, FEEDS_NAME)]:
        unfinished.unlink()  # what a run killed while writing them left
    # The snapshots it names are rewritten next: a run killed on the way must leave no manifest, not an earlier one
    # naming files it no longer matches
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    snapshots = SnapshotWriter(out_dir, scenario.outlets, items_per_file)
    written = _write_items(snapshots, _DayGenerator(scenario, plan, injections, _rng(seed, "baseline")), blackout)
    files = snapshots.close()
    for injection in injections:
        injection.truth.written = written[injection.truth.label]
    manifest = DemoManifest(
        seed=seed, end_date=end.isoformat(), first_day=window.first_day.isoformat(),
        last_day=window.days[-1].isoformat(), articles=articles, baseline_written=written["baseline"],
        total_articles=sum(written.values()),
        args=_json_ready({"articles": articles, "seed": seed, "end_date": end, "items_per_file": items_per_file,
                          "spikes": [asdict(spike) for spike in spikes or []],
                          "outage": asdict(outage) if outage else None, "flood": asdict(flood) if flood else None}),
        outlets=[OutletFeeds(o.id, o.name, o.country, "en", sum(f.items for f in files[o.id]), files[o.id])
                 for o in scenario.outlets],
        injections=[i.truth for i in injections] + ([blackout.truth] if blackout.truth else []),
        root=out_dir,
    )
    # Each whole or not at all, and the manifest last, once the files it names are: written in place, a run killed
    # on the way left a manifest cut short (`DemoManifest.load` failed on it) or a feed list of half the outlets.
    replace_file(out_dir / FEEDS_NAME, feeds_toml(scenario.outlets, out_dir))
    replace_file(out_dir / MANIFEST_NAME, manifest.to_json())
    return manifest


def _plan_injections(scenario: Scenario, plan: BaselinePlan, seed: int, spikes: list[Spike],
                     flood: Flood | None) -> list[Injection]:
    injections = [plan_spike(spike, f"spike-{i}", scenario, plan, _rng(seed, f"spike-{i}"),
                             _rng(seed, f"spike-{i}/series"))
                  for i, spike in enumerate(spikes)]
    if flood is not None:
        injections.append(plan_flood(flood, "flood-0", scenario, plan, _rng(seed, "flood-0")))
    return injections


@dataclass(frozen=True)
class _Blackout:
    """The outage's effect: items of `outlets` on day indexes `days` are never written."""
    truth: GroundTruth | None
    days: frozenset[int]
    outlets: frozenset[str]

    @classmethod
    def of(cls, outage: Outage | None, scenario: Scenario, window: Window) -> _Blackout:
        if outage is None:
            return cls(None, frozenset(), frozenset())
        truth = outage_truth(outage, scenario)
        days = frozenset(d for _, d in days_in_window(outage.start, outage.days, window))
        return cls(truth, days, frozenset(truth.outlets))

    def hides(self, d: int, outlet_id: str) -> bool:
        return d in self.days and outlet_id in self.outlets


def _write_items(snapshots: SnapshotWriter, generator: _DayGenerator, blackout: _Blackout) -> Counter[str]:
    """Generate day after day into the snapshot files; returns articles written per source label."""
    written: Counter[str] = Counter()
    for d, day in enumerate(generator.plan.window.days):
        day_part = rfc822_day(day)
        for second, outlet_id, title, summary, truth in generator.items(d, day):
            if blackout.hides(d, outlet_id):
                blackout.truth.removed += 1
                continue
            written[truth.source] += 1
            snapshots.add(outlet_id, rfc822(day_part, second), title, summary, truth)
    return written


def iter_demo_snapshots(manifest_or_dir: DemoManifest | Path) -> Iterator[tuple[str, Path]]:
    """(outlet id, snapshot file) in replay order: every outlet's 1st snapshot, then every 2nd, ..."""
    manifest = manifest_or_dir if isinstance(manifest_or_dir, DemoManifest) else DemoManifest.load(manifest_or_dir)
    rounds = max((len(outlet.files) for outlet in manifest.outlets), default=0)
    for index in range(rounds):
        for outlet in manifest.outlets:
            if index < len(outlet.files):
                yield outlet.id, manifest.root / outlet.files[index].path


def _json_ready(args: dict) -> dict:
    """The arguments as manifest.json will hold them (ISO dates, lists), so a loaded manifest compares equal."""
    return json.loads(json.dumps(args, default=str))


def _rng(seed: int, purpose: str) -> random.Random:
    """Independent deterministic streams, so adding a spike leaves the baseline articles unchanged."""
    return random.Random(f"pactwatch-demo/{seed}/{purpose}")


Item = tuple[int, str, str, str, Truth]  # (second of day, outlet id, headline, summary, truth)


class _DayGenerator:
    """Renders one day's articles (baseline + injections), sorted by publication time."""

    def __init__(self, scenario: Scenario, plan: BaselinePlan, injections: list[Injection],
                 rng: random.Random) -> None:
        self.scenario = scenario
        self.plan = plan
        self.injections = injections
        self.rng = rng
        self.writer = ArticleWriter(scenario)
        self.outlet_choice = [outlet_weights(scenario, stream.countries) for stream in scenario.streams]
        self.baseline_truth = [_truth(stream, "baseline") for stream in scenario.streams]

    def items(self, d: int, day: date) -> list[Item]:
        self.writer.start_day(day)
        items: list[Item] = []
        for s, count in enumerate(self.plan.counts[d]):
            if count:
                items.extend(self._baseline(d, s, count))
        for injection in self.injections:
            truth = _truth(injection.stream, injection.truth.label)
            for outlet_id, count in injection.per_day.get(d, {}).items():
                items.extend(self._articles(injection.rng, injection.stream, [outlet_id] * count, truth))
        items.sort(key=itemgetter(0))
        return items

    def _baseline(self, d: int, s: int, count: int) -> Iterator[Item]:
        ids, cum_weights = self.outlet_choice[s]
        outlets = self.rng.choices(ids, cum_weights=cum_weights, k=count)
        stream = self.scenario.streams[s]
        yield from self._articles(self.rng, stream, outlets, self.baseline_truth[s],
                                  self.plan.event_text.get((d, s)))

    def _articles(self, rng: random.Random, stream: Stream, outlets: list[str], truth: Truth,
                  story: EventText | None = None) -> Iterator[Item]:
        for outlet_id in outlets:
            title, summary = self.writer.render(rng, stream, story)
            second = min(int(rng.triangular(0, SECONDS_PER_DAY, NEWS_PEAK_SECOND)), SECONDS_PER_DAY - 1)
            yield second, outlet_id, title, summary, truth


def _truth(stream: Stream, source: str) -> Truth:
    return Truth("-".join(sorted(stream.countries)), stream.topic, source)
