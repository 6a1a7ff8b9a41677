"""`pactwatch import`: backfill archives (JSONL, CSV or Parquet) through the same dedup and tagging as feeds."""
from __future__ import annotations

import codecs
import csv
import hashlib
import json
import sys
from collections import defaultdict
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from numbers import Number
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .controls import one_line, without_lone_surrogates
from .csv_cells import undefused
from .feeds.feedlist import slug as feed_slug
from .feeds.models import FeedSpec, ParsedArticle, ParsedFeed
from .feeds.parse import MAX_TEXT_CHARS, MAX_TITLE_CHARS, article_from_record
from .home import Home
from .pool import make_process_pool
from .feeds.identity import is_opaque_guid, keyed_by_link
from .feeds.text import plain_text_stripping_every_tag
from .article_day import count_undated
from .ingest import (IMPORT, BulkPublisher, FeedDocument, RunSummary, article_id_for, chunked, content_hash,
                     ingest_documents, register_feed_specs, scoped_key)
from .store.snapshot import Published
from .store.warehouse import Warehouse
from .tag_files import ERRORS_KEPT, MAX_LINE_BYTES, TOO_LONG, text_line_blocks, utf8_error_bytes

FIELDS = ("id", "title", "text", "url", "published", "source", "language")
# `pactwatch export --table articles` names some of them as the warehouse does (v_articles): its files read back,
# each field from the first of its names a record holds. Its `guid` and `key_scope` as `id` and `source`: an article
# its home keyed by a feed's GUID (about half of real feeds') is keyed the same way in another, its article_id kept,
# as is one keyed by its link (no guid: keyed by `url`). Not its article_id as `id`: that would key every one anew.
EXPORTED_AS = {"id": ("guid",), "published": ("published_at",), "source": ("key_scope", "outlet")}
EXPORT_COLUMNS = {"article_id", "published_at", "outlet"}  # what every export of articles held (guid came later)
WRITTEN_DATE = "published_as_written"  # an export's date as its feed wrote it
# A record read as stored (_article_of): an export since migration 0056, which no third party's archive of these
# generic names is taken for (its HTML would be kept)
STORED_COLUMNS = EXPORT_COLUMNS | {"first_seen_at", "day", "date_quality", WRITTEN_DATE}
VISIBLE_FIELDS = ("title", "text", "url")  # a record needs one of them: something a reader could see
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_FIELD_LIMIT = 64 << 20  # characters; the stored text keeps its first 50,000 anyway
CLEAN_CHUNK = 1000  # records per pool job: big enough to repay pickling, small enough to spread over workers
Cleaned = tuple[str, Optional[ParsedArticle]]
Unreadable = str  # why a line or row could not be read as a record, in the record's place
Located = tuple[str, dict | Unreadable]  # ("line 7" or "row 7", the record read there)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
IMPORT_PREFIX = "import-"  # the ids of the (disabled) feeds that archive sources are filed under
SLUG_CHARS = 50


class ArchiveFormatError(ValueError):
    """The file cannot be imported (unknown format, wrong columns, not one record could be read); bad rows
    of a file that has good ones are counted, not fatal."""


class UnknownFormat(ArchiveFormatError):
    """The file's name says no format import reads: the command line's mistake, as a missing file is."""


@dataclass
class ImportReport:
    """What an import has done so far, filled in run by run: an import stopped early still says how far it got."""

    runs: list[RunSummary] = field(default_factory=list)
    records: int = 0  # lines or rows read so far, blank lines not counted
    rejected: int = 0  # records without title, text or url, or with one that is not text (and non-JSON lines)
    undated: int = 0  # accepted records whose `published` is missing, unreadable or ahead: filed under the import's day
    errors: list[str] = field(default_factory=list)  # the first ERRORS_KEPT rejections, "file line N: why"
    id_reused: int = 0  # records skipped: their id is another story's (stored, or met earlier in the file)
    reused: list[str] = field(default_factory=list)  # the first ERRORS_KEPT of them, "file line N: which id"
    unreadable_dates: int = 0  # of the undated, those whose `published` is there but cannot be read
    unread: list[str] = field(default_factory=list)  # the first ERRORS_KEPT of them, "file line N: the value"
    published: Published | None = None  # the import's last snapshot, which readers see all of it in

    def reject(self, message: str) -> None:
        self.rejected += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(message)

    def skip_reused(self, message: str) -> None:
        self.id_reused += 1
        if len(self.reused) < ERRORS_KEPT:
            self.reused.append(message)

    def unreadable_date(self, message: str) -> None:
        self.unreadable_dates += 1
        if len(self.unread) < ERRORS_KEPT:
            self.unread.append(message)

    @property
    def new_articles(self) -> int:
        return sum(summary.new_articles for summary in self.runs)

    @property
    def duplicates(self) -> int:
        return sum(summary.duplicates for summary in self.runs)


