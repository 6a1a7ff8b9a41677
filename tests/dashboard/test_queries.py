"""The store's read-side queries on the factory snapshot, opened read-only like the dashboard does."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import duckdb
import pandas as pd
import pytest

from pipeline.dashboard import transforms
from pipeline.home import Home
from pipeline.seeds import load_tagger
from pipeline.store import queries
from pipeline.store.indicators import Window, evidence_articles, evidence_sentences
from pipeline.store.migrate import migrate
from pipeline.store.queries import Scope
from pipeline.store.reader import open_snapshot, snapshot_path
from tests.conftest import snapshot_without_pair_sentence_column

from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse

from .conftest import ABOUT_BOTH, LIST_ONLY, RELATED, WIRE_COPIES
from .factory import (CURRENT, EXPECTED, PAYLOADS, PREVIOUS, STORIES, Story, build_home, feed_specs,
                      write_revisions, write_stories)


@pytest.fixture(scope="module")
def con(factory_home):
    connection = open_snapshot(factory_home)
    yield connection
    connection.close()


def test_previous_period_is_equally_long_and_adjacent():
    assert Scope(*CURRENT).previous() == Scope(*PREVIOUS)


def test_kpis_match_the_factory(con):
    kpis = queries.kpis(con, Scope(*CURRENT)).set_index("metric")
    for period in ("current", "previous"):
        assert kpis[period].to_dict() == EXPECTED[period]


def test_under_the_countries_filter_kpis_also_count_the_pairs_naming_them(third_countries_home):
    """With Countries = PRK the Overview read "Pairs 11" where 6 named North Korea: the articles naming it pair Russia
    and Ukraine too (stop 75's dashboard audit). "pairs" keeps counting every pair of those articles; the pairs naming
    one of the countries are a count of their own, as the Pair explorer offers them."""
    with open_snapshot(third_countries_home) as con:
        kpis = queries.kpis(con, Scope(*CURRENT, countries=("PRK",))).set_index("metric")
        everything, naming = con.execute(
            "SELECT count(DISTINCT (iso_a, iso_b)), count(DISTINCT (iso_a, iso_b)) FILTER ('PRK' IN (iso_a, iso_b)) "
            "FROM article_pairs WHERE day BETWEEN ? AND ? AND article_id IN "
            "(SELECT article_id FROM article_countries WHERE iso3 = 'PRK')", list(CURRENT)).fetchone()
        unfiltered = queries.kpis(con, Scope(*CURRENT))["metric"].tolist()
    assert 0 < naming < everything, "THIRD_COUNTRIES pairs China and Japan in an article naming North Korea"
    assert (kpis.at["pairs", "current"], kpis.at[queries.PAIRS_NAMING_THEM, "current"]) == (everything, naming)
    assert queries.PAIRS_NAMING_THEM not in unfiltered


def test_filters_combine_with_and(con):
    scope = Scope(*CURRENT, countries=("CHN",), outlets=("Daily",), languages=("en",), topics=("trade",))
    assert queries.daily_articles(con, scope)["articles"].sum() == 1
    assert queries.daily_articles(con, Scope(*CURRENT, outlet_countries=("DEU",)))["articles"].sum() == 1
    assert queries.daily_articles(con, Scope(*CURRENT, pairs=("PRK-RUS",)))["articles"].sum() == 4


def test_top_countries_keep_a_tie_at_the_cut_off_whole(con):
    """CHN and IRN are each named once: a cut-off at three kept CHN for its name alone and dropped IRN unsaid."""
    scope = Scope(*CURRENT)
    assert queries.top_countries(con, scope, 3)["iso3"].tolist() == ["RUS", "PRK", "CHN", "IRN"]
    assert queries.top_countries(con, scope, 2)["iso3"].tolist() == ["RUS", "PRK"]
    kept, tied_out = transforms.cut_at(queries.top_countries(con, scope, 3), 3)
    assert (kept["iso3"].tolist(), tied_out) == (["RUS", "PRK", "CHN"], ["IRN"])
    assert transforms.tied_out_note(kept, tied_out).startswith("Named in as many articles (1) as CHN, the last of the "
                                                               "top 3, and left out by the cut-off: IRN.")
    assert transforms.tied_out_note(*transforms.cut_at(queries.top_countries(con, scope, 2), 2)) is None
    many = [f"C{n:02}" for n in range(transforms.TIED_OUT_NAMED + 3)]
    assert transforms.tied_out_note(kept, many).endswith(f"C{transforms.TIED_OUT_NAMED - 1:02} and 3 more. Raise "
                                                         "\"Top countries\" to include them.")


def test_the_topic_matrix_ranks_countries_by_the_articles_it_counts(tmp_path):
    """The Topics page ranked its top countries over every article but counts only articles with a topic: Japan,
    named in eight articles without one (a real home's Portuguese articles for Brazil), took a column it left empty,
    and the caption called it "the last of the top 2"."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story(f"j{n}", CURRENT[1], ("wire",), "Japan", "Japan holds a briefing.")
                                        for n in range(8)], CURRENT[1])
    con = open_snapshot(home)
    try:
        scope = Scope(*CURRENT)
        assert "JPN" in queries.top_countries(con, scope, 2)["iso3"].tolist()
        ranked = queries.top_countries(con, scope, 2, topical=True)
        assert ranked["iso3"].tolist() == ["RUS", "PRK"]
        assert set(queries.topic_country_matrix(con, scope, ranked["iso3"].tolist())["iso3"]) == {"RUS", "PRK"}
    finally:
        con.close()


def test_cooccurrence_for_a_topic_counts_countries_and_n_within_that_topic(con):
    """Both sanctions stories name North Korea and Russia: within the topic they are together exactly as often as
    chance predicts (lift 0). Totals over every topic made it look rarer than chance (lift < 0)."""
    scope = Scope(*CURRENT)
    totals = queries.top_countries(con, scope, 10, "sanctions")
    assert totals.set_index("iso3")["articles"].to_dict() == {"PRK": 2, "RUS": 2}
    pairs = queries.cooccurrence(con, scope, list(totals["iso3"]), "article", "sanctions")
    universe = queries.scope_total(con, scope, "sanctions")
    assert universe == 2
    assert transforms.cooccurrence_cells(pairs, totals, universe, "pmi", min_together=2)["value"].tolist() == [
        0.0, 0.0]
    assert queries.scope_total(con, scope) > universe  # without a topic: every article naming a country


