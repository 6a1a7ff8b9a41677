"""fetch() against a real loopback server: statuses, validators, redirects, caps and timeouts."""
from __future__ import annotations

import asyncio
import gzip
import socket
import time
import zlib
from dataclasses import FrozenInstanceError, replace
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from pipeline.feeds.http import USER_AGENT, HttpConfig, fetch, make_client, parse_retry_after
from pipeline.feeds.models import FeedState
from pipeline.feeds.parse import parse_feed
from tests.feeds.conftest import NOW, item, rss, still_at_now

# Timeouts short enough to fire within a test, for the tests of timeouts; every other fetch is given time (PATIENT):
# on CI's two loaded cores a loopback answer has taken over a second.
FAST = HttpConfig(connect_timeout=1, read_timeout=1, total_timeout=2, max_body_bytes=64_000,
                  max_decoded_bytes=256_000, trust_env=False)
PATIENT = replace(FAST, connect_timeout=15, read_timeout=15, total_timeout=30)
BODY = rss(item("g1", "https://example.org/1", "One"))


def fetch_one(url: str, config: HttpConfig = PATIENT, **state_fields):
    async def run():
        async with make_client(config, 4) as client:
            return await fetch(client, FeedState("f", url, **state_fields), still_at_now, config)
    return asyncio.run(run())


def test_ok_returns_body_hash_and_validators(server):
    url = server.static("/feed", 200, BODY, {"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"})
    result = fetch_one(url)
    assert (result.outcome, result.status_code, result.body) == ("ok", 200, BODY)
    assert (result.etag, result.last_modified) == ('"v1"', "Wed, 25 Nov 2026 10:00:00 GMT")
    assert len(result.body_hash) == 64 and result.bytes == len(BODY) and result.error is None


@pytest.mark.parametrize(("content_type", "charset"), [("application/rss+xml; charset=KOI8-R", "koi8-r"),
                                                     ("application/rss+xml", None)])
def test_the_answers_charset_goes_to_the_parser(server, content_type, charset):
    assert fetch_one(server.static("/feed", 200, BODY, {"Content-Type": content_type})).charset == charset


def test_explicit_user_agent(server):
    fetch_one(server.static("/feed", 200, BODY))
    assert server.headers_for("/feed")[0]["User-Agent"] == USER_AGENT


def test_304_with_etag_sends_if_none_match_only(server):
    url = server.static("/feed", 304)
    result = fetch_one(url, etag='"v1"', last_modified="Wed, 25 Nov 2026 10:00:00 GMT",
                       last_full_fetch_at=NOW - timedelta(hours=1), body_hash="h")
    headers = server.headers_for("/feed")[0]
    assert headers["If-None-Match"] == '"v1"' and "If-Modified-Since" not in headers
    assert (result.outcome, result.status_code, result.etag, result.body, result.body_hash) == \
        ("not_modified", 304, '"v1"', None, "h")


def test_304_with_last_modified(server):
    url = server.static("/feed", 304)
    result = fetch_one(url, last_modified="Wed, 25 Nov 2026 10:00:00 GMT", last_full_fetch_at=NOW - timedelta(hours=1))
    assert server.headers_for("/feed")[0]["If-Modified-Since"] == "Wed, 25 Nov 2026 10:00:00 GMT"
    assert result.outcome == "not_modified"


def test_full_refetch_forced_daily(server):
    url = server.static("/feed", 200, BODY)
    stale = fetch_one(url, etag='"v1"', last_full_fetch_at=NOW - timedelta(hours=25))
    never = fetch_one(url, etag='"v1"', last_full_fetch_at=None)
    # both reached the server: a fetch that failed before its request left nothing for the check below to see
    assert [(result.outcome, result.body) for result in (stale, never)] == [("ok", BODY)] * 2
    assert len(server.headers_for("/feed")) == 2
    assert all("If-None-Match" not in headers for headers in server.headers_for("/feed"))


def test_unchanged_body_is_not_returned_for_parsing(server):
    url = server.static("/feed", 200, BODY)
    first = fetch_one(url)
    again = fetch_one(url, body_hash=first.body_hash)
    assert (again.outcome, again.body, again.body_hash) == ("unchanged", None, first.body_hash)


@pytest.mark.parametrize(("status", "outcome"), [(404, "soft_fail"), (500, "soft_fail"), (502, "soft_fail"),
                                                 (503, "soft_fail"), (403, "soft_fail"), (410, "gone"),
                                                 (429, "rate_limited")])
