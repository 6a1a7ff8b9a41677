"""Tagging on every core: batches of articles go to worker processes that each load the tagger once."""
from __future__ import annotations

from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Iterator, Sequence

from .tag_rows import DerivedRows
from .tagging.stories import story_key

TagInput = tuple[str, date, str, str, str | None]  # article_id, day, title, text, language
WORKER_BATCH = 500


def derive(articles: Sequence[TagInput], tagger) -> DerivedRows:
    derived = DerivedRows(tagger.version)
    for article_id, day, title, text, language in articles:
        derived.add(article_id, day, tagger.tag(title, text, published=day, language=language))
        derived.add_story(article_id, day, story_key(title, text))
    return derived


def _derive_in_worker(articles: Sequence[TagInput]) -> dict:
    from .seeds import load_tagger  # cached per process: each worker loads the gazetteer once

    return derive(articles, load_tagger()).tables


def derive_batches(articles: Sequence[TagInput], tagger, executor: Executor | None) -> Iterator[dict]:
    """The derived tables of `articles`, WORKER_BATCH articles at a time: tagged in `executor`'s processes when there
    are batches enough to repay the pickling, else here. A caller that stores each batch before asking for the next
    holds one batch's tags, not all (an article dense with country names makes tags many times its text). The workers
    build the bundled seeds' tagger, so any other tagger tags here."""
    from .seeds import load_tagger

    batches = [articles[i:i + WORKER_BATCH] for i in range(0, len(articles), WORKER_BATCH)]
    if executor is None or len(articles) < 2 * WORKER_BATCH or tagger is not load_tagger():
        yield from (derive(batch, tagger).tables for batch in batches)
        return
    done = 0
    try:
        for tables in executor.map(_derive_in_worker, batches):
            yield tables
            done += 1
    except BrokenProcessPool:  # a worker died (OOM killer, signal): the run still completes, on this core
        yield from (derive(batch, tagger).tables for batch in batches[done:])
