"""1. Ingest from local RSS files through feedparser, and feedparser alone over the same files."""
from __future__ import annotations

import resource
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import descendants_cpu


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def ingest(home: str, demo_dir: str) -> dict:
    """What `pactwatch demo` does after writing the corpus: ingest_local_files over every snapshot file."""
    from bench.timers import instrument_run_path

    breakdown = instrument_run_path()
    from pipeline.demo import iter_demo_snapshots
    from pipeline.feeds.feedlist import load_feed_list
    from pipeline.home import Home
    from pipeline.ingest import ingest_local_files, register_feed_specs
    from pipeline.seeds import load_tagger
    from pipeline.store.warehouse import Warehouse

    root = Home.resolve(home).ensure()
    tagger = load_tagger()
    with Warehouse(root.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(demo_dir) / "feeds.toml"))
        warehouse.set_meta("is_demo", "true")
        cpu_self, cpu_children = _self_cpu(), descendants_cpu()
        started = time.perf_counter()
        summaries = ingest_local_files(root, warehouse, tagger, iter_demo_snapshots(Path(demo_dir)), kind="demo")
        seconds = time.perf_counter() - started
        articles = warehouse.article_count()
    return {
        "seconds": seconds, "runs": len(summaries), "articles": articles,
        "new_articles": sum(s.new_articles for s in summaries), "duplicates": sum(s.duplicates for s in summaries),
        "feeds_polled": sum(s.feeds_polled for s in summaries),
        "cpu_seconds": (_self_cpu() - cpu_self) + (descendants_cpu() - cpu_children),
        "breakdown": breakdown.as_dict(),
    }


def parse_only(demo_dir: str) -> dict:
    """The reference: parse_bodies (feedparser on the same parser pool) over the same files, nothing else."""
    from pipeline.demo import iter_demo_snapshots
    from pipeline.feeds.poll import parse_bodies
    from pipeline.pool import make_process_pool

    now = datetime.now(timezone.utc)
    files = list(iter_demo_snapshots(Path(demo_dir)))
    cpu_children = descendants_cpu()
    started = time.perf_counter()
    entries = 0
    with make_process_pool() as pool:
        bodies = ((feed_id, path.read_bytes(), path.as_uri()) for feed_id, path in files)
        for _, parsed in parse_bodies(bodies, now=now, executor=pool):
            entries += len(parsed.entries)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "entries": entries, "files": len(files),
            "worker_cpu_seconds": descendants_cpu() - cpu_children}
