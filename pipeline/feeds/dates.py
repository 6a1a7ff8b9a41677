"""Entry dates -> aware UTC datetimes plus a quality flag.

Policy: an entry's date is the first of published, updated and created that can be read, so an unreadable
published date does not hide a good updated one. No date at all gives (None, "missing"); dates none of which
can be read give (None, "unparseable"). A date before 1900 counts as unreadable (.NET's DateTime.MinValue,
0001-01-01, is how many feeds say "no date"), and so does Unix time 0, 1970-01-01T00:00:00Z (a zero or NULL
timestamp written out as a date). A date more than a day ahead of `now` is read, KEPT but flagged
"future" (clock skew and time-zone bugs are common, and dropping the value would lose information; ingest
files such an article under the day it was first seen).
A date without a zone is taken as UTC, as feedparser does for ISO 8601, and so is one whose numeric zone no place
has (beyond UTC-12:00..UTC+14:00, or 60+ minutes): feedparser applies any offset, and "+9999" would move a date four
days back. A zone's name after the time ("... 00:30:00 KST") is read by seeds/time_zones.toml; a word in its place
that the table does not name (an unknown or ambiguous zone, "IST", or "PM") makes the date unparseable: the parsers
read any name they do not know as UTC, KST nine hours off, "ok", and date_quality has no value for "the zone was
guessed".
"""
from __future__ import annotations

import calendar
import functools
import re
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.paths import SEEDS
from pipeline.toml_lines import read_toml

FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_PLAUSIBLE = datetime(1900, 1, 1, tzinfo=UTC)
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATE_FIELDS = ("published", "updated", "created")
_NUMERIC_ZONE = re.compile(r"([+-])(\d{2}):?(\d{2})\s*$")
_ZONE_LIMITS_MINUTES = {"+": 14 * 60, "-": 12 * 60}
_ZONE_LIMITS = {sign: timedelta(minutes=minutes) for sign, minutes in _ZONE_LIMITS_MINUTES.items()}
TIME_ZONES = SEEDS / "time_zones.toml"
_ZONE_NAME = re.compile(r"[A-Z]{1,5}")
_ZONE_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)")
# A word after the last digit of a date: a zone's name ("Thu, 20 Jun 2024 00:30:00 KST"), or one no zone has ("PM").
_NAMED_ZONE = re.compile(r"(?<=\d)\s+([^\W\d_]+)\s*$")
# The year as written: of an ISO 8601 date with a sign, or of RFC 822's "day month year". Three or more digits
# below 1900 ("0000", "-0001": PHP's date('r') of MySQL's zero date) are no date; the parsers take them for the
# two-digit years they look like ("0000" as 2000, "-0001" as 2000-11-30 00:01).
_WRITTEN_YEAR = re.compile(r"^\s*(-\d+)-|\b\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+(-?\d{3,})\b")
# A date written year first in numbers ("2024-06-01", "2024/06/01 12:00", "2024.06.01"), its time when it has one.
_YEAR_FIRST = re.compile(r"\s*(\d{4,})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)(?:[T\s]\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")
# ... and nothing after it but a fraction of a second and a numeric zone: all of it feedparser's reading accounts for.
_YEAR_FIRST_WHOLE = re.compile(_YEAR_FIRST.pattern + r"(?:[.,]\d+)?\s*(?:Z|[+-]\d\d:\d\d)?\s*", re.IGNORECASE)


# Forms archives write that neither RFC 822 nor ISO 8601 reads, each naming its month in words: Reuters-21578's
# "26-FEB-1987 15:01:01.79", "May 1, 2024", "1 May 2024". Day and month in numbers ("01/05/2024") stay unread: which
# is which differs by country.
_WRITTEN_FORMATS = ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y",
                    "%d %b %Y")
# ISO 8601 as most feeds and archives write it ("2025-02-17T16:26:56+00:00", "2024-06-01"), which the standard
# library reads alone: the general path below spent 12 µs on it, a sixth of `pactwatch tag`'s cost for a feed item.
# It reads these alike (a test compares the two); any other form, or one the standard library refuses, takes it.
_PLAIN_ISO = re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:[0-5]\d)?)?")


class TimeZoneSeedError(Exception):
    """seeds/time_zones.toml is missing or malformed. No ValueError: callers take one for a row or a date they cannot
    read and go on (`pactwatch tag` writes an error row), and a broken table is neither."""


class EntryDate(NamedTuple):
    """An entry's date as read (`at`, aware UTC or None), its quality, and the text it was read from as the feed wrote
    it (`written`): of the field read, else of the first that could not be read; None when the entry gave none."""

    at: datetime | None
    quality: str
    written: str | None


