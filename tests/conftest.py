"""Shared fixtures: real files, real servers, real data — no mocks of our own storage."""
from __future__ import annotations

import functools
import io
import ipaddress
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest

from pipeline.store import snapshot

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def pytest_terminal_summary(terminalreporter) -> None:
    """Every skip's reason, counted, without -rs: a bare "36 skipped" hid that a clone not next to ../shared skips
    the corpus tests, and that a machine without Chromium skips the browser's."""
    reasons = Counter(str(report.longrepr[-1]).removeprefix("Skipped: ") if isinstance(report.longrepr, tuple)
                      else "no reason given" for report in terminalreporter.stats.get("skipped", []))
    for reason, count in reasons.most_common():
        terminalreporter.write_line(f"{count} skipped: {reason}")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The third-party corpora next to the project root; skip clearly when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not found at {SHARED_DATA}: corpus tests need it (CI provides it)")
    return SHARED_DATA


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    """A fresh PactWatch home directory."""
    path = tmp_path / "home"
    path.mkdir()
    return path


def home_copy(home: Path, to: Path) -> Path:
    """A copy of a built home for a test that writes, so the expensive build can be shared by a module."""
    shutil.copytree(home, to, symlinks=True)  # the published link is relative: it names the copy's snapshot
    return to


def seeds_that_do_not_load(tmp_path: Path, monkeypatch) -> Path:
    """The bundled seeds copied under `tmp_path` and read in their place (by this process), their rules.toml ending in
    a table that does not close: that file."""
    import pipeline.seeds

    seeds = tmp_path / "seeds"
    shutil.copytree(pipeline.seeds.DEFAULT_SEEDS_DIR, seeds)
    monkeypatch.setattr(pipeline.seeds, "DEFAULT_SEEDS_DIR", seeds)
    rules = seeds / "gazetteer" / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + "[unclosed\n", encoding="utf-8")
    return rules


def readme_notebook(published_db: Path):
    """The README's notebook snippet, run as written but for the path of the published link: its connection."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    snippet = next(block for block in readme.split("```python\n")[1:] if "# a notebook" in block).split("```")[0]
    namespace: dict = {}
    exec(snippet.replace("data/pactwatch.duckdb", str(published_db)), namespace)
    return namespace["con"]


def snapshot_without_pair_sentence_column(home, tmp_path: Path, column: str):
    """The pair tables of `home`'s snapshot as a snapshot published before the migration that added `column`: a DuckDB
    connection to a copy in `tmp_path`."""
    import duckdb  # here, as alerts_file imports: loading this file imports no pipeline module

    from pipeline.store.reader import snapshot_path

    old = duckdb.connect(str(tmp_path / "old.duckdb"))
    old.execute(f"ATTACH '{snapshot_path(home)}' AS snapshot (READ_ONLY)")  # a tmp path: no quote in it
    old.execute(f"CREATE TABLE pair_sentences AS SELECT * EXCLUDE ({column}) FROM snapshot.pair_sentences")
    for table in ("article_pairs", "mentions", "articles", "article_countries", "article_topics"):
        old.execute(f"CREATE TABLE {table} AS SELECT * FROM snapshot.{table}")
    old.execute("DETACH snapshot")
    return old


@pytest.fixture()
def alerts_file(tmp_path: Path, monkeypatch):
    """Write an alert rules file and make it the one `pactwatch alerts` and the dashboard load: neither takes a path,
    and the loader reads DEFAULT_ALERTS_FILE when called."""
    from pipeline.signals import config

    def write(text: str | bytes) -> Path:
        path = tmp_path / "alerts.toml"
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        monkeypatch.setattr(config, "DEFAULT_ALERTS_FILE", path)
        return path
    return write


@pytest.fixture()
def downloads(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """The data of each download button the page runs draw, by file name, as a click fetches it. AppTest drops a run's
    media manager, which holds the buttons' deferred data, when the run ends: the data is caught as Streamlit
    registers it (and registered all the same)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    caught: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def catch(manager, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        caught[file_name] = data_callable
        return register(manager, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", catch)
    return caught


def downloaded_csv(downloads: dict[str, Callable[[], bytes]], table: str):
    """The CSV a click on the CSV button of the table `table` (ui.table's name) downloads, every cell as written."""
    import pandas as pd

    named = [name for name in downloads if re.fullmatch(rf"pactwatch-{re.escape(table)}(-[\w-]+)?\.csv", name)]
    assert len(named) == 1, (table, list(downloads))
    return pd.read_csv(io.BytesIO(downloads[named[0]]()), dtype=str, keep_default_na=False)


@pytest.fixture()
def read_write_holder():
    """Open a DuckDB file in another process (read-write: what an analyst forgetting read_only does, holding DuckDB's
    exclusive lock; or read-only, whose shared lock keeps writers out too) and keep it open until the test ends."""
    import subprocess
    import sys

    holders = []

    def hold(path: Path, read_only: bool = False) -> None:
        script = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'True'); "
                  "print('open', flush=True); time.sleep(300)")
        holder = subprocess.Popen([sys.executable, "-c", script, str(path), str(read_only)], stdout=subprocess.PIPE,
                                  text=True)
        holders.append(holder)
        assert holder.stdout.readline().strip() == "open"

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait()