def test_error_statuses(server, status, outcome):
    result = fetch_one(server.static("/feed", status, b"nope"))
    assert (result.outcome, result.status_code, result.body) == (outcome, status, None)
    assert result.error.startswith(f"HTTP {status}")


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds(server, status):
    result = fetch_one(server.static("/feed", status, headers={"Retry-After": "120"}))
    assert (result.outcome, result.retry_after) == ("rate_limited", NOW + timedelta(seconds=120))


def test_retry_after_http_date(server):
    when = NOW + timedelta(hours=2)
    result = fetch_one(server.static("/feed", 503, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    assert (result.outcome, result.retry_after) == ("rate_limited", when)


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("skew", [timedelta(hours=-3), timedelta(hours=3)], ids=["server behind", "server ahead"])
def test_a_retry_after_date_is_read_on_the_servers_own_clock(server, status, skew):
    """It was read on ours: a server 3 h behind asking for two minutes got no pause at all (its date already past
    here), one 3 h ahead a pause of 3 h."""
    server_now = NOW + skew
    url = server.static("/feed", status, headers={"Date": http_date(server_now),
                                                  "Retry-After": http_date(server_now + timedelta(seconds=120))})
    result = fetch_one(url)
    assert (result.outcome, result.retry_after) == ("rate_limited", NOW + timedelta(seconds=120))


@pytest.mark.parametrize("dates", ["not a date", "Tue, 01 Dec 2026 12:00:00 +9999", "",
                                   [http_date(NOW - timedelta(hours=3)), http_date(NOW + timedelta(hours=3))]],
                         ids=["garbage", "a 99-hour zone", "empty", "two Dates"])
def test_without_one_readable_date_a_retry_after_date_is_read_on_our_clock(server, dates):
    url = server.static("/feed", 503, headers={"Date": dates, "Retry-After": http_date(NOW + timedelta(hours=2))})
    result = fetch_one(url)
    assert (result.outcome, result.retry_after) == ("rate_limited", NOW + timedelta(hours=2))


@pytest.mark.parametrize(("value", "dates", "expected"), [
    (http_date(NOW - timedelta(hours=1)), [http_date(NOW - timedelta(hours=3))], NOW + timedelta(hours=2)),
    (http_date(NOW + timedelta(hours=1)), [http_date(NOW + timedelta(hours=3))], NOW),  # behind its Date: no pause
    (http_date(NOW), [http_date(NOW)], NOW),
    ("120", [http_date(NOW + timedelta(hours=3))], NOW + timedelta(seconds=120)),  # delta-seconds need no clock
    (http_date(NOW), ["Mon, 01 Jan 1900 00:00:00 GMT"], NOW + timedelta(hours=24)),  # far behind: capped
    (http_date(NOW), ["Fri, 31 Dec 9999 23:59:59 -2359"], NOW),  # far ahead: no pause, never a negative one
    (http_date(NOW + timedelta(hours=2)), ["Sat, 28 Nov 2026 11:00:00 -0000"], NOW + timedelta(hours=3)),  # UTC
    (http_date(NOW + timedelta(hours=2)), ["Sat, 28 Nov 2026 25:61:00 GMT"], NOW + timedelta(hours=2)),  # unreadable
    (http_date(NOW + timedelta(hours=2)), [http_date(NOW - timedelta(hours=3)), http_date(NOW)],
     NOW + timedelta(hours=2)),  # two Dates: which is its clock?
    (http_date(NOW + timedelta(hours=2)), [], NOW + timedelta(hours=2)),
    ("soon", [http_date(NOW)], None),
])
def test_parse_retry_after_against_the_servers_date(value, dates, expected):
    assert parse_retry_after(value, NOW, dates) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("999999", NOW + timedelta(hours=24)),  # capped
    (format_datetime(NOW + timedelta(days=9), usegmt=True), NOW + timedelta(hours=24)),
    (format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW),  # in the past: now
    ("0", NOW), ("soon", None), ("", None), (None, None),
    ("9" * 30, NOW + timedelta(hours=24)),  # past what timedelta holds: capped too, not read as no Retry-After
    ("9" * 4301, NOW + timedelta(hours=24)),  # past what int() reads
])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize("value", ["0", format_datetime(NOW - timedelta(hours=1), usegmt=True)])
def test_a_503_whose_retry_after_has_passed_asks_for_no_pause(server, value):
    """It paused every feed of the host for the failing feed's backoff, up to a day, with "asked for a pause"."""
    assert fetch_one(server.static("/feed", 503, headers={"Retry-After": value})).outcome == "soft_fail"


