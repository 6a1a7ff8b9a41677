"""Newswire datelines: "MINNEAPOLIS, March 3 -", "BOISE, Idaho, March 2 -", "SEOUL (Reuters) -",
"AMMAN/BEIRUT (Reuters) -".

A dateline is the strongest single cue of where a story happens (most US company reports carry no
other geography), so it becomes a mention of its own with extra salience.

Parsed with string operations rather than one big backtracking regex: the dateline is the text
before the first " -" within the first 120 characters, split on commas into city, optional
qualifier (state or country) and optional date; an agency tag "(Reuters)" may precede the dash.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from .model import Mention
from .text import STORED_PARAGRAPH_BREAK, as_one_line, one_line_offset, phrase_key

# "March 3", "MARCH 11", "APril 3" (sic); after a comma or, as in "LEBEC, Calif. March 24", a space.
_DATE: Final = re.compile(r"(?:,\s*|\s+)[A-Z][A-Za-z]{2,8}\.?\s+\d{1,2}\s*$")
_AGENCY: Final = re.compile(r"\s*\([A-Za-z ]{2,20}\)\s*$")
_PLACE: Final = re.compile(r"\s*[A-Z][A-Za-z.'\- ]{1,40}$")
REACH: Final = 120  # characters: a dateline's dash stands within them


def opening(text: str) -> tuple[str, int]:
    """`text` as its dateline is read, and where the reading stops: its first REACH characters as they read on one
    line, each paragraph break of stored text as spaces, so a label above the dateline ("UPDATED", then "KYIV, Ukraine
    (Reuters) -") reads with it as it did before stored text kept paragraphs, at the same offsets."""
    if STORED_PARAGRAPH_BREAK not in text:  # most texts: nothing to count, no copy
        return text, REACH
    return _opening_in_paragraphs(text)


def _opening_in_paragraphs(text: str) -> tuple[str, int]:
    """`opening` of a text known to hold a paragraph break."""
    stop = one_line_offset(text, REACH)
    return as_one_line(text[:stop]), stop


def dash_span(text: str, stop: int) -> tuple[int, int]:
    """(start, end) of the first match of `\\s[-–—]+(?:\\s|$)` in text[:stop], (-1, -1) for none: whitespace, a run of
    dashes, then whitespace or the end. Found by str.find: the regex tries a match at every character (~8,000
    instructions on 120 of them), and a quarter of feed items hold a dash there."""
    stop = min(stop, len(text))
    dash = _next_dash(text, 1, stop)
    while dash >= 0:
        after = dash + 1
        while after < stop and text[after] in _DASHES:
            after += 1
        if text[dash - 1].isspace():  # the run of dashes starts a match if a space or the end follows it
            if after == stop:
                return dash - 1, after
            if text[after].isspace():
                return dash - 1, after + 1
        dash = _next_dash(text, after, stop)  # no later dash of this run has a space before it
    return -1, -1


_DASHES: Final[tuple[str, ...]] = ("-", "–", "—")  # of any length: iterated natively (a str builds each character)


def _next_dash(text: str, start: int, stop: int) -> int:
    """The offset of the first of _DASHES in text[start:stop], -1 for none (a search for "–" in ASCII text answers at
    once)."""
    found = -1
    for dash in _DASHES:
        at = text.find(dash, start, stop)
        if at >= 0 and (found < 0 or at < found):
            found = at
    return found


def _unmarked(head: str) -> tuple[str, bool]:
    """A dateline's head (the text before its dash) without its agency tag and date, and whether it had either."""
    agency = _AGENCY.search(head)
    if agency:
        head = head[:agency.start()]
    date = _DATE.search(head)
    if date:
        head = head[:date.start()]
    return head, bool(agency or date)


def _has_dateline_form(places: list[str], marked: bool) -> bool:
    """Whether one or two places (a city, and a state or country) read as a dateline's. Only an upper-case city, a
    date or an agency tag (`marked`) make it a dateline, not a sentence."""
    return (1 <= len(places) <= 2 and all(_PLACE.match(part) for part in places)
            and (places[0].isupper() or marked))


def opening_dateline_end(text: str) -> int:
    """Where the dateline opening `text` ends ("TEHRAN (AP) — ", "MOSCOW, June 19 (Reuters) - "), told by its form
    alone, whether its place is known or not, one of several cities ("AMMAN/BEIRUT (Reuters) -") too; 0 when the text
    opens with none."""
    reading, stop = opening(text)
    start, end = dash_span(reading, stop)
    if start < 0:
        return 0
    head, marked = _unmarked(reading[:start])
    places = head.split(",")
    if len(places) == 1 and "/" in head:  # filed from several cities: each must read as one
        return end if all(_has_dateline_form([city], marked) for city in head.split("/")) else 0
    return end if _has_dateline_form(places, marked) else 0


@dataclass(frozen=True, slots=True)
class Dateline:
    end: int          # offset just after the dateline dash
    mention: Mention  # the part that decided the country (city or qualifier), a "place" mention
    # The other cities of a story filed from several ("AMMAN/BEIRUT (Reuters) -"): mentions of their countries with the
    # salience of a city that opens a story, but, as the first, no party to a pair (bureaus, not the story's relations).
    others: tuple[Mention, ...] = ()


class DatelineReader:
    def __init__(self, place_codes: dict[str, str], us_state_abbreviations: tuple[str, ...],
                 city_keys: frozenset[str] = frozenset()):
        """place_codes: folded place/capital/name key -> ISO3; city_keys: those of cities (places and capitals), the
        only parts of a dateline of several ("RUSSIA/UKRAINE", "U.S./CHINA" are a story's slug, not its bureaus)."""
        self._codes = dict(place_codes)
        self._city_keys = city_keys
        for abbreviation in us_state_abbreviations:
            self._codes.setdefault(phrase_key(abbreviation), "USA")
        # The same few hundred datelines recur all day ("NEW YORK", "LONDON"): remember them.
        self._code_of = functools.lru_cache(maxsize=4096)(self._lookup)
        self._heads: dict[str, Dateline | None] = {}

    def _lookup(self, place: str) -> str | None:
        return self._codes.get(phrase_key(place))

    def read(self, text: str, paragraphed: bool) -> Dateline | None:
        """The dateline opening `text`, if any; `paragraphed`: whether it holds a STORED_PARAGRAPH_BREAK (the caller
        knows)."""
        reading, stop = _opening_in_paragraphs(text) if paragraphed else (text, REACH)
        start, end = dash_span(reading, stop)  # three substring searches where the text has no dash
        if start < 0:
            return None  # no dash, no dateline
        # The same heads recur ("NEW YORK, March 3 -"): parse each once. A Dateline depends on the
        # text up to its dash only, and is immutable, so one object serves every story with that head.
        head = text[:end]
        if head in self._heads:  # not try/except KeyError: a caught exception costs ~2,000 instructions compiled
            return self._heads[head]
        if len(self._heads) > 65536:
            self._heads.clear()
        found = self._heads[head] = self._dateline(head, reading[:end], start)
        return found

    def _dateline(self, head: str, reading: str, dash: int) -> Dateline | None:
        """The dateline of `head` (text up to its dash's end), `reading` being it as `opening` reads it."""
        found = self._parse(reading[:dash])
        if not found:
            return None
        first, *others = [Mention(code, start, stop, "text", head[start:stop], "place") for code, start, stop in found]
        return Dateline(len(head), first, tuple(others))

    def _parse(self, head: str) -> list[tuple[str, int, int]] | None:
        head, marked = _unmarked(head)
        places = head.split(",")
        if len(places) == 1 and "/" in head:
            return self._cities(head)
        if not _has_dateline_form(places, marked):
            return None
        found = self._resolve(places)
        return [found] if found is not None else None

    def _cities(self, head: str) -> list[tuple[str, int, int]] | None:
        """A story filed from several cities, each upper-case and known as a city ("AMMAN/BEIRUT", "WASHINGTON/NEW
        YORK"), the first deciding; anything else ("RUSSIA/UKRAINE TALKS RESUME", "U.S./CHINA") is no dateline."""
        found, offset = [], 0
        for city in head.split("/"):
            code = self._code_of(city)
            if not (city.isupper() and _PLACE.match(city) and code and phrase_key(city) in self._city_keys):
                return None
            found.append((code, offset + len(city) - len(city.lstrip()), offset + len(city.rstrip())))
            offset += len(city) + 1
        return found

    def _resolve(self, places: list[str]) -> tuple[str, int, int] | None:
        """The qualifier ("Idaho", "Italy") decides when known, else the city."""
        offsets = [0, len(places[0]) + 1]
        for offset, part in reversed(list(zip(offsets, places))):
            code = self._code_of(part)
            if code:
                start = offset + len(part) - len(part.lstrip())
                return code, start, offset + len(part.rstrip())
        return None
