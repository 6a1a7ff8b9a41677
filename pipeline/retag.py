"""Rebuild every derived table from the stored raw articles with the current gazetteer and lexicons."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Callable, Iterator

from .home import Home
from .ingest import RunSummary
from .pool import make_process_pool
from .store.snapshot import publish_compacted
from .store.warehouse import Warehouse
from .tag_pool import derive_batches


def retag(home: Home, warehouse: Warehouse, tagger, on_progress: Callable[[int], None] = lambda n: None) -> dict:
    """Re-tag all articles on every core, swap the derived tables atomically, record a `retag` run, compact the
    file, publish. Returns the run's `seconds` as its row in `runs` holds them (tagging and writing the new tables:
    the row is written with the swap, before the rest) and `total_seconds`, which adds the swap, the daily
    aggregates, the compaction and the publish (printed as one `seconds`, they disagreed with `runs`); of those,
    `publish_seconds` and `publish_copy` say what publishing took, as an ingest run's log line does."""
    started_at, started = datetime.now(timezone.utc), time.monotonic()
    run_id = warehouse.next_run_id()
    counted = {"articles": 0, "seconds": 0.0}

    def batches(pool) -> Iterator[dict]:
        for rows in warehouse.iter_articles_for_tagging():
            yield from derive_batches(rows, tagger, pool)
            counted["articles"] += len(rows)
            on_progress(len(rows))

    def finished_run() -> dict:
        summary = RunSummary(run_id, "retag", seconds=round(time.monotonic() - started, 3))
        counted["seconds"] = summary.seconds
        return summary.as_row(started_at, datetime.now(timezone.utc), tagger.version)

    with make_process_pool() as pool:
        changes = warehouse.replace_derived(batches(pool), finished_run)
    published = publish_compacted(warehouse, home)  # the swap left the old derived tables' blocks free
    return {"run_id": run_id, "articles": counted["articles"], "tagger_version": tagger.version,
            "seconds": counted["seconds"], "total_seconds": round(time.monotonic() - started, 3), **changes,
            "compaction": published.compaction, **published.summary_fields()}