@pytest.mark.parametrize(("status", "outcome"), [(301, "gone"), (308, "gone"), (302, "soft_fail"), (307, "soft_fail")])
def test_a_410_is_the_listed_feeds_only_when_no_redirect_on_the_way_was_temporary(server, status, outcome):
    """A 410 at a temporary redirect's target marked the listed feed gone, never polled again."""
    server.static("/edge/feed.xml", 410)
    assert fetch_one(redirect(server, "/feed", status, "/edge/feed.xml")).outcome == outcome


def test_a_validator_that_is_not_ascii_is_neither_kept_nor_sent(server):
    """httpx refuses to send "café": with it kept, every conditional poll failed before it was sent, until the
    daily full fetch kept it again."""
    url = server.static("/feed", 200, BODY, {"ETag": '"café"', "Last-Modified": "Mo, 06 Jän 2025 10:00:00 GMT"})
    first = fetch_one(url)
    assert (first.outcome, first.etag, first.last_modified) == ("ok", None, None)
    stored_before = fetch_one(url, etag='"café"', last_modified="Mo, 06 Jän 2025 10:00:00 GMT",
                              last_full_fetch_at=NOW - timedelta(hours=1))
    assert (stored_before.outcome, stored_before.error) == ("ok", None)


def redirect(server, path: str, status: int, target: str) -> str:
    return server.static(path, status, headers={"Location": target})


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_updates_url(server, status):
    final = server.static("/new", 200, BODY)
    result = fetch_one(redirect(server, "/old", status, "/new"))
    assert (result.outcome, result.final_url, result.permanent_url) == ("ok", final, final)


@pytest.mark.parametrize("status", [302, 307, 303])
def test_temporary_redirect_keeps_url(server, status):
    final = server.static("/new", 200, BODY)
    result = fetch_one(redirect(server, "/old", status, final))
    assert (result.outcome, result.final_url, result.permanent_url) == ("ok", final, None)


def test_all_permanent_chain_updates_url(server):
    final = server.static("/c", 200, BODY)
    redirect(server, "/b", 308, "/c")
    result = fetch_one(redirect(server, "/a", 301, "/b"))
    assert result.permanent_url == final


def test_mixed_chain_does_not_update_url(server):
    final = server.static("/c", 200, BODY)
    redirect(server, "/b", 302, "/c")
    result = fetch_one(redirect(server, "/a", 301, "/b"))
    assert (result.final_url, result.permanent_url) == (final, None)


@pytest.mark.parametrize("status", [302, 301])
def test_validators_go_only_to_the_server_that_gave_them(server, other_server, status):
    """A redirect to another origin gets no If-None-Match / If-Modified-Since: that server's 304 to another's validator
    would be trusted. Its own validators are kept only when the next poll asks it first (a permanent move)."""
    elsewhere = other_server.route("/moved", lambda handler: handler.reply(
        304 if "If-None-Match" in handler.headers or "If-Modified-Since" in handler.headers else 200,
        BODY, {"ETag": '"theirs"', "Last-Modified": "Thu, 26 Nov 2026 10:00:00 GMT"}))
    result = fetch_one(redirect(server, "/feed", status, elsewhere), etag='"ours"', body_hash="h",
                       last_modified="Wed, 25 Nov 2026 10:00:00 GMT", last_full_fetch_at=NOW - timedelta(hours=1))
    assert server.headers_for("/feed")[0]["If-None-Match"] == '"ours"'
    assert not {"If-None-Match", "If-Modified-Since"} & set(other_server.headers_for("/moved")[0])
    assert (result.outcome, result.body) == ("ok", BODY)
    moved = status == 301
    assert (result.etag, result.last_modified) == (('"theirs"', "Thu, 26 Nov 2026 10:00:00 GMT") if moved else (None, None))


def test_validators_follow_a_redirect_on_the_same_server(server):
    final = server.static("/new", 304)
    result = fetch_one(redirect(server, "/old", 302, final), etag='"v1"', body_hash="h",
                       last_full_fetch_at=NOW - timedelta(hours=1))
    assert server.headers_for("/new")[0]["If-None-Match"] == '"v1"'
    assert (result.outcome, result.etag) == ("not_modified", '"v1"')


def test_redirect_loop_is_capped(server):
    redirect(server, "/b", 301, "/a")
    url = redirect(server, "/a", 301, "/b")
    result = fetch_one(url)
    assert (result.outcome, result.body, result.error) == ("error", None, f"redirect loop at {url}")
    assert [path for path, _ in server.requests] == ["/a", "/b"]


