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
# A full rebuild counts the days of this many article_countries rows at a time: after a retag of 995k articles, every
# day's self-join at once came near the writer's memory limit (WRITER_MEMORY_LIMIT), and one publish in two failed.
FULL_REBUILD_ROWS = 500_000


def _stale(day: str) -> str:
    """`day` is a stale day; the range first, so DuckDB skips whole row groups by their min/max."""
    return (f"{day} BETWEEN (SELECT min(day) FROM aggregate_dirty_days) AND (SELECT max(day) FROM aggregate_dirty_days)"
            f" AND {day} IN (SELECT day FROM aggregate_dirty_days)")


def _within(day: str) -> str:
    return f"{day} BETWEEN $first AND $last"


def _deletes(where: str) -> tuple[str, ...]:
    return f"DELETE FROM country_daily WHERE {where}", f"DELETE FROM comention_daily WHERE {where}"


def _inserts(where: str, where_a: str, where_b: str) -> tuple[str, ...]:
    return (
        f"INSERT INTO country_daily SELECT day, iso3, count(*) FROM article_countries WHERE {where} "
        "GROUP BY ALL ORDER BY ALL",
        # article_countries holds one row per article and country: the self-join yields each pair once per article.
        "INSERT INTO comention_daily SELECT a.day, a.iso3, b.iso3, count(*) FROM article_countries a "
        "JOIN article_countries b ON b.article_id = a.article_id AND b.day = a.day AND a.iso3 < b.iso3 "
        f"WHERE {where_a} AND {where_b} GROUP BY ALL ORDER BY ALL",
    )


_SOME_DAYS = (*_deletes(_stale("day")), *_inserts(_stale("day"), _stale("a.day"), _stale("b.day")))
_DAY_RANGE = _inserts(_within("day"), _within("a.day"), _within("b.day"))


def rebuild_daily_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute country_daily and comention_daily for the days written since the last call, in one transaction."""
    with atomic(con):
        stale = con.execute("SELECT count(DISTINCT day) FROM aggregate_dirty_days").fetchone()[0]
        if stale > FULL_REBUILD_DAYS:
            _rebuild_every_day(con)
        elif stale:
            for statement in _SOME_DAYS:
                con.execute(statement)
        con.execute("DELETE FROM aggregate_dirty_days")


def _rebuild_every_day(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _deletes("TRUE"):
        con.execute(statement)
    for first, last in _day_ranges(con):
        for statement in _DAY_RANGE:
            con.execute(statement, {"first": first, "last": last})


def _day_ranges(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The days of article_countries cut into ranges of at most FULL_REBUILD_ROWS rows (a busier day alone)."""
    ranges: list[tuple] = []
    rows_in_range = 0
    for day, rows in con.execute("SELECT day, count(*) FROM article_countries GROUP BY day ORDER BY day").fetchall():
        if ranges and rows_in_range + rows <= FULL_REBUILD_ROWS:
            ranges[-1], rows_in_range = (ranges[-1][0], day), rows_in_range + rows
        else:
            ranges.append((day, day))
            rows_in_range = rows
    return ranges
