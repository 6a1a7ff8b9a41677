"""What a parser pool worker runs. Its own module because a worker imports the module of each job it unpickles:
poll's would bring the HTTP client and asyncio into every worker, about 0.15 s of CPU each, for nothing."""
from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from pipeline.feeds.models import ParsedFeed
from pipeline.feeds.parse import parse_feed

PARSE_MEMORY_HEADROOM = 1 << 30  # address space a parse may add; a 15 MB feed needs ~100 MB


def parse_job(body: bytes, base_url: str, now: datetime, key_mode: str, http_charset: str | None) -> ParsedFeed:
    with address_space_headroom(PARSE_MEMORY_HEADROOM):
        return parse_feed(body, base_url, now, key_mode=key_mode, http_charset=http_charset)


def started() -> None:
    """A replacement worker's first job: unpickling it imports this module, and with it the parser."""
    time.sleep(0.05)


@contextmanager
def address_space_headroom(extra: int) -> Iterator[None]:
    """Cap this process's address space at its current size + `extra` for the duration, so that a
    document escaping our checks ends in a MemoryError (an error result) instead of the OOM killer.
    Scoped to the parse: the pool may be shared with other work (the ingest tags in it too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/statm") as statm:  # Linux; elsewhere we go without the cap
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError):
        yield
        return
    cap = in_use + extra if hard == resource.RLIM_INFINITY else min(in_use + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
