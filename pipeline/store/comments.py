"""Comments survive table rebuilds: DuckDB drops a table's comments with the table, so code that rebuilds
one (a migration dropping a constraint, retag swapping in new derived tables) puts them back."""
from __future__ import annotations

import duckdb

from .quoting import sql_literal

Comments = dict[tuple[str, str, "str | None"], str]


def all_comments(con: duckdb.DuckDBPyConnection) -> Comments:
    """(kind, object, column) -> comment of every commented table, view and column."""
    rows = con.execute(
        """SELECT 'TABLE', table_name, NULL, comment FROM duckdb_tables() WHERE comment IS NOT NULL
           UNION ALL SELECT 'VIEW', view_name, NULL, comment FROM duckdb_views() WHERE comment IS NOT NULL
           UNION ALL SELECT 'COLUMN', table_name, column_name, comment FROM duckdb_columns() WHERE comment IS NOT NULL"""
    ).fetchall()
    return {(kind, name, column): comment for kind, name, column, comment in rows}


def restore_lost_comments(con: duckdb.DuckDBPyConnection, before: Comments) -> None:
    """Put back the comments of `before` that are gone from objects that exist again, so each comment is
    written once, where its object was introduced."""
    after = all_comments(con)
    existing = set(con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() UNION ALL SELECT table_name, NULL FROM duckdb_tables()"
        " UNION ALL SELECT view_name, NULL FROM duckdb_views()").fetchall())
    for (kind, name, column), comment in before.items():
        if (kind, name, column) not in after and (name, column) in existing:
            target = name if column is None else f"{name}.{column}"
            con.execute(f"COMMENT ON {kind} {target} IS {sql_literal(comment)}")  # COMMENT ON takes no parameters
