"""`pactwatch sql` and the dashboard's SQL page: read-only, no file access, capped."""
from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.store.reader import SnapshotUnreadable, open_snapshot
from pipeline.store.sandbox import (MAX_LEFT_RUNNING, MAX_RESULT_BYTES, MAX_ROWS, ParameterMismatch, SandboxError,
                                     named_parameters, run_sandboxed)

from .conftest import home_with_three_articles


@pytest.fixture(scope="module")
def published_home(tmp_path_factory):
    """One published home for the module (a new warehouse costs ~1 s of migrations; this file's 54 tests spent 45 s
    building theirs): the sandbox only reads it, and the escape tests check it still holds its 3 articles."""
    return home_with_three_articles(tmp_path_factory.mktemp("published") / "home")


def test_runs_a_select_on_the_published_snapshot(published_home):
    result = run_sandboxed(published_home, "SELECT count(*) AS n FROM articles")
    assert result.columns == ["n"] and result.rows == [(3,)] and not result.truncated


def test_leaves_other_readers_of_the_same_file_unlocked(published_home):
    """The dashboard keeps a cached reader open while its SQL page runs sandboxed queries in the same process:
    DuckDB shares one instance per file there, so locking the sandbox's settings must not lock that reader."""
    with open_snapshot(published_home) as reader:
        for _ in range(2):
            assert run_sandboxed(published_home, "SELECT count(*) FROM articles").rows == [(3,)]
        reader.execute("SET threads = 1")
        assert reader.execute("SELECT count(*) FROM articles").fetchall() == [(3,)]


def test_queries_see_the_catalog_an_analyst_sees(published_home):
    result = run_sandboxed(published_home, "SELECT count(*) FROM pactwatch.main.articles")
    assert result.rows == [(3,)]


def test_named_parameters_are_bound_as_values_never_spliced_into_the_query(published_home):
    hostile = "x' OR '1' = '1"
    query = "SELECT count(*) AS n FROM articles WHERE title = $title OR title LIKE $prefix || '%'"
    assert run_sandboxed(published_home, query, params={"title": hostile, "prefix": hostile}).rows == [(0,)]
    first = run_sandboxed(published_home, "SELECT min(title) FROM articles").rows[0][0]
    assert run_sandboxed(published_home, query, params={"title": first, "prefix": "\x00"}).rows == [(1,)]
    numbers = run_sandboxed(published_home, "SELECT $n::INTEGER + 1 AS n, $n AS given", params={"n": "41"})
    assert numbers.rows == [(42, "41")], "each value is text, cast where a number is meant"
    explained = run_sandboxed(published_home, "EXPLAIN SELECT * FROM articles WHERE title = $t", params={"t": "a"})
    assert explained.rows
    said = CliRunner().invoke(cli, ["--home", str(published_home.root), "sql", "--json",
                                    "SELECT count(*) AS n FROM articles WHERE title = $title", "-p", "title", first])
    assert said.exit_code == 0 and json.loads(said.stdout) == [{"n": 1}], said.output


@pytest.mark.parametrize("query, params, said", [
    ("SELECT $pair, $topic", {"pair": "PRK-RUS"}, "no value for $topic"),
    ("SELECT 1", {"pair": "PRK-RUS"}, "the query has no $pair"),
    ("SELECT $a", {"b": "1"}, "no value for $a; the query has no $b"),
])
def test_a_parameter_without_a_value_or_a_value_without_a_parameter_is_named(published_home, query, params, said):
    with pytest.raises(ParameterMismatch, match=re.escape(said)):
        run_sandboxed(published_home, query, params=params)
    given = [word for name, value in params.items() for word in ("-p", name, value)]
    answer = CliRunner().invoke(cli, ["--home", str(published_home.root), "sql", query, *given])
    # a usage error (exit 2): the values given on the command line and the query's names differ (README: a mistake on
    # the command line exits 2; it exited 1, as a failed query does, until stop 76's docs audit)
    assert answer.exit_code == 2 and f"Error: {said} (give each value as -p NAME VALUE" in answer.output


@pytest.mark.parametrize(("query", "params"), [("SELECT ?", {"1": "x"}), ("SELECT $1", {}), ("SELECT $1", {"1": "x"})])
def test_a_query_numbering_its_parameters_is_refused_without_advice_on_giving_values(published_home, query, params):
    """Values are given by name: no -p (nor a box on the SQL page) makes `?` or `$1` run, so the refusal asks for
    names and offers no way to give a value."""
    with pytest.raises(SandboxError, match=re.escape("not their positions")) as refused:
        run_sandboxed(published_home, query, params=params)
    assert not isinstance(refused.value, ParameterMismatch)
    given = [word for name, value in params.items() for word in ("-p", name, value)]
    answer = CliRunner().invoke(cli, ["--home", str(published_home.root), "sql", query, *given])
    assert answer.exit_code == 1 and "not their positions" in answer.output and "-p NAME VALUE" not in answer.output