def test_cooccurrence_share_divides_by_the_articles_naming_either(tmp_path):
    """An article can name two countries without putting them together (no shared sentence, not both focus):
    the share subtracted `together` from n_a + n_b, which counted such an article twice in the denominator."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:  # no sentence names two of them: the factory writes no pair for it
        write_stories(warehouse, home, [Story("x1", CURRENT[1], ("wire",), "Three", "Russia, China and Iran meet.",
                                              one_sentence=False)], CURRENT[1])
    con = open_snapshot(home)
    try:
        scope = Scope(*CURRENT)
        totals = queries.top_countries(con, scope, 10)
        pairs = queries.cooccurrence(con, scope, list(totals["iso3"]), "article", None)
        assert pairs.set_index(["iso_a", "iso_b"]).loc[("CHN", "RUS"), ["together", "named_both"]].tolist() == [1, 2]
        every_language = Scope(*CURRENT, languages=("en", "de"))  # the same articles, counted from article_countries
        exact = queries.cooccurrence(con, every_language, list(totals["iso3"]), "article", None)
        assert exact.equals(pairs), "the per-day aggregate and the articles agree"
        either = con.execute("SELECT count(DISTINCT article_id) FROM article_countries WHERE day BETWEEN ? AND ? "
                             "AND iso3 IN ('CHN', 'RUS')", list(CURRENT)).fetchone()[0]
        cells = transforms.cooccurrence_cells(pairs, totals, queries.scope_total(con, scope), "share", min_together=1)
        assert cells.set_index("pair").loc["CHN-RUS", "value"].tolist() == [1 / either] * 2
    finally:
        con.close()


def test_documented_views_agree_with_their_comments(tmp_path):
    """v_pair_indicators_daily divided by n(A) + n(B) - articles connecting the pair, not naming both; v_articles
    gave NULL, not [], for an article without countries, so NOT list_contains(...) dropped it."""
    home = build_home(tmp_path / "home")
    day = CURRENT[1] + timedelta(days=1)
    stories = [Story("x1", day, ("wire",), "Three", "Russia, China and Iran meet.", one_sentence=False),  # no pair
               Story("x2", day, ("wire",), "Deal", "China and Russia sign a deal."),
               Story("x3", day, ("wire",), "Weather", "Rain all week.")]
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, stories, day)
    con = open_snapshot(home)
    try:
        row = con.execute("SELECT articles, named_both, share_of_either FROM v_pair_indicators_daily "
                          "WHERE pair = 'CHN-RUS' AND day = ?", [day]).fetchone()
        assert row == (1, 2, 1 / (2 + 2 - 2))
        assert con.execute("SELECT countries, focus, topics FROM v_articles WHERE article_id = 'x3'").fetchone() == (
            [], [], [])
        assert con.execute("SELECT count(*) FROM v_articles WHERE day = ? AND NOT list_contains(topics, 'trade')",
                           [day]).fetchone() == (3,)
    finally:
        con.close()


def test_filter_choices_are_what_the_articles_carry(tmp_path):
    """Feeds registered without a language (the articles declare theirs) offered no language at all, and an
    outlet renamed after its articles were stored offered only the new name, which matches none of them."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        renamed = [spec | {"language": None, "outlet": f"{spec['outlet']} Service" if spec["feed_id"] == "wire"
                           else spec["outlet"]} for spec in feed_specs()]
        warehouse.register_feeds(renamed, datetime(2025, 3, 15, tzinfo=timezone.utc))
        warehouse.con.execute("UPDATE articles SET language = 'EN' WHERE article_id = 'c1'")  # as a feed may declare
        publish(warehouse.con, home)
    con = open_snapshot(home)
    try:
        options = queries.filter_options(con)
        stored = dict(con.execute("SELECT outlet, count(*) FROM articles GROUP BY 1").fetchall())
        assert set(options["outlets"]) == set(stored) and "Wire" in stored and "Ghost" not in stored
        assert options["languages"] == ["en", "de"]  # most articles first, "EN" among "en"
        english = queries.daily_articles(con, Scope(*CURRENT, languages=("en",)))["articles"].sum()
        assert english == con.execute("SELECT count(*) FROM articles WHERE lower(language) = 'en' AND day BETWEEN ? "
                                      "AND ?", list(CURRENT)).fetchone()[0] > 0
        wire = queries.daily_articles(con, Scope(*CURRENT, outlets=("Wire",)))["articles"].sum()
        assert wire == sum(1 for story in STORIES if CURRENT[0] <= story.day <= CURRENT[1] and story.feeds[0] == "wire")
    finally:
        con.close()


def test_feed_rate_counts_the_articles_of_the_last_seven_whole_days(tmp_path):
    """A backfill of old articles, all first seen today, made the demo's feeds read 150 items a day."""
    home = build_home(tmp_path / "home")
    today = datetime.now(timezone.utc).date()
    days = [today, today - timedelta(days=1), today - timedelta(days=7), today - timedelta(days=8),
            today - timedelta(days=400)]
    with Warehouse(home.writer_db) as warehouse:  # every one of them first seen today, by the backfill
        write_stories(warehouse, home, [Story(f"r{n}", day, ("wire",), "Recent", "Russia holds a briefing.")
                                        for n, day in enumerate(days)], today)
    con = open_snapshot(home)
    try:
        rates = queries.feed_health(con).set_index("feed_id")["items_per_day"]
        assert rates["wire"] == round(2 / 7, 2) and rates["daily"] == 0  # yesterday and a week ago; not today
    finally:
        con.close()


def test_pairs_naming_lists_every_pair_of_the_countries_past_the_busiest(many_pairs_home):
    """The Pair explorer's choices past the 500 busiest pairs: every pair of the sidebar's countries, busiest first."""
    con = open_snapshot(many_pairs_home)
    try:
        assert "IRN-RUS" not in queries.filter_options(con)["pairs"]
        assert queries.pairs_naming(con, ["IRN"]) == ["IRN-RUS"]
        assert queries.pairs_naming(con, ["RUS", "JPN"]) == ["PRK-RUS", "CHN-RUS", "IRN-RUS"]  # 5, 2 and 1 articles
    finally:
        con.close()


def test_pair_totals_count_past_the_lists_caps(con):
    totals = queries.pair_totals(con, Scope(*CURRENT), "PRK-RUS")
    assert totals == {"sentences": len(queries.pair_evidence(con, Scope(*CURRENT), "PRK-RUS")), "listed": 0,
                      "articles": len(queries.pair_articles(con, Scope(*CURRENT), "PRK-RUS")),
                      "first_day": date(2025, 3, 8), "last_day": date(2025, 3, 14)} == {
        "sentences": 4, "listed": 0, "articles": 4, "first_day": CURRENT[0], "last_day": CURRENT[1]}


@pytest.fixture(scope="module")
def listed_home(tmp_path_factory):
    """The factory's stories and one sentence naming North Korea and Russia in a list of three."""
    home = build_home(tmp_path_factory.mktemp("listed") / "home")
    parade = Story("l1", CURRENT[1], ("daily",), "Parades", "Parades in North Korea, Russia and Mali.", listed=True)
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [parade], CURRENT[1])
    return home


def test_sentences_that_list_a_pair_among_other_countries_can_be_left_out(listed_home):
    """"Trump's Military Parade Set Beside Those of France, Russia and North Korea" was PRK-RUS evidence like any other."""
    with open_snapshot(listed_home) as con:
        scope = Scope(*CURRENT)
        assert queries.pair_totals(con, scope, "PRK-RUS") == {"sentences": 5, "listed": 1, "articles": 5,
                                                              "first_day": CURRENT[0], "last_day": CURRENT[1]}
        every = queries.pair_evidence(con, scope, "PRK-RUS")
        assert every.set_index("sentence")["listed"].to_dict()["Parades in North Korea, Russia and Mali."] is True
        kept = queries.pair_evidence(con, scope, "PRK-RUS", hide_listed=True)
        assert len(kept) == 4 and "Parades in North Korea, Russia and Mali." not in set(kept["sentence"])


