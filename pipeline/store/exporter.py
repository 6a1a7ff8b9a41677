"""`pactwatch export`: articles and derived tables to Parquet or CSV, with the dashboard's filters."""
from __future__ import annotations

import itertools
import json
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..csv_cells import DEFUSED, joined
from ..home import sync_directory, sync_file
from ..pairs import pair_key
from .catalog import last_run
from .errors import StoreError
from .migrate import has_column, has_table
from .queries import (DATED, IN_LIST, PAIR_KEY, WRITTEN, article_revisions, date_as_written, languages_not_read,
                      read_language, stored_tagger_versions, unlisted_pair_row)

TOPIC_LIST, ONE_TOPIC = "topics", "topic"  # the column of a row's own topics: a list of them, or one
Clause = tuple[str, list]  # a condition with its parameters
BATCH_ROWS = 50_000  # rows read at a time, and gathered into a Parquet row group
GROUP_BYTES = 32 * 2**20  # or fewer rows of long texts (an archive's whole articles) into one


@dataclass(frozen=True)
class Exportable:
    """A relation that can be exported (all have article_id and day) and which filters apply to its own rows.

    --pair and --topic keep the matching rows of a relation that has the pair or topic columns: a
    pair_sentences export for PRK-RUS and military is the military sentences about that pair, not every
    sentence of an article that has one (with --all-topics, the sentences carrying every topic chosen). Where the
    relation lacks the column they keep whole articles."""

    relation: str
    rows: str  # what a row is, in a note to the reader
    # the table under a view, one row for each of its rows (v_articles: articles): counted or searched for days, it
    # gives the same answer without building the view's lists for every article (90 MB at 100k articles)
    stored: str | None = None
    # after day and article_id, the columns that order an article's rows (the rest of its row key): an export of the
    # same snapshot holds its rows in the same order, whether written whole or a month at a time
    order: tuple[str, ...] = ()
    has_pair: bool = False  # iso_a, iso_b
    topic_column: str | None = None  # the row's own topics, which --topic tests: TOPIC_LIST or ONE_TOPIC
    since_migration: str | None = None  # the migration that added the relation, when snapshots may predate it
    filled_by: str = "`pactwatch retag` adds it"  # what gives a snapshot that predates it the relation
    # an article in another language has no row here: with --topic, its articles are what could not be judged
    unread_as_articles: bool = False
    # rows with topics and cues, which only English is read for: each gets its article's language (read_language),
    # and the columns it is cited by (CITED)
    with_language: bool = False


class NotInSnapshot(LookupError):
    """The relation is newer than the snapshot (published by an older version)."""


EXPORTABLE = {
    "articles": Exportable("v_articles", "articles", stored="articles"),
    "mentions": Exportable("mentions", "mentions", order=("field", "start_offset")),
    "article_countries": Exportable("article_countries", "article countries", order=("iso3",)),
    "article_topics": Exportable("article_topics", "articles", order=("topic",), topic_column=ONE_TOPIC,
                                 unread_as_articles=True),
    "topic_hits": Exportable("topic_hits", "articles", order=("topic", "field", "start_offset", "end_offset"),
                             topic_column=ONE_TOPIC, since_migration="0021", unread_as_articles=True),
    "pair_sentences": Exportable("pair_sentences", "pair sentences",
                                 order=("iso_a", "iso_b", "field", "sentence_index"), has_pair=True,
                                 topic_column=TOPIC_LIST, with_language=True),
    "article_pairs": Exportable("article_pairs", "article pairs", order=("iso_a", "iso_b"), has_pair=True,
                                topic_column=TOPIC_LIST, with_language=True),
    # later versions of stored articles, in the order first seen; the filters keep whole articles (a version has no
    # tags of its own)
    "article_revisions": Exportable("article_revisions", "article revisions", order=("seen_at", "content_hash"),
                                    since_migration="0057", filled_by="the next `pactwatch ingest` publishes it"),
}
FORMATS = ("parquet", "csv")
# After `language`, the article's columns a sentence or pair is cited by: without them an evidence export had to be
# joined back to `articles` for its link, outlet and time. Then (added after them, so a reader of the first ones by
# position reads them still) the date as the feed wrote it and whether its feed later served another version
# (queries.article_revisions): a quote of a headline the outlet corrected said nothing of the correction.
CITED = ("published_at", "outlet", "url")


@dataclass(frozen=True)
class ExportFilters:
    start: date | None = None
    end: date | None = None
    countries: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    topics: tuple[str, ...] = ()
    all_topics: bool = False  # rows, or articles, with every one of `topics`, not with any of them
    outlets: tuple[str, ...] = ()
    dated_only: bool = False  # the dashboard's "Leave out undated articles"
    unlisted_only: bool = False  # the dashboard's "Leave out list-only pairs"
    as_of: int | None = None  # the dashboard's "Data as of run": the articles that run or an earlier one stored