def test_a_querys_named_parameters_are_read_as_it_would_run(published_home):
    """The SQL page gives each a box: what the sandbox would refuse, or a number ($1), has none."""
    assert named_parameters(published_home, "SELECT $topic, $pair, $pair") == ["pair", "topic"]
    assert named_parameters(published_home, "COPY articles TO '/tmp/x.csv'") == []
    assert named_parameters(published_home, "SELECT ?") == named_parameters(published_home, "SELECT $1, $2") == []


def test_caps_rows(published_home):
    result = run_sandboxed(published_home, "SELECT * FROM range(100)", max_rows=7)
    assert len(result.rows) == 7 and result.truncated


def test_stops_slow_queries(published_home):
    with pytest.raises(SandboxError, match="time limit"):
        run_sandboxed(published_home, "SELECT count(*) FROM range(100000000000)", timeout=0.3)


def test_a_query_that_does_not_notice_the_stop_is_left_behind_at_its_time_limit(published_home):
    """DuckDB checks for a stop between batches of rows: one call of levenshtein() on two long texts ran a minute past
    a 1 s limit while the command waited for it (an outside audit). The command now answers at the limit, and exits;
    run as its own process, as the abandoned query would go on computing in this one."""
    query = "SELECT levenshtein(repeat('a', 300000), repeat('b', 300000))"  # minutes of work in one call
    done = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(published_home.root), "sql",
                           "--timeout", "0.5", query], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "query stopped after the 0.5 s time limit" in done.stderr, done.stderr


def test_queries_left_running_past_their_limit_are_capped_per_process(published_home):
    """A timed-out query that does not notice the stop runs on alone, with its own DuckDB and memory: re-running one
    on the dashboard's SQL page piled them up in its server (a review of the change above). Past MAX_LEFT_RUNNING a
    query is refused until one of them ends."""
    slow = "SELECT levenshtein(repeat('a', 30000), repeat('b', 30000))"  # seconds in one call
    for _ in range(MAX_LEFT_RUNNING):
        with pytest.raises(SandboxError, match="time limit"):
            run_sandboxed(published_home, slow, timeout=0.1)
    with pytest.raises(SandboxError, match=f"^{MAX_LEFT_RUNNING} earlier queries that passed their time limit"):
        run_sandboxed(published_home, "SELECT 1")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            assert run_sandboxed(published_home, "SELECT 1").rows == [(1,)]
            return
        except SandboxError:
            time.sleep(0.5)
    pytest.fail("the queries left running never ended")


@pytest.mark.parametrize("escape", [
    "COPY articles TO '/tmp/pactwatch-escape.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "ATTACH '/tmp/pactwatch-escape.duckdb'",
    "INSTALL httpfs",
    "LOAD fts",
    "SET threads = 1",
    "SET enable_external_access = true",
    "PRAGMA enable_profiling",
    "DELETE FROM articles",
    "CREATE TABLE x AS SELECT 1",
    "SELECT 1; DROP TABLE articles",
    "SELECT * FROM glob('/etc/*')",
    "EXPLAIN ANALYZE CREATE TEMP TABLE t AS SELECT * FROM articles",  # EXPLAIN ANALYZE runs what it explains
    "EXPLAIN ANALYZE CHECKPOINT",
    "EXPLAIN (FORMAT json) DELETE FROM articles",
])
def test_refuses_escapes(published_home, escape):
    with pytest.raises(SandboxError):
        run_sandboxed(published_home, escape)
    assert run_sandboxed(published_home, "SELECT count(*) FROM articles").rows == [(3,)]


@pytest.mark.parametrize("query", [
    "SELECT * FROM enable_logging(storage='file', storage_path='/tmp/pactwatch-escape-logs')",  # aborted the process
    "SELECT * FROM enable_logging(storage='stdout')",  # wrote every later query to the server's output
    "SELECT * FROM truncate_duckdb_logs()",
    "SELECT write_log('a line of any text')",
    "SELECT * FROM checkpoint()",
])
def test_a_function_acting_on_the_server_is_refused_and_the_process_lives_on(published_home, query):
    """An outside audit's: a SELECT of enable_logging() with a file to log to ended `pactwatch sql` with SIGABRT (exit
    134, DuckDB's refusal to write the file thrown past its own handler), and would end the dashboard's server with
    its SQL page. Run as its own process, which a crash ends instead of the test run."""
    done = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(published_home.root), "sql", query],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "act on the server, and is not available here" in done.stderr


