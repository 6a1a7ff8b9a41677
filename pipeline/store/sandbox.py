"""Ad-hoc SQL on the published snapshot: read-only, no file or network access, settings locked, capped.

Used by `pactwatch sql` and the dashboard's SQL page. Only single SELECT-like statements pass; DuckDB
itself then refuses file access (read_csv, COPY, ATTACH), extension loading and SET. DuckDB's functions that
would name the server's files (the snapshot's path, its settings), run SQL given as text or act on the server
(logging, checkpoints) are refused too.
"""
from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import duckdb
import pyarrow as pa
from duckdb.sqltypes import DuckDBPyType

from ..home import Home
from .quoting import sql_identifier, sql_literal
from .reader import snapshot_path, unreadable

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
DEFAULT_MAX_ROWS = 10_000
MAX_ROWS = 100_000_000  # the result is held in memory (and capped at 64 MB): more rows than that is a typo
DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_TIMEOUT_SECONDS = 3600.0
SIGNAL_CHECK_SECONDS = 0.1
# How long a query stopped at its time limit may take to notice: DuckDB checks between batches of rows, and one
# function call on long values (levenshtein() of two 100,000-character texts) runs a minute without a check.
STOP_GRACE_SECONDS = 1.0
# Queries past their time limit left running at once in one process (the dashboard's server): each holds a DuckDB of
# its own, with up to MEMORY_LIMIT, and a reader clicking Run again would pile them up.
MAX_LEFT_RUNNING = 2
FETCH_BATCH_ROWS = 1_000
MAX_RESULT_BYTES = 64 * 2**20  # Python rows, a DataFrame and the browser's copy each take several times this
# One query must not take the memory the ingest and the dashboard share, nor spill gigabytes into the home.
MEMORY_LIMIT = "2GB"
# EXPLAIN ANALYZE runs the statement it explains: that statement must pass the same test.
_EXPLAINED = re.compile(r"\s*EXPLAIN\s+(?:ANALY[SZ]E\b|\([^)]*\))?(?P<statement>.*)", re.IGNORECASE | re.DOTALL)
_LEADING_COMMENTS = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)
# DuckDB's own functions that name the snapshot's file: no setting changes the path an ATTACH records, and turning
# external access off lists it in `allowed_paths`. query(), query_table() and json_execute_serialized_sql() take their
# SQL as a text no check reads. The logging and checkpoint functions act on the server: enable_logging() with a file
# to write to aborts the whole process (the dashboard's server with it) on the refusal to write it (DuckDB 1.5.5).
_PATH_SETTINGS = {"allowed_paths", "allowed_directories"}
_REFUSED_FUNCTIONS = frozenset({"duckdb_databases", "pragma_database_list", "duckdb_settings", "current_setting",
                                    "query", "query_table", "json_execute_serialized_sql", "enable_logging",
                                    "disable_logging", "truncate_duckdb_logs", "write_log", "checkpoint",
                                    "force_checkpoint"})
# The directories DuckDB derives from the server's $HOME (extensions, secrets), named in duckdb_extensions()' refusal.
_NO_HOME = "/nonexistent"
WAREHOUSE = "pactwatch"  # the catalog name queries see (as in the DuckDB CLI and the README's notebook ATTACH)


class SandboxError(ValueError):
    """The query was refused or failed; the message is meant for the analyst."""


