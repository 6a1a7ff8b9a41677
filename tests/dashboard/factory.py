"""A small warehouse with known numbers, written and published the way ingest does it (real DuckDB files).

Two periods of 7 days: previous 2025-03-01..07 and current 2025-03-08..14. Counts the tests rely on:

    period     articles  feeds with articles  countries  pairs   PRK-RUS articles
    previous   3         2                    3          2       1
    current    7         3                    4          3       4

Some titles, texts and evidence sentences carry XSS and Markdown-link payloads (see PAYLOADS); one
article's URL is a javascript: link that must never become clickable.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from pipeline.home import Home
from pipeline.seeds import tagger_version
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import FEED_STATE_COLUMNS, FETCH_COLUMNS, RUN_COLUMNS, Warehouse
from pipeline.tag_rows import DERIVED_COLUMNS

TAGGER = tagger_version()  # the tags are hand-made, but as the running code's version would stamp them
PREVIOUS = (date(2025, 3, 1), date(2025, 3, 7))
CURRENT = (date(2025, 3, 8), date(2025, 3, 14))
NAMES = {"RUS": "Russia", "PRK": "North Korea", "CHN": "China", "IRN": "Iran", "JPN": "Japan"}
PAYLOADS = (
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=alert('xss-img')>",
    "[click me](javascript:alert('xss-md'))",
    "<a href=\"javascript:alert('xss-link')\">link</a>",
)
JS_URL = "javascript:alert('xss-url')"
EXPECTED = {
    "current": {"articles": 7, "feeds with articles": 3, "countries": 4, "pairs": 3},
    "previous": {"articles": 3, "feeds with articles": 2, "countries": 3, "pairs": 2},
}

FEEDS = [
    # feed_id, outlet, outlet_country, language, consecutive_failures, gone
    ("wire", "Wire", "GBR", "en", 0, False),
    ("daily", "Daily", "USA", "en", 0, False),
    ("flaky", "Flaky", "DEU", "de", 4, False),
    ("ghost", "Ghost", "FRA", "fr", 0, True),
]


@dataclass
class Story:
    key: str
    day: date
    feeds: tuple[str, ...]
    title: str
    text: str
    topics: tuple[str, ...] = ()
    cue: str | None = None
    url: str | None = None
    countries: tuple[str, ...] = field(default=())
    one_sentence: bool = True  # False: no sentence names two of its countries (two are a pair, with no evidence)
    read_language: str | None = None  # stored without a language, which the tagger read as this one
    listed: bool = False  # its two countries are items of a list of countries (pair_sentences.listed)
    cue_words: tuple[str, ...] = ()  # the words that decided its cue (pair_sentences.cue_words)
    declared: str | None = None  # the entry's own language tag, in place of its feed's
    undated: bool = False  # no usable publication date: filed under `day`, the day it was stored
    story_key: str | None = None  # copies of one story share one (article_stories): the store finds the story

    def __post_init__(self) -> None:
        body = f"{self.title} {self.text}"
        self.countries = tuple(iso for iso, name in NAMES.items() if name in body)
        self.url = self.url or f"https://news.example/{self.key}"


STORIES = [
    Story("p1", date(2025, 3, 2), ("wire",), "China trade", "China and Russia expand trade.", ("trade",), "cooperation"),
    Story("p2", date(2025, 3, 3), ("daily",), "Pact talk", "North Korea and Russia discuss troops.", ("military",)),
    Story("p3", date(2025, 3, 5), ("wire",), "Moscow notes", "Russia holds a briefing.", ("diplomacy",)),
    Story("c1", date(2025, 3, 8), ("wire", "daily"), "Military pact",
          "Russia and North Korea sign a military pact.", ("military",), "cooperation"),
    Story("c2", date(2025, 3, 9), ("wire",), "Sanctions",
          "North Korea and Russia evade sanctions together.", ("military", "sanctions"), "cooperation",
          cue_words=("evade sanctions",)),
    Story("c3", date(2025, 3, 10), ("daily",), "Warning",
          "Russia warns North Korea over sanctions.", ("sanctions",), "confrontation"),
    Story("c4", date(2025, 3, 11), ("daily",), "Trade", "China and Russia sign a trade deal.", ("trade",),
          "cooperation"),
    Story("c5", date(2025, 3, 12), ("flaky",), "Energie", "Iran and Russia agree on gas.", ("energy",),
          "cooperation"),
    Story("c6", date(2025, 3, 13), ("wire",), f"{PAYLOADS[0]} Russia warns {PAYLOADS[1]}",
          f"Russia says {PAYLOADS[2]} {PAYLOADS[3]}.", ("diplomacy",), url=JS_URL),
    Story("c7", date(2025, 3, 14), ("daily",), f"Troops {PAYLOADS[2]}",
          f"North Korea {PAYLOADS[1]} and Russia {PAYLOADS[2]} expand military ties.", ("military",),
          "cooperation"),
]


def quiet_week(count: int) -> list[Story]:
    """`count` stories of the previous period naming Japan alone: a week before as busy as the current one (or busier),
    so that a pair's rise is its own, not the corpus's (queries.RISING_Z)."""
    return [Story(f"q{n:04d}", PREVIOUS[0] + timedelta(days=n % 7), ("wire",), f"Economy {n}", "Japan's economy grew.")
            for n in range(count)]


def briefings(count: int, text: str = "Russia holds a briefing.") -> list[Story]:
    """`count` short stories over the current period's days, many on each day: a list longer than a page, with ties
    on the day."""
    return [Story(f"b{n:04d}", CURRENT[0] + timedelta(days=n % 7), ("wire",), f"Briefing {n}", text)
            for n in range(count)]


def _complete(columns: tuple[str, ...], row: dict) -> dict:
    """Rows for the writer's column lists, NULL where the factory has nothing to say (columns get added)."""
    return {column: row.get(column) for column in columns}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def feed_specs() -> list[dict]:
    return [{"feed_id": fid, "url": f"https://feeds.example/{fid}.xml", "name": f"{outlet} feed", "outlet": outlet,
             "outlet_country": country, "language": lang, "tier": "test", "tags": [], "enabled": True}
            for fid, outlet, country, lang, _, _ in FEEDS]


