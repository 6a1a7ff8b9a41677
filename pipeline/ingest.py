"""Orchestration: fetched or local feed documents -> articles -> dedup -> tags -> one committed run -> publish."""
from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple

from .feeds.identity import (article_key, detect_unstable_guids, earlier_url_keys, guid_keys_by_link, is_opaque_guid,
                             keyed_by_link, normalized_title, page_key, same_slug, same_story_text, url_key)
from .article_day import count_undated
from .feeds.dates import filing_date
from .feeds.feedlist import (SEED_FEEDS, cited_under_their_ids, given_no_outlet, load_feed_list,
                             settle_made_up_ids)
from .feeds.http import HttpConfig
from .feeds.text import one_line_text
from .feeds.models import (SUCCESS_OUTCOMES, UNCHANGED_OUTCOMES, FeedSpec, FeedState, FetchResult, ParsedArticle,
                           ParsedFeed)
from .feeds.poll import parse_bodies, poll
from .pool import make_process_pool
from .feeds.schedule import fetch_outcome, host_blocks, is_due, next_state, not_asked
from .home import Home
from .redact import redact_url
from .revisions import new_revisions
from .store.queries import DEMO_FINISHED, DEMO_STARTED, DEMO_STATE, is_demo
from .store.snapshot import PublishError, Published, publish, publish_compacted, published_behind
from .store.warehouse import (FEED_SPEC_COLUMNS, FEED_STATE_COLUMNS, GuidHolder, StoredArticle, StoredPage,
                              TitledStory, Warehouse)
from .tag_pool import derive_batches
from .writer import open_writer

SAME_STORY_WINDOW = timedelta(days=7)
BULK_PUBLISH_SECONDS = 60.0
IMPORT = "import"  # the run kind of `pactwatch import`
# A GUID that is an item's place in its feed ("1", "2", ...), which a feed numbering its items gives a new story: not
# an id of its own, which stays its story's through an edit of headline, link and words
_POSITION = re.compile(r"[0-9]{1,4}")
RUN_ERRORS_LISTED = 20  # runs.error names the first failures and counts the rest: one line, however many feeds fail


@dataclass
class FeedDocument:
    """One feed's contribution to a run: its stored row, what the fetch said, what the parser found."""

    feed: Mapping
    fetch: FetchResult | None
    parsed: ParsedFeed | None
    next_state: Mapping | None = None


class RunNotPublished(PublishError):
    """A run committed, whose publish then failed (a full disk): it is stored, and the next writing command publishes
    it. `summary` is the run's, for its log line."""

    def __init__(self, summary: "RunSummary", failure: PublishError):
        super().__init__(f"run {summary.run_id} is stored; publishing failed: {failure}; the next `pactwatch ingest` "
                         "publishes it")
        self.summary = summary


@dataclass
class RunSummary:
    run_id: int
    kind: str
    feeds_polled: int = 0
    not_modified: int = 0
    failures: int = 0
    # not fetched: the fetch budget ran out first, or the feed's host had asked for a pause (no failure; in the log,
    # not in `runs`)
    deferred: int = 0
    new_articles: int = 0
    # of the new articles, those without a usable date of their own (date_quality other than ok), filed under the day
    # first stored: a new feed's backlog or a replay of old captures shows here (in the log, not in `runs`)
    undated: int = 0
    duplicates: int = 0
    # of the duplicates, those whose feed served a version of a stored article not recorded before (article_revisions;
    # in the log, not in `runs`: count article_revisions by run_id)
    revised: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    # the publish after the run (in the log only: `seconds` ends at the commit): how long it took and how its copy was
    # written, "bytes", or "masked" while the writer holds a credential (README, "Ad-hoc SQL"), whose cost grows
    publish_seconds: float | None = None
    publish_copy: str | None = None

    def as_row(self, started_at: datetime, finished_at: datetime, tagger_version: str) -> dict:
        return {
            "run_id": self.run_id, "kind": self.kind, "started_at": started_at, "finished_at": finished_at,
            "status": "completed", "feeds_polled": self.feeds_polled, "not_modified": self.not_modified,
            "failures": self.failures, "new_articles": self.new_articles, "duplicates": self.duplicates,
            "seconds": self.seconds, "tagger_version": tagger_version,
            "error": _listed_errors(self.errors),
        }


def _listed_errors(errors: list[str]) -> str | None:
    """The first RUN_ERRORS_LISTED errors, and how many more there were (a cut list would read as the whole one)."""
    more = len(errors) - RUN_ERRORS_LISTED
    return "; ".join(errors[:RUN_ERRORS_LISTED] + ([f"and {more} more"] if more > 0 else [])) or None


