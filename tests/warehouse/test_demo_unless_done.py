"""`make run` runs `pactwatch demo --unless-done` each time (the Makefile's `demo` target). A demo stopped after it
published part of its corpus (SIGKILL, Ctrl-C) is built again; a finished one is served as it is, not rewritten; a
home holding data of its own (an operator's feeds, imported articles) is never written, whatever its demo state."""
from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import signal
import subprocess
import time
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from pipeline.demo import DemoManifest
from pipeline.feeds.feedlist import validated_specs
from pipeline.home import Home
from pipeline.ingest import register_feed_specs
from pipeline.store.queries import DEMO_STATE
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse

from tests.conftest import home_copy

from .conftest import start_python
from .test_crash_commands import finished, fingerprint, made, write_archive

REPO = Path(__file__).resolve().parents[2]
DEMO_ARGS = ("--articles", "5000", "--end-date", "2026-06-30")  # 21 snapshot files: a run of 20 files, then one
# The real command, with a snapshot after every run: BULK_PUBLISH_SECONDS (60 s) is longer than this whole demo, where
# a longer one (`make run DEMO_ARGS="--articles 100000"`, a slow machine's) publishes on the way.
PUBLISHING_EVERY_RUN = """
    from pipeline import ingest
    from pipeline.cli import main

    ingest.BULK_PUBLISH_SECONDS = 0
    main()
"""


def stopped_after_its_first_publish(home: Path, stop: signal.Signals, exit_code: int) -> None:
    """`pactwatch demo` sent `stop` as its first snapshot is published: the home shows part of the demo."""
    process, started = start_python(PUBLISHING_EVERY_RUN, "--home", str(home), "demo", *DEMO_ARGS), time.time()
    made(home / "pactwatch.duckdb", process, started)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == exit_code, stderr
    status = published_status(home)
    assert status["demo_state"] == "started", status
    assert 0 < status["articles"] < DemoManifest.load(home / "demo").total_articles, "a part of the demo is published"


def published_status(home: Path) -> dict:
    return json.loads(finished(home, "status", "--json").stdout)


def unless_done(home: Path) -> str:
    """The Makefile's command (test_the_makefile_runs_demo_unless_done); what it says on stderr."""
    return finished(home, "demo", "--unless-done", *DEMO_ARGS).stderr


def runs(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT run_id, kind, feeds_polled, new_articles, duplicates FROM runs "
                           "ORDER BY run_id").fetchall()


def assert_built_like(home: Path, reference: Path) -> None:
    """The demo built again from the start: what an uninterrupted one stores, in runs of its own (the stopped demo's
    runs gone, its articles not read again as duplicates), published as finished."""
    assert fingerprint(home / "pactwatch.duckdb") == fingerprint(reference / "pactwatch.duckdb")
    assert fingerprint(home / "warehouse.duckdb") == fingerprint(reference / "pactwatch.duckdb")
    assert runs(home / "pactwatch.duckdb") == runs(reference / "pactwatch.duckdb")
    assert published_status(home)["demo_state"] == "finished"


