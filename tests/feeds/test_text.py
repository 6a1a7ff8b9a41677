"""plain_text: markup in, readable plain text out."""
from __future__ import annotations

import pytest

from pipeline.feeds.text import plain_text


@pytest.mark.parametrize(("markup", "expected"), [
    ("Growth < 2% & rising > expected", "Growth < 2% & rising > expected"),
    ("Q&A: AT&amp;T &#8212; &eacute;t&eacute;", "Q&A: AT&T — été"),
    ("<p>One</p><p>Two<br>Three</p>", "One Two Three"),
    ("a<script>var x = '<p>';</script>b<style>p {}</style>c", "abc"),
    ("<svg><text>drawn</text></svg>visible", "visible"),
    ("tab\tand\nnew  lines\u200b and\x00controls", "tab and new lines and controls"),
    ("", ""), (None, ""),
])
def test_plain_text(markup, expected):
    assert plain_text(markup, 1_000) == expected


def test_plain_text_is_capped():
    assert plain_text("word " * 1_000, 20) == "word word word word"
