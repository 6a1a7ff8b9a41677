"""The trap table (tests/tagging/traps.toml): sentences that fool naive country matchers."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from pipeline.seeds import load_tagger

TRAPS = tomllib.loads((Path(__file__).parent / "traps.toml").read_text(encoding="utf-8"))["trap"]


def test_table_is_large_enough():
    assert len(TRAPS) >= 150


@pytest.mark.parametrize("trap", TRAPS, ids=[(t.get("title") or t["text"])[:50] for t in TRAPS])
def test_trap(trap):
    published = dt.date.fromisoformat(trap["published"]) if "published" in trap else None
    title = trap.get("title", "")
    tags = load_tagger().tag(title, trap["text"], published, trap.get("language"))
    assert list(tags.countries) == sorted(trap["expect"]), [(m.surface, m.iso3, m.kind) for m in tags.mentions]
    fields = {"title": title, "text": trap["text"]}
    assert [fields[m.field][m.start:m.end] for m in tags.mentions] == [m.surface for m in tags.mentions]
