"""Bulk writes through Arrow: the only write path for rows (executemany is ~100x slower in DuckDB)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Mapping, Sequence

import duckdb
import pyarrow as pa

_TIMESTAMP = pa.timestamp("us", tz="UTC")
_TIMESTAMP_COLUMNS = ("published_at", "first_seen_at", "fetched_at", "started_at", "finished_at", "added_at",
                      "last_full_fetch_at", "last_success_at", "last_checked_at", "next_check_at", "pause_until",
                      "seen_at")
_INT32_COLUMNS = ("start_offset", "end_offset", "sentence_index", "mentions", "hits", "sentences", "status_code",
                  "entries", "new_articles", "consecutive_failures", "feeds_polled", "not_modified", "failures",
                  "duplicates", "last_http_status")

# Arrow types of the columns we write; any column not listed is a string.
COLUMN_TYPES: dict[str, pa.DataType] = {
    **{name: _TIMESTAMP for name in _TIMESTAMP_COLUMNS},
    **{name: pa.int32() for name in _INT32_COLUMNS},
    "day": pa.date32(),
    "run_id": pa.int64(),
    "bytes": pa.int64(),
    "ms": pa.float64(),
    "seconds": pa.float64(),
    "score": pa.float64(),
    "salience": pa.float64(),
    "is_focus": pa.bool_(),
    "gone": pa.bool_(),
    "enabled": pa.bool_(),
    "listed": pa.bool_(),
    "raised": pa.bool_(),
    "topics": pa.list_(pa.string()),
    "cue_words": pa.list_(pa.string()),
    "tags": pa.list_(pa.string()),
}


def arrow_batch(columns: Mapping[str, Sequence]) -> pa.Table:
    return pa.table({name: pa.array(values, type=COLUMN_TYPES.get(name, pa.string()))
                     for name, values in columns.items()})


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, columns: Mapping[str, Sequence]) -> Iterator[tuple[str, list[str]]]:
    """Expose column lists to SQL as a temporary relation; yields (relation name, column names)."""
    batch = arrow_batch(columns)
    name = "_pactwatch_batch"
    con.register(name, batch)
    try:
        yield name, batch.column_names
    finally:
        con.unregister(name)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Sequence],
                on_conflict: str = "") -> None:
    """Insert column-oriented rows into `table` in one statement."""
    if not columns or not len(next(iter(columns.values()))):
        return
    with registered(con, columns) as (relation, names):
        listed = ", ".join(names)
        con.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {relation} {on_conflict}")


def columns_of(rows: Sequence[Mapping], names: Sequence[str]) -> dict[str, list]:
    """Turn row dicts into the column lists insert_rows takes."""
    return {name: [row[name] for row in rows] for name in names}
