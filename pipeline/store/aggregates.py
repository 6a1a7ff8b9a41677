"""Per-day pre-aggregates of article_countries (country_daily, comention_daily: migration 0006).

publish() recomputes them before every checkpoint for the days written since (aggregate_dirty_days, filled
by Warehouse.write_run and the retag swap), so each snapshot carries aggregates consistent with its base
tables whatever wrote them. Recomputing every day takes ~0.4 s at 931k articles; an ingest run's few days,
a few ms.
"""
from __future__ import annotations

import duckdb

from .transaction import atomic

FULL_REBUILD_DAYS = 60  # beyond this many stale days, recomputing everything is cheaper than picking days out


def _stale(day: str) -> str:
    """`day` is a stale day; the range first, so DuckDB skips whole row groups by their min/max."""
    return (f"{day} BETWEEN (SELECT min(day) FROM aggregate_dirty_days) AND (SELECT max(day) FROM aggregate_dirty_days)"
            f" AND {day} IN (SELECT day FROM aggregate_dirty_days)")


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


_SOME_DAYS = _statements(_stale("day"), _stale("a.day"), _stale("b.day"))
_EVERY_DAY = _statements("TRUE", "TRUE", "TRUE")


def rebuild_daily_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute country_daily and comention_daily for the days written since the last call, in one transaction."""
    with atomic(con):
        stale = con.execute("SELECT count(DISTINCT day) FROM aggregate_dirty_days").fetchone()[0]
        if stale:
            for statement in _EVERY_DAY if stale > FULL_REBUILD_DAYS else _SOME_DAYS:
                con.execute(statement)
