"""A real HTTP server on 127.0.0.1 whose answers each test scripts per path."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from pipeline.url_seeds import UrlSeedError
from tests.httpserver import SHUTDOWN_POLL_S, QuietHTTPServer

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def still_at_now() -> datetime:
    """A clock that stands still at NOW (fetch's and poll's `clock`): every time a fetch computes is exact."""
    return NOW

Route = Callable[["ScriptedHandler"], None]


class ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real feed servers

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        server: ScriptedServer = self.server  # type: ignore[assignment]
        server.requests.append((self.path, dict(self.headers)))
        route = server.routes.get(self.path.split("?")[0])
        if route is None:
            self.reply(404, b"no route")
        else:
            route(self)

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str | list[str]] | None = None) -> None:
        """`headers`: a list of values is one header line each; a Date of the script's own (a skewed clock, garbage,
        several) replaces the server's."""
        headers = headers or {}
        if "Date" in headers:
            self.send_response_only(status)
        else:
            self.send_response(status)
        for name, values in headers.items():
            for value in [values] if isinstance(values, str) else values:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The answers' Date (http.server's `send_response` adds one): the server's clock agrees with the tests'
        (`still_at_now`), as a well-kept server's with ours."""
        return format_datetime(NOW, usegmt=True)

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


class ScriptedServer(QuietHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ScriptedHandler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def static(self, path: str, status: int = 200, body: bytes = b"",
               headers: dict[str, str | list[str]] | None = None) -> str:
        return self.route(path, lambda handler: handler.reply(status, body, headers))

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for requested, headers in self.requests if requested == path]


def _serving() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    thread = threading.Thread(target=scripted.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True)
    thread.start()
    yield scripted
    scripted.shutdown()
    scripted.server_close()


server = pytest.fixture(_serving, name="server")
other_server = pytest.fixture(_serving, name="other_server")  # another origin (its own port), for redirects


def assert_url_seed_refused(tmp_path: Path, name: str, text: str, read: Callable[[Path], object], problem: str) -> None:
    """`read`, a loader of the URL rules seed file `name`, refuses `text` with an error matching `problem`."""
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(UrlSeedError, match=problem):
        read(path)


def rss(*items: str, title: str = "Test feed", language: str | None = None) -> bytes:
    """A minimal RSS 2.0 document around the given <item> snippets."""
    declared = f"<language>{escape(language)}</language>" if language is not None else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f'<link>https://example.org/</link><description>d</description>{declared}{"".join(items)}'
            '</channel></rss>').encode()


def item(guid: str | None = None, link: str | None = None, title: str = "T", pub: str | None = None,
         description: str | None = None) -> str:
    parts = [f"<title>{title}</title>"]
    parts += [f"<guid>{guid}</guid>"] if guid else []
    parts += [f"<link>{link}</link>"] if link else []
    parts += [f"<pubDate>{pub}</pubDate>"] if pub else []
    parts += [f"<description>{description}</description>"] if description else []
    return f"<item>{''.join(parts)}</item>"