@pytest.mark.parametrize("query", ["", "  \n", "-- only a note", "/* and */ ;"])
def test_an_empty_query_is_called_empty(published_home, query):
    """The SQL page's box cleared and run said "exactly one statement, please (no ';'-separated scripts ...)"."""
    with pytest.raises(SandboxError, match="^the query is empty"):
        run_sandboxed(published_home, query)


@pytest.mark.parametrize(("query", "command"), [
    ("INSTALL httpfs", "INSTALL"),  # DuckDB files it under LOAD, which the message named
    ("-- a note\n  /* and another */ CREATE TABLE x AS SELECT 1", "CREATE"),
    ("set threads = 1", "SET"),
])
def test_a_refusal_names_the_command_as_typed(published_home, query, command):
    with pytest.raises(SandboxError, match=f"allowed here, not {command}$"):
        run_sandboxed(published_home, query)


def test_explains_what_it_may_run(published_home):
    plan = run_sandboxed(published_home, "EXPLAIN ANALYZE SELECT count(*) FROM articles")
    assert plan.rows and not plan.truncated


def test_a_query_cannot_take_the_machines_memory_or_spill_into_the_home(published_home):
    """One analyst's query shares the box with ingest and the dashboard: memory is capped and nothing spills."""
    result = run_sandboxed(published_home, "SELECT current_setting('memory_limit'), current_setting('temp_directory')")
    assert result.rows == [("1.8 GiB", "")]


def test_an_unopenable_snapshot_is_a_clear_error(published_home, tmp_path):
    not_a_database = tmp_path / "broken.duckdb"
    not_a_database.write_bytes(b"not a database")
    with pytest.raises(SnapshotUnreadable, match="cannot open the published warehouse"):
        run_sandboxed(published_home, "SELECT 1", snapshot=not_a_database)


@pytest.mark.parametrize("limits", [{"timeout": float("inf")}, {"timeout": 0}, {"timeout": float("nan")},
                                    {"max_rows": -1}, {"max_rows": 0}, {"max_rows": MAX_ROWS + 1}])
def test_limits_must_be_real_limits(published_home, limits):
    with pytest.raises(SandboxError, match="time limit must be"):
        run_sandboxed(published_home, "SELECT 1", **limits)


def test_a_result_too_large_to_hold_is_refused_before_python_holds_it(published_home):
    """One row holding a list of 30 million numbers took the dashboard's server to 3.8 GB (12 GB at 100 million):
    the row cap counts rows, DuckDB's memory limit stops at the result, the time limit at the query."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SandboxError, match=f"larger than {MAX_RESULT_BYTES // 2**20} MB"):
        run_sandboxed(published_home, "SELECT list(range) FROM range(30000000) AS one_row")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 1024, grown_mib  # the list in DuckDB and Arrow (0.25 GB each), not as Python objects
    assert run_sandboxed(published_home, "SELECT list(range) AS l FROM range(1000)").rows == [(list(range(1000)),)]


def test_values_keep_what_the_result_carries(published_home):
    """The result travels through Arrow, which drops a time's zone and turns a bit string into bytes."""
    row = run_sandboxed(published_home, "SELECT TIMETZ '12:00:00+02' AS t, BIT '101' AS b, {'a': [1, 2]} AS s, "
                                        "MAP {'k': 2} AS m, TIMESTAMPTZ '2025-03-08 10:00:00+00' AS ts, "
                                        "12.50::DECIMAL(10, 2) AS d").rows[0]
    assert row[:4] == ("12:00:00+02", "101", {"a": [1, 2]}, {"k": 2})
    assert row[4] == datetime(2025, 3, 8, 10, tzinfo=timezone.utc) and row[5] == Decimal("12.50")


def test_an_unsigned_128_bit_integer_keeps_its_value(published_home):
    """Arrow carries a UHUGEINT as a signed decimal: the largest value came out as -1, and 2**127 failed the query
    ("Negation of HUGEINT is out of range")."""
    top = 2**128 - 1
    row = run_sandboxed(published_home, f"SELECT {top}::UHUGEINT AS u, (2::UHUGEINT ** 127)::UHUGEINT AS half, "
                                        "NULL::UHUGEINT AS n, [7::UHUGEINT] AS l, 5::HUGEINT AS h").rows[0]
    assert row == (top, 2**127, None, "[7]", 5)


def test_a_select_star_over_a_join_keeps_both_columns_of_one_name(published_home):
    """Arrow, which the result now passes through, refused a table with two columns named alike."""
    joined = run_sandboxed(published_home, "SELECT * FROM (SELECT 1 AS x, 2 AS y) a JOIN (SELECT 1 AS x, 3 AS y) b "
                                           "ON a.x = b.x")
    assert (joined.columns, joined.rows) == (["x", "y", "x", "y"], [(1, 2, 1, 3)])
    named = run_sandboxed(published_home, "SELECT 1 AS a, 2 AS a, 'z' AS b")
    assert (named.columns, named.rows) == (["a", "a", "b"], [(1, 2, "z")])


