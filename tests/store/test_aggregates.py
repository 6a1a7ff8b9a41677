"""Per-day aggregates (country_daily, comention_daily) and the either-country denominator they serve,
on warehouses filled by real imports (real tagger, real DuckDB files)."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from itertools import combinations

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.home import Home
from pipeline.store import aggregates as aggregates_module
from pipeline.store import queries
from pipeline.store.queries import Scope
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import current_snapshot, publish
from pipeline.store.warehouse import Warehouse

from tests.conftest import home_copy

COUNTRIES = ["Russia", "China", "India", "Iran", "North Korea", "Japan"]
START = datetime(2024, 1, 1, 8, tzinfo=timezone.utc)
PAIRS = ["CHN-RUS", "PRK-RUS", "IND-JPN", "RUS-CHN", "IRN-JPN"]  # one given in the wrong order
ISO3 = ["CHN", "IND", "IRN", "JPN", "PRK", "RUS"]


def records(first: int, count: int) -> list[dict]:
    """Articles naming one to four countries, three or four a day over about two months."""
    found = []
    for n in range(first, first + count):
        named = [COUNTRIES[(n + offset) % len(COUNTRIES)] for offset in (0, 1, 3, 4)[: 1 + n % 4]]
        found.append({"id": f"r{n}", "title": f"Dispatch {n}", "source": f"Desk {n % 3}",
                      "published": (START + timedelta(hours=7 * n)).isoformat(),
                      "text": f"Officials from {' and '.join(named)} met on item {n}.",
                      "url": f"https://archive.example.org/{n}"})
    return found


def import_records(home, tmp_path, rows: list[dict]) -> None:
    archive = tmp_path / f"archive-{rows[0]['id']}.jsonl"
    archive.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def aggregates(con) -> tuple[Counter, Counter]:
    countries = Counter({(day, iso3): n for day, iso3, n in con.execute("SELECT * FROM country_daily").fetchall()})
    pairs = Counter({(day, a, b): n for day, a, b, n in con.execute("SELECT * FROM comention_daily").fetchall()})
    return countries, pairs


def counted_in_python(con) -> tuple[Counter, Counter]:
    """The same aggregates counted row by row from article_countries."""
    by_article: dict[str, tuple[date, set[str]]] = {}
    for article_id, day, iso3 in con.execute("SELECT article_id, day, iso3 FROM article_countries").fetchall():
        by_article.setdefault(article_id, (day, set()))[1].add(iso3)
    countries, pairs = Counter(), Counter()
    for day, named in by_article.values():
        countries.update((day, iso3) for iso3 in named)
        pairs.update((day, a, b) for a, b in combinations(sorted(named), 2))
    return countries, pairs


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory) -> Home:
    """One import of the 150 records (a few seconds), shared by the tests that only read its snapshot."""
    root = tmp_path_factory.mktemp("imported")
    (root / "home").mkdir()
    import_records(root / "home", root, records(0, 150))
    return Home.resolve(root / "home")


@pytest.fixture()
def imported(imported_once, tmp_path) -> Home:
    """The import, for a test that writes to it: its own copy."""
    return Home.resolve(home_copy(imported_once.root, tmp_path / "home"))


@pytest.mark.parametrize(("every_day", "rows_a_range"), [(False, None), (True, None), (True, 7)],
                         ids=["stale days only", "every day", "every day, a few at a time"])
def test_every_publish_rebuilds_the_aggregates(imported, tmp_path, monkeypatch, every_day, rows_a_range):
    if every_day:
        monkeypatch.setattr(aggregates_module, "FULL_REBUILD_DAYS", 0)
    if rows_a_range:  # ranges of a day or two (3-4 articles a day, 1-4 countries each), some days alone
        monkeypatch.setattr(aggregates_module, "FULL_REBUILD_ROWS", rows_a_range)
    with open_snapshot(imported) as con:
        first = aggregates(con)
        assert first == counted_in_python(con)
        assert max(first[1].values()) > 1, "some day has two articles naming the same pair"
    import_records(imported.root, tmp_path, records(150, 60))
    with open_snapshot(imported) as con:
        second = aggregates(con)
        assert second == counted_in_python(con)
    assert second[0] != first[0] and second[1] != first[1]


@pytest.mark.parametrize("grain", queries.GRAINS)
@pytest.mark.parametrize("days", [(date(2024, 1, 1), date(2024, 4, 30)), (date(2024, 1, 10), date(2024, 2, 20))])
def test_either_country_totals_from_the_aggregates_equal_the_exact_count(imported_once, grain, days):
    scope = Scope(*days)
    with open_snapshot(imported_once) as con:
        fast = queries.either_country_totals(con, scope, PAIRS, grain)
        exact = queries._either_country_exact(con, scope, PAIRS, grain)
    assert not scope.filtered and len(fast) >= 2 * len(PAIRS) and set(fast["series"]) == set(PAIRS)
    assert fast.equals(exact), fast.compare(exact) if fast.shape == exact.shape else (fast, exact)


def test_a_filtered_scope_still_counts_only_its_articles(imported_once):
    scope = Scope(date(2024, 1, 1), date(2024, 4, 30), outlets=("Desk 1",))
    with open_snapshot(imported_once) as con:
        filtered = queries.either_country_totals(con, scope, PAIRS, "month")
        whole = queries.either_country_totals(con, Scope(scope.start, scope.end), PAIRS, "month")
    assert scope.filtered and 0 < filtered["articles"].sum() < whole["articles"].sum()


def test_a_snapshot_from_before_the_aggregates_falls_back_to_the_exact_count(imported_once, tmp_path):
    old = tmp_path / "before-0006.duckdb"
    shutil.copyfile(current_snapshot(imported_once), old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE country_daily")
        con.execute("DROP TABLE comention_daily")
    scope = Scope(date(2024, 1, 1), date(2024, 4, 30))
    with duckdb.connect(str(old), read_only=True) as con:
        fallback = queries.either_country_totals(con, scope, PAIRS, "week")
        cooccurrence = queries.cooccurrence(con, scope, ISO3, "article", None)
    with open_snapshot(imported_once) as con:
        assert fallback.equals(queries.either_country_totals(con, scope, PAIRS, "week"))
        assert cooccurrence.equals(queries.cooccurrence(con, scope, ISO3, "article", None))


@pytest.mark.parametrize("level", queries.LEVELS)
def test_articles_naming_both_from_the_aggregates_equal_the_exact_count(imported_once, level):
    """The co-occurrence share's named_both: the per-day aggregate for a date range, the articles otherwise."""
    every_desk = Scope(date(2024, 1, 1), date(2024, 4, 30), outlets=("Desk 0", "Desk 1", "Desk 2"))
    with open_snapshot(imported_once) as con:
        fast = queries.cooccurrence(con, Scope(every_desk.start, every_desk.end), ISO3, level, None)
        exact = queries.cooccurrence(con, every_desk, ISO3, level, None)
    assert len(fast) == len(list(combinations(ISO3, 2))) and fast.equals(exact), (fast, exact)


