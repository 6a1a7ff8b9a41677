"""A run committed whose publish failed (a full disk) is stored: the cron log said only the publish failure, with no
`event=run` line, so an operator counted its articles as lost."""
from __future__ import annotations

import json
import os

from pipeline.home import Home
from pipeline.store.errors import StoreError
from tests.httpserver import Response
from tests.logfmt import without_ts
from tests.rss import Item, rss
from tests.test_cli_usage import invoke, run


def test_a_stored_run_whose_publish_failed_is_logged_and_said_to_be_kept(home, http_server):
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest")
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1"),
                                                      Item("Talks in Tokyo", "Japan and China met.", guid="g2")]))
    stored = Home.resolve(home)
    # A directory where the staging copy must go fails the copy even for root, as a full disk would.
    (stored.snapshots / f".staging-{os.getpid()}.duckdb").mkdir()
    result = run(home, "ingest", "--now")
    assert isinstance(result.exception, StoreError), result.output
    assert str(result.exception).startswith("run 2 is stored; publishing failed: could not publish"), result.exception
    runs = [line for line in without_ts(result.stderr) if line.startswith("event=run ")]
    assert len(runs) == 1 and "run_id=2 " in runs[0] and " new=1 " in runs[0], result.stderr
    assert json.loads(invoke(home, "status", "--json"))["publish_failed"]