def test_list_only_pairs_can_be_left_out_of_every_pair_count(list_only_home, tmp_path):
    """IRN-JPN is named only in lists of countries (6 articles) and once is the pair of an article about both with no
    sentence naming both; CHN-JPN's 6 sentences relate the two. With Scope.unlisted_only, an article counts for a
    pair only with a sentence naming it that is no list, or with none at all (about both); countries are counted as
    before."""
    every, unlisted = Scope(*CURRENT), Scope(*CURRENT, unlisted_only=True)
    assert not unlisted.filtered  # the per-day country aggregates still count every article right

    def together(con, scope, level):
        found = queries.cooccurrence(con, scope, ["CHN", "IRN", "JPN"], level, None)
        return {f"{a}-{b}": n for a, b, n in found[["iso_a", "iso_b", "together"]].values.tolist()}

    def rising(con, scope):
        return queries.rising_pairs(con, scope).set_index("pair")["current"].to_dict()

    with open_snapshot(list_only_home) as con:
        assert rising(con, every) == {"IRN-JPN": 7, "CHN-JPN": 6} and rising(con, unlisted) == {"CHN-JPN": 6}
        for scope, sentence, article in ((every, {"IRN-JPN": 6, "CHN-JPN": 6}, {"IRN-JPN": 7, "CHN-JPN": 6}),
                                         (unlisted, {"CHN-JPN": 6}, {"IRN-JPN": 1, "CHN-JPN": 6})):
            assert together(con, scope, "sentence") == sentence and together(con, scope, "article") == article
            counts = queries.series(con, scope, "pairs", ["IRN-JPN", "CHN-JPN"], "month")
            assert counts.groupby("series")["articles"].sum().to_dict() == {"CHN-JPN": 6, **article}
        before_about_both = Scope(CURRENT[0], CURRENT[1] - timedelta(days=1))  # the pairs without ABOUT_BOTH's day
        # PRK-RUS, CHN-RUS, IRN-RUS, CHN-JPN and, off, IRN-JPN
        assert [queries.kpis(con, replace(before_about_both, unlisted_only=on)).set_index("metric").at[
                    "pairs", "current"] for on in (False, True)] == [5, 4]
        # the Pair explorer's article counts and list, its sentence charts, and the Pairs filter
        assert [queries.pair_totals(con, scope, "IRN-JPN")["articles"] for scope in (every, unlisted)] == [7, 1]
        assert queries.pair_articles(con, unlisted, "IRN-JPN")["article_id"].tolist() == ["ab"]
        assert queries.pair_topics(con, unlisted, "IRN-JPN", "month").empty
        assert queries.pair_topics(con, every, "IRN-JPN", "month")["sentences"].sum() == 6
        assert [queries.daily_articles(con, replace(scope, pairs=("IRN-JPN",)))["articles"].sum()
                for scope in (every, unlisted)] == [7, 1]
        # the share of list-only rows, of every pair or of the pairs asked (Trends' lines): IRN-JPN's 6 lists of 7
        assert [queries.list_only_pairs(con, every, pairs) for pairs in ((), ("IRN-JPN",), ("CHN-JPN",))] == [
            (6, 19), (6, 7), (0, 6)]
        # country counts stand: Iran is named in every one of its articles
        assert (queries.top_countries(con, unlisted, 10).set_index("iso3").at["IRN", "articles"]
                == queries.top_countries(con, every, 10).set_index("iso3").at["IRN", "articles"] == 8)
    old = snapshot_without_pair_sentence_column(list_only_home, tmp_path, "listed")  # before migration 0025
    assert together(old, unlisted, "sentence") == {"IRN-JPN": 6, "CHN-JPN": 6}  # nothing is known to be a list
    old.close()


@pytest.mark.parametrize("level", queries.LEVELS)
def test_the_list_only_count_is_of_what_the_matrix_draws_at_its_level_and_topic(tmp_path, level):
    """Co-occurrence on military said 220 of 1,791 articles counted for a pair named it only in lists, and none of the
    military pairs it drew did: the count was of every pair at the article level. Of the matrix's cells, at its level
    and topic, the total is their articles together and the list-only ones those "Leave out list-only pairs" takes."""
    home = build_home(tmp_path / "home")
    listed_energy = [Story(f"e{n}", CURRENT[0] + timedelta(days=n), ("wire",), f"Oil {n}", "Japan, Iran and Peru buy oil.",
                           ("energy",), listed=True) for n in range(2)]
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [*LIST_ONLY, *RELATED, ABOUT_BOTH, *listed_energy], CURRENT[1])
    every, unlisted = Scope(*CURRENT), Scope(*CURRENT, unlisted_only=True)
    with open_snapshot(home) as con:
        countries = queries.top_countries(con, every, 40)["iso3"].tolist()
        counted = {}
        for topic in (None, "energy", "trade"):
            drawn = queries.cooccurrence(con, every, countries, level, topic)
            kept = queries.cooccurrence(con, unlisted, countries, level, topic)["together"].sum()
            counted[topic] = queries.list_only_pairs(con, every, tuple(drawn["iso_a"] + "-" + drawn["iso_b"]), topic,
                                                     level)
            assert counted[topic] == (drawn["together"].sum() - kept, drawn["together"].sum()), topic
    # the lists of six days and of the two energy days; on energy, Iran and Russia's sentence besides those two
    assert [counted[topic][0] for topic in counted] == [8, 2, 0] and counted["energy"][1] == 3


def test_an_article_naming_a_pair_in_a_list_and_in_a_sentence_relating_them_still_counts_for_it(tmp_path):
    """One sentence naming the pair that is no list keeps the article with "Leave out list-only pairs" on; the
    Pair explorer's sentence charts then count that sentence alone."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story("m1", CURRENT[1], ("wire",), "Oil", "Japan, Iran and Peru buy oil.",
                                              listed=True)], CURRENT[1])
        warehouse.con.execute("INSERT INTO pair_sentences BY NAME SELECT * REPLACE (1 AS sentence_index, false AS "
                              "listed, 'Japan and Iran sign a deal.' AS sentence) FROM pair_sentences "
                              "WHERE article_id = 'm1'")
        warehouse.con.execute("UPDATE article_pairs SET sentences = 2 WHERE article_id = 'm1'")
        publish(warehouse.con, home)
    with open_snapshot(home) as con:
        for on in (False, True):
            scope = Scope(*CURRENT, unlisted_only=on)
            for level in queries.LEVELS:
                assert queries.cooccurrence(con, scope, ["IRN", "JPN"], level, None)["together"].tolist() == [1]
            assert queries.series(con, scope, "pairs", ["IRN-JPN"], "month")["articles"].tolist() == [1]
            assert queries.pair_topics(con, scope, "IRN-JPN", "month")["sentences"].sum() == (1 if on else 2)
        assert queries.list_only_pairs(con, Scope(*CURRENT)) == (0, 7)  # none of the period's 7 is lists alone


def test_a_snapshot_without_the_listed_mark_shows_every_sentence(listed_home, tmp_path):
    """A snapshot published before migration 0025 has no pair_sentences.listed: nothing is known to be a list."""
    old = snapshot_without_pair_sentence_column(listed_home, tmp_path, "listed")
    scope = Scope(*CURRENT)
    assert queries.pair_totals(old, scope, "PRK-RUS") == {"sentences": 5, "listed": 0, "articles": 5,
                                                          "first_day": CURRENT[0], "last_day": CURRENT[1]}
    assert len(queries.pair_evidence(old, scope, "PRK-RUS", hide_listed=True)) == 5
    sentences = queries.article_tags(old, "l1", CURRENT[1])["pair_sentences"]  # the Articles page's drill-down
    assert transforms.article_sentences(sentences)["listed"].tolist() == [""]
    old.close()


def test_the_evidence_names_each_sentence_s_cue_words_and_a_snapshot_without_them_shows_none(factory_home, tmp_path):
    """The cue was the one tag whose evidence did not say which words counted. A snapshot published before migration
    0042 has no pair_sentences.cue_words: the cell is empty, not an error."""
    scope = Scope(*CURRENT)
    with open_snapshot(factory_home) as con:
        words = queries.pair_evidence(con, scope, "PRK-RUS").set_index("sentence")["cue_words"].to_dict()
    assert list(words["North Korea and Russia evade sanctions together."]) == ["evade sanctions"]
    old = snapshot_without_pair_sentence_column(factory_home, tmp_path, "cue_words")
    assert queries.pair_evidence(old, scope, "PRK-RUS")["cue_words"].isna().all()
    sentences = queries.article_tags(old, "c2", date(2025, 3, 9))["pair_sentences"]  # the Articles page's drill-down
    assert transforms.article_sentences(sentences)["cue_words"].tolist() == [[]]
    old.close()


def test_a_snapshot_published_before_dates_were_kept_as_written_opens_its_articles(factory_home, tmp_path):
    """A dashboard upgraded before its writer reads a snapshot without articles.published_as_written (migration 0056)
    until the next ingest: its articles list and open as before, their date as written unknown."""
    old = duckdb.connect(str(tmp_path / "old.duckdb"))
    old.execute(f"ATTACH '{snapshot_path(factory_home)}' AS snapshot (READ_ONLY)")
    old.execute("COPY FROM DATABASE snapshot TO old")
    old.execute("DETACH snapshot")
    old.execute("ALTER TABLE articles DROP COLUMN published_as_written")
    scope = Scope(*CURRENT)
    assert queries.search_articles(old, scope, "", in_body=False)["published_as_written"].isna().all()
    assert queries.article_brief(old, "c2", *CURRENT)["published_as_written"] is None
    [article] = queries.article_tags(old, "c2", date(2025, 3, 9))["article"].itertuples()
    assert pd.isna(article.published_as_written) and not pd.isna(article.published_at)
    old.close()


@pytest.fixture(scope="module")
def undated_con(undated_home):
    connection = open_snapshot(undated_home)
    yield connection
    connection.close()


def test_every_listed_row_says_whether_its_day_is_the_publication_day(undated_con):
    """An old story without a date, filed under the day it was stored, was listed as that day's news on every page."""
    scope = Scope(*CURRENT)
    listed = {"articles": queries.search_articles(undated_con, scope, "", in_body=False),
              "pair articles": queries.pair_articles(undated_con, scope, "PRK-RUS"),
              "pair evidence": queries.pair_evidence(undated_con, scope, "PRK-RUS"),
              "topic evidence": queries.topic_evidence(undated_con, scope, "military")}
    for name, frame in listed.items():
        undated = frame.loc[~frame["dated"], "title"].tolist()
        assert undated == ["Old accord"] and frame["dated"].sum() == len(frame) - 1, name
    assert queries.article_tags(undated_con, "u1", CURRENT[1])["article"].at[0, "date_quality"] == "missing"
    assert queries.article_tags(undated_con, "c7", CURRENT[1])["article"].at[0, "date_quality"] == "ok"
    window = Window("PRK", "RUS", None, *CURRENT)
    articles, sentences = (found[0] for found in (evidence_articles(undated_con, [window], 10),
                                                  evidence_sentences(undated_con, [window], 10)))
    assert {item["title"]: item["dated"] for item in articles} == {
        "Old accord": False, "Military pact": True, "Sanctions": True, "Warning": True,
        f"Troops {PAYLOADS[2]}": True}
    assert [item["dated"] for item in sentences].count(False) == 1 and len(sentences) == 5


