"""Poll many feeds at once: bounded concurrency, ≤ per_host connections per host, parsing on all cores.

Fetching runs on an asyncio loop in a background thread, so that a slow consumer never makes an
in-flight fetch time out; parsing, which is CPU-bound, runs in a supervised process pool. Results
are yielded in completion order. One bad, slow or parser-crashing feed only ever costs its own slot.
"""
from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pipeline.feeds.http import Clock, HttpConfig, fetch, make_client
from pipeline.feeds.models import FeedState, FetchResult, ParsedFeed
from pipeline.feeds.parse_job import parse_job, started
from pipeline.feeds.schedule import host_of, origin_of, paused_hosts
from pipeline.pool import make_process_pool

PollItem = tuple[FetchResult, ParsedFeed | None]
PARSE_TIMEOUT_S = 60.0  # a 15 MB feed parses in ~4 s; beyond this a document is pathological


def poll(states: list[FeedState], *, now: datetime, max_in_flight: int = 32, per_host: int = 2,
         config: HttpConfig = HttpConfig(), host_not_before: dict[str, datetime] | None = None,
         executor: ProcessPoolExecutor | None = None, parse_timeout: float = PARSE_TIMEOUT_S,
         clock: Clock | None = None) -> Iterator[PollItem]:
    """Fetch and parse every state given (the caller filters with is_due); yield one item per state.

    `host_not_before` (origin -> time; an origin, `origin_of`, is a host name and its port) is read and updated in
    place: an origin that answers 429/503 with Retry-After is not contacted again in this poll before that time; its
    remaining feeds yield a "rate_limited" result with status_code None. So does an origin that answers 429 without
    Retry-After, for this poll only: it named no time, and later polls hold it until the refused feed, backing off, is
    due again (host_blocks). Other ports of its host name are other servers, left open; `per_host` counts them as one
    host's (the connection limit spares a machine).
    `executor` lets a long-running caller reuse one parser pool; if a parse hangs or kills a worker, that pool's
    workers are terminated and a private replacement serves the rest of the poll (check `executor` is still
    usable before reusing it).
    `now` is the run's start; `clock` the time as the run goes on (default: `run_clock(now)`): an answer's
    Retry-After counts from when it arrived, and a pause ends when the clock passes it.
    """
    parsers = _ParserSupervisor(executor, parse_timeout)
    fetcher = _PoliteFetcher(clock or run_clock(now), config, max_in_flight, per_host,
                             {} if host_not_before is None else host_not_before)

    async def poll_one(state: FeedState) -> PollItem:
        result = await fetcher.fetch(state)  # returns holding a slot: bounds bodies held in memory
        try:
            if result.body is None:
                return result, None
            return result, await parsers.parse(result.body, result.final_url, now, state.key_mode, result.charset)
        finally:
            fetcher.release_slot()

    try:
        yield from _BackgroundStream(states, poll_one, session=fetcher.session, window=None,
                                     queue_size=max_in_flight).results()
    finally:
        parsers.close()


