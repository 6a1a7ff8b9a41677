"""The CLI's logfmt lines as tests read them: each starts with the time it was written (`ts=`, UTC to the second)."""
from __future__ import annotations

import re
from datetime import UTC, datetime

_STAMP = re.compile(r"^ts=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) ")


def logged_at(line: str) -> datetime | None:
    """When a log line says it was written; None when it does not start with a `ts=` field."""
    found = _STAMP.match(line)
    return datetime.strptime(found.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) if found else None


def without_ts(text: str) -> list[str]:
    """The lines of `text`, each without its leading `ts=` field (a line without one as it is), so that a test
    matches the event and its fields."""
    return [_STAMP.sub("", line, count=1) for line in text.splitlines()]