def article_id_for(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def content_hash(title: str | None, text: str | None) -> str:
    """What tells two versions of an article apart: its title and text as stored, the text on one line. Every version
    before migration 0071 stored it so (no paragraphs), and a poll of an article it stored finds the same hash."""
    one_line = one_line_text(text) if text else text
    return hashlib.sha256(f"{title}\n{one_line}".encode("utf-8", "surrogatepass")).hexdigest()


def _link_key(url: str, stored_keys: Iterable[str], scope: str) -> str:
    """The entry key of a link: the first of this feed's stored keys under it that its scope made (unscoped again, so
    that scoped_key gives it back), else the link's own."""
    scoped = sorted(key for key in stored_keys if key.startswith(scope))
    return scoped[0].removeprefix(scope) if scoped else article_key(None, url, None, None)


def scoped_key(key: str, feed: Mapping) -> str:
    """The stored form of an entry's key. URL-shaped keys are global (one story via many feeds), the same whether a
    feed gives the URL as GUID or as link; opaque GUIDs only mean something per outlet, the one the feed was added with
    (its key_scope): renaming the outlet must not give its articles new ids."""
    return url_key(key) or f"{feed['key_scope']}:{key}"


def _entry_keys(entry: ParsedArticle) -> list[str]:
    """The keys an entry may have had: its own, that of its legacy reading (ParsedArticle.legacy_key) and its link's
    under earlier tracking rules (ParsedArticle.earlier_link_keys)."""
    legacy = [] if entry.legacy_key is None else [entry.legacy_key]
    return [entry.key, *legacy, *entry.earlier_link_keys]


def _stored_keys(entry: ParsedArticle, feed: Mapping) -> list[str]:
    """Every key the entry's article may be stored under, its own first: each key it may have had (_entry_keys), in
    its stored form and in the forms of earlier versions (earlier_url_keys: before migration 0016, before each
    [[added]] change of seeds/tracking.toml)."""
    forms = []
    for key in _entry_keys(entry):
        scoped = scoped_key(key, feed)
        forms += [scoped, *earlier_url_keys(key, scoped)]
    return forms


class _Entries(NamedTuple):
    """A document's entries waiting for their keys (RunBuilder._add_candidates)."""
    feed: Mapping
    entries: tuple[ParsedArticle, ...]
    language: str | None
    fetch_index: int  # into RunBuilder.fetch_rows


def _links_to_look_up(entries: tuple[ParsedArticle, ...], feed: Mapping) -> set[str]:
    """The links whose stored keys the feed's entries need: a link-keyed feed's entries not keyed by their link yet
    (an import's records; a polled feed's come keyed by link from parsing and cost no lookup); a GUID-keyed feed's,
    to notice GUIDs that change while links stay (two links at least), and to key them by link if they did."""
    unkeyed = {entry.url for entry in entries if entry.url and url_key(entry.key) is None}
    if keyed_by_link(feed):
        return unkeyed
    guid_links = set(guid_keys_by_link(entries))
    return unkeyed | guid_links if len(guid_links) >= 2 else set()


def _link_keyed(entries: tuple[ParsedArticle, ...], feed: Mapping,
                stored: Mapping[str, list[str]]) -> tuple[ParsedArticle, ...]:
    """Entries keyed by their link; one whose link this feed stored under its own scoped key before (an import's
    record, stored by its id before the source turned link-keyed) keeps that key, so a re-imported undated record
    matches it on any day, not only within the same-story window. `stored`: url -> this feed's stored keys."""
    scope = f"{feed['key_scope']}:"
    return tuple(replace(entry, key=_link_key(entry.url, stored.get(entry.url, ()), scope))
                 if entry.url and url_key(entry.key) is None else entry for entry in entries)


def _guids_unstable(entries: tuple[ParsedArticle, ...], feed: Mapping, stored: Mapping[str, list[str]]) -> bool:
    """GUIDs that change while links stay would make every poll look like new articles. `stored`: url -> this
    feed's stored keys."""
    # an entry's legacy key too: an article stored under it, back under the entry's own key beside the same link, is
    # no GUID that changed
    current = guid_keys_by_link(entries, lambda entry: [scoped_key(key, feed) for key in _entry_keys(entry)])
    if len(current) < 2:
        return False
    # a URL GUID stored in its earlier form ("guid:<URL>") is the same key as its "url:" form today; an article
    # of another scope (another outlet's, which this feed's entry was the same page as) says nothing of its GUIDs
    scope = f"{feed['key_scope']}:"
    ours = {link: {url_key(key) or key for key in keys if url_key(key) or key.startswith(scope)}
            for link, keys in stored.items()}
    return detect_unstable_guids({link: keys for link, keys in ours.items() if keys}, current)


def _opaque_guid_id(entry: ParsedArticle, feed: Mapping) -> str | None:
    """The article id of an entry keyed by an opaque GUID (an outlet's own, shared by its feeds), else None."""
    return article_id_for(scoped_key(entry.key, feed)) if is_opaque_guid(entry.key) else None


def _keyed_by_link_if_reused(entry: ParsedArticle, feed: Mapping, holder: GuidHolder | None) -> ParsedArticle:
    """The entry keyed by its link when its opaque GUID holds another story (`holder`: another link, another title and
    other words): one outlet's feeds numbering their items alike ("1", "2", ...) made a second story a duplicate of the
    first, stored nowhere; and a feed numbering its own items made every new story a later version of the first,
    untagged, and after ten of them nothing at all. In a feed that carried the holder only a GUID that is such a
    number (_POSITION) is reused: under an id, a story rewritten over a new headline, slug and summary is one article
    (a later version of it, article_revisions), as a headline and slug edited over the same words, or a page moved to
    another section under its name or id, are in any feed. Its legacy key goes with the GUID: the holder may be stored
    under it."""
    if (holder is None or not entry.url or entry.url == holder.url
            or (holder.url is not None and same_slug(entry.url, holder.url))
            or normalized_title(entry.title or "") == normalized_title(holder.title or "")
            or same_story_text(entry.text, holder.text)
            or (feed["feed_id"] in holder.feeds and not _POSITION.fullmatch(entry.guid or ""))):
        return entry
    return replace(entry, key=article_key(None, entry.url, None, None), legacy_key=None)


class RunBuilder:
    """Collects one run's documents, dedups and tags the new articles, then commits them in one transaction."""

    def __init__(self, warehouse: Warehouse, tagger, kind: str, now: datetime | None = None,
                 executor: Executor | None = None):
        self.warehouse = warehouse
        self.executor = executor
        self.tagger = tagger
        self.now = now or datetime.now(timezone.utc)
        self.started = time.monotonic()
        self.summary = RunSummary(run_id=warehouse.next_run_id(), kind=kind)
        self.fetch_rows: list[dict] = []
        self.state_rows: dict[str, dict] = {}  # one final state per feed, even if it sent several documents
        self.candidates: dict[str, dict] = {}
        self.links: dict[str, dict[str, dict]] = {}  # article_id -> feed_id -> link: every feed that carried it
        self.new_per_fetch: Counter[int] = Counter()  # index into fetch_rows -> its entries stored as new
        self.kept_as: dict[str, str] = {}  # article_id of a candidate dedup dropped -> the article it was found to be
        self.revisions: list[dict] = []  # article_revisions rows: later versions of stored articles
        self.unkeyed: list[_Entries] = []  # the documents' entries, keyed at commit

    def add(self, document: FeedDocument) -> dict:
        """Take one fetched document's entries and state; returns its `fetches` row. The entries are keyed at commit,
        when one query looks up the stored links of every feed of the run."""
        self._count_outcome(document)
        entries = document.parsed.entries if document.parsed and not document.parsed.error else ()
        # The feed list's language wins; else what the document declares (a feed added without --language).
        language = document.feed.get("language") or (document.parsed.language if document.parsed else None)
        row = self._record_fetch(document, len(entries))
        if entries:
            self.unkeyed.append(_Entries(document.feed, entries, language, len(self.fetch_rows) - 1))
        if document.next_state is not None:
            self.state_rows[document.feed["feed_id"]] = dict(document.next_state)
        return row

    def _add_candidates(self) -> None:
        """Every document's entries keyed and added, the stored keys of all the run's feeds' links read in one query:
        one a feed read the stored articles' links once per feed per run (docs/benchmarks.md, bottleneck 17)."""
        wanted: dict[str, set[str]] = {}
        for pending in self.unkeyed:
            links = _links_to_look_up(pending.entries, pending.feed)
            if links:
                wanted.setdefault(pending.feed["feed_id"], set()).update(links)
        stored = self.warehouse.keys_by_feed_link(wanted)
        # each entry with the id of its opaque GUID (None for any other key, and for an import's records: those under
        # a stored id with another title or text are skipped before, id_reused)
        guid_id = (lambda entry, feed: None) if self.summary.kind == IMPORT else _opaque_guid_id
        keyed = [(pending, [(entry, guid_id(entry, pending.feed))
                            for entry in self._keyed(pending, stored.get(pending.feed["feed_id"], {}))])
                 for pending in self.unkeyed]
        holders = self._guid_holders(keyed)
        for pending, entries in keyed:
            for entry, article_id in entries:
                entry = _keyed_by_link_if_reused(entry, pending.feed, holders.get(article_id))
                self._add_candidate(entry, pending.feed, pending.language, pending.fetch_index)
        self.unkeyed = []

    def _guid_holders(self, keyed: list[tuple[_Entries, list[tuple[ParsedArticle, str | None]]]]
                      ) -> dict[str | None, GuidHolder]:
        """article_id -> the story holding each opaque GUID key of the run's entries (`keyed`: each with the id of its
        GUID, or None): the article stored under it, else the entry of the feed whose id sorts first (as _add_candidate
        keeps its text)."""
        holders: dict[str | None, GuidHolder] = dict(self.warehouse.guid_holders(sorted(
            {article_id for _, entries in keyed for _, article_id in entries if article_id is not None})))
        for pending, entries in sorted(keyed, key=lambda item: item[0].feed["feed_id"]):
            for entry, article_id in entries:
                if article_id is not None:
                    holders.setdefault(article_id, GuidHolder(entry.url, entry.title, entry.text,
                                                              (pending.feed["feed_id"],)))
        return holders

    def _keyed(self, pending: _Entries, stored: Mapping[str, list[str]]) -> tuple[ParsedArticle, ...]:
        """The entries under the keys their feed's key mode gives, switched to links when its GUIDs changed."""
        feed, entries = pending.feed, pending.entries
        if keyed_by_link(feed):  # as parsing keys a polled feed's entries; an import's records come keyed by their ids
            return _link_keyed(entries, feed, stored)
        if _guids_unstable(entries, feed, stored):
            self.state_rows[feed["feed_id"]] = {**(self.state_rows.get(feed["feed_id"]) or feed), "key_mode": "link"}
            return _link_keyed(entries, feed, stored)
        return entries

    def _count_outcome(self, document: FeedDocument) -> None:
        outcome = document.fetch.outcome if document.fetch else "ok"
        # No request sent (the fetch budget ran out, the host had asked for a pause): nobody's fault, and a feed not
        # polled; listed in runs.error, a paused host's feeds would hide the real failures.
        if document.fetch is not None and not_asked(document.fetch):
            self.summary.deferred += 1
            return
        self.summary.feeds_polled += 1
        if outcome in UNCHANGED_OUTCOMES:
            self.summary.not_modified += 1
        error = (document.fetch.error if document.fetch else None) or (document.parsed.error if document.parsed else None)
        if outcome not in SUCCESS_OUTCOMES or (document.parsed and document.parsed.error):
            self.summary.failures += 1
            self.summary.errors.append(f"{document.feed['feed_id']}: {error}")

    def _add_candidate(self, entry: ParsedArticle, feed: Mapping, language: str | None, fetch_index: int) -> None:
        key, *earlier_keys = _stored_keys(entry, feed)
        article_id = article_id_for(key)
        day = filing_date(entry.published_at, entry.date_quality, self.now)
        self.links.setdefault(article_id, {}).setdefault(feed["feed_id"], {
            "article_id": article_id, "feed_id": feed["feed_id"], "day": day, "first_seen_at": self.now,
            "run_id": self.summary.run_id})
        # the ids of every key it may be stored under, its own first
        key_ids = [article_id, *map(article_id_for, earlier_keys)]
        earlier = self.candidates.get(article_id)
        if earlier is not None:
            self.summary.duplicates += 1
            # either feed's earlier keys may be the one it is stored under (one linked it with a tracking parameter
            # since dropped), whichever feed gives the text
            earlier["_key_ids"] = key_ids = list(dict.fromkeys(earlier["_key_ids"] + key_ids))
            # Feeds finish in any order: of one article met in several feeds of a run (captures of one feed, an
            # outlet's section feeds), the first feed by id gives its text, so the same run stores the same text.
            if self.fetch_rows[earlier["_fetch"]]["feed_id"] <= feed["feed_id"]:
                return
        outlet = feed.get("outlet") or feed["feed_id"]
        self.candidates[article_id] = {
            "article_id": article_id, "article_key": key, "url": entry.url, "title": entry.title,
            "text": entry.text, "published_at": entry.published_at, "published_as_written": entry.published_as_written,
            "first_seen_at": self.now, "day": day,
            "date_quality": entry.date_quality, "outlet": outlet, "outlet_country": feed.get("outlet_country"),
            "language": entry.language or language,
            "content_hash": content_hash(entry.title, entry.text),
            # the outlet's key scope (its name when its first feed was added), as the keys: a renamed outlet's
            # reissue still meets the articles it stored under its old name
            "title_key": f"{feed['key_scope']}|{normalized_title(entry.title)}" if entry.title else None,
            "run_id": self.summary.run_id, "_fetch": fetch_index, "_key_ids": key_ids,
        }

    def _record_fetch(self, document: FeedDocument, entries: int) -> dict:
        fetch = document.fetch
        parsed = document.parsed
        self.fetch_rows.append({
            "run_id": self.summary.run_id, "feed_id": document.feed["feed_id"], "fetched_at": self.now,
            "url": _stored_fetch_url(fetch.final_url if fetch else document.feed.get("url")),
            "status_code": fetch.status_code if fetch else None,
            "outcome": fetch_outcome(fetch, parsed) if fetch else ("rejected" if parsed and parsed.error else "ok"),
            "bytes": fetch.bytes if fetch else None, "ms": fetch.elapsed_ms if fetch else None,
            "error": (fetch.error if fetch and fetch.error else None) or (parsed.error or parsed.bozo_reason if parsed else None),
            "entries": entries, "new_articles": 0,
        })
        return dict(self.fetch_rows[-1])  # a copy: what a caller does with it is not stored

    def commit(self, home: Home | None = None) -> RunSummary:
        self._add_candidates()
        new_articles = self._new_articles()
        for index, row in enumerate(self.fetch_rows):
            row["new_articles"] = self.new_per_fetch[index]
        self.summary.new_articles = len(new_articles)
        self.summary.undated = count_undated(row["date_quality"] for row in new_articles)
        self.warehouse.write_run(
            self._finished_run, fetches=self.fetch_rows, feed_states=list(self.state_rows.values()),
            articles=new_articles, article_feeds=[link for links in self.links.values() for link in links.values()],
            derived=self._tagged(new_articles), revisions=self.revisions)
        if home is not None:
            self._publish(home)
        return self.summary

    def _publish(self, home: Home) -> None:
        try:
            published = publish(self.warehouse.con, home)
        except PublishError as exc:
            failure = exc
        else:
            self.summary.publish_seconds, self.summary.publish_copy = published.seconds, published.copy
            return
        # Raised outside the handler: the CLI tells the innermost StoreError of a chain, which would not say the run is kept
        raise RunNotPublished(self.summary, failure)

    def _finished_run(self) -> dict:
        """The run's record, once its articles are tagged."""
        self.summary.seconds = round(time.monotonic() - self.started, 3)
        return self.summary.as_row(self.now, datetime.now(timezone.utc), self.tagger.version)

    def _new_articles(self) -> list[dict]:
        stored = self.warehouse.stored_articles([i for c in self.candidates.values() for i in c["_key_ids"]])
        fresh, changed = [], []
        for candidate in self.candidates.values():
            stored_as = next((i for i in candidate["_key_ids"] if i in stored), None)
            if stored_as is None:
                fresh.append(candidate)
                continue
            if candidate["content_hash"] != stored[stored_as].content_hash:
                changed.append(self._revision(candidate, stored_as, stored[stored_as]))
            self._link_to_kept(candidate["article_id"], stored_as, stored[stored_as].day)
        self._record_revisions(changed)
        self.summary.duplicates += len(self.candidates) - len(fresh)
        stored_pages = self._stored_pages(fresh)
        kept = self._drop_same_page(fresh, stored_pages)
        kept = self._drop_same_link(fresh, kept, stored_pages)
        fresh = self._drop_same_story(kept)
        for row in fresh:
            self.new_per_fetch[row.pop("_fetch")] += 1
            for link in self.links[row["article_id"]].values():  # two feeds of the run may date it apart
                link["day"] = row["day"]
        return fresh

    def _revision(self, candidate: Mapping, stored_as: str, stored: StoredArticle) -> dict:
        """The article_revisions row of a candidate that is a stored article under another title or text."""
        return {"article_id": stored_as, "day": stored.day, "run_id": self.summary.run_id,
                "feed_id": self.fetch_rows[candidate["_fetch"]]["feed_id"], "seen_at": self.now,
                "title": candidate["title"], "text": candidate["text"], "url": candidate["url"],
                "content_hash": candidate["content_hash"]}

    def _record_revisions(self, changed: list[dict]) -> None:
        """Keep the versions of `changed` to record (new_revisions), for the run's commit. Not an import's: an
        archive's id under another title or text is skipped before this as another story (id_reused), and a record
        keyed by its link is an archive's copy, not its feed correcting it."""
        if self.summary.kind == IMPORT or not changed:
            return
        self.revisions = new_revisions(changed, self.warehouse.known_versions({row["article_id"]: row["day"]
                                                                              for row in changed}))
        self.summary.revised = len(self.revisions)

    def _link_to_kept(self, article_id: str, kept_id: str, day: date) -> None:
        """The candidate is an article stored already (perhaps under an earlier form of its key) or kept in this
        run (the same story under another link): its feeds link to that article, on its day (a feed that re-dates
        the entry must not count it on another day than the article)."""
        for feed_id, link in self.links.pop(article_id).items():
            self.links.setdefault(kept_id, {}).setdefault(feed_id, {**link, "article_id": kept_id, "day": day})
        self.kept_as[article_id] = kept_id

    def _stored_pages(self, fresh: list[dict]) -> list[StoredPage]:
        """The stored articles at the links of `fresh`, for the same-page and same-link rules."""
        linked = [c for c in fresh if c["url"]]
        if not linked:
            return []
        # twice the window: a stored article keyed by its link meets the stories 7 days either side of its own day
        first_day, last_day = self._story_reach(linked, 2 * SAME_STORY_WINDOW)
        return self.warehouse.stored_pages([c["url"] for c in linked], first_day, last_day)

    def _drop_same_page(self, fresh: list[dict], stored: list[StoredPage]) -> list[dict]:
        """An entry whose link, title and text are a stored or kept article's is that article, whatever its outlet
        and key: one feed added twice under two outlet names keys its opaque GUIDs in two scopes. The title and text
        must match too, since a press office links many items to one section page."""
        seen: dict[str, list[TitledStory]] = {}
        for page in stored:
            if page.title:
                seen.setdefault(page_key(page.url, page.title), []).append(page.story)
        titled = [c for c in fresh if c["url"] and c["title"]]
        # an entry keyed by its link is kept whatever of this run follows (as the same-link rule keeps it): those keyed
        # otherwise meet it
        kept = [*self._drop_repeats([c for c in titled if _keyed_by_link(c)], _page_key, seen),
                *self._drop_repeats([c for c in titled if not _keyed_by_link(c)], _page_key, seen)]
        dropped = {c["article_id"] for c in titled} - {c["article_id"] for c in kept}
        return [c for c in fresh if c["article_id"] not in dropped]

    def _drop_same_link(self, fresh: list[dict], kept: list[dict], stored: list[StoredPage]) -> list[dict]:
        """An entry keyed by its link (the link's URL) and one with that link keyed otherwise (an opaque GUID, a GUID
        with a fragment such as BBC's "#0", a URL GUID stored as it came before migration 0016, another URL) are one
        article when the second is the only story keyed otherwise at that link within 7 days of the first, stored or
        in this run: a page syndicated or linked under other words. Several such stories at one link (a press office's
        statements linking its section page) stay apart, and apart from the entry keyed by the link. The stored
        article is kept; of two of this run, the one keyed by its link (as the same-page rule keeps it): its key is
        the page's address, which a later copy meets on any day. `fresh` is the run's new entries before the same-page
        rule, `kept` after it."""
        new = {c["article_id"] for c in kept}
        day_of = {page.story.article_id: page.story.day for page in stored} | {c["article_id"]: c["day"] for c in kept}
        for stories in self._stories_by_link(fresh, new, stored).values():
            for page in [story for story in stories if story.keyed_by_link]:
                other = _only_other_story(page, stories)
                if other is None:
                    continue
                dropped, kept_id = (other, page.article_id) if other in new else (page.article_id, other)
                if dropped in new:  # else both are stored: they were told apart before
                    self.summary.duplicates += 1
                    self._link_to_kept(dropped, kept_id, day_of[kept_id])
                    new.discard(dropped)
        return [c for c in kept if c["article_id"] in new]

    def _stories_by_link(self, fresh: list[dict], new: set[str],
                         stored: list[StoredPage]) -> dict[str, list[_LinkStory]]:
        """link -> the stories at it: the stored articles and this run's entries. An entry keyed otherwise that the
        same-page rule dropped stands for the article it joined (a copy of one story is no second story); one keyed by
        its link that it dropped joined a stored article, there already."""
        found: dict[str, list[_LinkStory]] = {}
        for page in stored:
            found.setdefault(page.url, []).append(_LinkStory(page.story.article_id, page.story.when, page.keyed_by_link))
        for row in fresh:
            if row["url"] and (row["article_id"] in new or not _keyed_by_link(row)):
                found.setdefault(row["url"], []).append(_LinkStory(
                    self.kept_as.get(row["article_id"], row["article_id"]), _when(row), _keyed_by_link(row)))
        return found

    def _drop_same_story(self, fresh: list[dict]) -> list[dict]:
        """The same normalized title from the same outlet within 7 days over mostly the same words is one story,
        stored once; a recurring title over another text ("Morning briefing") is another story."""
        if not fresh:
            return fresh
        first_day, last_day = self._story_reach(fresh)
        seen = self.warehouse.stored_by_title_key([c["title_key"] for c in fresh], first_day, last_day)
        return self._drop_repeats(fresh, itemgetter("title_key"), seen)

    @staticmethod
    def _story_reach(rows: list[dict], window: timedelta = SAME_STORY_WINDOW) -> tuple[date, date]:
        """The days a stored article must have to be within `window` of one of `rows`."""
        reach = window + timedelta(days=1)
        return min(r["day"] for r in rows) - reach, max(r["day"] for r in rows) + reach

    def _drop_repeats(self, fresh: list[dict], key_of: Callable[[dict], str | None],
                      seen: dict[str, list[TitledStory]]) -> list[dict]:
        """`fresh` without the rows that share a key (`key_of`) with a story in `seen` or kept before them, within 7
        days, over mostly the same words; their feeds link to that story instead."""
        kept = []
        # of rows alike, the first feed by id keeps its own, as a run keeps the text of one article met twice
        for row in sorted(fresh, key=lambda r: (_when(r), self.fetch_rows[r["_fetch"]]["feed_id"], r["article_id"])):
            key = key_of(row)
            earlier = seen.setdefault(key, []) if key else []
            same = next((other for other in earlier if abs(_when(row) - other.when) <= SAME_STORY_WINDOW
                         and same_story_text(row["text"], other.text)), None)
            if same is not None:
                self.summary.duplicates += 1
                # Its feeds carried the story too: link them to the kept article so they count it.
                self._link_to_kept(row["article_id"], same.article_id, same.day)
                continue
            earlier.append(_story(row))
            kept.append(row)
        return kept

    def _tagged(self, articles: list[dict]) -> Iterator[dict]:
        inputs = [(row["article_id"], row["day"], row["title"], row["text"], row["language"]) for row in articles]
        return derive_batches(inputs, self.tagger, self.executor)


def _stored_fetch_url(url: str | None) -> str | None:
    """A fetch's URL is history nobody polls from: stored as a reader may see it, credentials masked."""
    return redact_url(url) if url else url


def _when(row: Mapping) -> datetime:
    return row["published_at"] or row["first_seen_at"]


def _story(row: Mapping) -> TitledStory:
    return TitledStory(_when(row), row["text"], row["article_id"], row["day"])


class _LinkStory(NamedTuple):
    """A story at a link, as the same-link rule counts them."""

    article_id: str  # an entry the same-page rule dropped: the article it joined
    when: datetime
    keyed_by_link: bool


def _only_other_story(page: _LinkStory, stories: list[_LinkStory]) -> str | None:
    """The article id of the one story keyed otherwise within 7 days of `page` (keyed by its link) among `stories` at
    its link; None when there are several (a section page), or none, or `page` is one already (the same-page rule
    joined a copy of it)."""
    others = {story.article_id for story in stories
              if not story.keyed_by_link and abs(story.when - page.when) <= SAME_STORY_WINDOW}
    return others.pop() if len(others) == 1 and page.article_id not in others else None


def _keyed_by_link(row: Mapping) -> bool:
    """Whether the entry's key is its link's URL: neither an opaque GUID nor a URL other than its link."""
    return row["article_key"] == f"url:{row['url']}"


def _page_key(row: Mapping) -> str:
    """The page an article is, for the same-page rule: its canonical link and normalized title."""
    return page_key(row["url"], row["title"])


def ingest_documents(home: Home | None, warehouse: Warehouse, tagger, documents: Iterable[FeedDocument],
                     kind: str = "ingest", now: datetime | None = None, executor: Executor | None = None) -> RunSummary:
    """Commit one run made of `documents`; publish a new snapshot when `home` is given."""
    builder = RunBuilder(warehouse, tagger, kind, now, executor)
    for document in documents:
        builder.add(document)
    return builder.commit(home)


class BulkPublisher:
    """Bulk loads (demo, import) commit many runs; copying the warehouse after each would cost O(n²) I/O,
    so readers get a new snapshot at most every BULK_PUBLISH_SECONDS, and always at the end (`publish_final`).

    Used as a context manager, a load that stops early (Ctrl-C, a failed run) still publishes the runs it
    committed: they are in the warehouse, and unpublished they would stay invisible to every reader."""

    def __init__(self, home: Home, warehouse: Warehouse):
        self.home, self.warehouse = home, warehouse
        self.last = time.monotonic()
        self.published_before = warehouse.next_run_id()  # runs from this id on are not in a snapshot yet
        self.recorded = False  # a write that is no run (`record`) awaits a snapshot
        self.published: Published | None = None  # the last snapshot it published, which readers see the load in

    def __enter__(self) -> "BulkPublisher":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.publish_final()
        else:
            self.publish_pending()  # no compaction: whoever stopped the load wants it to end soon

    def committed(self) -> None:
        if time.monotonic() - self.last >= BULK_PUBLISH_SECONDS:
            self.publish_pending()

    def record(self, write: Callable[[], None]) -> None:
        """A write that is no run, such as the demo's end: the next publish carries it, even when the last run was
        published already (the flag first: a stop right after its commit must not keep it out)."""
        self.recorded = True
        write()

    def publish_pending(self) -> None:
        self._publish_new_runs(publish, self.warehouse.con)

    def publish_final(self) -> None:
        """The last snapshot, from a compacted file when the load left enough of it free."""
        self._publish_new_runs(publish_compacted, self.warehouse)

    def _publish_new_runs(self, publisher: Callable, source) -> None:
        # Asks the warehouse, not the caller: a stop signal landing right after a commit, before the caller
        # heard of it, must not keep that run out of the snapshot.
        upcoming = self.warehouse.next_run_id()
        if upcoming > self.published_before or self.recorded:
            self.published = publisher(source, self.home)
            self.published_before, self.last, self.recorded = upcoming, time.monotonic(), False


def ingest_local_files(home: Home, warehouse: Warehouse, tagger, feed_files: Iterable[tuple[str, Path]],
                       kind: str = "demo", files_per_run: int = 20,
                       last_write: Callable[[], None] | None = None) -> list[RunSummary]:
    """Ingest local feed documents (demo corpus, archives) through the normal parse path, a run per chunk.
    `last_write` (the demo's end) follows the last run, before the final publish, which carries it."""
    summaries: list[RunSummary] = []
    # the publisher outside the pool: the final publish and compaction run after the workers have exited
    with BulkPublisher(home, warehouse) as publisher, make_process_pool() as pool:
        for chunk in chunked(feed_files, files_per_run):
            now = datetime.now(timezone.utc)
            # re-read per run: a run may switch a feed to link keys, and the next must key its entries the same way
            feeds = {row["feed_id"]: row for row in warehouse.feed_rows()}
            bodies = ((feed_id, path.read_bytes(), path.as_uri()) for feed_id, path in chunk)
            documents = (FeedDocument(feeds[feed_id], None, parsed, local_success_state(feeds[feed_id], now))
                         for feed_id, parsed in parse_bodies(bodies, now=now, executor=pool))
            summaries.append(ingest_documents(None, warehouse, tagger, documents, kind=kind, now=now, executor=pool))
            publisher.committed()
        if last_write is not None:
            publisher.record(last_write)
    return summaries


def poll_feeds(home: Home, warehouse: Warehouse, tagger, *, now: datetime | None = None,
               base_interval: timedelta = timedelta(minutes=15), config: HttpConfig | None = None,
               on_result: Callable[[dict], None] = lambda fetch: None,
               whatever_schedule: bool = False) -> RunSummary | None:
    """Poll every due feed once (every feed not gone with `whatever_schedule`, whose hosts' pauses still hold),
    commit everything as one run, publish. Feed failures are data, not errors.
    None when no feed was due: such a run is neither recorded nor published (the snapshot would be a copy of
    the current one, and a run that polled nothing would count as coverage for the alert rules).
    `on_result` gets each feed's `fetches` row as it is recorded: its outcome includes the parse ("rejected"), where
    the HTTP result alone says "ok" for a body that is no feed."""
    now = now or datetime.now(timezone.utc)
    # The whole row, not the polling state alone: the articles take their outlet, country and language from it.
    rows = {row["feed_id"]: row for row in warehouse.feed_rows(enabled_only=True)}
    states = {feed_id: state_from_row(row) for feed_id, row in rows.items()}
    # The longest waiting first: the feeds a fetch budget deferred (their next check left as it was) and those never
    # polled, so one slow host cannot spend the fetch budget of every run while the feeds after it wait.
    due = [state for state in states.values()
           if is_due(state, now, whatever_schedule=whatever_schedule, base_interval=base_interval)]
    due.sort(key=lambda state: (state.next_check_at is not None, state.next_check_at or now, state.feed_id))
    if not due:
        return None
    builder = RunBuilder(warehouse, tagger, "ingest", now)
    for result, parsed in poll(due, now=now, config=config or HttpConfig(),
                               host_not_before=host_blocks(states.values(), now)):
        state = next_state(states[result.feed_id], result, now, base_interval, parsed)
        on_result(builder.add(FeedDocument(rows[result.feed_id], result, parsed, row_from_state(state, now))))
    return builder.commit(home)


class DemoHomeRefused(Exception):
    """A command would write real articles into the demo's home."""


def refuse_demo_home(home: Home, warehouse: Warehouse, what: str) -> None:
    """The demo flag is the home's, not the articles': real ones written into the demo's home would be labelled
    synthetic on every page, and the demo would no longer refuse the home. No command takes the demo out of a home,
    so the way out is another home, or this one's folder deleted (the next command makes a new home there)."""
    if is_demo(warehouse.con):
        raise DemoHomeRefused(f"{home.root} holds the demo's synthetic articles: {what} would be mixed in and "
                              f"labelled demo; use another --home, or delete the folder {home.root} (the demo "
                              "cannot be taken out of it) and run the command again to start a new home there "
                              "(`pactwatch feeds export-opml > feeds.opml` first keeps feeds of your own, "
                              "credentials included, for `feeds import-opml`)")


def ingest_once(home: Home, tagger, feeds_file: str | Path | None, *, base_interval: timedelta, config: HttpConfig,
                poll_now: bool, on_result: Callable[[dict], None], on_event: Callable[..., None],
                ) -> tuple[RunSummary | None, dict | None]:
    """One `pactwatch ingest` run under the writer lock: the feed file registered (seeds/feeds.toml in a home without
    feeds), every due feed polled (every feed with `poll_now`), published. (its summary, None), or (None, the idle
    line's fields: why no run was needed, and what it published) when no feed was due."""
    with home.writer_lock(), open_writer(home) as warehouse:
        if feeds_file or warehouse.feed_rows(enabled_only=True):
            refuse_demo_home(home, warehouse, "the articles of its enabled feeds")
        list_changed = _register_feed_file(warehouse, feeds_file, on_event)
        summary = poll_feeds(home, warehouse, tagger, base_interval=base_interval, on_result=on_result, config=config,
                             whatever_schedule=poll_now)
        if summary is not None:
            return summary, None
        idle = {"reason": "no feed due" if warehouse.feed_rows(enabled_only=True) else "every feed disabled"}
        # no feed was due, so no run publishes the refreshed list or an earlier unpublished run: publish here, and say so
        if list_changed or published_behind(warehouse.con, home):
            published = publish(warehouse.con, home)
            idle |= {"published": "snapshot", "last_run": warehouse.next_run_id() - 1,
                     "publish_seconds": published.seconds, "publish_copy": published.copy}
        return None, idle


def _register_feed_file(warehouse: Warehouse, path: str | Path | None, on_event: Callable[..., None]) -> bool:
    """Whether registering the file (or, in a home without feeds, seeds/feeds.toml) changed the feed list: an
    `ingest --every 15m --feeds X` that found no feed due published a snapshot at every tick for the same list."""
    before = warehouse.feed_rows()
    if path is None and before:
        return False
    register_feed_list(warehouse, load_feed_list(path or SEED_FEEDS), "feeds-file", on_event)
    return warehouse.feed_rows() != before


def register_feed_list(warehouse: Warehouse, specs: list[FeedSpec], reason: str,
                       on_event: Callable[..., None]) -> set[str]:
    """register_feed_specs, telling `on_event` (an event name, then its fields) of each feed an operator disabled that
    the list's `enabled = true` enables again (`feed_enabled`): the list spells it out, so it wins, but a cron job's
    list silently undoing `feeds disable` went unnoticed. And of each feed it adds without an outlet (`no_outlet`:
    cited under its id), once: a list may be registered every run."""
    before = warehouse.feed_rows()
    refreshed = register_feed_specs(warehouse, specs)
    after = warehouse.feed_rows()
    disabled = {row["feed_id"] for row in before if not row["enabled"]}
    for feed_id in sorted(disabled & {row["feed_id"] for row in after if row["enabled"]}):
        on_event("feed_enabled", feed=feed_id, reason=reason)
    new = {row["feed_id"] for row in after} - {row["feed_id"] for row in before}
    for feed_id in cited_under_their_ids(after, new & given_no_outlet(specs)):
        on_event("no_outlet", feed=feed_id, reason=reason)
    return refreshed


def state_from_row(row: Mapping) -> FeedState:
    return FeedState(
        feed_id=row["feed_id"], url=row["url"], etag=row["etag"], last_modified=row["last_modified"],
        body_hash=row["body_hash"], last_full_fetch_at=row["last_full_fetch_at"],
        last_http_status=row["last_http_status"], last_error=row["last_error"],
        consecutive_failures=row["consecutive_failures"], last_success_at=row["last_success_at"],
        next_check_at=row["next_check_at"], last_checked_at=row["last_checked_at"], gone=row["gone"],
        key_mode=row["key_mode"], last_outcome=row["last_status"], fetched_url=row["fetched_url"],
        pause_until=row["pause_until"], listed_url=row.get("listed_url"))


def row_from_state(state: FeedState, now: datetime) -> dict:
    return {
        "feed_id": state.feed_id, "url": state.url, "etag": state.etag, "last_modified": state.last_modified,
        "body_hash": state.body_hash, "last_full_fetch_at": state.last_full_fetch_at, "last_status": state.last_outcome,
        "last_http_status": state.last_http_status, "last_error": state.last_error,
        "consecutive_failures": state.consecutive_failures, "last_success_at": state.last_success_at,
        "last_checked_at": now, "next_check_at": state.next_check_at, "gone": state.gone, "key_mode": state.key_mode,
        "fetched_url": state.fetched_url, "pause_until": state.pause_until}


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def register_feed_specs(warehouse: Warehouse, specs: Iterable[FeedSpec], now: datetime | None = None) -> set[str]:
    """Add feeds from a feed list (TOML/OPML) or `feeds add` to the warehouse. A feed it already knows takes
    the fields the list spelled out (URL and `enabled` included) and keeps its stored values for the others; an id
    an OPML file did not state is fitted to the stored feeds first (settle_made_up_ids). Returns the ids of the feeds
    it refreshed (known before)."""
    stored = {row["feed_id"]: row for row in warehouse.feed_rows()}
    specs = settle_made_up_ids(list(specs), {feed_id: {row["url"], row["listed_url"] or row["url"]}
                                             for feed_id, row in stored.items()})
    rows = [_refreshed_row(stored.get(spec.feed_id), spec) for spec in specs]
    # a list registered at every run (`ingest --feeds` from cron) mostly changes nothing: no write then, which on a full
    # disk DuckDB 1.5.5 cannot take back (a failed commit of an update to the feeds aborts the process)
    changed = [row for row in rows if row["feed_id"] not in stored or _changes(row, stored[row["feed_id"]])]
    warehouse.register_feeds(changed, now or datetime.now(timezone.utc))
    return {spec.feed_id for spec in specs if spec.feed_id in stored}


def _changes(row: Mapping, stored: Mapping) -> bool:
    """Whether registering `row` (`_refreshed_row`) changes the stored feed: its listed URL or another spec column."""
    kept = {**stored, "url": stored["listed_url"] or stored["url"], "tags": list(stored["tags"] or ())}
    return any(row[column] != kept[column] for column in FEED_SPEC_COLUMNS)


def _refreshed_row(stored: Mapping | None, spec: FeedSpec) -> dict:
    """The row to register: the URL is the listed one, so a list that does not state it leaves the feed's own
    (a permanent redirect's target stays the current URL: Warehouse.register_feeds)."""
    row = spec.as_row()
    if stored is None:
        return row
    kept = {**stored, "url": stored["listed_url"] or stored["url"]}
    if _named_at_last(stored, spec):
        kept["outlet"] = row["outlet"]
    return {column: row[column] if column in spec.stated else kept[column] for column in FEED_SPEC_COLUMNS}


def _named_at_last(stored: Mapping, spec: FeedSpec) -> bool:
    """A name given, without an outlet, to a feed cited under its id becomes its outlet, as it does for a new feed:
    kept as stored, the id went on citing its articles, and the name silenced the warning that says so."""
    return "name" in spec.stated and "outlet" not in spec.stated and stored["outlet"] == stored["feed_id"]


def local_success_state(feed: Mapping, now: datetime) -> dict:
    """Feed state after reading a local document (no HTTP validators involved)."""
    return {**{k: feed.get(k) for k in FEED_STATE_COLUMNS}, "last_status": "ok", "last_error": None,
            "consecutive_failures": 0, "last_success_at": now, "last_checked_at": now, "gone": False}


def build_demo(home: Home, warehouse: Warehouse, tagger, *, articles: int, seed: int,
               end_date: date | None = None) -> list[RunSummary]:
    """Write the deterministic demo corpus under <home>/demo and ingest it through the normal parse path. The
    warehouse records how far it got (meta demo_state): started before anything else, finished once every file is
    stored, so only its final snapshot says finished, never one published on the way or by a demo stopped early."""
    from .demo import default_spikes, iter_demo_snapshots, write_demo_corpus

    warehouse.set_meta(DEMO_STATE, DEMO_STARTED)
    end_date = end_date or datetime.now(timezone.utc).date()
    write_demo_corpus(home.demo_dir, articles=articles, seed=seed, end_date=end_date,
                      spikes=default_spikes(end_date))
    register_feed_specs(warehouse, load_feed_list(home.demo_dir / "feeds.toml"))
    warehouse.set_meta("is_demo", "true")
    return ingest_local_files(home, warehouse, tagger, iter_demo_snapshots(home.demo_dir), kind="demo",
                              last_write=lambda: warehouse.set_meta(DEMO_STATE, DEMO_FINISHED))
