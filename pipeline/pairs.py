"""Country codes and pair keys as every table stores them: an upper-case ISO3 code ("RUS"); two of them, alphabetical,
joined by "-" ("PRK-RUS")."""
from __future__ import annotations

import re

ISO3 = re.compile(r"[A-Z]{3}")
_PAIR_SEPARATORS = re.compile(r"[-–\s,]+")


def parse_code(text: str | None) -> str | None:
    """' rus ' -> 'RUS'; None unless it is three letters."""
    code = (text or "").strip().upper()
    return code if ISO3.fullmatch(code) else None


def parse_pair(text: str | None) -> str | None:
    """'RUS–PRK', 'prk-rus' or 'PRK RUS' -> 'PRK-RUS'; None unless it is two different ISO3 codes."""
    codes = _PAIR_SEPARATORS.split((text or "").strip().upper())
    if len(codes) != 2 or not all(ISO3.fullmatch(code) for code in codes) or codes[0] == codes[1]:
        return None
    return "-".join(sorted(codes))