class ParameterMismatch(SandboxError):
    """The query's named parameters ($pair) and the values given differ: the message names each, and the caller says
    how its reader gives a value (the CLI's -p, the SQL page's boxes)."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool


def run_sandboxed(home: Home, sql: str, max_rows: int = DEFAULT_MAX_ROWS,
                  timeout: float = DEFAULT_TIMEOUT_SECONDS, snapshot: Path | None = None,
                  params: Mapping[str, str] | None = None) -> QueryResult:
    """Run one read-only query on the published snapshot with a row cap and a time limit; `params` are the values of
    its named parameters (`$pair`), each bound as text, never spliced into the query."""
    if not (0 < timeout <= MAX_TIMEOUT_SECONDS and 0 < max_rows <= MAX_ROWS):
        raise SandboxError(f"the time limit must be within (0, {MAX_TIMEOUT_SECONDS:g}] seconds and the row cap "
                           f"within [1, {MAX_ROWS:,}], not {timeout:g} s and {max_rows} rows")
    _LEFT_RUNNING.refuse_when_full()
    con = _locked_connection(home, snapshot)  # SnapshotUnreadable when the file cannot be opened
    try:  # parsed on the locked connection: DuckDB expands a PRAGMA while parsing, reading files and extensions
        statement = _single_select(con, sql)
        values = _bound(statement, params or {})
    except BaseException:
        con.close()
        raise
    query = _started(con, statement, values, max_rows + 1)
    try:
        columns, rows = _result_within(query, timeout)
    finally:  # the time limit, or a stop signal while waiting: stop the query, waiting for it a moment at most
        if not query.done():
            _interrupt(con)
            _settled(query, STOP_GRACE_SECONDS)
            _LEFT_RUNNING.leave(query)
    return QueryResult(columns, rows[:max_rows], truncated=len(rows) > max_rows)


class _LeftRunning:
    """The queries of this process left to finish alone past their time limit, MAX_LEFT_RUNNING at most."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queries: set[Future] = set()

    def refuse_when_full(self) -> None:
        with self._lock:
            running = len(self._queries)
        if running >= MAX_LEFT_RUNNING:
            raise SandboxError(f"{running} earlier queries that passed their time limit are still running here (DuckDB "
                               "checks for a stop between batches of rows, and a function on long values may run "
                               "for minutes): run this one once they end")

    def leave(self, query: Future) -> None:
        with self._lock:
            self._queries.add(query)
        query.add_done_callback(self._ended)  # at once when it has ended since

    def _ended(self, query: Future) -> None:
        with self._lock:
            self._queries.discard(query)


_LEFT_RUNNING = _LeftRunning()


def _started(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, values: dict[str, str],
             max_rows: int) -> Future:
    """The query running on a thread of its own, which closes the connection when the query ends, while the caller
    waits in short slices: a Ctrl-C or SIGTERM delivered while DuckDB computes would be lost inside execute(), and one
    the OS hands to DuckDB's thread wakes no long wait. A Future, not Thread.join: a signal interrupting join() marks a
    running thread as finished (Python 3.11). A daemon thread, not a pool's: past its time limit a query that does not
    notice the stop is left to finish alone, where a pool's shutdown, and the interpreter's exit, waited for it."""
    query: Future = Future()

    def run() -> None:
        # the connection closed before the waiting thread wakes: a command exiting while this thread was in DuckDB's
        # close ended in "terminate called without an active exception" (SIGABRT)
        try:
            result = _fetch(con, statement, values, max_rows)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            con.close()
            query.set_exception(exc)
        else:
            con.close()
            query.set_result(result)
    threading.Thread(target=run, name="pactwatch-sql", daemon=True).start()
    return query


