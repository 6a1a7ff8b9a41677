"""Ordered schema migrations: migrations/NNNN_name.sql applied once each, in order."""
from __future__ import annotations

from importlib import resources

import duckdb

MIGRATIONS_TABLE = "schema_migrations"


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration file, ordered by version."""
    folder = resources.files(__package__) / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
        [MIGRATIONS_TABLE],
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute(f"SELECT coalesce(max(version), 0) FROM {MIGRATIONS_TABLE}").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> int:
    """Apply pending migrations up to `target` (default: all) in one transaction; return the new version."""
    current = schema_version(con)
    pending = [m for m in available_migrations() if m[0] > current and (target is None or m[0] <= target)]
    if not pending:
        return current
    con.execute("BEGIN")
    try:
        _ensure_migrations_table(con)
        for version, name, sql in pending:
            comments = _comments(con)
            con.execute(sql)
            _restore_lost_comments(con, comments)
            con.execute(f"INSERT INTO {MIGRATIONS_TABLE} VALUES (?, ?, now())", [version, name])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return pending[-1][0]


def _ensure_migrations_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (
            version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"""
    )
    con.execute(f"COMMENT ON TABLE {MIGRATIONS_TABLE} IS 'Schema migrations applied to this warehouse, in order.'")
    con.execute(f"COMMENT ON COLUMN {MIGRATIONS_TABLE}.version IS 'Migration number (file prefix).'")
    con.execute(f"COMMENT ON COLUMN {MIGRATIONS_TABLE}.name IS 'Migration file name.'")
    con.execute(f"COMMENT ON COLUMN {MIGRATIONS_TABLE}.applied_at IS 'When it was applied.'")


def _comments(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str | None], str]:
    """(kind, object, column) -> comment of every commented table, view and column."""
    rows = con.execute(
        """SELECT 'TABLE', table_name, NULL, comment FROM duckdb_tables() WHERE comment IS NOT NULL
           UNION ALL SELECT 'VIEW', view_name, NULL, comment FROM duckdb_views() WHERE comment IS NOT NULL
           UNION ALL SELECT 'COLUMN', table_name, column_name, comment FROM duckdb_columns() WHERE comment IS NOT NULL"""
    ).fetchall()
    return {(kind, name, column): comment for kind, name, column, comment in rows}


def _restore_lost_comments(con: duckdb.DuckDBPyConnection, before: dict[tuple[str, str, str | None], str]) -> None:
    """A migration that rebuilds a table (DuckDB cannot drop a constraint in place) loses its comments;
    put back those it did not replace, so each comment is written once, in the migration that introduced it."""
    after = _comments(con)
    existing = set(con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() UNION ALL SELECT table_name, NULL FROM duckdb_tables()"
        " UNION ALL SELECT view_name, NULL FROM duckdb_views()").fetchall())
    for (kind, name, column), comment in before.items():
        if (kind, name, column) not in after and (name, column) in existing:
            target = name if column is None else f"{name}.{column}"
            literal = comment.replace("'", "''")  # COMMENT ON takes no parameters; the text is our own
            con.execute(f"COMMENT ON {kind} {target} IS '{literal}'")
