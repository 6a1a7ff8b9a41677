"""Entry dates -> aware UTC datetimes plus a quality flag.

Policy: a missing date gives (None, "missing"); a date nobody can read gives (None, "unparseable"), and so
does one before 1900 (.NET's DateTime.MinValue, 0001-01-01, is how many feeds say "no date"); a date more than
a day ahead of `now` is KEPT but flagged "future" (clock skew and time-zone bugs are common, and dropping the
value would lose information; ingest files such an article under the day it was first seen).
A date without a zone is taken as UTC, as feedparser does for ISO 8601.
"""
from __future__ import annotations

import calendar
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_PLAUSIBLE = datetime(1900, 1, 1, tzinfo=UTC)
_DATE_FIELDS = ("published", "updated", "created")


def entry_date(entry: Mapping[str, Any], now: datetime) -> tuple[datetime | None, str]:
    """The first date an entry carries (published, else updated, else created), normalised."""
    for field in _DATE_FIELDS:
        raw = entry.get(field)
        if raw:
            return normalize_date(str(raw), entry.get(f"{field}_parsed"), now)
    return None, "missing"


def normalize_date(raw: str | None, parsed: time.struct_time | None, now: datetime) -> tuple[datetime | None, str]:
    """Combine feedparser's parse (when it managed one) with our own fallbacks."""
    if not raw or not raw.strip():
        return None, "missing"
    value = _from_struct(parsed) if parsed else parse_date_text(raw)
    if value is None or value < EARLIEST_PLAUSIBLE:
        return None, "unparseable"
    if value > _as_utc(now) + FUTURE_TOLERANCE:
        return value, "future"
    return value, "ok"


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