def _interrupt(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.interrupt()
    except duckdb.Error:  # the query ended, and its thread closed the connection, since done() was asked
        pass


def _settled(query: Future, seconds: float) -> None:
    try:
        query.exception(timeout=seconds)
    except TimeoutError:
        pass


def named_parameters(home: Home, sql: str, snapshot: Path | None = None) -> list[str]:
    """The named parameters ($pair) of the one query `sql`, sorted, parsed as run_sandboxed parses it; none when it
    is refused or numbers them (`?`, `$1`): running it says why."""
    con = _locked_connection(home, snapshot)
    try:
        return sorted(name for name in _single_select(con, sql).named_parameters if not name.isdigit())
    except SandboxError:
        return []
    finally:
        con.close()


def _bound(statement: duckdb.Statement, params: Mapping[str, str]) -> dict[str, str]:
    """The values of the statement's named parameters; ParameterMismatch naming each one without a value and each
    value no parameter takes. Positional ones (`?`, `$1`) refuse the query itself, whatever values come: values are
    given by name, so a reader's way to give one (-p, a box) would not help."""
    named = statement.named_parameters
    if any(name.isdigit() for name in named):
        raise SandboxError("name the query's parameters ($pair), not their positions (? or $1): values are given "
                           "by name")
    missing, unused = sorted(named - set(params)), sorted(set(params) - named)
    problems = ([f"no value for {', '.join('$' + name for name in missing)}"] if missing else []) + (
        [f"the query has no {', '.join('$' + name for name in unused)}"] if unused else [])
    if problems:
        raise ParameterMismatch("; ".join(problems))
    return dict(params)


def _fetch(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, values: dict[str, str],
           max_rows: int) -> tuple[list[str], list[tuple]]:
    query, integers = statement.query, []
    if statement.type == duckdb.StatementType.SELECT:  # binding an EXPLAIN ANALYZE would run its query
        query, integers = _lossy_columns_as_text(con, query, values)
    result = con.execute(query, values)
    columns = [d[0] for d in result.description]
    table = _within_bytes(result.to_arrow_reader(FETCH_BATCH_ROWS), max_rows)
    # positional names: DuckDB reads no Arrow table with two columns of one name (SELECT * over a join)
    positional = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
    # Handed over as an Arrow C stream, read once: a pyarrow Table DuckDB scans through pyarrow.dataset, whose import
    # (with its Parquet and file-system modules) cost every `pactwatch sql` call for the one scan it never needed.
    rows = con.from_arrow(positional.__arrow_c_stream__()).fetchall()
    return columns, _as_integers(rows, integers) if integers else rows


def _as_integers(rows: list[tuple], integers: list[int]) -> list[tuple]:
    """The columns that crossed Arrow as text because they are wider than it carries, numbers again."""
    return [tuple(int(value) if index in integers and value is not None else value
                  for index, value in enumerate(row)) for row in rows]


def _within_bytes(reader: pa.RecordBatchReader, max_rows: int) -> pa.Table:
    """The first `max_rows` rows, refused past MAX_RESULT_BYTES. Measured in Arrow before any Python object exists:
    one row holding a list of 30 million numbers takes the dashboard's server to 3.8 GB as Python objects (12 GB
    at 100 million), past the row cap, DuckDB's memory limit and the time limit alike."""
    batches, rows, size = [], 0, 0
    for batch in reader:
        batch = batch.slice(0, max_rows - rows)  # the rows asked for: ten long texts are not their batch of 1,000
        size += batch.nbytes
        if size > MAX_RESULT_BYTES:
            raise SandboxError(f"the result is larger than {MAX_RESULT_BYTES // 2**20} MB: select fewer or smaller "
                               "columns, or aggregate")
        batches.append(batch)
        rows += batch.num_rows
        if rows >= max_rows:
            break
    return pa.Table.from_batches(batches, schema=reader.schema)


# Python's timedelta counts a month as 30 days ("1 year 2 months" comes out as "425 days"), and bytes print as
# b'...': such columns (or nested types holding them) come out in DuckDB's own text, as its CLI shows them. So do
# a time's zone and a bit string, which the Arrow the result travels through drops or turns into bytes.
# Arrow carries a UHUGEINT as a signed 128-bit decimal: from 2**127 on it came out negative (the largest as -1) or failed
# the query. It crosses as text, and a column of them becomes numbers again.
_TEXT_TYPES = {"interval", "blob", "time with time zone", "bit", "uhugeint"}
_NESTED_TYPES = {"struct", "list", "map", "union", "array"}


def _lossy_columns_as_text(con: duckdb.DuckDBPyConnection, query: str,
                           values: dict[str, str]) -> tuple[str, list[int]]:
    """The query with its lossy columns cast to text, and the positions of those that are integers."""
    relation = con.sql(query, params=values or None)  # binds the query, does not run it
    lossy = [_holds_lossy(column_type) for column_type in relation.types]
    if not any(lossy):
        return query, []
    columns = [f"{f'CAST(#{index} AS VARCHAR)' if as_text else f'#{index}'} AS {sql_identifier(name)}"
               for index, (name, as_text) in enumerate(zip(relation.columns, lossy), start=1)]
    integers = [index for index, column_type in enumerate(relation.types) if column_type.id == "uhugeint"]
    return f"SELECT {', '.join(columns)} FROM ({query})", integers


def _holds_lossy(column_type: DuckDBPyType) -> bool:
    """By type id, not the type's text: a struct field named BLOB or an ENUM label 'INTERVAL' is neither."""
    if column_type.id in _TEXT_TYPES:
        return True
    return column_type.id in _NESTED_TYPES and any(
        isinstance(child, DuckDBPyType) and _holds_lossy(child) for _, child in column_type.children)


def _result_within(query: Future, timeout: float) -> tuple[list[str], list[tuple]]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return query.result(timeout=SIGNAL_CHECK_SECONDS)
        except TimeoutError:
            if time.monotonic() >= deadline:
                raise SandboxError(f"query stopped after the {timeout:g} s time limit") from None
        except duckdb.Error as exc:
            raise SandboxError(f"{type(exc).__name__}: {exc}") from exc


def _command(statement) -> str:
    """The statement's own first word: DuckDB files INSTALL under LOAD, which would name a command nobody typed."""
    word = re.match(r"[A-Za-z]+", _LEADING_COMMENTS.sub("", statement.query, count=1))
    return word.group(0).upper() if word else statement.type.name


def _single_select(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise SandboxError(f"could not parse the query: {exc}") from exc
    if not statements:
        raise SandboxError("the query is empty: write one SELECT (comments alone are no statement)")
    if len(statements) != 1:
        raise SandboxError("exactly one statement, please (no ';'-separated scripts; a PIVOT without an IN list "
                           "is two statements: name its values, `PIVOT t ON c IN ('a', 'b') USING count(*)`)")
    statement = statements[0]
    if statement.type not in ALLOWED_STATEMENTS:
        raise SandboxError(f"only read-only SELECT queries are allowed here, not {_command(statement)}")
    if statement.type == duckdb.StatementType.EXPLAIN:
        explained = _EXPLAINED.match(statement.query)
        if explained is None:
            raise SandboxError("write EXPLAIN first, then the SELECT it explains")
        _single_select(con, explained.group("statement"))
    else:
        _refuse_functions(con, statement.query)
    return statement


def _refuse_functions(con: duckdb.DuckDBPyConnection, query: str) -> None:
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise SandboxError(f"could not read the query: {tree.get('error_message')}")
    named = sorted({name for node in _nodes(tree) if (name := _refused_function(node))})
    if named:
        raise SandboxError(f"{', '.join(named)} would name the server's files or act on the server, and is not "
                           "available here (a setting reads as current_setting('memory_limit'))")


def _refused_function(node: dict) -> str | None:
    name = node.get("table_name") or node.get("function_name")
    if not isinstance(name, str) or name.lower() not in _REFUSED_FUNCTIONS:
        return None
    if name.lower() == "current_setting" and _setting_named(node) not in (None, *_PATH_SETTINGS):
        return None  # current_setting('memory_limit') is fine: only the setting that lists the snapshot is refused
    return name.lower()


def _setting_named(call: dict) -> str | None:
    """The setting current_setting() reads, when it is written as a plain text: anything else might be the paths."""
    arguments = call.get("children") or []
    value = arguments[0].get("value") if len(arguments) == 1 and arguments[0].get("type") == "VALUE_CONSTANT" else None
    return value["value"].lower() if value and isinstance(value.get("value"), str) else None


def _nodes(tree: dict):
    """Every object of the parsed query. A stack, not recursion: a query nested a thousand deep would exhaust
    Python's recursion limit."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            yield node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _locked_connection(home: Home, snapshot: Path | None) -> duckdb.DuckDBPyConnection:
    """A database instance of its own, the snapshot attached read-only, then its settings locked. DuckDB shares
    one instance per file within a process and settings belong to the instance: locking a connection to the
    file itself would lock the dashboard's cached reader too, and fail the next query's `SET TimeZone`."""
    path = snapshot_path(home, snapshot)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        try:
            con.execute(f"ATTACH {sql_literal(str(path))} AS {WAREHOUSE} (READ_ONLY)")  # ATTACH takes no parameters
        except duckdb.Error as exc:
            raise unreadable(path, exc) from exc
        con.execute(f"USE {WAREHOUSE}")
        # no persistent secrets: duckdb_secrets() would read their directory, its refusal naming the server's home path;
        # nor a home: the extension and secret directories derived from it are named in refusals and settings
        for setting in (f"memory_limit = '{MEMORY_LIMIT}'", "temp_directory = ''", "allow_persistent_secrets = false",
                        f"home_directory = '{_NO_HOME}'", f"secret_directory = '{_NO_HOME}/.duckdb/stored_secrets'",
                        "enable_external_access = false", "autoinstall_known_extensions = false",
                        "autoload_known_extensions = false", "allow_community_extensions = false",
                        "lock_configuration = true"):
            con.execute(f"SET {setting}")
    except Exception:
        con.close()
        raise
    return con