def filtered_sql(table: str, filters: ExportFilters, stored: bool = False) -> tuple[str, list]:
    """SELECT over one exportable relation with the filters as parameters, in no order (ordered_sql orders it);
    `stored`: over the table under it (Exportable.stored), for what rows are kept, not what they hold."""
    if table not in EXPORTABLE:
        raise ValueError(f"cannot export {table!r}; choose one of {', '.join(EXPORTABLE)}")
    exportable = EXPORTABLE[table]
    clauses = (_day_clauses(filters) + _pair_clauses(exportable, filters) + _unlisted_clauses(table, filters)
               + _topic_clauses(exportable, filters) + _article_clauses(filters) + _as_of_clauses(table, filters))
    where = f" WHERE {' AND '.join(sql for sql, _ in clauses)}" if clauses else ""
    relation = (stored and exportable.stored) or exportable.relation
    return f"SELECT * FROM {relation}{where}", [param for _, params in clauses for param in params]


def _day_clauses(filters: ExportFilters) -> list[Clause]:
    return ([("day >= ?", [filters.start])] if filters.start else []) + (
        [("day <= ?", [filters.end])] if filters.end else [])


def _pair_clauses(exportable: Exportable, filters: ExportFilters) -> list[Clause]:
    if not filters.pairs:
        return []
    pairs = [pair_key(*pair) for pair in filters.pairs]
    if exportable.has_pair:
        return [(f"{PAIR_KEY} {IN_LIST}", [pairs])]
    connects = unlisted_pair_row("p") if filters.unlisted_only else "TRUE"
    # with --topic, a pair on the topic, as the Co-occurrence page and the pair x topic alerts count it
    carries, topics = _listing_topics("p.topics", filters) if filters.topics else ("TRUE", [])
    return [(f"article_id IN (SELECT article_id FROM article_pairs p WHERE {PAIR_KEY} {IN_LIST} AND {connects} "
             f"AND {carries})", [pairs, *topics])]


def _unlisted_clauses(table: str, filters: ExportFilters) -> list[Clause]:
    """--unlisted-only on the pair tables' own rows: a sentence that lists the two among other countries, an article's
    pair that only such sentences connect (queries.unlisted_pair_row). Other tables: _pair_clauses."""
    if not filters.unlisted_only or table not in ("pair_sentences", "article_pairs"):
        return []
    return [("listed IS NOT TRUE", [])] if table == "pair_sentences" else [(unlisted_pair_row("article_pairs"), [])]


def _topic_clauses(exportable: Exportable, filters: ExportFilters) -> list[Clause]:
    """--topic on a row's own topics: a list holding any of them (--all-topics: all); one topic a row, the rows of
    the chosen topics (--all-topics: of the articles having all of them, whose rows these are). Other tables keep
    the articles having any (all) of them."""
    if not filters.topics:
        return []
    if exportable.topic_column == TOPIC_LIST:
        return [_listing_topics(TOPIC_LIST, filters)]
    if exportable.topic_column == ONE_TOPIC:
        rows = [(f"topic {IN_LIST}", [list(filters.topics)])]
        return (rows + [_articles_with_topics(filters)]) if filters.all_topics else rows
    if filters.pairs and not exportable.has_pair:
        return []  # _pair_clauses keeps the articles whose pair carries the topic
    return [_articles_with_topics(filters)]


def _listing_topics(column: str, filters: ExportFilters) -> Clause:
    """A list of topics (`column`) holding any of the chosen topics, or with --all-topics every one."""
    return f"list_has_{'all' if filters.all_topics else 'any'}({column}, ?::VARCHAR[])", [list(filters.topics)]


def _articles_with_topics(filters: ExportFilters) -> Clause:
    """The articles whose own topics (article_topics) include any of the chosen topics, or with --all-topics every
    one, as the dashboard's "Only articles with all of these topics" (queries._scoped)."""
    chosen = sorted(set(filters.topics))
    return (f"article_id IN (SELECT article_id FROM article_topics WHERE topic {IN_LIST} GROUP BY article_id "
            "HAVING count(DISTINCT topic) >= ?)", [chosen, len(chosen) if filters.all_topics else 1])


def _article_clauses(filters: ExportFilters) -> list[Clause]:
    """--country (articles naming any), --outlet and --dated-only: properties of the whole article in every table."""
    clauses: list[Clause] = []
    if filters.countries:
        clauses.append((f"article_id IN (SELECT article_id FROM article_countries WHERE iso3 {IN_LIST})",
                        [list(filters.countries)]))
    if filters.outlets:
        clauses.append((f"article_id IN (SELECT article_id FROM articles WHERE outlet {IN_LIST})",
                        [list(filters.outlets)]))
    if filters.dated_only:
        clauses.append((f"article_id IN (SELECT article_id FROM articles a WHERE {DATED.format('a')})", []))
    return clauses


