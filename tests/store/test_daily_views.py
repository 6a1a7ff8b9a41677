"""The daily views' dated and unlisted counts (migrations 0045, 0048) against the base tables, on a real home: the demo
(pair sentences listing three or more countries) plus a feed ingested over 127.0.0.1 whose items are dated, undated
(filed under the day stored), listed only, or both listed and not."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.home import Home
from pipeline.ingest import build_demo
from pipeline.seeds import load_tagger
from pipeline.store.reader import open_snapshot
from pipeline.store.warehouse import Warehouse

from tests.conftest import readme_notebook
from tests.httpserver import Response, ScriptedServer
from tests.rss import Item, rss

DEMO_END = date(2026, 11, 28)
DATED = datetime(2026, 11, 27, 9, tzinfo=UTC)
FEED_ITEMS = [
    Item("Pact", "Russia and China sign a military pact.", guid="dated", published=DATED),
    Item("How the parade compares", "Parades in France, Russia and North Korea drew crowds. Flags of France, Russia "
         "and North Korea flew.", guid="dated-listed", published=DATED),
    Item("Old accord", "North Korea and Russia sign a military accord.", guid="undated"),
    Item("Old march", "Troops from Japan, India and Iran march in the capital.", guid="undated-listed"),
    Item("Drills", "Russia, North Korea and Mali hold military drills. Later Russia and North Korea sign a treaty.",
         guid="dated-both", published=DATED - timedelta(days=1)),
    Item("Far ahead", "Iran and Iraq sign a military pact.", guid="future", published=datetime(2099, 1, 1, tzinfo=UTC)),
    Item("Too old", "Syria and Lebanon sign a military pact.", guid="before-1900",
         published=datetime(1899, 6, 1, tzinfo=UTC)),
    Item("Rates", "Japan raised its rates. Japan cited prices. South Korea kept its rates. South Korea cited exports.",
         guid="about-both", published=DATED),
]


def demo_home(root) -> Home:
    """The demo, 1,000 articles: many pair sentences list three or more countries, all dated."""
    home = Home.resolve(root).ensure()
    with Warehouse(home.writer_db) as warehouse:
        build_demo(home, warehouse, load_tagger(), articles=1000, seed=7, end_date=DEMO_END)
    return home


def feed_home(root) -> Home:
    """FEED_ITEMS, ingested from a feed on 127.0.0.1 (a demo home takes no feed of its own)."""
    home = Home.resolve(root).ensure()
    with ScriptedServer() as server:
        server.routes["/feed.xml"] = Response(200, rss(FEED_ITEMS), {"Content-Type": "application/rss+xml"})
        for args in (["feeds", "add", server.url("/feed.xml"), "--id", "mixed"], ["ingest"]):
            result = CliRunner().invoke(cli, ["--home", str(home.root), *args], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    return home


BUILT = {"demo": demo_home, "feed": feed_home}


@pytest.fixture(scope="module", params=sorted(BUILT))
def home(request, tmp_path_factory) -> Home:
    return BUILT[request.param](tmp_path_factory.mktemp("daily_views") / "home")


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def view_counts(con, view: str, keys: str, counts: str) -> dict[tuple, tuple]:
    width = len(keys.split(","))
    return {row[:width]: row[width:] for row in rows(con, f"SELECT {keys}, {counts} FROM {view}")}


class BaseTables:
    """The stored rows the views count, read whole and counted here, one row at a time."""

    def __init__(self, con) -> None:
        self.quality = dict(rows(con, "SELECT article_id, date_quality FROM articles"))
        self.dated = {article_id: quality == "ok" for article_id, quality in self.quality.items()}
        self.articles = rows(con, "SELECT article_id, day FROM articles")
        self.sentences = rows(con, "SELECT article_id, day, iso_a || '-' || iso_b, topics, listed "
                                   "FROM pair_sentences")
        self.pairs = rows(con, "SELECT article_id, day, iso_a || '-' || iso_b, topics FROM article_pairs")
        self.countries = rows(con, "SELECT article_id, day, iso3 FROM article_countries")
        self.topics = rows(con, "SELECT article_id, day, topic FROM article_topics")
        self.named = defaultdict(int)  # (article, pair) -> its sentences naming the pair
        self.unlisted = defaultdict(int)  # ... of them those not naming it as items of a list
        for article_id, _, pair, _, listed in self.sentences:
            self.named[article_id, pair] += 1
            self.unlisted[article_id, pair] += listed is not True
        self.listed_only = {key for key in self.named if not self.unlisted[key]}

    def per_article(self, grouped: dict[tuple, set[str]]) -> dict[tuple, tuple]:
        return {key: (len(ids), sum(self.dated[i] for i in ids)) for key, ids in grouped.items()}

    def pair_daily(self) -> dict[tuple, tuple]:
        articles, unlisted, sentences = defaultdict(set), defaultdict(set), defaultdict(lambda: [0, 0])
        for article_id, day, pair, topics, listed in self.sentences:
            for topic in topics or ["(none)"]:
                key = (pair, day, topic)
                articles[key].add(article_id)
                sentences[key][0] += 1
                if listed is not True:
                    unlisted[key].add(article_id)
                    sentences[key][1] += 1
        return {key: (*self.per_article(articles)[key], len(unlisted[key]), *sentences[key],
                      sum(self.dated[i] for i in unlisted[key])) for key in articles}

    def connected(self, key_of) -> dict[tuple, tuple]:
        """Per key of an article_pairs row: articles, dated ones, those not listed only, their unlisted sentences,
        the articles both dated and not listed only."""
        counts = defaultdict(lambda: [0, 0, 0, 0, 0])
        for article_id, day, pair, topics in self.pairs:
            for key in key_of(pair, day, topics):
                count = counts[key]
                unlisted = (article_id, pair) not in self.listed_only
                count[0] += 1
                count[1] += self.dated[article_id]
                count[2] += unlisted
                count[3] += self.unlisted[article_id, pair]
                count[4] += unlisted and self.dated[article_id]
        return {key: tuple(count) for key, count in counts.items()}

    def tagged(self, table: list[tuple]) -> dict[tuple, tuple]:
        grouped = defaultdict(set)
        for article_id, day, tag in table:
            grouped[tag, day].add(article_id)
        return self.per_article(grouped)


def kinds(base: BaseTables) -> set[str]:
    """Which of the articles the new columns tell apart the home holds."""
    undated = {article_id for article_id, dated in base.dated.items() if not dated}
    found = {f"{base.quality[article_id]} pair" for article_id, _, _, _ in base.pairs if article_id in undated}
    checks = {"listed only": bool(base.listed_only),
              "undated listed only": any(article_id in undated for article_id, _ in base.listed_only),
              "listed and not": any(0 < base.unlisted[key] < named for key, named in base.named.items()),
              "about both, no sentence": any(not base.named.get((article_id, pair))
                                             for article_id, _, pair, _ in base.pairs)}
    return found | {kind for kind, held in checks.items() if held}


def test_each_home_holds_the_articles_the_new_columns_tell_apart(home, request):
    """The other tests compare nothing unless the homes hold each kind: the demo dates every article."""
    with open_snapshot(home) as con:
        found = kinds(BaseTables(con))
    assert found == {"demo": {"listed only", "listed and not", "about both, no sentence"},
                     "feed": {"missing pair", "future pair", "unparseable pair", "listed only", "undated listed only",
                              "listed and not", "about both, no sentence"}}[request.node.callspec.params["home"]]


def test_pair_daily_counts_dated_and_unlisted_as_pair_sentences_do(home):
    with open_snapshot(home) as con:
        expected = BaseTables(con).pair_daily()
        found = view_counts(con, "v_pair_daily", "pair, day, topic",
                            "articles, dated_articles, unlisted_articles, sentences, unlisted_sentences, "
                            "dated_unlisted_articles")
    assert found == expected


def test_pair_daily_counts_the_cues_of_each_topics_own_sentences(home):
    """v_pair_topic_daily counts the cues of every pair sentence of an article under each of its topics; v_pair_daily's
    (migration 0067) are those of the topic's own sentences, counted here from pair_sentences one row at a time."""
    with open_snapshot(home) as con:
        sentences = rows(con, "SELECT iso_a || '-' || iso_b, day, topics, cue FROM pair_sentences")
        found = view_counts(con, "v_pair_daily", "pair, day, topic", "cooperation_sentences, confrontation_sentences")
    expected = defaultdict(lambda: [0, 0])
    for pair, day, topics, cue in sentences:
        for topic in topics or ["(none)"]:
            expected[pair, day, topic][0] += cue == "cooperation"
            expected[pair, day, topic][1] += cue == "confrontation"
    assert found == {key: tuple(count) for key, count in expected.items()}
    assert any(any(count) for count in found.values()), "no cue to count"


