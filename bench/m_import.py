"""2. `pactwatch import` of a JSONL archive of the demo corpus: read, clean, dedup, tag, store, publish."""
from __future__ import annotations

import resource
import time
from pathlib import Path

from bench.common import descendants_cpu


def _cpu() -> float:
    """This process plus every process below it (the tagging pool)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + descendants_cpu()


def import_archive(home: str, archive: str, batch_size: int = 5000) -> dict:
    from bench.timers import instrument_run_path

    breakdown = instrument_run_path()
    from pipeline.home import Home
    from pipeline.importer import import_file
    from pipeline.seeds import load_tagger
    from pipeline.store.warehouse import Warehouse

    root = Home.resolve(home).ensure()
    tagger = load_tagger()
    with Warehouse(root.writer_db) as warehouse:
        cpu = _cpu()
        started = time.perf_counter()
        report = import_file(root, warehouse, tagger, Path(archive), batch_size=batch_size)
        seconds = time.perf_counter() - started
        cpu = _cpu() - cpu
        articles = warehouse.article_count()
    return {"seconds": seconds, "cpu_seconds": cpu, "runs": len(report.runs), "articles": articles,
            "new_articles": report.new_articles, "duplicates": report.duplicates, "breakdown": breakdown.as_dict()}