def _feed_states(run_day: date) -> list[dict]:
    states = []
    for fid, _, _, _, failures, gone in FEEDS:
        ok = failures == 0 and not gone
        states.append(_complete(FEED_STATE_COLUMNS, {
            "feed_id": fid, "url": f"https://feeds.example/{fid}.xml", "etag": None, "last_modified": None,
            "body_hash": None, "last_full_fetch_at": _at(run_day), "last_status": "ok" if ok else ("gone" if gone else "error"),
            "last_error": None if ok else "HTTP 500", "consecutive_failures": failures,
            "last_success_at": _at(run_day) if ok else _at(PREVIOUS[1]), "last_checked_at": _at(run_day),
            "next_check_at": _at(run_day + timedelta(days=1)), "gone": gone, "key_mode": "guid"}))
    return states


def _article(story: Story, run_id: int, seen: datetime) -> dict:
    feed = next(f for f in FEEDS if f[0] == story.feeds[0])
    return {"article_id": story.key, "article_key": f"guid:{story.key}", "url": story.url, "title": story.title,
            "text": story.text, "published_at": None if story.undated else _at(story.day, 8),
            "published_as_written": None if story.undated else _at(story.day, 8).isoformat(), "first_seen_at": seen,
            "day": story.day, "date_quality": "missing" if story.undated else "ok",
            "outlet": feed[1], "outlet_country": feed[2], "language": None if story.read_language else story.declared or feed[3],
            "content_hash": story.key,
            "title_key": f"{feed[1]}|{story.key}", "run_id": run_id}


def _derived(stories: list[Story]) -> dict[str, dict[str, list]]:
    tables = {table: {column: [] for column in columns} for table, columns in DERIVED_COLUMNS.items()}

    def append(table: str, **row) -> None:
        for column in DERIVED_COLUMNS[table]:
            tables[table][column].append(row.get(column, TAGGER))

    for s in stories:
        common = {"article_id": s.key, "day": s.day}
        append("article_stories", **common, story_key=s.story_key, story_id=s.key)
        for iso in s.countries:
            start = s.text.find(NAMES[iso])
            if start >= 0:
                append("mentions", **common, iso3=iso, field="text", start_offset=start,
                       end_offset=start + len(NAMES[iso]), surface=NAMES[iso], kind="name")
            append("article_countries", **common, iso3=iso, mentions=1, salience=0.5, is_focus=True)
        for topic in s.topics:
            append("article_topics", **common, topic=topic, score=1.0, hits=1, raised=False)
            if (start := s.text.find(topic)) >= 0:  # the topic's own word ("trade") as its evidence
                append("topic_hits", **common, topic=topic, field="text", start_offset=start,
                       end_offset=start + len(topic), surface=topic)
        if s.read_language:
            append("article_languages", **common, language=s.read_language)
        if not s.one_sentence:  # two are paired as the article's focus countries only; more, not at all
            if len(s.countries) == 2:
                iso_a, iso_b = sorted(s.countries)
                append("article_pairs", **common, iso_a=iso_a, iso_b=iso_b, sentences=0, topics=list(s.topics))
        elif len(s.countries) >= 2:  # the whole text is the one sentence naming each two
            for iso_a, iso_b in combinations(sorted(s.countries), 2):
                append("pair_sentences", **common, iso_a=iso_a, iso_b=iso_b, field="text", sentence_index=0,
                       start_offset=0, end_offset=len(s.text), sentence=s.text, topics=list(s.topics), cue=s.cue,
                       listed=s.listed, cue_words=list(s.cue_words))
                append("article_pairs", **common, iso_a=iso_a, iso_b=iso_b, sentences=1, topics=list(s.topics))
    return tables


