"""Rebuild every derived table from the stored raw articles with the current gazetteer and lexicons."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Callable, Iterator

from .feeds.poll import make_parser_pool
from .home import Home
from .store.snapshot import publish_compacted
from .store.warehouse import Warehouse
from .tag_pool import derive_parallel


def retag(home: Home, warehouse: Warehouse, tagger, on_progress: Callable[[int], None] = lambda n: None) -> dict:
    """Re-tag all articles on every core, swap the derived tables atomically, record a `retag` run, compact the
    file, publish."""
    started_at, started = datetime.now(timezone.utc), time.monotonic()
    run_id = warehouse.next_run_id()
    counted = {"articles": 0}

    def batches(pool) -> Iterator[dict]:
        for rows in warehouse.iter_articles_for_tagging():
            yield derive_parallel(rows, tagger, pool).tables
            counted["articles"] += len(rows)
            on_progress(len(rows))

    def finished_run() -> dict:
        return {"run_id": run_id, "kind": "retag", "started_at": started_at, "finished_at": datetime.now(timezone.utc),
                "status": "completed", "feeds_polled": 0, "not_modified": 0, "failures": 0, "new_articles": 0,
                "duplicates": 0, "seconds": round(time.monotonic() - started, 3), "tagger_version": tagger.version,
                "error": None}

    with make_parser_pool() as pool:
        warehouse.replace_derived(batches(pool), finished_run)
    compaction = publish_compacted(warehouse, home)  # the swap left the old derived tables' blocks free
    return {"run_id": run_id, "articles": counted["articles"], "tagger_version": tagger.version,
            "seconds": round(time.monotonic() - started, 3), "compaction": compaction}