def test_leaving_undated_articles_out_narrows_every_count_and_list(undated_con):
    """Counts that read the per-day aggregates (which count every article) must take the articles instead."""
    every, dated = Scope(*CURRENT), Scope(*CURRENT, dated_only=True)
    assert dated.filtered and not every.filtered
    for scope, expected in ((every, 8), (dated, 7)):
        assert queries.kpis(undated_con, scope).set_index("metric").at["articles", "current"] == expected
        assert queries.daily_articles(undated_con, scope)["articles"].sum() == expected
        assert len(queries.search_articles(undated_con, scope, "", in_body=False)) == expected
    assert queries.pair_totals(undated_con, dated, "PRK-RUS")["articles"] == 4
    assert len(queries.pair_evidence(undated_con, dated, "PRK-RUS")) == 4
    assert len(queries.topic_evidence(undated_con, dated, "military")) == 2  # c1, c7: c2 has no word stored
    assert queries.series(undated_con, dated, "pairs", ["PRK-RUS"], "month")["articles"].sum() == 4
    either = queries.either_country_totals(undated_con, dated, ["PRK-RUS"], "month")  # RUS: all but u1
    assert either["articles"].sum() == 7
    together = queries.cooccurrence(undated_con, dated, ["PRK", "RUS"], "article", None)
    assert together[["together", "named_both"]].values.tolist() == [[4, 4]]
    assert queries.articles_by_date_quality(undated_con, dated) == {"ok": 7}
    # PRK-RUS rose 1 -> 5 with its undated article, one of them: without it, its 4 articles are under the floor
    assert queries.rising_pairs(undated_con, every).set_index("pair").at["PRK-RUS", "undated"] == 1
    assert "PRK-RUS" not in set(queries.rising_pairs(undated_con, dated)["pair"])


def pair_stories(name: str, text: str, day: date, count: int) -> list[Story]:
    return [Story(f"{name}{n}", day, ("wire",), f"{name} {n}", text) for n in range(count)]


def rising_stories(background_now: int) -> list[Story]:
    before, now = PREVIOUS[0], CURRENT[0]
    return [*pair_stories("new", "North Korea and Russia meet.", now, 2),  # 0 -> 2: under the floor
            *pair_stories("chn", "China and Russia meet.", before, 30),  # 30 -> 31: within chance
            *pair_stories("chn_now", "China and Russia meet.", now, 31),
            *pair_stories("irn", "Iran and Japan meet.", before, 4),  # 4 -> 16: z = (16 - ½ - 10) / √5 = 2.46
            *pair_stories("irn_now", "Iran and Japan meet.", now, 16),
            *pair_stories("jpn", "Japan and China meet.", now, 8),  # 0 -> 8: z = (8 - ½ - 4) / √2 = 2.47
            *pair_stories("kor", "North Korea and Japan meet.", before, 4),  # 4 -> 12: z = 1.75 (1.0 is 8 > √16)
            *pair_stories("kor_now", "North Korea and Japan meet.", now, 12),
            *pair_stories("rus", "Iran and Russia meet.", before, 7),  # 7 -> 12, a review's: z = 0.92 (5 > √19)
            *pair_stories("rus_now", "Iran and Russia meet.", now, 12),
            # 101 articles in each period (p = ½), plus `background_now`
            *pair_stories("bg", "Japan's economy grew.", before, 56),
            *pair_stories("bg_now", "Japan's economy grew.", now, 20 + background_now)]


def test_rising_pairs_need_a_floor_of_articles_and_a_gain_beyond_chance(tmp_path):
    """Ranked by gain alone, a pair going 0 -> 1 listed beside pairs gaining hundreds of mentions, and so did 30 -> 31;
    with a gain of one standard deviation as the bar (√ of both periods' articles), about one unchanged pair in seven
    (a methodologist's review: 7 -> 12). A pair rises with RISING_MIN_ARTICLES articles in the period and a gain chance
    makes less than once in a hundred."""
    with open_snapshot(build_home(tmp_path / "home", stories=rising_stories(0))) as connection:
        rising = queries.rising_pairs(connection, Scope(*CURRENT))
    assert rising[["pair", "current", "previous", "change"]].values.tolist() == [["IRN-JPN", 16, 4, 12],
                                                                                 ["CHN-JPN", 8, 0, 8]]


def test_a_period_whose_feeds_stored_more_lifts_no_pair(tmp_path):
    """The same pairs when this period holds twice as many articles (p = ⅔): 4 -> 16 and 0 -> 8 are the corpus's
    growth, z = 1.03 and 1.63."""
    with open_snapshot(build_home(tmp_path / "home", stories=rising_stories(101))) as connection:
        assert queries.rising_pairs(connection, Scope(*CURRENT)).empty


@pytest.fixture(scope="module")
def ranked_con(tmp_path_factory):
    """Pairs at the edges of the rising table's rules, 93 articles in each period (p = ½)."""
    before, now = PREVIOUS[0], CURRENT[0]
    topical = [Story(f"jpn_{topic}{n}", day, ("wire",), f"{topic} {n}", "North Korea and Japan meet.", (topic,))
               for topic, counts in (("trade", (3, 5)), ("military", (1, 3))) for day, count in zip((before, now), counts)
               for n in range(count)]
    stories = [*pair_stories("chn_now", "China and Russia meet.", now, 30),  # 0 -> 30: the greater change
               *pair_stories("prk", "North Korea and Japan meet.", before, 16),  # 20 -> 40 with `topical`: more now
               *pair_stories("prk_now", "North Korea and Japan meet.", now, 32),
               *topical,
               *pair_stories("irn", "Iran and Japan meet.", before, 2),  # 2 -> 11: (11 - ½ - 6.5) / √3.25 = 2.22
               *pair_stories("irn_now", "Iran and Japan meet.", now, 11),
               *pair_stories("rus", "Iran and Russia meet.", before, 2),  # 2 -> 12: (12 - ½ - 7) / √3.5 = 2.41
               *pair_stories("rus_now", "Iran and Russia meet.", now, 12),
               *pair_stories("bg", "Japan's economy grew.", before, 69)]
    with open_snapshot(build_home(tmp_path_factory.mktemp("ranked") / "home", stories=stories)) as connection:
        yield connection


