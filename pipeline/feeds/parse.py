"""Untrusted feed bytes -> ParsedFeed (plain text, normalised dates, stable keys). Never raises."""
from __future__ import annotations

import codecs
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser

from pipeline.feeds.charset import is_utf8_beyond_ascii
from pipeline.feeds.dates import entry_date
from pipeline.feeds.identity import article_key
from pipeline.feeds.links import DocumentLinks
from pipeline.feeds.models import ParsedArticle, ParsedFeed, declared_language
from pipeline.feeds.safety import rejection_reason, repair_char_refs
from pipeline.feeds.text import FEED, STORED, Reading, one_line_text, plain_title

MAX_DOCUMENT_BYTES = 15 << 20
MAX_ENTRIES = 5_000
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 50_000
MAX_GUID_CHARS = 1_024
MAX_DATE_CHARS = 100  # a date a feed writes in full ("Wednesday, 19 June 2024 08:30:00 +0900") takes under 50
MAX_REASON_CHARS = 300
TRUNCATED_XML = frozenset({"no element found", "unclosed token"})  # expat, at the end of a document that stops short
_CHARSET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,39}")
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:+-]{1,40})["']""")
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# How a UTF-32 or UTF-16 document starts: its byte order mark, else "<" (UTF-32 first: its marks start as UTF-16's).
_WIDE_ENCODINGS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xfe\xff", "utf-16-be"),
                   (b"\xff\xfe", "utf-16-le"), (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                   (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"))
_DECLARED_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""")


def parse_feed(body: bytes, base_url: str, now: datetime, *, key_mode: str = "guid",
               http_charset: str | None = None) -> ParsedFeed:
    """Parse one feed document. key_mode "link" ignores GUIDs (for feeds whose GUIDs are unstable); `http_charset`,
    the charset its server named, decodes a document its own declaration (or UTF-8) cannot."""
    try:
        return _parse(body, base_url, now, key_mode, http_charset)
    except Exception as exc:  # a parser bug on one hostile feed must not stop the run
        return _failed(f"parser failure: {type(exc).__name__}: {exc}")


def _parse(body: bytes, base_url: str, now: datetime, key_mode: str, http_charset: str | None) -> ParsedFeed:
    if len(body) > MAX_DOCUMENT_BYTES:
        return _failed(f"rejected: document larger than {MAX_DOCUMENT_BYTES} bytes")
    if reason := rejection_reason(body):
        return _failed(f"rejected: {reason}")
    body = _as_utf8(body)
    doc, legacy_doc = _feedparser_docs(repair_char_refs(body), http_charset)
    bozo_reason = _describe(doc.get("bozo_exception")) if doc.get("bozo") else None
    kept, which = _kept_entries(doc.entries)
    if len(kept) < len(doc.entries):
        dropped = f"{len(doc.entries) - len(kept)} entries dropped: the {which} {MAX_ENTRIES} read"
        bozo_reason = f"{bozo_reason}; {dropped}" if bozo_reason else dropped
    links = DocumentLinks(base_url, doc.feed)
    entries, repeats = _articles(doc.entries, legacy_doc.entries if legacy_doc else None, kept, links, now, key_mode)
    notes = (bozo_reason, _kept_links_note(links.kept), _repeats_note(repeats))
    bozo_reason = "; ".join(filter(None, notes)) or None
    title = plain_title(doc.feed.get("title"), MAX_TITLE_CHARS) or None
    error = _document_error(doc, len(entries), _unclosed_entries(body, len(doc.entries)))
    return ParsedFeed(entries=() if error else entries, bozo_reason=bozo_reason, error=error, title=title,
                      language=declared_language(doc.feed.get("language")))


def _as_utf8(body: bytes) -> bytes:
    """A UTF-16 or UTF-32 document in UTF-8, its declaration saying so; any other as it is. feedparser read neither
    without a byte order mark ("not a recognisable RSS/Atom feed"), nor SimplePie's UTF-16LE test feed with one, where
    XML (appendix F) tells the encoding by how "<" is written."""
    codec = next((codec for lead, codec in _WIDE_ENCODINGS if body.startswith(lead)), None)
    if codec is None:
        return body
    try:
        text = body.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError:  # not that encoding after all: feedparser says what it makes of it
        return body
    return _DECLARED_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8", errors="surrogatepass")


def _feedparser_docs(body: bytes, http_charset: str | None) -> tuple[Any, Any | None]:
    """feedparser's reading of `body`, and its legacy reading or None. Bytes that are valid UTF-8 beyond ASCII are read
    as UTF-8, whatever the document or its server declares (a feed declaring windows-1251 over UTF-8 was stored as
    "РњРѕСЃРєРІР°": see is_utf8_beyond_ascii); others as _declared_doc reads them. The legacy reading, _declared_doc's
    of UTF-8 declared otherwise, is how versions before read it: its entries' keys are those their articles were
    stored under. Only such a document (5 of the 2,789 of ../shared/data/feeds) is parsed twice; for the others it costs a
    look at the declaration of those beyond ASCII."""
    if not is_utf8_beyond_ascii(body):
        return _declared_doc(body, http_charset), None
    doc = _feedparser_parse(body, "application/xml; charset=utf-8")
    return doc, None if _declares_utf8(body) else _declared_doc(body, http_charset)


def _declared_doc(body: bytes, http_charset: str | None) -> Any:
    """The document's own encoding declaration decides, else UTF-8; the server's charset only when the bytes do not
    decode so and do decode by it (feedparser would guess windows-1252: a KOI8-R feed without a declaration was
    stored as "óÁÎËÃÉÉ"). RFC 7303 lets the header win outright, but a server's default charset is often wrong where
    the document's declaration is right."""
    if (http_charset and _CHARSET_NAME.fullmatch(http_charset) and not _decodes(body, _declared_encoding(body))
            and _decodes(body, http_charset)):
        return _feedparser_parse(body, f"application/xml; charset={http_charset}")
    return _feedparser_parse(body, "application/xml")


def _declares_utf8(body: bytes) -> bool:
    """Whether the XML declaration names UTF-8 (or there is none, or a byte order mark decides): then _declared_doc
    reads UTF-8 bytes as UTF-8, the server's charset never deciding. An unknown name is not UTF-8."""
    declared = _declared_encoding(body)
    try:
        return declared is None or codecs.lookup(declared).name == "utf-8"
    except LookupError:
        return False


def _declared_encoding(body: bytes) -> str | None:
    """What the XML declaration names, else UTF-8; None for a body with a byte order mark or NUL bytes in its first
    four (UTF-16/32 that _as_utf8 could not decode), which feedparser reads by their bytes."""
    if body.startswith(_BYTE_ORDER_MARKS) or b"\x00" in body[:4]:
        return None
    declared = _XML_ENCODING.match(body)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def _decodes(body: bytes, encoding: str | None) -> bool:
    if encoding is None:
        return True
    try:
        body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def _feedparser_parse(body: bytes, content_type: str) -> Any:
    # A file object, not bytes: given bytes that name a local path, feedparser would open that file.
    # No content-location: feedparser would resolve relative GUIDs against it, and a GUID must not
    # change when the feed moves. Links are resolved by feeds/links.py instead. Sanitising is off because we
    # reduce everything to plain text ourselves.
    return feedparser.parse(io.BytesIO(body), response_headers={"content-type": content_type},
                            sanitize_html=False, resolve_relative_uris=False)


def _kept_entries(entries: list) -> tuple[list[int], str]:
    """The positions of the entries read, in document order, and which they are: all; of a longer document, the
    MAX_ENTRIES newest by the dates feedparser reads (an archive listing its oldest first lost every new item to a cut
    of the first ones), or the first when it dates none."""
    if len(entries) <= MAX_ENTRIES:
        return list(range(len(entries))), "all"
    dates = [_feed_date(entry) for entry in entries]
    if not any(dates):
        return list(range(MAX_ENTRIES)), "first"
    # a stable sort: among entries of one date (or none), the earlier in the document first
    newest = sorted(range(len(entries)), key=lambda index: dates[index] or (), reverse=True)
    return sorted(newest[:MAX_ENTRIES]), "newest"


def _feed_date(entry: Mapping[str, Any]) -> tuple[int, ...] | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return tuple(parsed[:6]) if parsed else None


def _articles(entries: list, legacy_entries: list | None, kept: list[int], links: DocumentLinks, now: datetime,
              key_mode: str) -> tuple[tuple[ParsedArticle, ...], int]:
    """The articles of the `kept` entries, each with the key of its legacy reading (`legacy_entries`, the same
    document read by its declared charset) where that differs; and how many entries repeated an earlier one's key."""
    read = _read_entries([entries[index] for index in kept], links, now, key_mode)
    # readings of other lengths pair up not at all (_with_legacy_keys); its links recorded apart: what they keep as
    # given, this reading keeps too
    if legacy_entries is not None and len(legacy_entries) == len(entries):
        legacy = [legacy_entries[index] for index in kept]
        read = _with_legacy_keys(read, _read_entries(legacy, links.apart(), now, key_mode))
    articles: dict[str, ParsedArticle] = {}
    for article in read:
        if article and article.key not in articles:  # same key twice in one document: first wins
            articles[article.key] = article
    return tuple(articles.values()), sum(article is not None for article in read) - len(articles)


def _read_entries(entries: list, links: DocumentLinks, now: datetime, key_mode: str) -> list[ParsedArticle | None]:
    """Each entry's article, in order; None for an entry with nothing a reader could see."""
    guid_counts = Counter(_guid(entry) for entry in entries)
    read = []
    for entry in entries:
        guid = _guid(entry)
        unique_guid = guid if guid and guid_counts[guid] == 1 and key_mode == "guid" else None
        read.append(_article(entry, guid, unique_guid, links, now))
    return read


def _with_legacy_keys(read: list[ParsedArticle | None],
                      legacy: list[ParsedArticle | None]) -> list[ParsedArticle | None]:
    """`read` with each article's key in the `legacy` reading as its legacy_key, where the keys differ. The readings
    pair up by position: they differ only in the characters decoded from bytes beyond ASCII, never in the markup, so
    they hold the same entries in the same order. Readings of other lengths are not paired (the caller): a wrong legacy
    key would link the feed to another article."""
    return [replace(article, legacy_key=earlier.key) if article and earlier and earlier.key != article.key
            else article for article, earlier in zip(read, legacy)]


def _article(entry: Mapping[str, Any], guid: str | None, key_guid: str | None, links: DocumentLinks, now: datetime,
             reading: Reading = FEED) -> ParsedArticle | None:
    url = links.publisher_link(entry)
    title = reading.title(entry.get("title"), MAX_TITLE_CHARS)
    text = reading.text(_richest_text(entry), MAX_TEXT_CHARS)
    if not (url or title or text):
        return None  # nothing a reader could see or find
    published = entry_date(entry, now)
    name = title or one_line_text(text)[:MAX_TITLE_CHARS]  # the key's name as before paragraphs were kept
    key = article_key(key_guid, url, name, published.at)
    # a GUID's key owes nothing to links; a link's (or a title's, for want of one) may have been another's before: a
    # link as read by earlier rules is its key as it is (article_key would apply today's tracking rules to it)
    earlier = () if key_guid else links.earlier_keys(
        entry, key, lambda link: f"url:{link}" if link else article_key(None, None, name, published.at))
    return ParsedArticle(key=key, guid=guid, url=url, title=title, text=text,
                         published_at=published.at, date_quality=published.quality,
                         published_as_written=_date_as_written(published.written), earlier_link_keys=earlier)


def _date_as_written(written: str | None) -> str | None:
    """An entry's date text on one line, cut to MAX_DATE_CHARS: feed text shown to analysts; None when blank."""
    return one_line_text(written or "")[:MAX_DATE_CHARS].rstrip() or None


def _guid(entry: Mapping[str, Any]) -> str | None:
    value = entry.get("id")
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:MAX_GUID_CHARS] or None


def _richest_text(entry: Mapping[str, Any]) -> str:
    """Full content when the feed carries it, else the summary."""
    candidates = [part.get("value", "") for part in entry.get("content") or ()]
    candidates.append(entry.get("summary") or "")
    return max(candidates, key=len)


def _document_error(doc: Mapping, entries: int, unclosed: int) -> str | None:
    """Why the document is no feed, or None. A document cut short (a dropped connection, a full disk upstream, a
    Content-Length that lies: "<rss><channel><title>bad") is XML that does not close, and is rejected whole: kept, it
    would pass as a healthy empty feed (and its body hash would make the next poll "unchanged") or store cut entries
    (no date, no link, part of the text) that return as new articles once the whole feed comes back, or, keyed by
    GUID, never. Nothing of it is kept, so the next poll reads it again. Cut after its last entry closed (a generator
    that never writes `</rss>`), its entries are whole and kept. Other XML slips (a bare "&" in a quiet feed's title)
    stay healthy: every prefix of a valid feed ends in one of TRUNCATED_XML, and none of the 178 captured real feeds
    does. After such a slip feedparser reads on with its loose parser, which reports no cut: there an entry that
    never closes (`unclosed`, of those feedparser read) is the sign."""
    if not entries and not doc.get("version"):
        return "not a recognisable RSS/Atom feed"
    error = doc.get("bozo_exception")
    if isinstance(error, SAXParseException) and error.getMessage() in TRUNCATED_XML and not (entries and not unclosed):
        read = f"inside an entry, after {entries} entries: nothing stored" if entries else "and no entries read"
        return f"XML cut short {read}: {_describe(error)}"
    if error is not None and unclosed:
        return (f"XML cut short or broken: {unclosed} of the {len(doc['entries'])} entries read never close, nothing "
                f"stored (read past an earlier slip: {_describe(error)})")
    return None


_ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>|<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\b[^<>]*/>",
                        re.IGNORECASE)