def home_files(home: Path) -> dict[str, tuple]:
    """Every file of the home as it stands: which file it is, when it was last written and its size (a link: where it
    points). A home left as it was gives the same again."""
    return {str(path.relative_to(home)): (os.readlink(path),) if path.is_symlink()
            else (path.lstat().st_ino, path.lstat().st_mtime_ns, path.lstat().st_size)
            for path in home.rglob("*")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """An uninterrupted demo: what a demo built again stores."""
    home = tmp_path_factory.mktemp("reference") / "home"
    finished(home, "demo", *DEMO_ARGS)
    return home


@pytest.fixture(scope="module")
def killed(tmp_path_factory) -> Path:
    """A demo SIGKILLed as its first snapshot was published (the tests write into copies)."""
    home = tmp_path_factory.mktemp("killed") / "home"
    stopped_after_its_first_publish(home, signal.SIGKILL, -signal.SIGKILL)
    return home


def make(*args: str, home: Path, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["make", "-s", *args, f"DEMO_ARGS={shlex.join(DEMO_ARGS)}"], cwd=REPO, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PACTWATCH_HOME": str(home)})
    assert done.returncode == 0 or not check, done.stdout + done.stderr
    return done


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_the_makefile_runs_demo_unless_done(tmp_path):
    """`make -n` prints the recipes without running any: the demo target's is the command the tests below run."""
    recipe = make("-n", "demo", home=tmp_path / "home").stdout.splitlines()[-1]
    program, *args = shlex.split(recipe)
    assert Path(program).name == "pactwatch" and args == ["demo", "--unless-done", *DEMO_ARGS], recipe


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_demo_builds_again_a_demo_sigkilled_after_its_first_publish_then_leaves_it_as_it_is(killed, reference,
                                                                                                 tmp_path):
    if make("-q", "setup", home=tmp_path, check=False).returncode != 0:
        pytest.skip("`make setup` is not current here: `make demo` would install the venv or build the tagger first")
    home = home_copy(killed, tmp_path / "home")
    assert "event=demo found=stopped-demo then=built-again" in make("demo", home=home).stderr
    assert_built_like(home, reference)

    files = home_files(home)
    assert "event=demo found=finished-demo then=kept" in make("demo", home=home).stderr
    assert home_files(home) == files, "a finished demo is served as it is: no file of the home is written"


@pytest.mark.slow
def test_a_demo_stopped_by_ctrl_c_after_its_first_publish_is_built_again(reference, tmp_path):
    home = tmp_path / "home"
    stopped_after_its_first_publish(home, signal.SIGINT, 128 + signal.SIGINT)
    assert "event=demo found=stopped-demo then=built-again" in unless_done(home)
    assert_built_like(home, reference)


@pytest.mark.slow
def test_a_stopped_demo_beside_an_operators_feed_is_left_as_it_is(killed, tmp_path):
    """An operator added a feed to the demo's home, disabled, and `feeds add` was stopped before its publish: only the
    writer has it. The stopped demo's writer file, which holds it, is not deleted to build the demo again."""
    home = home_copy(killed, tmp_path / "home")
    with Warehouse(home / "warehouse.duckdb") as warehouse:
        register_feed_specs(warehouse, validated_specs(
            [{"id": "own", "url": "https://news.example.org/feed.xml", "enabled": False}], "an operator's list"))
    files = home_files(home)

    assert "event=demo found=own-data then=kept" in unless_done(home)
    assert home_files(home) == files
    with Warehouse(home / "warehouse.duckdb") as warehouse:
        assert [row["feed_id"] for row in warehouse.feed_rows() if row["feed_id"] == "own"] == ["own"]


@pytest.mark.slow
def test_a_home_with_imported_articles_is_left_as_it_is_while_its_writer_runs(tmp_path):
    """Read from the published snapshot, without the writer lock: `make run` beside a running ingest serves its home."""
    home = tmp_path / "home"
    finished(home, "import", str(write_archive(tmp_path / "archive.jsonl")))
    files = home_files(home)
    with open(home / "ingest.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running ingest holds
        assert "event=demo found=own-data then=kept" in unless_done(home)
    assert home_files(home) == files and not (home / "demo").exists()


@pytest.mark.slow
def test_a_demo_of_a_version_that_did_not_record_its_end_is_left_as_it_is(reference, tmp_path):
    """Versions before wrote no demo_state; `make run` served their demos as they were, and still does."""
    home = home_copy(reference, tmp_path / "home")
    with closing(duckdb.connect(str(home / "warehouse.duckdb"))) as con:
        con.execute("DELETE FROM meta WHERE key = ?", [DEMO_STATE])
        publish(con, Home(home))
    files = home_files(home)

    assert "event=demo found=unrecorded-demo then=kept" in unless_done(home)
    assert home_files(home) == files