def read_records(path: Path) -> Iterator[Located]:
    """Rows of a .jsonl/.ndjson, .csv or .parquet file as dicts, each with where it was read (streamed); a line
    that holds no record comes as the reason. ArchiveFormatError when the file cannot hold a single importable
    record (require_importable)."""
    require_importable(path)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return _jsonl_records(path)
    return _csv_records(path) if suffix == ".csv" else _parquet_records(path)


def require_importable(path: Path) -> None:
    """ArchiveFormatError when the file cannot hold a single importable record: another format, text that is not UTF-8
    (UTF-16, Windows-1252), no text at all, a JSON array, a table without title, text and url columns. Cheap (one read
    of the file, a few bytes, the header): `pactwatch import` asks before it opens the home, so a refused file leaves
    no new home behind."""
    suffix = path.suffix.lower()
    if suffix not in (*JSON_SUFFIXES, ".csv", ".parquet"):
        raise UnknownFormat(f"{path.name}: expected {', '.join((*JSON_SUFFIXES, '.csv'))} or .parquet")
    if suffix == ".parquet":
        _require_visible_column(path, _parquet_columns(path))
        return
    _require_utf8(path)
    if not _first_character(path):
        raise ArchiveFormatError(f"nothing imported from {path.name}: it holds no record")
    if suffix in JSON_SUFFIXES:
        _require_json_lines(path)
    else:
        _require_visible_column(path, _csv_columns(path))


def _require_utf8(path: Path) -> None:
    """Refuse a file that is not UTF-8, with the line that converts it. Read with replacement characters, a Latin-1 or
    Windows-1252 export ("Café") was stored as "Caf\ufffd", silently, its letters lost for good."""
    with path.open("rb") as handle:
        if handle.read(2) in _UTF16_BOMS:  # else every line would be rejected as "not JSON", or every row as empty
            raise ArchiveFormatError(f"{path.name} is UTF-16; import reads UTF-8: convert it with "
                                     f"`iconv -f UTF-16 -t UTF-8 {path.name} > utf8-{path.name}`")
    where = _first_bytes_not_utf8(path)
    if where is not None:
        raise ArchiveFormatError(f"{path.name} is not UTF-8 (line {where}); import reads UTF-8: convert it from the "
                                 f"encoding it was written in, such as Windows-1252, with "
                                 f"`iconv -f WINDOWS-1252 -t UTF-8 {path.name} > utf8-{path.name}`")


