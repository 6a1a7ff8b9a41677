"""Article identity: canonical URLs and stable per-feed article keys."""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipeline.feeds.addresses import is_default_port
from pipeline.feeds.models import ParsedArticle
from pipeline.paths import SEEDS
from pipeline.url_seeds import SeedPlace, parameter_names, parameter_values, read_url_seed

# A mirror bot (orx365/rss-arch) rewrote links to https://archive.is/newest/<original URL>.
_ARCHIVE_PREFIX = re.compile(r"^https?://archive\.(?:is|ph|today|li|vn|md|fo)/newest/", re.IGNORECASE)
TRACKING_SEEDS = SEEDS / "tracking.toml"
_URL_GUID_PREFIXES = ("guid:http://", "guid:https://")  # case-sensitive, as stored keys are told apart
_WHITESPACE = re.compile(r"\s+")
_ASCII_NOT_WORD = re.compile(r"[^a-z0-9 ]")  # in ASCII, exactly the punctuation, symbol and control characters
_WORD = re.compile(r"\w+")
# Of a re-issued story most words stay: on Reuters, titles that recur within a week ("PROPOSED OFFERINGS
# RECENTLY FILED WITH THE SEC") over different texts share a third of their words, reissues nine tenths.
SAME_STORY_WORD_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class TrackingRules:
    """The query parameters that identify the click, not the document: by name, by name prefix, or by name with one
    value (`ref=rss`: elsewhere `ref` may name the document)."""

    names: frozenset[str]
    prefixes: tuple[str, ...]
    values: frozenset[tuple[str, str]] = frozenset()

    def drops(self, name: str, value: str) -> bool:
        lowered = name.lower()
        return lowered in self.names or lowered.startswith(self.prefixes) or (lowered, value.lower()) in self.values

    def with_added(self, added: TrackingRules) -> TrackingRules:
        return TrackingRules(self.names | added.names, tuple(sorted({*self.prefixes, *added.prefixes})),
                             self.values | added.values)


def canonical_url(url: str, rules: TrackingRules | None = None) -> str:
    """Normalise a URL for identity: lower-case scheme/host, no default port, no tracking params (today's, else
    `rules`), no fragment but a route."""
    url = _ARCHIVE_PREFIX.sub("", url.strip())
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # e.g. a malformed IPv6 host or port: keep what we have rather than fail
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if is_default_port(scheme, port) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query, rules or tracking_rules()),
                       _route(parts.fragment)))


def _route(fragment: str) -> str:
    """A fragment that routes a single-page site ("#/news/1", "#!/news/1") names the document: dropped, every
    story of the site would be its home page. Any other fragment is only a place in the page."""
    return fragment if fragment.startswith(("/", "!")) else ""


def _clean_query(query: str, rules: TrackingRules) -> str:
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not rules.drops(k, v)]
    return urlencode(sorted(kept))


def tracking_rules() -> TrackingRules:
    """What seeds/tracking.toml drops today."""
    return tracking_generations()[0]


def earlier_tracking_rules() -> tuple[TrackingRules, ...]:
    """What seeds/tracking.toml dropped before each of its [[added]] changes, the latest first: the rules links
    were keyed by then."""
    return tracking_generations()[1:]


@functools.lru_cache(maxsize=1)
def tracking_generations(path: Path = TRACKING_SEEDS) -> tuple[TrackingRules, ...]:
    """The rules of seeds/tracking.toml, today's first, then those before each [[added]] change back to the rules
    the first keys were stored under (its top-level lists)."""
    document = read_url_seed(path, {"parameters", "prefixes", "added"})
    rules = [TrackingRules(parameter_names(SeedPlace(path), document, "parameters"),
                           tuple(sorted(parameter_names(SeedPlace(path), document, "prefixes"))))]
    for added in _added_tables(path, document):
        rules.append(rules[-1].with_added(added))
    return tuple(reversed(rules))


def _added_tables(path: Path, document: dict) -> list[TrackingRules]:
    tables = document.get("added", [])
    if not isinstance(tables, list):
        raise SeedPlace(path, ("added",)).error("`added` must be [[added]] tables")
    return [_added_rules(SeedPlace(path).at("added", index, entry=f"[[added]] table {index + 1}"), table)
            for index, table in enumerate(tables)]


def _added_rules(place: SeedPlace, table: object) -> TrackingRules:
    """One [[added]] table: names, prefixes and name=value entries, at least one list of them."""
    keys = {"parameters", "prefixes", "values"}
    if not isinstance(table, dict) or not table or set(table) - keys:
        raise place.error(f"needs one or more of the keys {', '.join(sorted(keys))}, no other")

    def listed(key: str, read: Callable) -> frozenset:
        return read(place, table, key) if key in table else frozenset()

    return TrackingRules(listed("parameters", parameter_names), tuple(sorted(listed("prefixes", parameter_names))),
                         listed("values", parameter_values))


def normalized_title(title: str) -> str:
    """Title reduced for "same story" comparison: NFKC, case-folded, punctuation/symbols dropped."""
    if title.isascii():  # most titles; the per-character path below costs ~10x more
        letters = _ASCII_NOT_WORD.sub(" ", title.lower())
    else:
        folded = unicodedata.normalize("NFKC", title).casefold()
        letters = "".join(ch if unicodedata.category(ch)[0] not in "PSC" else " " for ch in folded)
    return _WHITESPACE.sub(" ", letters).strip()


def page_key(url: str, title: str) -> str:
    """One page under one title: a canonical link and a normalized title."""
    return f"{normalized_title(title)}|{url}"