def cookie_wall(server, path: str) -> str:
    """BODY to a request carrying its consent cookie; to any other, a redirect to itself that sets the cookie."""
    def answer(handler):
        if "consent=yes" in handler.headers.get("Cookie", ""):
            handler.reply(200, BODY)
        else:
            handler.reply(302, headers={"Location": path, "Set-Cookie": f"consent=yes; Path={path}"})
    return server.route(path, answer)


def test_a_cookie_wall_is_followed(server):
    """A redirect to the same URL that sets a cookie was refused as a loop, though the second request carries the
    cookie and gets the feed (as in a browser, or curl -L -b)."""
    url = cookie_wall(server, "/feed")
    result = fetch_one(url)
    assert (result.outcome, result.error, result.final_url, result.permanent_url) == ("ok", None, url, None)
    assert [article.title for article in parse_feed(result.body, url, NOW).entries] == ["One"]
    assert [headers.get("Cookie") for headers in server.headers_for("/feed")] == [None, "consent=yes"]


@pytest.mark.parametrize("cookie", [{}, {"Set-Cookie": "consent=yes; Path=/elsewhere"}],
                         ids=["no cookie", "a cookie not sent there"])
def test_a_redirect_to_the_same_url_without_a_new_cookie_to_send_is_a_loop(server, cookie):
    """The request would repeat itself: with no cookie, or one whose Path keeps it from the URL."""
    url = server.static("/feed", 302, headers={"Location": "/feed"} | cookie)
    result = fetch_one(url)
    assert (result.outcome, result.body, result.error) == ("error", None, f"redirect loop at {url}")
    assert len(server.requests) == 1


def test_a_loop_that_sets_one_cookie_is_refused_at_its_next_turn(server):
    """A's second request carries the cookie its first did not, and differs; B's second would repeat its first."""
    redirect(server, "/b", 302, "/a")
    url = server.static("/a", 302, headers={"Location": "/b", "Set-Cookie": "consent=yes; Path=/"})
    result = fetch_one(url)
    assert (result.outcome, result.error) == ("error", f"redirect loop at {server.url('/b')}")
    assert [(path, headers.get("Cookie")) for path, headers in server.requests] == \
        [("/a", None), ("/b", "consent=yes"), ("/a", "consent=yes")]


def test_a_new_cookie_at_every_redirect_to_the_same_url_stops_at_the_redirect_cap(server):
    turns = iter(range(100))
    server.route("/feed", lambda handler: handler.reply(
        302, headers={"Location": "/feed", "Set-Cookie": f"turn={next(turns)}; Path=/"}))
    result = fetch_one(server.url("/feed"))
    assert (result.outcome, result.body, result.error) == ("error", None, "more than 5 redirects")
    cookies_sent = [headers.get("Cookie") for headers in server.headers_for("/feed")]
    assert cookies_sent == [None, "turn=0", "turn=1", "turn=2", "turn=3", "turn=4"]


def test_too_many_redirects(server):
    for hop in range(10):
        redirect(server, f"/r{hop}", 302, f"/r{hop + 1}")
    result = fetch_one(server.url("/r0"))
    assert result.outcome == "error" and "more than 5 redirects" in result.error
    assert len(server.requests) == 6


def test_redirect_to_file_url_is_refused(server):
    result = fetch_one(redirect(server, "/a", 301, "file:///etc/passwd"))
    assert result.outcome == "rejected" and "non-HTTP" in result.error


def test_redirect_without_location(server):
    assert fetch_one(server.static("/a", 301)).outcome == "soft_fail"


def test_body_cap_by_content_length(server):
    result = fetch_one(server.static("/big", 200, b"x" * (FAST.max_body_bytes + 1)))
    assert result.outcome == "rejected" and "cap" in result.error and result.body is None
    assert result.status_code == 200  # the server's answer, refused or not (it was None)
    # refused on the announced size, before a byte of it: else a 1 GB feed is downloaded up to the cap first
    assert result.bytes == 0 and "body of 64001 bytes" in result.error


def stream_without_length(server, path: str, chunks, headers: dict[str, str] | None = None,
                          pause: float = 0.0) -> str:
    def send(handler):
        handler.send_response(200)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for chunk in chunks:
                handler.wfile.write(chunk)
                handler.wfile.flush()
                time.sleep(pause)
        except OSError:  # the client hung up, as it should
            pass
        handler.close_connection = True
    return server.route(path, send)


def test_body_cap_while_streaming(server):
    url = stream_without_length(server, "/stream", [b"x" * 16_000] * 10)
    result = fetch_one(url)
    assert (result.outcome, result.status_code) == ("rejected", 200) and "cap" in result.error
    assert result.bytes <= FAST.max_body_bytes + 65_536  # stops within one socket read of the cap


