"""The measurements in order, each in a child process, turned into result rows with targets and ratios."""
from __future__ import annotations

import shutil
from pathlib import Path

from bench.common import GIB, MIB, Results, at_least, at_most, log, run_child

STEP_NAMES = ("ingest", "import", "tag", "write", "queries", "pages", "retag", "publish", "poll")
FULL = 1_000_000  # the size the "at 1M" targets are stated for

# Targets (issue #8)
INGEST_ITEMS_S = 1_000
IMPORT_ARTICLES_S = 3_000
TAG_MB_S_CORE = 10
QUERY_MEDIAN_MS = 300
PUBLISH_S = 2
INGEST_RSS_GIB = 1.0
DASHBOARD_RSS_GIB = 1.5
RETAG_ARTICLES_S = 2_000
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"  # optional: the tag rate on real text
REAL_TEXTS = (  # (row key, label, bench.m_tag writer of `pactwatch tag` input rows, source)
    ("tag.reuters_mb_per_s_core", "pactwatch tag, Reuters-21578 dev stories (MB per CPU-second)", "write_reuters",
     SHARED / "reuters21578" / "dev.jsonl"),
    ("tag.feeds_mb_per_s_core", "pactwatch tag, entries of the 178 captured real feeds (MB per CPU-second)",
     "write_real_feeds", SHARED / "feeds" / "real"),
)


def _scale(articles: int) -> float:
    return FULL / max(articles, 1)


def _breakdown_note(breakdown: dict, total: float) -> str:
    parts = [f"{label} {v['seconds']:.1f} s ({v['seconds'] / total:.0%}, {v['calls']}×)"
             for label, v in sorted(breakdown.items(), key=lambda item: -item[1]["seconds"])]
    rest = total - sum(v["seconds"] for v in breakdown.values())
    return "Wall time: " + "; ".join(parts) + f"; everything else {rest:.1f} s ({rest / total:.0%})"


def run_all(args, workdir: Path, results: Results, raw: dict) -> None:
    wanted = set(args.only or STEP_NAMES)
    demo_dir, jsonl, parquet = workdir / "demo", workdir / "archive.jsonl", workdir / "archive.parquet"
    ingest_home, import_home = workdir / "home-ingest", workdir / "home-import"
    for home in (ingest_home, import_home):
        if home.exists():
            shutil.rmtree(home)

    log(f"generating the demo corpus ({args.articles:,} articles) in {workdir}")
    corpus, _ = run_child("corpus", "generate", demo_dir=str(demo_dir), articles=args.articles, seed=args.seed)
    raw["corpus"] = corpus
    results.add("corpus.generate", "data", "demo corpus written (write_demo_corpus)", corpus["items"] / corpus["seconds"],
                "items/s", note=f"{corpus['items']:,} items in {corpus['files']:,} RSS files, "
                f"{corpus['bytes'] / MIB:,.0f} MiB, {corpus['seconds']:.1f} s")
    results.load("corpus")
    needs_archive = wanted & {"import", "tag", "write"} or args.dashboard_home == "import"
    if needs_archive:
        archive, _ = run_child("corpus", "write_archives", demo_dir=str(demo_dir), jsonl_path=str(jsonl),
                               parquet_path=str(parquet))
        raw["archive"] = archive

    dashboard_home = import_home if args.dashboard_home == "import" else ingest_home
    if args.only:
        results.notes.append(f"partial run: only {', '.join(sorted(wanted))}")
    if args.dashboard_home == "import":
        results.notes.append("queries, pages, retag and publish ran on the warehouse built by `import` "
                             "(the same corpus through import_file instead of ingest_local_files)")
    needs_ingest_home = "ingest" in wanted or (dashboard_home == ingest_home
                                               and wanted & {"queries", "pages", "retag", "publish"})
    if needs_ingest_home:
        _ingest(demo_dir, ingest_home, results, raw)
    if "import" in wanted or "write" in wanted or dashboard_home == import_home:
        _import(jsonl, import_home, results, raw)
    if "tag" in wanted:
        _tag(jsonl, workdir, args.tag_repeats, results, raw)
    if "write" in wanted:
        _write(import_home, workdir, args.executemany_rows, args.articles, results, raw)
    if "queries" in wanted:
        _queries(dashboard_home, args.query_repeats, args.articles, results, raw)
    if "pages" in wanted:
        _pages(dashboard_home, args.page_repeats, args.articles, results, raw)
    if "retag" in wanted:
        _retag(dashboard_home, results, raw)
    if "publish" in wanted:
        _publish(dashboard_home, results, raw)
    if "poll" in wanted:
        _poll(args.poll_feeds, results, raw)


