"""The mypyc-compiled tagger (tools/build_tagger.py, run by `make setup`) tags exactly as its sources do,
and runs only while it was built from the sources beside it (pipeline/native.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from itertools import islice
from pathlib import Path

import orjson
import pytest

import pipeline.tagging
from pipeline.evaluate import reuters_row
from pipeline.native import DIGEST_FILE, PACKAGE_DIR, compiled_sources, compiled_status, source_digest
from pipeline.seeds import load_tagger
from pipeline.tag_files import tag_jsonl

from ..conftest import SHARED_DATA

TRAPS = Path(__file__).parent / "traps.toml"


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """The tagging sources in a scratch directory, with a compiled copy recorded as built from them."""
    monkeypatch.delenv("PACTWATCH_PURE_PYTHON", raising=False)
    package, compiled = tmp_path / "tagging", tmp_path / "tagging" / "_compiled"
    compiled.mkdir(parents=True)
    for source in PACKAGE_DIR.glob("*.py"):
        shutil.copy2(source, package / source.name)
    (compiled / DIGEST_FILE).write_text(source_digest(package) + "\n", encoding="ascii")
    return package, compiled


def test_fresh_build_runs(package_copy):
    assert compiled_status(*package_copy) == "compiled"


def test_edited_source_makes_the_build_stale(package_copy):
    package, compiled = package_copy
    tagger = package / "tagger.py"
    tagger.write_text(tagger.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert "stale" in compiled_status(package, compiled)


def test_added_module_makes_the_build_stale(package_copy):
    package, compiled = package_copy
    (package / "extra.py").write_text("X = 1\n", encoding="utf-8")
    assert "stale" in compiled_status(package, compiled)


def test_a_build_for_another_interpreter_is_stale(package_copy, monkeypatch):
    monkeypatch.setattr("pipeline.native.interpreter_tag", lambda: "cpython-311 .cpython-311-aarch64-linux-gnu.so")
    assert "stale" in compiled_status(*package_copy)


def test_package_init_is_never_compiled(package_copy):
    package, compiled = package_copy
    assert "__init__.py" not in [path.name for path in compiled_sources(package)]


def test_missing_build_and_forced_sources(package_copy, monkeypatch):
    package, compiled = package_copy
    monkeypatch.setenv("PACTWATCH_PURE_PYTHON", "1")
    assert compiled_status(package, compiled) == "pure Python: PACTWATCH_PURE_PYTHON=1"
    monkeypatch.delenv("PACTWATCH_PURE_PYTHON")
    (compiled / DIGEST_FILE).unlink()
    assert "not compiled" in compiled_status(package, compiled)


def _equivalence_rows() -> list[dict]:
    """Every trap sentence, and (when ../shared is here) real stories of all three corpora."""
    traps = tomllib.loads(TRAPS.read_text(encoding="utf-8"))["trap"]
    rows = [{"id": f"trap-{n}", "title": trap.get("title", ""), "text": trap["text"],
             "published": trap.get("published"), "language": trap.get("language")} for n, trap in enumerate(traps)]
    if SHARED_DATA.is_dir():
        rows += [reuters_row(doc) for doc in _jsonl(SHARED_DATA / "reuters21578" / "dev.jsonl", 3000)]
        for corpus in ("geoparsing_news", "re3d_defence"):
            rows += [{"id": doc["id"], "title": doc.get("title", ""), "text": doc["text"]}
                     for doc in _jsonl(SHARED_DATA / corpus / "dev.jsonl", 1000)]
    return rows


def _jsonl(path: Path, limit: int) -> list[dict]:
    with path.open("rb") as lines:
        return [orjson.loads(line) for line in islice(lines, limit)]


def _compiled_or_skip() -> None:
    if pipeline.tagging.RUNNING != "compiled":
        if os.environ.get("PACTWATCH_REQUIRE_COMPILED") == "1":  # CI: the build must have worked
            pytest.fail(f"PACTWATCH_REQUIRE_COMPILED=1 but {pipeline.tagging.RUNNING}")
        pytest.skip(f"{pipeline.tagging.RUNNING}: nothing to compare")


def test_compiled_records_are_read_only():
    _compiled_or_skip()
    tags = load_tagger().tag("Russia and China sign trade pact", "Moscow and Beijing agreed to cut tariffs.")
    for record, field in ((tags.mentions[0], "iso3"), (tags.pair_sentences[0], "cue"), (tags.topics[0], "score"),
                          (tags.topic_hits[0], "surface")):
        with pytest.raises(AttributeError):
            setattr(record, field, None)


def test_compiled_tagger_tags_like_its_sources(tmp_path):
    _compiled_or_skip()
    source, compiled_out, pure_out = tmp_path / "in.jsonl", tmp_path / "compiled.jsonl", tmp_path / "pure.jsonl"
    rows = _equivalence_rows()
    source.write_bytes(b"".join(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE) for row in rows))
    summary = tag_jsonl(source, compiled_out, load_tagger())
    assert summary.rows == len(rows) and summary.errors == []
    pure = subprocess.run([sys.executable, "-m", "pipeline", "tag", "--input", str(source), "--output", str(pure_out)],
                          env={**os.environ, "PACTWATCH_PURE_PYTHON": "1"}, capture_output=True, text=True, timeout=300)
    assert pure.returncode == 0, pure.stderr
    assert compiled_out.read_bytes() == pure_out.read_bytes()


def test_the_sources_run_when_forced():
    probe = "import pipeline.tagging, pipeline.tagging.tagger as t; print(pipeline.tagging.RUNNING, t.__file__)"
    result = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PACTWATCH_PURE_PYTHON": "1"},
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["pure", "Python:", "PACTWATCH_PURE_PYTHON=1", str(PACKAGE_DIR / "tagger.py")]
