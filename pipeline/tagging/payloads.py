"""What an automaton hit stands for (the payload stored with each phrase).

Each payload object is built once per lexicon entry, so identity equality (eq=False) is exact and
keeps hashing in C: payloads are dictionary keys on the hot path."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True, eq=False)
class Blocker:
    """A phrase containing a country word that names no country ("Gulf of Guinea")."""
    phrase: str
    language: str | None = None  # names none in articles of this language only (Portuguese "Colombo"); None: in any


@dataclass(frozen=True, slots=True, eq=False)
class ContextCue:
    """A phrase that votes for `code` when resolving the ambiguous `surface` elsewhere in the article."""
    surface: str
    code: str


# The weight of a topic's strong and weak terms in an article's score (topics.toml).
STRONG: Final = 2.0  # Final: compiled, inlined where read (a module global is a dictionary lookup at each read)
WEAK: Final = 1.0
# The weight of a topic's `pair` terms: they mark the topic in a sentence that names two countries and add
# nothing to the article's score ("deal", "meet": ordinary business words, relations between states there).
PAIR_ONLY: Final = 0.0


@dataclass(frozen=True, slots=True, eq=False)
class TopicTerm:
    topic: str
    weight: float  # STRONG, WEAK or PAIR_ONLY
    term: str
    index: int  # of its topic's lexicon in TaggerData.topics


@dataclass(frozen=True, slots=True, eq=False)
class TopicExclude:
    topic: str


@dataclass(frozen=True, slots=True, eq=False)
class CueTerm:
    family: str  # cooperation | confrontation; neutral and ending count for neither (topics.pair_cues)
    # where a pair's window (topics.CUE_REACH) reads the hit from: -1, its start; an ending's, the word it ends
    reach_from: int = -1
