"""`python -m bench --articles 100000`: generate the demo corpus, measure every step, publish the table.

    python -m bench --articles 100000                 # make bench
    python -m bench --articles 1000000                # make bench-full
    python -m bench --articles 1000 --doc /tmp/b.md   # a quick look (the smoke test does this)

Results go to docs/benchmarks.md (a section per corpus size, replaced in place; text outside the
section markers is kept) and, with --json, to a JSON file. Data lives in a temporary work directory
(--workdir to choose it, --keep to keep it).
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench import report, steps
from bench.common import ROOT, Results, log, machine


DOC = ROOT / "docs" / "benchmarks.md"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="demo corpus size (baseline articles)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="where to put the corpus and homes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--doc", type=Path,
                        help=f"markdown file whose section for this size is (re)written; '-' for none (default: {DOC}, "
                             "none with --only: a partial run must not replace the section of a full one)")
    parser.add_argument("--json", type=Path, help="also write every raw measurement here")
    parser.add_argument("--query-repeats", type=int, default=10)
    parser.add_argument("--page-repeats", type=int, default=1, help="cold/warm renders per page (best is kept)")
    parser.add_argument("--tag-repeats", type=int, default=5,
                        help="fresh processes per `pactwatch tag` rate (the median is reported)")
    parser.add_argument("--executemany-rows", type=int, default=5000)
    parser.add_argument("--poll-feeds", type=int, default=5000, help="feeds in the bench_poll.py cycle")
    parser.add_argument("--dashboard-home", choices=("ingest", "import"), default="ingest",
                        help="which warehouse the query/page/retag/publish steps use (import builds faster)")
    parser.add_argument("--only", nargs="*", choices=steps.STEP_NAMES, help="run only these steps (and the data they need)")
    return parser.parse_args(argv)


def doc_to_write(args: argparse.Namespace) -> Path | None:
    """The markdown file this run's section goes to: --doc's, else docs/benchmarks.md for a full run only."""
    if args.doc is None:
        return None if args.only else DOC
    return None if str(args.doc) == "-" else args.doc


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pactwatch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = Results()
    raw: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "machine": machine()}
    results.load("start")
    started = time.perf_counter()
    try:
        steps.run_all(args, workdir, results, raw)
    finally:
        results.load("end")
        raw["wall_seconds"] = time.perf_counter() - started
        raw["loads"] = results.loads
        raw["rows"] = [row.as_dict() for row in results.rows]
        raw["notes"] = results.notes
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(raw, indent=1, default=str) + "\n")
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    section = report.section(args.articles, raw, results)
    print(section)
    if doc := doc_to_write(args):
        report.write_section(doc, args.articles, section)
        log(f"wrote {doc}")
    log(f"done in {raw['wall_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
