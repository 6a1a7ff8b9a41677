"""Ctrl-C and SIGTERM stop a command at once, cleanly: a message, exit 128 + signal, committed data kept."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import PROJECT_ROOT
from tests.httpserver import Response
from tests.rss import Item, rss


def invoke(home, *args) -> str:
    """stdout only: the test server's thread may still report the connection the stopped process dropped."""
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def start(home, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), *args], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


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


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_single_ingest_stops_mid_run_and_keeps_what_earlier_runs_stored(home, http_server, sig):
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest", "--interval", "0s")
    release = threading.Event()
    http_server.routes["/a.xml"] = lambda handler: release.wait(60) and Response(304)
    process = start(home, "ingest", "--interval", "0s")
    try:
        wait_for(lambda: len(http_server.requests) == 2, "the second run's request")
        stopped(process, sig)
    finally:
        release.set()
    runs = json.loads(invoke(home, "sql", "--json", "SELECT count(*) AS runs, sum(new_articles) AS new FROM runs"))
    assert runs == [{"runs": 1, "new": 1}], "the interrupted run stored nothing; the first one is kept"
    invoke(home, "ingest", "--interval", "0s")  # the lock and the warehouse were released



@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_long_sql_query_stops_at_once(home, sig):
    """DuckDB could swallow a signal delivered inside execute(); the query now runs on its own thread while the
    main thread waits, which always receives the signal and interrupts the query."""
    invoke(home, "demo", "--articles", "20")
    process = start(home, "sql", "SELECT count(*) FROM range(100000000000000)", "--timeout", "600")
    time.sleep(1.5)  # past start-up, inside the query
    stopped(process, sig)
