"""`pactwatch backup` and `restore`: a home lost or broken comes back whole, credentials and all, from a backup; a
file that is no backup changes nothing."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import threading

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli, main
from pipeline.home import EXIT_LOCKED, Home, HomeLocked
from pipeline.store.errors import StoreError
from pipeline.store.migrate import migrate
from tests.conftest import PROJECT_ROOT
from tests.logfmt import without_ts
from tests.test_credentials import SECRETS, ingest_credentialed_feeds
from tests.test_status_check import without_root_file_access
from tests.warehouse.test_disk_full import run as disk_full_run


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def writer_rows(home, sql: str) -> list[tuple]:
    return rows_of(Home.resolve(home).writer_db, sql)


def rows_of(database, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return sorted(con.execute(sql).fetchall())


ARTICLES = "SELECT article_id, title, url FROM articles"
FEEDS = "SELECT feed_id, url FROM feeds"


@pytest.fixture()
def backed_up(home, tmp_path, http_server):
    """A home that ingested feeds with credentials in their URLs, and its backup."""
    ingest_credentialed_feeds(home, tmp_path, http_server)
    backup = tmp_path / "backups" / "pactwatch.duckdb"
    backup.parent.mkdir()
    result = run(home, "backup", str(backup))
    assert result.exit_code == 0, result.output
    return backup


def test_a_lost_home_comes_back_whole_from_its_backup(home, tmp_path, backed_up, http_server):
    articles, feeds = writer_rows(home, ARTICLES), writer_rows(home, FEEDS)
    assert articles and any(secret in url for _, url in feeds for secret in SECRETS)
    assert stat.S_IMODE(backed_up.stat().st_mode) == 0o600, "it holds the feeds' credentials"

    restored = tmp_path / "new-home"
    result = run(restored, "restore", str(backed_up))
    assert result.exit_code == 0, result.output
    assert writer_rows(restored, ARTICLES) == articles
    assert writer_rows(restored, FEEDS) == feeds, "the poller's URLs, credentials and all"
    published = Home.resolve(restored).published_db.resolve()
    assert not [secret for secret in SECRETS if secret.encode() in published.read_bytes()], "readers' copy masks them"
    with duckdb.connect(str(published), read_only=True) as con:
        assert sorted(con.execute(ARTICLES).fetchall()) == articles

    again = run(restored, "ingest", "--interval", "0s")
    assert again.exit_code == 0, again.output
    assert writer_rows(restored, ARTICLES) == articles, "the feeds' articles are known: none is stored twice"


def leave_a_log_of(writer, sql: str) -> None:
    """Commit `sql` to the writer file's log only, as a writer killed before its checkpoint leaves it."""
    subprocess.run([sys.executable, "-c", f"""
import duckdb, os
con = duckdb.connect({str(writer)!r})
con.execute("SET checkpoint_threshold = '1TB'")
con.execute("PRAGMA disable_checkpoint_on_shutdown")
con.execute({sql!r})
os._exit(0)"""], check=True)


def test_the_replaced_warehouses_log_is_not_replayed_onto_the_restored_one(home, backed_up):
    """DuckDB replays any log beside a file it opens: the old file's, onto the backup, would undo the restore."""
    articles = writer_rows(home, ARTICLES)
    writer = Home.resolve(home).writer_db
    leave_a_log_of(writer, "DELETE FROM articles")
    assert writer.with_name(writer.name + ".wal").stat().st_size

    refused = run(home, "restore", str(backed_up))
    assert refused.exit_code == 2 and "--force" in refused.output
    result = run(home, "restore", str(backed_up), "--force")
    assert result.exit_code == 0, result.output
    assert writer_rows(home, ARTICLES) == articles
    assert not list(writer.parent.glob(".*restoring*")), "no staging copy left"


KILLED_RESTORE = """
import os, sys
from pipeline.cli import main
renames = os.replace
def rename_then_die(source, target):
    renames(source, target)
    if str(target) == {dies_after!r}:
        os._exit(137)  # as a kill -9 or a power cut right after this rename
os.replace = rename_then_die
sys.argv = ["pactwatch", "--home", {home!r}, "restore", {backup!r}, "--force"]
main()
"""


def restore_killed_after_renaming_to(home, backup, dies_after) -> None:
    script = KILLED_RESTORE.format(home=str(home), backup=str(backup), dies_after=str(dies_after))
    killed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert killed.returncode == 137, f"the restore never reached that rename: {killed.stderr}"


