"""The writer's lookups that dedup leans on, on a real warehouse file."""
from __future__ import annotations

from datetime import timedelta

from pipeline.store.warehouse import StoredPage, TitledStory, Warehouse

from .conftest import NOW, article_row, run_row


def test_the_stored_pages_of_a_link_are_those_of_its_days_each_told_keyed_by_its_link_or_not(tmp_path):
    """The same-link rule counts the stories keyed otherwise at a link: one keyed by its URL is told from them."""
    link = "https://example.org/story"
    articles = [{**article_row(article_id, 1), "article_key": key, "url": link, "day": NOW.date() + offset}
                for article_id, key, offset in (("a", f"url:{link}", timedelta(0)), ("b", "Wire:guid:b-1", timedelta(1)),
                                                ("c", f"url:{link}?id=7", timedelta(1)),
                                                ("d", "Wire:guid:b-2", timedelta(9)))]
    with Warehouse(tmp_path / "warehouse.duckdb") as warehouse:
        warehouse.write_run(run_row(1, len(articles)), articles=[*articles, article_row("e", 1)])
        found = warehouse.stored_pages([link], NOW.date(), NOW.date() + timedelta(days=2))
    assert sorted(found, key=lambda page: page.story.article_id) == [
        StoredPage(link, f"Title {row['article_id']}", keyed, TitledStory(NOW, "Body.", row["article_id"], row["day"]))
        for row, keyed in zip(articles[:3], (True, False, False))]


def test_a_runs_feeds_each_get_the_keys_of_their_own_stored_articles_under_the_links_asked_for_them(tmp_path):
    """One query for every feed of a run: a link two feeds carry gives each its own articles' keys, and a feed gets
    only the links asked for it (another feed's article at a link asked for this one is no key of this feed's)."""
    shared, both, other = "https://example.org/shared", "https://example.org/both", "https://example.org/other"
    placed = {"a": (shared, ["f1"]), "b": (shared, ["f2"]), "c": (both, ["f1", "f2"]), "d": (other, ["f2"]),
              "e": (shared, ["f1"])}
    articles = [{**article_row(article_id, 1), "article_key": f"Wire:guid:{article_id}", "url": url}
                for article_id, (url, _) in placed.items()]
    links = [{"article_id": article_id, "feed_id": feed_id, "day": NOW.date(), "first_seen_at": NOW, "run_id": 1}
             for article_id, (_, feeds) in placed.items() for feed_id in feeds]
    with Warehouse(tmp_path / "warehouse.duckdb") as warehouse:
        warehouse.write_run(run_row(1, len(articles)), articles=articles, article_feeds=links)
        found = warehouse.keys_by_feed_link({"f1": [shared, both, other], "f2": [shared], "f3": [both]})
        assert warehouse.keys_by_feed_link({}) == {}
    assert {feed: {url: sorted(keys) for url, keys in urls.items()} for feed, urls in found.items()} == {
        "f1": {shared: ["Wire:guid:a", "Wire:guid:e"], both: ["Wire:guid:c"]}, "f2": {shared: ["Wire:guid:b"]}}
