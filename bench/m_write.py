"""4. Our write path (Arrow table -> one INSERT ... SELECT) vs DuckDB `executemany` for the same article rows.

`executemany` lives here only, as the reference; the store never uses it (DEVELOPERS.md).
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path


def _fresh(path: Path):
    import duckdb

    from pipeline.store.migrate import migrate

    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    migrate(con)
    return con


def write_paths(snapshot: str, workdir: str, rows: int = 5000, repeats: int = 3) -> dict:
    import duckdb

    from pipeline.store.arrow_io import columns_of, insert_rows
    from pipeline.store.warehouse import ARTICLE_COLUMNS

    listed = ", ".join(ARTICLE_COLUMNS)
    with duckdb.connect(snapshot, read_only=True) as source:
        source.execute("SET TimeZone = 'UTC'")
        sample = source.execute(f"SELECT {listed} FROM articles ORDER BY article_id LIMIT ?", [rows]).fetchall()
    dicts = [dict(zip(ARTICLE_COLUMNS, row)) for row in sample]
    workdir_path = Path(workdir)

    ours = []
    for attempt in range(repeats):
        con = _fresh(workdir_path / f"write-arrow-{attempt}.duckdb")
        started = time.perf_counter()
        con.execute("BEGIN")
        insert_rows(con, "articles", columns_of(dicts, ARTICLE_COLUMNS))  # what Warehouse.write_run does
        con.execute("COMMIT")
        ours.append(time.perf_counter() - started)
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(sample)
        con.close()

    con = _fresh(workdir_path / "write-executemany.duckdb")
    started = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO articles ({listed}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})", sample)
    con.execute("COMMIT")
    many = time.perf_counter() - started
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(sample)
    con.close()
    for path in workdir_path.glob("write-*.duckdb*"):
        path.unlink()
    return {"rows": len(sample), "arrow_seconds": statistics.median(ours), "arrow_all": ours,
            "executemany_seconds": many}
