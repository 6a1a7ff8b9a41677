"""An article's day as every reader is told it (the dashboard, `pactwatch alerts`): its publication day, or, for an
article stored without a usable one (articles.date_quality other than 'ok'), the day PactWatch first stored it,
which must not read as the day it was news."""
from __future__ import annotations

from datetime import date

STORED_DAY = "first stored; no usable publication date"


def day_filed(day: date, dated: bool) -> str:
    """'2025-03-14', or '2025-03-14 (first stored; no usable publication date)' for an undated article."""
    return f"{day:%Y-%m-%d}" + ("" if dated else f" ({STORED_DAY})")
