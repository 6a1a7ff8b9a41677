"""`pactwatch status`: one report of a home (its published snapshot, its writer file, its seed files) and the lines
that say what to do about it. Read without waiting for a writer, by a user who may only read the home too;
`monitor.ingest_problems` checks the same report for `status --check`."""
from __future__ import annotations

from .home import Home
from .seeds import load_problem, tagger_version
from .signals.config import AlertConfigError, load_alert_config
from .store.catalog import (WriterBusy, WriterDamaged, WriterHeldOpen, WriterUnreadable, snapshot_status,
                            writer_state)
from .store.migrate import available_migrations
from .store.reader import NoSnapshot, SnapshotUnreadable, current_version
from .store.snapshot import publish_failure, published_without_writer, writer_missing_message

# status of a home without a readable snapshot
NOTHING_PUBLISHED = {"articles": 0, "first_day": None, "last_day": None, "last_dated_day": None, "feeds": 0,
                     "enabled_feeds": 0, "failing_feeds": 0, "paused_feeds": 0, "broken_feeds": {}, "runs": {},
                     "last_run": None, "last_ingest_at": None, "is_demo": False, "demo_state": None,
                     "tag_versions": {}, "articles_without_tags": 0, "articles_without_topic_words": 0,
                     "articles_without_stories": 0}


def status_report(home: Home, unreadable_snapshot_ok: bool = False) -> dict:
    """The report `pactwatch status` prints (its --help names every key). A published snapshot that cannot be read
    (a damaged block, or held open read-write: every reader fails on it) raises SnapshotUnreadable, unless
    `unreadable_snapshot_ok` (`--check`: it is one of the problems to report): then it says why, as
    snapshot_unreadable, and reports nothing of the snapshot."""
    version, path = current_version(home)
    snapshot_schema, snapshot_unreadable = None, None
    try:  # the file the version names, though a publish may follow
        report, snapshot_schema = snapshot_status(home, path)
    except NoSnapshot:
        report = dict(NOTHING_PUBLISHED)
    except SnapshotUnreadable as exc:
        if not unreadable_snapshot_ok:
            raise
        report, snapshot_unreadable = dict(NOTHING_PUBLISHED), str(exc)
    current, seed_errors = tagger_version(), _seed_errors()
    return {"home": str(home.root), "snapshot": str(path) if path else None, "snapshot_version": version,
            "snapshot_schema_version": snapshot_schema, "code_schema_version": available_migrations()[-1][0],
            **report, "snapshot_unreadable": snapshot_unreadable, **_writer_state(home),
            "writer_missing": _writer_missing(home), "publish_failed": publish_failure(home),
            "not_the_owners": [str(path.relative_to(home.root)) for path in home.not_the_owners()],
            "tagger_version": current,
            "retag_needed": _tags_of_another_version(report["tag_versions"], current, seed_errors["seeds_error"])
            or report["articles_without_topic_words"] > 0 or report["articles_without_stories"] > 0, **seed_errors}


def status_notes(report: dict) -> list[str]:
    """The lines printed under the report: what is not read, and what to run."""
    notes = [schema_note(report["snapshot_schema_version"], report["code_schema_version"])]
    if report["writer_busy"]:
        notes.append("A writing command holds the home: free_block_share and snapshot_behind are not read while it "
                     "runs.")
    if report["writer_unreadable"]:
        notes.append(f"free_block_share and snapshot_behind are not read: {report['writer_unreadable']}")
    if report["seeds_error"]:
        notes.append(f"The seed files do not load ({report['seeds_error']}): fix them, then `pactwatch retag`.")
    elif _tags_of_another_version(report["tag_versions"], report["tagger_version"], report["seeds_error"]):
        notes.append(f"Some tags come from another tagger version than {report['tagger_version']}: run "
                     "`pactwatch retag`.")
    if report["articles_without_topic_words"]:
        notes.append(f"{report['articles_without_topic_words']:,} articles with topics were tagged before the "
                     "warehouse kept topic words (topic_hits, migration 0021): run `pactwatch retag`.")
    if report["articles_without_stories"]:
        notes.append(f"{report['articles_without_stories']:,} articles were stored before the warehouse kept stories "
                     "(article_stories, migration 0060), and each counts as a story of its own: run `pactwatch "
                     "retag`.")
    return [note for note in notes if note]


def schema_note(version: int | None, latest: int) -> str | None:
    """What the published snapshot at schema `version` lacks against this code's `latest` (after an upgrade, until
    the next writing command migrates the writer and publishes it), or holds beyond it (after a rollback)."""
    if version is None or version == latest:
        return None
    if version > latest:
        return (f"note: the published snapshot has schema version {version}, this code's is {latest}: a newer "
                "PactWatch published it, and this one's writing commands refuse its warehouse (run the newer one)")
    return (f"note: the published snapshot has schema version {version}, this code's is {latest}: what migrations "
            "added since is missing until the next writing command migrates and publishes it (`pactwatch ingest` "
            "does, even with no feed due)")


def _tags_of_another_version(tag_versions: dict, current: str, seeds_error: str | None) -> bool:
    """Stored tags a `retag` would rebuild. Seed files that do not load make no tagger: their hash is no version
    the stored tags could be retagged to."""
    return not seeds_error and any(stored != current for stored in tag_versions)


def _seed_errors() -> dict:
    """Why the seed files do not load, if they do not: a broken edit stops every cron ingest, `retag` and `tag` (the
    tagger's files), or every `alerts` run and its webhook (alerts.toml), while the last good run still looks recent."""
    errors: dict[str, str | None] = {"seeds_error": load_problem(), "alert_rules_error": None}
    try:
        load_alert_config()
    except AlertConfigError as error:
        errors["alert_rules_error"] = str(error)
    return errors


def _writer_missing(home: Home) -> str | None:
    """What to do about a home holding snapshots but no writer file (every writing command refuses it), else None."""
    newest = published_without_writer(home)
    return writer_missing_message(home, newest) if newest else None


def _writer_state(home: Home) -> dict:
    """The writer file's free share and whether the snapshot lacks its runs (the snapshot's share can lag behind
    it); status never waits for a writer, and works for a user who may only read the home."""
    unknown = {"free_block_share": None, "snapshot_behind": None, "writer_schema_version": None}
    try:
        return {**writer_state(home), "writer_busy": False, "writer_unreadable": None, "writer_damaged": False}
    except WriterHeldOpen:
        return {**unknown, "writer_held_open": True, "writer_busy": False, "writer_unreadable": None,
                "writer_damaged": False}
    except WriterBusy:
        return {**unknown, "writer_held_open": None, "writer_busy": True, "writer_unreadable": None,
                "writer_damaged": False}
    except WriterUnreadable as exc:
        return {**unknown, "writer_held_open": None, "writer_busy": False, "writer_unreadable": str(exc),
                "writer_damaged": isinstance(exc, WriterDamaged)}
