"""A demo corpus with one injected spike, an outage and a flooding outlet, ingested once into a real home."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline.demo import DemoManifest, Flood, Outage, Spike, iter_demo_snapshots, write_demo_corpus
from pipeline.feeds.feedlist import load_feed_list
from pipeline.home import Home
from pipeline.ingest import ingest_local_files, register_feed_specs
from pipeline.seeds import load_tagger
from pipeline.store.warehouse import Warehouse

END = date(2026, 6, 1)
SPIKE = Spike(("CHN", "USA"), "trade", END - timedelta(days=20), days=4, multiplier=6.0)
OUTAGE = Outage(END - timedelta(days=60), days=3)
FLOOD = Flood("demo-wire", ("BRA", "NOR"), "trade", END - timedelta(days=40), days=3, per_day=8)


@dataclass(frozen=True)
class DemoHome:
    home: Home
    manifest: DemoManifest

    @property
    def root(self) -> Path:
        return self.home.root


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> DemoHome:
    home = Home.resolve(tmp_path_factory.mktemp("signals") / "home").ensure()
    manifest = write_demo_corpus(home.demo_dir, articles=10_000, seed=5, end_date=END, items_per_file=5000,
                                 spikes=[SPIKE], outage=OUTAGE, flood=FLOOD)
    with home.writer_lock(), Warehouse(home.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(home.demo_dir / "feeds.toml"))
        ingest_local_files(home, warehouse, load_tagger(), iter_demo_snapshots(manifest), files_per_run=100)
    return DemoHome(home, manifest)