def entry_date(entry: Mapping[str, Any], now: datetime) -> EntryDate:
    """The first date of an entry that can be read (published, else updated, else created), normalised."""
    unread = None
    for field in _DATE_FIELDS:
        written = str(_own(entry, field) or "")
        value, quality = normalize_date(written, _own(entry, f"{field}_parsed"), now)
        if value is not None:
            return EntryDate(value, quality, written)
        if quality == "unparseable" and unread is None:
            unread = written
    return EntryDate(None, "missing" if unread is None else "unparseable", unread)


def _own(entry: Mapping[str, Any], key: str) -> Any:
    """entry[key], without feedparser's (deprecated) answer of `published` when asked for a missing `updated`."""
    return entry[key] if key in entry else None


def normalize_date(raw: str | None, parsed: time.struct_time | None, now: datetime) -> tuple[datetime | None, str]:
    """Combine feedparser's parse (when it managed one) with our own fallbacks."""
    if not raw or not raw.strip():
        return None, "missing"
    value = _read_plain_iso(raw)
    if value is None:
        if _written_year_implausible(raw):
            return None, "unparseable"
        value = _read(raw, parsed)
    if value is None or value < EARLIEST_PLAUSIBLE or value == UNIX_EPOCH:
        return None, "unparseable"
    if value > _as_utc(now) + FUTURE_TOLERANCE:
        return value, "future"
    return value, "ok"


def _read_plain_iso(raw: str) -> datetime | None:
    """A _PLAIN_ISO date with a zone some place has, as _read reads it; None for any other (or none)."""
    if not _PLAIN_ISO.fullmatch(raw):
        return None
    try:
        value = datetime.fromisoformat(raw)
        offset = value.utcoffset()
        if offset is not None and not -_ZONE_LIMITS["-"] <= offset <= _ZONE_LIMITS["+"]:
            return None
        value = _as_utc(value)
    except (ValueError, OverflowError):  # a field out of range, a leap second, before year 1 in UTC: _read judges
        return None
    return value.replace(microsecond=0) if value.microsecond else value  # whole seconds, as _read reads them


def _read(raw: str, parsed: time.struct_time | None) -> datetime | None:
    """Our strict ISO 8601 read first, else feedparser's where it read the whole text, else our other readers; ours
    alone for a date followed by a word, which feedparser reads as UTC when it knows no zone of that name."""
    if _NAMED_ZONE.search(raw):
        return parse_date_text(raw)
    zoneless = _without_impossible_zone(raw)
    if zoneless is not None:
        return parse_date_text(zoneless)
    try:
        return _as_utc(_parse_iso(raw.strip())).replace(microsecond=0)  # whole seconds, as feedparser read them
    except ValueError:
        pass
    except OverflowError:  # in UTC before year 1 or after 9999
        return None
    return _from_struct(parsed) if parsed and _read_whole_by_feedparser(raw) else parse_date_text(raw)


def _read_whole_by_feedparser(raw: str) -> bool:
    """Whether feedparser's reading of `raw` accounts for all of it, so it may be trusted.

    feedparser tries its W3DTF reader first, then RFC 822's, then ISO 8601's, which reads the longest beginning it knows
    of a text and drops the rest, however much: the year of "2024년 6월 19일 08:30" (then the 1st of the month it is
    read in: 2024-12-01 in December), the date of "2024-06-19 오후 11:30:00" without its afternoon time, day 187 of
    2017 in the Unix time "1718753400"; all "ok". Only text opening with a digit (or a sign) reaches that reader:
    the forms opening with a letter, RFC 822's with its weekday and asctime's, are read field by field by readers
    that find each one or fail. Of the rest, the one form left to feedparser is a date and time written year first
    with "-", whole (a fraction and a numeric zone at most after it), each field in range: its W3DTF reader reads
    that right where our strict one refuses it (a leap second, 24:00, a space before the zone after a fraction). It
    took "/" and "." dates for December 1st of their year, rolled fields out of range into the next ("2024-13-01" as
    2025-01-01), read week dates and years past 9999 wrong ("2002-W40-3" as 2002-12-01, "12024-06-01" as
    2012-01-24); our own readers, which read a text whole or not at all, judge those and everything else opening
    with a digit."""
    if raw.lstrip()[:1].isalpha():
        return True
    written = _YEAR_FIRST_WHOLE.fullmatch(raw)
    return written is not None and written.group(2) == "-" and _fields_in_range(written)