def _run(run_id: int, day: date, new: int) -> dict:
    return _complete(RUN_COLUMNS, {"run_id": run_id, "kind": "ingest", "started_at": _at(day, 10), "finished_at": _at(day, 11),
            "status": "completed", "feeds_polled": len(FEEDS), "not_modified": 0, "failures": 2, "new_articles": new,
            "duplicates": 0, "seconds": 1.0, "tagger_version": TAGGER, "error": None})


def write_stories(warehouse: Warehouse, home: Home, stories: list[Story], run_day: date) -> None:
    """Commit one run carrying `stories` (seen on `run_day`) and publish a new snapshot."""
    run_id = warehouse.next_run_id()
    seen = _at(run_day, 11)
    warehouse.write_run(
        _run(run_id, run_day, len(stories)),
        fetches=[_complete(FETCH_COLUMNS, {"run_id": run_id, "feed_id": f[0], "fetched_at": seen,
                                           "status_code": 200, "outcome": "ok", "bytes": 100, "ms": 5.0,
                                           "entries": 1, "new_articles": 0}) for f in FEEDS],
        feed_states=_feed_states(run_day),
        articles=[_article(s, run_id, seen) for s in stories],
        article_feeds=[{"article_id": s.key, "feed_id": fid, "day": s.day, "first_seen_at": seen, "run_id": run_id}
                       for s in stories for fid in s.feeds],
        derived=[_derived(stories)])
    publish(warehouse.con, home)


def write_revisions(warehouse: Warehouse, home: Home, revisions: list[dict], run_day: date) -> None:
    """Commit one run in which feeds served later versions of stored articles (article_revisions rows without run_id,
    seen on `run_day`), and publish."""
    run_id = warehouse.next_run_id()
    seen = _at(run_day, 9)
    warehouse.write_run({**_run(run_id, run_day, 0), "duplicates": len(revisions)},
                        revisions=[{"run_id": run_id, "seen_at": seen, **row} for row in revisions])
    publish(warehouse.con, home)


def write_empty_fetches(warehouse: Warehouse, feed: dict, runs: int, day: date) -> None:
    """Commit `runs` runs in which `feed` answered a document without entries (hours apart on `day`), as ingest
    writes them: a fetch row with entries 0 and the feed's state after a success."""
    for hour in range(runs):
        run_id, when = warehouse.next_run_id(), _at(day, hour)
        warehouse.write_run(
            {**_run(run_id, day, 0), "started_at": when, "finished_at": when, "feeds_polled": 1, "failures": 0},
            fetches=[_complete(FETCH_COLUMNS, {"run_id": run_id, "feed_id": feed["feed_id"], "fetched_at": when,
                                               "status_code": 200, "outcome": "ok", "entries": 0, "new_articles": 0})],
            feed_states=[_complete(FEED_STATE_COLUMNS, {
                "feed_id": feed["feed_id"], "url": feed["url"], "last_status": "ok", "consecutive_failures": 0,
                "last_success_at": when, "last_checked_at": when, "next_check_at": when + timedelta(hours=1),
                "gone": False, "key_mode": "guid"})])


def build_home(root: Path, *, demo: bool = False, stories: list[Story] = STORIES) -> Home:
    """Write the two runs (one per period) of `stories` and publish after each, like `pactwatch ingest` does."""
    home = Home.resolve(root).ensure()
    with Warehouse(home.writer_db) as warehouse:
        warehouse.register_feeds(feed_specs(), _at(PREVIOUS[0], 0))
        if demo:
            warehouse.set_meta("is_demo", "true")
        for start, end in (PREVIOUS, CURRENT):
            write_stories(warehouse, home, [s for s in stories if start <= s.day <= end], end)
    return home
