"""Disk full or an unwritable home: a clear message, no traceback, nothing stored lost or corrupted."""
from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys

import duckdb

from tests.logfmt import without_ts

ARTICLE = {"title": "Russia and North Korea sign a treaty", "source": "Archive",
           "text": "Russian and North Korean officials signed a military treaty in Pyongyang. " * 20}


def write_archive(path, start: int, count: int) -> None:
    path.write_text("\n".join(json.dumps({**ARTICLE, "id": f"a{i}", "url": f"https://example.org/{i}",
                                          "title": f"{ARTICLE['title']}, part {i}"})
                              for i in range(start, start + count)))


def run(home, *args, file_size_limit: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:  # like a full disk: writes past this size fail with EFBIG instead of killing us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=300, preexec_fn=limit if file_size_limit else None)


def counts(path) -> tuple[int, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()


def test_a_full_disk_fails_the_run_cleanly_and_the_next_run_completes(home, tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_archive(first, 0, 200)
    write_archive(second, 200, 1500)
    assert run(home, "import", str(first)).returncode == 0
    writer_size = (home / "warehouse.duckdb").stat().st_size

    failed = run(home, "import", str(second), file_size_limit=writer_size + 256 * 1024)
    assert failed.returncode == 1
    assert without_ts(failed.stderr)[0].startswith("pactwatch: ") and "Traceback" not in failed.stderr, failed.stderr
    assert counts(home / "pactwatch.duckdb") == (200, 200), "the published snapshot is untouched"

    assert run(home, "import", str(second)).returncode == 0
    assert counts(home / "pactwatch.duckdb") == (1700, 1700)
    assert counts(home / "warehouse.duckdb") == (1700, 1700)


def test_an_unusable_home_is_reported_plainly(tmp_path):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    result = run(not_a_directory / "home", "demo", "--articles", "10")
    assert result.returncode == 1
    assert without_ts(result.stderr)[0].startswith("pactwatch: ") and "Traceback" not in result.stderr, result.stderr



def test_feeds_add_on_a_full_disk_says_so_in_a_line(home):
    """`feeds add` wrote the feed outside a transaction of ours: the commit the disk refused ended the command with
    DuckDB's traceback (stop 75's audit). Now a line that says the warehouse could not be written, and exit 1."""
    assert run(home, "feeds", "add", "https://a.example/rss", "--id", "a").returncode == 0
    failed = run(home, "feeds", "add", "https://b.example/rss", "--id", "b", file_size_limit=1)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert without_ts(failed.stderr)[0].startswith("pactwatch: could not write the warehouse "), failed.stderr
    listed = run(home, "feeds", "list", "--json")
    assert [feed["feed_id"] for feed in json.loads(listed.stdout)] == ["a"]