def test_a_rise_within_the_continuity_correction_is_not_listed(ranked_con):
    """2 -> 11 in a corpus as large in both periods is z = 2.22 with the half-article correction, 2.50 without it:
    the normal approximation then lists small pairs that chance lifts more often than the one in a hundred the table
    promises (RISING_Z). 2 -> 12 passes (2.41)."""
    rising = queries.rising_pairs(ranked_con, Scope(*CURRENT))
    assert "IRN-JPN" not in set(rising["pair"])
    assert rising.set_index("pair").loc["IRN-RUS", ["current", "previous"]].tolist() == [12, 2]


def test_a_short_rising_table_keeps_the_greatest_changes(ranked_con):
    """The cut-off is by change, as the table is ranked: CHN-RUS gains 30, JPN-PRK 20 with more articles now. Cut by
    articles now, the Overview's top rise would be a pair that gained less."""
    rising = queries.rising_pairs(ranked_con, Scope(*CURRENT), limit=1)
    assert rising[["pair", "current", "previous", "change"]].values.tolist() == [["CHN-RUS", 30, 0, 30]]


def test_a_rising_pairs_topic_of_changes_alike_is_the_one_with_more_articles_now(ranked_con):
    """trade 3 -> 5 and military 1 -> 3 both gain 2: the pair's rise is mostly on trade, which the table names
    (by name alone it named military, the smaller)."""
    rising = queries.rising_pairs(ranked_con, Scope(*CURRENT)).set_index("pair")
    assert rising.loc["JPN-PRK", ["current", "previous", "top_topic", "top_topic_change"]].tolist() == [
        40, 20, "trade", 2]


def test_a_pairs_articles_outside_the_dates_are_counted_with_their_first_and_last_day(undated_con):
    """PRK-RUS showed "No article pairs these two countries" on default dates although it had 16 articles before."""
    stored = (PREVIOUS[0], CURRENT[1])
    late = Scope(date(2025, 3, 10), CURRENT[1])
    assert queries.pair_articles_elsewhere(undated_con, late, "PRK-RUS", None, "article", *stored) == {
        "articles": 3, "first_day": date(2025, 3, 3), "last_day": date(2025, 3, 9)}
    narrowed = replace(late, dated_only=True, start=date(2025, 3, 2), end=date(2025, 3, 8))  # other filters stand
    assert queries.pair_articles_elsewhere(undated_con, narrowed, "PRK-RUS", "military", "sentence", *stored) == {
        "articles": 2, "first_day": date(2025, 3, 9), "last_day": date(2025, 3, 14)}
    assert queries.pair_articles_elsewhere(undated_con, Scope(*stored), "PRK-RUS", None, "article", *stored) == {
        "articles": 0, "first_day": None, "last_day": None}


def test_filter_values_are_parameters_not_sql(con):
    hostile = Scope(*CURRENT, countries=("RUS') OR TRUE --",), outlets=("x' OR '1'='1",))
    assert queries.daily_articles(con, hostile).empty


def test_all_topics_keeps_only_the_articles_with_every_one(con):
    either = Scope(*CURRENT, topics=("military", "sanctions"))
    both = Scope(*CURRENT, topics=("military", "sanctions"), all_topics=True)
    assert sorted(queries.search_articles(con, either, "", in_body=False)["article_id"]) == ["c1", "c2", "c3", "c7"]
    assert queries.search_articles(con, both, "", in_body=False)["article_id"].tolist() == ["c2"]
    assert queries.daily_articles(con, both)["articles"].sum() == 1
    one = Scope(*CURRENT, topics=("military",), all_topics=True)  # all of one topic is that topic
    assert len(queries.search_articles(con, one, "", in_body=False)) == 3


def test_the_articles_list_names_each_articles_focus_most_salient_first(con):
    """A list opened from a chart (a pair's bar, a topic's point) said nothing of why each article was in it."""
    listed = queries.search_articles(con, Scope(*CURRENT), "", in_body=False).set_index("article_id")["focus"]
    stored = con.execute("SELECT article_id, list(iso3 ORDER BY salience DESC, iso3) FROM article_countries "
                         "WHERE is_focus GROUP BY article_id").fetchall()
    assert {article: list(focus) for article, focus in listed.items()} == {
        article: focus for article, focus in stored if article in listed.index} | {
        article: [] for article in listed.index if article not in dict(stored)}
    assert listed["c2"].tolist() == ["PRK", "RUS"]


def test_search_finds_every_word_anywhere_and_quoted_phrases_whole(con):
    """"Russia North Korea" found only that exact phrase; the words are each to be found, a quoted phrase whole."""
    scope = Scope(start=CURRENT[0], end=CURRENT[1])
    holding = sorted(story.key for story in STORIES if CURRENT[0] <= story.day <= CURRENT[1]
                     and all(word in f"{story.title} {story.text}".lower() for word in ("korea", "russia")))
    found = queries.search_articles(con, scope, "korea RUSSIA", in_body=True)["article_id"].tolist()
    assert holding and sorted(found) == holding
    assert queries.search_articles(con, scope, '"korea north"', in_body=True).empty
    assert sorted(queries.search_articles(con, scope, '"north korea" russia', in_body=True)["article_id"]) == holding
    assert queries.search_terms('sanctions "North Korea" "open') == ["sanctions", "North Korea", "open"]
    assert queries.search_terms("  ") == [] and queries.search_terms("a A a korea") == ["a", "korea"]
    assert queries.search_terms('“north  korea ” "" ”') == ["north korea"]  # curly quotes; blanks and empty dropped
    # a search uses its first ten different words: past them, a word that matches nothing changes nothing
    ten = " ".join(["korea", "russia", "k*", "ko*", "kor*", "kore*", "r*", "ru*", "rus*", "russ*"])
    assert len(queries.search_terms(ten)) == 10 and not queries.search_articles(con, scope, ten, in_body=True).empty
    assert queries.search_articles(con, scope, ten + " zzzz", in_body=True).equals(
        queries.search_articles(con, scope, ten, in_body=True))
    assert queries.search_articles(con, scope, " ".join(ten.split()[:9]) + " zzzz", in_body=True).empty


def test_search_matches_whole_words_or_a_words_start(tmp_path):
    """"US" found 644 titles naming Russia; "war" the software of "warships". A word matches whole, "word*" its start,
    in any script, and the punctuation of "U.S." or "(AI)" is literal."""
    home = build_home(tmp_path / "home")
    titles = {"ru": "Russia and Iran talk", "us": "US and Iran talk", "dots": "U.S.-Iran talks", "cy": "Россия и Иран",
              "cy2": "Россиянин в Иране", "ships": "Warships near Iran", "war": "War fears in Iran",
              "ai": "Iran bets on (AI) chips", "zh": "中国和俄罗斯签署协议", "ja": "ロシアと中国が会談",
              "ar": "الصين وروسيا توقعان اتفاقا", "hi": "भारतीय सेना", "x": "Iran and x, y"}
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story(key, CURRENT[1], ("wire",), title, f"{title}.") for key, title in
                                        titles.items()], CURRENT[1])
    connection = open_snapshot(home)
    try:
        def found(text: str) -> set[str]:
            listed = set(queries.search_articles(connection, Scope(*CURRENT), text, in_body=False)["title"])
            return {key for key, title in titles.items() if title in listed}

        assert found("us") == {"us"}
        assert found("U.S.") == {"dots"} and found("U.") == set()
        assert found("war") == {"war"} and found("war*") == {"war", "ships"}
        assert found("россия") == {"cy"} and found("россия*") == {"cy", "cy2"}  # a Cyrillic word ends at a space
        assert found("(AI)") == {"ai"} and found("ai") == {"ai"}
        assert found('"iran talk"') == {"ru", "us"} and found("iran talk*") == {"ru", "us", "dots"}
        # scripts that write words together, or join little words to them, match anywhere: no word boundary to find
        assert found("中国") == {"zh", "ja"} and found("روسيا") == {"ar"}
        assert found("भारत") == set() and found("भारत*") == {"hi"}  # a vowel sign continues the word
        assert found("C++") == set() and found("x,") == {"x"}  # RE2's specials are literal
    finally:
        connection.close()


