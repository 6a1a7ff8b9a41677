"""`pactwatch status --check`: what an operator must hear of, from the status report. An ingest exits 0 when some or
all of its feeds failed (a run completes with its failures recorded), 75 while the home is locked, and a scheduled
one that stops running fails nothing at all: only the stored runs and feed health tell."""
from __future__ import annotations

import shlex
from datetime import datetime, timedelta

from .feeds.schedule import CLOCK_TOLERANCE

FEEDS_NAMED = 5  # a problem line names this many feeds, and counts the rest
EXIT_UNHEALTHY = 4  # 1 is click's error exit (no warehouse: nothing could be checked), 2 usage, 3 eval's, 75 locked


def ingest_problems(report: dict, max_age: timedelta, max_failing: float, now: datetime,
                    max_broken: timedelta = timedelta(hours=24)) -> list[str]:
    """One line per problem, none when the home is healthy."""
    if report["is_demo"]:  # ingest polls nothing here: its check would pass for ever, or fail for ever
        return ["this is the demo's home, whose feeds are disabled and where `ingest --feeds` is refused: no feed is "
                "polled here (--home names the home that `pactwatch ingest` writes)",
                *filter(None, (_seeds_problem(report), _alert_rules_problem(report)))]
    # the feeds, the runs and the tags are read from the snapshot: one that cannot be read says nothing of them
    read = () if report["snapshot_unreadable"] else (
        _feeds_problem(report, max_failing), _broken_feeds_problem(report, max_broken, now),
        _age_problem(report, max_age, now), _clock_problem(report, now), _retag_problem(report))
    return [problem for problem in (_writer_problem(report), _owner_problem(report), _snapshot_problem(report),
                                    _held_open_problem(report), *read, _publish_problem(report),
                                    _seeds_problem(report), _alert_rules_problem(report)) if problem]


def _writer_problem(report: dict) -> str | None:
    """A damaged or missing writer file stops every ingest at once, though the last run is recent: the check must not
    wait for --max-age to tell. A writer held by a command, or a lock or file this user may not read, is no such
    problem."""
    if report["writer_missing"]:
        return report["writer_missing"]
    if report["writer_damaged"]:
        return (f"{report['writer_unreadable']} (ingest, compact and backup fail until it is restored from a backup: "
                "`pactwatch restore BACKUP --force`)")
    return None


def _owner_problem(report: dict) -> str | None:
    """Files of the home its owner does not own stop the owner's ingest at once ("Permission denied" on the writer
    file's log), while the last run is recent: a root command killed before it handed them back."""
    if not (strays := report["not_the_owners"]):
        return None
    named = ", ".join(strays[:FEEDS_NAMED]) + (f" and {len(strays) - FEEDS_NAMED} more" if len(strays) > FEEDS_NAMED
                                               else "")
    return (f"{len(strays)} file(s) of the home are not its owner's ({named}): the owner's ingest fails on them (a "
            f"command run as root and killed before its end?); root's next writing command here gives them back, "
            f"as `chown -R --reference={shlex.quote(report['home'])} {shlex.quote(report['home'])}` does")


def _snapshot_problem(report: dict) -> str | None:
    if report["snapshot_unreadable"]:
        return (f"the published snapshot cannot be read, so the dashboard and `pactwatch sql` fail on it: "
                f"{report['snapshot_unreadable']}")
    return None


def _held_open_problem(report: dict) -> str | None:
    if report["writer_held_open"]:
        return ("another process holds warehouse.duckdb open (a DuckDB session or notebook on the writer file rather "
                "than on pactwatch.duckdb?): every ingest exits 75 until it closes it (`fuser -v` names it)")
    return None


