"""next_state/is_due: backoff with deterministic jitter, Retry-After, gone, success resets."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from pipeline.feeds.models import FeedState, FetchResult, ParsedFeed
from pipeline.feeds.schedule import (MAX_BACKOFF, backoff_delay, host_blocks, host_of, is_due, next_state,
                                     origin_of, paused_hosts)
from tests.feeds.conftest import NOW

BASE = timedelta(minutes=15)
STATE = FeedState("feed-a", "https://news.example.org/rss")


def result(outcome: str, status: int | None = 200, **fields) -> FetchResult:
    values = dict(feed_id="feed-a", requested_url=STATE.url, final_url=STATE.url, permanent_url=None,
                  status_code=status, outcome=outcome, body=None, etag=None, last_modified=None,
                  body_hash=None, error=None, retry_after=None, bytes=0, elapsed_ms=1.0)
    return FetchResult(**(values | fields))


def test_new_feeds_are_due_and_gone_feeds_never():
    assert is_due(STATE, NOW)
    assert not is_due(replace(STATE, next_check_at=NOW + timedelta(seconds=1)), NOW)
    assert is_due(replace(STATE, next_check_at=NOW), NOW)
    assert not is_due(replace(STATE, gone=True), NOW)


def test_a_run_a_little_early_polls_every_feed_its_period_made_due_and_one_much_earlier_none():
    """A timer fires up to a minute or two off its period (RandomizedDelaySec, AccuracySec): each feed's phase puts
    its next check up to a tenth of the interval early, and a run earlier than that left the feed a whole interval."""
    polled = [next_state(replace(STATE, feed_id=f"feed-{n}"), result("ok"), NOW, BASE) for n in range(200)]
    a_minute_early = NOW + BASE - timedelta(seconds=80)
    assert all(is_due(state, a_minute_early, base_interval=BASE) for state in polled)
    assert not all(is_due(state, a_minute_early) for state in polled), "phases shorter than 80 s: some would wait"
    assert not any(is_due(state, NOW + BASE * 0.8, base_interval=BASE) for state in polled)


def test_whatever_the_schedule_a_backed_off_feed_is_due_and_a_gone_one_still_not():
    backed_off = replace(STATE, consecutive_failures=7, next_check_at=NOW + MAX_BACKOFF)
    assert is_due(backed_off, NOW, whatever_schedule=True)
    assert not is_due(replace(backed_off, gone=True, next_check_at=None), NOW, whatever_schedule=True)


def test_success_records_validators_and_schedules_within_the_spread():
    state = next_state(STATE, result("ok", etag='"e"', last_modified="lm", body_hash="h"), NOW, BASE)
    assert (state.etag, state.last_modified, state.body_hash) == ('"e"', "lm", "h")
    assert state.last_full_fetch_at == NOW and state.last_success_at == NOW and state.last_http_status == 200
    assert NOW + BASE * 0.9 <= state.next_check_at <= NOW + BASE


def test_a_scheduler_running_at_the_interval_polls_every_healthy_feed_at_every_run():
    # the README's cron line runs `ingest` every 15 minutes with the default 15m interval: a feed whose phase
    # put it after the interval was skipped at every other run, polled every 30 minutes
    for feed_id in (f"feed-{n}" for n in range(50)):
        state = next_state(replace(STATE, feed_id=feed_id), result("ok", feed_id=feed_id), NOW, BASE)
        assert is_due(state, NOW + BASE), feed_id


def test_not_modified_keeps_the_last_full_fetch_time():
    before = replace(STATE, last_full_fetch_at=NOW - timedelta(hours=3), body_hash="h", etag='"e"')
    state = next_state(before, result("not_modified", 304, etag='"e"'), NOW, BASE)
    assert (state.last_full_fetch_at, state.body_hash, state.last_http_status) == (NOW - timedelta(hours=3), "h", 304)


def test_failures_back_off_exponentially_with_deterministic_jitter():
    state, delays = STATE, []
    for _ in range(8):
        state = next_state(state, result("soft_fail", 500, error="HTTP 500"), NOW, BASE)
        delays.append(state.next_check_at - NOW)
    assert state.consecutive_failures == 8 and state.last_error == "HTTP 500" and state.last_http_status == 500
    assert delays[0] >= BASE * 2 * 0.8 and delays[1] > delays[0] and delays[-1] == MAX_BACKOFF
    assert delays == [backoff_delay("feed-a", n, BASE) for n in range(1, 9)]  # reproducible
    assert backoff_delay("feed-a", 3, BASE) != backoff_delay("feed-b", 3, BASE)  # but spread across feeds


def test_success_resets_failures():
    failing = replace(STATE, consecutive_failures=5, last_error="boom", next_check_at=NOW)
    state = next_state(failing, result("ok"), NOW, BASE)
    assert (state.consecutive_failures, state.last_error) == (0, None)


def test_retry_after_wins_over_a_shorter_backoff():
    later = NOW + timedelta(hours=6)
    state = next_state(STATE, result("rate_limited", 429, retry_after=later, error="HTTP 429"), NOW, BASE)
    assert state.next_check_at == later and state.consecutive_failures == 1
    assert state.pause_until == later and host_blocks([state], NOW) == {"news.example.org": later}


@pytest.mark.parametrize("status", [503, 429])
def test_a_retry_after_shorter_than_the_backoff_pauses_the_host_only_that_long(status):
    """The host's pause was rebuilt from the refused feed's next check, its backoff: "Retry-After: 2" paused every
    feed of the host for 30 minutes, then an hour, ... up to 24 h, while the refused feed kept refusing."""
    asked = NOW + timedelta(seconds=2)
    refused = next_state(STATE, result("rate_limited", status, retry_after=asked, error="HTTP 503"), NOW, BASE)
    assert refused.next_check_at >= NOW + BASE * 2 * 0.8 and refused.pause_until == asked  # it backs off alone
    assert host_blocks([refused], NOW) == {"news.example.org": asked}
    assert host_blocks([refused], NOW + timedelta(seconds=3)) == {}
    again = next_state(refused, result("rate_limited", status, retry_after=NOW + timedelta(seconds=5)), NOW, BASE)
    assert again.next_check_at > refused.next_check_at and again.pause_until == NOW + timedelta(seconds=5)


def test_a_429_naming_no_time_pauses_the_host_while_the_refused_feed_backs_off():
    refused = next_state(STATE, result("rate_limited", 429, error="HTTP 429"), NOW, BASE)
    assert refused.pause_until == refused.next_check_at >= NOW + BASE * 2 * 0.8
    assert host_blocks([refused], NOW) == {"news.example.org": refused.next_check_at}


def test_a_success_or_another_failure_ends_the_pause_a_feed_carried():
    paused = replace(STATE, last_outcome="rate_limited", pause_until=NOW + timedelta(hours=1))
    assert next_state(paused, result("ok"), NOW, BASE).pause_until is None
    assert next_state(paused, result("soft_fail", 503), NOW, BASE).pause_until is None


def test_deferred_by_host_pause_is_not_a_failure():
    later = NOW + timedelta(minutes=40)
    state = next_state(STATE, result("rate_limited", None, retry_after=later, error="deferred"), NOW, BASE)
    assert (state.next_check_at, state.consecutive_failures, state.last_error) == (later, 0, "deferred")
    assert state.pause_until == later  # the pause it was held back by, not one of its own asking: it holds no longer
    left = next_state(STATE, result("rate_limited", None, error="deferred: answered 429 earlier in this run"), NOW, BASE)
    assert (left.pause_until, left.next_check_at) == (None, NOW + BASE)  # the refused feed's backoff holds the host


def test_gone_is_visible_not_silently_disabled():
    state = next_state(STATE, result("gone", 410, error="HTTP 410 Gone"), NOW, BASE)
    assert state.gone and state.next_check_at is None
    assert (state.last_http_status, state.last_error, state.consecutive_failures) == (410, "HTTP 410 Gone", 1)
    assert not is_due(state, NOW + timedelta(days=365))


def test_permanent_redirect_updates_the_url_on_success():
    moved = result("ok", permanent_url="https://new.example.org/rss")
    assert next_state(STATE, moved, NOW, BASE).url == "https://new.example.org/rss"
    assert next_state(STATE, replace(moved, outcome="soft_fail"), NOW, BASE).url == STATE.url


def test_unparseable_body_is_a_failure_and_forgets_validators():
    parsed = ParsedFeed(entries=(), bozo_reason=None, error="rejected: DOCTYPE with an internal subset", title=None)
    state = next_state(STATE, result("ok", etag='"e"', body_hash="h"), NOW, BASE, parsed=parsed)
    assert state.consecutive_failures == 1 and state.last_error == parsed.error
    assert (state.etag, state.body_hash, state.last_success_at) == (None, None, None)


def test_host_blocks_from_stored_states():
    blocked = replace(STATE, last_http_status=429, last_outcome="rate_limited", next_check_at=NOW + timedelta(hours=3),
                      pause_until=NOW + timedelta(hours=1))
    other = FeedState("b", "https://other.example.org/rss", last_http_status=500, last_outcome="soft_fail",
                      next_check_at=NOW + timedelta(hours=1))
    expired = replace(blocked, feed_id="c", pause_until=NOW - timedelta(minutes=1))
    assert host_blocks([blocked, other, expired], NOW) == {"news.example.org": NOW + timedelta(hours=1)}


@pytest.mark.parametrize(("listed", "fetched", "paused"), [
    ("https://example.com/rss", None, {"example.com"}),
    ("https://example.com/rss", "https://www.example.com/rss", {"example.com", "www.example.com"}),  # one site
    ("https://www.example.com/rss", "https://example.com/feed", {"example.com", "www.example.com"}),
    ("https://feeds.service.test/x", "https://news.example.com/rss", {"news.example.com"}),  # sent on elsewhere
    ("https://example.com/rss", "https://notexample.com/rss", {"notexample.com"}),
    ("https://example.com:8443/rss", None, {"example.com:8443"}),  # the server on that port only
    ("https://example.com/rss", "https://www.example.com:8443/rss", {"example.com", "www.example.com:8443"}),
])
def test_a_refusal_pauses_the_host_that_answered_and_its_own_site(listed, fetched, paused):
    assert paused_hosts(listed, fetched) == paused


def test_stored_states_block_the_host_a_feed_was_sent_on_to():
    moved = replace(STATE, last_http_status=429, last_outcome="rate_limited", next_check_at=NOW + timedelta(hours=1),
                    pause_until=NOW + timedelta(hours=1), fetched_url="https://cdn.example.net/rss")
    assert host_blocks([moved], NOW) == {"cdn.example.net": NOW + timedelta(hours=1)}
    deferred = next_state(moved, result("rate_limited", None, retry_after=NOW + timedelta(hours=1)), NOW, BASE)
    assert deferred.fetched_url == "https://cdn.example.net/rss"  # nothing was asked: where it went stays known


def test_only_a_host_that_asked_for_a_pause_is_blocked():
    """A bare 503 is the feed's own failure (as in poll()): its backoff must not hold back the host's other feeds."""
    bare_503 = next_state(STATE, result("soft_fail", 503), NOW, BASE)
    asked = next_state(STATE, result("rate_limited", 503, retry_after=NOW + timedelta(hours=2)), NOW, BASE)
    assert host_blocks([bare_503], NOW) == {}
    assert host_blocks([asked], NOW) == {"news.example.org": NOW + timedelta(hours=2)}


def test_the_outcome_of_a_rejected_body_is_rejected():
    parsed = ParsedFeed(entries=(), bozo_reason=None, error="not a recognisable RSS/Atom feed", title=None)
    assert next_state(STATE, result("ok"), NOW, BASE, parsed=parsed).last_outcome == "rejected"
    assert next_state(STATE, result("ok"), NOW, BASE).last_outcome == "ok"


def test_host_of():
    assert host_of("https://News.Example.org:8443/a") == "news.example.org"
    assert host_of("file:///tmp/x.xml") == ""
    assert host_of("http://[::1/") == ""
    assert host_of("https://news.example.org./a") == "news.example.org"  # one host, written with the root's dot


@pytest.mark.parametrize(("url", "origin"), [
    ("https://News.Example.org:8443/a", "news.example.org:8443"),
    ("https://news.example.org:443/a", "news.example.org"),  # the scheme's own port, written or not: one key
    ("http://news.example.org/a", "news.example.org"),
    ("http://news.example.org:443/a", "news.example.org:443"),
    ("http://[::1]:8001/a", "[::1]:8001"),
    ("https://News.Example.org.:443/a", "news.example.org"),  # the root's dot names the same host: one pause
    ("file:///tmp/x.xml", ""),
    ("http://[::1/", ""),
])
def test_origin_of(url, origin):
    assert origin_of(url) == origin


@pytest.mark.parametrize(("next_check", "after"), [
    (None, None),  # never polled: first in line as it was
    (NOW - timedelta(hours=2), NOW - timedelta(hours=2)),  # due since: its place in line kept
    (NOW + timedelta(hours=20), NOW),  # due only by `ingest --now`: due at the next run, not in 20 h
])
def test_a_feed_the_fetch_budget_deferred_stays_due(next_check, after):
    backed_off = replace(STATE, consecutive_failures=4, next_check_at=next_check)
    deferred = next_state(backed_off, result("deferred", None, error="deferred: the run's fetch budget"), NOW, BASE)
    assert (deferred.next_check_at, deferred.consecutive_failures, deferred.last_outcome) == (after, 4, "deferred")