def _as_of_clauses(table: str, filters: ExportFilters) -> list[Clause]:
    """--as-of: the articles that run or an earlier one stored, and of article_revisions the versions those runs met
    (a later run's revision of an older article is no part of what that run had)."""
    if filters.as_of is None:
        return []
    clauses = [("article_id IN (SELECT article_id FROM articles WHERE run_id <= ?)", [filters.as_of])]
    return clauses + ([("run_id <= ?", [filters.as_of])] if table == "article_revisions" else [])


def export_table(con: duckdb.DuckDBPyConnection, table: str, output: Path | BinaryIO, fmt: str,
                 filters: ExportFilters = ExportFilters(), provenance: Mapping[str, str] = MappingProxyType({})) -> int:
    """Stream the filtered rows to `output`, a file or an open binary stream (standard output, left open), ordered by
    day, article_id and the rest of the row key; returns the number of rows written. A Parquet file carries
    `provenance` (export_provenance) in its key-value metadata, each key prefixed `pactwatch.`; CSV has no place for
    it. The rows are queried a calendar month at a time (in_months) into the one file: a query ordering them all sorted
    every row in memory before writing the first (650 MB of RSS for the 100k demo's articles, 1.3 GB at 300k), and
    failed under a DuckDB memory limit."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    _refuse_what_the_snapshot_lacks(con, table, filters)
    if not isinstance(output, Path):
        return _write_rows(con, table, output, fmt, filters, provenance)
    with _whole_or_nothing(output) as partial:
        return _write_rows(con, table, partial, fmt, filters, provenance)


def _write_rows(con: duckdb.DuckDBPyConnection, table: str, output: Path | BinaryIO, fmt: str, filters: ExportFilters,
                provenance: Mapping[str, str]) -> int:
    readers = (con.execute(*ordered_sql(con, table, month)).to_arrow_reader(BATCH_ROWS)
               for month in in_months(con, table, filters))
    first = next(readers)
    described = first.schema.with_metadata({f"pactwatch.{key}": value for key, value in provenance.items()})
    writer = (pq.ParquetWriter(output, described) if fmt == "parquet"
              else pa_csv.CSVWriter(output, _csv_schema(first.schema)))
    batches = (batch for reader in itertools.chain([first], readers) for batch in reader)
    written = 0
    with writer:
        for rows in _gathered(batches if fmt == "parquet" else map(_csv_batch, batches)):
            writer.write_table(rows)
            written += rows.num_rows
    return written


@contextmanager
def _whole_or_nothing(target: Path) -> Iterator[Path]:
    """The path to write the file `target` through: a temp file beside it, renamed over it once whole, removed when
    anything stops the export. One that failed part-way (a full disk) left a CSV or a Parquet file without its footer
    at `target`, which a sync job took for whole; synced before the rename, as a power cut may otherwise leave the
    name on an empty file. The temp name is short: `target`'s own may be near NAME_MAX. A FIFO
    or a device (/dev/null) is written as it is: it holds no file to cut short, and must not be replaced."""
    final = Path(os.path.realpath(target))  # a symlink's file is replaced, not the link
    if final.exists() and not final.is_file():
        yield final
        return
    partial = final.with_name(f".pactwatch-{secrets.token_hex(4)}.part")
    try:
        yield partial
        sync_file(partial)
        os.replace(partial, final)
        sync_directory(final.parent)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            # pyarrow's own text wraps the cause ("Error writing bytes to file. Detail: [errno 28] …"): its errno says it
            cause = os.strerror(exc.errno) if exc.errno else exc
            raise StoreError(f"could not write {target}: {cause}; nothing was written there") from exc
        raise


def _refuse_what_the_snapshot_lacks(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters) -> None:
    since = EXPORTABLE[table].since_migration
    if since and not has_table(con, EXPORTABLE[table].relation):
        raise NotInSnapshot(f"{table} is not in this snapshot: it was published before the warehouse kept it "
                            f"(migration {since}); {EXPORTABLE[table].filled_by}")
    if filters.unlisted_only and not has_column(con, "pair_sentences", "listed"):
        raise NotInSnapshot("--unlisted-only: this snapshot was published before pair sentences were marked as lists "
                            "(migration 0025); `pactwatch retag` marks them")


def in_months(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters) -> list[ExportFilters]:
    """`filters` narrowed to each calendar month that holds rows they keep, from the first to the last day of those rows
    (every row has a day: an undated article's is the day first stored), or `filters` alone when they keep none (the
    query of no rows still gives the file its columns). Only months with rows: one article dated 1900 made an export
    of a year's news 1,524 queries, six times as slow."""
    sql, params = filtered_sql(table, filters, stored=True)
    months = con.execute(f"SELECT date_trunc('month', day)::DATE AS month, min(day), max(day) FROM ({sql}) "
                         "GROUP BY month ORDER BY month", params).fetchall()
    if not months:
        return [filters]
    starts = [months[0][1], *(month for month, _, _ in months[1:])]
    ends = [(month + timedelta(days=31)).replace(day=1) - timedelta(days=1) for month, _, _ in months[:-1]]
    return [replace(filters, start=start, end=end) for start, end in zip(starts, [*ends, months[-1][2]])]