@pytest.fixture()
def http_server():
    """A real HTTP server on 127.0.0.1 with scripted routes (see tests/httpserver.py)."""
    from tests.httpserver import ScriptedServer

    with ScriptedServer() as server:
        yield server


# Names that never resolve on the internet (RFC 2606, RFC 6761): tests give them to hosts that must not answer.
RESERVED_NAME = re.compile(r"(?:^|\.)(?:example|invalid|test|localhost|example\.(?:com|net|org))\.?$", re.IGNORECASE)
reached_out: list[str] = []  # what the running test looked up or connected to beyond this machine


def note_reaching_out(event: str, args: tuple) -> None:
    """An audit hook: a host name looked up, or an address connected to, that is neither this machine nor a reserved
    name. A test without a feed list of its own polled seeds/feeds.toml's 57 real feeds: 10 s of timeouts here, and
    on a machine with the internet, real articles in its warehouse."""
    if event == "socket.getaddrinfo":
        host = args[0].decode("ascii", "replace") if isinstance(args[0], bytes) else args[0]
    elif event == "socket.connect" and isinstance(args[1], tuple):  # not a Unix socket's path
        host = args[1][0]
    else:
        return
    if host and not _on_this_machine(host) and not RESERVED_NAME.search(host):
        reached_out.append(host)


def _on_this_machine(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return host.lower().rstrip(".") == "localhost"
    return address.is_loopback or address.is_unspecified


sys.addaudithook(note_reaching_out)  # for good: an audit hook cannot be removed; `reached_out` is cleared per test


@pytest.fixture(autouse=True)
def _stays_on_this_machine():
    """Every test in this process: no lookup or connection beyond 127.0.0.1 (subprocesses are not watched)."""
    reached_out.clear()
    yield
    assert not reached_out, f"the test reached for the internet: {sorted(set(reached_out))}"


@pytest.fixture(autouse=True, scope="session")
def _streamlit_components_scanned_once():
    """Each new AppTest's first run scans every installed package's metadata for Streamlit components: 0.3 s, most of
    a page's run on a built home, in every AppTest of the suite. The packages do not change during a session (and
    the product has no component), so the first scan's answer serves them all."""
    from streamlit.components.v2 import manifest_scanner

    patch = pytest.MonkeyPatch()
    scan_once = functools.cache(manifest_scanner.scan_component_manifests)
    patch.setattr(manifest_scanner, "scan_component_manifests", scan_once)
    yield
    patch.undo()


@pytest.fixture(autouse=True, scope="session")
def _short_snapshot_grace():
    """A bulk write's last publish waits out the grace of the copy its publish on the way replaced (GRACE_SECONDS: the
    time a reader elsewhere, the dashboard or a notebook, may take between resolving the link and opening the file):
    some 4.5 s of sleep in one import of ten, in retags and demos too. A reader in a test's own process opens the
    file it resolved at once, and a second serves it. Commands a test runs as processes (the crash and concurrency
    tests, with readers polling beside them) keep the product's grace. Session-wide, for the homes
    that fixtures build once by imports and demos too."""
    patch = pytest.MonkeyPatch()
    patch.setattr(snapshot, "GRACE_SECONDS", 1)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Streamlit's AppTest runs streamlit_app.py as `__main__` and leaves it there; worker processes started
    later (forked from a fork server, or spawned) re-import `__main__`, so they would run the dashboard and die. Put it
    back."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
