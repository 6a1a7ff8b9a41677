"""The suite's guard against tests that reach for the internet (tests/conftest.py), checked on what it is given."""
from __future__ import annotations

import pytest

from tests.conftest import note_reaching_out, reached_out


@pytest.mark.parametrize("event, args", [
    ("socket.getaddrinfo", ("feeds.bbci.co.uk", 443, 0, 1, 6, 0)),
    ("socket.getaddrinfo", (b"tass.ru", 80, 0, 1, 6, 0)),
    ("socket.connect", (None, ("151.101.0.81", 443))),
    ("socket.connect", (None, ("2a04:4e42::81", 443, 0, 0))),
    ("socket.getaddrinfo", ("example.com.evil.net", 443, 0, 1, 6, 0)),  # a reserved name's look-alike
])
def test_a_lookup_or_connection_beyond_this_machine_is_noted(event, args):
    try:
        note_reaching_out(event, args)
        noted = list(reached_out)
    finally:
        reached_out.clear()  # else this test's own guard fails it
    assert noted == [args[0] if event == "socket.getaddrinfo" else args[1][0]] or noted == [args[0].decode()]


@pytest.mark.parametrize("event, args", [
    ("socket.getaddrinfo", ("127.0.0.1", 8501, 0, 1, 6, 0)),
    ("socket.getaddrinfo", ("localhost", 8501, 0, 1, 6, 0)),
    ("socket.getaddrinfo", ("b.example", 443, 0, 1, 6, 0)),
    ("socket.getaddrinfo", ("feed.invalid", 80, 0, 1, 6, 0)),
    ("socket.getaddrinfo", ("news.example.org", 443, 0, 1, 6, 0)),
    ("socket.getaddrinfo", (None, 0, 0, 1, 6, 0)),
    ("socket.connect", (None, ("127.0.0.1", 8501))),
    ("socket.connect", (None, ("::1", 8501, 0, 0))),
    ("socket.connect", (None, "/tmp/a.sock")),
])
def test_this_machine_and_reserved_names_pass(event, args):
    note_reaching_out(event, args)
    assert reached_out == []
