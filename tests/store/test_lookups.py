"""The writer's lookups that dedup leans on, on a real warehouse file."""
from __future__ import annotations

from datetime import timedelta

from pipeline.store.warehouse import Warehouse

from .conftest import NOW, article_row, run_row


def test_the_first_article_of_a_link_is_one_row_and_its_id_breaks_a_tie(tmp_path):
    """Two articles of one run share first_seen_at: the id and the day were each an arg_min of their own, free to
    come from different rows."""
    with Warehouse(tmp_path / "warehouse.duckdb") as warehouse:
        articles = [{**article_row(article_id, 1), "url": "https://example.org/story", "day": NOW.date() + offset}
                    for article_id, offset in (("b", timedelta(days=0)), ("a", timedelta(days=1)),
                                               ("c", timedelta(days=2)))]
        warehouse.write_run(run_row(1, len(articles)), articles=articles)
        found = warehouse.stored_by_link(["https://example.org/story"], NOW.date(), NOW.date() + timedelta(days=2))
    assert found == {"https://example.org/story": ("a", NOW.date() + timedelta(days=1))}
