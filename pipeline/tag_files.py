"""`pactwatch tag`: stream JSONL rows {id, title, text, published?, language?} through the Tagger.

One output row per non-blank input line, same order, line by line: the input is read in 1 MiB blocks, one
row is tagged at a time and output goes through a 1 MiB buffer, whatever the file's size. A line that cannot
be tagged (longer than MAX_LINE_BYTES, not JSON, not an object, a title, text or language that is not a string)
becomes an error row {id, line, error} in its place, so that output row N still answers input line N, and
the run goes on. An over-long line is skipped, never held: memory stays bounded on any input. "-" as either
path is standard input or output, so that `pactwatch tag` sits in a pipe. A `language` that is no BCP 47 tag (blank,
"English", "???") is no language, as `pactwatch import` and the feeds read it: the tagger guesses it. `published` is
read as import reads it (feeds/dates.py), so both tag a row as of the same day: which leaders were in office. So is
a lone surrogate that JSON escapes ("\\ud800"): as U+FFFD.
"""
from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import orjson  # ~4x faster JSON both ways: with json, decode + encode are a third of `pactwatch tag`'s time

from pipeline.feeds.dates import filing_date, normalize_date
from pipeline.feeds.models import declared_language
from pipeline.tagging import Tagger

MAX_LINE_BYTES = 16 << 20  # a whole long report is a few hundred KB; a longer line is an error, not an article
ERRORS_KEPT = 20  # error messages kept for the report (the output file has a row for every one)
_BLOCK = 1 << 20
TOO_LONG = None  # stands in for a line over the limit: its bytes were never kept
STDIO = "-"  # as a path: standard input or output
UTF8_BOM = b"\xef\xbb\xbf"  # Windows tools open UTF-8 files with it; no JSON parser takes it as part of a line


@dataclass
class TagSummary:
    rows: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)  # the first ERRORS_KEPT "path:line: reason", in input order


def tag_jsonl(in_path: Path | str, out_path: Path | str, tagger: Tagger,
              max_line_bytes: int = MAX_LINE_BYTES) -> TagSummary:
    """Tag every non-blank line of `in_path` into `out_path`. One flat loop: its own overhead is paid per row."""
    summary = TagSummary()
    live = in_path == STDIO  # a producer may still be writing: answer each block's rows as it comes
    source_name = "<stdin>" if live else in_path
    tag_row, loads, dumps, newline = tagger.tag_row, orjson.loads, orjson.dumps, orjson.OPT_APPEND_NEWLINE
    day_of = day_reader(datetime.now(UTC))
    with open_stream(in_path, "rb") as source, open_stream(out_path, "wb") as sink:
        write, rows, number = sink.write, 0, 0
        for lines in text_line_blocks(source, max_line_bytes):
            for line in lines:
                number += 1
                if line is not TOO_LONG and (not line or line.isspace()):
                    continue
                row = None
                try:
                    if line is TOO_LONG:
                        raise ValueError(f"line longer than {max_line_bytes:,} bytes, not read")
                    try:
                        row = loads(line)
                    except orjson.JSONDecodeError as error:
                        row = _read_with_lone_surrogates(line, error)
                    if not isinstance(row, dict):
                        raise ValueError(f"a JSON {type(row).__name__}, not an object")
                    if isinstance(row.get("id"), float):
                        row["id"] = exact_id(line)
                    if isinstance(row.get("language"), str):
                        row["language"] = declared_language(row["language"])
                    if "published" in row:
                        published = row["published"]
                        row["published"] = day_of(published) if isinstance(published, str) else None
                    write(dumps(tag_row(row), option=newline))
                except ValueError as error:  # orjson.JSONDecodeError is one too
                    reason = f"not JSON ({error})" if isinstance(error, orjson.JSONDecodeError) else str(error)
                    row_id = row.get("id") if isinstance(row, dict) else None
                    write(dumps({"id": row_id, "line": number, "error": reason}, option=newline))
                    _count_error(summary, f"{source_name}:{number}: {reason}")
                rows += 1
            if live:
                sink.flush()
        sink.flush()  # standard output is not closed here, and its buffer may still hold the last rows
    summary.rows = rows
    return summary


# A \uD800-\uDFFF escape not part of a pair (a high one, then a low one), after an even number of backslashes (an odd one
# escapes the backslash before "u", which is then text)
_LONE_SURROGATE_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)(\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                                    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})")