def test_a_restore_killed_before_its_copy_took_the_place_gives_the_old_warehouse_its_log_back(home, tmp_path,
                                                                                            backed_up):
    """The old file's last runs live in its log until a checkpoint: set aside and never put back, they were lost."""
    writer = Home.resolve(home).writer_db
    leave_a_log_of(writer, "UPDATE articles SET title = 'written to the log only'")
    logged = writer_rows(home, ARTICLES)
    assert {title for _, title, _ in logged} == {"written to the log only"}
    set_aside = writer.with_name(writer.name + ".wal.before-restore")
    restore_killed_after_renaming_to(home, backed_up, set_aside)
    assert set_aside.exists() and list(writer.parent.glob(".*restoring")), "killed between the two renames"

    result = run(home, "backup", str(tmp_path / "after.duckdb"))  # any command that takes the writer lock
    assert result.exit_code == 0, result.output
    assert writer_rows(home, ARTICLES) == logged != rows_of(backed_up, ARTICLES)
    assert not set_aside.exists() and not list(writer.parent.glob(".*restoring*")), "no copy left beside it"


def test_a_set_aside_log_is_never_dropped_once_the_old_warehouse_has_a_log_of_its_own(home, tmp_path, backed_up):
    """A version before the settling opened the old file without its set-aside log and wrote a new one: neither log
    can be put back over the other, so both stay, and the copy, for an operator to look at."""
    writer = Home.resolve(home).writer_db
    leave_a_log_of(writer, "UPDATE articles SET title = 'set aside'")
    set_aside = writer.with_name(writer.name + ".wal.before-restore")
    restore_killed_after_renaming_to(home, backed_up, set_aside)
    leave_a_log_of(writer, "UPDATE articles SET title = 'written since'")
    kept = {path: path.read_bytes() for path in (set_aside, *writer.parent.glob(".*restoring"))}

    assert run(home, "backup", str(tmp_path / "after.duckdb")).exit_code == 0
    assert run(home, "backup", str(tmp_path / "again.duckdb")).exit_code == 0
    assert {path: path.read_bytes() for path in kept} == kept and len(kept) == 2
    assert {title for _, title, _ in writer_rows(home, ARTICLES)} == {"written since"}


def test_a_restore_killed_after_its_copy_took_the_place_keeps_it_and_drops_the_replaced_log(home, tmp_path,
                                                                                          backed_up):
    """The set-aside log belongs to the file the restore replaced: replayed onto the restored one, it corrupts it."""
    writer = Home.resolve(home).writer_db
    leave_a_log_of(writer, "DELETE FROM articles")
    restore_killed_after_renaming_to(home, backed_up, writer)
    set_aside = writer.with_name(writer.name + ".wal.before-restore")
    assert set_aside.exists()

    result = run(home, "ingest", "--interval", "0s")
    assert result.exit_code == 0, result.output
    assert not set_aside.exists()
    assert writer_rows(home, ARTICLES) == rows_of(backed_up, ARTICLES) != []


def not_a_duckdb_file(path):
    path.write_text("article_id,title\n1,Seoul talks\n")


def another_duckdb_database(path):
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE articles AS SELECT 1 AS article_id")  # an articles table, but never migrated


def backup_of_a_newer_version(path, backup):
    path.write_bytes(backup.read_bytes())
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', now())")


def a_damaged_duckdb_file(path, backup):
    path.write_bytes(backup.read_bytes()[:12] + b"\0" * 4096)


@pytest.mark.parametrize("make, said", [(not_a_duckdb_file, "is not a DuckDB database (a file `pactwatch backup` "
                                                            "writes is one): nothing was restored"),
                                        (a_damaged_duckdb_file, "is not a DuckDB database PactWatch can read"),
                                        (another_duckdb_database, "is a DuckDB database but not a PactWatch warehouse"),
                                        (backup_of_a_newer_version, "written by a newer PactWatch")])
def test_a_file_that_is_no_backup_this_version_can_read_changes_nothing(home, tmp_path, backed_up, make, said):
    source = tmp_path / "candidate.duckdb"
    make(source, *([backed_up] if make in (backup_of_a_newer_version, a_damaged_duckdb_file) else []))
    kept = Home.resolve(home)
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (kept.writer_db, kept.published_db)}
    foreign = source.read_bytes()

    result = run(home, "restore", str(source), "--force")
    assert isinstance(result.exception, StoreError) and said in str(result.exception)
    assert {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in before} == before
    assert source.read_bytes() == foreign, "the candidate itself is only read"
    assert not list(kept.root.glob(".*restoring*"))