def ordered_sql(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters) -> tuple[str, list]:
    """The exported rows in their order: filtered_sql, with the article's language and citation for the tables that
    have them (Exportable.with_language)."""
    sql, params = filtered_sql(table, filters)
    exportable = EXPORTABLE[table]
    order = ", ".join(f"r.{column}" for column in ("day", "article_id", *exportable.order))
    if not exportable.with_language:
        return f"SELECT * FROM ({sql}) r ORDER BY {order}", params
    joins, language = _article_language(con)
    revised, revisions, revised_params = article_revisions(con, "a", filters.as_of)
    return (f"SELECT r.*, {language} AS language, {', '.join(f'a.{column}' for column in CITED)}, "
            f"{date_as_written(con, 'a')} AS {WRITTEN}, {revisions} FROM ({sql}) r {joins} {revised} ORDER BY {order}",
            [*params, *revised_params])


def _gathered(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
    """The batches gathered into tables of BATCH_ROWS rows or GROUP_BYTES bytes, each written as one Parquet row
    group: a month of a narrow filter holds a few rows, and a row group per month would be as small."""
    gathered: list[pa.RecordBatch] = []
    for batch in batches:
        gathered.append(batch)
        table = pa.Table.from_batches(gathered)  # no copy: the batches' columns as chunks
        if table.num_rows >= BATCH_ROWS or table.nbytes >= GROUP_BYTES:
            yield table
            gathered = []
    if gathered:
        yield pa.Table.from_batches(gathered)


def export_provenance(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters, exported_at: datetime,
                      versions: Mapping[str, str]) -> dict[str, str]:
    """What a cited export was cut from, as text: the table and filters, when, the snapshot's last run (its answers
    stop there) and the tagger versions of its stored tags, beside `versions` (the package's and the code's tagger)."""
    run_id, finished_at = last_run(con)
    chosen = {**asdict(filters), "pairs": [pair_key(*pair) for pair in filters.pairs]}
    return {"table": table, "filters": json.dumps(chosen, default=str), "exported_at": exported_at.isoformat(),
            "last_run_id": "" if run_id is None else str(run_id),
            "last_run_finished_at": "" if finished_at is None else finished_at.isoformat(),
            "stored_tagger_versions": ",".join(sorted(stored_tagger_versions(con))), **versions}


def not_read_rows(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters) -> dict[str, int]:
    """With --topic: per language whose topics and cues are not read (queries.languages_not_read), the rows of
    `table` that every other filter keeps (of an article topic table, their articles): no topic could be found in
    them, so --topic left them out, whatever they say. Empty without --topic."""
    if not filters.topics:
        return {}
    counted = "articles" if EXPORTABLE[table].unread_as_articles else table
    sql, params = filtered_sql(counted, replace(filters, topics=()), stored=True)
    joins, language = _article_language(con)
    counts = con.execute(f"SELECT {language}, count(*) FROM ({sql}) r {joins} GROUP BY ALL", params).fetchall()
    return languages_not_read(dict(counts))


def _article_language(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(joins, expression): the language of the article of each row `r` of an export, as the dashboard's evidence
    tables and Languages filter read it (queries.read_language: `en` for an English article that declares none)."""
    join, language = read_language(con)
    return f"JOIN articles a ON a.article_id = r.article_id AND a.day = r.day {join}", language


def _csv_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_list(f.type) else f for f in schema])


def _csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """CSV has no lists: list columns (countries, topics) become ';'-joined strings. Text is feed text, and a
    spreadsheet runs a cell starting with =, +, -, @, tab or CR as a formula: such cells get a leading "'", as the
    dashboard's downloads do (Parquet keeps the text as stored)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_list(column.type):
            column = pa.array([joined(v or []) for v in column.to_pylist()], type=pa.string())
        if pa.types.is_string(column.type):
            column = pc.if_else(pc.match_substring_regex(column, DEFUSED), pc.binary_join_element_wise("'", column, ""),
                                column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=_csv_schema(batch.schema))