def _first_bytes_not_utf8(path: Path, chunk_bytes: int = 1 << 20) -> str | None:
    """Where the file's first bytes that are not UTF-8 stand ("2, byte 0xe9"), or None; read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                carried = len(error.object) - len(chunk)  # an unfinished character from the chunk before
                line += chunk.count(b"\n", 0, max(error.start - carried, 0))
                return f"{line}, {utf8_error_bytes(error)}"
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return f"{line}, {utf8_error_bytes(error)} at its end"
    return None


def _require_json_lines(path: Path) -> None:
    if _first_character(path) == b"[":  # read line by line, an array would be rejected record by record, silently
        raise ArchiveFormatError(f"{path.name} is a JSON array; import reads JSON Lines (one object per line): "
                                 f"convert it with `jq -c '.[]' {path.name} > {path.stem}.lines.jsonl`")  # never itself


def _first_character(path: Path, chunk_bytes: int = 1 << 16) -> bytes:
    """The file's first byte that is no whitespace (after a byte order mark), read a chunk at a time: the first line
    of a JSON array dumped on one line is the whole file."""
    with path.open("rb") as handle:
        chunk = handle.read(chunk_bytes).removeprefix(b"\xef\xbb\xbf")
        while chunk and not chunk.strip():
            chunk = handle.read(chunk_bytes)
    return chunk.lstrip()[:1]


def _require_visible_column(path: Path, columns: list[str]) -> None:
    """Refuse a file with no column a record needs; its column names are the file's, each shown on one line (a line
    break or an escape in a quoted header forged a log line or drove the terminal)."""
    if not set(columns) & set(VISIBLE_FIELDS):
        raise ArchiveFormatError(
            f"{path.name} has no {', '.join(VISIBLE_FIELDS[:-1])} or {VISIBLE_FIELDS[-1]} column (a record needs "
            f"one); its columns: {', '.join(map(one_line, columns)) or 'none'}; accepted: {', '.join(FIELDS)}")


def _csv_columns(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        return next(csv.reader(handle), [])


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path).names
    except (pa.ArrowException, OSError) as exc:
        raise ArchiveFormatError(f"{path.name} is not a readable Parquet file: {exc}") from exc


def _jsonl_records(path: Path) -> Iterator[Located]:
    """Lines are read as `pactwatch tag` reads them: one too long for an article is skipped, never held."""
    number = 0
    with path.open("rb") as handle:
        for lines in text_line_blocks(handle, MAX_LINE_BYTES):
            for line in lines:
                number += 1
                if line is TOO_LONG or line.strip():
                    yield f"line {number}", _json_record(line)


def _json_record(line: bytes | None) -> dict | Unreadable:
    if line is TOO_LONG:
        return f"line longer than {MAX_LINE_BYTES:,} bytes, not read"
    try:
        record = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as error:
        return f"not JSON ({error})"
    except RecursionError:  # json's own parser recurses once per nesting level
        return "not JSON (nested too deep)"
    except ValueError:  # no JSONDecodeError: Python refuses to read an integer this long (a denial-of-service guard)
        return f"not JSON (an integer of more than {sys.get_int_max_str_digits():,} digits)"
    return record if isinstance(record, dict) else f"a JSON {type(record).__name__}, not an object"


def _csv_records(path: Path) -> Iterator[Located]:
    """Read strictly: a stray quote ('"Stray title,text,...') opens a cell that a lenient reader runs on to the end of
    the file, every row after it read as that one cell and none counted as rejected."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        ours = _written_by_export(reader.fieldnames or [])
        while True:
            first_line = reader.reader.line_num + 1  # a quoted cell may run over several lines: name the first
            try:
                row = next(reader)
                yield f"line {first_line}", _undefused_row(row) if ours else row
            except StopIteration:
                return
            except csv.Error as error:  # that row is rejected (counted), the reader goes on
                yield f"line {first_line}", _bad_csv_row(error, first_line, reader.reader.line_num)


def _bad_csv_row(error: csv.Error, first_line: int, last_line: int) -> str:
    """Why a row was not read; one whose quote is never closed took every line after it."""
    if last_line > first_line:
        return (f"not a CSV row ({error}): a quote opened on it is never closed, so lines {first_line} to "
                f"{last_line} were read as one row and none of them is imported")
    return f"not a CSV row ({error})"


def _written_by_export(columns: list[str]) -> bool:
    """A CSV of `export --table articles`, of this version or an earlier one (EXPORT_COLUMNS)."""
    return EXPORT_COLUMNS <= set(columns)


def _undefused_row(row: dict) -> dict:
    """The export put a "'" before each cell a spreadsheet would run as a formula: the text stored was without it.
    (A row with more cells than columns holds a list under the None key, which stays as read.)"""
    return {name: undefused(value) if isinstance(value, str) else value for name, value in row.items()}


def _parquet_records(path: Path) -> Iterator[Located]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    exported = (name for names in EXPORTED_AS.values() for name in names)
    read = (*FIELDS, *exported, *sorted(STORED_COLUMNS))  # an export's own: _article_of
    columns = [name for name in dict.fromkeys(read) if name in parquet.schema_arrow.names]
    batches = parquet.iter_batches(batch_size=5000, columns=columns)
    rows = (row for batch in batches for row in batch.to_pylist())
    yield from ((f"row {number}", row) for number, row in enumerate(rows, start=1))


def source_feed(source: str, feed_id: str, path: Path) -> FeedSpec:
    return FeedSpec(feed_id=feed_id, url=path.resolve().as_uri(), name=f"{source} (imported)",
                    outlet=source, outlet_country=None, language=None, tier=3, tags=("import",), enabled=False)


