"""`pactwatch demo --unless-done`, which `make run` runs every time: the demo is built in a home without one, built
again where a stop (Ctrl-C, SIGTERM, SIGKILL, a failure) left one part-loaded, and a home showing a finished demo or
holding data of its own (an operator's feeds, ingested or imported articles) is left as it is.

The warehouse records how far the demo got (meta demo_state, `build_demo`), its end as its last write before the
final publish: a marker file beside it could speak of data that no snapshot holds. The published snapshot is read
first, needing neither the writer lock nor the writer file: a home whose ingest is running is left alone at once,
and a finished demo's files are not even opened for writing. Only then the writer, under the lock: it can be ahead.

Plain `pactwatch demo` starts over any demo that holds the home alone, finished or not: continued in place on another
day, it would mix two corpora (its GUIDs, outlet and sequence number, do not name the end date).
"""
from __future__ import annotations

from enum import Enum

from .demo import FEED_TAG
from .home import Home
from .store.queries import DEMO_FINISHED, DEMO_STARTED, demo_state, holds_data_of_its_own, is_demo
from .store.reader import NoSnapshot, open_snapshot
from .store.snapshot import publish_compacted
from .store.warehouse import discard_warehouse
from .writer import open_writer


class Found(Enum):
    """What a home holds, as `demo` sees it."""

    NOTHING = "nothing"
    STOPPED_DEMO = "stopped-demo"  # built again, from an empty warehouse: the stopped one may be of another day
    FINISHED_DEMO = "finished-demo"
    OWN_DATA = "own-data"
    # written by a version that did not record how far it got: left as it is, as `make run` did before
    UNRECORDED_DEMO = "unrecorded-demo"

    @property
    def kept(self) -> bool:
        """Whether `demo --unless-done` leaves the home as it is."""
        return self not in (Found.NOTHING, Found.STOPPED_DEMO)


class Then(Enum):
    """What `demo` did with the writer it found (the then= of its log line)."""

    BUILT = "built"  # nothing there: the demo is built
    BUILT_AGAIN = "built-again"  # deleted, for the demo to start over
    PUBLISHED = "published"  # a finished demo the snapshot had missed, published and kept
    KEPT = "kept"  # `--unless-done` stops there; plain `demo` goes on: data of its own refused, unless --force


STOPPED_DEMO_ONLY = frozenset({Found.STOPPED_DEMO})  # `demo --unless-done` starts over a stopped demo alone
DEMO_ALONE = frozenset({Found.STOPPED_DEMO, Found.FINISHED_DEMO, Found.UNRECORDED_DEMO})  # plain `demo`, any demo


def found_in(con) -> Found:
    """What the warehouse `con` (the published snapshot or the writer) holds; data of its own first: the demo's state
    cannot speak for the feeds and runs an operator added to the demo's home."""
    if holds_data_of_its_own(con, FEED_TAG):
        return Found.OWN_DATA
    state = demo_state(con)
    if state == DEMO_FINISHED:
        return Found.FINISHED_DEMO
    if state == DEMO_STARTED:
        return Found.STOPPED_DEMO
    return Found.UNRECORDED_DEMO if is_demo(con) else Found.NOTHING


def kept_as_published(home: Home) -> Found | None:
    """What the published snapshot holds when that leaves the home as it is; None when the writer decides."""
    try:
        con = open_snapshot(home)
    except NoSnapshot:
        return None
    with con:
        found = found_in(con)
    return found if found.kept else None


def settle_writer(home: Home, start_over: frozenset[Found]) -> tuple[Found, Then]:
    """Under the writer lock (the caller's): what the writer holds, and what became of it. A demo `start_over` names
    has its file deleted, for the demo to start over (only then: it holds the demo's synthetic rows alone); a finished
    demo kept is published, the snapshot having missed it (a stop while its final snapshot was being written)."""
    if not home.writer_db.exists():
        return _without_writer(home, start_over)
    with open_writer(home) as warehouse:
        found = found_in(warehouse.con)
        then = _then(found, start_over)
        if then is Then.PUBLISHED:
            publish_compacted(warehouse, home)
    if then is Then.BUILT_AGAIN:
        discard_warehouse(home.writer_db)
    return found, then


def _without_writer(home: Home, start_over: frozenset[Found]) -> tuple[Found, Then]:
    """A home without a writer file: new, or a demo `start_over` names still published (a demo stopped between the
    deletion of its writer and the making of the next), built again over its snapshots. A snapshot of anything else is
    the only copy of its data: kept, and the writer's open refuses the home (WriterMissing)."""
    try:
        con = open_snapshot(home)
    except NoSnapshot:
        return Found.NOTHING, Then.BUILT
    with con:
        found = found_in(con)
    return found, Then.BUILT_AGAIN if found in start_over else Then.KEPT


def _then(found: Found, start_over: frozenset[Found]) -> Then:
    if found is Found.NOTHING:
        return Then.BUILT
    if found in start_over:
        return Then.BUILT_AGAIN
    return Then.PUBLISHED if found is Found.FINISHED_DEMO else Then.KEPT