@pytest.mark.parametrize(("size", "outcome"), [(64_000, "ok"), (64_001, "rejected")])
def test_a_streamed_body_is_refused_one_byte_past_the_cap(server, size, outcome):
    """FAST's cap is 64,000 bytes: a body as long is a feed, one byte more is refused, whether or not the server
    sends a Content-Length."""
    result = fetch_one(stream_without_length(server, "/stream", [b"x" * size]))
    assert result.outcome == outcome and result.bytes == size


def test_gzip_body_is_decoded(server):
    result = fetch_one(server.static("/gz", 200, gzip.compress(BODY), {"Content-Encoding": "gzip"}))
    assert (result.outcome, result.body) == ("ok", BODY)


def test_deflate_body_is_decoded(server):
    result = fetch_one(server.static("/df", 200, zlib.compress(BODY), {"Content-Encoding": "deflate"}))
    assert (result.outcome, result.body) == ("ok", BODY)


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def test_raw_deflate_body_is_decoded(server):
    """Many servers (IIS among them) send raw RFC 1951 data for Content-Encoding: deflate, without the zlib wrapper."""
    result = fetch_one(server.static("/raw", 200, raw_deflate(BODY), {"Content-Encoding": "deflate"}))
    assert (result.outcome, result.body) == ("ok", BODY)


@pytest.mark.parametrize("chunk_size", [1, 7, 1 << 20], ids=["byte by byte", "members split across reads", "whole"])
def test_multi_member_gzip_is_decoded_whole(server, chunk_size):
    half = len(BODY) // 2
    body = gzip.compress(BODY[:half]) + gzip.compress(BODY[half:]) + b"\0" * 3  # padding after the last member
    chunks = [body[start:start + chunk_size] for start in range(0, len(body), chunk_size)]
    result = fetch_one(stream_without_length(server, "/multi", chunks, {"Content-Encoding": "gzip"}))
    assert (result.outcome, result.body) == ("ok", BODY)


@pytest.mark.parametrize(("encoding", "body"), [
    ("gzip", gzip.compress(BODY)[:-4]),  # missing part of its trailer
    ("gzip", gzip.compress(BODY)[:len(gzip.compress(BODY)) // 2]),
    ("gzip", gzip.compress(BODY[:20]) + gzip.compress(BODY)[:30]),  # the second member cut
    (None, gzip.compress(BODY)[:-10]),  # sniffed
    ("deflate", zlib.compress(BODY)[:-10]),
    ("deflate", raw_deflate(BODY)[:-10]),
    ("gzip", b"\x1f"),
], ids=["gzip trailer", "gzip half", "second member", "sniffed gzip", "zlib", "raw deflate", "one byte"])
def test_a_cut_compressed_body_is_an_error_not_a_shorter_feed(server, encoding, body):
    headers = {"Content-Encoding": encoding} if encoding else {}
    result = fetch_one(server.static("/cut", 200, body, headers))
    assert (result.outcome, result.body) == ("error", None) and "cut short" in result.error


def test_a_one_byte_plain_body_is_kept(server):
    assert fetch_one(server.static("/one", 200, b"<")).body == b"<"


def test_gzip_without_header_is_sniffed(server):
    assert fetch_one(server.static("/gz", 200, gzip.compress(BODY))).body == BODY


def test_gzip_bomb_is_capped_after_decompression(server):
    bomb = gzip.compress(b"\0" * (50 << 20))  # ~50 KB on the wire, 50 MB decoded
    assert len(bomb) < FAST.max_body_bytes
    result = fetch_one(server.static("/bomb", 200, bomb, {"Content-Encoding": "gzip"}))
    assert (result.outcome, result.status_code) == ("rejected", 200) and "decoded body exceeds" in result.error


def test_corrupt_gzip(server):
    result = fetch_one(server.static("/bad", 200, b"\x1f\x8bnot gzip at all", {"Content-Encoding": "gzip"}))
    assert result.outcome == "error" and "corrupt" in result.error


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "deflate, gzip"])
def test_a_coding_the_poller_cannot_decode_is_refused(server, encoding):
    result = fetch_one(server.static("/br", 200, b"??", {"Content-Encoding": encoding}))
    assert result.outcome == "rejected" and result.error == f"unsupported Content-Encoding: {encoding}"


@pytest.mark.parametrize(("encoding", "compressed"), [
    ("utf-8", False), ("none", False), ("UTF-8", True), ("gzip, identity", True), ("identity, gzip", True),
    (" identity ", False)])
