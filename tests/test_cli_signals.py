"""Ctrl-C and SIGTERM stop a command at once, cleanly: a message, exit 128 + signal, committed data kept. A reader
that closes the pipe early stops a command as it stops a Unix filter: quietly."""
from __future__ import annotations

import fcntl
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import _reader_left, cli
from tests.conftest import PROJECT_ROOT
from tests.httpserver import Response, ScriptedServer
from tests.logfmt import without_ts
from tests.rss import Item, feed_list_toml, rss


def invoke(home, *args) -> str:
    """stdout only: the test server's thread may still report the connection the stopped process dropped."""
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def start(home, *args, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), *args], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=stderr, text=True)


def stopped(process: subprocess.Popen, sig: signal.Signals) -> str:
    """Send `sig`, return stderr; the process must exit with 128 + sig, saying it was interrupted."""
    process.send_signal(sig)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"still running 60 s after {sig.name}")
    assert process.returncode == 128 + sig, stderr
    assert f"interrupted by {sig.name}" in stderr and "Traceback" not in stderr, stderr
    return stderr


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def a_second_run_waiting(home, http_server) -> threading.Event:
    """A home with one run stored, whose feed's next answer waits for the event returned (set it to answer)."""
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest", "--interval", "0s")
    release = threading.Event()
    http_server.routes["/a.xml"] = lambda handler: release.wait(60) and Response(304)
    return release


def stored_runs(home) -> int:
    return json.loads(invoke(home, "sql", "--json", "SELECT count(*) AS runs FROM runs"))[0]["runs"]


# SIGHUP: a closed ssh session. It killed every command without a word (exit 129 by Python's default).
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_single_ingest_stops_mid_run_and_keeps_what_earlier_runs_stored(home, http_server, sig):
    release = a_second_run_waiting(home, http_server)
    process = start(home, "ingest", "--interval", "0s")
    try:
        wait_for(lambda: len(http_server.requests) == 2, "the second run's request")
        stopped(process, sig)
    finally:
        release.set()
    assert stored_runs(home) == 1, "the interrupted run stored nothing; the first one is kept"
    invoke(home, "ingest", "--interval", "0s")  # the lock and the warehouse were released


def a_loop_in_its_run(home, http_server, log) -> tuple[subprocess.Popen, threading.Event]:
    """`ingest --every 1h`, its stderr in the file `log`, inside its run: its feed answers when the event returned is
    set."""
    release = a_second_run_waiting(home, http_server)
    with log.open("w") as stderr:
        process = start(home, "ingest", "--every", "1h", "--interval", "0s", stderr=stderr)
    wait_for(lambda: len(http_server.requests) == 2, "the loop's run's request")
    return process, release


def test_a_loop_says_at_once_it_stops_after_the_run_and_exits_with_the_signal(home, http_server, tmp_path):
    """It said nothing until the run ended (up to --fetch-budget plus a fetch: systemd's stop timeout ran out first),
    then exited 0."""
    log = tmp_path / "stderr"
    process, release = a_loop_in_its_run(home, http_server, log)
    try:
        process.send_signal(signal.SIGTERM)
        wait_for(lambda: "event=stopping signal=SIGTERM after=current_run" in log.read_text(), "the stopping line")
    finally:
        release.set()
    assert process.wait(timeout=60) == 143
    lines = without_ts(log.read_text())
    assert lines[-2].startswith("event=run run_id=2 ") and lines[-1] == "event=stopped signal=SIGTERM", lines
    assert stored_runs(home) == 2, "the run in progress was finished"


# `pactwatch ingest --every 1h` held as it loads its seeds (the gazetteer's first file opened): it says "loading" on
# stdout and goes on when a byte comes in on stdin
HELD_AT_START = """
import os, sys
from pipeline.cli import main
held = []
def hold(event, args):
    if event == "open" and not held and "gazetteer" in str(args[0]):
        held.append(args[0])
        os.write(1, b"loading\\n")
        os.read(0, 1)
sys.addaudithook(hold)
sys.argv = ["pactwatch", *sys.argv[1:]]
main()
"""


