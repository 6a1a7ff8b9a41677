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
