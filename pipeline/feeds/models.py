"""Value types shared by the feeds layer and its callers (see DEVELOPERS.md, "Shared contracts").

All types are frozen and slotted: they cross process boundaries (the parser pool) and are compared
in tests, so they must be immutable, picklable and cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

# Every fetch outcome and date quality there is; the data dictionary's comments on the columns that store them
# (fetches.outcome, feeds.last_status, articles.date_quality) name each, which a test holds.
UNCHANGED_OUTCOMES = frozenset({"not_modified", "unchanged"})
SUCCESS_OUTCOMES = UNCHANGED_OUTCOMES | {"ok"}
# "deferred": not asked this run, the poll's fetch budget having run out (HttpConfig.fetch_budget); still due
OUTCOMES = SUCCESS_OUTCOMES | {"soft_fail", "gone", "rate_limited", "error", "rejected", "deferred"}
DATE_QUALITIES = frozenset({"ok", "missing", "unparseable", "future"})
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # BCP 47, as stored: "en", "pt-BR" (fullmatch)
_LANGUAGE_SEPARATORS = re.compile(r"[\s,;]+")
# A feed's configured fields, in the order of the feeds table's columns (store.warehouse.FEED_SPEC_COLUMNS).
SPEC_FIELDS = ("feed_id", "url", "name", "outlet", "outlet_country", "language", "tier", "tags", "enabled")


def declared_language(value: object) -> str | None:
    """The BCP 47 tag a feed or a row declares ("en-us", "DE_DE", "fr, en" -> its first), primary subtag
    lower-cased as the feed list writes it, or None when it is not one (a blank, "English", "???"): the feed
    parser, `pactwatch import` and `pactwatch tag` all read such a value as no language, and guess it."""
    if not isinstance(value, str):
        return None
    primary, dash, rest = _LANGUAGE_SEPARATORS.split(value.strip(), 1)[0].replace("_", "-").partition("-")
    tag = primary.lower() + dash + rest
    return tag if LANGUAGE_TAG.fullmatch(tag) else None


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One configured feed, from seeds/feeds.toml or an OPML file."""

    feed_id: str
    url: str
    name: str
    outlet: str
    outlet_country: str | None  # ISO 3166-1 alpha-3; None when unknown (e.g. imported OPML)
    language: str | None  # BCP 47 tag such as "en" or "pt-BR"; None when unknown
    tier: int | None  # 1 = wire/global broadcaster, 2 = national outlet, 3 = specialist/other; None when unknown
    tags: tuple[str, ...]
    enabled: bool
    # The fields the feed list or command line spelled out (the others hold defaults): refreshing a feed the
    # warehouse knows changes only these. Not compared: it tells where the values came from, not what they are.
    stated: frozenset[str] = field(default=frozenset(SPEC_FIELDS), compare=False)

    def as_row(self) -> dict:
        """The feeds-table row of this spec (tier is text there: migration 0001 typed it before tiers were numbers)."""
        return {"feed_id": self.feed_id, "url": self.url, "name": self.name, "outlet": self.outlet,
                "outlet_country": self.outlet_country, "language": self.language,
                "tier": None if self.tier is None else str(self.tier), "tags": list(self.tags), "enabled": self.enabled}

    @classmethod
    def from_row(cls, row: Mapping) -> FeedSpec:
        """The spec a feed-list row describes, its tier an int (what `feeds export-opml` writes, `import-opml` reads)."""
        return cls(feed_id=row["feed_id"], url=row["url"], name=row["name"] or row["feed_id"],
                   outlet=row["outlet"] or row["feed_id"], outlet_country=row["outlet_country"],
                   language=row["language"], tier=row["tier"],
                   tags=tuple(row["tags"] or ()), enabled=row["enabled"])


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the poller remembers about a feed between runs (persisted by the store)."""

    feed_id: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_full_fetch_at: datetime | None = None
    last_http_status: int | None = None  # feeds.last_http_status; the outcome is last_outcome
    last_error: str | None = None
    consecutive_failures: int = 0
    last_success_at: datetime | None = None
    next_check_at: datetime | None = None  # None = due now (never polled)
    last_checked_at: datetime | None = None  # when a run last took the feed up: later than now, a clock went back
    gone: bool = False
    key_mode: str = "guid"  # "guid" | "link"
    last_outcome: str | None = None  # what the last fetch came to (one of OUTCOMES; feeds.last_status)
    fetched_url: str | None = None  # where the last fetch ended, after redirects: a rate_limited feed pauses its host
    # until when the server asked the feed's origins to wait (feeds.pause_until): Retry-After, or a 429's backoff;
    # the feed's own next check may be later (its backoff), the origin's other feeds are not held to that
    pause_until: datetime | None = None
    # the URL the operator listed (feeds.listed_url; None: `url`): a permanent redirect moves `url` to a server's choice
    listed_url: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one HTTP (or file://) fetch; never an exception."""

    feed_id: str
    requested_url: str
    final_url: str
    permanent_url: str | None  # set only when every redirect hop was 301/308: store it as the feed URL
    status_code: int | None
    outcome: str  # one of OUTCOMES
    body: bytes | None  # decoded body, only when it must be parsed (outcome "ok")
    etag: str | None
    last_modified: str | None
    body_hash: str | None  # sha256 hex of the decoded body
    error: str | None
    retry_after: datetime | None  # absolute, capped at now + 24 h; None without a pause still to come ("0")
    bytes: int | None  # bytes received on the wire (after any redirects); None when no request was sent
    elapsed_ms: float | None
    charset: str | None = None  # the answer's Content-Type charset: the parser's fallback when the document's fails


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One entry, reduced to plain text and normalised identity/date."""

    key: str  # stable within a feed: "guid:…", "url:…" or "hash:…"
    guid: str | None
    url: str | None  # canonical http(s) URL (tracking params and fragment removed)
    title: str
    text: str
    published_at: datetime | None  # aware UTC
    date_quality: str  # one of DATE_QUALITIES
    # the date's text as the feed or record wrote it, that published_at was read from (or that could not be read),
    # on one line and cut short; None when it gave none
    published_as_written: str | None = None
    language: str | None = None  # an archive record's own BCP 47 tag; None: the feed's language applies
    # The key versions before gave the entry when they read its UTF-8 by the single-byte charset its document declares
    # ("guid:РњРѕСЃРєРІР°" for "guid:Москва"): ingest looks the article up under it too, so that it is not stored twice.
    # None when it is the key itself, as for every document declaring UTF-8 (parse.py, _feedparser_docs).
    legacy_key: str | None = None
    # A link key's forms before each [[added]] change of seeds/tracking.toml ("url:…?xtor=RSS-3208" for
    # "url:…"), the latest first: ingest looks the article up under them too, so that it is not stored twice.
    earlier_link_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    entries: tuple[ParsedArticle, ...]
    bozo_reason: str | None  # feedparser found the document malformed; entries are what it recovered
    error: str | None  # the document was rejected or could not be parsed at all
    title: str | None
    language: str | None = None  # the BCP 47 tag the document declares, when well-formed
