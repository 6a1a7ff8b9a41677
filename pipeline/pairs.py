"""Country codes and pair keys as every table stores them: an upper-case ISO3 code ("RUS"); two of them, alphabetical,
joined by "-" ("PRK-RUS")."""
from __future__ import annotations

import re

ISO3 = re.compile(r"[A-Z]{3}")
_PAIR_SEPARATORS = re.compile(r"[-–\s,]+")
_PAIR_KEY = re.compile(r"([A-Z]{3})-([A-Z]{3})")
_QUOTED_PAIR_KEY = re.compile(r"'([A-Z]{3}-[A-Z]{3})'")
_SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)  # the README's examples say 'RUS-PRK' matches nothing


def pair_key(first: str, second: str) -> str:
    """The stored key of two countries' pair, whichever comes first: ("RUS", "PRK") -> "PRK-RUS"."""
    return "-".join(sorted((first, second)))


def pair_codes(key: str) -> tuple[str, str]:
    """A stored pair key's two codes: "PRK-RUS" -> ("PRK", "RUS")."""
    first, second = key.split("-")
    return first, second


def parse_code(text: str | None) -> str | None:
    """' rus ' -> 'RUS'; None unless it is three letters."""
    code = (text or "").strip().upper()
    return code if ISO3.fullmatch(code) else None


def parse_pair(text: str | None) -> str | None:
    """'RUS–PRK', 'prk-rus' or 'PRK RUS' -> 'PRK-RUS'; None unless it is two different ISO3 codes."""
    codes = _PAIR_SEPARATORS.split((text or "").strip().upper())
    if len(codes) != 2 or not all(ISO3.fullmatch(code) for code in codes) or codes[0] == codes[1]:
        return None
    return pair_key(*codes)


def reversed_pairs_note(query: str, values=()) -> str:
    """A note on the pair keys a query quotes ('RUS-PRK'), or its parameter `values` give, in reverse order: no stored
    key is, so each matches nothing and the answer reads as "never paired". '' when there is none."""
    written = [*_QUOTED_PAIR_KEY.findall(_SQL_COMMENT.sub(" ", query)),
               *(value for value in values if isinstance(value, str))]
    backwards = sorted({key for key in written if (found := _PAIR_KEY.fullmatch(key)) and found[1] > found[2]})
    if not backwards:
        return ""
    said = "; ".join(f"{key} matches nothing, {parse_pair(key)} does" for key in backwards)
    return f"pair keys are stored in alphabetical order: {said}"
