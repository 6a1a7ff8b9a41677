"""Who is a party to a sentence's relations. Two ways of naming a country relate it to no other country named with it:
a city where others meet ("U.S. and Iranian officials are convening in Rome") and a person's heritage ("Indian-American
lawmaker"). The words are seed data (seeds/gazetteer/rules.toml [venues] and [heritage])."""
from __future__ import annotations

import re
from typing import Final

from .lexicon import PartyWords
from .model import Mention

_CITY_KINDS: Final = frozenset({"place", "capital"})
# what closes an apposition; a full stop only after a name without one, where it ends the sentence ("in Davos,
# Switzerland."), not an abbreviation ("in Florida, U.S. Officials")
_APPOSITION_ENDS: Final = frozenset({",", ";", ":", ")"})
_SENTENCE_ENDS: Final = frozenset({".", "!", "?"})
_NEXT_WORD: Final = re.compile(r"\s+(\w+)")
_WORD: Final = re.compile(r"\w+")
# What ends a clause: punctuation, or a word of the rule's `joints` ("and", "but"), the group
_CLAUSE_JOINT: Final = re.compile(r"[,;:()\[\]–—]|\s-\s|\b([A-Za-z]+)\b")
# "peace talks proposed by the Russian president in Istanbul": six words between the meeting and its place
_MEETING_REACH: Final = 7
_WORD_CHARS: Final = 12  # read back this many characters a word, so that the reach's words are all read
_NO_PAIRS: Final[frozenset[tuple[str, str]]] = frozenset()


class PartyRule:
    """The seed words. A plain class: compiled, a native one (see model.py)."""

    def __init__(self, words: PartyWords) -> None:
        # Lower case, and compared so: an ALL-CAPS headline writes "DAVOS", "INDIAN-AMERICAN".
        self.venues: Final = frozenset(word.lower() for word in words.venues)
        self.before: Final = words.before
        self.meetings: Final = words.meetings
        self.joints: Final = words.joints
        self.nationalities: Final = frozenset(word.lower() for word in words.nationalities)
        self.nationals: Final = frozenset(word.lower() for word in words.nationals)
        self.people: Final = words.people


def without_venues(text: str, start: int, mentions: list[Mention], codes: set[str], rule: PartyRule
                   ) -> list[Mention]:
    """One sentence's (from `start`) `mentions` (of `codes`) without those of a city named as the place where the
    other countries it names meet: two others at least, one for the rule's `venues` ("Davos"). `mentions` itself
    when none is."""
    three = len(codes) > 2  # a city's place in the sentence is read only where it can matter: most name two countries
    # each venue's start, and how many other countries it needs to be no party: one for the rule's `venues`
    others_needed: dict[int, int] | None = None  # built at the first venue: most sentences name none
    for mention in mentions:
        if mention.kind in _CITY_KINDS:
            needed = 1 if _always_a_venue(mention, rule) else \
                2 if three and _meeting_place(text, start, mention, rule) else 0
            if needed:
                if others_needed is None:
                    others_needed = {}
                others_needed[mention.start] = needed
    if others_needed is None:
        return mentions
    # its country in apposition, closed, is the place too: "meet in Rome, Italy, next week"; not "Negotiators in
    # Florida, U.S. Officials Head to Russia"
    for before, mention in zip(mentions, mentions[1:]):
        if before.start in others_needed and mention.iso3 == before.iso3 and text[before.end:mention.start] == ", " \
                and _closes_apposition(text[mention.end:mention.end + 1], mention):
            others_needed[mention.start] = others_needed[before.start]
    others = {mention.iso3 for mention in mentions if mention.start not in others_needed}
    unpaired = {mention.start for mention in mentions if mention.start in others_needed
                and len(others - {mention.iso3}) >= others_needed[mention.start]}
    return [mention for mention in mentions if mention.start not in unpaired] if unpaired else mentions


def _closes_apposition(after: str, mention: Mention) -> bool:
    """Whether the character `after` a country named in apposition to a venue closes the apposition."""
    return after in _APPOSITION_ENDS or after in _SENTENCE_ENDS and "." not in mention.surface


def _always_a_venue(mention: Mention, rule: PartyRule) -> bool:
    return mention.surface.lower() in rule.venues


def _meeting_place(text: str, start: int, mention: Mention, rule: PartyRule) -> bool:
    """Whether a word of `before` ("in", "at") and a space come right before the mention, and a meeting word among
    the _MEETING_REACH words before that in its clause ("talks in Rome", "Meet With Putin in Budapest"): not
    "oppression in Tibet", "Gaza cease-fire talks", nor "After the summit, Iran fired missiles at Tel Aviv". The
    word before is read by walking back over its letters: this runs for every city of a sentence of three countries."""
    space = mention.start - 1
    if space <= start or not text[space].isspace():
        return False
    word = space
    while word > start and text[word - 1].isalpha():
        word -= 1
    if text[word:space].lower() not in rule.before:
        return False
    reach = max(start, word - _WORD_CHARS * _MEETING_REACH)
    for joint in _CLAUSE_JOINT.finditer(text, reach, word):  # the meeting must be of the city's own clause
        if joint.group(1) is None or joint.group(1).lower() in rule.joints:
            reach = joint.end()
    words = _WORD.findall(text, reach, word)
    return any(found.lower() in rule.meetings for found in words[-_MEETING_REACH:])


def heritage_pairs(text: str, mentions: list[Mention], rule: PartyRule) -> frozenset[tuple[str, str]]:
    """The pairs (sorted codes) that one sentence's `mentions` make only as the two parts of a person's heritage
    ("Indian-American girl", "Indian-Americans"): none when the sentence names the heritage country otherwise."""
    # where each heritage starts: a list first, since most sentences hold none (no dict and set are built for them)
    firsts = [index for index in range(len(mentions) - 1)
              if _is_heritage(text, mentions[index], mentions[index + 1], rule)]
    if not firsts:
        return _NO_PAIRS
    heritage: dict[str, set[str]] = {}
    for index in firsts:
        heritage.setdefault(mentions[index].iso3, set()).add(mentions[index + 1].iso3)
    parts = set(firsts)
    named_otherwise = {mention.iso3 for index, mention in enumerate(mentions) if index not in parts}
    return frozenset((min(code, other), max(code, other)) for code, nationalities in heritage.items()
                     if code not in named_otherwise for other in nationalities if other != code)


def _is_heritage(text: str, first: Mention, second: Mention, rule: PartyRule) -> bool:
    """Whether two mentions are the parts of a person's heritage: "Indian-American girl"."""
    return second.start == first.end + 1 and text[first.end] == "-" and first.kind == "demonym" \
        and _names_a_person(text, second, rule)


def _names_a_person(text: str, nationality: Mention, rule: PartyRule) -> bool:
    surface = nationality.surface.lower()
    if surface in rule.nationals:
        return True
    if surface not in rule.nationalities:
        return False
    word = _NEXT_WORD.match(text, nationality.end)
    return word is not None and word.group(1).lower() in rule.people
