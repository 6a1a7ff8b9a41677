"""From raw automaton hits to country mentions: longest match, dates, person names, context."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .lexicon import AmbiguousSurface, PlaceEntry, TaggerData
from .matcher import Hit
from .model import Mention
from .payloads import Blocker
from .text import is_all_caps, next_word, previous_word

# When two phrases cover the same span, the more specific reading wins.
_PRIORITY = {"blocker": 0, "ambiguous": 1, "name": 2, "capital": 3, "leader": 4, "demonym": 5, "place": 6}


@dataclass(frozen=True, slots=True)
class PlaceSpan:
    """A selected gazetteer hit before article-level resolution."""
    start: int
    end: int
    surface: str
    entry: PlaceEntry | AmbiguousSurface


def _priority(hit: Hit) -> int:
    payload = hit.pattern.payload
    if isinstance(payload, Blocker):
        return _PRIORITY["blocker"]
    if isinstance(payload, AmbiguousSurface):
        return _PRIORITY["ambiguous"]
    return _PRIORITY[payload.kind]


def longest_matches(hits: list[Hit], published: dt.date | None) -> list[Hit]:
    """Non-overlapping hits, longest first ("Papua New Guinea" beats "Guinea" and "New Guinea")."""
    live = [hit for hit in hits if not isinstance(hit.pattern.payload, PlaceEntry)
            or hit.pattern.payload.valid_on(published)]
    live.sort(key=lambda hit: (hit.start - hit.end, hit.start, _priority(hit)))
    kept: list[Hit] = []
    for hit in live:
        if all(hit.end <= other.start or other.end <= hit.start for other in kept):
            kept.append(hit)
    kept.sort(key=lambda hit: hit.start)
    return kept


class PersonFilter:
    """Drops country words that are part of a person's name ("Michael Jordan", "Chad Smith")."""

    def __init__(self, data: TaggerData):
        self._given_names = data.given_names
        self._first_names = frozenset(name.lower() for name in data.first_name_surfaces)
        self._followers = data.country_followers

    def is_person(self, text: str, hit: Hit, span_starts: set[int]) -> bool:
        if hit.start > 1 and text[hit.start - 1] == " " and text[hit.start - 2].isalpha():
            before = previous_word(text, hit.start)
            if before[0].isupper() and before.lower() in self._given_names:
                return True
        if text[hit.start:hit.end].lower() not in self._first_names or is_all_caps(text):
            return False
        after = next_word(text, hit.end)
        return bool(after) and after[0].isupper() and after not in self._followers \
            and (hit.end + 1) not in span_starts


def place_spans(text: str, hits: list[Hit], published: dt.date | None, people: PersonFilter) -> list[PlaceSpan]:
    """Gazetteer spans of one field that survive longest-match, validity and person filters."""
    selected = longest_matches(hits, published)
    starts = {hit.start for hit in selected}
    spans = []
    for hit in selected:
        payload = hit.pattern.payload
        if isinstance(payload, Blocker) or people.is_person(text, hit, starts):
            continue
        spans.append(PlaceSpan(hit.start, hit.end, text[hit.start:hit.end], payload))
    return spans


def resolve(span: PlaceSpan, field: str, votes: dict[str, Counter]) -> Mention:
    """A Mention for a span, settling ambiguous surfaces by the article's cue votes."""
    entry = span.entry
    if isinstance(entry, PlaceEntry):
        return Mention(entry.code, span.start, span.end, field, span.surface, entry.kind)
    counts = votes.get(entry.surface, Counter())
    best = max(counts.values(), default=0)
    leaders = sorted(code for code, count in counts.items() if count == best and best > 0)
    code = entry.default if not leaders or entry.default in leaders else leaders[0]
    kind = "place" if code in entry.place_for else entry.kind
    return Mention(code, span.start, span.end, field, span.surface, kind)
