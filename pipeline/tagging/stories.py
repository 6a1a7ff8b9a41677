"""The story an article tells, as a key its copies share.

A wire story run by several outlets under their own addresses is several articles (README, "An article is one story
at one address"). Its copies keep the wire's headline and lead; what changes is the dateline some outlets drop or
restyle ("TEHRAN (AP) —"), the source some add to the headline ("… - AP"), and case and punctuation. So the key is a
hash of the title's words and the lead's first LEAD_WORDS words, the dateline and such a source left out.

The title is part of the key: demo articles written from stock sentences share whole leads under other headlines
(a 20-word lead alone made 14 % of 20,091 demo articles copies of another within a week, title and lead together
0.3 %), and so do an outlet's weekly listings ("D.C. wellness calendar, Aug. 9-16", then "Aug. 16-23"). A copy
under a rewritten headline is then counted as a story of its own: the counts stay what they were without stories.
A title and lead of fewer than MIN_WORDS words together get no key ("What to know about the report." over a line of
text heads the jobs report and, four days later, the inflation report): such an article is a story of its own.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Final, NamedTuple

from .dateline import opening_dateline_end
from .text import fold

LEAD_WORDS: Final = 20  # an outlet cutting the wire's text for its feed rarely cuts its first sentence
MIN_WORDS: Final = 20  # of the title and lead together
# The source an aggregator or a member outlet adds to a wire story's headline: "… - AP", "… | Reuters", "… — The Hindu"
_SOURCE_DASHES: Final = "-|–—"
_SOURCE_SUFFIX: Final = re.compile(rf"\s+[{_SOURCE_DASHES}]\s+\S+(?:\s+\S+){{0,2}}\s*$")
# Characters that hold a lead's first LEAD_WORDS words in most texts, folded alone rather than the whole text (a
# Reuters story's 800 and more): a fifth of the key's cost on a Reuters story
LEAD_CHARACTERS: Final = 400
# A copy belongs to a story whose first copy is dated within this many days of it: the window in which ingest reads an
# outlet's repeats as one story (ingest.SAME_STORY_WINDOW). A text run again later starts a story of its own.
COPY_DAYS: Final = 7


def story_key(title: str | None, text: str | None) -> str | None:
    """The key the copies of one story share (a SHA-1 of the title's words and the lead's), None for an article too
    short to tell a copy of it from another story."""
    title_words = fold(_without_source(title or "")).split()
    text = text or ""
    lead = _lead_words(text[opening_dateline_end(text):])
    if len(title_words) + len(lead) < MIN_WORDS:
        return None
    told = " ".join(title_words) + "\n" + " ".join(lead)
    return hashlib.sha1(told.encode("utf-8", "surrogatepass")).hexdigest()


def _without_source(title: str) -> str:
    """`title` without the source added to its end; the pattern is tried only on a title holding one of its dashes."""
    for dash in _SOURCE_DASHES:
        if dash in title:
            return _SOURCE_SUFFIX.sub("", title)
    return title


def _lead_words(lead: str) -> list[str]:
    """The first LEAD_WORDS words of `lead`, folded: read off its first LEAD_CHARACTERS characters when they hold more
    words than that (the word the cut may part is then not one of them), else off the whole lead."""
    words = fold(lead[:LEAD_CHARACTERS]).split()
    if len(words) <= LEAD_WORDS and len(lead) > LEAD_CHARACTERS:
        words = fold(lead).split()
    return words[:LEAD_WORDS]


class StoredCopy(NamedTuple):
    """An article with a story key, as `first_copies` reads it."""

    story_key: str
    article_id: str
    day: date
    story_id: str  # its story's first copy's article_id (decided), or its own (not yet)
    decided: bool  # stored by an earlier run: its story stays as it is


def first_copies(copies: Iterable[StoredCopy]) -> Iterator[tuple[str, str]]:
    """(article_id, story_id) of each copy not decided yet: the story of the first of its key's stories (in the order
    stored) whose first copy's day is within COPY_DAYS days of its own, else a story of its own. `copies` come
    grouped by key, each key's in the order stored, so the decided ones first. Anchored on a story's first copy, a
    text run again every few days is a story a week, not one story forever."""
    key: str | None = None
    firsts: list[tuple[date, str]] = []  # (day, article_id) of the key's stories' first copies, in the order stored
    for copy in copies:
        if copy.story_key != key:
            key, firsts = copy.story_key, []
        if copy.decided:
            if copy.story_id == copy.article_id:
                firsts.append((copy.day, copy.article_id))
            continue
        story = next((first for day, first in firsts if abs((copy.day - day).days) <= COPY_DAYS), None)
        if story is None:
            story = copy.article_id
            firsts.append((copy.day, story))
        yield copy.article_id, story
