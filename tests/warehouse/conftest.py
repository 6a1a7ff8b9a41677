from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss

START = datetime(2024, 6, 1, tzinfo=timezone.utc)
COUNTRIES = ["Russia", "North Korea", "China", "Iran", "India", "Japan", "South Korea", "Turkey"]


def story(feed: int, n: int) -> Item:
    a, b = COUNTRIES[n % len(COUNTRIES)], COUNTRIES[(n + feed + 1) % len(COUNTRIES)]
    return Item(f"{a} and {b} hold talks on trade, round {feed}-{n}",
                f"{a} and {b} signed a trade agreement on {n} items. Officials in both countries welcomed it.",
                link=f"https://news.example.org/{feed}/{n}", guid=f"https://news.example.org/{feed}/{n}",
                published=START + timedelta(hours=n))


@pytest.fixture()
def growing_feeds(http_server, tmp_path):
    """`feeds` feeds whose every request shows `per_request` more items than the one before."""
    def make(feeds: int = 5, per_request: int = 3):
        served = {f: 0 for f in range(feeds)}

        def route(feed: int):
            def respond(request):
                served[feed] += per_request
                return Response(200, rss([story(feed, n) for n in range(served[feed])]))
            return respond

        for feed in range(feeds):
            http_server.routes[f"/feed{feed}.xml"] = route(feed)
        listing = tmp_path / "feeds.toml"
        listing.write_text(feed_list_toml({f"feed{f}": http_server.url(f"/feed{f}.xml") for f in range(feeds)}))
        return listing
    return make


@pytest.fixture()
def static_feeds(http_server, tmp_path):
    def make(feeds: int = 8, items: int = 60):
        for feed in range(feeds):
            http_server.routes[f"/feed{feed}.xml"] = conditional(rss([story(feed, n) for n in range(items)]), f'"v{feed}"')
        listing = tmp_path / "feeds.toml"
        listing.write_text(feed_list_toml({f"feed{f}": http_server.url(f"/feed{f}.xml") for f in range(feeds)}))
        return listing
    return make


def conditional(body: bytes, etag: str):
    """A route honouring If-None-Match, so a validator stored without its articles would hide them."""
    return lambda request: (Response(304) if request.headers.get("If-None-Match") == etag
                            else Response(200, body, {"ETag": etag}))


def start_python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def pactwatch_command(home, *args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--home", str(home), *args]


def pactwatch(home, *args: str) -> subprocess.Popen:
    return subprocess.Popen(pactwatch_command(home, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
