"""RSS documents written by our tests (never copies of third-party feeds)."""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import format_datetime
from datetime import datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    title: str
    description: str = ""
    link: str | None = None
    guid: str | None = None
    published: datetime | str | None = None  # a text is written as it is: a date no reader may read
    original_link: str | None = None  # feedburner:origLink: the publisher's address beside a proxy's <link>


def rss(items: list[Item], title: str = "Test feed", language: str | None = None) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"{_namespaces(items)}><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link><description>tests</description>"
        + (f"<language>{escape(language)}</language>" if language else "")
        + "".join(_item(item) for item in items)
        + "</channel></rss>"
    ).encode("utf-8")


def _namespaces(items: list[Item]) -> str:
    return ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"' if any(
        item.original_link for item in items) else ""


def _item(item: Item) -> str:
    parts = [f"<title>{escape(item.title)}</title>", f"<description>{escape(item.description)}</description>"]
    if item.link:
        parts.append(f"<link>{escape(item.link)}</link>")
    if item.original_link:
        parts.append(f"<feedburner:origLink>{escape(item.original_link)}</feedburner:origLink>")
    if item.guid:
        parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
    if item.published:
        written = item.published if isinstance(item.published, str) else format_datetime(item.published, usegmt=True)
        parts.append(f"<pubDate>{escape(written)}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def feed_list_toml(feeds: dict[str, str], outlet: str | None = None,
                   languages: dict[str, str | None] | None = None) -> str:
    """A seeds/feeds.toml-style list: feed id -> URL (language "en" unless `languages` says otherwise; None
    leaves it out)."""
    def language(feed_id: str) -> str:
        value = (languages or {}).get(feed_id, "en")
        return f'language = "{value}"\n' if value else ""

    return "".join(
        f'[[feed]]\nid = "{feed_id}"\nurl = "{url}"\nname = "{feed_id}"\noutlet = "{outlet or feed_id}"\n'
        f'outlet_country = "GBR"\n{language(feed_id)}tier = 1\ntags = ["test"]\nenabled = true\n\n'
        for feed_id, url in feeds.items()
    )
