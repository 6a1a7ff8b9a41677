"""Rebuild every derived table from the stored raw articles with the current gazetteer and lexicons."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Callable, Iterator

from .home import Home
from .store.snapshot import publish
from .store.warehouse import Warehouse
from .tag_rows import DerivedRows


def retag(home: Home, warehouse: Warehouse, tagger, on_progress: Callable[[int], None] = lambda n: None) -> dict:
    """Re-tag all articles, swap the derived tables atomically, record a `retag` run and publish."""
    started_at, started = datetime.now(timezone.utc), time.monotonic()
    run_id = warehouse.next_run_id()
    counted = {"articles": 0}

    def batches() -> Iterator[dict]:
        for rows in warehouse.iter_articles_for_tagging():
            derived = DerivedRows(tagger.version)
            for article_id, title, text, published_at, day in rows:
                derived.add(article_id, day, tagger.tag(title, text, published=day))
            counted["articles"] += len(rows)
            on_progress(len(rows))
            yield derived.tables

    run = {"run_id": run_id, "kind": "retag", "started_at": started_at, "status": "completed",
           "feeds_polled": 0, "not_modified": 0, "failures": 0, "new_articles": 0, "duplicates": 0,
           "tagger_version": tagger.version, "error": None}
    warehouse.replace_derived(batches(), lambda: _finished(run, started))
    publish(warehouse.con, home)
    return {"run_id": run_id, "articles": counted["articles"], "tagger_version": tagger.version,
            "seconds": round(time.monotonic() - started, 3)}


def _finished(run: dict, started: float) -> dict:
    return {**run, "finished_at": datetime.now(timezone.utc), "seconds": round(time.monotonic() - started, 3)}
