"""Deterministic demo corpus: RSS snapshot files about real country pairs, written from our own templates.

    from pipeline.demo import write_demo_corpus, default_spikes, iter_demo_snapshots
    manifest = write_demo_corpus(home / "demo", articles=20_000, spikes=default_spikes(end))
    for outlet_id, path in iter_demo_snapshots(manifest): ...

Scenario (pairs, topics, rates, dated events) and templates live in seeds/demo/*.toml.
"""
from pipeline.demo.corpus import DemoManifest, ManifestError, OutletFeeds, iter_demo_snapshots, write_demo_corpus
from pipeline.demo.injections import Flood, GroundTruth, Outage, Spike, default_spikes
from pipeline.demo.rss import FEED_TAG, SnapshotFile
from pipeline.demo.scenario import ScenarioError, load_scenario

__all__ = [
    "FEED_TAG", "DemoManifest", "Flood", "GroundTruth", "ManifestError", "Outage", "OutletFeeds", "ScenarioError",
    "SnapshotFile", "Spike", "default_spikes", "iter_demo_snapshots", "load_scenario", "write_demo_corpus",
]
