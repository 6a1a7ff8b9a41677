"""From raw automaton hits to country mentions: longest match, dates, person names, context."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from typing import Final

from .lexicon import AmbiguousSurface, PlaceEntry, TaggerData
from .matcher import Hit
from .model import Mention
from .payloads import Blocker
from .text import (LINE_BREAKS, TWO_CHAR_BREAKS, is_all_caps, is_letter, is_title_case, is_upper, is_word_gap,
                   line_break_end, parts_words, phrase_key, word_at)

# When two phrases cover the same span, the more specific reading wins.
_PRIORITY: Final = {"blocker": 0, "ambiguous": 1, "name": 2, "capital": 3, "leader": 4, "demonym": 5, "place": 6}


def _priority(hit: Hit) -> int:
    return reading_priority(hit.pattern.payload)


def reading_priority(payload) -> int:
    """Rank of a place payload among the readings of one span (lowest wins)."""
    if isinstance(payload, Blocker):
        return _PRIORITY["blocker"]
    if isinstance(payload, AmbiguousSurface):
        return _PRIORITY["ambiguous"]
    return _PRIORITY[payload.kind]


def longest_matches(hits: list[Hit], published: dt.date | None) -> list[Hit]:
    """Non-overlapping hits, longest first ("Papua New Guinea" beats "Guinea" and "New Guinea")."""
    if published is None:  # every entry is valid on an unknown day
        live = list(hits)
    else:
        live = [hit for hit in hits if not isinstance(hit.pattern.payload, PlaceEntry)
                or hit.pattern.payload.valid_on(published)]
    if len(live) < 2:
        return live
    # Usual case: hits arrive disjoint and in order, which is already the answer.
    end = -1
    for hit in live:
        if hit.start < end:
            break
        end = hit.end
    else:
        return live
    # Next: nested ones ("North Korea" and its "Korea", "Vladimir Putin" and its "Putin", a quarter of demo
    # items' fields), the outermost of which are the answer: found in one walk, without sorting.
    outermost = _outermost(live)
    if outermost is not None:
        return outermost
    live.sort(key=lambda hit: (hit.start - hit.end, hit.start, _priority(hit)))
    # A byte per character of the field marks what a kept hit took. Hits come longest first, so a kept hit that
    # overlaps a later one is at least as long and holds that hit's first or last character: two reads decide.
    # (A list of the kept hits sorted by start, kept by list.insert, moved its tail at every insert: the square of the
    # hits on a text of overlapping names: 800 KB of them took 0.5 CPU-s, four times 400 KB.)
    taken = bytearray(max([hit.end for hit in live]))
    kept: list[Hit] = []
    for hit in live:
        start, end = hit.start, hit.end
        if not taken[start] and not taken[end - 1]:
            taken[start:end] = b"\x01" * (end - start)
            kept.append(hit)
    kept.sort(key=lambda hit: hit.start)  # pairwise disjoint: no two start alike
    return kept


def _outermost(hits: list[Hit]) -> list[Hit] | None:
    """The hits that no other hit holds, by start: longest_matches' answer when, of any two hits that overlap, one
    holds the other (the longer comes first in its ranking, so the outermost are kept and overlap no other kept hit).
    None when two hits cross, share a span (their readings' priority decides) or come out of order: there
    longest_matches ranks them. A hit holding the last kept one replaces it (the scan reports hits by end)."""
    kept: list[Hit] = []
    for hit in hits:
        start, end = hit.start, hit.end
        while kept and kept[-1].end > start:  # the last kept hit overlaps this one, or lies after it
            top = kept[-1]
            if top.start == start and top.end == end:
                return None
            if start <= top.start and top.end <= end:
                kept.pop()  # inside this hit
            elif top.start <= start and end <= top.end:
                break  # this hit is inside the last kept one
            else:
                return None
        else:
            kept.append(hit)
    return kept


# PersonFilter.reading: how a place hit reads.
NOT_A_NAME: Final = 0  # it names its place
SURNAME: Final = 1  # a person's (after a given name or a title): so is the same word later in the article
PART_OF_A_NAME: Final = 2  # a first name ("Chad Smith") or part of a place's name ("Lake Victoria"): here only
LEADER_BY_OFFICE: Final = 3  # a leader's surname after an office ("President Reagan"): the leader
NAMESAKE: Final = 4  # a leader's surname after another given name ("Oscar Pistorius"): another person
_UNDECIDED: Final = -1  # PersonFilter._after_word: the word before the hit says nothing


class PersonFilter:
    """Finds country words that are part of a person's name ("Michael Jordan", "Mr Jordan", "Chad Smith") or
    of another place's ("Lake Victoria")."""

    def __init__(self, data: TaggerData):
        self._given_names = data.given_names
        self._titles = data.titles
        self._offices = data.offices
        self._place_prefixes = data.place_prefixes
        self._country_prefixes = data.country_prefixes  # "air india": a word, and a first name it makes the country's
        self._first_names = frozenset(name.lower() for name in data.first_name_surfaces)
        self._title_case_countries = frozenset(name.lower() for name in data.title_case_countries)
        self._followers = data.country_followers
        # The longest word before a hit that can matter, with opening quotes and a full stop ("(“Mr."): a longer one is
        # none of the words it is read against, so `_word_before` looks no further back.
        prefix_words = {phrase.split()[0] for phrase in self._country_prefixes}
        self._reach = max(len(word) for words in (self._given_names, self._titles, self._offices, self._place_prefixes,
                                                  prefix_words) for word in words) + 4
        # Most words before a country are none of these (a headline's "Says", "Trade"): one lookup settles them.
        self._telling_words = frozenset().union(self._given_names, self._titles, self._offices, self._place_prefixes,
                                                prefix_words)
        self._first_name_phrases = _first_name_phrases(data, self._first_names)

    def reading(self, text: str, hit: Hit, spans: list[Hit], country_end: int) -> int:
        """NOT_A_NAME, SURNAME, PART_OF_A_NAME, LEADER_BY_OFFICE ("President Reagan") or NAMESAKE ("Oscar
        Pistorius"). `spans`: the field's selected place hits, sorted by start (a capitalised word after a first name
        that is itself a place, as in "Jordan Canada", makes no person); `country_end`: where the field's last
        mention kept so far ends (-1: none)."""
        start, end = hit.start, hit.end
        gap = _break_before(text, start)
        before = _word_before(text, gap, self._reach)
        if before:
            word = before.rstrip(".").lower()
            if word in self._telling_words:
                reading = self._after_word(word, before[-1] == ".", text, hit, gap, country_end)
                if reading != _UNDECIDED:
                    return reading
        pattern = hit.pattern
        if not pattern.is_prefix and pattern.phrase not in self._first_name_phrases:
            return NOT_A_NAME  # its text is no first name (_first_name_phrases): the slice and lookup below are skipped
        written = text[start:end]
        surface = written.lower()
        # A first name in capitals says no more of a person than one in an ALL CAPS field: it heads a wire table
        # ("PRS PARIS SUGAR 18.00 GMT", "SYDNEY WOOL CASH SETT FUTURES") whose rows below ("May 1158/1168 ba")
        # keep the field from reading as ALL CAPS.
        if surface not in self._first_names or written.isupper() or is_all_caps(text) \
                or (surface in self._title_case_countries and is_title_case(text)):
            return NOT_A_NAME
        after_start = _word_start_after(text, end)
        after = word_at(text, after_start) if after_start >= 0 else ""
        if after and is_upper(after[0]) and after not in self._followers and not _starts_at(spans, after_start):
            return PART_OF_A_NAME
        return NOT_A_NAME

    def _after_word(self, word: str, dotted: bool, text: str, hit: Hit, gap: int, country_end: int) -> int:
        """How the word before a hit (lower-case, without its full stop; `dotted`: it had one) makes the hit read;
        _UNDECIDED when it says nothing."""
        if word in self._place_prefixes:
            return PART_OF_A_NAME
        # "Air India Flight 171": the country's airline; but "Air Jordan Brand" is Nike's
        if not dotted and f"{word} {text[hit.start:hit.end].lower()}" in self._country_prefixes:
            return NOT_A_NAME
        payload = hit.pattern.payload
        leader = isinstance(payload, PlaceEntry) and payload.kind == "leader"
        if word in self._titles:  # "Mr Putin" is the leader, unless a namesake is about (the caller knows)
            return NOT_A_NAME if leader else SURNAME
        if leader and word in self._offices:
            return LEADER_BY_OFFICE
        # A first name kept as a country is no person's, so neither is the word after it: "Jordan Canada talks"
        # and "Chad Niger Mali sign pact" list countries.
        if not dotted and word in self._given_names and gap != country_end:
            return NAMESAKE if leader else SURNAME
        return _UNDECIDED


def _first_name_phrases(data: TaggerData, first_names: frozenset[str]) -> frozenset[str]:
    """The phrases of the place patterns whose hit can be written as a first name ("Jordan", "JORDAN", "jordan"). A
    hit of the main scan folds to its pattern's key, the key of its phrase: only a phrase whose key is a first name's
    can. A language's scan of its own reads its letter variants as one: each of its phrases is taken. (A prefix's hit
    runs on past its key: PersonFilter.reading looks at every one.)"""
    cores = [entry.surface.rstrip("*") for entry in data.places] + [rule.surface.rstrip("*") for rule in data.ambiguous]
    phrases = {core for core in cores if phrase_key(core) in first_names}
    phrases.update(entry.surface for entry in data.places if entry.language in data.own_scans)
    return frozenset(phrases)


def _starts_at(spans: list[Hit], offset: int) -> bool:
    """Whether a hit of `spans` (sorted by start) starts at `offset`: found by bisection, since a text of many such
    names ("Jordan Smith met Chad Brown.") asks once per name."""
    index = bisect_left(spans, offset, key=_start)
    return index < len(spans) and spans[index].start == offset


def _start(hit: Hit) -> int:
    return hit.start


def _break_before(text: str, start: int) -> int:
    """Where the one gap between two words of a name right before `start` begins (a space, a tab, a no-break space, or
    one line break of any kind, two-character ones included: wire copy wraps lines); -1 when there is none."""
    if start < 1:
        return -1
    gap = text[start - 1]
    if gap == " ":  # most: no other check needed
        return start - 1
    if not is_word_gap(gap):
        return -1
    if text[max(start - 2, 0):start] in TWO_CHAR_BREAKS:
        return start - 2
    return start - 1


def _word_start_after(text: str, end: int) -> int:
    """Where the word after the one gap between two words of a name right after `end` starts ("Chad\nBrown": wire
    copy wraps a name as it wraps any two words); -1 when there is none. A blank line or an indent after the break is no
    word."""
    if end >= len(text) or not is_word_gap(text[end]):
        return -1
    return line_break_end(text, end, len(text)) if text[end] in LINE_BREAKS else end + 1


def _word_before(text: str, end: int, reach: int) -> str:
    """The capitalised word that ends at `end` (where the break before a hit begins: `_break_before`), with its full
    stop ("Mr." in "Mr. Jordan"); '' when there is none, or when it starts more than `reach` characters back."""
    if end < 2:
        return ""
    last = end - 1
    if text[last] == ".":
        last -= 1
    if not is_letter(text[last]):
        return ""
    # The word starts after the last whitespace (or zero-width space) before it, looked for within `reach`: searching
    # back to the last space, a text of one word a line ("Canada\nFrance\n", a list) was searched back to its start at
    # every country (1.6 MB of it took 2.7 CPU-seconds here, four times 800 KB).
    floor = max(end - reach - 1, 0)  # where the break before a word of `reach` characters is
    word_start = last
    while word_start > floor and _is_lower_ascii(text[word_start - 1]):  # most: a native test, no parts_words call
        word_start -= 1
    while word_start > floor and not parts_words(text[word_start - 1]):
        word_start -= 1
    if word_start == floor and floor > 0:  # none within reach: a longer word
        return ""
    if _is_lower_ascii(text[word_start]):  # most words before a country are lower-case: no slicing then
        return ""
    word = text[word_start:end].lstrip("(\"'“‘")
    return word if word and is_upper(word[0]) else ""


def _is_lower_ascii(char: str) -> bool:
    return ord("a") <= ord(char) <= ord("z")


def resolve(hit: Hit, text: str, field: str, votes: dict[str, dict[str, int]]) -> Mention:
    """A Mention for a place hit, settling ambiguous surfaces by the article's cue votes."""
    entry = hit.pattern.payload
    surface = text[hit.start:hit.end]
    if isinstance(entry, PlaceEntry):
        return Mention(entry.code, hit.start, hit.end, field, surface, entry.kind)
    counts = votes.get(entry.surface, {})
    best = max(counts.values(), default=0)
    leaders = sorted(code for code, count in counts.items() if count == best and best > 0)
    code = entry.default if not leaders or entry.default in leaders else leaders[0]
    kind = "place" if code in entry.place_for else entry.kind
    return Mention(code, hit.start, hit.end, field, surface, kind)