def _ingest(demo_dir: Path, home: Path, results: Results, raw: dict) -> None:
    log("1. ingest from local RSS files (ingest_local_files)")
    ingest, peak = run_child("m_ingest", "ingest", home=str(home), demo_dir=str(demo_dir))
    results.load("ingest")
    log("1. reference: parse_bodies alone over the same files")
    parse, _ = run_child("m_ingest", "parse_only", demo_dir=str(demo_dir))
    results.load("parse reference")
    raw["ingest"], raw["parse_only"], raw["ingest_peak_rss"] = ingest, parse, peak
    rate = ingest["new_articles"] / ingest["seconds"]
    parse_rate = parse["entries"] / parse["seconds"]
    share = parse["seconds"] / ingest["seconds"]
    results.add("ingest.items_per_s", "ingest", "ingest from local RSS files (new items/s)", rate, "items/s",
                f"≥ {INGEST_ITEMS_S:,}", at_least(rate, INGEST_ITEMS_S),
                f"feedparser alone (parse_bodies, same 2-process pool): {parse_rate:,.0f} items/s — "
                f"ingest runs at {rate / parse_rate:.2f}× the parse-only rate",
                f"{ingest['new_articles']:,} new of {parse['entries']:,} items in {ingest['runs']} runs, "
                f"{ingest['seconds']:.1f} s wall, {ingest['cpu_seconds']:.0f} CPU-s. "
                + _breakdown_note(ingest["breakdown"], ingest["seconds"])
                + " (everything else = parsing on the pool, pool start-up, building candidates)")
    results.add("ingest.parse_share", "ingest", "share of ingest wall time that is feedparser parsing",
                share * 100, "%", "", None,
                f"parse_bodies {parse['seconds']:.1f} s / ingest {ingest['seconds']:.1f} s",
                f"feedparser per core: {parse['entries'] / max(parse['worker_cpu_seconds'], 1e-9):,.0f} items/CPU-s "
                f"({parse['worker_cpu_seconds']:.1f} worker CPU-s)")
    results.add("ingest.peak_rss", "memory", "ingest peak RSS (process tree, sampled every 50 ms)", peak / GIB,
                "GiB", f"≤ {INGEST_RSS_GIB:g} GiB", at_most(peak / GIB, INGEST_RSS_GIB),
                note="main process + parser/tagger pool workers")


def _import(jsonl: Path, home: Path, results: Results, raw: dict) -> None:
    log("2. pactwatch import of the JSONL archive (import_file)")
    imported, peak = run_child("m_import", "import_archive", home=str(home), archive=str(jsonl))
    results.load("import")
    raw["import"], raw["import_peak_rss"] = imported, peak
    rate = imported["new_articles"] / imported["seconds"]
    results.add("import.articles_per_s", "import", "import + tag + store (articles/s)", rate, "articles/s",
                f"≥ {IMPORT_ARTICLES_S:,}", at_least(rate, IMPORT_ARTICLES_S), "",
                f"{imported['new_articles']:,} stored of {raw['archive']['rows']:,} records, {imported['runs']} runs, "
                f"{imported['seconds']:.1f} s, {imported['cpu_seconds']:.0f} CPU-s (process + pool), peak RSS "
                f"{peak / MIB:,.0f} MiB. " + _breakdown_note(imported["breakdown"], imported["seconds"])
                + " (everything else = reading + cleaning records, registering sources)")