def test_an_older_backup_is_migrated_to_this_version(tmp_path):
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as con:
        migrate(con, target=20)
    result = run(tmp_path / "home", "restore", str(older))
    assert result.exit_code == 0, result.output
    assert '"schema_version": 20' not in result.output
    with duckdb.connect(str(Home.resolve(tmp_path / "home").writer_db), read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] > 20


OLD_SCHEMA = 35  # the schema of the version review U upgraded from


def schema_of(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]


def test_a_backup_after_an_upgrade_keeps_the_older_schema_the_way_back(home, tmp_path):
    """Review U: backup run after `git pull` migrated the home, then copied it: the copy the older version was to be
    given back could not be opened by it ("written by a newer PactWatch"). A backup copies the file as it is."""
    writer = Home.resolve(home).writer_db
    with duckdb.connect(str(writer)) as con:
        migrate(con, target=OLD_SCHEMA)
        con.execute("INSERT INTO feeds (feed_id, url, name, added_at) VALUES ('wire', 'https://user:pw@example.org/rss', 'Wire', now())")
    backup = tmp_path / "pre-upgrade.duckdb"

    result = run(home, "backup", str(backup))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["schema_version"] == OLD_SCHEMA and report["feeds"] == 1
    assert "older than this code's" in report["schema_note"] and "`pactwatch restore` migrates it" in report["schema_note"]
    assert schema_of(backup) == OLD_SCHEMA, "the older version can open it again"
    assert schema_of(writer) == OLD_SCHEMA, "the home's own file is left for its next writing command to migrate"

    restored = run(tmp_path / "new-home", "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    latest = schema_of(Home.resolve(tmp_path / "new-home").writer_db)
    assert latest > OLD_SCHEMA and f"event=migrated from={OLD_SCHEMA} to={latest}" in restored.stderr
    assert json.loads(restored.stdout)["migrated_from"] == OLD_SCHEMA
    assert writer_rows(tmp_path / "new-home", FEEDS) == [("wire", "https://user:pw@example.org/rss")]


def test_a_home_this_user_may_not_write_is_backed_up_from_its_writer_file_read_only(home, tmp_path, http_server):
    """A read-only mount, or the service user's home backed up by another user: backup opened ingest.lock to write
    and exited 1 ("Permission denied: …/ingest.lock"). It copies the writer file read-only instead, credentials and
    all, under the readers' lock (a writer running still means exit 75 and nothing written), and says so."""
    ingest_credentialed_feeds(home, tmp_path, http_server)
    feeds = writer_rows(home, FEEDS)
    backups = tmp_path / "backups"
    backups.mkdir()
    modes = {path: path.stat().st_mode for path in (home, *home.rglob("*")) if not path.is_symlink()}

    def backup(name: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), "backup", str(backups / name)],
                              capture_output=True, text=True, preexec_fn=without_root_file_access, cwd=PROJECT_ROOT,
                              timeout=120)

    for path, mode in modes.items():
        path.chmod(mode & ~0o222)
    try:
        with Home.resolve(home).writer_lock():
            during = backup("during-ingest.duckdb")
        result = backup("pactwatch.duckdb")
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert during.returncode == EXIT_LOCKED and not list(backups.glob("*during-ingest*")), during.stderr
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["made_from"].startswith("warehouse.duckdb read-only, under the readers' lock")
    with duckdb.connect(str(backups / "pactwatch.duckdb"), read_only=True) as con:
        assert sorted(con.execute(FEEDS).fetchall()) == feeds, "the poller's URLs, credentials and all"


def test_a_read_only_backup_meeting_another_process_on_the_writer_file_names_it(backed_up, home, tmp_path,
                                                                                  read_write_holder):
    """Review R: it said "back it up as the user who owns the home", whose backup meets the same DuckDB lock."""
    from pipeline.store.backup import write_backup

    read_write_holder(home / "warehouse.duckdb")
    with pytest.raises(StoreError, match="another process holds the warehouse .* open") as refused:
        write_backup(home / "warehouse.duckdb", tmp_path / "backups" / "again.duckdb", this_user_writes=False)
    assert "the user who owns" not in str(refused.value) and not (tmp_path / "backups" / "again.duckdb").exists()


