"""Newswire datelines: "MINNEAPOLIS, March 3 -", "BOISE, Idaho, March 2 -", "SEOUL (Reuters) -".

A dateline is the strongest single cue of where a story happens (most US company reports carry no
other geography), so it becomes a mention of its own with extra salience.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import phrase_key

_DATELINE = re.compile(
    r"\s*(?P<city>[A-Z][A-Za-z.'\- ]{1,40}?)"
    r"(?:,\s*(?P<qualifier>[A-Z][A-Za-z. ]{1,20}?))?"
    r"(?P<date>,\s*(?:[A-Z][a-z]{2,8}\.?|[A-Z]{3,9}\.?)\s+\d{1,2})?"
    r"\s*(?P<agency>\([A-Za-z ]{2,20}\))?\s*[-–—]+(?:\s|$)"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    end: int        # offset just after the dateline dash
    code: str       # ISO3 the dateline resolves to
    start: int      # span of the part that decided the country (city or qualifier)
    stop: int


class DatelineReader:
    def __init__(self, place_codes: dict[str, str], us_state_abbreviations: tuple[str, ...]):
        """place_codes: folded place/capital/name key -> ISO3."""
        self._codes = dict(place_codes)
        for abbreviation in us_state_abbreviations:
            self._codes.setdefault(phrase_key(abbreviation), "USA")

    def read(self, text: str) -> Dateline | None:
        match = _DATELINE.match(text, 0, 120)
        if match is None or not _looks_like_dateline(match):
            return None
        for group in ("qualifier", "city"):
            code = self._codes.get(phrase_key(match.group(group) or ""))
            if code:
                return Dateline(match.end(), code, match.start(group), match.end(group))
        return None


def _looks_like_dateline(match: re.Match) -> bool:
    city = match.group("city")
    return city.upper() == city or bool(match.group("date") or match.group("agency"))
