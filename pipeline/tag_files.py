"""`pactwatch tag`: stream JSONL rows {id, title, text, published?} through the Tagger.

One output row per input row, same order, written as soon as it is tagged (bounded memory). A line that
cannot be tagged (not JSON, not an object, a title or text that is not a string) becomes an error row
{id, line, error} in its place, so that output row N still answers input row N, and the run goes on.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson  # ~4x faster JSON both ways: decode + encode were a third of `pactwatch tag`'s time

from pipeline.tagging import Tagger


@dataclass
class TagSummary:
    rows: int = 0
    errors: list[str] = field(default_factory=list)  # "path:line: reason", in input order


def tag_rows(rows: Iterable[dict], tagger: Tagger) -> Iterator[dict]:
    """Output rows for input rows, lazily; a row the tagger refuses becomes {id, error}."""
    for row in rows:
        yield _tagged(row, tagger)


def tag_jsonl(in_path: Path, out_path: Path, tagger: Tagger) -> TagSummary:
    """Tag every non-blank line of `in_path` into `out_path`."""
    summary = TagSummary()
    # A 1 MiB output buffer: writing a demo item's 1.3 KB row cost 2.2 µs with the default 8 KiB, 0.85 µs with it.
    with Path(in_path).open("rb") as source, Path(out_path).open("wb", buffering=1 << 20) as sink:
        for number, row in _read_rows(source):
            tagged = _tagged(row, tagger)
            if "error" in tagged:
                tagged = {"id": tagged["id"], "line": number, "error": tagged["error"]}
                summary.errors.append(f"{in_path}:{number}: {tagged['error']}")
            sink.write(orjson.dumps(tagged, option=orjson.OPT_APPEND_NEWLINE))
            summary.rows += 1
    return summary


def _tagged(row: dict | ValueError, tagger: Tagger) -> dict:
    if isinstance(row, ValueError):  # the line could not be read as a row
        return {"id": None, "error": str(row)}
    try:
        return tagger.tag_row(row)
    except ValueError as error:
        return {"id": row.get("id"), "error": str(error)}


def _read_rows(lines: Iterable[bytes]) -> Iterator[tuple[int, dict | ValueError]]:
    """(line number, the row or why the line is not one) for each non-blank line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            yield number, ValueError(f"not JSON ({error})")
            continue
        yield number, row if isinstance(row, dict) else ValueError(f"a JSON {type(row).__name__}, not an object")
