"""`pactwatch import`: backfill archives (JSONL, CSV or Parquet) through the same dedup and tagging as feeds."""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from .feeds.models import FeedSpec, ParsedFeed
from .feeds.parse import article_from_record
from .home import Home
from .feeds.poll import make_parser_pool
from .ingest import BulkPublisher, FeedDocument, RunSummary, chunked, ingest_documents, register_feed_specs
from .store.warehouse import Warehouse

FIELDS = ("id", "title", "text", "url", "published", "source")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


class ArchiveFormatError(ValueError):
    """The file cannot be imported (unknown format, unreadable); bad rows are counted, not fatal."""


def read_records(path: Path) -> Iterator[dict]:
    """Rows of a .jsonl/.ndjson, .csv or .parquet file as dicts (streamed)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _jsonl_records(path)
    if suffix == ".csv":
        return _csv_records(path)
    if suffix == ".parquet":
        return _parquet_records(path)
    raise ArchiveFormatError(f"{path.name}: expected .jsonl, .csv or .parquet")


def _jsonl_records(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    record = None
                yield record if isinstance(record, dict) else {}


def _csv_records(path: Path) -> Iterator[dict]:
    csv.field_size_limit(10 << 20)
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        yield from csv.DictReader(handle)


def _parquet_records(path: Path) -> Iterator[dict]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    columns = [name for name in FIELDS if name in parquet.schema_arrow.names]
    for batch in parquet.iter_batches(batch_size=5000, columns=columns):
        yield from batch.to_pylist()


def source_feed(source: str, path: Path) -> FeedSpec:
    slug = _SLUG_JUNK.sub("-", source.lower()).strip("-")[:50] or "archive"
    return FeedSpec(feed_id=f"import-{slug}", url=path.resolve().as_uri(), name=f"{source} (imported)",
                    outlet=source, outlet_country=None, language=None, tier=3, tags=("import",), enabled=False)


def import_file(home: Home, warehouse: Warehouse, tagger, path: Path, batch_size: int = 5000) -> list[RunSummary]:
    """Import `path` in committed runs of `batch_size` records, tagging on every core."""
    base_url = path.resolve().as_uri()
    summaries, publisher = [], BulkPublisher(home, warehouse)
    with make_parser_pool() as pool:
        for records in chunked(read_records(path), batch_size):
            now = datetime.now(timezone.utc)
            documents = _documents(warehouse, records, path, base_url, now)
            summaries.append(ingest_documents(None, warehouse, tagger, documents, kind="import", now=now, executor=pool))
            publisher.committed()
    publisher.finish()
    return summaries


def _documents(warehouse: Warehouse, records: Iterable[dict], path: Path, base_url: str,
               now: datetime) -> list[FeedDocument]:
    by_source: dict[str, list] = defaultdict(list)
    rejected: dict[str, int] = defaultdict(int)
    for record in records:
        source = str(record.get("source") or path.stem)
        article = article_from_record({k: _text(record.get(k)) for k in FIELDS}, base_url, now)
        if article is None:
            rejected[source] += 1
        else:
            by_source[source].append(article)
    specs = {source: source_feed(source, path) for source in set(by_source) | set(rejected)}
    register_feed_specs(warehouse, specs.values(), now)
    feeds = {row["feed_id"]: row for row in warehouse.feed_rows()}
    return [FeedDocument(feeds[spec.feed_id], None,
                         ParsedFeed(entries=tuple(by_source[source]), title=source, error=None,
                                    bozo_reason=f"{rejected[source]} records without title, text or url"
                                    if rejected[source] else None))
            for source, spec in specs.items()]


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
