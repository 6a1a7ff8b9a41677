"""Ordered schema migrations: migrations/NNNN_name.sql applied once each, in order."""
from __future__ import annotations

import re
from importlib import resources

import duckdb

from .baseline import read_baseline
from .comments import all_comments, restore_lost_comments
from .errors import StoreError
from .transaction import atomic

MIGRATIONS_TABLE = "schema_migrations"
_DROPS_A_TABLE = re.compile(r"\bDROP\s+TABLE\b|\bCREATE\s+OR\s+REPLACE\s+TABLE\b", re.IGNORECASE)


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration file, ordered by version."""
    folder = resources.files(__package__) / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class NewerSchema(StoreError):
    """The warehouse was migrated by a newer PactWatch: an older one must not write it (after a rolled-back
    `git pull` it would write feeds without their key scope, and tags the newer tables do not hold, which no later
    migration repairs)."""


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the database holds table `name`: a snapshot published by an older version may lack a newer one."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
                            [name]).fetchone()[0])


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether `table` has `column`: a snapshot published by an older version may lack a newer one."""
    return column in column_names(con, table)


def column_names(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The columns `table` (or view) has. A catalog lookup costs ~4 ms of CPU: a query reading several columns
    that may be missing asks once."""
    return {name for (name,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                            "AND schema_name = 'main'", [table]).fetchall()}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    if not has_table(con, MIGRATIONS_TABLE):
        return 0
    return con.execute(f"SELECT coalesce(max(version), 0) FROM {MIGRATIONS_TABLE}").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None, use_baseline: bool = True) -> int:
    """Apply pending migrations up to `target` (default: all), each in its own transaction with its version row;
    return the new version. A migration that fails leaves the file at the one before it, and raises. An empty file
    gets the migrations the baseline script holds in one go (baseline.py), unless `target` or `use_baseline` says
    otherwise.

    One transaction for all of them would leave an older file untouched by a failure, but DuckDB refuses to
    ALTER a table whose rows the same transaction has updated ("another transaction has altered this table"): a
    file before 0013, which fills its new `feeds` column with an UPDATE, could not take 0029's column."""
    current = schema_version(con)
    available = available_migrations()
    if current > available[-1][0]:
        raise NewerSchema(f"this warehouse is at schema version {current}, written by a newer PactWatch than this one "
                          f"(which knows versions up to {available[-1][0]}): run the newer version, not this one "
                          "(older code would write it as it knew it, and the newer code would not repair that)")
    pending = [m for m in available if m[0] > current and (target is None or m[0] <= target)]
    if not pending:
        return current
    with atomic(con):
        _ensure_migrations_table(con)
        if current == 0 and use_baseline:
            current = _from_baseline(con, available, target)
    pending = [m for m in pending if m[0] > current]
    for version, name, sql in pending:
        with atomic(con):
            _apply(con, sql)
            con.execute(f"INSERT INTO {MIGRATIONS_TABLE} VALUES (?, ?, now())", [version, name])
    return pending[-1][0] if pending else current


def _from_baseline(con: duckdb.DuckDBPyConnection, available: list[tuple[int, str, str]], target: int | None) -> int:
    """Run the baseline script on an empty file, recording the migrations it holds; the version it leaves the file at
    (0 when there is no script for a version up to `target` among the bundled migrations)."""
    baseline = read_baseline()
    newest = available[-1][0] if target is None else min(target, available[-1][0])
    if baseline is None or baseline[0] > newest:
        return 0
    version, script = baseline
    con.execute(script)
    held = [(number, name) for number, name, _ in available if number <= version]
    # one statement: inserted row by row, the 69 rows took 34 ms, half of the whole baseline's time
    con.execute(f"INSERT INTO {MIGRATIONS_TABLE} SELECT unnest(?), unnest(?), now()",
                [[number for number, _ in held], [name for _, name in held]])
    return version


def _apply(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run a migration's `sql`. DuckDB cannot drop a constraint in place, so a migration rebuilds the table, and a
    dropped table takes its comments along: those of a migration that drops or replaces one are put back. Reading
    the catalog's comments before and after every migration was half the CPU of creating a warehouse."""
    if not _DROPS_A_TABLE.search(sql):
        con.execute(sql)
        return
    comments = all_comments(con)
    con.execute(sql)
    restore_lost_comments(con, comments)


def _ensure_migrations_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (
            version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"""
    )
    con.execute(f"COMMENT ON TABLE {MIGRATIONS_TABLE} IS 'Schema migrations applied to this warehouse, in order.'")
    con.execute(f"COMMENT ON COLUMN {MIGRATIONS_TABLE}.version IS 'Migration number (file prefix).'")
    con.execute(f"COMMENT ON COLUMN {MIGRATIONS_TABLE}.name IS 'Migration file name.'")
    con.execute(f"COMMENT ON COLUMN {MIGRATIONS_TABLE}.applied_at IS 'When it was applied.'")

