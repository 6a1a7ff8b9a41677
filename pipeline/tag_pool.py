"""Tagging on every core: batches of articles go to worker processes that each load the tagger once."""
from __future__ import annotations

from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Sequence

from .tag_rows import DerivedRows

TagInput = tuple[str, date, str, str, str | None]  # article_id, day, title, text, language
WORKER_BATCH = 500


def derive(articles: Sequence[TagInput], tagger) -> DerivedRows:
    derived = DerivedRows(tagger.version)
    for article_id, day, title, text, language in articles:
        derived.add(article_id, day, tagger.tag(title, text, published=day, language=language))
    return derived


def _derive_in_worker(articles: Sequence[TagInput]) -> dict:
    from .seeds import load_tagger  # cached per process: each worker loads the gazetteer once

    return derive(articles, load_tagger()).tables


def derive_parallel(articles: Sequence[TagInput], tagger, executor: Executor | None) -> DerivedRows:
    """Tag in `executor`'s processes when the batch is big enough to repay the pickling, else here. The workers
    build the bundled seeds' tagger, so any other tagger tags here."""
    from .seeds import load_tagger

    if executor is None or len(articles) < 2 * WORKER_BATCH or tagger is not load_tagger():
        return derive(articles, tagger)
    merged = DerivedRows(tagger.version)
    batches = [articles[i:i + WORKER_BATCH] for i in range(0, len(articles), WORKER_BATCH)]
    try:
        for tables in executor.map(_derive_in_worker, batches):
            merged.extend(tables)
    except BrokenProcessPool:  # a worker died (OOM killer, signal): the run still completes, on this core
        return derive(articles, tagger)
    return merged