def test_a_loop_stopped_while_it_starts_ends_before_any_run_and_says_so(home, http_server, tmp_path):
    """A stop before the first run (here: as the loop loads its seeds) was the single run's "interrupted … the work
    in progress was rolled back", with nothing in progress, where a supervisor's log looks for event=stopped."""
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(feed_list_toml({"a": http_server.url("/a.xml")}))
    process = subprocess.Popen([sys.executable, "-c", HELD_AT_START, "--home", str(home), "ingest", "--every", "1h",
                                "--feeds", str(feeds)], cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline() == b"loading\n"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(b"x", timeout=60)
    assert process.returncode == 143, stderr
    assert without_ts(stderr.decode()) == ["event=stopped signal=SIGTERM"]
    assert http_server.requests == [] and not (home / "warehouse.duckdb").exists()


def test_a_second_signal_stops_the_loop_s_run_at_once(home, http_server, tmp_path):
    log = tmp_path / "stderr"
    process, release = a_loop_in_its_run(home, http_server, log)
    try:
        process.send_signal(signal.SIGINT)
        wait_for(lambda: "event=stopping signal=SIGINT" in log.read_text(), "the stopping line")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
    finally:
        release.set()
    assert "interrupted by SIGINT" in log.read_text() and "Traceback" not in log.read_text()
    assert stored_runs(home) == 1, "the interrupted run stored nothing"



@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_long_sql_query_stops_at_once(home, sig):
    """DuckDB could swallow a signal delivered inside execute(); the query now runs on its own thread while the
    main thread waits, which always receives the signal and interrupts the query."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")  # publishes a snapshot to query, in ~0.1 s
    process = start(home, "sql", "SELECT count(*) FROM range(100000000000000)", "--timeout", "600")
    # past start-up (a signal during the imports is Python's own: a traceback, or death by SIGTERM), inside the query
    wait_for(lambda: holds_open(process, home / "snapshots"), "the command to open the snapshot")
    time.sleep(0.5)
    stopped(process, sig)


def holds_open(process: subprocess.Popen, folder) -> bool:
    """Whether the process has a file of `folder` open (Linux: its /proc/<pid>/fd links)."""
    fds = Path(f"/proc/{process.pid}/fd")
    try:
        return any(os.readlink(fd).startswith(f"{os.path.realpath(folder)}/") for fd in fds.iterdir())
    except FileNotFoundError:  # the process, or a file it had open, is gone
        return False


@pytest.fixture(scope="module")
def home_with_long_articles(tmp_path_factory):
    """A home of four long articles: each output below is far more than a pipe holds."""
    home = tmp_path_factory.mktemp("pipes") / "home"
    talks = "South Korea and Japan met in Seoul to talk about trade. " * 400
    with ScriptedServer() as server:
        server.routes["/a.xml"] = Response(200, rss([Item(f"Talks {n}", talks, guid=f"g{n}") for n in range(4)]))
        invoke(home, "feeds", "add", server.url("/a.xml"), "--id", "a")
        invoke(home, "ingest", "--interval", "0s")
    return home


def first_line_then_close(home, *args, stdin_path=None) -> tuple[bytes, int, str]:
    """Run a command whose standard output is a pipe its reader closes after the first line, as `| head -1` does:
    that line, the exit status and stderr. The pipe holds one page, so the command is still writing then."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    with open(stdin_path or os.devnull, "rb") as stdin:
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), *args], cwd=PROJECT_ROOT,
                                   stdin=stdin, stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        line = reader.readline()
    _, stderr = process.communicate(timeout=120)
    return line, process.returncode, stderr.decode()