def test_search_treats_wildcards_literally(con):
    scope = Scope(*CURRENT)
    assert queries.search_articles(con, scope, "%", in_body=False).empty
    assert queries.search_articles(con, scope, "_", in_body=False).empty
    assert len(queries.search_articles(con, scope, "", in_body=False)) == 7


def list_in_pages(con, scope: Scope, text: str, size: int) -> list[list[str]]:
    """Every page of the Articles list, `size` articles each, walked as the page's Older button does."""
    total, _ = queries.search_count(con, scope, text, False)
    starts = [queries.search_page_start(con, scope, text, False, position) for position in range(0, total, size)]
    return [queries.search_articles(con, scope, text, False, start, limit=size)["article_id"].tolist()
            for start in starts]


def test_the_article_list_pages_through_every_match_once(crowded_home):
    """The Articles page listed the newest 500 matches only: older ones could not be reached at all."""
    scope = Scope(*CURRENT)
    with open_snapshot(crowded_home) as connection:
        pages = list_in_pages(connection, scope, "briefing", size=7)  # ~86 briefings a day: pages cut through days
        every = queries.search_articles(connection, scope, "briefing", False, limit=1000)
        assert queries.search_count(connection, scope, "briefing", False) == (600, 0)
        assert queries.search_page_start(connection, scope, "briefing", False, 600) is None  # past the end
    listed = [article for page in pages for article in page]
    assert len(pages) == 86 and all(len(page) == 7 for page in pages[:-1]) and len(pages[-1]) == 600 % 7
    assert listed == every["article_id"].tolist()  # none twice, none missing, the one order
    days = every["day"].tolist()
    assert days == sorted(days, reverse=True) and len(set(days)) == 7  # newest first, ties on every day
    on_a_day = every[every["day"] == every["day"].iloc[0]]["article_id"].tolist()
    assert on_a_day == sorted(on_a_day, reverse=True)  # ties in a fixed order, so each page lists the same each time


def test_the_list_is_newest_first_by_time_within_a_day_and_pages_keep_that_order(tmp_path):
    """A day's articles were listed in id order: the 17:15 story came 7th. An undated one counts from when it was
    first stored."""
    home = build_home(tmp_path / "home")
    day = CURRENT[1]
    hours = {"k1": 9, "k2": 17, "k3": 6, "k4": 12, "k5": None}  # None: no date, first stored at the factory's time
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story(key, day, ("wire",), f"Zephyr {key}", "Russia and China.",
                                              undated=hour is None) for key, hour in hours.items()], day)
        for key, hour in hours.items():
            if hour is not None:
                warehouse.con.execute("UPDATE articles SET published_at = ? WHERE article_id = ?",
                                      [datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc), key])
        publish(warehouse.con, home)
    with open_snapshot(home) as connection:
        stored_at = connection.execute("SELECT first_seen_at FROM articles WHERE article_id = 'k5'").fetchone()[0]
        at = {key: (datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc) if hour is not None
                    else stored_at) for key, hour in hours.items()}
        expected = sorted(at, key=lambda key: (at[key], key), reverse=True)
        listed = queries.search_articles(connection, Scope(*CURRENT), "zephyr", False)
        assert listed["article_id"].tolist() == expected
        assert [value.to_pydatetime() for value in listed["time"]] == [at[key] for key in expected]
        assert [a for page in list_in_pages(connection, Scope(*CURRENT), "zephyr", size=2) for a in page] == expected


def test_a_page_of_the_list_keeps_its_articles_when_newer_ones_arrive(tmp_path):
    """A page is named by its first article, not by how many come before it: an ingest publishing newer articles
    between two clicks neither repeats nor skips any on it, and it counts the articles now before it."""
    home = build_home(tmp_path / "home")
    scope = Scope(*CURRENT)
    with open_snapshot(home) as connection:
        start = queries.search_page_start(connection, scope, "", False, 3)
        before = queries.search_articles(connection, scope, "", False, start, limit=3)["article_id"].tolist()
    with Warehouse(home.writer_db) as warehouse:
        newer = [Story(f"n{n}", CURRENT[1], ("wire",), "Late news", "Russia holds a briefing.") for n in (1, 2)]
        write_stories(warehouse, home, newer, CURRENT[1])  # on the newest day: listed first
    with open_snapshot(home) as connection:
        assert queries.search_articles(connection, scope, "", False, start, limit=3)["article_id"].tolist() == before
        assert queries.search_count(connection, scope, "", False, start) == (9, 5)
    assert before == ["c4", "c3", "c2"]


def test_the_pair_evidence_and_articles_carry_what_a_citation_needs(tmp_path):
    """Review J: the Pair explorer's evidence download had no time as published or as written, no field (headline or
    body) and nothing saying the outlet later changed the article; its Articles panel showed them one at a time."""
    home = build_home(tmp_path / "home")
    day = next(story.day for story in STORIES if story.key == "c2")
    with Warehouse(home.writer_db) as warehouse:
        write_revisions(warehouse, home, [{"article_id": "c2", "day": day, "feed_id": "wire", "title": "Corrected",
                                           "text": "Iran, not North Korea.", "url": None, "content_hash": "h1"}],
                        CURRENT[1])
    scope, seen = Scope(*CURRENT), datetime(2025, 3, 14, 9, tzinfo=timezone.utc)
    with open_snapshot(home) as con:
        for found in (queries.pair_evidence(con, scope, "PRK-RUS"), queries.pair_articles(con, scope, "PRK-RUS")):
            rows = found.set_index("article_id")
            assert rows.loc["c2", ["revisions", "last_revision_seen_at"]].tolist() == [1, seen]
            assert rows.drop(index="c2")["revisions"].tolist() == [0, 0, 0]
            assert rows["last_revision_seen_at"].drop(index="c2").isna().all()
            assert rows.at["c1", "published_at"] == datetime(2025, 3, 8, 8, tzinfo=timezone.utc)
            assert rows.at["c1", "published_as_written"] == "2025-03-08T08:00:00+00:00"
        assert set(queries.pair_evidence(con, scope, "PRK-RUS")["field"]) == {"text"}


def test_evidence_spans_are_relative_to_the_sentence(con):
    evidence = queries.pair_evidence(con, Scope(*CURRENT), "PRK-RUS")
    for sentence, spans in zip(evidence["sentence"], evidence["spans"]):
        words = {sentence[start:end] for start, end in spans}
        assert words == {"Russia", "North Korea"}


def test_feed_changes_mark_feeds_that_stopped(con):
    changes = queries.feed_changes(con, date(2025, 3, 1), date(2025, 3, 31))
    assert changes[["change", "feed_ids"]].values.tolist() == [["stopped", "flaky, ghost"]]
    assert changes.at[0, "why"] == "flaky: failing (4 failed fetches in a row); ghost: gone"


def test_feed_changes_read_a_snapshot_published_before_feed_health_had_reasons(tmp_path):
    """Before migration 0035, v_feed_health had no health_reason, empty_fetches nor last_new_article_at: a dashboard
    upgraded before its writer reads such a snapshot until the next ingest."""
    old = duckdb.connect(str(tmp_path / "old.duckdb"))
    migrate(old, target=34)
    old.execute("INSERT INTO feeds (feed_id, url, enabled, gone, last_success_at, added_at) "
                "VALUES ('ghost', 'https://feeds.example/ghost.xml', true, true, ?, ?)",
                [datetime(2025, 3, 2, 9, tzinfo=timezone.utc)] * 2)
    changes = queries.feed_changes(old, *PREVIOUS)
    old.close()
    assert changes[["change", "feed_ids", "why"]].values.tolist() == [["stopped", "ghost", "ghost: gone"]]


