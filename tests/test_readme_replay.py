"""The README's recipe for saved feed files, run as written: the documented way in for a folder of captures."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from tests.rss import Item, rss

ROOT = Path(__file__).resolve().parents[1]


def readme_recipe() -> str:
    """The shell block of the README's "Replaying saved feed files" section (missing: the analyst had no way in)."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Replaying saved feed files\n", 1)[1]
    return re.search(r"```sh\n(.*?)```", section.split("\n## ", 1)[0], re.S).group(1)


def day(n: int) -> datetime:
    return datetime(2026, 1, n, 9, tzinfo=timezone.utc)


def test_the_readme_recipe_replays_saved_files_and_a_series_of_captures(tmp_path):
    """178 captured real feeds, 121 of them weekly and daily captures of two feeds, had no documented way in: the
    README named `file://` URLs nowhere, `import-opml` refuses them and `import` reads no feed documents."""
    captures, home = tmp_path / "captures", tmp_path / "home"
    (captures / "wsj_world").mkdir(parents=True)
    (captures / "bbc_world.xml").write_bytes(rss([Item("Seoul and Tokyo agree", "Korea and Japan met.", guid="b1",
                                                       published=day(1))]))
    series = {"2026-01-05T0400Z.xml": ["w1", "w2"], "2026-01-12T0400Z.xml": ["w2", "w3"]}  # w2 in both captures
    for name, guids in series.items():
        items = [Item(f"Story {guid} on China and the U.S.", "Trade talks.", guid=guid, published=day(int(guid[1])))
                 for guid in guids]
        (captures / "wsj_world" / name).write_bytes(rss(items))
    script = readme_recipe().replace("/srv/captures", str(captures))
    env = {**os.environ, "PACTWATCH_HOME": str(home), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(home / "pactwatch.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT a.outlet, f.feed_id, count(*) FROM articles a JOIN article_feeds f "
                             "USING (article_id) GROUP BY ALL ORDER BY ALL").fetchall()
        duplicates = con.execute("SELECT sum(duplicates) FROM runs").fetchone()[0]
    assert stored == [("BBC", "bbc-world-saved", 1), ("WSJ", "wsj-world", 3)]
    assert duplicates == 1, "the item of both captures is stored once"