@pytest.mark.parametrize(("args", "first_line"), [
    (("export", "--table", "articles", "--output", "-"), b'"article_id",'),
    (("sql", "SELECT title, text FROM articles"), b"title\ttext\n"),
    (("sql", "--csv", "SELECT title, text FROM articles"), b"title,text\n"),
], ids=["export", "sql", "sql --csv"])
def test_a_reader_that_stops_reading_stops_the_command_quietly(home_with_long_articles, args, first_line):
    """They ended with exit 1 and not a word (click's own answer to a closed pipe): a script could not tell
    `| head -1` from a failure. 0, as the reader had what it asked for."""
    line, status, stderr = first_line_then_close(home_with_long_articles, *args)
    assert line.startswith(first_line)
    assert (status, stderr) == (0, "")


def rows_to_tag(path, count: int):
    """`count` rows for `tag`, about 1 KiB of output each."""
    path.write_text("".join(json.dumps({"id": n, "title": "Seoul and Tokyo talk", "text": "South Korea and Japan met."})
                            + "\n" for n in range(count)))
    return path


def test_tag_into_a_reader_that_stops_reading_stops_quietly(home_with_long_articles, tmp_path):
    rows = rows_to_tag(tmp_path / "rows.jsonl", 200)
    line, status, stderr = first_line_then_close(home_with_long_articles, "tag", "--input", "-", "--output", "-",
                                                 stdin_path=rows)
    assert json.loads(line)["id"] == 0
    assert (status, stderr) == (0, "")


def test_only_a_pipe_without_its_reader_counts_as_a_reader_that_left(tmp_path):
    """A BrokenPipeError from another pipe (a worker's, a socket) is no reader's choice: it must not end a command
    as a success."""
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as writer, (tmp_path / "file").open("wb") as file:
        assert not _reader_left(writer) and not _reader_left(file)
        os.close(read_end)
        assert _reader_left(writer)
    assert not _reader_left(None)  # sys.stdout of a command started with standard output closed


def test_another_pipe_that_breaks_is_an_error_in_words(tmp_path):
    """A pipe other than standard output losing its reader (here the FIFO --output names) ended the command with
    exit 1 and not a word: click takes a BrokenPipeError for its own. It is a failure, and now says so."""
    rows = rows_to_tag(tmp_path / "rows.jsonl", 500)  # far more than a pipe holds (64 KiB)
    fifo = tmp_path / "tags.fifo"
    os.mkfifo(fifo)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(tmp_path / "home"), "tag",
                                "--input", str(rows), "--output", str(fifo)], cwd=PROJECT_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with fifo.open("rb") as reader:
        assert json.loads(reader.readline())["id"] == 0
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert without_ts(stderr.decode()) == ["pactwatch: broken pipe (not standard output's): [Errno 32] Broken pipe"]