def same_slug(url: str, other: str) -> bool:
    """Whether two links end in the same page name (last path segment, with the same query), or in the same id after
    their words: one article filed under another section ("/articles/china-yuan-fixing-e9", later
    "/finance/china-yuan-fixing-e9"), or its slug rewritten with its headline ("…/saudi-arabia-alcohol-ban-laws-
    d6f961de", later "…/saudi-arabia-eases-liquor-restrictions-d6f961de")."""
    try:
        parts, other_parts = urlsplit(url), urlsplit(other)
    except ValueError:
        return False
    slug, other_slug = (path.rstrip("/").rpartition("/")[2] for path in (parts.path, other_parts.path))
    if not slug or parts.query != other_parts.query:
        return False
    return slug == other_slug or (_slug_id(slug) is not None and _slug_id(slug) == _slug_id(other_slug))


def _slug_id(slug: str) -> str | None:
    """The id a slug ends in after its words ("d6f961de" of "saudi-arabia-eases-liquor-restrictions-d6f961de"): a last
    word of five characters or more with a digit in it; None for a slug of words alone, or of one word."""
    words, _, last = slug.rpartition("-")
    return last if words and len(last) >= 5 and any(char.isdigit() for char in last) else None


def same_story_text(text: str | None, other: str | None) -> bool:
    """Whether two texts under one title tell one story: most of their words shared (of all either uses). Two
    items without text are two stories: their links differ (one link is one article already), and a title alone
    repeats ("What to know about the report": the jobs report, then the inflation report four days later)."""
    words, other_words = (set(_WORD.findall((value or "").lower())) for value in (text, other))
    return bool(words | other_words) and len(words & other_words) >= SAME_STORY_WORD_SHARE * len(words | other_words)


def article_key(guid: str | None, link: str | None, title: str | None, published: datetime | None) -> str:
    """Stable key within one feed. Pass guid=None when the GUID is missing or not unique in the document."""
    if guid and guid.strip():
        return "guid:" + guid.strip()
    if link:
        return "url:" + canonical_url(link)
    stamp = published.isoformat() if published else ""
    digest = hashlib.sha256(f"{normalized_title(title or '')}|{stamp}".encode()).hexdigest()
    return "hash:" + digest[:32]


def url_key(key: str, rules: TrackingRules | None = None) -> str | None:
    """The key of the document a URL-shaped article key names, "url:" + its canonical URL (under today's tracking
    rules, else `rules`), whether the feed gave the URL as the entry's GUID or as its link; None for opaque GUIDs and
    title hashes. A GUID URL whose fragment canonical_url would drop keeps its own key: live blogs tell their entries
    apart by such fragments."""
    if key.startswith("url:"):
        return key
    if not key.startswith(_URL_GUID_PREFIXES):
        return None
    url = key.removeprefix("guid:")
    canonical = canonical_url(url, rules)
    return key if "#" in url and "#" not in canonical else "url:" + canonical


def keyed_by_link(feed: Mapping) -> bool:
    """Whether a feed's entries are keyed by their links (feeds.key_mode 'link': its GUIDs changed while its links
    stayed), not by their GUIDs."""
    return feed.get("key_mode", "guid") == "link"


def is_opaque_guid(key: str) -> bool:
    """Whether an article key is a GUID that names no URL: an outlet's own id, which its sibling feeds may share."""
    return key.startswith("guid:") and url_key(key) is None


def earlier_url_keys(parsed_key: str, key: str) -> list[str]:
    """Other keys the article keyed `key` (parsed as `parsed_key`) may be stored under: before migration 0016 a
    URL GUID was stored as it came ("guid:" + the URL), so one document was "guid:<URL>" from one feed and
    "url:<URL>" from another; and a URL GUID's canonical form before each [[added]] change of seeds/tracking.toml
    kept the parameters added since (a link's is the parser's: ParsedArticle.earlier_link_keys). None for keys that
    are not "url:" keys."""
    if not key.startswith("url:"):
        return []
    guid_form = "guid:" + key.removeprefix("url:")
    before_added = [url_key(parsed_key, rules) for rules in earlier_tracking_rules()] if parsed_key.startswith(
        _URL_GUID_PREFIXES) else []
    return [other for other in dict.fromkeys((parsed_key, guid_form, *before_added)) if other != key]


def guid_keys_by_link(entries: Iterable[ParsedArticle],
                      keys_of: Callable[[ParsedArticle], Iterable[str]] = lambda entry: [entry.key]
                      ) -> dict[str, set[str]]:
    """link -> keys (`keys_of`) of the entries keyed by their GUID: the input for detect_unstable_guids. Several
    items may share a link (a press office linking its section page), each under its own GUID."""
    keys: dict[str, set[str]] = {}
    for entry in entries:
        if entry.url and entry.key.startswith("guid:"):
            keys.setdefault(entry.url, set()).update(keys_of(entry))
    return keys


def detect_unstable_guids(previous: Mapping[str, Collection[str]], current: Mapping[str, Collection[str]],
                          *, min_shared: int = 2) -> bool:
    """True when most links seen in both fetches came back under a different GUID.

    Such feeds (e.g. a timestamp GUID regenerated on every request) must be keyed by link instead,
    otherwise every poll would look like a batch of new articles. A link carried by several items (each a key)
    changed only when none of its keys came back: a new item linking it is not a changed GUID.
    """
    shared = [link for link in current if link in previous]
    if len(shared) < min_shared:
        return False
    changed = sum(1 for link in shared if set(previous[link]).isdisjoint(current[link]))
    return changed * 2 > len(shared)
