from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipeline.home import Home
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse

NOW = datetime(2024, 6, 20, 12, 0, tzinfo=timezone.utc)


def run_row(run_id: int, new_articles: int) -> dict:
    return {"run_id": run_id, "kind": "ingest", "started_at": NOW, "finished_at": NOW, "status": "completed",
            "feeds_polled": 1, "not_modified": 0, "failures": 0, "new_articles": new_articles, "duplicates": 0,
            "seconds": 0.1, "tagger_version": "test", "error": None}


def article_row(article_id: str, run_id: int) -> dict:
    return {"article_id": article_id, "article_key": f"guid:{article_id}", "url": f"https://example.org/{article_id}",
            "title": f"Title {article_id}", "text": "Body.", "published_at": NOW,
            "published_as_written": NOW.isoformat(), "first_seen_at": NOW, "day": NOW.date(),
            "date_quality": "ok", "outlet": "Example", "outlet_country": "GBR", "language": "en",
            "content_hash": article_id, "title_key": f"Example|title {article_id}", "run_id": run_id}


def write_articles(warehouse: Warehouse, home: Home, count: int) -> int:
    run_id = warehouse.next_run_id()
    articles = [article_row(f"r{run_id}a{i}", run_id) for i in range(count)]
    warehouse.write_run(run_row(run_id, count), articles=articles)
    publish(warehouse.con, home)
    return run_id


def home_with_three_articles(root) -> Home:
    """A home at `root` with one published snapshot holding 3 articles."""
    pw_home = Home.resolve(root).ensure()
    with Warehouse(pw_home.writer_db) as warehouse:
        write_articles(warehouse, pw_home, 3)
    return pw_home


@pytest.fixture()
def published_home(home) -> Home:
    """A home with one published snapshot holding 3 articles."""
    return home_with_three_articles(home)
