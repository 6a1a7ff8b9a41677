"""Fetching feeds ourselves (httpx): bounded in time and size, conditional, never raising.

feedparser only ever sees bytes we fetched: it has no timeout and its HTTP support is going away.
"""
from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
import time
import zlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.feeds.addresses import DEFAULT_PORTS, is_public
from pipeline.feeds.feedlist import NotARegularFile, local_path, open_regular_file
from pipeline.feeds.models import FeedState, FetchResult
from pipeline.feeds.text import one_line_text
from pipeline.redact import redact_text

USER_AGENT = "PactWatch/0.1 (sanctions & alliance news monitor; polite RSS poller)"
ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = timedelta(hours=24)
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_ERROR_CHARS = 300
# What reading a header's number or date raises on text a server made up (a date past year 9999, a zone of 99 hours)
_UNREADABLE = (TypeError, ValueError, OverflowError)

# The time now, read when a fetch starts and when its answer arrives: a run's clock counts on from the run's start
# (poll.run_clock), so a Retry-After answered ten minutes into a run counts from then, not from the start.
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class HttpConfig:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # longest silence between two reads
    total_timeout: float = 60.0  # whole fetch incl. redirects: stops slow-drip servers
    # A poll starts no fetch after this many seconds; the feeds left are "deferred" to the next run. Six slow feeds of
    # one host, two at a time, hold a run for three minutes; a hundred would outlast the 15-minute schedule.
    fetch_budget: float = 600.0
    max_body_bytes: int = 15 << 20  # on the wire
    max_decoded_bytes: int = 15 << 20  # after decompression (gzip bombs)
    max_redirects: int = 5
    full_refetch_every: timedelta = timedelta(hours=24)  # unconditional GET at least this often
    user_agent: str = USER_AGENT
    trust_env: bool = True  # honour HTTP(S)_PROXY / NO_PROXY


class _Refused(Exception):
    """Ends a fetch with a given outcome and message."""

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome


@dataclass(slots=True)
class _Progress:
    """What we know so far, so that a timeout still reports the URL reached and bytes received."""

    url: str
    wire_bytes: int = 0
    status: int | None = None  # of the answer whose body is read: a body refused (too big, too slow) keeps its "200"
    charset: str | None = None  # of that answer's Content-Type
    started: float = field(default_factory=time.perf_counter)

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000


def make_client(config: HttpConfig, max_connections: int) -> httpx.AsyncClient:
    timeout = httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                            write=config.read_timeout, pool=config.total_timeout)
    # Keep-alive: one connection serves many feeds of a host (a failing reused one is tried once more: _get).
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    headers = {"User-Agent": config.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    return httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers,
                             follow_redirects=False, trust_env=config.trust_env)


