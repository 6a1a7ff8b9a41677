"""Run the mypyc-compiled pipeline.tagging, but only a copy built from exactly the sources it sits beside.

`make setup` compiles pipeline/tagging with mypyc (`tools/build_tagger.py`) into its `_compiled/`: the same code,
about 1.5x faster (docs/accuracy.md "## Speed"). A compiled module shadows its source, so an edited `.py`
would silently run the old code; the build therefore records a digest of the sources it compiled, and
the compiled copy is put in front of the package's path only while that digest still matches.
`PACTWATCH_PURE_PYTHON=1` forces the sources (the equivalence test compares the two).
"""
from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent / "tagging"
COMPILED_DIR = PACKAGE_DIR / "_compiled"
DIGEST_FILE = "SOURCES.sha256"
NOT_COMPILED = ("__init__.py",)  # it chooses the copy, so it must be the source


def compiled_sources(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(path for path in package_dir.glob("*.py") if path.name not in NOT_COMPILED)


def interpreter_tag() -> str:
    """What the extension modules are built for: a tree copied to another interpreter or platform must not
    load them (e.g. "cpython-311 .cpython-311-x86_64-linux-gnu.so")."""
    return f"{sys.implementation.cache_tag} {sysconfig.get_config_var('EXT_SUFFIX')}"


def source_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """Names and bytes of every compiled source, and the interpreter the extension modules are built for."""
    digest = hashlib.sha256(interpreter_tag().encode())
    for path in compiled_sources(package_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def compiled_status(package_dir: Path = PACKAGE_DIR, compiled_dir: Path = COMPILED_DIR) -> str:
    """'compiled' when the compiled copy may run, else why the sources run instead."""
    if os.environ.get("PACTWATCH_PURE_PYTHON") == "1":
        return "pure Python: PACTWATCH_PURE_PYTHON=1"
    try:
        built_from = (compiled_dir / DIGEST_FILE).read_text(encoding="ascii").strip()
    except OSError:
        return "pure Python: not compiled (make setup compiles it)"
    if built_from != source_digest(package_dir):
        return "pure Python: the compiled copy is stale (make setup rebuilds it)"
    return "compiled"


def choose_copy(package_path: list[str]) -> str:
    """Put the compiled copy first on the package's `__path__` when it is fresh; returns the status."""
    status = compiled_status()
    if status == "compiled":
        package_path.insert(0, str(COMPILED_DIR))
    return status
