"""The control characters that untrusted text (feeds, servers, OPML, feed lists, archives) must never carry into a
terminal or a one-line field, in one definition: feeds, the importer, the CLI and the dashboard all use it, so that
no path lets through what another refuses. Pure and import-free, for every layer."""
from __future__ import annotations

import re

# Bidi embeddings, overrides and isolates reorder what a reader sees ("\u202egpj.exe" shows as "exe.jpg"); untrusted
# text never needs them. A plain direction mark (U+200E, U+200F) reorders nothing and may stay.
_BIDI = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{_BIDI}]")
# C0 and DEL drive a terminal (ESC starts a sequence, CR writes over a line) and C1 as much: U+009B is a CSI of its
# own, U+0085 a line break. Tab and newline are controls too: a one-line field holds neither.
CONTROLS = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
# The same for text that legitimately spans lines (a JSON document, a query plan): only tab and newline may stay.
CONTROLS_BUT_TAB_AND_NEWLINE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """`text` as one line that reads as written: bidi controls dropped (as a space they would split a word), every
    other control a space, runs of white space one space, no space at either end."""
    return _WHITESPACE.sub(" ", CONTROLS.sub(" ", BIDI_CONTROLS.sub("", text))).strip()


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate (JSON may escape one, "\\ud800", which no UTF-8 writer takes) as U+FFFD: the same
    length, so every offset into it holds."""
    return _LONE_SURROGATE.sub("\ufffd", text)
