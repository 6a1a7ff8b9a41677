"""What an automaton hit stands for (the payload stored with each phrase)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Blocker:
    """A phrase containing a country word that names no country ("Gulf of Guinea")."""
    phrase: str


@dataclass(frozen=True, slots=True)
class ContextCue:
    """A phrase that votes for `code` when resolving the ambiguous `surface` elsewhere in the article."""
    surface: str
    code: str


@dataclass(frozen=True, slots=True)
class TopicTerm:
    topic: str
    weight: float
    term: str


@dataclass(frozen=True, slots=True)
class TopicExclude:
    topic: str


@dataclass(frozen=True, slots=True)
class CueTerm:
    family: str  # cooperation | confrontation
