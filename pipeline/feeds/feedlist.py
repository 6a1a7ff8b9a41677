"""The feed list: our TOML (seeds/feeds.toml) or OPML, the format every feed reader exchanges."""
from __future__ import annotations

import functools
import os
import re
import stat
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.sax.saxutils import escape, quoteattr

from pipeline.controls import CONTROLS, one_line
from pipeline.feeds.charset import is_utf8_beyond_ascii
from pipeline.feeds.identity import canonical_url
from pipeline.feeds.models import LANGUAGE_TAG, SPEC_FIELDS, FeedSpec
from pipeline.feeds.safety import rejection_reason
from pipeline.paths import SEEDS
from pipeline.redact import redact_url
from pipeline.toml_lines import line_in, line_index, located, syntax_error

SEED_FEEDS = SEEDS / "feeds.toml"
OPML_NS = "urn:pactwatch:opml:1"  # our extra outline attributes (id, outlet, country, tier, tags, enabled)

_ID_LIMIT, _TAG_LIMIT = 64, 40  # characters
_ID = re.compile(rf"[a-z0-9][a-z0-9._-]{{0,{_ID_LIMIT - 1}}}")  # these: fullmatch (`$` passes a final newline)
_TAG = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{_TAG_LIMIT - 1}}}")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_FIELDS = ("id",) + SPEC_FIELDS[1:]  # a feed list calls feed_id "id"
_TIERS = (1, 2, 3)
_TIER_TEXT = {str(tier): tier for tier in _TIERS}  # not int(): str.isdigit() passes "²", which int() refuses
_MAX_NESTING = 50  # outlines in outlines: readers nest folders a level or two, and _opml_entries recurses
_TOO_DEEP = "/".join(("outline",) * (_MAX_NESTING + 1))  # an ElementPath to any outline nested deeper
_XML_LEAD = b"\xef\xbb\xbf\xfe\xff \t\r\n"  # the bytes of byte order marks (UTF-8, UTF-16, UTF-32), and whitespace
# What XML 1.0 cannot carry, even as a reference: a name stored before names were checked is exported with U+FFFD
# in its place (it made the whole document one that no parser reads; quoteattr writes tab and newline as references)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REPLACEMENT = "\ufffd"
MAX_FEED_LIST_BYTES = 64 << 20  # generous: a 150,000-feed OPML export is about 10 MB


class FeedListError(ValueError):
    """A feed list that cannot be used; the message lists every problem found."""


def load_feed_list(path: str | Path = SEED_FEEDS) -> list[FeedSpec]:
    """Read a TOML or OPML feed list (detected from the content)."""
    path = Path(path)
    try:
        body = _regular_file_bytes(path)
    except OSError as exc:
        raise FeedListError(f"{path}: cannot read feed list: {exc}") from None
    return parse_feed_list(body, source=str(path))


