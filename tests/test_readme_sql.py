"""The README's ad-hoc SQL examples, run as an analyst would paste them into `pactwatch sql`."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from tests.rss import Item, rss

ROOT = Path(__file__).resolve().parents[1]
EXPLAIN = "-- Why is one article tagged as it is?"


def readme_queries() -> list[str]:
    """The statements of the README's ```sql block, each with the comment lines above it."""
    block = re.search(r"```sql\n(.*?)```", ROOT.joinpath("README.md").read_text(encoding="utf-8"), re.S).group(1)
    return [statement.strip() for statement in block.split(";\n") if statement.strip()]


def sql(home: Path, query: str) -> list[list[str]]:
    result = CliRunner().invoke(cli, ["--home", str(home), "sql", query], catch_exceptions=False)
    assert result.exit_code == 0, (query, result.output)
    return [line.split("\t") for line in result.output.splitlines()[1:]]


def test_every_readme_query_runs_and_one_explains_an_articles_tags(tmp_path):
    """Asking why an article was tagged education_culture, an analyst had to find four tables and their join keys
    alone; the README now has the query, and every example in its block must run in the sandbox."""
    home, feed = tmp_path / "home", tmp_path / "feed.xml"
    feed.write_bytes(rss([Item("Ministers meet again", "A team from France will hold talks with Germany on the treaty.",
                               guid="t1", published=datetime(2026, 1, 5, 9, tzinfo=timezone.utc))]))
    for args in (["feeds", "add", feed.as_uri(), "--id", "saved"], ["ingest"]):
        assert CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False).exit_code == 0
    [[article_id]] = sql(home, "SELECT article_id FROM articles")
    queries = readme_queries()
    for query in queries:
        sql(home, query.replace("ARTICLE_ID", article_id))
    [explain] = [query for query in queries if query.startswith(EXPLAIN)]
    rows = sql(home, explain.replace("ARTICLE_ID", article_id))
    kinds = {row[0] for row in rows}
    assert {"mention", "pair DEU-FRA", "topic diplomacy 5.0"} <= kinds, rows
    pair = next(row for row in rows if row[0] == "pair DEU-FRA")
    assert "education_culture" in pair[3] and pair[4].startswith("A team from France")
    assert {row[4] for row in rows if row[0].startswith("topic")} == {"talks", "talks with", "treaty"}


def readme_query(starting: str) -> str:
    [query] = [query for query in readme_queries() if query.startswith(starting)]
    return query


def test_the_readme_queries_of_recent_days_leave_out_articles_filed_under_the_day_stored(tmp_path):
    """A replay of old captures filed 208 undated stories of 2016-2018 under the day it ran: the README's "rose most"
    and "this month" queries, and an analyst's "new pairs this week", listed only pairs those old stories named."""
    home, feed = tmp_path / "home", tmp_path / "feed.xml"
    feed.write_bytes(rss([
        Item("Drills", "Russia and North Korea hold military drills with Belarus.", guid="dated",
             published=datetime.now(timezone.utc)),
        Item("Old accord", "North Korea and Russia sign a military accord with Iran.", guid="undated-1"),
        Item("Old exercise", "China and India hold a military exercise.", guid="undated-2")]))
    for args in (["feeds", "add", feed.as_uri(), "--id", "saved"], ["ingest"]):
        assert CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False).exit_code == 0
    assert sql(home, "SELECT date_quality, count(*) FROM articles GROUP BY ALL ORDER BY ALL") == [["missing", "2"],
                                                                                                  ["ok", "1"]]
    dated_pairs = [[pair, "1", "", "1"] for pair in ("BLR-PRK", "BLR-RUS", "PRK-RUS")]  # drills "with Belarus"
    assert sql(home, readme_query("-- Which pairs rose most")) == dated_pairs
    assert sorted(row[0] for row in sql(home, readme_query("-- Pairs new this week"))) == [
        pair for pair, *_ in dated_pairs]
    assert sql(home, readme_query("-- Who else is named")) == [["BLR", "1"]]


def test_the_readme_s_weekly_query_prints_each_week_as_a_date(tmp_path):
    """Review J: the README's first example printed `2024-04-29 00:00:00`, a timestamp, for a week of days."""
    home, feed = tmp_path / "home", tmp_path / "feed.xml"
    feed.write_bytes(rss([Item("Drills", "North Korea and Russia hold military drills with joint troops.", guid="w1",
                               published=datetime(2026, 1, 7, 9, tzinfo=timezone.utc))]))
    for args in (["feeds", "add", feed.as_uri(), "--id", "saved"], ["ingest"]):
        assert CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False).exit_code == 0
    assert sql(home, readme_query("-- Pairs are stored alphabetically")) == [["2026-01-05", "1", "1", "1", "1"]]
