"""Rewriting the writer file without its free blocks, and writing the published copy that hides credentials.

DuckDB never gives free blocks back to the file system. A retag builds the new derived tables beside
the old ones and drops the old ones, which leaves their blocks free: 42 % of the writer file at 1M
articles. Every snapshot publish copies the whole file, free blocks included. COPY FROM DATABASE writes
the tables, views, constraints and comments into a fresh file; the Warehouse swaps it in with a rename.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import duckdb

from .arrow_io import registered
from .errors import StoreError
from .quoting import sql_identifier, sql_literal

COMPACTED = "pactwatch_compacted"  # the fresh file's catalog name while it is attached


@dataclass(frozen=True)
class SpaceUse:
    total_blocks: int
    free_blocks: int

    @property
    def free_share(self) -> float:
        return self.free_blocks / self.total_blocks if self.total_blocks else 0.0


def space_use(con: duckdb.DuckDBPyConnection) -> SpaceUse:
    """Blocks of the connection's own database file, and how many of them are free (after a CHECKPOINT)."""
    total, free = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                              "WHERE database_name = current_database()").fetchone()
    return SpaceUse(total, free)


@dataclass(frozen=True)
class Substitutes:
    """Values a copy writes in place of the stored ones: {stored: written} in `columns` (table -> its columns)."""

    columns: Mapping[str, tuple[str, ...]]
    values: Mapping[str, str]


def copy_database(con: duckdb.DuckDBPyConnection, target: Path, substitutes: Substitutes | None = None) -> None:
    """Write everything in the connection's database into a new file at `target`, with `substitutes` in place of the
    values they replace; raise StoreError unless every table has the same number of rows there."""
    source = con.execute("SELECT current_database()").fetchone()[0]
    # ATTACH takes no parameters; READ_WRITE: a read-only connection (a backup of a home this user may not write)
    # would attach the new file read-only too
    con.execute(f"ATTACH {sql_literal(str(target))} AS {COMPACTED} (READ_WRITE)")
    try:
        if substitutes is None:
            con.execute(f"COPY FROM DATABASE {sql_identifier(source)} TO {COMPACTED}")
        else:
            _copy_substituted(con, source, substitutes)
        differing = _tables_with_other_row_counts(con, source)
        con.execute(f"CHECKPOINT {COMPACTED}")  # all of it in the file: a log would not follow the rename
    except BaseException:
        # After a failed read (a damaged block) DuckDB refuses the DETACH too ("Current transaction is aborted"),
        # which would hide the cause: the first error is the one raised
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DETACH {COMPACTED}")
        raise
    con.execute(f"DETACH {COMPACTED}")
    if differing:
        raise StoreError(f"the compacted copy has other row counts in {', '.join(differing)}")


def _copy_substituted(con: duckdb.DuckDBPyConnection, source: str, substitutes: Substitutes) -> None:
    """The schema (tables, views, constraints, comments), then each table's rows with the substitutes written in
    place: a stored value written and then updated would stay readable in the copy's free blocks."""
    con.execute(f"COPY FROM DATABASE {sql_identifier(source)} TO {COMPACTED} (SCHEMA)")
    values = substitutes.values
    with registered(con, {"stored": list(values), "written": list(values.values())}) as (relation, _):
        for table in _table_names(con, source):
            replaced = ", ".join(_substituted(column, relation) for column in substitutes.columns.get(table, ()))
            columns = f"* REPLACE ({replaced})" if replaced else "*"
            con.execute(f"INSERT INTO {COMPACTED}.main.{sql_identifier(table)} SELECT {columns} "
                        f"FROM {sql_identifier(source)}.main.{sql_identifier(table)} AS t")


def _substituted(column: str, relation: str) -> str:
    name = sql_identifier(column)
    return f"coalesce((SELECT written FROM {relation} WHERE stored = t.{name}), t.{name}) AS {name}"


def _table_names(con: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    return [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY 1",
        [database]).fetchall()]


def read_every_block(path: Path, writer: duckdb.DuckDBPyConnection) -> None:
    """Read every column of every table of the database file at `path` (opened read-only): DuckDB checks each block's
    checksum as it reads it, so a damaged block raises duckdb.IOException. Each column is hashed, so none is skipped.
    Read under the memory limit and threads of the `writer` that wrote it (what it could write, this reads): with
    DuckDB's defaults, a buffer pool of 80 % of RAM kept every block read, and each publish at 1M articles took the
    ingest's process tree to 1.20 GiB (target 1 GiB), 700 MiB of it this check."""
    limits = writer.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()
    config = dict(zip(("memory_limit", "threads"), limits))
    with contextlib.closing(duckdb.connect(str(path), read_only=True, config=config)) as con:
        for table in _table_names(con, con.execute("SELECT current_database()").fetchone()[0]):
            con.execute(f"SELECT bit_xor(hash(COLUMNS(*))) FROM {sql_identifier(table)}").fetchall()


def _tables_with_other_row_counts(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    tables = _table_names(con, source)
    counts = " UNION ALL ".join(
        f"SELECT ? AS name, (SELECT count(*) FROM {sql_identifier(source)}.main.{sql_identifier(table)}) "
        f"= (SELECT count(*) FROM {COMPACTED}.main.{sql_identifier(table)}) AS same" for table in tables)
    return [name for name, same in con.execute(counts, tables).fetchall() if not same] if tables else []
