"""The demo corpus's files: RSS 2.0 snapshot files per outlet, and the feeds.toml describing the outlets."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.demo.scenario import Outlet
from pipeline.home import replace_file, unfinished_replacements

SITE = "https://demo.pactwatch.invalid"
FEED_TAG = "demo"  # every demo feed's: `demo --unless-done` takes a feed without it for an operator's
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

CHANNEL_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>{title}</title>
<link>{link}</link>
<description>{title}: synthetic PactWatch demo news (not real reporting)</description>
<language>en</language>
<lastBuildDate>{built}</lastBuildDate>
"""
CHANNEL_TAIL = "</channel>\n</rss>\n"
# The urn:pactwatch-demo:* categories carry ground truth for scoring; they are not article text.
ITEM = """<item>
<title>{title}</title>
<link>{link}</link>
<guid isPermaLink="false">urn:pactwatch-demo:{outlet}:{seq}</guid>
<description>{summary}</description>
<pubDate>{published}</pubDate>
<category domain="urn:pactwatch-demo:countries">{countries}</category>
<category domain="urn:pactwatch-demo:topic">{topic}</category>
<category domain="urn:pactwatch-demo:source">{source}</category>
</item>
"""


def rfc822_day(day: date) -> str:
    """'Mon, 03 Feb 2025' — the date part of an RFC 822 stamp, locale-independent."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def rfc822(day_part: str, seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{day_part} {hours:02d}:{rest // 60:02d}:{rest % 60:02d} +0000"


@dataclass(frozen=True)
class Truth:
    """Which stream / injection produced an item (countries "A-B" sorted, topic, source label)."""
    countries: str
    topic: str
    source: str


@dataclass(frozen=True)
class SnapshotFile:
    path: str  # relative to the corpus directory
    items: int
    first_published: str  # RFC 822
    last_published: str


class _OutletSnapshots:
    def __init__(self, outlet: Outlet, directory: Path) -> None:
        self.outlet = outlet
        self.directory = directory
        self.head = {"title": escape(outlet.name), "link": f"{SITE}/{outlet.id}"}
        self.pending: list[tuple[str, str]] = []  # (published, item xml), oldest first
        self.files: list[SnapshotFile] = []
        self.seq = 0

    def add(self, published: str, title: str, summary: str, truth: Truth) -> None:
        self.seq += 1
        seq = f"{self.seq:08d}"
        self.pending.append((published, ITEM.format(
            title=escape(title), link=f"{SITE}/{self.outlet.id}/{seq}", outlet=self.outlet.id, seq=seq,
            summary=escape(summary), published=published,
            countries=truth.countries, topic=truth.topic, source=truth.source,
        )))

    def flush(self) -> None:
        """Write pending items as the next snapshot, newest first like a live feed."""
        if not self.pending:
            return
        name = f"{len(self.files):05d}.xml"
        first, last = self.pending[0][0], self.pending[-1][0]
        body = "".join(item for _, item in reversed(self.pending))
        replace_file(self.directory / name, CHANNEL_HEAD.format(built=last, **self.head) + body + CHANNEL_TAIL)
        self.files.append(SnapshotFile(f"{self.outlet.id}/{name}", len(self.pending), first, last))
        self.pending = []


class SnapshotWriter:
    """Streams items (in chronological order) into out_dir/<outlet>/<NNNNN>.xml, `items_per_file` each."""

    def __init__(self, out_dir: Path, outlets: tuple[Outlet, ...], items_per_file: int) -> None:
        self.items_per_file = items_per_file
        self.outlets = {outlet.id: _OutletSnapshots(outlet, _fresh_dir(out_dir / outlet.id)) for outlet in outlets}

    def add(self, outlet_id: str, published: str, title: str, summary: str, truth: Truth) -> None:
        snapshots = self.outlets[outlet_id]
        snapshots.add(published, title, summary, truth)
        if len(snapshots.pending) >= self.items_per_file:
            snapshots.flush()

    def close(self) -> dict[str, list[SnapshotFile]]:
        for snapshots in self.outlets.values():
            snapshots.flush()
        return {outlet_id: snapshots.files for outlet_id, snapshots in self.outlets.items()}


def _fresh_dir(directory: Path) -> Path:
    """The outlet's folder, emptied of snapshots from an earlier run (and of those a killed one left unfinished)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in [*directory.glob("*.xml"), *unfinished_replacements(directory, "*.xml")]:
        stale.unlink()
    return directory


def feeds_toml(outlets: tuple[Outlet, ...], out_dir: Path) -> str:
    """feeds.toml text: one [[feed]] per demo outlet, its url the outlet's snapshot folder. Disabled: `pactwatch
    demo` reads the snapshot files itself; `pactwatch ingest` has nothing to poll there (a folder, not a feed)."""
    tables = []
    for outlet in outlets:
        fields = {
            "id": outlet.id, "url": "file://" + str((out_dir / outlet.id).resolve()), "name": outlet.name,
            "outlet": outlet.name, "outlet_country": outlet.country, "language": "en", "tier": 3,
        }
        lines = [f"{key} = {json.dumps(value)}" for key, value in fields.items()]
        tables.append("[[feed]]\n" + "\n".join(lines) + f'\ntags = ["{FEED_TAG}"]\nenabled = false\n')
    return "# PactWatch demo outlets (generated by pipeline.demo; synthetic news)\n\n" + "\n".join(tables)
