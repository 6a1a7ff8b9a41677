"""Per-day pre-aggregates of article_countries (country_daily, comention_daily: migration 0006).

publish() recomputes them before every checkpoint for the days written since (aggregate_dirty_days, filled
by Warehouse.write_run and the retag swap), so each snapshot carries aggregates consistent with its base
tables whatever wrote them. Recomputing every day takes ~0.4 s at 931k articles; an ingest run's few days,
a few ms.
"""
from __future__ import annotations

import contextlib

import duckdb

FULL_REBUILD_DAYS = 60  # beyond this many stale days, recomputing everything is cheaper than picking days out
_STALE = "SELECT day FROM aggregate_dirty_days"
_STALE_DAYS = f"BETWEEN (SELECT min(day) FROM aggregate_dirty_days) AND (SELECT max(day) FROM aggregate_dirty_days) " \
    f"AND {{day}} IN ({_STALE})"  # the range lets DuckDB skip whole row groups by their min/max


def _statements(where: str, where_a: str, where_b: str) -> tuple[str, ...]:
    return (
        f"DELETE FROM country_daily WHERE {where}",
        f"INSERT INTO country_daily SELECT day, iso3, count(*) FROM article_countries WHERE {where} "
        "GROUP BY ALL ORDER BY ALL",
        f"DELETE FROM comention_daily WHERE {where}",
        # article_countries holds one row per article and country: the self-join yields each pair once per article.
        "INSERT INTO comention_daily SELECT a.day, a.iso3, b.iso3, count(*) FROM article_countries a "
        "JOIN article_countries b ON b.article_id = a.article_id AND b.day = a.day AND a.iso3 < b.iso3 "
        f"WHERE {where_a} AND {where_b} GROUP BY ALL ORDER BY ALL",
        "DELETE FROM aggregate_dirty_days",
    )


_SOME_DAYS = _statements(*(f"{day} {_STALE_DAYS.format(day=day)}" for day in ("day", "a.day", "b.day")))
_EVERY_DAY = _statements("TRUE", "TRUE", "TRUE")


def rebuild_daily_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute country_daily and comention_daily for the days written since the last call, in one transaction."""
    con.execute("BEGIN")
    try:
        stale = con.execute("SELECT count(DISTINCT day) FROM aggregate_dirty_days").fetchone()[0]
        if stale:
            for statement in _EVERY_DAY if stale > FULL_REBUILD_DAYS else _SOME_DAYS:
                con.execute(statement)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already rolled back
            con.execute("ROLLBACK")
        raise