def _read_with_lone_surrogates(line: bytes, error: orjson.JSONDecodeError):
    """A line whose JSON escapes a lone surrogate ("\\ud800", which orjson refuses) read with each as U+FFFD, as
    `import` reads it; else `error`, what orjson said. Only those escapes change: every other rule of orjson's holds.
    A line that is not UTF-8 says so (orjson's words for it are "str is not valid UTF-8: surrogates not allowed")."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as not_utf8:
        raise ValueError(f"not UTF-8 ({utf8_error_bytes(not_utf8)} at byte {not_utf8.start + 1})") from None
    if "surrogate" not in str(error):
        raise error
    mended = _LONE_SURROGATE_ESCAPE.sub(rb"\1\\ufffd", line)
    try:
        return orjson.loads(mended)
    except orjson.JSONDecodeError:
        raise error from None


def utf8_error_bytes(error: UnicodeDecodeError) -> str:
    """The bytes a UTF-8 decoder refused, as a person reads them: "byte 0xe9", "bytes 0xe2 0x80"."""
    refused = error.object[error.start:error.end]
    return f"byte{'s' if len(refused) > 1 else ''} {' '.join(f'0x{byte:02x}' for byte in refused)}"


def day_reader(now: datetime) -> Callable[[str], str | None]:
    """tagging_day(published, now), each day read once: an archive repeats its days ("2024-05-01"), and reading one
    costs ~6 µs, a sixth of tagging a Reuters story. A feed item's time is unique to the second, so it is read as its
    date's noon when it is a time of day in UTC, which is on its date's day whatever the hour (_UTC_TIME)."""
    read = functools.lru_cache(maxsize=4096)(lambda published: tagging_day(published, now))
    # A day alone ("1987-02-26": Reuters rows) is no time of day: the pattern is not tried (a regex call is ~1,000
    # instructions, most of what reading it costs).
    return lambda published: read(published[:10] + _NOON_UTC if len(published) > 10 and _UTC_TIME.fullmatch(published)
                                  else published)


# "2025-02-17T16:26:56+00:00": a time of day, in range, in UTC; but none at the Unix epoch's date, whose first second
# reads as no date (feeds/dates.py).
_UTC_TIME = re.compile(r"(?!1970-01-01)[0-9]{4}-[0-9][0-9]-[0-9][0-9]"
                       r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:Z|\+00:00)")
_NOON_UTC = "T12:00:00Z"


def tagging_day(published: object, now: datetime) -> str | None:
    """The day `import` tags a row with this `published` on: its date read as import reads it, the UTC day, never
    after today's; None (an unknown day: any era's leaders count) when there is none it reads (a number neither),
    where import takes the day of the import."""
    if not isinstance(published, str):
        return None
    value, quality = normalize_date(published, None, now)
    return None if value is None else filing_date(value, quality, now).isoformat()


def exact_id(line: bytes) -> object:
    """The `id` of a row orjson read as a float, as written: orjson reads an integer beyond 64 bits as the nearest
    float, and an id must come back as it went in (output rows are joined to input rows by it). The standard
    library keeps such an integer whole; orjson writes it only as a Fragment of JSON text."""
    value = json.loads(line)["id"]
    return orjson.Fragment(str(value)) if isinstance(value, int) else value


def open_stream(path: Path | str, mode: str) -> AbstractContextManager[BinaryIO]:
    """The file at `path` opened in binary `mode`, or for the string STDIO standard input or output, left open on exit
    (a Path, or "./-", is a file)."""
    if path == STDIO:
        return nullcontext(sys.stdin.buffer if "r" in mode else sys.stdout.buffer)
    # A 1 MiB buffer: writing a demo item's 1.3 KB row cost 2.2 µs with the default 8 KiB, 0.85 µs with it.
    return Path(path).open(mode, buffering=_BLOCK)


def _count_error(summary: TagSummary, message: str) -> None:
    summary.error_count += 1
    if len(summary.errors) < ERRORS_KEPT:
        summary.errors.append(message)


def text_line_blocks(source: BinaryIO, max_line_bytes: int) -> Iterator[list[bytes | None]]:
    """line_blocks of a text file: a byte order mark opening it is no part of its first line."""
    blocks = line_blocks(source, max_line_bytes)
    first = next(blocks, None)
    if first is None:
        return
    if first[0] is not TOO_LONG and first[0].startswith(UTF8_BOM):
        first[0] = first[0][len(UTF8_BOM):]
    yield first
    yield from blocks


def line_blocks(source: BinaryIO, max_line_bytes: int) -> Iterator[list[bytes | None]]:
    """The lines of `source`, without their newline, one block's worth at a time (a generator step per line
    would cost more than splitting). A line over `max_line_bytes` comes as TOO_LONG, and no more than the
    limit plus one block of it is ever held."""
    block_size = min(_BLOCK, max_line_bytes)  # so only a line that spans blocks can be too long
    carry, too_long = bytearray(), False  # the unfinished line at the end of the blocks read so far
    # read1: what a pipe holds now, not a full block (which would wait for the producer to write 1 MiB more)
    read = getattr(source, "read1", source.read)
    while block := read(block_size):
        lines: list = block.split(b"\n")
        tail = lines.pop()
        if lines:
            if too_long or carry:
                first = TOO_LONG if too_long else bytes(carry + lines[0])
                lines[0] = TOO_LONG if first is not TOO_LONG and len(first) > max_line_bytes else first
            carry, too_long = bytearray(), False
            yield lines
        if not too_long:
            carry += tail
            if len(carry) > max_line_bytes:
                carry, too_long = bytearray(), True
    if too_long or carry:
        yield [TOO_LONG if too_long else bytes(carry)]
