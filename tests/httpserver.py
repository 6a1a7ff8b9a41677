"""A real HTTP server on 127.0.0.1 whose responses tests script per path."""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

# How often a test server's loop looks for its shutdown: http.server's default, 0.5 s, made every test that stopped a
# server wait some 0.3 s for it (12 s of test_backup's and test_end_to_end's 100).
SHUTDOWN_POLL_S = 0.05


class QuietHTTPServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer is what many tests do (a size cap, a deadline, a reset): http.server prints
    each as a traceback, which once the test is over lands in the suite's output as if something had failed."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    reason: str | None = None  # the status line's reason phrase: http.server's own when None


Route = Response | Callable[[BaseHTTPRequestHandler], Response]


class ScriptedServer:
    """Serves `routes[path]` (a Response, or a function of the request returning one); 404 otherwise."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path, Response(404, b"not found"))
                response = route(self) if callable(route) else route
                self.send_response(response.status, response.reason)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> "ScriptedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