def test_backup_writes_nothing_while_a_writer_holds_the_home(home, tmp_path, backed_up, capsys, monkeypatch):
    target = tmp_path / "during-ingest.duckdb"
    monkeypatch.setattr(sys, "argv", ["pactwatch", "--home", str(home), "backup", str(target)])
    with Home.resolve(home).writer_lock(), pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == EXIT_LOCKED and "try again" in capsys.readouterr().err
    assert not target.exists() and not list(tmp_path.glob(".during-ingest*"))


@pytest.fixture()
def lock_held_for_a_moment(home):
    """The home's writer lock, held by another thread (an ingest) until `release` is set."""
    taken, release = threading.Event(), threading.Event()

    def ingest_holding_the_home():
        with Home.resolve(home).writer_lock():
            taken.set()
            release.wait(timeout=60)

    holder = threading.Thread(target=ingest_holding_the_home)
    holder.start()
    assert taken.wait(timeout=30)
    yield release
    release.set()
    holder.join()


@pytest.mark.parametrize("command", [["backup", "nightly.duckdb"], ["compact"]])
def test_a_scheduled_backup_or_compact_waits_out_a_run_when_told(home, tmp_path, backed_up, lock_held_for_a_moment,
                                                                  command):
    args = [str(tmp_path / part) if part.endswith(".duckdb") else part for part in command]
    skipped = run(home, *args, "--wait", "0.2s").exception
    assert isinstance(skipped, HomeLocked), "the run went on: skipped (exit 75)"
    assert str(skipped).endswith("ingest.lock (waited 0.2 s)"), "it said what it says without a wait"
    threading.Timer(0.5, lock_held_for_a_moment.set).start()
    waited = run(home, *args, "--wait", "1m")
    assert waited.exit_code == 0, waited.output
    assert json.loads(waited.output), "its report, as without a wait"


def test_backup_replaces_a_file_only_when_told_and_never_writes_into_the_home(home, backed_up):
    before = backed_up.read_bytes()
    refused = run(home, "backup", str(backed_up))
    assert refused.exit_code == 2 and "--force" in refused.output and backed_up.read_bytes() == before
    assert run(home, "backup", str(backed_up), "--force").exit_code == 0
    into_home = run(home, "backup", str(Home.resolve(home).published_db))
    assert into_home.exit_code == 2 and "TARGET " in into_home.output and "part of the home" in into_home.output
    assert "--output" not in into_home.output, "backup has no such option"


def test_a_backup_that_cannot_be_written_says_where_and_leaves_nothing(home, tmp_path, backed_up):
    missing = tmp_path / "no-such-folder" / "pactwatch.duckdb"
    result = run(home, "backup", str(missing))
    assert isinstance(result.exception, StoreError)
    assert str(result.exception) == f"could not write the backup {missing}: No such file or directory; nothing was " \
                                    "written there"
    full = tmp_path / "full"
    full.mkdir()
    result = disk_full_run(home, "backup", str(full / "pactwatch.duckdb"), file_size_limit=64 * 1024)
    said = without_ts(result.stderr)[0]
    assert result.returncode == 1 and said.startswith(f"pactwatch: could not write the backup {full}/"), result.stderr
    assert "nothing was written there" in result.stderr and not list(full.iterdir())


def test_a_restore_whose_publish_fails_leaves_the_snapshot_marked_behind(home, backed_up):
    """The backup's runs end before the published ones: a status comparing only "older" called the snapshot of the
    replaced data current, and an ingest with no feed due never published the restored one."""
    assert run(home, "ingest", "--interval", "0s").exit_code == 0  # a run the backup lacks, published
    blocker = Home.resolve(home).snapshots / f".staging-{os.getpid()}.duckdb"
    blocker.mkdir()  # where this process writes its copy: no file can be removed there or written
    (blocker / "in-the-way").touch()
    try:
        result = run(home, "restore", str(backed_up), "--force")
    finally:
        shutil.rmtree(blocker)
    assert result.exit_code == 1 and "the warehouse was restored from" in result.output, result.output
    assert json.loads(run(home, "status", "--json").output)["snapshot_behind"] is True