def test_a_word_that_is_no_coding_reads_the_body_as_sent(server, encoding, compressed):
    """Servers label a body with its charset or "none" where a coding belongs: each such feed was rejected
    ("unsupported Content-Encoding: utf-8"; an outside audit). A gzip body among them is still known by its magic."""
    body = gzip.compress(BODY) if compressed else BODY
    result = fetch_one(server.static("/odd", 200, body, {"Content-Encoding": encoding}))
    assert (result.outcome, result.body) == ("ok", BODY)


def test_read_timeout(server):
    def stall(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.flush()
        time.sleep(1.6)
    result = fetch_one(server.route("/stall", stall), FAST)
    assert (result.outcome, result.error) == ("error", "read timeout")


def test_slow_drip_hits_the_total_cap(server):
    url = stream_without_length(server, "/drip", [b"<"] * 100, pause=0.2)  # never silent for 1 s
    started = time.monotonic()
    result = fetch_one(url, FAST)
    assert result.outcome == "error" and "total time cap" in result.error
    assert time.monotonic() - started < 100 * 0.2  # stopped before the drip's end, however loaded the box


def test_connect_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    try:
        for _ in range(8):  # fill the accept backlog so that further SYNs go unanswered
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        result = fetch_one(f"http://127.0.0.1:{listener.getsockname()[1]}/feed", FAST)
    finally:
        for sock in fillers + [listener]:
            sock.close()
    assert result.outcome == "error"
    assert result.error in ("connect timeout", "total time cap of 2 s exceeded")


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_one(f"http://127.0.0.1:{port}/feed")
    assert result.outcome == "error" and "ConnectError" in result.error


def fetch_in_turn(*urls: str) -> list:
    """Fetch one URL after another through one connection, reused while it stays open."""
    async def run():
        async with make_client(FAST, 1) as client:
            return [await fetch(client, FeedState(f"f{n}", url), still_at_now, FAST) for n, url in enumerate(urls)]
    return asyncio.run(run())


def hang_up(handler) -> None:  # read the request, close without a word
    handler.close_connection = True


def test_a_reused_connection_that_fails_before_the_answer_is_tried_once_more(server):
    ok, dead = server.static("/ok", 200, BODY), server.route("/dead", hang_up)
    results = fetch_in_turn(ok, dead)
    assert results[0].outcome == "ok"
    assert results[1].outcome == "error" and results[1].error.startswith("RemoteProtocolError")
    assert [path for path, _ in server.requests] == ["/ok", "/dead", "/dead"]  # once more, on a new connection


def test_a_fresh_connection_that_fails_is_not_tried_again(server):
    result = fetch_one(server.route("/dead", hang_up))
    assert result.outcome == "error" and result.error.startswith("RemoteProtocolError")
    assert [path for path, _ in server.requests] == ["/dead"]


def test_a_timeout_on_a_reused_connection_is_not_tried_again(server):
    ok, silent = server.static("/ok", 200, BODY), server.route("/silent", lambda handler: time.sleep(1.6))
    results = fetch_in_turn(ok, silent)
    assert (results[1].outcome, results[1].error) == ("error", "read timeout")
    assert [path for path, _ in server.requests] == ["/ok", "/silent"]


def test_file_url(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(BODY)
    result = fetch_one(path.as_uri())
    assert (result.outcome, result.status_code, result.body, result.bytes) == ("ok", None, BODY, len(BODY))
    assert fetch_one(path.as_uri(), body_hash=result.body_hash).outcome == "unchanged"


def test_file_url_missing_and_too_big(tmp_path):
    assert fetch_one((tmp_path / "missing.xml").as_uri()).outcome == "error"
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * (FAST.max_body_bytes + 1))
    assert fetch_one(big.as_uri()).outcome == "rejected"


@pytest.mark.parametrize(("size", "outcome"), [(64_000, "ok"), (64_001, "rejected")])
def test_a_file_is_refused_one_byte_past_the_cap(tmp_path, size, outcome):
    """The same 64,000-byte cap (FAST's) as a download: a file as long is a feed, one byte more is refused."""
    path = tmp_path / "feed.xml"
    path.write_bytes(b"x" * size)
    assert fetch_one(path.as_uri()).outcome == outcome


def test_a_file_url_naming_a_remote_host_is_refused(tmp_path):
    """file://host/path names a file on another machine: with the host ignored, a feed list (or a URL from an
    untrusted OPML) naming one would read the local file of that path instead."""
    path = tmp_path / "feed.xml"
    path.write_bytes(BODY)
    result = fetch_one(f"file://remote.example{path}")
    assert (result.outcome, result.body) == ("rejected", None)
    assert result.error == "file URL with a remote host: remote.example"


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_file_url_that_names_no_regular_file_is_refused_at_once(tmp_path, kind):
    """A FIFO's open() waited for a writer forever, in a thread past the time cap: the ingest held the home's lock
    through SIGTERM until killed. /dev/zero would never end. A directory was "IsADirectoryError: … Is a directory: 18",
    a descriptor's number for its name."""
    import os

    path = {"fifo": tmp_path / "feed.xml", "device": Path("/dev/zero"), "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    started = time.perf_counter()
    result = fetch_one(path.as_uri())
    assert time.perf_counter() - started < 10  # not the time cap: refused before any read
    assert result.outcome == "rejected" and result.error == f"not a regular file: {path}"


def test_unsupported_scheme():
    result = fetch_one("ftp://example.org/feed.xml")
    assert result.outcome == "error" and result.body is None


def test_a_url_httpx_refuses_is_an_error_not_an_internal_one():
    result = fetch_one("http://example.org/\nfeed.xml")  # stored before feed lists refused such URLs
    assert result.outcome == "error" and result.error.startswith("InvalidURL: ")


def test_config_is_a_value():
    """poll()'s default `config=HttpConfig()` is one instance shared by every call: safe while it cannot change."""
    assert replace(FAST, max_redirects=1).max_redirects == 1
    assert FAST.max_redirects == HttpConfig().max_redirects != 1, "replace() made a copy"
    assert replace(FAST) == FAST and hash(replace(FAST)) == hash(FAST)
    with pytest.raises(FrozenInstanceError):
        FAST.max_redirects = 1  # type: ignore[misc]


def test_a_304_to_a_request_without_validators_is_a_failure(server):
    """A 304 answers a conditional request only. To one without validators (a first poll, the daily full refetch)
    it holds nothing: taken as "not modified", the feed looked healthy at every poll and never gave an article."""
    result = fetch_one(server.static("/feed", 304, b"", {"ETag": '"bogus"'}))
    assert not {"If-None-Match", "If-Modified-Since"} & set(server.headers_for("/feed")[0])
    assert (result.outcome, result.status_code, result.etag, result.body_hash) == ("soft_fail", 304, None, None)
    assert "without validators" in result.error


def test_a_304_from_another_origin_keeps_no_validators_for_it(server, other_server):
    """A permanent move to a server that answers 304 to the validator-less request it got: the old server's
    ETag must not become what the next poll sends the new one (its 304 to it would be trusted)."""
    elsewhere = other_server.static("/moved", 304)
    result = fetch_one(redirect(server, "/feed", 301, elsewhere), etag='"ours"', body_hash="h",
                       last_full_fetch_at=NOW - timedelta(hours=1))
    assert server.headers_for("/feed")[0]["If-None-Match"] == '"ours"'
    assert result.outcome == "soft_fail" and result.permanent_url is None


PUBLIC_FEED = "http://93.184.216.34/feed"  # a public address, reached through the scripted server as a proxy


def fetch_by_proxy(server, url: str, proxied: tuple[str, ...] = ("all://",), listed: str | None = None):
    """fetch() of `url` (listed as `listed`, when a permanent redirect moved it) with `server` as the HTTP proxy of
    the URLs `proxied` matches (httpx's mount patterns): the poller takes the feed for one on the internet, and the
    server answers it (its routes keyed by the absolute URL the proxy is asked for)."""
    async def run():
        mounts = {pattern: httpx.AsyncHTTPTransport(proxy=server.url("")) for pattern in proxied}
        async with httpx.AsyncClient(mounts=mounts, follow_redirects=False) as client:
            return await fetch(client, FeedState("f", url, listed_url=listed), still_at_now, FAST)
    return asyncio.run(run())


@pytest.mark.parametrize("inside", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/admin",
                                    "http://localhost/admin", "http://[::ffff:10.0.0.1]/", "http://10.1.2.3/",
                                    # IPv6 forms that carry an IPv4 address: IPv4-compatible, 6to4 and NAT64 (the
                                    # well-known prefix, and the local-use one, which is no public address)
                                    "http://[::127.0.0.1]/", "http://[2002:7f00:1::]/", "http://[64:ff9b::a9fe:a9fe]/",
                                    "http://[64:ff9b:1::a00:1]/"])
def test_a_public_feed_may_not_redirect_the_poller_to_a_non_public_address(server, inside):
    """Nothing stopped a feed on the internet from sending the poller to the cloud's metadata service, the loopback
    or the local network (SSRF); a name (localhost) is judged by the addresses it resolves to."""
    redirect(server, PUBLIC_FEED, 302, inside)
    result = fetch_by_proxy(server, PUBLIC_FEED)
    assert result.outcome == "rejected" and result.error.startswith("redirect from a public address to the non-public ")
    assert result.error.endswith(inside) and [path for path, _ in server.requests] == [PUBLIC_FEED]


def test_a_feed_a_permanent_redirect_moved_is_judged_at_every_poll_as_the_redirect_was(server, monkeypatch):
    """A 301 from a public feed to a name answering a public address made that name the feed's URL, which later polls
    asked as if the operator had listed it: once the name answered the loopback, the poller went inside (an outside
    audit). The listed URL is judged alone when the feed was not moved, and a moved one that stays public is fetched."""
    rebinding(monkeypatch, "moved.test", "127.0.0.1")
    inside = server.static("/admin", 200, BODY).replace("127.0.0.1", "moved.test")
    server.static("http://8.8.8.8/feed", 200, BODY)
    assert fetch_by_proxy(server, "http://8.8.8.8/feed", listed=PUBLIC_FEED).outcome == "ok"
    result = fetch_by_proxy(server, inside, ("http://93.184.216.34",), listed=PUBLIC_FEED)
    assert result.outcome == "rejected", result
    assert result.error == f"redirect from a public address to the non-public 127.0.0.1: {inside}"
    assert fetch_by_proxy(server, inside, ("http://93.184.216.34",), listed=inside).outcome == "ok"  # as listed


def test_a_public_feed_may_redirect_to_another_public_address(server):
    redirect(server, PUBLIC_FEED, 301, "http://8.8.8.8/feed")
    server.static("http://8.8.8.8/feed", 200, BODY)
    assert fetch_by_proxy(server, PUBLIC_FEED).outcome == "ok"


def test_the_address_of_a_proxy_on_the_local_network_is_not_judged(server):
    """The connection to the target is opened to the proxy (a new one: the first answer closes its own), whose address
    is its operator's choice: it is the target's address that is judged, by name."""
    server.static(PUBLIC_FEED, 302, headers={"Location": "http://8.8.8.8/feed", "Connection": "close"})
    server.static("http://8.8.8.8/feed", 200, BODY)
    assert fetch_by_proxy(server, PUBLIC_FEED).outcome == "ok"


def test_a_listed_feed_on_the_local_network_may_redirect_within_it(server):
    """The operator chose that host: the intranet feed (or a test's loopback server) and its redirects stay allowed."""
    final = server.static("/new", 200, BODY)
    assert fetch_one(redirect(server, "/old", 302, final.replace("127.0.0.1", "localhost"))).outcome == "ok"


def rebinding(monkeypatch, name: str, later: str) -> None:
    """The OS resolver answers `name` with a public address at the first lookup, and `later` at every one after."""
    answers = iter(["93.184.216.34"])
    resolve = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in (name, name.encode()):  # anyio asks with the IDNA-encoded bytes
            return resolve(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (next(answers, later), port or 0))]
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_that_turns_non_public_after_the_check_is_refused_on_connecting(server, monkeypatch):
    """DNS rebinding: the target's name answered a public address when the redirect was checked, then the loopback
    when the poller connected, and the poller fetched from the loopback. The address connected to is judged too."""
    rebinding(monkeypatch, "rebind.test", "127.0.0.1")
    inside = server.static("/admin", 200, BODY).replace("127.0.0.1", "rebind.test")
    redirect(server, PUBLIC_FEED, 302, inside)
    result = fetch_by_proxy(server, PUBLIC_FEED, proxied=("http://93.184.216.34",))  # the target is reached directly
    assert result.outcome == "rejected", result
    assert result.error == f"redirect from a public address to the non-public 127.0.0.1: {inside}"
    assert [path for path, _ in server.requests] == [PUBLIC_FEED]


def test_a_redirect_chain_from_a_public_address_stays_judged_when_a_later_name_turns_non_public(server, monkeypatch):
    """The public feed sent the poller to a host with a public address, whose name answered a private one when its
    own redirect to the loopback was checked: taken for a host of the local network, it could send the poller there."""
    rebinding(monkeypatch, "hop.test", "10.0.0.1")
    inside = server.static("/admin", 200, BODY)
    redirect(server, PUBLIC_FEED, 302, "http://hop.test/next")
    redirect(server, "http://hop.test/next", 302, inside)
    result = fetch_by_proxy(server, PUBLIC_FEED, proxied=("http://93.184.216.34", "http://hop.test"))
    assert result.outcome == "rejected", result
    assert result.error == f"redirect from a public address to the non-public 127.0.0.1: {inside}"
    assert [path for path, _ in server.requests] == [PUBLIC_FEED, "http://hop.test/next"]