async def fetch(client: httpx.AsyncClient, state: FeedState, clock: Clock, config: HttpConfig) -> FetchResult:
    """Fetch one feed (http, https or file URL). Every failure becomes a FetchResult."""
    progress = _Progress(state.url)
    try:
        async with asyncio.timeout(config.total_timeout):
            if urlsplit(state.url).scheme.lower() == "file":
                return await asyncio.to_thread(_fetch_file, state, config, progress)
            return await _fetch_http(client, state, clock, config, progress)
    except _Refused as refused:
        return _failure(state, progress, refused.outcome, str(refused))
    except TimeoutError:
        return _failure(state, progress, "error", f"total time cap of {config.total_timeout:g} s exceeded")
    except httpx.TimeoutException as exc:
        return _failure(state, progress, "error", f"{_timeout_kind(exc)} timeout")
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:  # DNS, TLS, protocol errors, bad URLs
        return _failure(state, progress, "error", f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # anything else is our bug, but it must cost one feed, not the run
        return _failure(state, progress, "error", f"internal error: {type(exc).__name__}: {exc}")


def conditional_headers(state: FeedState, now: datetime, config: HttpConfig) -> dict[str, str]:
    """ETag, else Last-Modified — unless a full refetch is due (servers' 304 logic can go stale)."""
    if state.last_full_fetch_at is None or now - state.last_full_fetch_at >= config.full_refetch_every:
        return {}
    if _sendable(state.etag):
        return {"If-None-Match": state.etag}
    if _sendable(state.last_modified):
        return {"If-Modified-Since": state.last_modified}
    return {}


def _sendable(validator: str | None) -> bool:
    """A header value a request can carry: httpx refuses to send non-ASCII text ("café" in an ETag, a localised
    "Mo, 06 Jän" date), and every conditional poll of the feed failed before it was sent."""
    return bool(validator) and validator.isascii() and validator.isprintable()


def parse_retry_after(value: str | None, now: datetime, server_dates: Sequence[str] = ()) -> datetime | None:
    """Retry-After as delta-seconds or HTTP date -> absolute time, clamped to [now, now + 24 h]; `now` is when the
    answer arrived. A date is on the server's clock, so with the answer's Date (`server_dates`: its Date header lines)
    the pause is the date less that Date, counted from `now`: a server hours off from our clock (or ours from it)
    pauses us as long as it asks, not hours longer nor not at all (RFC 9110 §10.2.3, §6.6.1). Without one readable
    Date, the date is read against `now`."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        wait = _capped_seconds(value) if value.isdigit() else _http_date(value) - (_server_clock(server_dates) or now)
    except _UNREADABLE:
        return None
    return now + min(max(wait, timedelta(0)), MAX_RETRY_AFTER)


def _server_clock(dates: Sequence[str]) -> datetime | None:
    """The server's time when it answered: its Date, unless missing, unreadable or given more than once (which one
    would be its clock?)."""
    if len(dates) != 1:
        return None
    try:
        return _http_date(dates[0])
    except _UNREADABLE:
        return None


def _http_date(value: str) -> datetime:
    """An HTTP date as an aware time; one without a zone ("-0000") is UTC."""
    moment = parsedate_to_datetime(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _capped_seconds(digits: str) -> timedelta:
    """Past six digits, past the cap: no int() of them (over 4,300 digits it raises) nor timedelta (past 10^14)."""
    return MAX_RETRY_AFTER if len(digits) > 6 else min(timedelta(seconds=int(digits)), MAX_RETRY_AFTER)


async def _fetch_http(client: httpx.AsyncClient, state: FeedState, clock: Clock,
                      config: HttpConfig, progress: _Progress) -> FetchResult:
    validators = conditional_headers(state, clock(), config)
    sent: list[tuple[str, str | None]] = []  # each request's URL and Cookie header
    all_permanent = True
    # a host with a public address is on the way to progress.url; a feed a permanent redirect moved is at the URL a
    # server chose, not the operator: judged as that redirect was, at every poll (its name may answer otherwise now)
    from_public = await _refuse_a_way_inside(state.listed_url, state.url, False) \
        if state.listed_url and state.listed_url != state.url else False
    while True:
        # Validators belong to the server that gave them: another one's 304 to them would be trusted.
        headers = validators if _same_origin(progress.url, state.url) else {}
        async with _get(client, progress.url, headers, only_public=from_public) as response:
            sent.append((progress.url, response.request.headers.get("cookie")))
            if response.status_code not in REDIRECTS:
                permanent = progress.url if all_permanent and len(sent) > 1 else None
                return await _answer(response, state, clock, config, progress, permanent, bool(headers),
                                     all_permanent)
            all_permanent = all_permanent and response.status_code in PERMANENT_REDIRECTS
            target = _redirect_target(response, progress.url)
        if _asked_before(client, target, sent):
            raise _Refused("error", f"redirect loop at {target}")
        if len(sent) > config.max_redirects:
            raise _Refused("error", f"more than {config.max_redirects} redirects")
        from_public = await _refuse_a_way_inside(progress.url, target, from_public)
        progress.url = target


def _asked_before(client: httpx.AsyncClient, target: str, sent: list[tuple[str, str | None]]) -> bool:
    """Whether a request to the redirect's target would repeat one already sent. A URL asked again with a cookie the
    redirects set is a new request: a cookie wall (a consent or bot check) answers the feed's URL with a redirect to
    itself that sets the cookie, and serves the feed to the request carrying it. A server that sets a new cookie at
    every turn is stopped by the redirect cap."""
    if all(url != target for url, _ in sent):
        return False
    # Read only for a URL already asked: it was a valid URL then, so building the request cannot fail.
    cookies = client.build_request("GET", target).headers.get("cookie")
    return (target, cookies) in sent


@asynccontextmanager
async def _get(client: httpx.AsyncClient, url: str, headers: dict[str, str], *,
               only_public: bool) -> AsyncIterator[httpx.Response]:
    """client.stream("GET", ...), sent once more when a reused keep-alive connection fails before the answer.

    Such a failure is the connection's, not this answer's: the server closed the idle connection as we sent on
    it, or an earlier answer on it wrote more than its Content-Length and h11 reads the extra bytes as the start
    of this one. Like browsers, we resend an idempotent request once then, on another connection (httpcore has
    closed the failed one). A fresh connection's failure, a timeout, or a failure while reading the body stays
    an error of this feed.
    """
    connections = _ConnectionWatch(url, only_public)
    request = client.build_request("GET", url, headers=headers, extensions={"trace": connections.event})
    try:
        response = await client.send(request, stream=True)
    except (httpx.RemoteProtocolError, httpx.ReadError):
        if connections.opened:
            raise
        response = await client.send(request, stream=True)
    try:
        yield response
    finally:
        await response.aclose()


class _ConnectionWatch:
    """What httpcore's trace events (httpx's "trace" extension) tell of a request's connections: whether it opened one,
    and, for a request that may only reach public addresses, the address it opened one to, refused unless public
    before TLS or a byte of the request (the name's answer may have changed since the redirect was checked: DNS
    rebinding). A connection to a proxy is not judged: the proxy connects onwards itself."""

    def __init__(self, url: str, only_public: bool) -> None:
        self.opened = False
        self._url = url
        self._host = httpx.URL(url).raw_host.decode("ascii")  # as httpcore names the host it connects to
        self._only_public = only_public
        self._to_the_host = False  # the connection being opened is to the URL's host, not to a proxy

    async def event(self, name: str, info: dict) -> None:
        if name.endswith("connect_tcp.started"):  # "connection.connect_tcp…", or "socks.…" through a SOCKS proxy
            self.opened = True
            self._to_the_host = info["host"] == self._host
        elif name.endswith("connect_tcp.complete") and self._only_public and self._to_the_host:
            await _refuse_a_non_public_peer(info["return_value"], self._url)


def _redirect_target(response: httpx.Response, current: str) -> str:
    location = response.headers.get("location", "").strip()
    if not location:
        raise _Refused("soft_fail", f"HTTP {response.status_code} redirect without a Location header")
    target = urljoin(current, location)
    if urlsplit(target).scheme.lower() not in ("http", "https"):  # never let a server point us at file://
        raise _Refused("rejected", f"redirect to a non-HTTP URL: {target[:200]}")
    return target


async def _refuse_a_way_inside(current: str, target: str, from_public: bool) -> bool:
    """A server on the internet may not send the poller into the local network: a redirect from a host with a public
    address to one with a loopback, private, link-local (169.254.169.254, a cloud's metadata service), shared or other
    non-public address is refused (SSRF). A feed list naming such a host (an intranet feed, the tests' loopback server)
    is the operator's choice, and so are its redirects, until one of them leads to a public address: `from_public`
    says one did on the way to `current`, which then is not asked again (its name could answer a private address now).

    Says whether a public address is on the way to the target: its connection is then judged by the address it reaches
    (_ConnectionWatch), since httpx resolves the name again (DNS rebinding). The target's name is checked here too:
    through a proxy, and on a keep-alive connection opened earlier, that check is the only one. So a name that only a
    proxy can resolve is not caught, nor one whose answer changes while a connection opened to it before, for a
    listed feed or a redirect from a non-public host, is kept alive (a listed name the attacker answers for could
    send the poller inside by itself)."""
    if not (from_public or any(is_public(address) for address in await _addresses(current))):
        return False
    inside = [address for address in await _addresses(target) if not is_public(address)]
    if inside:
        raise _way_inside(inside[0], target)
    return True


async def _refuse_a_non_public_peer(stream: Any, url: str) -> None:
    """Closes the new connection (httpcore's network stream) and refuses the fetch when the address it reached is not
    public."""
    address = _ip(stream.get_extra_info("server_addr")[0])
    if not is_public(address):
        await stream.aclose()
        raise _way_inside(address, url)


def _way_inside(address: ipaddress.IPv4Address | ipaddress.IPv6Address, url: str) -> _Refused:
    return _Refused("rejected", f"redirect from a public address to the non-public {address}: {url[:200]}")


async def _addresses(url: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses of the URL's host: itself when an IP literal, else what the resolver gives (none when it fails:
    the request cannot connect either)."""
    host = urlsplit(url).hostname
    if not host:
        return []
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError; an IDNA label too long a UnicodeError
        return []
    return [_ip(info[4][0]) for info in found]


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An address as the socket layer writes it, without the zone of a link-local IPv6 one ("fe80::1%eth0")."""
    return ipaddress.ip_address(host.split("%")[0])


async def _answer(response: httpx.Response, state: FeedState, clock: Clock, config: HttpConfig,
                  progress: _Progress, permanent_url: str | None, conditional: bool,
                  at_the_listed_url: bool) -> FetchResult:
    """`at_the_listed_url`: no redirect on the way was temporary, so the answer is the listed URL's own."""
    status = progress.status = response.status_code
    if status == 304 and not conditional:
        # Nothing to be "not modified" from: taken as success, the feed would look healthy and never give an
        # article, and a new server's 304 would keep the old server's validators for the next poll.
        return _result(state, progress, None, status, "soft_fail", None, state.etag, state.last_modified,
                       state.body_hash, error="HTTP 304 Not Modified to a request without validators")
    etag, last_modified = _validators_for_next_poll(response, progress.url, permanent_url or state.url)
    if status == 304:
        return _result(state, progress, permanent_url, status, "not_modified", None,
                       etag or state.etag, last_modified or state.last_modified, state.body_hash)
    if 200 <= status < 300:
        progress.charset = response.charset_encoding
        body = await _read_body(response, config, progress)
        return _body_result(state, progress, permanent_url, status, body, etag, last_modified)
    arrived = clock()  # a pause counts from the answer, whether delta-seconds or a date less the server's Date
    retry_after = parse_retry_after(response.headers.get("retry-after"), arrived, response.headers.get_list("date"))
    if retry_after is not None and retry_after <= arrived:  # "0", a past date: no pause to come, as without one
        retry_after = None
    outcome = _failure_outcome(status, retry_after, at_the_listed_url)
    return _result(state, progress, permanent_url, status, outcome, None, state.etag, state.last_modified,
                   state.body_hash, error=f"HTTP {status} {response.reason_phrase}".strip(), retry_after=retry_after)


def _validators_for_next_poll(response: httpx.Response, answered: str, next_asked: str) -> tuple[str | None, str | None]:
    """The response's ETag and Last-Modified, kept only when the next poll first asks the server that gave them, and
    only those a request can send back."""
    if not _same_origin(answered, next_asked):
        return None, None
    etag, last_modified = response.headers.get("etag"), response.headers.get("last-modified")
    return (etag if _sendable(etag) else None), (last_modified if _sendable(last_modified) else None)


def _same_origin(url: str, other: str) -> bool:
    return _origin(url) == _origin(other)


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, parts.hostname, parts.port or DEFAULT_PORTS.get(scheme)


def _failure_outcome(status: int, retry_after: datetime | None, at_the_listed_url: bool) -> str:
    """A 410 behind a temporary redirect is the other address's: the listed one still stands. A 503 asks for a
    pause only with a Retry-After still ahead (not "0", nor a past date): a pause would defer every feed of the host."""
    if status == 410 and at_the_listed_url:
        return "gone"
    if status == 429 or (status == 503 and retry_after is not None):
        return "rate_limited"
    return "soft_fail"


async def _read_body(response: httpx.Response, config: HttpConfig, progress: _Progress) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > config.max_body_bytes:
        raise _Refused("rejected", f"body of {declared} bytes exceeds the {config.max_body_bytes}-byte cap")
    decoder = _CappedDecoder(response.headers.get("content-encoding"), config.max_decoded_bytes)
    async for chunk in response.aiter_raw():
        progress.wire_bytes += len(chunk)
        if progress.wire_bytes > config.max_body_bytes:
            raise _Refused("rejected", f"body exceeds the {config.max_body_bytes}-byte cap")
        decoder.feed(chunk)
    return decoder.finish()


def _fetch_file(state: FeedState, config: HttpConfig, progress: _Progress) -> FetchResult:
    """file:// feeds (the offline demo corpus): same caps, no conditional logic beyond the body hash."""
    parts = urlsplit(state.url)
    if parts.netloc not in ("", "localhost"):
        raise _Refused("rejected", f"file URL with a remote host: {parts.netloc}")
    path = local_path(state.url)
    try:
        handle = open_regular_file(path)
    except NotARegularFile as exc:
        raise _Refused("rejected", f"{exc}: {path}") from None
    with handle:
        raw = handle.read(config.max_body_bytes + 1)
    progress.wire_bytes = len(raw)
    if len(raw) > config.max_body_bytes:
        raise _Refused("rejected", f"file exceeds the {config.max_body_bytes}-byte cap")
    decoder = _CappedDecoder(None, config.max_decoded_bytes)
    decoder.feed(raw)
    return _body_result(state, progress, None, None, decoder.finish(), None, None)


def _body_result(state: FeedState, progress: _Progress, permanent_url: str | None, status: int | None,
                 body: bytes, etag: str | None, last_modified: str | None) -> FetchResult:
    body_hash = hashlib.sha256(body).hexdigest()
    if body_hash == state.body_hash:  # byte-identical to what we parsed last time: nothing new
        return _result(state, progress, permanent_url, status, "unchanged", None, etag, last_modified, body_hash)
    return _result(state, progress, permanent_url, status, "ok", body, etag, last_modified, body_hash)


# The content codings registered with IANA that this poller cannot decode: a body in one of them is refused. Any other
# word where a coding belongs ("utf-8", "none", "text") is a mislabel, seen in the wild: the body is read as sent,
# and a gzip body among them is still known by its magic.
_UNREAD_CODINGS = frozenset({"aes128gcm", "br", "compress", "dcb", "dcz", "exi", "pack200-gzip", "x-compress", "zstd"})


def _content_coding(header: str | None) -> str:
    """The one coding a Content-Encoding header applies ("identity" when none), "identity" entries left out."""
    codings = [coding for part in (header or "").split(",") if (coding := part.strip().lower()) not in ("", "identity")]
    if len(codings) > 1 or (codings and codings[0] in _UNREAD_CODINGS):
        raise _Refused("rejected", f"unsupported Content-Encoding: {(header or '').strip()[:40]}")
    if codings and codings[0] in ("gzip", "x-gzip", "deflate"):
        return codings[0]
    return "identity"


class _CappedDecoder:
    """Content-Encoding decoding with a hard cap on the decoded size, never inflating past it.

    The first two bytes of a body tell its format: the gzip magic, a zlib header, else (for `deflate`) raw
    RFC 1951 data, which many servers send for it. Bodies served gzip-compressed without saying so (seen in the
    wild) are recognised by their magic. A gzip body may hold several members (RFC 1952), read one after another;
    a stream that stops before its end is an error: a cut body must not be parsed and hashed as the whole feed.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self._encoding = _content_coding(content_encoding)
        self._limit = limit
        self._out = bytearray()
        self._head = b""  # first bytes of a stream, too few yet to tell its format
        self._inflater = None  # the compressed stream being read
        self._streams = 0  # compressed streams begun
        self._plain = False  # an uncompressed body: bytes pass through
        self._trailing = False  # after the last stream: padding, ignored

    def feed(self, chunk: bytes) -> None:
        data, self._head = self._head + chunk, b""
        try:
            while data:
                data = self._take(data)
        except zlib.error as exc:
            raise _Refused("error", f"corrupt compressed body: {exc}") from None

    def finish(self) -> bytes:
        if self._head and not self._streams and self._encoding == "identity":
            self._append(self._head)  # a one-byte body
        elif self._inflater is not None or (self._head and not self._streams):
            raise _Refused("error", "compressed body cut short: it ends inside its stream")
        return bytes(self._out)

    def _take(self, data: bytes) -> bytes:
        """Consume what the current state can of `data`; return the rest."""
        if self._inflater is not None:
            return self._inflate(data)
        if self._plain:
            self._append(data)
        elif self._trailing:
            pass
        elif len(data) < len(_GZIP_MAGIC):
            self._head = data
        else:
            self._begin_stream(data[:2])
            return data
        return b""

    def _begin_stream(self, head: bytes) -> None:
        """Read what follows in the format its first two bytes tell."""
        if head == _GZIP_MAGIC:  # the first gzip member, or one more
            self._start_inflating(zlib.MAX_WBITS | 16)
        elif self._streams:  # bytes after a complete stream
            self._trailing = True
        elif self._encoding == "identity":
            self._plain = True
        elif _is_zlib_header(head):
            self._start_inflating(zlib.MAX_WBITS)
        elif self._encoding == "deflate":
            self._start_inflating(-zlib.MAX_WBITS)  # raw RFC 1951, without the zlib wrapper
        else:
            raise _Refused("error", "corrupt compressed body: neither a gzip nor a zlib header")

    def _start_inflating(self, window_bits: int) -> None:
        self._inflater = zlib.decompressobj(window_bits)
        self._streams += 1

    def _inflate(self, data: bytes) -> bytes:
        """Inflate the current stream; return what follows its end (another member, or padding)."""
        while data:
            # max_length bounds each step, so a bomb never inflates beyond the cap in memory.
            self._append(self._inflater.decompress(data, self._limit - len(self._out) + 1))
            if self._inflater.eof:
                rest, self._inflater = self._inflater.unused_data, None
                return rest
            data = self._inflater.unconsumed_tail
        return b""

    def _append(self, data: bytes) -> None:
        self._out += data
        if len(self._out) > self._limit:
            raise _Refused("rejected", f"decoded body exceeds the {self._limit}-byte cap")


def _is_zlib_header(head: bytes) -> bool:
    """RFC 1950: the deflate method, a window of at most 32 KiB, and a check making the pair a multiple of 31."""
    return head[0] & 0x0F == 8 and head[0] >> 4 <= 7 and (head[0] << 8 | head[1]) % 31 == 0


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect"
    if isinstance(exc, httpx.PoolTimeout):
        return "connection pool"
    return "read" if isinstance(exc, httpx.ReadTimeout) else "write"


def _failure(state: FeedState, progress: _Progress, outcome: str, error: str) -> FetchResult:
    return _result(state, progress, None, progress.status, outcome, None, state.etag, state.last_modified,
                   state.body_hash, error=error)


def _result(state: FeedState, progress: _Progress, permanent_url: str | None, status: int | None,
            outcome: str, body: bytes | None, etag: str | None, last_modified: str | None,
            body_hash: str | None, *, error: str | None = None, retry_after: datetime | None = None) -> FetchResult:
    return FetchResult(
        feed_id=state.feed_id, requested_url=state.url, final_url=progress.url, permanent_url=permanent_url,
        status_code=status, outcome=outcome, body=body, etag=etag, last_modified=last_modified,
        body_hash=body_hash, error=_shown_error(error), retry_after=retry_after,
        bytes=progress.wire_bytes, elapsed_ms=progress.elapsed_ms(), charset=progress.charset,
    )


def _shown_error(error: str | None) -> str | None:
    """The error as stored, logged and shown: a URL in it (ours, a redirect's, a proxy's in httpx's messages) with its
    credentials masked, on one line without control characters, then cut short (cut first, a secret could lose the name
    that marks it)."""
    return one_line_text(redact_text(error))[:_MAX_ERROR_CHARS] if error else None
