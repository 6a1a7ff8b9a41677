"""When to poll each feed next. Pure functions: no clock, no I/O, deterministic jitter."""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import SplitResult, urlsplit

from pipeline.feeds.addresses import is_default_port
from pipeline.feeds.models import SUCCESS_OUTCOMES, FeedState, FetchResult, ParsedFeed

MAX_BACKOFF = timedelta(hours=24)
# Each feed keeps a fixed phase within the last 10 % of the interval, spreading the herd; never after the interval:
# a cron job or `--every` loop that runs at the interval itself then polls every healthy feed at every run.
SUCCESS_SPREAD = 0.10
FAILURE_JITTER = 0.20  # failure delays vary by ±20 % so feeds of one host do not retry in lockstep
# A run that took a feed up later than now (beyond a clock's drift and a run's length) ran under a clock that has since
# gone back (a VM booted hours ahead, before NTP): the schedule it made would idle every run until that time came again.
CLOCK_TOLERANCE = timedelta(minutes=5)
# No pause a server can ask for is longer: a Retry-After is capped at 24 h (http.MAX_RETRY_AFTER), and a 429 without
# one pauses for the feed's backoff, at most MAX_BACKOFF. A pause_until further ahead was counted by a wrong clock.
# v_feed_health (migration 0053) writes MAX_PAUSE + CLOCK_TOLERANCE as the literal '24 hours 5 minutes', so that
# `feeds list` calls paused what host_blocks holds: tests/test_feed_health.py fails when the two part.
MAX_PAUSE = MAX_BACKOFF


def host_of(url: str) -> str:
    """The key of the per-host connection limit: the URL's lower-case host name without the root's dot ("" for file
    URLs; "example.com." is "example.com", as canonical_url reads it). Ports apart: the limit spares a machine, and the
    services on two ports of one host name share it."""
    try:
        return _host_name(urlsplit(url))
    except ValueError:
        return ""


def _host_name(parts: SplitResult) -> str:
    return (parts.hostname or "").lower().rstrip(".")


def origin_of(url: str) -> str:
    """The key of a host's pause: its host name, with the port when not the scheme's own ("feeds.example.com:8443").
    A 429 or a Retry-After speaks for the server that answered: another port of its host name is another server."""
    try:
        parts = urlsplit(url)
        host, port = _host_name(parts), parts.port
    except ValueError:
        return ""
    if is_default_port(parts.scheme, port):
        return host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def paused_hosts(listed_url: str, fetched_url: str | None) -> set[str]:
    """The origins (`origin_of`) a refusal (429, or 503 with Retry-After) pauses: the one that answered and, when the
    feed was sent on within one site (example.com -> www.example.com), the one it is listed at, whose other feeds go
    there too. A feed sent on to another site (a feed service, a proxy) leaves the origin it is listed at open."""
    answered_url = fetched_url or listed_url
    listed, answered = host_of(listed_url), host_of(answered_url)
    same_site = listed == answered or listed.endswith("." + answered) or answered.endswith("." + listed)
    return {origin_of(listed_url), origin_of(answered_url)} if same_site else {origin_of(answered_url)}


def is_due(state: FeedState, now: datetime, *, whatever_schedule: bool = False,
           base_interval: timedelta = timedelta(0)) -> bool:
    """Gone feeds are never due; feeds never polled are due at once; others when their next check falls before `now`
    or within SUCCESS_SPREAD of `base_interval` after it. A run starts a little early or late (a timer's accuracy and
    random delay, the time to start), and a feed whose phase is shorter than how early a run came would wait a whole
    interval more: the README's timer, with a minute of random delay, skipped about one poll in ten.
    `whatever_schedule` (`ingest --now`) makes every other feed due: after an outage of our own network every feed
    has backed off, up to 24 h, for failures that were not theirs. A feed last taken up in the future
    (`scheduled_by_a_later_clock`) is due too. A host's pause (Retry-After) is not the schedule: poll() keeps it
    (host_not_before)."""
    if state.gone:
        return False
    return whatever_schedule or state.next_check_at is None or scheduled_by_a_later_clock(state, now) or \
        state.next_check_at <= now + base_interval * SUCCESS_SPREAD


def scheduled_by_a_later_clock(state: FeedState, now: datetime) -> bool:
    """Whether a run took the feed up more than CLOCK_TOLERANCE after `now`: its next check counts from a time the
    clock has not reached, so it is no schedule at all."""
    return state.last_checked_at is not None and state.last_checked_at > now + CLOCK_TOLERANCE


def next_state(state: FeedState, result: FetchResult, now: datetime, base_interval: timedelta,
               parsed: ParsedFeed | None = None) -> FeedState:
    """The state after `result` (and, for fetched bodies, its parse).

    A body that could not be parsed (rejected or not a feed) counts as a failure and forgets the
    validators, so that the next poll refetches and re-checks it instead of trusting a 304.
    """
    fetched_url = state.fetched_url if not_asked(result) else result.final_url  # deferred: nothing was asked
    after = _next_state(state, result, now, base_interval, parsed)
    return replace(after, last_outcome=fetch_outcome(result, parsed), fetched_url=fetched_url,
                   pause_until=_pause_asked(result, after))