def test_a_day_that_added_many_feeds_names_the_first_ten_and_counts_the_rest(tmp_path):
    """The Trends chart shows a feed-set change's `why` in a tooltip: a day that added 3,000 feeds (an archive's
    sources) listed every one of them, a tooltip far taller than the screen."""
    home = build_home(tmp_path / "home")
    moment = datetime.combine(CURRENT[0], datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=12)
    with Warehouse(home.writer_db) as warehouse:
        for n in range(25):
            warehouse.con.execute("INSERT INTO fetches (run_id, feed_id, fetched_at, outcome, entries, new_articles) "
                                  "VALUES (1, ?, ?, 'ok', 0, 0)", [f"new{n:02d}", moment])
        publish(warehouse.con, home)
    connection = open_snapshot(home)
    try:
        changes = queries.feed_changes(connection, *CURRENT)
    finally:
        connection.close()
    added = changes[changes["change"] == "added"].iloc[0]
    assert added["feeds"] == 25
    assert added["feed_ids"] == ", ".join(f"new{n:02d}" for n in range(10)) + ", and 15 more"
    assert added["why"] == "; ".join(f"new{n:02d}: first fetched" for n in range(10)) + "; and 15 more"


def test_pair_cues_count_the_sentences_that_name_a_third_country(tmp_path):
    """A review of real news found India–Russia's confrontation cues were 12 of 12 about US tariffs on India's
    purchases of Russian oil: the chart needs to say how many cued sentences name a third country."""
    import json

    from tests.test_cli_usage import invoke

    archive = tmp_path / "archive.jsonl"
    titles = ["Trump Doubles the Tariff on India, Citing Its Russian Oil Purchases",
              "India and Russia sign a long-term oil supply agreement"]
    archive.write_text("".join(json.dumps({"id": str(n), "title": title, "text": "Markets moved.", "source": "wire",
                                           "url": f"https://news.example/{n}", "published": "2025-08-06T10:00:00Z"})
                               + "\n" for n, title in enumerate(titles)))
    home = tmp_path / "home"
    invoke(home, "import", str(archive))
    connection = open_snapshot(Home.resolve(home))
    try:
        cues = queries.pair_cues(connection, Scope(date(2025, 8, 1), date(2025, 8, 31)), "IND-RUS", "month")
    finally:
        connection.close()
    assert cues[["cue", "sentences", "naming_others"]].values.tolist() == [["confrontation", 1, 1],
                                                                         ["cooperation", 1, 0]]


def test_unknown_grain_is_refused(con):
    with pytest.raises(ValueError):
        queries.series(con, Scope(*CURRENT), "countries", ["RUS"], "hour'); DROP TABLE articles; --")


def test_pair_topics_count_each_sentence_once_in_the_bucket_total(con):
    """A sentence with two topics is a mention of each: stacked, the topics exceed the sentences."""
    topics = queries.pair_topics(con, Scope(*CURRENT), "PRK-RUS", "month")
    sentences = con.execute("SELECT count(*) FROM pair_sentences WHERE iso_a = 'PRK' AND iso_b = 'RUS' "
                            "AND day BETWEEN ? AND ?", list(CURRENT)).fetchone()[0]
    assert topics.groupby("bucket")["bucket_sentences"].first().sum() == sentences
    assert topics["sentences"].sum() >= sentences


