"""Poll many feeds at once: bounded concurrency, ≤ per_host connections per host, parsing on all cores.

Fetching runs on an asyncio loop in a background thread (so that a slow consumer never makes an
in-flight fetch time out); parsing, which is CPU-bound, runs in a process pool. Results are yielded
in completion order. One bad or slow feed only ever costs its own slot.
"""
from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

from pipeline.feeds.http import HttpConfig, fetch, make_client
from pipeline.feeds.models import FeedState, FetchResult, ParsedFeed
from pipeline.feeds.parse import parse_feed
from pipeline.feeds.schedule import host_of

PollItem = tuple[FetchResult, ParsedFeed | None]


def make_parser_pool(max_workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool for parse_feed. "spawn": the caller may hold threads (DuckDB, our poll loop)
    and forking a multi-threaded process is unsafe."""
    return ProcessPoolExecutor(max_workers=max_workers or os.cpu_count() or 2,
                               mp_context=multiprocessing.get_context("spawn"))


def poll(states: list[FeedState], *, now: datetime, max_in_flight: int = 32, per_host: int = 2,
         config: HttpConfig = HttpConfig(), host_not_before: dict[str, datetime] | None = None,
         executor: Executor | None = None) -> Iterator[PollItem]:
    """Fetch and parse every state given (the caller filters with is_due) and yield one item each.

    `host_not_before` (host -> time) is read and updated in place: a host that answers 429/503 with
    Retry-After is not contacted again during this poll; its remaining feeds yield a "rate_limited"
    result with status_code None. `executor` lets a long-running caller reuse one parser pool.
    """
    own_executor = executor is None
    runner = _PollRunner(states, now, max_in_flight, per_host, config,
                         {} if host_not_before is None else host_not_before,
                         make_parser_pool() if own_executor else executor)
    try:
        yield from runner.results()
    finally:
        runner.stop()
        if own_executor:
            runner.executor.shutdown(cancel_futures=True)


def parse_bodies(bodies: Iterable[tuple[str, bytes, str]], *, now: datetime, key_mode: str = "guid",
                 executor: Executor | None = None) -> Iterator[tuple[str, ParsedFeed]]:
    """Parse local (feed_id, body, base_url) documents in parallel, yielding (feed_id, ParsedFeed)
    as each completes. At most a few documents per worker are held in memory at a time."""
    own_executor = executor is None
    pool = make_parser_pool() if own_executor else executor
    window = 4 * (getattr(pool, "_max_workers", None) or os.cpu_count() or 2)
    pending: dict[Future, str] = {}
    try:
        for feed_id, body, base_url in bodies:
            pending[pool.submit(parse_feed, body, base_url, now, key_mode=key_mode)] = feed_id
            if len(pending) >= window:
                yield from _drain(pending, FIRST_COMPLETED)
        while pending:
            yield from _drain(pending, FIRST_COMPLETED)
    finally:
        for future in pending:
            future.cancel()
        if own_executor:
            pool.shutdown(cancel_futures=True)


def _drain(pending: dict[Future, str], return_when: str) -> Iterator[tuple[str, ParsedFeed]]:
    done, _ = wait(pending, return_when=return_when)
    for future in done:
        yield pending.pop(future), _outcome_of(future)


def _outcome_of(future: Future) -> ParsedFeed:
    try:
        return future.result()
    except BrokenProcessPool:
        return _parser_crashed()


def _parser_crashed() -> ParsedFeed:
    return ParsedFeed(entries=(), bozo_reason=None, error="parser process died", title=None)


@dataclass(frozen=True, slots=True)
class _Failure:
    """An unexpected exception inside the poll loop, handed to the consuming thread."""

    exception: BaseException


class _PollRunner:
    def __init__(self, states: list[FeedState], now: datetime, max_in_flight: int, per_host: int,
                 config: HttpConfig, host_not_before: dict[str, datetime], executor: Executor) -> None:
        self.states = list(states)
        self.now = now
        self.config = config
        self.host_not_before = host_not_before
        self.executor = executor
        self._max_in_flight = max(1, max_in_flight)
        self._per_host = max(1, per_host)
        self._loop = asyncio.new_event_loop()
        # A thread-safe queue: the consumer may still be draining results after the loop has finished.
        self._queue: queue.Queue = queue.Queue(maxsize=self._max_in_flight)
        self._slots = asyncio.Semaphore(self._max_in_flight)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(self._per_host))
        self._main: asyncio.Task | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run_loop, name="feeds-poll", daemon=True)

    def results(self) -> Iterator[PollItem]:
        self._thread.start()
        self._ready.wait()
        for _ in self.states:
            item = self._queue.get()
            if isinstance(item, _Failure):
                raise item.exception
            yield item

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._main.cancel)
            while self._thread.is_alive():  # unblock producers waiting on a full queue, then let the loop end
                with contextlib.suppress(queue.Empty):
                    self._queue.get(timeout=0.05)
            self._thread.join()

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._main = self._loop.create_task(self._poll_all())
            self._ready.set()
            self._loop.run_until_complete(asyncio.gather(self._main, return_exceptions=True))
        finally:
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
            self._loop.close()

    async def _poll_all(self) -> None:
        try:
            async with make_client(self.config, self._max_in_flight) as self._client:
                await asyncio.gather(*(self._poll_one(state) for state in self.states))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # a bug of ours: surface it in the consumer, do not hang it
            await asyncio.to_thread(self._queue.put, _Failure(exc))

    async def _poll_one(self, state: FeedState) -> None:
        result = await self._fetch_politely(state)  # returns holding one slot
        try:
            parsed = await self._parse(result, state.key_mode) if result.body is not None else None
        finally:
            self._slots.release()
        await asyncio.to_thread(self._queue.put, (result, parsed))

    async def _fetch_politely(self, state: FeedState) -> FetchResult:
        # Host first, then a global slot: a host's backlog never occupies global slots while waiting.
        host = host_of(state.url)
        async with self._hosts[host]:
            await self._slots.acquire()
            try:
                not_before = self.host_not_before.get(host)
                if not_before and not_before > self.now:
                    return _deferred(state, host, not_before)
                result = await fetch(self._client, state, self.now, self.config)
            except BaseException:
                self._slots.release()
                raise
        if result.retry_after and result.outcome == "rate_limited":
            self.host_not_before[host] = max(result.retry_after, self.host_not_before.get(host, result.retry_after))
        return result

    async def _parse(self, result: FetchResult, key_mode: str) -> ParsedFeed:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, _parse_job, result.body, result.final_url,
                                              self.now, key_mode)
        except BrokenProcessPool:
            return _parser_crashed()


def _parse_job(body: bytes, base_url: str, now: datetime, key_mode: str) -> ParsedFeed:
    return parse_feed(body, base_url, now, key_mode=key_mode)


def _deferred(state: FeedState, host: str, not_before: datetime) -> FetchResult:
    return FetchResult(
        feed_id=state.feed_id, requested_url=state.url, final_url=state.url, permanent_url=None,
        status_code=None, outcome="rate_limited", body=None, etag=state.etag, last_modified=state.last_modified,
        body_hash=state.body_hash, error=f"deferred: {host} asked for a pause until {not_before.isoformat()}",
        retry_after=not_before, bytes=0, elapsed_ms=0.0,
    )