def _pause_asked(result: FetchResult, after: FeedState) -> datetime | None:
    """Until when `result` pauses the feed's origins (`paused_hosts`): what the server asked, its Retry-After (or,
    for a feed not asked, the pause it was held back by); a 429 naming no time pauses them while the refused feed
    backs off. Never the refused feed's own backoff otherwise: `Retry-After: 2` on one feed must not silence the
    other feeds of its server for that feed's 30 minutes to 24 hours."""
    if result.outcome != "rate_limited":
        return None
    if result.retry_after is not None:
        return result.retry_after
    return after.next_check_at if result.status_code == 429 else None


def fetch_outcome(result: FetchResult, parsed: ParsedFeed | None) -> str:
    """What a fetch came to: its HTTP outcome, or "rejected" when the body it brought is not a readable feed."""
    return "rejected" if parsed is not None and parsed.error else result.outcome


def _next_state(state: FeedState, result: FetchResult, now: datetime, base_interval: timedelta,
                parsed: ParsedFeed | None) -> FeedState:
    if result.outcome in SUCCESS_OUTCOMES and parsed is not None and parsed.error:
        # Worded as the fetch log and the ingest's log line word it: its outcome, rejected, says the parse refused it
        return _failed(state, result, now, base_interval, error=parsed.error, forget_body=True)
    if result.outcome in SUCCESS_OUTCOMES:
        return _succeeded(state, result, now, base_interval)
    if result.outcome == "deferred":  # the run's fetch budget ran out first: still due, nobody's fault
        return replace(state, last_error=result.error, next_check_at=_still_due(state, now))
    if not_asked(result):  # by us, because the host asked for a pause: not the feed's fault
        return replace(state, last_error=result.error, next_check_at=result.retry_after or now + base_interval)
    if result.outcome == "gone":
        return replace(_failed(state, result, now, base_interval, error=result.error), gone=True, next_check_at=None)
    return _failed(state, result, now, base_interval, error=result.error)


def _still_due(state: FeedState, now: datetime) -> datetime | None:
    """The next check of a feed the run meant to poll and did not ask: as it was (the longest waiting go first next
    run), or, when only `ingest --now` made it due (a backoff still ahead), the run's start, so that the next run
    polls it without --now instead of leaving it to the backoff --now was asked to override."""
    if state.next_check_at is None or state.next_check_at <= now:
        return state.next_check_at
    return now


def host_blocks(states: Iterable[FeedState], now: datetime) -> dict[str, datetime]:
    """origin -> not-before time, rebuilt from stored states (a feed whose pause is still ahead blocks its
    `paused_hosts`, as poll() does).

    Seed poll(host_not_before=...) with this so that a pause asked for in one run holds in the next. Only a
    host that asked for a pause counts, as in poll(): a 429 or a 503 with Retry-After (`pause_until`). A bare
    503 is one feed's failure (soft_fail), as is the backoff of a feed refused with a Retry-After shorter than it:
    up to 24 h, it must not silence the host's other feeds. A pause ending beyond MAX_PAUSE from `now` was counted
    by a clock since gone back, and holds nothing.
    """
    blocks: dict[str, datetime] = {}
    for state in states:
        if state.pause_until and now < state.pause_until <= now + MAX_PAUSE + CLOCK_TOLERANCE:
            for host in paused_hosts(state.url, state.fetched_url):
                blocks[host] = max(blocks.get(host, state.pause_until), state.pause_until)
    return blocks


def backoff_delay(feed_id: str, failures: int, base_interval: timedelta) -> timedelta:
    """base × 2^failures, ±20 % jitter seeded by (feed, failure count), capped at 24 h."""
    exponential = base_interval * (2 ** min(failures, 20))
    jitter = 1 + FAILURE_JITTER * (2 * random.Random(f"{feed_id}:{failures}").random() - 1)
    return min(exponential * jitter, MAX_BACKOFF)


def _succeeded(state: FeedState, result: FetchResult, now: datetime, base_interval: timedelta) -> FeedState:
    refetched = result.outcome != "not_modified"
    phase = SUCCESS_SPREAD * random.Random(state.feed_id).random()
    return replace(
        state,
        url=result.permanent_url or state.url,
        etag=result.etag,
        last_modified=result.last_modified,
        body_hash=result.body_hash or state.body_hash,
        last_full_fetch_at=now if refetched else state.last_full_fetch_at,
        last_http_status=result.status_code,
        last_error=None,
        consecutive_failures=0,
        last_success_at=now,
        next_check_at=now + base_interval * (1 - phase),
    )


def _failed(state: FeedState, result: FetchResult, now: datetime, base_interval: timedelta,
            *, error: str | None, forget_body: bool = False) -> FeedState:
    failures = state.consecutive_failures + 1
    next_check = now + backoff_delay(state.feed_id, failures, base_interval)
    if result.retry_after and result.retry_after > next_check:
        next_check = result.retry_after
    validators = {"etag": None, "last_modified": None, "body_hash": None} if forget_body else {}
    return replace(state, last_http_status=result.status_code, last_error=error or result.outcome,
                   consecutive_failures=failures, next_check_at=next_check, **validators)


def not_asked(result: FetchResult) -> bool:
    """poll() did not ask, so the feed neither failed nor was polled: the host had asked for a pause (no status,
    outcome rate_limited), or the run's fetch budget ran out (deferred)."""
    return result.outcome == "deferred" or (result.outcome == "rate_limited" and result.status_code is None)
