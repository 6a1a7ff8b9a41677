"""The feeds layer stays a pure library: no storage, no UI (DEVELOPERS.md, "Layers")."""
from __future__ import annotations

import ast
from pathlib import Path

import pipeline.feeds

FORBIDDEN = ("duckdb", "streamlit", "pipeline.store", "pipeline.dashboard", "pipeline.ingest", "pipeline.cli")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_feeds_imports_no_storage_or_ui():
    package = Path(pipeline.feeds.__file__).parent
    offenders = {
        f"{path.name}: {module}"
        for path in package.glob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN)
    }
    assert offenders == set()
