"""Ad-hoc SQL on the published snapshot: read-only, no file or network access, settings locked, capped.

Used by `pactwatch sql` and the dashboard's SQL page. Only single SELECT-like statements pass; DuckDB
itself then refuses file access (read_csv, COPY, ATTACH), extension loading and SET.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..home import Home
from .quoting import sql_literal
from .reader import snapshot_path, unreadable

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT_SECONDS = 30.0
WAREHOUSE = "pactwatch"  # the catalog name queries see (what `duckdb data/pactwatch.duckdb` calls it too)


class SandboxError(ValueError):
    """The query was refused or failed; the message is meant for the analyst."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool


def run_sandboxed(home: Home, sql: str, max_rows: int = DEFAULT_MAX_ROWS,
                  timeout: float = DEFAULT_TIMEOUT_SECONDS, snapshot: Path | None = None) -> QueryResult:
    """Run one read-only query on the published snapshot with a row cap and a time limit."""
    statement = _single_select(sql)
    con = _locked_connection(home, snapshot)
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    try:
        result = con.execute(statement)
        rows = result.fetchmany(max_rows + 1)
        columns = [d[0] for d in result.description]
    except duckdb.InterruptException as exc:
        raise SandboxError(f"query stopped after the {timeout:g} s time limit") from exc
    except duckdb.Error as exc:
        raise SandboxError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        timer.cancel()
        con.close()
    return QueryResult(columns, rows[:max_rows], truncated=len(rows) > max_rows)


def _single_select(sql: str) -> str:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SandboxError(f"could not parse the query: {exc}") from exc
    if len(statements) != 1:
        raise SandboxError("exactly one statement, please (no ';'-separated scripts)")
    statement = statements[0]
    if statement.type not in ALLOWED_STATEMENTS:
        raise SandboxError(f"only read-only SELECT queries are allowed here, not {statement.type.name}")
    return statement.query


def _locked_connection(home: Home, snapshot: Path | None) -> duckdb.DuckDBPyConnection:
    """A database instance of its own, the snapshot attached read-only, then its settings locked. DuckDB shares
    one instance per file within a process and settings belong to the instance: locking a connection to the
    file itself would lock the dashboard's cached reader too, and fail the next query's `SET TimeZone`."""
    path = snapshot_path(home, snapshot)
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    try:
        con.execute(f"ATTACH {sql_literal(str(path))} AS {WAREHOUSE} (READ_ONLY)")  # ATTACH takes no parameters
    except duckdb.Error as exc:
        con.close()
        raise unreadable(path, exc) from exc
    con.execute(f"USE {WAREHOUSE}")
    for setting in ("enable_external_access = false", "autoinstall_known_extensions = false",
                    "autoload_known_extensions = false", "allow_community_extensions = false",
                    "lock_configuration = true"):
        con.execute(f"SET {setting}")
    return con