def _broken_feeds_problem(report: dict, max_broken: timedelta, now: datetime) -> str | None:
    """Feeds that brought nothing usable for longer than `max_broken`, however few: --max-failing's share lets one
    dead feed in thirty go unheard for ever."""
    long_broken = {feed_id: state for feed_id, state in report["broken_feeds"].items()
                   if state["since"] is None or now - datetime.fromisoformat(state["since"]) > max_broken}
    if not long_broken:
        return None
    named = [f"{feed_id} ({state['health']} since {state['since'] or 'it was added'})"
             for feed_id, state in list(long_broken.items())[:FEEDS_NAMED]]
    more = f" and {len(long_broken) - FEEDS_NAMED} more" if len(long_broken) > FEEDS_NAMED else ""
    return (f"{len(long_broken)} enabled feed(s) brought nothing usable for longer than --max-broken "
            f"{_hours(max_broken)}: {', '.join(named)}{more}: `pactwatch feeds list` says why; `feeds disable ID` "
            "for one that is not coming back")


def _seeds_problem(report: dict) -> str | None:
    if report["seeds_error"]:
        return (f"the seed files do not load ({report['seeds_error']}): every `ingest` (a running `ingest --every` "
                "keeps the last seeds that loaded), `retag` and `tag` fails until they are fixed")
    return None


def _alert_rules_problem(report: dict) -> str | None:
    if report["alert_rules_error"]:
        return (f"the alert rules do not load ({report['alert_rules_error']}): `pactwatch alerts` finds and posts "
                "nothing until they are fixed")
    return None


def _retag_problem(report: dict) -> str | None:
    """After an upgrade or a seed edit the stored tags mix two rule sets in every count until a retag (which seeds
    that do not load would fail: that problem is named instead)."""
    if report["retag_needed"] and not report["seeds_error"]:
        return (f"stored tags are from another tagger than this code's {report['tagger_version']} (an upgrade or an "
                "edited seed file): counts keep the old rules, or mix them with the new, until `pactwatch retag` "
                "rebuilds them")
    return None


def _feeds_problem(report: dict, max_failing: float) -> str | None:
    enabled, failing = report["enabled_feeds"], report["failing_feeds"]
    if not enabled and report["snapshot_behind"]:  # the snapshot's feeds are not the writer's: the publish is told
        return None
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
    if not report["snapshot_behind"]:  # None (a writer busy or unreadable) is not known, and not waited for
        return None
    if report["snapshot_unreadable"]:  # behind only as a snapshot no reader opens is: its own line says why
        return None
    if _migrated_unpublished(report):
        return (f"the writer was migrated to schema {report['writer_schema_version']} and not yet published: the next "
                "`pactwatch ingest` publishes it (readers see the snapshot before the upgrade until then)")
    # a failed publish leaves its record, told above: without one, the command stopped between commit and publish
    return ("the published snapshot lacks what the writer holds (runs, or feeds an ingest registered): a command "
            "stopped before publishing (killed or stopped?); readers see old data until a publish succeeds (`pactwatch "
            "ingest` publishes it)")


def _migrated_unpublished(report: dict) -> bool:
    """Whether the writer is at a newer schema than the snapshot: an upgrade's first writing command migrates before
    it publishes, and one killed in between (even half-way through the migrations) failed no publish. A publish that
    failed leaves its record, told above."""
    writer, published = report["writer_schema_version"], report["snapshot_schema_version"]
    return writer is not None and published is not None and writer > published


def _clock_problem(report: dict, now: datetime) -> str | None:
    """A run that finished in the future ran under a clock since gone back: --max-age cannot see it, and the feeds'
    schedules it made would have idled every run until then (`schedule.scheduled_by_a_later_clock` now overrides
    them). The clock may still be wrong, or wrong again at the next boot."""
    if report["last_ingest_at"] is None or datetime.fromisoformat(report["last_ingest_at"]) <= now + CLOCK_TOLERANCE:
        return None
    return (f"the last ingest run finished at {report['last_ingest_at']}, in the future: the clock went back? runs "
            "now poll every feed again; check the machine's clock (NTP)")


def _hours(span: timedelta) -> str:
    """In hours, the unit of a schedule's --max-age; under an hour in minutes or seconds ("0.0 h" read as none)."""
    seconds = span.total_seconds()
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.3g} min" if seconds >= 60 else f"{seconds:.0f} s"