def _tag(jsonl: Path, workdir: Path, repeats: int, results: Results, raw: dict) -> None:
    log(f"3. pactwatch tag (tag_jsonl) vs a bare Aho-Corasick scan, {repeats} fresh processes each")
    runs = _tag_runs(jsonl, workdir, raw["archive"]["text_bytes"], repeats)
    results.load("tag")
    raw["tag"] = runs
    out = _add_tag_rate(results, "tag.mb_per_s_core", "pactwatch tag, demo feed items (MB of title+text per CPU-second)",
                        runs)
    results.add("tag.vs_aho_corasick", "tag", "tagging time / bare Aho-Corasick scan time (same text)",
                out["tag"]["cpu_seconds"] / out["scan"]["cpu_seconds"], "×", "", None,
                f"the median run: tag {out['tag']['cpu_seconds']:.1f} CPU-s vs scan "
                f"{out['scan']['cpu_seconds']:.1f} CPU-s")
    _add_regex_rate(results, jsonl, out)
    for key, label, writer, source in REAL_TEXTS:
        if not source.exists():
            results.notes.append(f"{source} not found: `{label}` not measured")
            continue
        log(f"3b. {label} (../shared)")
        rows = workdir / f"{key}.jsonl"
        written, _ = run_child("m_tag", writer, source=str(source), out=str(rows))
        raw[key] = _tag_runs(rows, workdir, written["text_bytes"], repeats)
        _add_tag_rate(results, key, label, raw[key])


def _tag_runs(jsonl: Path, workdir: Path, text_bytes: int, repeats: int) -> list[dict]:
    """`tag_and_scan` in `repeats` fresh processes. The captured entries are 0.15 CPU-s of tagging: one run of the
    same code ranged 9.7-13.0 MB/s within a minute on an idle box, so a rate is the median of several."""
    return [run_child("m_tag", "tag_and_scan", jsonl=str(jsonl), out=str(workdir / "tagged.jsonl"),
                      text_bytes=text_bytes)[0] for _ in range(repeats)]


def _add_regex_rate(results: Results, jsonl: Path, tagged: dict) -> None:
    """The issue's "don't build that" (a flat regex alternation of the phrases), beside the tagger and the scan."""
    regex, _ = run_child("m_tag", "regex_scan", jsonl=str(jsonl))
    rate = regex["text_bytes"] / 1e6 / regex["cpu_seconds"]
    tag_rate = _tag_rate(tagged)
    results.add("tag.regex_alternation_mb_per_s_core", "tag",
                "one flat regex alternation of the same phrase keys, demo feed items (MB per CPU-second)", rate,
                "MB/s/core", "", None,
                f"pactwatch tag {tag_rate:,.1f} MB/s/core on all the demo items: {tag_rate / rate:,.0f}× the regex",
                f"{regex['keys']:,} keys, compiled in {regex['compile_cpu_seconds']:.2f} CPU-s; the first "
                f"{regex['rows']:,} rows ({regex['text_bytes'] / 1e6:.1f} MB); {regex['hits']:,} matches")


def _tag_rate(out: dict) -> float:
    return out["text_bytes"] / 1e6 / out["tag"]["cpu_seconds"]