def run_clock(start: datetime) -> Clock:
    """`start` plus the time elapsed since, on the monotonic clock: a run's times stay on the timeline its caller
    gave (a test's fixed start, a replayed run's), and a wall clock stepped during the run moves none of them."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def parse_bodies(bodies: Iterable[tuple[str, bytes, str]], *, now: datetime, key_mode: str = "guid",
                 executor: ProcessPoolExecutor | None = None,
                 parse_timeout: float = PARSE_TIMEOUT_S) -> Iterator[tuple[str, ParsedFeed]]:
    """Parse local (feed_id, body, base_url) documents in parallel, yielding (feed_id, ParsedFeed)
    as each completes. Bodies are pulled lazily: only a few per worker are held at a time."""
    parsers = _ParserSupervisor(executor, parse_timeout)

    async def parse_one(job: tuple[str, bytes, str]) -> tuple[str, ParsedFeed]:
        feed_id, body, base_url = job
        return feed_id, await parsers.parse(body, base_url, now, key_mode)

    try:
        yield from _BackgroundStream(bodies, parse_one, session=_no_session, window=4 * parsers.workers,
                                     queue_size=4 * parsers.workers).results()
    finally:
        parsers.close()


def _parse_failure(error: str) -> ParsedFeed:
    return ParsedFeed(entries=(), bozo_reason=None, error=error, title=None)


class _ParserSupervisor:
    """parse_feed on a process pool, with a time limit per document and recovery from dead workers.

    Jobs are limited to one per worker so that the time limit measures parsing, not queueing.
    """

    def __init__(self, executor: ProcessPoolExecutor | None, timeout: float) -> None:
        self._pool = executor or make_process_pool()
        self._owned = [] if executor else [self._pool]
        self.workers = getattr(self._pool, "_max_workers", None) or os.cpu_count() or 2
        self._timeout = timeout
        self._running: asyncio.Semaphore | None = None
        self._booting: asyncio.Future | None = None

    async def parse(self, body: bytes, base_url: str, now: datetime, key_mode: str,
                    http_charset: str | None = None) -> ParsedFeed:
        self._running = self._running or asyncio.Semaphore(self.workers)
        async with self._running:
            for _ in range(2):  # a job whose pool broke under it (maybe not its fault) gets one retry
                if self._booting:
                    await self._booting
                pool = self._pool
                try:
                    future = pool.submit(parse_job, body, base_url, now, key_mode, http_charset)
                    return await asyncio.wait_for(asyncio.wrap_future(future), self._timeout)
                except TimeoutError:
                    self._replace(pool, terminate=True)
                    return _parse_failure(f"parse took longer than {self._timeout:g} s")
                except BrokenProcessPool:
                    self._replace(pool, terminate=False)
            return _parse_failure("parser process died")

    def close(self) -> None:
        for pool in self._owned:
            pool.shutdown(cancel_futures=True)

    def _replace(self, broken: ProcessPoolExecutor, *, terminate: bool) -> None:
        if broken is not self._pool:
            return  # another job already replaced it
        if terminate:  # the only way to take a core back from a runaway parse
            for process in list(getattr(broken, "_processes", {}).values()):
                process.terminate()
        self._pool = make_process_pool(self.workers)
        self._owned.append(self._pool)
        # Start every worker now (one blocking job each forces a process each) so that the next
        # jobs' time limits do not include interpreter start-up, nor the parser's imports.
        starting = [asyncio.wrap_future(self._pool.submit(started)) for _ in range(self.workers)]
        self._booting = asyncio.gather(*starting, return_exceptions=True)


class _PoliteFetcher:
    """fetch() under a global in-flight limit, a per-host limit and host-wide Retry-After pauses."""

    def __init__(self, clock: Clock, config: HttpConfig, max_in_flight: int, per_host: int,
                 host_not_before: dict[str, datetime]) -> None:
        self._clock = clock
        self._config = config
        self._max_in_flight = max(1, max_in_flight)
        self._per_host = max(1, per_host)
        self._host_not_before = host_not_before
        self._client = None
        self._last_start = 0.0  # monotonic time after which no fetch starts: set when the session opens
        self._slots: asyncio.Semaphore | None = None
        self._hosts: defaultdict[str, asyncio.Semaphore] | None = None
        self._refused_hosts: set[str] = set()  # answered 429 without Retry-After during this poll

    @asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        self._last_start = time.monotonic() + self._config.fetch_budget
        self._slots = asyncio.Semaphore(self._max_in_flight)
        self._hosts = defaultdict(lambda: asyncio.Semaphore(self._per_host))
        async with make_client(self._config, self._max_in_flight) as self._client:
            yield

    async def fetch(self, state: FeedState) -> FetchResult:
        """Hosts first, then a global slot: a busy host's backlog never sits on global slots. The hosts are the feed's
        own and the one its last fetch was sent on to (`fetched_url`), whose connections it takes again: feeds of many
        listed hosts sent on to one (a feed service) keep to its limit. Taken in one order by every feed: no two wait
        on each other."""
        async with AsyncExitStack() as hosts:
            for host in sorted({host_of(state.url), host_of(state.fetched_url or state.url)}):
                await hosts.enter_async_context(self._hosts[host])
            await self._slots.acquire()
            try:
                if (pause := self._pause_for(state)) is not None:
                    return pause
                if time.monotonic() > self._last_start:  # a slow host's backlog must not hold the run past it
                    return _deferred(state, f"the run's fetch budget of {self._config.fetch_budget:g} s ran out "
                                            "before its turn: next run", None, outcome="deferred")
                result = await fetch(self._client, state, self._clock, self._config)
            except BaseException:
                self._slots.release()
                raise
        self._heed_refusal(result)
        return result

    def _pause_for(self, state: FeedState) -> FetchResult | None:
        """The deferral of a feed whose origin, or the origin its last fetch was sent on to, asked for a pause."""
        for host in sorted({origin_of(state.url), origin_of(state.fetched_url or state.url)}):
            not_before = self._host_not_before.get(host)
            if not_before and not_before > self._clock():
                until = not_before.isoformat(timespec="seconds")  # a pause counts from a real moment: no microseconds
                return _deferred(state, f"{host} asked for a pause until {until}", not_before)
            if host in self._refused_hosts:
                return _deferred(state, f"{host} answered 429 Too Many Requests earlier in this run", None)
        return None

    def _heed_refusal(self, result: FetchResult) -> None:
        """Pause the hosts (`paused_hosts`) of a 429, or a 503 with Retry-After, for the rest of the poll."""
        hosts = paused_hosts(result.requested_url, result.final_url)
        until = result.retry_after
        if result.outcome == "rate_limited" and until and until > self._clock():
            for host in hosts:
                self._host_not_before[host] = max(until, self._host_not_before.get(host, until))
        elif result.status_code == 429:  # no Retry-After, or one already past ("0", a skewed clock)
            self._refused_hosts |= hosts

    def release_slot(self) -> None:
        self._slots.release()


def _deferred(state: FeedState, why: str, not_before: datetime | None, outcome: str = "rate_limited") -> FetchResult:
    return FetchResult(
        feed_id=state.feed_id, requested_url=state.url, final_url=state.url, permanent_url=None,
        status_code=None, outcome=outcome, body=None, etag=state.etag, last_modified=state.last_modified,
        body_hash=state.body_hash, error=f"deferred: {why}", retry_after=not_before, bytes=None, elapsed_ms=None,
    )


@asynccontextmanager
async def _no_session() -> AsyncIterator[None]:
    yield


@dataclass(frozen=True, slots=True)
class _Failure:
    """An unexpected exception inside the loop, handed over to the consuming thread."""

    exception: BaseException


_DONE = object()


class _BackgroundStream:
    """Runs `work(item)` for every item on an event loop in a daemon thread; the consumer iterates
    over results in completion order. `window` bounds how many items are started ahead (None: all
    at once, for work that limits itself); the result queue bounds memory if the consumer is slow."""

    def __init__(self, items: Iterable[Any], work: Callable[[Any], Awaitable[Any]],
                 session: Callable[[], AbstractAsyncContextManager], window: int | None, queue_size: int) -> None:
        self._items = items
        self._work = work
        self._session = session
        self._window = window
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue = asyncio.Queue(maxsize=max(1, queue_size))
        self._main: asyncio.Task | None = None
        self._thread = threading.Thread(target=self._run_loop, name="feeds-stream", daemon=True)

    def results(self) -> Iterator[Any]:
        self._thread.start()
        try:
            while (item := self._next()) is not _DONE:
                if isinstance(item, _Failure):
                    raise item.exception
                yield item
        finally:
            self._stop()

    def _next(self) -> Any:
        future = asyncio.run_coroutine_threadsafe(self._get(), self._loop)
        try:
            while True:
                try:
                    return future.result(timeout=1.0)
                except TimeoutError:
                    if not self._thread.is_alive():
                        raise RuntimeError("feeds stream loop ended unexpectedly") from None
        except BaseException:
            future.cancel()  # left mid-wait (a stop signal): the pending get must end before the loop closes
            raise

    async def _get(self) -> Any:
        item = await self._queue.get()
        self._queue.task_done()
        return item

    def _stop(self) -> None:
        """Cancel the work if the consumer left early; in every case wait for the loop to close."""
        try:
            self._loop.call_soon_threadsafe(self._main.cancel)
        except RuntimeError:  # the loop has already closed: everything was handed over
            pass
        self._thread.join()

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._main = self._loop.create_task(self._run_all())
            self._loop.run_until_complete(asyncio.gather(self._main, return_exceptions=True))
        finally:
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
            self._loop.close()

    async def _run_all(self) -> None:
        tasks: set[asyncio.Task] = set()
        try:
            async with self._session():
                for item in self._items:
                    if self._window is not None and len(tasks) >= self._window:
                        done, tasks = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                        for task in done:
                            task.result()  # re-raise a bug here rather than silently lose an item
                    tasks.add(asyncio.create_task(self._one(item)))
                await asyncio.gather(*tasks)
            await self._hand_over(_DONE)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            raise
        except BaseException as exc:  # a bug of ours: surface it in the consumer rather than hang it
            for task in tasks:
                task.cancel()
            await self._hand_over(_Failure(exc))

    async def _hand_over(self, last: object) -> None:
        """Queue the last item and keep the loop alive until the consumer has taken everything."""
        await self._queue.put(last)
        await self._queue.join()

    async def _one(self, item: Any) -> None:
        await self._queue.put(await self._work(item))
