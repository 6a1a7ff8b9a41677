"""The benchmark harness end to end on a tiny corpus: every measurement produces its row.

No timing assertions (DEVELOPERS.md: no test depends on wall-clock speed); this only proves that
`python -m bench` still runs against the current code and reports everything issue #8 asks for.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.dashboard.routes import ROUTES

from .conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 1_000

FIXED_KEYS = {
    "corpus.generate", "ingest.items_per_s", "ingest.parse_share", "ingest.peak_rss", "import.articles_per_s",
    "tag.mb_per_s_core", "tag.vs_aho_corasick", "tag.regex_alternation_mb_per_s_core", "write.vs_executemany",
    "retag.articles_per_s", "publish.seconds", "warehouse.bytes_per_1m", "dashboard.peak_rss", "poll.cpu_ms_per_feed",
    "poll.core_share",
}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    command = [sys.executable, "-m", "bench", "--articles", str(ARTICLES), "--workdir", str(out / "work"),
               "--doc", str(out / "benchmarks.md"), "--json", str(out / "results.json"),
               "--query-repeats", "1", "--tag-repeats", "2", "--poll-feeds", "20", "--executemany-rows", "200"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "results.json").read_text()), (out / "benchmarks.md").read_text(), done.stdout


@pytest.mark.slow
def test_every_measurement_has_a_row(bench_run):
    results, _, _ = bench_run
    rows = {row["key"]: row for row in results["rows"]}
    assert FIXED_KEYS <= set(rows), sorted(FIXED_KEYS - set(rows))
    for key in FIXED_KEYS:
        assert rows[key]["value"] is not None and rows[key]["value"] > 0, rows[key]
    assert "free blocks; compacted:" in rows["retag.articles_per_s"]["note"]  # the retag compacts the writer
    assert "median of 2 fresh processes" in rows["tag.mb_per_s_core"]["note"]
    for route in ROUTES:  # page exceptions are tests/dashboard's business; here: every page was rendered and timed
        assert rows[f"page.{route.name}"]["value"] is not None
    if SHARED_DATA.is_dir():  # real wire stories, next to the demo items
        assert rows["tag.reuters_mb_per_s_core"]["value"] > 0
        assert "18,279 rows" in rows["tag.reuters_mb_per_s_core"]["note"]
        assert rows["tag.feeds_mb_per_s_core"]["value"] > 0


@pytest.mark.slow
def test_every_public_dashboard_query_is_measured_or_skipped_with_a_reason(bench_run):
    from bench.m_queries import discover

    results, _, _ = bench_run
    rows = {row["key"]: row for row in results["rows"]}
    for name, _ in discover():
        row = rows[f"query.{name}"]
        assert row["value"] is not None or row["note"].startswith("skipped:"), row
    assert "query.search_articles_body" in rows or "search_articles" not in dict(discover())


@pytest.mark.slow
def test_the_report_has_machine_load_and_the_table(bench_run):
    results, doc, stdout = bench_run
    assert results["machine"]["cores"] and results["loads"]
    section = doc[doc.index(f"<!-- bench:{ARTICLES}:start -->"):doc.index(f"<!-- bench:{ARTICLES}:end -->")]
    assert "Load average" in section and "| section | metric |" in section
    assert section.count("\n| ") == len(results["rows"]) + 1  # header + one line per row
    assert section in stdout


@pytest.mark.parametrize(("argv", "expected"), [
    ([], "docs/benchmarks.md"), (["--only", "tag"], None), (["--only", "tag", "--doc", "x.md"], "x.md"),
    (["--doc", "-"], None)])
def test_only_a_full_run_rewrites_the_committed_section_unless_told(argv, expected):
    """Replicating docs/accuracy.md's `--only tag` speed runs replaced the committed 100k table (review R, finding 5)."""
    from bench.__main__ import ROOT as BENCH_ROOT, doc_to_write, parse_args

    doc = doc_to_write(parse_args(argv))
    assert (None if doc is None else str(doc.relative_to(BENCH_ROOT) if doc.is_absolute() else doc)) == expected
