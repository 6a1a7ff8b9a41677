"""An article's day as every reader is told it (the dashboard, `pactwatch alerts`): its publication day, or, for an
article stored without a usable one (articles.date_quality other than 'ok'), the day PactWatch first stored it and
why, which must not read as the day it was news."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone

from .controls import one_line

STORED_DAY = "first stored"
# why an article has no usable date, by its articles.date_quality ('future': why_undated says the date it claims)
NO_DATE_GIVEN, DATE_UNREADABLE = "no date given", "date unreadable"
# what a reader that knows only that an article is undated (`dated`: the alerts' evidence) says of it
NO_USABLE_DATE = "no usable publication date"


# characters of a date as its feed wrote it that a reader is shown: feed text, which may be of any length
WRITTEN_SHOWN = 40


def is_dated(date_quality: str) -> bool:
    """Whether an article is filed under its publication day (date_quality 'ok'), not the day first stored."""
    return date_quality == "ok"


def count_undated(date_qualities: Iterable[str]) -> int:
    """How many of these articles have no usable date of their own (missing, unreadable or ahead of when seen), and
    so are filed under the day first stored: what a run's and an import's `undated=` count, and the dashboard's."""
    return sum(not is_dated(quality) for quality in date_qualities)


def why_undated(date_quality: str, claimed: datetime | None, written: str | None = None) -> str:
    """Why an article is filed under the day first stored, in a few words: 'no date given', 'date unreadable', or
    'dated 2028-01-01 09:00 UTC, ahead of when stored' with the date a 'future' one claims (its published_at, which
    files it nowhere), each followed by the date as its feed wrote it when that is kept (`written`:
    'date unreadable: “19/06/2024”'); '' for a dated one."""
    if is_dated(date_quality):
        return ""
    if date_quality == "future" and claimed is not None:
        because = f"dated {claimed.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC, ahead of when stored"
    else:
        because = {"missing": NO_DATE_GIVEN, "unparseable": DATE_UNREADABLE}.get(date_quality, NO_USABLE_DATE)
    return f"{because}: {quoted(written)}" if written else because


def taken_as(published: datetime, written: str | None) -> str:
    """A date as its feed wrote it and as read: '“Wed, 19 Jun 2024 08:30:00 KST” taken as 2024-06-18 23:30 UTC', for a
    reader checking the reading; '' without the text (stored before it was kept)."""
    if not written:
        return ""
    return f"{quoted(written)} taken as {published.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def quoted(written: str, limit: int = WRITTEN_SHOWN) -> str:
    """Feed text in quotes, on one line and cut to `limit` characters."""
    flat = one_line(written)
    return f"“{flat if len(flat) <= limit else flat[:limit - 1] + '…'}”"


def day_filed(day: date, undated_because: str) -> str:
    """'2025-03-14', or '2025-03-14 (first stored; no date given)' for an undated article (`undated_because`: its
    why_undated)."""
    return f"{day:%Y-%m-%d}" + (f" ({STORED_DAY}; {undated_because})" if undated_because else "")