def _add_tag_rate(results: Results, key: str, label: str, runs: list[dict]) -> dict:
    """The row of the median run (by tag rate, the upper one of an even count), with every run's rate; returns it."""
    ordered = sorted(runs, key=_tag_rate)
    out = ordered[len(ordered) // 2]
    megabytes = out["text_bytes"] / 1e6
    tag_rate = _tag_rate(out)
    scan_rate = megabytes / out["scan"]["cpu_seconds"]
    results.add(key, "tag", label, tag_rate, "MB/s/core", f"≥ {TAG_MB_S_CORE}", at_least(tag_rate, TAG_MB_S_CORE),
                f"bare Aho-Corasick scan (same {out['scan']['keys']:,} phrase keys, fold + iterate matches): "
                f"{scan_rate:,.1f} MB/s/core — tagging costs {scan_rate / tag_rate:.1f}× the scan",
                f"median of {len(runs)} fresh processes ({', '.join(f'{_tag_rate(run):,.1f}' for run in ordered)}); "
                f"{out['tag']['rows']:,} rows, {megabytes:,.1f} MB text ({out['file_bytes'] / 1e6:,.1f} MB JSONL), "
                f"{out['tag']['rows'] / out['tag']['cpu_seconds']:,.0f} articles/CPU-s; "
                f"{out['scan']['hits']:,} raw automaton hits; tagger: {out['tagger']}")
    return out


def _write(import_home: Path, workdir: Path, rows: int, articles: int, results: Results, raw: dict) -> None:
    log(f"4. write path vs executemany ({rows:,} article rows)")
    snapshot = (import_home / "pactwatch.duckdb").resolve()
    out, _ = run_child("m_write", "write_paths", snapshot=str(snapshot), workdir=str(workdir), rows=rows)
    results.load("write")
    raw["write"] = out
    ratio = out["executemany_seconds"] / out["arrow_seconds"]
    per_row = lambda seconds: seconds / out["rows"]  # noqa: E731
    results.add("write.vs_executemany", "store", "our write path (Arrow → INSERT … SELECT) speed-up over executemany",
                ratio, "×", "", None,
                f"{out['rows']:,} article rows: ours {out['arrow_seconds'] * 1000:,.0f} ms, executemany "
                f"{out['executemany_seconds']:,.1f} s",
                f"extrapolated to {articles:,} articles: ours {per_row(out['arrow_seconds']) * articles:,.1f} s, "
                f"executemany {per_row(out['executemany_seconds']) * articles:,.0f} s")


def _queries(home: Path, repeats: int, articles: int, results: Results, raw: dict) -> None:
    log(f"6. dashboard queries ({repeats} repetitions each, default scope and whole range)")
    out, peak = run_child("m_queries", "run_queries", home=str(home), repeats=repeats)
    results.load("queries")
    raw["queries"], raw["queries_peak_rss"] = out, peak
    articles = out.get("articles") or articles  # stored articles: the same-story rule drops some demo items
    at_full = articles >= FULL * 0.9
    results.notes.append(f"dashboard queries ran on {articles:,} stored articles; default scope {out['scope'][0]} – "
                         f"{out['scope'][1]} (the dashboard's last 90 days), whole range {out['scope_all'][0]} – "
                         f"{out['scope_all'][1]}; 1M bounds scale by 1,000,000 / stored articles")
    for prefix, label, measured_all in (("query", "", out["queries"]), ("query_all", ", whole range", out["queries_all"])):
        for name, measured in measured_all.items():
            key = f"{prefix}." + name.split(" ")[0] + ("_body" if "body" in name else "")
            section = "dashboard queries" + label
            if "skipped" in measured:
                results.add(key, section, f"`{name}`", None, "ms", note=f"skipped: {measured['skipped']}")
                if not label:
                    results.notes.append(f"query `{name}` skipped: {measured['skipped']}")
                continue
            median_ms = measured["median"] * 1000
            estimate = median_ms * _scale(articles)
            results.add(key, section, f"`{name}` median{label}", median_ms, "ms",
                        f"≤ {QUERY_MEDIAN_MS} at 1M", at_most(median_ms, QUERY_MEDIAN_MS) if at_full else None,
                        "", f"p95 {measured['p95'] * 1000:,.0f} ms, first call {measured['first'] * 1000:,.0f} ms, "
                        f"{measured['rows']} rows" + (f"; 1M upper bound if it scaled linearly: {estimate:,.0f} ms"
                                                      if not at_full and articles >= 50_000 else ""))


def _pages(home: Path, repeats: int, articles: int, results: Results, raw: dict) -> None:
    log("6. dashboard pages (AppTest, cold and warm)")
    out, peak = run_child("m_pages", "render_pages", home=str(home), repeats=repeats)
    results.load("pages")
    raw["pages"], raw["dashboard_peak_rss"] = out, peak
    for name, page in out["pages"].items():
        note = f"warm rerun {page['warm'] * 1000:,.0f} ms"
        if page["exceptions"]:
            note += f"; EXCEPTIONS: {page['exceptions']}"
        results.add(f"page.{name}", "dashboard pages", f"{page['title']} page render, cold cache", page["cold"] * 1000,
                    "ms", note=note)
    articles = raw.get("queries", {}).get("articles") or articles
    at_full = articles >= FULL * 0.9
    results.add("dashboard.peak_rss", "memory", "dashboard peak RSS (AppTest process rendering every page)",
                peak / GIB, "GiB", f"≤ {DASHBOARD_RSS_GIB:g} GiB at 1M",
                at_most(peak / GIB, DASHBOARD_RSS_GIB) if at_full else None,
                note=f"measured at {articles:,} stored articles (most of it is the Streamlit process itself, "
                "so it does not scale linearly; run at 1M to judge)")


def _retag(home: Path, results: Results, raw: dict) -> None:
    log("5. retag")
    out, peak = run_child("m_store", "retag", home=str(home))
    results.load("retag")
    raw["retag"], raw["retag_peak_rss"] = out, peak
    rate = out["articles"] / out["seconds"]
    results.add("retag.articles_per_s", "store", "retag (articles/s)", rate, "articles/s", f"≥ {RETAG_ARTICLES_S:,}",
                at_least(rate, RETAG_ARTICLES_S), "",
                f"{out['articles']:,} articles in {out['seconds']:.1f} s, peak RSS {peak / MIB:,.0f} MiB. "
                + _breakdown_note(out["breakdown"], out["seconds"]) + _compaction_note(out["compaction"]))


def _compaction_note(compaction: dict) -> str:
    if not compaction["compacted"]:
        return f". Not compacted: {compaction['free_share_before']:.0%} of the file free"
    return (f". The writer file after the swap: {compaction['bytes_before'] / MIB:,.0f} MiB, "
            f"{compaction['free_share_before']:.0%} free blocks; compacted: {compaction['bytes_after'] / MIB:,.0f} MiB")


def _publish(home: Path, results: Results, raw: dict) -> None:
    log("5. snapshot publish and warehouse size")
    out, _ = run_child("m_store", "publish", home=str(home))
    results.load("publish")
    raw["publish"] = out
    scale = _scale(out["articles"])
    at_full = out["articles"] >= FULL * 0.9
    estimate = out["seconds"] * (1 if at_full else scale)
    judged = at_full or out["articles"] >= 50_000  # below that, fixed costs dominate the copy
    results.add("publish.seconds", "store", f"snapshot publish at {out['articles']:,} articles", out["seconds"], "s",
                f"≤ {PUBLISH_S} at 1M", at_most(estimate, PUBLISH_S) if judged else None, "",
                f"runs {', '.join(f'{s:.2f}' for s in out['all'])} s; "
                + ("" if at_full else f"linear 1M estimate {estimate:.1f} s (a file copy scales with size)"))
    results.add("warehouse.bytes_per_1m", "store", "warehouse size on disk per 1M articles",
                out["writer_bytes"] * scale / GIB, "GiB", "", None, "",
                f"writer {out['writer_bytes'] / MIB:,.0f} MiB, snapshot {out['snapshot_bytes'] / MIB:,.0f} MiB for "
                f"{out['articles']:,} articles ({'measured' if at_full else 'extrapolated linearly'}); derived rows: "
                + ", ".join(f"{t} {n:,}" for t, n in out["rows"].items())
                + f"; {out['snapshots_kept']} snapshots on disk = {out['snapshots_bytes'] / MIB:,.0f} MiB")


def _poll(feeds: int, results: Results, raw: dict) -> None:
    log(f"8. poll cycle of {feeds:,} feeds (bench/bench_poll.py)")
    from bench.m_poll import poll_cycle

    out = poll_cycle(feeds)
    results.load("poll")
    raw["poll"] = out
    results.add("poll.cpu_ms_per_feed", "poll", f"poll cycle CPU per feed ({feeds:,} feeds, 70 % answer 304)",
                out["cpu_ms_per_feed"], "CPU-ms/feed", "", None, "",
                f"{out['cpu_seconds']:.1f} CPU-s, {out['wall_seconds']:.1f} s wall; {out['stderr']}")
    results.add("poll.core_share", "poll", "5,000 feeds every 15 min: share of one core", out["core_share_pct"],
                "% of one core", "< 25 %", at_most(out["core_share_pct"], 25))