def test_the_size_cap_counts_the_rows_asked_for_not_their_batch(published_home):
    """Ten texts of 100,000 characters were refused as "larger than 64 MB": their batch of 1,000 rows was measured."""
    result = run_sandboxed(published_home, "SELECT repeat('x', 100000) AS t FROM range(2000)", max_rows=10)
    assert len(result.rows) == 10 and result.truncated and len(result.rows[0][0]) == 100_000


def test_a_query_from_the_command_line_loads_no_arrow_dataset_modules(published_home):
    """`pactwatch sql` handed its result back to DuckDB as a pyarrow Table, which DuckDB scans through pyarrow.dataset:
    every call imported it, and the Parquet and file-system modules it loads, for a scan it never needed. (pandas
    stays: DuckDB itself imports it at the first query given parameters.)"""
    modules_at_exit = ("import atexit, sys\n"
                       "atexit.register(lambda: print(sorted(sys.modules), file=sys.stderr))\n"
                       "from pipeline.cli import main\n"
                       "main()\n")
    done = subprocess.run([sys.executable, "-c", modules_at_exit, "--home", str(published_home.root), "sql",
                           "SELECT count(*) AS n, [1, 2] AS l FROM articles"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert (done.returncode, done.stdout.split()) == (0, ["n", "l", "3", "[1,", "2]"]), done.stderr
    loaded = done.stderr
    assert "'pyarrow'" in loaded and "'pyarrow.dataset'" not in loaded and "'pyarrow._dataset'" not in loaded


def test_listing_secrets_shows_none_and_names_no_server_path(published_home):
    """duckdb_secrets() failed with 'Cannot access directory "/root/.duckdb/stored_secrets"': the server's home."""
    assert run_sandboxed(published_home, "SELECT * FROM duckdb_secrets()").rows == []


@pytest.mark.parametrize("query", [
    "SELECT * FROM duckdb_settings()",  # secret_directory named /root/.duckdb/stored_secrets, allowed_paths the snapshot
    "SELECT name, value FROM system.main.\"DuckDB_Settings\"()",
    "SELECT current_setting('allowed_paths')",
    "SELECT current_setting('Allowed_' || 'Paths')",
    "SELECT current_setting('secret_directory'), current_setting('home_directory')",
    "SELECT * FROM duckdb_databases()",  # path: the snapshot's file
    "FROM duckdb_databases",
    "PRAGMA database_list",
    "WITH d AS (FROM pragma_database_list) SELECT (SELECT max(file) FROM d)",
    "SUMMARIZE SELECT * FROM duckdb_databases()",
    "EXPLAIN SELECT * FROM duckdb_databases()",
    "SELECT * FROM query('SELECT * FROM duck' || 'db_databases()')",
    "SELECT * FROM query_table('duckdb_databases')",
    "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT path FROM duckdb_databases()'))",
    "SELECT * FROM duckdb_extensions()",  # refused naming the extension directory in the server's home
])
def test_names_no_server_path(published_home, query):
    try:
        shown = repr(run_sandboxed(published_home, query))
    except SandboxError as refusal:
        shown = str(refusal)
    for server_path in (str(published_home.root), str(Path.home() / ".duckdb")):
        assert server_path not in shown


def test_the_catalog_stays_open_to_analysts(published_home):
    tables = run_sandboxed(published_home, "SELECT table_name FROM duckdb_tables() WHERE table_name = 'articles'")
    assert tables.rows == [("articles",)]
    assert ("articles",) in run_sandboxed(published_home, "SHOW TABLES").rows
    assert run_sandboxed(published_home, "SELECT datname FROM pg_catalog.pg_database WHERE datname = 'pactwatch'").rows


def test_a_pragma_expanded_while_parsing_reads_no_file(published_home, tmp_path):
    """DuckDB expands a PRAGMA into its query while parsing, and the parse ran on the module's default connection,
    whose file and extension access no setting locked: `PRAGMA import_database('DIR')` returned the SELECT that
    DIR/schema.sql of the server held, and `PRAGMA create_fts_index(…)` set out to download and install an extension."""
    (tmp_path / "schema.sql").write_text("SELECT 'private' AS leaked;\n")
    (tmp_path / "load.sql").write_text("")
    with pytest.raises(SandboxError, match="disabled by configuration"):
        run_sandboxed(published_home, f"PRAGMA import_database('{tmp_path}')")
    with pytest.raises(SandboxError, match="is not in the catalog, but it exists in the fts extension"):
        run_sandboxed(published_home, "PRAGMA create_fts_index('articles', 'article_id', 'title')")
