"""The schema a new warehouse starts from: what every migration made, as one script (baseline.sql). Replayed in one
transaction it takes ~0.08 s where the migrations one by one took ~0.38 s (closing the file included), at the first
`feeds add` or `demo` of a home and in every test that makes a warehouse (23 % of test_ingest.py's profile, 145 new
warehouses in 153 tests). The migrations stay the truth:
`python -m pipeline.store.baseline` writes the script from them, tests/store/test_schema.py checks that it is
current and that a warehouse made from it has the catalog the migrations give, and a file already migrated is
never touched by it."""
from __future__ import annotations

import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

import duckdb

from .comments import all_comments
from .quoting import sql_identifier, sql_literal

BASELINE = "baseline.sql"
_VERSION = re.compile(r"^-- version: (\d+)$", re.MULTILINE)
_HEADER = """-- The schema of a new warehouse: migrations 0001 to {version:04d} applied in order, as one script.
-- Generated, do not edit: `python -m pipeline.store.baseline` writes it again after a new migration.
-- version: {version}
"""


def read_baseline() -> tuple[int, str] | None:
    """(the migration version the bundled script stands for, the script); None without one."""
    entry = resources.files(__package__) / BASELINE
    if not entry.is_file():
        return None
    script = entry.read_text(encoding="utf-8")
    return int(_VERSION.search(script).group(1)), script


def dump(con: duckdb.DuckDBPyConnection, version: int, leave_out: str) -> str:
    """The script that makes `con`'s tables and views, with their comments, on an empty file (but table
    `leave_out`, the migrations' own). Tables first, then views in the order they were made (each after what it
    reads); a table's rows are not in it: a new warehouse's are empty."""
    tables = [sql for (sql,) in con.execute(
        "SELECT sql FROM duckdb_tables() WHERE NOT internal AND table_name <> ? ORDER BY table_oid",
        [leave_out]).fetchall()]
    views = [sql for (sql,) in con.execute(
        "SELECT sql FROM duckdb_views() WHERE NOT internal ORDER BY view_oid").fetchall()]
    comments = [f"COMMENT ON {kind} {_target(name, column)} IS {sql_literal(comment)};"
                for (kind, name, column), comment in sorted(all_comments(con).items(), key=_in_order)
                if name != leave_out]
    return _HEADER.format(version=version) + "\n".join([*tables, *views, *comments]) + "\n"  # DuckDB ends each ;


def _target(name: str, column: str | None) -> str:
    return sql_identifier(name) if column is None else f"{sql_identifier(name)}.{sql_identifier(column)}"


def _in_order(item: tuple[tuple[str, str, str | None], str]) -> tuple[str, str, str]:
    (kind, name, column), _ = item
    return kind, name, column or ""


def write_baseline(path: Path) -> int:
    """Write the script of every bundled migration to `path`; its version."""
    from .migrate import MIGRATIONS_TABLE, migrate

    with tempfile.TemporaryDirectory() as folder:
        with duckdb.connect(str(Path(folder) / "chain.duckdb")) as con:
            version = migrate(con, use_baseline=False)
            path.write_text(dump(con, version, MIGRATIONS_TABLE), encoding="utf-8")
    return version


if __name__ == "__main__":
    target = Path(__file__).with_name(BASELINE)
    print(f"wrote {target} (migrations up to {write_baseline(target):04d})", file=sys.stderr)