def _unclosed_entries(body: bytes, entries: int) -> int:
    """How many of the items and entries feedparser read the body never closes (an empty `<item/>` closes itself).
    Counted in the bytes; a body in UTF-16 or UTF-32 that _as_utf8 could not decode is counted in its ASCII skeleton,
    without its NUL bytes."""
    skeleton = body.replace(b"\x00", b"") if b"\x00" in body[:4] else body
    return max(0, entries - len(_ENTRY_END.findall(skeleton)))


def _describe(exc: Any) -> str:
    text = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc)
    return one_line_text(text)[:MAX_REASON_CHARS]  # a parser's message may quote the document


def _repeats_note(repeats: int) -> str | None:
    """Entries dropped as another of the document's under one key: a live blog's updates under one GUID and link, say,
    of which the first is read (a later poll's version of it is an article_revisions row)."""
    return (f"{repeats} entries dropped as repeats of an earlier one (the same GUID and link, link, or title and date): "
            "the first read") if repeats else None


def _kept_links_note(kept: list[str]) -> str | None:
    """The document's record of the entry links kept as given although they carry another address: how many, and
    why the first one's was refused."""
    if not kept:
        return None
    return f"{len(kept)} entry link(s) kept as the feed gave them, the address carried refused: {kept[0]}"


def _failed(error: str) -> ParsedFeed:
    return ParsedFeed(entries=(), bozo_reason=None, error=one_line_text(error)[:MAX_REASON_CHARS], title=None)


def article_from_record(record: Mapping[str, Any], base_url: str, now: datetime,
                        stored: bool = False) -> ParsedArticle | None:
    """An archive record (id, title, text, url, published, language) cleaned exactly like a feed entry; a `stored`
    one (`export --table articles` wrote it) holds text cleaned so already, read as plain text: cleaned again, its
    words about markup ("<iframe sandbox>") were stripped as tags and its "&#769;" decoded."""
    entry = {"id": record.get("id"), "link": record.get("url"), "title": record.get("title"),
             "summary": record.get("text"), "published": record.get("published")}
    guid = _guid(entry)
    article = _article(entry, guid, guid, DocumentLinks(base_url, {}), now, STORED if stored else FEED)
    language = declared_language(record.get("language"))
    return replace(article, language=language) if article and language else article
