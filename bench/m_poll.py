"""8. The poll cycle's CPU cost: runs bench/bench_poll.py (the feeds engineer's benchmark) as it is."""
from __future__ import annotations

import subprocess
import sys

from bench.common import ROOT


def poll_cycle(feeds: int, not_modified: float = 0.7, timeout: float = 1800) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "bench_poll.py"), "--feeds", str(feeds),
               "--not-modified", str(not_modified)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"bench_poll.py failed ({done.returncode}): {done.stderr[-2000:]}")
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    values = [cell.strip() for cell in table[-1].strip("|").split("|")]
    row = dict(zip(header, values))
    number = lambda text: float(text.split()[0].replace(",", "").rstrip("%"))  # noqa: E731
    return {"feeds": feeds, "not_modified": not_modified, "wall_seconds": number(row["wall s"]),
            "cpu_seconds": number(row["CPU s"]), "cpu_ms_per_feed": number(row["CPU ms/feed"]),
            "core_share_pct": number(row["5,000 feeds / 15 min"]), "row": table[-1],
            "stderr": done.stderr.strip().splitlines()[-1:] }