def test_pair_topic_daily_counts_dated_and_unlisted_as_article_pairs_do(home):
    with open_snapshot(home) as con:
        expected = BaseTables(con).connected(lambda pair, day, topics: [(pair, topic, day)
                                                                        for topic in topics or ["(none)"]])
        found = view_counts(con, "v_pair_topic_daily", "pair, topic, day",
                            "articles, dated_articles, unlisted_articles, unlisted_sentences, "
                            "dated_unlisted_articles")
    assert found == expected


def test_pair_indicators_daily_counts_dated_and_unlisted_as_article_pairs_do(home):
    with open_snapshot(home) as con:
        expected = BaseTables(con).connected(lambda pair, day, topics: [(pair, day)])
        found = view_counts(con, "v_pair_indicators_daily", "pair, day",
                            "articles, dated_articles, unlisted_articles, unlisted_sentences, "
                            "dated_unlisted_articles")
    assert found == expected


def test_country_topic_and_coverage_daily_count_dated_articles_as_articles_do(home):
    with open_snapshot(home) as con:
        base = BaseTables(con)
        assert view_counts(con, "v_country_daily", "iso3, day", "articles, dated_articles") == \
            base.tagged(base.countries)
        assert view_counts(con, "v_topic_daily", "topic, day", "articles, dated_articles") == \
            base.tagged(base.topics)
        coverage = view_counts(con, "v_coverage_daily", "day", "articles, dated_articles")
    per_day = base.tagged([(article_id, day, "all") for article_id, day in base.articles])
    assert {day: counts for day, counts in coverage.items() if counts != (0, 0)} == \
        {(day,): counts for (_, day), counts in per_day.items()}


# What the daily views are keyed by, and their columns that are ratios, not counts.
KEYS = {"iso3", "iso_a", "iso_b", "pair", "topic", "day", "feed_id"}
RATIOS = {"share_of_day", "share_of_either", "lift", "pmi", "balance", "mean_score"}


def test_a_notebook_reads_every_count_of_the_daily_views_as_integers(home):
    """Ten counts came into the README's notebook as float64 (sentences 4.0 beside articles 4), sums DuckDB types
    HUGEINT: merging two views changed a column's dtype, and a frame written to Parquet made its counts DOUBLE.
    A column with NULLs (v_feed_daily.bytes of a demo run) comes as pandas' nullable Int64."""
    con = readme_notebook(home.published_db)
    try:
        views = [name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
                 if name.endswith("_daily")]
        frames = {view: con.sql(f"SELECT * FROM {view}").df() for view in views}
    finally:
        con.close()
    assert len(views) == 7 and all(len(frame) for frame in frames.values())
    assert [f"{view}.{column} {frame[column].dtype}" for view, frame in frames.items()
            for column in frame.columns.difference(KEYS | RATIOS)
            if not pd.api.types.is_integer_dtype(frame[column])] == []