def _fields_in_range(written: re.Match) -> bool:
    """Whether a date written year first names a real day and time (a leap second, or 24:00:00 for the day's end)."""
    year, _, month, day, *clock = written.groups()
    hour, minute, second = (int(field or 0) for field in clock)
    try:
        datetime(int(year), int(month), int(day))
    except ValueError:
        return False
    return (hour < 24 or (hour, minute, second) == (24, 0, 0)) and minute < 60 and second <= 60


def _written_year_implausible(raw: str) -> bool:
    match = _WRITTEN_YEAR.search(raw)
    return match is not None and int(match.group(1) or match.group(2)) < EARLIEST_PLAUSIBLE.year


def _without_impossible_zone(raw: str) -> str | None:
    """`raw` without its numeric zone when no place on earth has that offset; None otherwise."""
    match = _NUMERIC_ZONE.search(raw)
    if not match or ":" not in raw[:match.start()]:  # a zone follows a time; "26-Feb-1987" ends in its year
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if minutes < 60 and hours * 60 + minutes <= _ZONE_LIMITS_MINUTES[sign]:
        return None
    return raw[:match.start()].rstrip()


def parse_date_text(raw: str) -> datetime | None:
    """RFC 822 (also without a zone), ISO 8601 or a _WRITTEN_FORMATS date, also with a zone's name of
    seeds/time_zones.toml after it ("2024-05-01T09:18:02 UTC", ISO 8601 has none), as aware UTC; None when none reads
    it, or a word after it names no zone of the table."""
    text = raw.strip()
    named = _NAMED_ZONE.search(text)
    if named is None:
        value = _parse_as_written(text)
        return None if value is None else _as_utc(value)
    zone = zone_offsets().get(named.group(1).upper())
    value = None if zone is None else _parse_as_written(text[:named.start()])
    if value is None or value.tzinfo is not None and value.utcoffset() != zone.utcoffset(None):
        return None  # no zone of that name, no date before it, or an offset there the name contradicts
    try:
        return value.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:  # in UTC before year 1 or after 9999
        return None


def _parse_as_written(text: str) -> datetime | None:
    """The date of the first reader that reads `text`, naive when it names no zone; None when none does."""
    for parse in (parsedate_to_datetime, _parse_iso, _parse_written):
        try:
            return parse(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return None


@functools.lru_cache(maxsize=1)
def zone_offsets(path: Path = TIME_ZONES) -> dict[str, timezone]:
    """The zones of seeds/time_zones.toml by name in capitals, checked: a mistake in it stops the process, the file
    and the entry named, rather than read a zone's dates as UTC."""
    document = read_toml(path, TimeZoneSeedError)
    offsets = document.get("offsets")
    if set(document) != {"offsets"} or not isinstance(offsets, dict) or not offsets:
        raise TimeZoneSeedError(f"{path}: needs an [offsets] table of zone names, and no other key")
    return {name: _zone(path, name, offset) for name, offset in offsets.items()}


def _zone(path: Path, name: str, offset: object) -> timezone:
    written = _ZONE_OFFSET.fullmatch(offset) if isinstance(offset, str) else None
    if not _ZONE_NAME.fullmatch(name) or written is None:
        raise TimeZoneSeedError(f'{path}: offsets.{name} = {offset!r}: needs a name of 1 to 5 capital letters and an '
                                f'offset "+HH:MM" or "-HH:MM"')
    sign, hours, minutes = written.group(1), int(written.group(2)), int(written.group(3))
    if minutes >= 60 or hours * 60 + minutes > _ZONE_LIMITS_MINUTES[sign]:
        raise TimeZoneSeedError(f"{path}: offsets.{name} = {offset!r}: no place has it (-12:00 to +14:00)")
    return timezone(timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1))


def _parse_iso(text: str) -> datetime:
    """ISO 8601, a date written year first with "/" or "." read as with "-" (year, month, day: no other order)."""
    written = _YEAR_FIRST.match(text)
    if written:
        year, _, month, day = written.group(1, 2, 3, 4)
        text = f"{year}-{int(month):02d}-{int(day):02d}{text[written.end(4):]}"
    return datetime.fromisoformat(text.replace("z", "Z"))


def _parse_written(text: str) -> datetime:
    for written in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(text, written)
        except ValueError:
            continue
    raise ValueError(f"no known form: {text!r}")


def filing_date(published: datetime | None, quality: str, now: datetime) -> date:
    """The UTC day an article is counted on: its date's, but never after the day it was first seen (`now`). A date more
    than a day ahead is kept but not filed under (one article "from 2100" would move every "latest day"), and one less
    ahead, a clock or zone a few hours off, is filed today: on tomorrow, queries and alerts ending today miss it."""
    seen_day = _as_utc(now).date()
    if published is None or quality == "future":
        return seen_day
    return min(_as_utc(published).date(), seen_day)


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