def source_feed_ids(sources: Iterable[str], feed_rows: list[dict]) -> dict[str, str]:
    """Each source's own feed id: the imported feed that already carries its name as outlet (an earlier import),
    else import-<slug>, else, when the slug is cut or another feed's id (names differing only in case or
    punctuation), the slug with a hash of the name. Sources are taken in order, so the same file gives the same
    ids in every home."""
    known = {row["outlet"]: row["feed_id"] for row in feed_rows if row["feed_id"].startswith(IMPORT_PREFIX)}
    taken = {row["feed_id"] for row in feed_rows}
    ids = {}
    for source in sorted(sources):
        ids[source] = known.get(source) or _free_feed_id(source, taken)
        taken.add(ids[source])
    return ids


def _free_feed_id(source: str, taken: set[str]) -> str:
    slug = feed_slug(source) or "archive"
    if len(slug) <= SLUG_CHARS and IMPORT_PREFIX + slug not in taken:
        return IMPORT_PREFIX + slug
    digest = hashlib.sha256(source.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
    return f"{IMPORT_PREFIX}{slug[:SLUG_CHARS - 9].rstrip('-')}-{digest}"


def import_file(home: Home, warehouse: Warehouse, tagger, path: Path, batch_size: int = 5000,
                report: ImportReport | None = None,
                committed: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Import `path` in committed runs of `batch_size` records; cleaning and tagging run on every core.
    Fills in and returns `report`, and hands it to `committed` after each run; ArchiveFormatError when not one
    record could be imported."""
    report = report if report is not None else ImportReport()
    records = read_records(path)
    registered: dict[str, str] = {}  # source -> its feed id
    # the publisher outside the pool: the final publish and compaction run after the workers have exited
    with BulkPublisher(home, warehouse) as publisher, make_process_pool() as pool:
        for now, located, cleaned in _cleaned_batches(records, path, batch_size, pool):
            report.records += len(located)
            _count_rejections(report, path, located, cleaned)
            feeds = _source_feeds(warehouse, cleaned, path, now, registered)
            located, cleaned = _without_reused_ids(report, warehouse, feeds, path, located, cleaned)
            _count_undated(report, path, located, cleaned, now)
            documents = _documents(cleaned, feeds)
            if documents:  # a batch of rejected records only has nothing to store
                summary = ingest_documents(None, warehouse, tagger, documents, kind=IMPORT, now=now, executor=pool)
                publisher.committed()
                report.runs.append(summary)
                if committed is not None:
                    committed(report)
    report.published = publisher.published
    _require_an_imported_record(path, report)
    return report


def _count_rejections(report: ImportReport, path: Path, located: list[Located], cleaned: list[Cleaned]) -> None:
    for (where, record), (_, article) in zip(located, cleaned):
        if article is None:
            report.reject(f"{path.name} {where}: {_why_rejected(record)}")


def _count_undated(report: ImportReport, path: Path, located: list[Located], cleaned: list[Cleaned],
                   now: datetime) -> None:
    """Count the records filed under the import's day, as an ingest run counts its articles; name those whose
    `published` could not be read, with it."""
    accepted = [(where, record, article) for (where, record), (_, article) in zip(located, cleaned) if article]
    report.undated += count_undated(article.date_quality for _, _, article in accepted)
    for where, record, article in accepted:
        if article.date_quality == "unparseable":
            report.unreadable_date(f"{path.name} {where}: published {article.published_as_written!r} "
                                   f"is no date import reads: filed under {now.date()}")


def _why_rejected(record: dict | Unreadable) -> str:
    if isinstance(record, Unreadable):
        return record
    numbers = _numbers_for_text(record)
    return f"{' and '.join(numbers)} a number, not text" if numbers else "no title, text or url"


def _require_an_imported_record(path: Path, report: ImportReport) -> None:
    """A file with no record, or whose every record was rejected, is an error, not a quiet zero: a failed export
    or download leaves an empty file, and a file of the wrong shape rejects every record."""
    if report.runs:
        return
    if not report.rejected:
        raise ArchiveFormatError(f"nothing imported from {path.name}: it holds no record")
    hint = "; one JSON object per line" if path.suffix.lower() in JSON_SUFFIXES else ""
    raise ArchiveFormatError(f"nothing imported from {path.name}: none of its {report.rejected:,} records has a "
                             f"title, text or url (accepted fields: {', '.join(FIELDS)}{hint}); the first: "
                             f"{report.errors[0]}")


def clean_records(records: list[dict | Unreadable], path: Path, now: datetime) -> list[Cleaned]:
    """(source, article or None when the record has nothing a reader could see) for each record."""
    base_url = path.resolve().as_uri()
    return [(_source_name({}, path), None) if isinstance(record, Unreadable) else
            (_source_name(record, path), _article_of(record, base_url, now) if not _numbers_for_text(record) else None)
            for record in records]


def _article_of(record: dict, base_url: str, now: datetime) -> ParsedArticle | None:
    """The record as an article; one `export --table articles` wrote (EXPORT_COLUMNS) as it was stored: its text as
    it is, and its date as its feed wrote it, which an article stored without a usable date (no `published_at`) had
    too: re-imported, "Seg, 24 Set 2018" lost it and read as missing, not unparseable."""
    fields = {name: (_date_text if name == "published" else _text)(_field(record, name)) for name in FIELDS}
    if not STORED_COLUMNS <= record.keys():
        return article_from_record(fields, base_url, now)
    written = _text(record.get(WRITTEN_DATE))
    article = article_from_record({**fields, "published": fields["published"] or written}, base_url, now, stored=True)
    return replace(article, published_as_written=written) if article and written else article


def _source_name(record: dict, path: Path) -> str:
    """The record's source on one line, else the file's name: it names a feed and its outlet, which feed lists and
    `feeds add` keep free of control characters (a line break split `feeds list` and export-opml's XML)."""
    return one_line(_text(_field(record, "source")) or "") or one_line(path.stem) or "archive"


def _field(record: dict, name: str):
    """The record's `name`, or when it has none (blank: an export's CSV cell of NULL) what an export names it."""
    for column in (name, *EXPORTED_AS.get(name, ())):
        value = record.get(column)
        if value is not None and value != "":
            return value
    return record.get(name)


def _numbers_for_text(record: dict) -> list[str]:
    """The title, text or url that is a number: a column mapped wrong (as `pactwatch tag` says of such a row), where
    an id or a date may well be one; a nested value there is no text (`_text`), not a wrong record."""
    return [name for name in VISIBLE_FIELDS if isinstance(record.get(name), Number)]


def _cleaned_batches(records: Iterable[Located], path: Path, batch_size: int,
                     pool: Executor) -> Iterator[tuple[datetime, list[Located], list[Cleaned]]]:
    """Batches of records with their cleaning; batch k+1 is cleaned on the pool while the caller tags and stores
    batch k. A file of one chunk is cleaned here: the pool would take longer to start (a process's first pool starts the fork
    server, which imports the package: ~0.5 s) than the chunk takes to clean, and a small import never starts it."""
    pending = None
    for batch in chunked(records, batch_size):
        now = datetime.now(timezone.utc)
        chunks = [[record for _, record in chunk] for chunk in chunked(batch, CLEAN_CHUNK)]
        whole_file_in_one_chunk = pending is None and len(batch) < batch_size and len(chunks) == 1
        jobs = [_cleaned_here(chunk, path, now) if whole_file_in_one_chunk else _submit_cleaning(pool, chunk, path, now)
                for chunk in chunks]
        if pending is not None:
            yield _collect(*pending, path)
        pending = (now, batch, chunks, jobs)
    if pending is not None:
        yield _collect(*pending, path)


def _submit_cleaning(pool: Executor, chunk: list[dict | Unreadable], path: Path, now: datetime) -> Future:
    try:
        return pool.submit(clean_records, chunk, path, now)
    except BrokenProcessPool:  # a worker died earlier: the rest of the import runs on this core
        return _cleaned_here(chunk, path, now)


def _cleaned_here(chunk: list[dict | Unreadable], path: Path, now: datetime) -> Future:
    done: Future = Future()
    done.set_result(clean_records(chunk, path, now))
    return done


def _collect(now: datetime, batch: list[Located], chunks: list[list[dict | Unreadable]], jobs: list[Future],
             path: Path) -> tuple[datetime, list[Located], list[Cleaned]]:
    cleaned: list[Cleaned] = []
    for chunk, job in zip(chunks, jobs):
        try:
            cleaned.extend(job.result())
        except BrokenProcessPool:  # a worker died (OOM killer, signal): clean this chunk here
            cleaned.extend(clean_records(chunk, path, now))
    return now, batch, cleaned


def _source_feeds(warehouse: Warehouse, cleaned: list[Cleaned], path: Path, now: datetime,
                  registered: dict[str, str]) -> dict[str, dict]:
    """source -> its feed row, for every source registered so far. A source gets a feed once it yields an article;
    until then its rejected records are only counted."""
    sources = {source for source, article in cleaned if article is not None}
    new_ids = source_feed_ids(sources - set(registered), warehouse.feed_rows())
    register_feed_specs(warehouse, [source_feed(source, feed_id, path) for source, feed_id in new_ids.items()], now)
    registered.update(new_ids)
    feeds = {row["feed_id"]: row for row in warehouse.feed_rows()}
    return {source: feeds[feed_id] for source, feed_id in registered.items()}


def _without_reused_ids(report: ImportReport, warehouse: Warehouse, feeds: dict[str, dict], path: Path,
                        located: list[Located], cleaned: list[Cleaned]) -> tuple[list[Located], list[Cleaned]]:
    """`located` and `cleaned` without the records whose id is stored, or met earlier in the batch, with another
    title or text: an id is a record's identity within its source, and dedup would count another story under it as
    a duplicate. (Earlier batches are stored by now.) The same title and text under the same id stay a duplicate: a
    re-import."""
    ids = {index: article_id_for(scoped_key(article.key, feeds[source]))
           for index, (source, article) in enumerate(cleaned) if _keyed_by_id(article, feeds.get(source))}
    stored = warehouse.stored_contents(list(ids.values()))
    met = {article_id: (content, "stored") for article_id, content in stored.items()}
    kept: list[tuple[Located, Cleaned]] = []
    for index, ((where, record), (source, article)) in enumerate(zip(located, cleaned)):
        if index in ids:
            content = (article.title, content_hash(article.title, article.text))
            first, when = met.setdefault(ids[index], (content, f"met on {where}"))
            if first != content and not (when == "stored" and first == _content_as_stored_before_0055(record)):
                other = "title" if first[0] != content[0] else "text"
                # the id is the archive's, as it came (a line break in it forged a log line): shown on one line
                report.skip_reused(f"{path.name} {where}: id {one_line(article.guid)} of source {source} was already "
                                   f"{when} under another {other}: skipped")
                continue
        kept.append(((where, record), (source, article)))
    return [pair[0] for pair in kept], [pair[1] for pair in kept]


def _content_as_stored_before_0055(record: dict) -> tuple[str, str]:
    """(title, content hash) of `record` as versions before migration 0055 stored it, every "<…>" read as a tag: a
    re-import of an archive they imported is the same stories, though its "<SRD>" tickers are now kept."""
    title, text = (plain_text_stripping_every_tag(_text(_field(record, name)), limit)
                   for name, limit in (("title", MAX_TITLE_CHARS), ("text", MAX_TEXT_CHARS)))
    return title, content_hash(title, text)


def _keyed_by_id(article: ParsedArticle | None, feed: dict | None) -> bool:
    """Whether the record is stored under its id: an id that is no URL, in a source not keyed by link."""
    return (article is not None and feed is not None and is_opaque_guid(article.key)
            and not (keyed_by_link(feed) and article.url))


def _documents(cleaned: list[Cleaned], feeds: dict[str, dict]) -> list[FeedDocument]:
    by_source: dict[str, list] = defaultdict(list)
    rejected: dict[str, int] = defaultdict(int)
    for source, article in cleaned:
        if article is None:
            rejected[source] += 1
        else:
            by_source[source].append(article)
    return [FeedDocument(feeds[source], None,
                         ParsedFeed(entries=tuple(by_source[source]), title=source, error=None,
                                    bozo_reason=f"{rejected[source]} records without title, text or url as text"
                                    if rejected[source] else None))
            for source in sorted(set(by_source) | (set(rejected) & set(feeds)))]


def _date_text(value) -> str | None:
    """A record's `published` as text: a list, an object or a boolean is a date import cannot read, named as the JSON
    it was (`["2024-06-19"]`, `true`), not a date missing nor Python's repr of it."""
    if isinstance(value, (dict, list, tuple, bool)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return _text(value)


def _text(value) -> str | None:
    """A record's value as text: ids may be numbers and dates timestamps; a nested value (a struct or list
    column) is no title or text, and would otherwise become a Python repr such as "{'a': 'Russia'}"."""
    if value is None:
        return None
    if isinstance(value, str):  # JSON may escape a lone surrogate ("\ud800"), which no UTF-8 writer takes
        return without_lone_surrogates(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (dict, list, tuple)):
        return None
    return str(value)
