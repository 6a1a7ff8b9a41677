"""What the CLI writes for a terminal or a pipe: rows as TSV, CSV or JSON, reports, logfmt lines. Text from
feeds, servers and queries reaches them, so every control character that could drive the reader's terminal is
escaped, but in CSV: it has no escape, and a stored id changed there would not import again (CSV is for a file or a
program, not for reading on a terminal)."""
from __future__ import annotations

import io
import json
import math
import os
import re
import sys
from datetime import UTC, datetime
from decimal import Decimal

import click

from .controls import CONTROLS, CONTROLS_BUT_TAB_AND_NEWLINE


def echo_json(data) -> None:
    text = json.dumps(json_ready(data), indent=2, default=str, ensure_ascii=False)
    click.echo(_ESCAPED_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text))


# json.dumps escapes C0 controls only: DEL, the C1 controls (U+009B is a CSI of its own) and bidi overrides came out
# raw, driving or reordering the terminal that shows the output. Outside its strings JSON is ASCII, and inside them
# json.dumps escaped tab and newline, so only its own indentation keeps those raw.
_ESCAPED_IN_JSON = CONTROLS_BUT_TAB_AND_NEWLINE


def json_ready(value):
    """NaN and infinities as null: JSON has no such numbers, and a strict parser rejects Python's NaN. A DECIMAL
    becomes a JSON number, not a string such as "1.50". A time is ISO 8601 with its "T", as `status --json` writes it
    (`feeds list --json` and `sql --json` wrote "2026-12-06 06:17:14+00:00")."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    return value


def readable(value) -> str:
    """A nested report value (the last run, the tag versions) as `key=value` pairs rather than a Python repr, as text:
    a value can come from a file in the home (the failure record) that a reader of another account trusts."""
    if isinstance(value, dict):
        return ", ".join(f"{key}=({readable(item)})" if isinstance(item, dict) else f"{key}={tsv_field(str(item))}"
                         for key, item in value.items()) or "none"
    if isinstance(value, list):  # file names: "warehouse.duckdb, ingest.lock", not "['warehouse.duckdb', ...]"
        return ", ".join(readable(item) for item in value) or "none"
    return "none" if value is None else tsv_field(str(value))


def print_rows(columns: list[str], rows: list[tuple], *, as_json: bool, as_csv: bool) -> None:
    if as_json:
        echo_json([dict(zip(columns, row)) for row in rows])
    elif as_csv:  # as `export` writes CSV: lists ';'-joined, feed text that a spreadsheet would run defused
        import csv

        from .csv_cells import csv_cell

        # "\n" as export ends its lines: an id taken with $(... --csv | tail -1) kept csv's "\r" and matched nothing
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([csv_cell(value) for value in row] for row in rows)
    elif columns == EXPLAIN_COLUMNS:  # the plan is drawn over several lines: escaping them would make it unreadable
        click.echo("\n\n".join(visible_lines(str(value)) for row in rows for value in row))
    else:
        click.echo("\t".join(map(tsv_field, columns)))
        for row in rows:
            click.echo("\t".join("" if v is None else tsv_field(str(v)) for v in row))


EXPLAIN_COLUMNS = ["explain_key", "explain_value"]
# A tab or line break inside a value would shift columns or split the row; backslash escapes keep one per line.
# Any other control character (ESC, BEL, NUL, DEL, the C1 controls) would drive the reader's terminal, and a bidi
# override reorder what it shows: it shows as \xNN (\uNNNN for the bidi controls).
_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPED_IN_TEXT = re.compile(rf"\\|{CONTROLS.pattern}")


def tsv_field(text: str) -> str:
    return _ESCAPED_IN_TEXT.sub(lambda found: _TSV_ESCAPES.get(found.group()) or _escaped_code(found.group()), text)


def _escaped_code(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def visible_lines(text: str) -> str:
    """Text drawn over several lines (a plan, an error pointing into the query), its other controls escaped."""
    return "\n".join(map(tsv_field, text.split("\n")))


def logfmt(event: str, **fields) -> str:
    """One log line, led by when it was written (`ts=`, UTC to the second, logfmt's first field): a cron job appends
    these to a file for months, where "the home was locked" must be matched to the check that mailed about it."""
    return " ".join([_written_at(), f"event={event}"] +
                    [f"{k}={_logfmt_value(v)}" for k, v in fields.items() if v is not None])


def complaint(text: str) -> str:
    """A line saying why a command failed or what it warns of, in words (`pactwatch: …`), dated as the logfmt lines
    are: cron appends it to the same log, where an undated "another PactWatch run holds …" matches no run."""
    return f"{_written_at()} pactwatch: {text}"


def _written_at() -> str:
    return f"ts={datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"


# A value holding any of these is written as a JSON string: a space, quote or "=" would split it into other fields,
# and a control character (an exception's text, a path) would reach the terminal reading the log.
_LOGFMT_QUOTED = re.compile(rf'[\s"=]|{CONTROLS.pattern}')


def _logfmt_value(value) -> str:
    text = str(value)
    return json.dumps(text) if not text or _LOGFMT_QUOTED.search(text) else text


def stdout_written_whole() -> None:
    """Make every write to standard output land whole or raise (exit 1; a reader that left still raises
    BrokenPipeError, exit 0). Python's own sys.stdout lost the short count a large write got from a full disk or
    `ulimit -f` and raised nothing: `export --output - > file` and `sql` of a long text cut the file short and
    exited 0. Its encoding and buffering are kept."""
    stream = sys.stdout
    try:
        descriptor = stream.fileno()
    except (AttributeError, io.UnsupportedOperation):  # closed at start (`>&-`: None), or in memory (a test's)
        return
    stream.flush()
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeWrites(descriptor)), encoding=stream.encoding,
                                  errors=stream.errors, line_buffering=stream.line_buffering)


class StandardOutputError(OSError):
    """A write to standard output failed (a full disk, `ulimit -f`; not a reader that left: BrokenPipeError)."""


def cut_short(error: OSError) -> str:
    """Why a command failed whose standard output did not take what it wrote."""
    return f"could not write standard output: {error.strerror or error}; what it received is cut short"


class _WholeWrites(io.RawIOBase):
    """A file descriptor written until every byte is out: the write after a short one raises the error (EFBIG,
    ENOSPC) that the short count stood for, as StandardOutputError. What is written after that is dropped: the command
    has failed, and the interpreter's exit flush of the rest failed again with a traceback and exit status 120.
    Closing it leaves the descriptor open."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self._descriptor = descriptor
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._descriptor

    def isatty(self) -> bool:
        return os.isatty(self._descriptor)

    def write(self, data) -> int:
        left = memoryview(data).cast("B")
        try:
            while left and not self._failed:
                left = left[os.write(self._descriptor, left):]
        except BrokenPipeError:
            raise
        except OSError as error:
            self._failed = True
            raise StandardOutputError(error.errno, error.strerror) from error
        return memoryview(data).nbytes
