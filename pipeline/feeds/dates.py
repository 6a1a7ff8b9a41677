"""Entry dates -> aware UTC datetimes plus a quality flag.

Policy: an entry's date is the first of published, updated and created that can be read, so an unreadable
published date does not hide a good updated one. No date at all gives (None, "missing"); dates none of which
can be read give (None, "unparseable"). A date before 1900 counts as unreadable (.NET's DateTime.MinValue,
0001-01-01, is how many feeds say "no date"), and so does Unix time 0, 1970-01-01T00:00:00Z (a zero or NULL
timestamp written out as a date). A date more than a day ahead of `now` is read, KEPT but flagged
"future" (clock skew and time-zone bugs are common, and dropping the value would lose information; ingest
files such an article under the day it was first seen).
A date without a zone is taken as UTC, as feedparser does for ISO 8601, and so is one whose numeric zone no
place has (beyond UTC-12:00..UTC+14:00, or 60+ minutes): feedparser applies any offset, and "+9999" would move a
date four days back.
"""
from __future__ import annotations

import calendar
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_PLAUSIBLE = datetime(1900, 1, 1, tzinfo=UTC)
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATE_FIELDS = ("published", "updated", "created")
_NUMERIC_ZONE = re.compile(r"([+-])(\d{2}):?(\d{2})\s*$")
_ZONE_LIMITS_MINUTES = {"+": 14 * 60, "-": 12 * 60}
# The year as written: of an ISO 8601 date with a sign, or of RFC 822's "day month year". Three or more digits
# below 1900 ("0000", "-0001": PHP's date('r') of MySQL's zero date) are no date; the parsers take them for the
# two-digit years they look like ("0000" as 2000, "-0001" as 2000-11-30 00:01).
_WRITTEN_YEAR = re.compile(r"^\s*(-\d+)-|\b\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+(-?\d{3,})\b")


def entry_date(entry: Mapping[str, Any], now: datetime) -> tuple[datetime | None, str]:
    """The first date of an entry that can be read (published, else updated, else created), normalised."""
    quality = "missing"
    for field in _DATE_FIELDS:
        value, field_quality = normalize_date(str(_own(entry, field) or ""), _own(entry, f"{field}_parsed"), now)
        if value is not None:
            return value, field_quality
        if field_quality == "unparseable":
            quality = field_quality
    return None, quality


def _own(entry: Mapping[str, Any], key: str) -> Any:
    """entry[key], without feedparser's (deprecated) answer of `published` when asked for a missing `updated`."""
    return entry[key] if key in entry else None


def normalize_date(raw: str | None, parsed: time.struct_time | None, now: datetime) -> tuple[datetime | None, str]:
    """Combine feedparser's parse (when it managed one) with our own fallbacks."""
    if not raw or not raw.strip():
        return None, "missing"
    if _written_year_implausible(raw):
        return None, "unparseable"
    zoneless = _without_impossible_zone(raw)
    if zoneless is not None:
        value = parse_date_text(zoneless)
    else:
        value = _from_struct(parsed) if parsed else parse_date_text(raw)
    if value is None or value < EARLIEST_PLAUSIBLE or value == UNIX_EPOCH:
        return None, "unparseable"
    if value > _as_utc(now) + FUTURE_TOLERANCE:
        return value, "future"
    return value, "ok"


def _written_year_implausible(raw: str) -> bool:
    match = _WRITTEN_YEAR.search(raw)
    return match is not None and int(match.group(1) or match.group(2)) < EARLIEST_PLAUSIBLE.year


def _without_impossible_zone(raw: str) -> str | None:
    """`raw` without its numeric zone when no place on earth has that offset; None otherwise."""
    match = _NUMERIC_ZONE.search(raw)
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if minutes < 60 and hours * 60 + minutes <= _ZONE_LIMITS_MINUTES[sign]:
        return None
    return raw[:match.start()].rstrip()


def parse_date_text(raw: str) -> datetime | None:
    """RFC 822 (also without a zone) or ISO 8601, as aware UTC; None when neither reads it."""
    text = raw.strip()
    for parse in (parsedate_to_datetime, _parse_iso):
        try:
            return _as_utc(parse(text))
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return None


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("z", "Z"))


def _from_struct(parsed: time.struct_time) -> datetime | None:
    """feedparser's struct_time is already UTC."""
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
