"""Benchmark data: the demo corpus (RSS snapshot files) and the same articles as JSONL/Parquet archives.

Everything streams file by file, so a 1M-article corpus is never held in memory.
"""
from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

ARCHIVE_FIELDS = ("id", "title", "text", "url", "published", "source")
PARQUET_BATCH = 10_000
END_DATE = date(2026, 11, 1)  # fixed: the same arguments give byte-identical corpora run after run


def generate(demo_dir: str, articles: int, seed: int = 7) -> dict:
    """write_demo_corpus exactly as `pactwatch demo` calls it (with the default spikes)."""
    from pipeline.demo import default_spikes, write_demo_corpus

    started = time.perf_counter()
    manifest = write_demo_corpus(Path(demo_dir), articles=articles, seed=seed, end_date=END_DATE,
                                 spikes=default_spikes(END_DATE))
    seconds = time.perf_counter() - started
    files = [outlet_file for outlet in manifest.outlets for outlet_file in outlet.files]
    return {"seconds": seconds, "items": manifest.total_articles, "files": len(files),
            "bytes": sum((Path(demo_dir) / f.path).stat().st_size for f in files)}


def iter_items(demo_dir: Path):
    """(outlet id, record) for every item of the demo RSS files, in replay order (ElementTree, streamed)."""
    from pipeline.demo import iter_demo_snapshots

    for outlet_id, path in iter_demo_snapshots(Path(demo_dir)):
        for _, element in ET.iterparse(path):
            if element.tag != "item":
                continue
            published = element.findtext("pubDate")
            yield {
                "id": element.findtext("guid"), "title": element.findtext("title"),
                "text": element.findtext("description"), "url": element.findtext("link"),
                "published": parsedate_to_datetime(published).isoformat() if published else None,
                "source": outlet_id,
            }
            element.clear()


def write_archives(demo_dir: str, jsonl_path: str, parquet_path: str) -> dict:
    """The demo corpus as a JSONL and a Parquet archive (the `pactwatch import` / `tag` input format)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in ARCHIVE_FIELDS])
    rows, text_bytes, batch = 0, 0, []
    with open(jsonl_path, "w", encoding="utf-8") as jsonl, pq.ParquetWriter(parquet_path, schema) as parquet:
        for record in iter_items(Path(demo_dir)):
            jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
            text_bytes += len((record["title"] or "").encode()) + len((record["text"] or "").encode())
            rows += 1
            batch.append(record)
            if len(batch) >= PARQUET_BATCH:
                parquet.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            parquet.write_table(pa.Table.from_pylist(batch, schema=schema))
    return {"rows": rows, "text_bytes": text_bytes, "jsonl_bytes": Path(jsonl_path).stat().st_size,
            "parquet_bytes": Path(parquet_path).stat().st_size}
