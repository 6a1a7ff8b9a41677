"""3. `pactwatch tag` (tag_jsonl) vs a bare Aho-Corasick scan of the same text with the same phrases."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path


def _phrase_keys() -> set[str]:
    """The tagger's own automaton keys (places, blockers, ambiguous surfaces and cues, topic terms)."""
    from pipeline.seeds import DEFAULT_SEEDS_DIR, load_tagger_data
    from pipeline.tagging.tagger import _main_patterns

    return {key for key, _ in _main_patterns(load_tagger_data(DEFAULT_SEEDS_DIR)) if key.strip()}


def _automaton():
    import ahocorasick

    automaton = ahocorasick.Automaton()
    keys = _phrase_keys()
    for key in keys:
        automaton.add_word(key, len(key))
    automaton.make_automaton()
    return automaton, len(keys)


def bare_scan(jsonl: str) -> dict:
    """Same input stream: JSON decode, fold (lower-case, punctuation to spaces), iterate every match."""
    from pipeline.tagging.text import padded_fold

    automaton, keys = _automaton()
    hits = rows = 0
    cpu, started = time.process_time(), time.perf_counter()
    with open(jsonl, encoding="utf-8") as source:
        for line in source:
            row = json.loads(line)
            for field in (row.get("title") or "", row.get("text") or ""):
                for _ in automaton.iter(padded_fold(field)):
                    hits += 1
            rows += 1
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "rows": rows, "hits": hits, "keys": keys}


def regex_scan(jsonl: str, max_bytes: int = 1_000_000) -> dict:
    """The issue's "don't build that": the same phrase keys as one flat regex alternation (longest first), over
    the same folded text as `bare_scan`, for the first rows up to `max_bytes` of title+text (it is that slow).
    re finds leftmost, non-overlapping matches, fewer than the automaton's every match: that flatters it."""
    import re

    from pipeline.tagging.text import padded_fold

    keys = _phrase_keys()
    cpu = time.process_time()
    pattern = re.compile("|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True)))
    compile_cpu = time.process_time() - cpu
    hits = rows = text_bytes = 0
    cpu = time.process_time()
    with open(jsonl, encoding="utf-8") as source:
        for line in source:
            row = json.loads(line)
            for field in (row.get("title") or "", row.get("text") or ""):
                hits += sum(1 for _ in pattern.finditer(padded_fold(field)))
                text_bytes += len(field.encode())
            rows += 1
            if text_bytes >= max_bytes:
                break
    return {"cpu_seconds": time.process_time() - cpu, "compile_cpu_seconds": compile_cpu, "rows": rows,
            "hits": hits, "keys": len(keys), "text_bytes": text_bytes}


def tag_and_scan(jsonl: str, out: str, text_bytes: int) -> dict:
    """tag_jsonl (one process, one core: what `pactwatch tag` runs) then the bare scan, back to back."""
    from pipeline.seeds import load_tagger
    from pipeline.tag_files import tag_jsonl
    from pipeline.tagging import RUNNING

    tagger = load_tagger()
    cpu, started = time.process_time(), time.perf_counter()
    summary = tag_jsonl(Path(jsonl), Path(out), tagger)
    tagged = {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu, "rows": summary.rows,
              "error_rows": summary.error_count, "output_bytes": os.path.getsize(out)}
    os.unlink(out)
    return {"tag": tagged, "scan": bare_scan(jsonl), "text_bytes": text_bytes,
            "file_bytes": os.path.getsize(jsonl), "tagger": RUNNING}


def write_reuters(source: str, out: str) -> dict:
    """Reuters-21578 dev stories as `pactwatch tag` input rows (dateline in front of the body, as on the wire)."""
    import orjson

    from pipeline.evaluate import reuters_row

    rows = text_bytes = 0
    with open(source, "rb") as lines, open(out, "wb") as sink:
        for line in lines:
            story = orjson.loads(line)
            row = reuters_row(story)
            sink.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
            rows += 1
            text_bytes += len(row["title"].encode()) + len(row["text"].encode())
    return {"rows": rows, "text_bytes": text_bytes}


def write_real_feeds(source: str, out: str) -> dict:
    """Every entry of the captured real feeds, as our parser reads it, as `pactwatch tag` input rows."""
    from datetime import datetime, timezone

    import orjson

    from pipeline.feeds.parse import parse_feed

    rows = text_bytes = 0
    now = datetime.now(timezone.utc)
    with open(out, "wb") as sink:
        for path in sorted(Path(source).rglob("*.xml")):
            for entry in parse_feed(path.read_bytes(), path.as_uri(), now).entries:
                sink.write(orjson.dumps({"id": entry.key, "title": entry.title, "text": entry.text},
                                        option=orjson.OPT_APPEND_NEWLINE))
                rows += 1
                text_bytes += len(entry.title.encode()) + len(entry.text.encode())
    return {"rows": rows, "text_bytes": text_bytes}