def under_a_file_size_limit(home, tmp_path, *args, stdin_path=None, limit=16 * 1024) -> tuple[int, str, int]:
    """Run a command with standard output redirected to a file, under `ulimit -f` of `limit` bytes (SIGXFSZ is
    ignored, as Python ignores it, so a write past the limit gets EFBIG): its exit status, stderr and the bytes the
    file got."""
    out = tmp_path / "out"
    with open(stdin_path or os.devnull, "rb") as stdin, out.open("wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), *args], cwd=PROJECT_ROOT,
                              stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    return done.returncode, done.stderr, out.stat().st_size


def test_export_into_a_full_file_fails_in_words(home_with_long_articles, tmp_path):
    """A large write to sys.stdout.buffer lost the short count `ulimit -f` or a full disk gave it: the export exited
    0, saying it wrote every row, with the file cut off mid-row."""
    status, stderr, size = under_a_file_size_limit(home_with_long_articles, tmp_path, "export", "--table", "articles",
                                                   "--output", "-")
    assert size == 16 * 1024 and status == 1, stderr
    assert without_ts(stderr) == ["pactwatch: could not write standard output: File too large; what it received is "
                                  "cut short"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_export_that_fails_part_way_leaves_the_target_as_it_was(home_with_long_articles, tmp_path, fmt):
    """It left the rows written up to the failure at the target (a Parquet file without its footer), with an error
    that named no file: a sync job took the half CSV for whole."""
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / f"{'x' * 240}.{fmt}"  # a temp name longer than the target's would exceed NAME_MAX
    # (the long articles repeat one sentence: their Parquet file is smaller than the CSV by far)
    target.write_text("the export before")
    status, stderr, _ = under_a_file_size_limit(home_with_long_articles, tmp_path, "export", "--table", "articles",
                                                "--format", fmt, "--output", str(target), limit=1024)
    assert status == 1
    assert without_ts(stderr) == [f"pactwatch: could not write {target}: File too large; nothing was written there"]
    assert [path.name for path in folder.iterdir()] == [target.name] and target.read_text() == "the export before"


def test_an_export_into_a_fifo_writes_through_it(home_with_long_articles, tmp_path):
    """A FIFO (or /dev/null) is written as it is, not replaced by a file."""
    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)
    read = []
    threading.Thread(target=lambda: read.append(fifo.read_bytes()), daemon=True).start()
    process = start(home_with_long_articles, "export", "--table", "articles", "--format", "csv", "--output", str(fifo))
    assert process.wait(timeout=120) == 0 and fifo.is_fifo()
    wait_for(lambda: read, "the reader to reach the end")
    assert read[0].startswith(b'"article_id",')


@pytest.mark.parametrize("args", [("sql", "SELECT repeat('x', 100000) AS x"),
                                  ("sql", "--json", "SELECT repeat('x', 100000) AS x"),
                                  ("tag", "--input", "-", "--output", "-")], ids=["sql", "sql --json", "tag"])
def test_other_commands_into_a_full_file_fail(home_with_long_articles, tmp_path, args):
    """Each wrote a row of 100 KB, cut off at the limit, then exited 0."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": 0, "title": "Talks", "text": "South Korea and Japan met. " * 4000}) + "\n")
    status, stderr, _ = under_a_file_size_limit(home_with_long_articles, tmp_path, *args, stdin_path=rows)
    assert status == 1 and "File too large" in stderr, stderr


@pytest.mark.parametrize("args", [("--version",), ("status",), ("status", "--json"), ("schema",), ("feeds", "list"),
                                  ("feeds", "export-opml"), ("alerts",), ("sql", "SELECT 1")],
                         ids=lambda args: " ".join(args))
def test_a_short_output_into_a_full_file_fails_in_words(home_with_long_articles, tmp_path, args):
    """A short output waits in a buffer until the interpreter's exit flush, whose failure printed "Exception ignored"
    and a traceback and exited 120, where README promises one line and exit 1."""
    status, stderr, size = under_a_file_size_limit(home_with_long_articles, tmp_path, *args, limit=0)
    assert (status, size) == (1, 0), stderr
    assert without_ts(stderr)[-1] == "pactwatch: could not write standard output: File too large; what it received " \
                                     "is cut short"
    assert "Traceback" not in stderr and "Exception" not in stderr  # schema's "data dictionary: …" line comes first


def without_stdout(*args) -> subprocess.CompletedProcess:
    """Run a command started with its standard output closed (`>&-`, as some supervisors start a job): Python then
    has no sys.stdout at all."""
    return subprocess.run(["sh", "-c", '"$0" "$@" >&-', sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def test_a_command_started_without_stdout_still_succeeds(tmp_path):
    """The flush after every command took sys.stdout for granted: with standard output closed, a command that had
    done its work (here the tags written to a file) ended with an AttributeError's traceback and exit 1."""
    rows, tags = rows_to_tag(tmp_path / "rows.jsonl", 3), tmp_path / "tags.jsonl"
    done = without_stdout("--home", str(tmp_path / "home"), "tag", "--input", str(rows), "--output", str(tags))
    assert (done.returncode, done.stderr) == (0, "")
    assert [json.loads(line)["id"] for line in tags.read_text().splitlines()] == [0, 1, 2]