def test_a_publish_recomputes_only_the_days_written_since_the_last_one(imported, tmp_path):
    with duckdb.connect(str(imported.writer_db)) as con:
        assert con.execute("SELECT count(*) FROM aggregate_dirty_days").fetchone() == (0,), "publish cleared them"
        old_day = con.execute("SELECT min(day) FROM country_daily").fetchone()[0]
        con.execute("UPDATE country_daily SET articles = 999 WHERE day = ?", [old_day])  # marks what is recomputed
    import_records(imported.root, tmp_path, records(400, 8))  # two days, two months after the first import's
    with open_snapshot(imported) as con:
        countries, pairs = aggregates(con)
        expected_countries, expected_pairs = counted_in_python(con)
    new_days = {day for day, _ in expected_countries if day > date(2024, 3, 1)}  # the first import ends in February
    assert new_days and pairs == expected_pairs
    assert {key: n for key, n in countries.items() if key[0] != old_day} == \
        {key: n for key, n in expected_countries.items() if key[0] != old_day}
    assert {n for (day, _), n in countries.items() if day == old_day} == {999}, "an untouched day is not recomputed"


def test_a_retag_recomputes_every_day(imported):
    with duckdb.connect(str(imported.writer_db)) as con:
        con.execute("UPDATE country_daily SET articles = articles + 100")  # stale numbers a retag must replace
        con.execute("DELETE FROM comention_daily")
    result = CliRunner().invoke(cli, ["--home", str(imported.root), "retag"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with open_snapshot(imported) as con:
        assert aggregates(con) == counted_in_python(con)


def test_coverage_has_a_row_with_nothing_for_a_day_nothing_was_collected(home, tmp_path):
    """v_coverage_daily, read "to tell an outage from news", had no row for a day without articles: a query for
    articles = 0 found no outage."""
    rows = records(0, 2)
    rows[1]["published"] = (START + timedelta(days=3)).isoformat()
    import_records(home, tmp_path, rows)
    with open_snapshot(Home.resolve(home)) as con:
        coverage = con.execute("SELECT day, articles, outlets, feeds FROM v_coverage_daily ORDER BY day").fetchall()
        [(run_day,)] = con.execute("SELECT CAST(started_at AS DATE) FROM runs").fetchall()
    first = START.date()
    assert coverage[:5] == [(first, 1, 1, 1), (first + timedelta(days=1), 0, 0, 0),
                            (first + timedelta(days=2), 0, 0, 0), (first + timedelta(days=3), 1, 1, 1),
                            (first + timedelta(days=4), 0, 0, 0)]
    # up to the day of the last run: a silence since the last article is an outage too
    assert coverage[-1] == (run_day, 0, 0, 0) and len(coverage) == (run_day - first).days + 1


def test_coverage_keeps_a_placeholder_day_without_a_calendar_of_millions_of_days(home, tmp_path):
    """Migration 0009 left articles filed on 0001-01-01 or 9999-12-31 on those days: a calendar from the first
    article day to the last ran 3.6 million days."""
    import_records(home, tmp_path, records(0, 3))
    pw_home = Home.resolve(home)
    with Warehouse(pw_home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE articles SET day = DATE '0001-01-01' WHERE article_id = "
                              "(SELECT min(article_id) FROM articles)")
        publish(warehouse.con, pw_home)
    with open_snapshot(pw_home) as con:
        days = con.execute("SELECT day, articles FROM v_coverage_daily ORDER BY day").fetchall()
        [(run_day,)] = con.execute("SELECT CAST(started_at AS DATE) FROM runs").fetchall()
    assert days[0] == (date(1, 1, 1), 1) and days[1][0] == START.date()
    assert len(days) == (run_day - START.date()).days + 2