def _regular_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file no larger than MAX_FEED_LIST_BYTES."""
    try:
        handle = open_regular_file(path)
    except NotARegularFile as exc:
        raise FeedListError(f"{path}: {exc} (a pipe or a device is not read as a feed list)") from None
    with handle:
        body = handle.read(MAX_FEED_LIST_BYTES + 1)  # read, not stat'ed: a file may grow while it is read
    if len(body) > MAX_FEED_LIST_BYTES:
        raise FeedListError(f"{path}: larger than {MAX_FEED_LIST_BYTES:,} bytes: not a feed list")
    return body


class NotARegularFile(OSError):
    """A FIFO, a device or a directory where a file is read."""


def open_regular_file(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file, else NotARegularFile. Opened without blocking and checked
    through the open descriptor: a FIFO's open() waits for a writer forever (in a fetch, in a thread no time cap can
    stop, holding the home's lock past SIGTERM), and a device such as /dev/zero never ends."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # before fdopen: its error for a directory names the descriptor
        os.close(descriptor)
        raise NotARegularFile("not a regular file")
    return os.fdopen(descriptor, "rb")


def parse_feed_list(body: bytes, source: str = "<feed list>") -> list[FeedSpec]:
    """OPML when `body` is XML, in whatever encoding it declares; else our TOML, which is UTF-8."""
    if _is_xml(body):
        return parse_opml(body, source)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedListError(f"{source}: not UTF-8, as a TOML feed list must be: {exc}") from None
    return parse_toml(text, source)


def _is_xml(body: bytes) -> bool:
    """Whether a '<' comes first after any byte order mark and whitespace; in UTF-16 and UTF-32 NUL bytes stand
    beside it, so they are dropped first (no TOML file holds one)."""
    return body[:1024].replace(b"\x00", b"").lstrip(_XML_LEAD).startswith(b"<")


def parse_toml(text: str, source: str = "<feeds.toml>") -> list[FeedSpec]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedListError(syntax_error(source, exc, "not valid TOML: ")) from None
    entries = document.get("feed", [])
    extra = set(document) - {"feed"}
    if extra or not isinstance(entries, list):
        raise FeedListError(f"{source}: expected only [[feed]] tables, found {sorted(extra) or type(entries).__name__}")
    lines = functools.cache(lambda: line_index(text))  # read only for a list with mistakes, once for all of them
    return validated_specs(entries, source, lambda index: line_in(lines(), ("feed", index)))


def parse_opml(body: bytes, source: str = "<feeds.opml>") -> list[FeedSpec]:
    """The feeds of an OPML document. An outline without pactwatch:id gets an id made up from its title or URL, which
    its spec does not count as stated: register_feed_specs fits it to the stored feeds (settle_made_up_ids)."""
    entries = list(_opml_entries(_opml_body(body, source), folders=()))
    made_up = ["id" not in entry for entry in entries]
    specs = validated_specs(_with_unique_ids(entries), source, local_allowed=False)
    return [replace(spec, stated=spec.stated - {"feed_id"}) if guessed else spec for spec, guessed in zip(specs, made_up)]


def _opml_body(body: bytes, source: str) -> ET.Element:
    """The <body> of an OPML document safe to walk, its bytes decoded by the XML parser as the document says (see
    _xml_parser)."""
    if reason := rejection_reason(body):
        raise FeedListError(f"{source}: refused OPML: {reason}")
    try:
        root = ET.fromstring(body, parser=_xml_parser(body))
    except ET.ParseError as exc:
        raise FeedListError(f"{source}: not valid OPML/XML: {exc}") from None
    except (LookupError, ValueError) as exc:  # expat reads no multi-byte charset but UTF-8/16, Python knows no "x-foo"
        raise FeedListError(f"{source}: OPML in an encoding that cannot be read ({exc}); save it as UTF-8") from None
    outlines = root.find("body")
    if root.tag != "opml" or outlines is None:
        raise FeedListError(f"{source}: not an OPML document (no <opml><body>)")
    if outlines.find(_TOO_DEEP) is not None:
        raise FeedListError(f"{source}: outlines nested more than {_MAX_NESTING} deep (folders in folders)")
    return outlines


def _xml_parser(body: bytes) -> ET.XMLParser:
    """A parser that decodes as the XML declaration or the byte order mark says, except bytes that are UTF-8 holding
    more than ASCII: those are read as UTF-8 whatever is declared (readers have declared ISO-8859-1 over UTF-8, which
    made "Ã©" of every "é"; see is_utf8_beyond_ascii)."""
    return ET.XMLParser(encoding="utf-8" if is_utf8_beyond_ascii(body) else None)


def export_opml(specs: Iterable[FeedSpec], title: str = "PactWatch feeds") -> tuple[str, list[FeedSpec]]:
    """The OPML document of `specs`, and the local (file:) feeds left out of it, which OPML may not carry
    (parse_opml refuses them: an OPML file comes from other feed readers)."""
    specs = list(specs)
    local = [spec for spec in specs if _is_local(spec.url)]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:pactwatch="{OPML_NS}">',
        f"  <head><title>{escape(title)}</title></head>",
        "  <body>",
    ]
    lines += [f"    <outline {_opml_attributes(spec)}/>" for spec in specs if spec not in local]
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines), local


def validated_specs(entries: list[Any], source: str, line_of_entry: Callable[[int], int | None] = lambda index: None,
                    local_allowed: bool = True) -> list[FeedSpec]:
    """FeedSpecs of feed-list entries (mappings of the TOML fields), or a FeedListError naming every problem, each
    with the line of its entry where `line_of_entry` (of its index) knows it ("feeds.toml:93: feed #12 ..."). Without
    `local_allowed` (OPML, which comes from other feed readers), a file: URL is one of the problems."""
    specs, errors = [], []
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            problems, name = ["expected a table of fields"], ""
        else:
            problems = _entry_problems(entry, _FEED_URL if local_allowed else _REMOTE_FEED_URL)
            name = f" ({entry.get('id')!r})" if "id" in entry else ""
        if not problems:
            spec = _spec(entry)
            problems += _duplicate_problems(spec, seen_ids, seen_urls)
            specs.append(spec)
        if problems:
            label = located(source, f"feed #{number}{name}", line_of_entry(number - 1))
            errors += [f"{label}: {problem}" for problem in problems]
    if errors:
        raise FeedListError("\n".join(errors))
    return specs


_FEED_URL = (lambda v: isinstance(v, str) and _is_feed_url(v), "must be an absolute http(s) or file URL")
# a file: URL in an OPML file from another feed reader would make ingest read and publish a local file
_REMOTE_FEED_URL = (lambda v: isinstance(v, str) and _is_feed_url(v) and not _is_local(v),
                    "must be an absolute http(s) URL (a file: URL would read a local file: list local feeds in a feeds "
                    "TOML)")


def _entry_problems(entry: Mapping[str, Any], url_check: tuple[Callable[[Any], Any], str]) -> list[str]:
    problems = [f"unknown field {key!r} (known: {', '.join(_FIELDS)})" for key in entry if key not in _FIELDS]
    problems += [f"missing required field {key!r}" for key in ("id", "url") if key not in entry]
    checks = {
        "id": (lambda v: isinstance(v, str) and _ID.fullmatch(v), "must be lower-case letters, digits, '.', '_' or '-' (≤ 64)"),
        "url": url_check,
        "name": (_is_name, "must be a non-empty string without control characters"),
        "outlet": (_is_name, "must be a non-empty string without control characters"),
        "outlet_country": (_is_country, "must be the ISO 3166-1 alpha-3 code of a country PactWatch tags, such as 'GBR'"),
        "language": (lambda v: isinstance(v, str) and LANGUAGE_TAG.fullmatch(v), "must be a language tag such as 'en' or 'pt-BR'"),
        "tier": (lambda v: type(v) is int and v in _TIERS, "must be 1, 2 or 3"),
        "tags": (lambda v: isinstance(v, list) and all(isinstance(t, str) and _TAG.fullmatch(t) for t in v),
                 "must be a list of lower-case tags (letters, digits, '_' or '-'; ≤ 40 each)"),
        "enabled": (lambda v: type(v) is bool, "must be true or false"),
    }
    for key, (check, expectation) in checks.items():
        if key in entry and not check(entry[key]):
            problems.append(f"{key} {expectation}, got {_shown(key, entry[key])!r}")
    return problems


def _shown(key: str, value: Any) -> Any:
    """A refused value as an error names it: a URL without its credentials (cron mails the error, journald keeps it)."""
    return redact_url(value) if key == "url" and isinstance(value, str) else value


def _is_name(value: Any) -> bool:
    """A name is one line of text: `feeds add --name $'ev\\x01il'` was stored, and export-opml then wrote XML (which
    cannot carry \\x01) that import-opml refused; one with a C1 control or a bidi override reached the terminal."""
    return isinstance(value, str) and bool(value.strip()) and not CONTROLS.search(value)


def _is_country(value: Any) -> bool:
    """A code no tag can carry ("UKR " or "XXX" as much as "ukraine") would file the outlet under no country."""
    from pipeline.seeds import country_codes  # here: the poll workers import this module and never need the gazetteer

    return isinstance(value, str) and value in country_codes()


def _duplicate_problems(spec: FeedSpec, seen_ids: set[str], seen_urls: set[str]) -> list[str]:
    problems = []
    url = canonical_url(spec.url)
    if spec.feed_id in seen_ids:
        problems.append(f"duplicate id {spec.feed_id!r}")
    if url in seen_urls:
        problems.append(f"duplicate url {redact_url(spec.url)!r}")
    seen_ids.add(spec.feed_id)
    seen_urls.add(url)
    return problems


def _spec(entry: Mapping[str, Any]) -> FeedSpec:
    name = entry.get("name", entry["id"]).strip()
    return FeedSpec(
        feed_id=entry["id"], url=entry["url"].strip(), name=name, outlet=entry.get("outlet", name).strip(),
        outlet_country=entry.get("outlet_country"), language=entry.get("language"), tier=entry.get("tier", 2),
        tags=tuple(entry.get("tags", ())), enabled=entry.get("enabled", True),
        stated=frozenset("feed_id" if key == "id" else key for key in entry).intersection(SPEC_FIELDS),
    )


def _is_feed_url(url: str) -> bool:
    """A local file, or an http(s) URL a request can be made to: no control characters in either (httpx refuses C0
    at every poll, `feeds list` prints the URL; urlsplit drops tabs and newlines, so "fi&#9;le:" is a file: URL to
    the fetcher), no whitespace in the host, a port in range. A space in the path or query is allowed; it is sent
    percent-encoded."""
    url = url.strip()
    if CONTROLS.search(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # raises on a port out of range or not a number
    except ValueError:
        return False
    if parts.scheme == "file":
        return bool(parts.path)
    return (parts.scheme in ("http", "https") and bool(parts.hostname)
            and not any(character.isspace() for character in parts.netloc))


def _is_local(url: str) -> bool:
    """From the scheme as urlsplit reads it, as the fetcher does: read off the text, "fi&#9;le:" passed the OPML
    refusal of file: URLs, and ingest then failed with an internal error (local_path gave None)."""
    try:
        return urlsplit(url.strip()).scheme == "file"
    except ValueError:  # no URL at all: validation refuses it
        return False


def local_path(url: str) -> Path | None:
    """The path a file: feed URL names (None for any other URL)."""
    return Path(url2pathname(urlsplit(url.strip()).path)) if _is_local(url) else None


def _opml_entries(outline_parent: ET.Element, folders: tuple[str, ...]) -> Iterable[dict[str, Any]]:
    """Feeds are outlines with a feed URL; outlines without one are folders, which become tags."""
    for outline in outline_parent.findall("outline"):
        attributes = _plain_attributes(outline)
        if _feed_url(attributes):
            yield _opml_entry(outline, attributes, folders)
            continue
        label = _label(attributes)
        yield from _opml_entries(outline, folders + (_slug(label, _TAG_LIMIT),) if label else folders)


def _plain_attributes(outline: ET.Element) -> dict[str, str]:
    """The outline's attributes outside any namespace, by lower-case name: OPML spells them xmlUrl, but readers
    export xmlurl and XMLURL too. Ours (pactwatch:…) are namespaced and read by their exact names."""
    return {name.lower(): value for name, value in outline.attrib.items() if not name.startswith("{")}


def _feed_url(attributes: Mapping[str, str]) -> str | None:
    """xmlUrl, else the url= some readers write on an outline typed as a feed (on other types it is a web link)."""
    if attributes.get("xmlurl"):
        return attributes["xmlurl"]
    return attributes.get("url") if attributes.get("type", "").lower() in ("rss", "atom") else None


def _label(attributes: Mapping[str, str]) -> str:
    """A name may hold no control character, and a title another reader wrote over two lines (XML carries &#10;) is
    still its feed's name: one line, rather than the whole file refused."""
    return one_line(attributes.get("title") or attributes.get("text") or "")


def _opml_entry(outline: ET.Element, attributes: Mapping[str, str], folders: tuple[str, ...]) -> dict[str, Any]:
    ours = {key: outline.get(f"{{{OPML_NS}}}{key}") for key in ("id", "outlet", "country", "tier", "tags", "enabled")}
    url, label = _feed_url(attributes), _label(attributes)
    entry: dict[str, Any] = {"id": ours["id"], "url": url} if ours["id"] else {"url": url}
    if label:
        entry["name"] = label
    if ours["outlet"]:
        entry["outlet"] = one_line(ours["outlet"])
    if ours["country"]:
        entry["outlet_country"] = ours["country"]
    if attributes.get("language"):
        entry["language"] = attributes["language"]
    if ours["tier"]:
        entry["tier"] = _TIER_TEXT.get(ours["tier"], ours["tier"])
    if ours["tags"] is not None or any(folders):  # else the OPML says nothing of tags: a refresh keeps them
        tags = ours["tags"].split(",") if ours["tags"] is not None else folders
        entry["tags"] = [tag for tag in tags if tag]
    if ours["enabled"]:
        entry["enabled"] = {"true": True, "false": False}.get(ours["enabled"], ours["enabled"])
    return entry


def _with_unique_ids(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ids for the entries without one (an OPML file from another reader has none of ours), made up from the title
    or URL, with a numeric suffix when the file has it already. An id the file states is never changed (a duplicate
    one is reported): a made-up id that came first once pushed it to "-2"."""
    taken = {entry["id"] for entry in entries if "id" in entry}
    for entry in entries:
        if "id" not in entry:
            entry["id"] = _free_id(_made_up_id(entry.get("name", ""), entry["url"]) or "feed", taken)
            taken.add(entry["id"])
    return entries


def feeds_sharing_a_url(rows: Iterable[Mapping[str, Any]]) -> list[list[str]]:
    """The ids of enabled feeds that poll one URL (canonically), in groups: a TOML list or `feeds add` may give a
    stored URL a second id, and each poll of it then fetches the same document twice."""
    by_url: dict[str, list[str]] = {}
    for row in rows:
        if row["enabled"]:
            by_url.setdefault(canonical_url(row["url"]), []).append(row["feed_id"])
    return [sorted(ids) for ids in by_url.values() if len(ids) > 1]


def given_no_outlet(specs: Iterable[FeedSpec]) -> set[str]:
    """The ids of the specs that give their feed neither outlet nor name (an outlet equal to its id, given, is an
    operator's choice)."""
    return {spec.feed_id for spec in specs if not {"outlet", "name"} & spec.stated}


def cited_under_their_ids(rows: Iterable[Mapping[str, Any]], ids: Container[str]) -> list[str]:
    """The feeds of `ids` (given neither outlet nor name by a list or `feeds add`) whose outlet is their own id,
    sorted: their articles are cited under the id. Their channel title is not taken in its place: it names a
    section, a page or an aggregator's query as often as the outlet ("Business: BreakingNews.ie", "NYT > Home Page",
    "Google Alert - Slack"), and it is the feed's own claim, not its operator's."""
    return sorted(row["feed_id"] for row in rows if row["feed_id"] in ids and row["outlet"] == row["feed_id"])


def settle_made_up_ids(specs: Sequence[FeedSpec], stored_urls: Mapping[str, str | Collection[str]]) -> list[FeedSpec]:
    """`specs` with their made-up ids (parse_opml) fitted to the stored feeds (id -> URL, or its URLs: the listed one
    and the one a permanent redirect moved it to): one that is a stored feed (the same canonical URL) takes that feed's
    id and refreshes it, and one whose id a different stored feed holds gets a free id. Taken as made up, an id from a
    title that two outlets share replaced the stored feed's URL and name. Ids the list states are kept: they name the
    feed they refresh, and no made-up id takes one."""
    if all("feed_id" in spec.stated for spec in specs):  # a TOML list, `feeds add`, our own OPML
        return list(specs)
    stated = {spec.feed_id for spec in specs if "feed_id" in spec.stated}
    canonical = {feed_id: {canonical_url(url) for url in ((urls,) if isinstance(urls, str) else urls)}
                 for feed_id, urls in stored_urls.items()}
    ids_by_url = {url: feed_id for feed_id, urls in canonical.items() if feed_id not in stated for url in sorted(urls)}
    taken = set(canonical) | {spec.feed_id for spec in specs}
    return [spec if "feed_id" in spec.stated else replace(spec, feed_id=_settled_id(spec, canonical, ids_by_url, taken))
            for spec in specs]


def ids_held_elsewhere(specs: Sequence[FeedSpec], stored_before: Mapping[str, str],
                       stored_after: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(new id, held id) for each feed of `specs` that settle_made_up_ids gave a free id because the id its title
    makes was held by a stored feed at another URL (stored_before: id -> URL). Often the same feed, moved: the stored
    one then goes on polling its old URL beside the new one, and only its owner can tell."""
    new_ids_by_url = {canonical_url(row["url"]): row["feed_id"] for row in stored_after
                      if row["feed_id"] not in stored_before}
    return [(new_ids_by_url[canonical_url(spec.url)], spec.feed_id) for spec in specs
            if "feed_id" not in spec.stated and spec.feed_id in stored_before
            and canonical_url(spec.url) in new_ids_by_url]


def _settled_id(spec: FeedSpec, canonical: Mapping[str, set[str]], ids_by_url: Mapping[str, str],
                taken: set[str]) -> str:
    """The id of the stored feed `spec` is, else its own id, or a free one (then taken) where a different stored
    feed holds its own."""
    url = canonical_url(spec.url)
    if url in canonical.get(spec.feed_id, ()):  # asked first: the store may hold one URL under two ids
        return spec.feed_id
    if url in ids_by_url:
        return ids_by_url[url]
    if spec.feed_id not in canonical:
        return spec.feed_id
    taken.add(free := _free_id(spec.feed_id, taken))
    return free


def _free_id(base: str, taken: Container[str]) -> str:
    """`base`, else the first of `base-2`, `base-3`… not taken (`base` cut so that the suffix fits the id limit)."""
    feed_id, number = base, 2
    while feed_id in taken:
        suffix = f"-{number}"
        feed_id, number = base[:_ID_LIMIT - len(suffix)] + suffix, number + 1
    return feed_id


def slug(text: str) -> str:
    """Lower-case letters and digits joined by single hyphens: the shape of a feed id. Accented Latin letters lose
    their accents ("Le Monde édition" gave `le-monde-dition`); letters without an ASCII base drop out."""
    unaccented = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_JUNK.sub("-", unaccented.lower()).strip("-")


def _slug(text: str, limit: int) -> str:
    """A slug cut to `limit`: a folder's name of more than 40 characters made a tag that failed validation, and the
    whole file was refused."""
    return slug(text)[:limit].strip("-")


def _made_up_id(label: str, url: str) -> str:
    """An id from the feed's title, else from its URL's host and path (not parsed: the URL is not validated yet): a
    title in Cyrillic or Chinese letters leaves no slug, and the empty id refused the file."""
    return _slug(label, _ID_LIMIT) or _slug(url.partition("://")[2] or url, _ID_LIMIT)


def _opml_attributes(spec: FeedSpec) -> str:
    attributes = {"type": "rss", "text": spec.name, "title": spec.name, "xmlUrl": spec.url}
    if spec.language:
        attributes["language"] = spec.language
    attributes |= {"pactwatch:id": spec.feed_id, "pactwatch:outlet": spec.outlet,
                   "pactwatch:tags": ",".join(spec.tags), "pactwatch:enabled": "true" if spec.enabled else "false"}
    if spec.tier is not None:  # a warehouse row may have none: the importing side then applies its default
        attributes["pactwatch:tier"] = str(spec.tier)
    if spec.outlet_country:
        attributes["pactwatch:country"] = spec.outlet_country
    return " ".join(f"{key}={quoteattr(_NOT_XML.sub(_REPLACEMENT, value))}" for key, value in attributes.items())
