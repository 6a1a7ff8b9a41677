"""5. `retag`, snapshot publish at the corpus size, and the warehouse's size on disk."""
from __future__ import annotations

import os
import statistics
import time


def retag(home: str) -> dict:
    from bench.timers import TAGGING, Breakdown, wrap_final_publish

    import pipeline.retag as retag_module
    from pipeline.home import Home
    from pipeline.seeds import load_tagger
    from pipeline.store.warehouse import Warehouse

    breakdown = Breakdown()
    breakdown.wrap_generator(retag_module, "derive_batches", TAGGING)
    stories, changes = "resolve every story (by shares)", "count what changed (by shares)"
    breakdown.wrap(Warehouse, "_resolve_all_stories", stories)
    breakdown.wrap(Warehouse, "_staged_changes", changes)
    breakdown.wrap(Warehouse, "replace_derived", "write staged derived tables + swap", without=(TAGGING, stories, changes))
    wrap_final_publish(breakdown)
    root = Home.resolve(home)
    tagger = load_tagger()
    with Warehouse(root.writer_db) as warehouse:
        started = time.perf_counter()
        result = retag_module.retag(root, warehouse, tagger)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "articles": result["articles"], "breakdown": breakdown.as_dict(),
            "compaction": result["compaction"]}


def publish(home: str, repeats: int = 3) -> dict:
    """publish() on the writer of a home holding the whole corpus; also the file sizes."""
    from pipeline.home import Home
    from pipeline.store.snapshot import publish as publish_snapshot
    from pipeline.store.warehouse import Warehouse

    root = Home.resolve(home)
    timings = []
    with Warehouse(root.writer_db) as warehouse:
        articles = warehouse.article_count()
        counts = {table: warehouse.scalar(f"SELECT count(*) FROM {table}") for table in (
            "mentions", "article_countries", "article_topics", "pair_sentences", "article_pairs")}
        warehouse.con.execute("CHECKPOINT")
        for _ in range(repeats):
            started = time.perf_counter()
            target = publish_snapshot(warehouse.con, root).path
            timings.append(time.perf_counter() - started)
    snapshots = sorted(root.snapshots.glob("pactwatch-*.duckdb"))
    return {"seconds": statistics.median(timings), "all": timings, "articles": articles, "rows": counts,
            "writer_bytes": os.path.getsize(root.writer_db), "snapshot_bytes": os.path.getsize(target),
            "snapshots_kept": len(snapshots),
            "snapshots_bytes": sum(os.path.getsize(path) for path in snapshots)}
