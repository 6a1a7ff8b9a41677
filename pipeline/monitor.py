"""`pactwatch status --check`: what an operator must hear of, from the status report. An ingest exits 0 when some or
all of its feeds failed (a run completes with its failures recorded), 75 while the home is locked, and a scheduled
one that stops running fails nothing at all: only the stored runs and feed health tell."""
from __future__ import annotations

from datetime import datetime, timedelta

EXIT_UNHEALTHY = 4  # 1 is click's error exit (no warehouse: nothing could be checked), 2 usage, 3 eval's, 75 locked


def ingest_problems(report: dict, max_age: timedelta, max_failing: float, now: datetime) -> list[str]:
    """One line per problem, none when the home is healthy."""
    if report["is_demo"]:  # ingest refuses the demo's home: its check would pass for ever, or fail for ever
        return ["this is the demo's home, which ingest refuses: no feed is polled here (--home names the home that "
                "`pactwatch ingest` writes)"]
    return [problem for problem in (_writer_problem(report), _feeds_problem(report, max_failing),
                                    _age_problem(report, max_age, now), _publish_problem(report)) if problem]


def _writer_problem(report: dict) -> str | None:
    """A damaged writer file stops every ingest at once, though the last run is recent: the check must not wait for
    --max-age to tell. A writer held by a command, or a lock or file this user may not read, is no such problem."""
    if report["writer_damaged"]:
        return (f"{report['writer_unreadable']} (ingest, compact and backup fail until it is restored from a backup: "
                "`pactwatch restore BACKUP --force`)")
    return None


def _feeds_problem(report: dict, max_failing: float) -> str | None:
    enabled, failing = report["enabled_feeds"], report["failing_feeds"]
    if not enabled:  # ingest then polls nothing and records no run: a stop nobody would see
        return "no enabled feed: ingest polls nothing (`pactwatch feeds enable ID`, `feeds add`)"
    if failing / enabled > max_failing:
        return (f"{failing} of {enabled} enabled feeds are neither healthy nor paused, above --max-failing "
                f"{max_failing:g}: `pactwatch feeds list` says why")
    return None


def _age_problem(report: dict, max_age: timedelta, now: datetime) -> str | None:
    if report["last_ingest_at"] is None:
        return "no completed ingest run in the published snapshot"
    finished = datetime.fromisoformat(report["last_ingest_at"])
    if now - finished > max_age:
        return (f"the last completed ingest run finished at {report['last_ingest_at']}, {_hours(now - finished)} ago, "
                f"longer than --max-age {_hours(max_age)}: is the ingest still scheduled, or the home locked?")
    return None


def _publish_problem(report: dict) -> str | None:
    """The failure record first: it is read without the writer, and a failed publish after a write that adds no run
    (`feeds add`, `feeds disable`) leaves the snapshot behind with the same last run."""
    if failure := report["publish_failed"]:
        return (f"publishing failed at {failure['failed_at'] or 'an unknown time'} ({failure['error']}): readers see "
                "the snapshot before it until a publish succeeds (`pactwatch ingest` publishes it)")
    if report["snapshot_behind"]:  # None (a writer busy or unreadable) is not known, and not waited for
        return ("the published snapshot lacks runs the writer holds (a publish failed: a full disk?): readers see old "
                "data until a publish succeeds (`pactwatch ingest` publishes it)")
    return None


def _hours(span: timedelta) -> str:
    """In hours, the unit of a schedule's --max-age; under an hour in minutes or seconds ("0.0 h" read as none)."""
    seconds = span.total_seconds()
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.3g} min" if seconds >= 60 else f"{seconds:.0f} s"
