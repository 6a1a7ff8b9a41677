"""Benchmark one poll cycle: N feeds from a loopback server, 50 items each, a share answering 304.

    .venv/bin/python bench/bench_poll.py [--feeds 2000] [--not-modified 0.7] [--hosts 16]

The server runs in its own process so that only the poller's CPU is measured (this process: the
asyncio fetch loop and the consumer; plus the parser pool's processes). Feeds are spread over several
127.0.0.x addresses because poll() allows only `per_host` connections per host, as it would in
production. Prints one markdown table row; target: 5,000 feeds every 15 minutes < 25 % of one core.
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import descendants_cpu  # noqa: E402
from pipeline.feeds.models import FeedState  # noqa: E402
from pipeline.feeds.poll import poll  # noqa: E402
from pipeline.pool import make_process_pool  # noqa: E402

ITEMS = 50
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SCHEDULE_FEEDS, SCHEDULE_PERIOD_S = 5_000, 15 * 60


def feed_body(feed: int) -> bytes:
    items = []
    for n in range(ITEMS):
        published = format_datetime(NOW - timedelta(minutes=37 * n), usegmt=True)
        items.append(
            f"<item><title>Feed {feed} story {n}: sanctions talks between allies resume</title>"
            f"<link>https://news{feed % 97}.example.org/world/{feed}/{n}?utm_source=rss</link>"
            f'<guid isPermaLink="false">feed-{feed}-item-{n}</guid><pubDate>{published}</pubDate>'
            f"<description>&lt;p&gt;Officials from several countries met on {published} to discuss export "
            f"controls, energy prices and the &lt;b&gt;alliance&lt;/b&gt; agreement. Story {n} of feed {feed} "
            f"carries a typical two-sentence summary as news feeds do.&lt;/p&gt;</description></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed {feed}</title>'
            f"<link>https://example.org/{feed}</link><description>bench</description>{''.join(items)}"
            "</channel></rss>").encode()


def etag(feed: int) -> str:
    return f'"feed-{feed}-v1"'


def serve(hosts: list[str], port_holder, ready, feeds: int) -> None:
    """A minimal keep-alive HTTP/1.1 server: 304 when If-None-Match matches, else the full feed."""
    bodies = {feed: feed_body(feed) for feed in range(feeds)}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                feed = int(lines[0].split()[1].rsplit("/", 1)[1])
                headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                if headers.get("if-none-match") == etag(feed):
                    writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {etag(feed)}\r\nContent-Length: 0\r\n\r\n".encode())
                else:
                    body = bodies[feed]
                    writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: {etag(feed)}\r\n"
                                 f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        first = await asyncio.start_server(handle, hosts[0], 0)
        port = first.sockets[0].getsockname()[1]
        for host in hosts[1:]:
            await asyncio.start_server(handle, host, port)
        port_holder.value = port
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def states_for(hosts: list[str], port: int, feeds: int, not_modified_share: float) -> list[FeedState]:
    states = []
    for feed in range(feeds):
        url = f"http://{hosts[feed % len(hosts)]}:{port}/feeds/{feed}"
        cached = feed < feeds * not_modified_share
        states.append(FeedState(f"feed-{feed}", url, etag=etag(feed) if cached else None,
                                last_full_fetch_at=NOW - timedelta(hours=1) if cached else None))
    return states


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2_000)
    parser.add_argument("--not-modified", type=float, default=0.7)
    parser.add_argument("--hosts", type=int, default=16)
    args = parser.parse_args()

    hosts = [f"127.0.0.{n + 1}" for n in range(args.hosts)]
    context = multiprocessing.get_context("spawn")
    port, ready = context.Value("i", 0), context.Event()
    server = context.Process(target=serve, args=(hosts, port, ready, args.feeds), daemon=True)
    server.start()
    ready.wait(60)
    states = states_for(hosts, port.value, args.feeds, args.not_modified)

    me = psutil.Process()
    pool = make_process_pool()
    children_before = descendants_cpu(leaving_out=(server.pid,))  # the feeds' server is no poll cost
    cpu_before, wall_before = cpu_seconds(me), time.perf_counter()
    outcomes: dict[str, int] = {}
    entries = 0
    for result, parsed in poll(states, now=NOW, executor=pool):
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        entries += len(parsed.entries) if parsed else 0
    wall = time.perf_counter() - wall_before
    cpu_here = cpu_seconds(me) - cpu_before
    cpu = cpu_here + descendants_cpu(leaving_out=(server.pid,)) - children_before
    pool.shutdown()
    server.terminate()

    per_feed = cpu / args.feeds
    core_share = per_feed * SCHEDULE_FEEDS / SCHEDULE_PERIOD_S
    print(f"outcomes: {outcomes}, entries parsed: {entries}, cpus: {os.cpu_count()}", file=sys.stderr)
    print("| feeds | 304 share | wall s | feeds/s | CPU s | CPU ms/feed | 5,000 feeds / 15 min |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.feeds:,} | {args.not_modified:.0%} | {wall:.2f} | {args.feeds / wall:,.0f} | {cpu:.2f} | "
          f"{per_feed * 1000:.2f} | {core_share:.1%} of one core |")


if __name__ == "__main__":
    main()