def test_a_feed_only_demo_or_import_runs_fetched_did_not_stop(tmp_path):
    """`pactwatch demo` registers its feeds disabled after its runs: every demo feed was a 'stopped' rule on the
    Trends chart ("a feed that stopped working"), and still was when the demo's runs crossed midnight. A feed
    disabled after polling did stop."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE feeds SET enabled = false WHERE feed_id IN ('wire', 'daily')")
        for run_id, day in ((98, PREVIOUS[1]), (99, CURRENT[0])):  # two demo runs, one each side of midnight
            moment = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
            warehouse.con.execute("INSERT INTO runs (run_id, kind, started_at, finished_at, status) "
                                  "VALUES (?, 'demo', ?, ?, 'completed')", [run_id, moment, moment])
            warehouse.con.execute("UPDATE fetches SET run_id = ?, fetched_at = ? WHERE feed_id = 'daily' "
                                  "AND run_id = ?", [run_id, moment, run_id - 97])
        publish(warehouse.con, home)
    connection = open_snapshot(home)
    try:
        changes = queries.feed_changes(connection, PREVIOUS[0], CURRENT[1])
    finally:
        connection.close()
    stopped = changes[changes["change"] == "stopped"]
    assert stopped["feed_ids"].tolist() == ["flaky, ghost", "wire"]  # not daily, fetched on one day only


def test_article_tags_hold_what_the_tagger_stored_for_one_article(con):
    story = next(s for s in STORIES if s.key == "c7")
    found = queries.article_tags(con, story.key, story.day)
    assert found["article"][["title", "text", "outlet", "url"]].to_dict("records") == [
        {"title": story.title, "text": story.text, "outlet": "Daily", "url": story.url}]
    assert found["countries"][["iso3", "is_focus"]].values.tolist() == [["PRK", True], ["RUS", True]]
    assert found["mentions"][["iso3", "surface", "kind", "field"]].values.tolist() == [
        ["PRK", "North Korea", "name", "text"], ["RUS", "Russia", "name", "text"]]
    [sentence] = found["pair_sentences"].to_dict("records")
    russia = story.text.index("Russia")
    assert [sentence["iso_a"], sentence["iso_b"], sentence["cue"], list(sentence["topics"])] == [
        "PRK", "RUS", "cooperation", ["military"]]
    assert [list(span) for span in sentence["spans"]] == [[0, 11], [russia, russia + 6]]  # relative to the sentence
    assert found["topics"]["topic"].tolist() == ["military"]
    assert found["topic_hits"][["topic", "surface", "field"]].values.tolist() == [["military", "military", "text"]]


def test_article_tags_look_an_article_up_by_its_day_too(con):
    """The day is part of every lookup (DuckDB skips the row groups of other days): another day finds nothing, and
    an id is a parameter, never SQL."""
    story = next(s for s in STORIES if s.key == "c2")
    assert all(frame.empty for frame in queries.article_tags(con, story.key, story.day + timedelta(days=1)).values())
    assert all(frame.empty for frame in queries.article_tags(con, "c2' OR '1'='1", story.day).values())


def test_article_tags_read_a_snapshot_published_before_topic_words_were_kept(tmp_path):
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("DROP TABLE topic_hits")  # as a snapshot of the code before migration 0021 has it
        story = next(s for s in STORIES if s.key == "c4")
        found = queries.article_tags(warehouse.con, story.key, story.day)
    assert found["topics"]["topic"].tolist() == ["trade"] and found["topic_hits"].empty
    assert transforms.article_why(found).words.empty


def test_a_topic_a_pair_sentence_gave_says_so(tmp_path):
    home = build_home(tmp_path / "home")
    story = next(s for s in STORIES if s.topics)
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE article_topics SET raised = true WHERE article_id = ?", [story.key])
        why = transforms.article_why(queries.article_tags(warehouse.con, story.key, story.day))
    assert set(why.topics["given_by"]) == {transforms.GIVEN_BY_PAIR}


def test_an_article_naming_no_country_still_shows_the_topics_stored_for_it(tmp_path):
    """The tagger scores topics whatever the countries, and every article's topics are stored: an article naming no
    country opened on the Articles page read "carries no tags at all: no pairs, no topics" over its stored topics."""
    title, text = "New sanctions bite", "The sanctions package and an oil embargo hit exports."
    tags = load_tagger().tag(title, text)
    assert not tags.countries and [topic.topic for topic in tags.topics][:1] == ["sanctions"]
    home = build_home(tmp_path / "home")
    story = next(s for s in STORIES if s.key == "c3")  # its country rows removed: what the writer stores for such text
    with Warehouse(home.writer_db) as warehouse:
        for table in ("mentions", "article_countries", "pair_sentences", "article_pairs"):
            warehouse.con.execute(f"DELETE FROM {table} WHERE article_id = ?", [story.key])
        found = queries.article_tags(warehouse.con, story.key, story.day)
        version = warehouse.con.execute("SELECT tagger_version FROM article_topics WHERE article_id = ?",
                                        [story.key]).fetchone()[0]
    why = transforms.article_why(found)
    assert why.tagger_version == version and why.topics["topic"].tolist() == ["sanctions"]
    assert list(why.topics.columns) == ["topic", "score", "hits", "words", "given_by"]
    assert why.topics["given_by"].tolist() == ["its score"]
    notes = transforms.article_notes(why, version)
    assert notes and not [note for note in notes if "no topics" in note]


def _read_as(home, stories: dict[str, str]) -> list[Story]:
    """Stories stored without a language, which the tagger read as the one given (article_languages), one a day."""
    read = [Story(key, CURRENT[0] + timedelta(days=n), ("wire",), f"Gelesen {key}", "Russland und China.",
                  read_language=language) for n, (key, language) in enumerate(stories.items())]
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, read, CURRENT[1])
    return read


def test_the_languages_filter_matches_the_language_an_article_was_read_in(tmp_path):
    """heise declares no language and its articles are read as German: the Languages filter matched the declared tag
    only, so `de` left them out, `ru` (read, never declared) could not be picked, and the list showed no language."""
    home = build_home(tmp_path / "home")
    _read_as(home, {"g1": "de", "r1": "ru", "r2": "ru", "r3": "ru"})
    con = open_snapshot(home)
    try:
        # most articles first, read ones counted: 3 read as Russian before Flaky's 1 declared and 1 read as German
        assert queries.filter_options(con)["languages"] == ["en", "ru", "de"]
        german = Scope(*CURRENT, languages=("de",))
        assert queries.daily_articles(con, german)["articles"].sum() == 2
        listed = queries.search_articles(con, german, "", False).set_index("article_id")
        assert listed["language"].to_dict() == {"g1": "de", "c5": "de"}
        assert listed["language_read"].to_dict() == {"g1": True, "c5": False}, "declared or read, the row says"
        assert queries.kpis(con, german).set_index("metric").at["articles", "current"] == 2
        everything = queries.search_articles(con, Scope(*CURRENT), "", False).set_index("article_id")["language"]
        assert everything["r1"] == "ru" and everything["c1"] == "en"
    finally:
        con.close()


def test_the_languages_filter_offers_a_language_once_whatever_region_its_articles_declare(tmp_path):
    """The captured feeds declare de, de-AT and de-DE: German was three choices of the Languages filter, and picking
    `de` left out the Austrian and German articles. One choice per language, as the tagger reads it."""
    home = build_home(tmp_path / "home")
    regional = [Story(key, CURRENT[0], (feed,), f"Regional {key}", "Russland und China.", declared=tag)
                for key, feed, tag in (("at1", "flaky", "de-AT"), ("de1", "flaky", "DE-de"), ("gb1", "wire", "en-GB"))]
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, regional, CURRENT[1])
    _read_as(home, {"g1": "de"})
    con = open_snapshot(home)
    try:
        assert queries.filter_options(con)["languages"] == ["en", "de"]
        german = Scope(*CURRENT, languages=("de",))
        listed = queries.search_articles(con, german, "", False).set_index("article_id")["language"].to_dict()
        assert listed == {"at1": "de", "de1": "de", "g1": "de", "c5": "de"}
        assert queries.kpis(con, german).set_index("metric").at["articles", "current"] == 4
        english = queries.search_articles(con, Scope(*CURRENT, languages=("en",)), "", False)["article_id"]
        assert "gb1" in set(english) and not {"at1", "de1", "g1", "c5"} & set(english)
    finally:
        con.close()


def test_the_languages_filter_reads_a_snapshot_published_before_languages_were_read(tmp_path):
    """A snapshot of the code before migration 0024 has no article_languages: the declared tag alone, no error."""
    home = build_home(tmp_path / "home")
    _read_as(home, {"g1": "de"})
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("DROP TABLE article_languages")
        publish(warehouse.con, home)
    con = open_snapshot(home)
    try:
        assert queries.filter_options(con)["languages"] == ["en", "de"]
        german = Scope(*CURRENT, languages=("de",))
        assert queries.search_articles(con, german, "", False)["article_id"].tolist() == ["c5"]
        assert queries.kpis(con, german).set_index("metric").at["articles", "current"] == 1
        listed = queries.search_articles(con, Scope(*CURRENT), "", False).set_index("article_id")
        assert listed["language"]["g1"] == "en" and listed["language"]["c5"] == "de"  # none declared: English
        assert listed.index[listed["language_read"]].tolist() == ["g1"]
    finally:
        con.close()


def pinned_numbers(con, scope: Scope) -> dict:
    """What the pages count in `scope`, each query a page reads a scope through: counts, series, denominators (the
    per-day aggregates' path when the scope is not filtered), co-occurrence, evidence and lists."""
    pairs = queries.cooccurrence(con, scope, ["CHN", "PRK", "RUS"], "article", None)
    return {"kpis": queries.kpis(con, scope).to_dict("list"),
            "daily": queries.daily_articles(con, scope).to_dict("list"),
            "series": queries.series(con, scope, "pairs", ["PRK-RUS"], "day").to_dict("list"),
            "totals": queries.bucket_totals(con, scope, "week").to_dict("list"),
            "either": queries.either_country_totals(con, scope, ["PRK-RUS", "CHN-RUS"], "week").to_dict("list"),
            "cooccurrence": pairs.to_dict("list"), "universe": queries.scope_total(con, scope),
            "top": queries.top_countries(con, scope, 3).to_dict("list"),
            "pair": queries.pair_totals(con, scope, "PRK-RUS"), "stories": queries.pair_stories(con, scope, "PRK-RUS"),
            "outlets": queries.pair_outlets(con, scope, "PRK-RUS").to_dict("list"),
            "evidence": queries.pair_evidence(con, scope, "PRK-RUS")[["article_id", "revisions"]].to_dict("list"),
            "articles": queries.pair_articles(con, scope, "PRK-RUS")[["article_id", "revisions"]].to_dict("list"),
            "topic": queries.topic_evidence(con, scope, "military")["title"].tolist(),
            "search": queries.search_articles(con, scope, "", in_body=False)["article_id"].tolist(),
            "rising": queries.rising_pairs(con, scope).to_dict("list")}


def test_a_view_pinned_to_a_run_counts_what_that_run_had_stored(tmp_path, factory_home):
    """A link fixes the dates, not the data: a later run's articles dated inside them (three copies of a wire story on
    PRK-RUS), and a later revision of an article, moved the numbers behind a quoted link without a word. Pinned to
    run 2 (Scope.as_of), the home counts what the factory home, which holds runs 1 and 2 alone, counts: through the
    per-day aggregates, which count every article, and through the articles themselves."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, WIRE_COPIES, CURRENT[1])
        write_revisions(warehouse, home, [{"article_id": "c2", "day": date(2025, 3, 9), "feed_id": "wire",
                                           "title": "Corrected", "text": "Iran, not North Korea.", "url": None,
                                           "content_hash": "h1"}], CURRENT[1])
    every, exact = Scope(*CURRENT), Scope(*CURRENT, languages=("en", "de"))  # every article, counted from them
    pinned = replace(every, as_of=2)
    assert pinned.filtered and not every.filtered
    with open_snapshot(factory_home) as before, open_snapshot(home) as after:
        then = pinned_numbers(before, every)
        assert pinned_numbers(before, exact) == then, "the aggregates' path and the articles' agree"
        assert pinned_numbers(before, pinned) == then, "nothing was stored after run 2"
        assert pinned_numbers(after, every) != then
        assert pinned_numbers(after, pinned) == then
        assert pinned_numbers(after, replace(exact, as_of=2)) == then
        assert queries.pair_totals(after, replace(every, as_of=3), "PRK-RUS")["articles"] == 7
