"""`pactwatch export`: articles and derived tables to Parquet or CSV, with the dashboard's filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

# What can be exported, and the relation each name reads (all have article_id and day).
EXPORTABLE = {
    "articles": "v_articles",
    "mentions": "mentions",
    "article_countries": "article_countries",
    "article_topics": "article_topics",
    "pair_sentences": "pair_sentences",
    "article_pairs": "article_pairs",
}
FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class ExportFilters:
    start: date | None = None
    end: date | None = None
    countries: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    topics: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()


def filtered_sql(table: str, filters: ExportFilters) -> tuple[str, list]:
    """SELECT over one exportable relation with the filters as parameters."""
    if table not in EXPORTABLE:
        raise ValueError(f"cannot export {table!r}; choose one of {', '.join(EXPORTABLE)}")
    clauses, params = [], []
    if filters.start:
        clauses.append("day >= ?")
        params.append(filters.start)
    if filters.end:
        clauses.append("day <= ?")
        params.append(filters.end)
    if filters.countries:
        clauses.append("article_id IN (SELECT article_id FROM article_countries WHERE iso3 IN (SELECT unnest(?)))")
        params.append(list(filters.countries))
    if filters.pairs:
        clauses.append("article_id IN (SELECT article_id FROM article_pairs WHERE iso_a || '-' || iso_b IN "
                       "(SELECT unnest(?)))")
        params.append(["-".join(sorted(pair)) for pair in filters.pairs])
    if filters.topics:
        clauses.append("article_id IN (SELECT article_id FROM article_topics WHERE topic IN (SELECT unnest(?)))")
        params.append(list(filters.topics))
    if filters.outlets:
        clauses.append("article_id IN (SELECT article_id FROM articles WHERE outlet IN (SELECT unnest(?)))")
        params.append(list(filters.outlets))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"SELECT * FROM {EXPORTABLE[table]}{where} ORDER BY day, article_id", params


def export_table(con: duckdb.DuckDBPyConnection, table: str, output: Path, fmt: str,
                 filters: ExportFilters = ExportFilters()) -> int:
    """Stream the filtered rows to `output`; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    sql, params = filtered_sql(table, filters)
    reader = con.execute(sql, params).to_arrow_reader(50_000)
    written = 0
    writer = (pq.ParquetWriter(output, reader.schema) if fmt == "parquet"
              else pa_csv.CSVWriter(output, _csv_schema(reader.schema)))
    with writer:
        for batch in reader:
            writer.write_batch(batch if fmt == "parquet" else _csv_batch(batch))
            written += batch.num_rows
    return written


def _csv_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_list(f.type) else f for f in schema])


def _csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """CSV has no lists: list columns (countries, topics) become ';'-joined strings."""
    columns = []
    for column in batch.columns:
        if pa.types.is_list(column.type):
            column = pa.array([";".join(v or []) for v in column.to_pylist()], type=pa.string())
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=_csv_schema(batch.schema))
