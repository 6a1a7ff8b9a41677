"""Names that are used but never defined, or defined and never used: pyflakes over every module we wrote (a rename
once left a page calling a function that no longer existed, found only when that page ran)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pyflakes.checker import Checker

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("pipeline", "bench", "tools", "tests", "seeds")
SOURCES = sorted(path for folder in FOLDERS for path in (ROOT / folder).rglob("*.py")
                 if "_compiled" not in path.parts) + [ROOT / "streamlit_app.py"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_undefined_or_unused_names(path: Path):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = [f"{path.name}:{message.lineno}: {message.message % message.message_args}"
             for message in Checker(ast.parse(source), filename=str(path)).messages
             if "# noqa" not in lines[message.lineno - 1]]  # an import kept for its side effect says so
    assert found == []
