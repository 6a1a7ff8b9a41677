"""The CSV rules every download follows (`export`, `sql --csv`, the dashboard's buttons): CSV has no lists, and
feed text may be written to run as a spreadsheet formula. `export` writes through Arrow's CSV writer; a cell written
one by one reads as it would there (true/false, a time to the microsecond, "Z" for UTC), so files of the two join."""
from __future__ import annotations

import re
from datetime import datetime, timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # a cell a spreadsheet runs as a formula (CSV injection)
# The cells written with a leading "'": a would-be formula, and a text whose own "'"s stand before one, so that an
# import takes off exactly the "'" a download added ("'=x" was written for "=x" and for "'=x" alike). For RE2 (Arrow)
# and Python; "-" last in its class.
DEFUSED = "^'*[" + "".join(prefix for prefix in FORMULA_PREFIXES if prefix != "-") + "-]"
_DEFUSED = re.compile(DEFUSED)


def joined(items) -> str:
    """A list cell (countries, topics) as one ';'-joined text; a missing item is an empty one."""
    return ";".join("" if item is None else str(item) for item in items)


def csv_cell(value):
    """One value as a CSV cell: a list joined, a would-be formula defused with a leading "'", a truth value and a time
    as `export` writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _as_exported(value)
    if isinstance(value, (list, tuple)):
        value = joined(value)
    if isinstance(value, str) and _DEFUSED.match(value):
        return f"'{value}"
    return value


def undefused(text: str) -> str:
    """A cell `csv_cell` defused as it was before: its leading "'" dropped when it was ours (DEFUSED). Only for a file
    we wrote (a third party's "'=" is its own text). A file written before DEFUSED took "''=x" as it was: read now,
    it loses one "'"."""
    if text.startswith("'") and _DEFUSED.match(text[1:]):
        return text[1:]
    return text


def _as_exported(moment: datetime) -> str:
    """"2024-06-19 00:00:00.000000Z" for a time with a zone (in UTC), without the "Z" for one without, as Arrow's CSV
    writer has it."""
    if moment.tzinfo is None:
        return moment.isoformat(sep=" ", timespec="microseconds")
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds") + "Z"