def test_a_published_snapshot_or_a_file_with_its_log_apart_is_refused(home, tmp_path, backed_up):
    snapshot = Home.resolve(home).published_db.resolve()
    result = run(tmp_path / "other", "restore", str(snapshot))
    assert isinstance(result.exception, StoreError) and "credentials masked" in str(result.exception)
    with_log = tmp_path / "with-log.duckdb"
    with_log.write_bytes(backed_up.read_bytes())
    leave_a_log_of(with_log, "DELETE FROM articles")
    result = run(tmp_path / "other", "restore", str(with_log))
    assert isinstance(result.exception, StoreError) and "has a log beside it" in str(result.exception)
    assert not (tmp_path / "other" / "warehouse.duckdb").exists()


def test_a_backup_removes_what_killed_backups_to_its_target_left_and_nothing_else(home, backed_up):
    """A killed backup (kill -9, OOM, a reboot) left a hidden whole copy beside its target for ever: the nightly
    rotation's `find -name 'pactwatch-*.duckdb'` never matches it, so the backup folder filled up."""
    folder, name = backed_up.parent, backed_up.name
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    # the second as versions before named theirs (tempfile), the third last night's, to another name
    stale = [folder / f".{name}.partial-{gone.stdout.strip()}", folder / f".{name}.1r26fzzg",
             folder / f".pactwatch-2026-12-03.duckdb.partial-{gone.stdout.strip()}"]
    under_way = folder / f".{name}.partial-{os.getppid()}"  # a process that runs: its backup is being written
    for path in (*stale, under_way):
        path.mkdir()
        (path / path.name[1:].rsplit(".", 1)[0]).write_bytes(b"a copy")
    others = folder / f".{name}.abcdefgh"  # a folder of ours by its name, holding what no backup writes
    others.mkdir()
    (others / "notes.txt").write_text("mine")
    (folder / f".{name}.notes").write_text("mine")

    result = run(home, "backup", str(backed_up), "--force")
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in stale)
    assert under_way.exists() and (others / "notes.txt").exists() and (folder / f".{name}.notes").exists()
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [name, under_way.name, others.name, f".{name}.notes"]), "the backup's own folder is gone too"


def runs_of(path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT run_id, kind FROM runs ORDER BY run_id").fetchall()


def test_a_restore_is_a_run_numbered_after_every_run_it_replaced(home, backed_up):
    """Restoring a backup of runs 1-2 over a home of runs 1-4 made the next ingest run 3 again: a view pinned to
    run 3 (`as_of`) then counted other articles without a word (fault-injection review K2)."""
    stored = Home.resolve(home)
    for _ in range(2):
        assert run(home, "ingest", "--now").exit_code == 0
    replaced_last = runs_of(stored.writer_db)[-1][0]
    articles = len(writer_rows(home, ARTICLES))
    result = run(home, "restore", str(backed_up), "--force")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["run_id"] == replaced_last + 1
    assert report["replaced"] == {"last_run": replaced_last, "articles": articles}
    assert runs_of(stored.writer_db)[-1] == (replaced_last + 1, "restore")
    with duckdb.connect(str(stored.published_db), read_only=True) as con:
        assert con.execute("SELECT max(run_id) FROM runs").fetchone()[0] == replaced_last + 1, "published with it"
    assert run(home, "ingest", "--now").exit_code == 0
    assert runs_of(stored.writer_db)[-1] == (replaced_last + 2, "ingest")


def test_snapshots_of_the_runs_a_restore_replaced_are_collected(home, backed_up):
    """Snapshot clean-up keeps a snapshot holding runs the writer lacks (a writer lost and made anew): after a restore
    every snapshot before it holds such runs, and all of them were kept for ever, each restore adding more."""
    from pipeline.store.snapshot import GRACE_SECONDS, KEEP_SNAPSHOTS, collect_garbage
    from pipeline.store.warehouse import Warehouse

    stored = Home.resolve(home)
    assert run(home, "ingest", "--now").exit_code == 0  # a run the backup lacks
    before = set(stored.snapshots.glob("pactwatch-*.duckdb"))
    assert run(home, "restore", str(backed_up), "--force").exit_code == 0
    for _ in range(KEEP_SNAPSHOTS):
        assert run(home, "ingest", "--now").exit_code == 0
    with Warehouse(stored.writer_db) as warehouse:
        collect_garbage(stored, warehouse.con, now=__import__("time").time() + GRACE_SECONDS + 1)
    assert not before & set(stored.snapshots.glob("pactwatch-*.duckdb"))
