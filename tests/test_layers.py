"""The layer rules of DEVELOPERS.md, checked by parsing every module's imports."""
from __future__ import annotations

import ast
import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
IO_MODULES = {"duckdb", "streamlit", "httpx", "feedparser", "socket", "urllib.request", "subprocess",
              "requests", "shutil", "sqlite3", "tomllib", "pathlib", "io", "os"}


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module `path` imports; relative imports (the house style) resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(ROOT).parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            names.add(base)
            if node.module is None:  # "from .. import store": each name may be a module
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_relative_imports_are_resolved():
    """The checks read only absolute imports, and every module imports its siblings relatively: a feeds module's
    `from ..store import warehouse` passed them all."""
    assert {"pipeline.feeds.identity", "pipeline.store.warehouse"} <= imported_modules(PACKAGE / "ingest.py")
    assert "pipeline.store" in imported_modules(PACKAGE / "dashboard" / "data.py")


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


def uses(module_names: set[str], top: str) -> bool:
    return any(name == top or name.startswith(top + ".") for name in module_names)


def test_only_store_imports_duckdb():
    offenders = [p for p in python_files(PACKAGE) if uses(imported_modules(p), "duckdb")
                 and PACKAGE / "store" not in p.parents]
    assert offenders == []


def test_only_dashboard_imports_streamlit():
    allowed = {ROOT / "streamlit_app.py"}
    offenders = [p for p in python_files(PACKAGE) + [ROOT / "streamlit_app.py"]
                 if p.exists() and uses(imported_modules(p), "streamlit")
                 and PACKAGE / "dashboard" not in p.parents and p not in allowed]
    assert offenders == []


def test_pages_reach_the_store_only_through_the_cached_query_layer():
    """Pages → dashboard.data (cached) → store: a page importing the store could query it uncached."""
    offenders = {p.name: sorted(name for name in imported_modules(p)
                                if uses({name}, "pipeline") and not uses({name}, "pipeline.dashboard"))
                 for p in python_files(PACKAGE / "dashboard" / "pages")}
    assert {page: names for page, names in offenders.items() if names} == {}


def test_tagging_does_no_io():
    offenders = {p.name: sorted(m for m in imported_modules(p) if any(uses({m}, io) for io in IO_MODULES))
                 for p in python_files(PACKAGE / "tagging")}
    assert {name: mods for name, mods in offenders.items() if mods} == {}
    for path in python_files(PACKAGE / "tagging"):
        assert "open(" not in path.read_text(encoding="utf-8"), f"{path.name} opens files"


def test_feeds_never_touch_storage_or_ui():
    for path in python_files(PACKAGE / "feeds"):
        names = imported_modules(path)
        assert not any(uses(names, m) for m in ("duckdb", "streamlit", "pipeline.store", "pipeline.dashboard")), path


SQL_START = re.compile(r"^\s*(SELECT|INSERT|CREATE|UPDATE|DELETE|WITH|ALTER|DROP|COPY)\s", re.IGNORECASE)


def sql_literals(path: Path) -> list[str]:
    """String constants that read like SQL statements (docstrings excluded: they may show examples)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and SQL_START.match(node.value)]


@pytest.mark.parametrize("path", [p for p in python_files(PACKAGE) if PACKAGE / "store" not in p.parents],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_outside_store(path: Path):  # the store holds our SQL: its modules were cases that checked nothing
    assert sql_literals(path) == []


def test_the_sql_detector_finds_sql():
    assert sql_literals(PACKAGE / "store" / "catalog.py"), "the detector must see the store's own SQL"


def test_nothing_renders_html():
    for path in python_files(PACKAGE) + [ROOT / "streamlit_app.py"]:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html=True" not in text.replace(" ", ""), path
        assert "st.html(" not in text, path


def test_only_the_dashboards_filters_touch_the_url():
    """A run writes the URL once, at its end (dashboard/filters.py: `write_url`): `st.query_params` read elsewhere
    misses what the run's controls wrote, a write elsewhere is one more entry of the browser's history, and a page that
    stops its run with `st.stop` itself (not `filters.stop`) leaves its controls' values out of the URL."""
    for path in python_files(PACKAGE / "dashboard") + [ROOT / "streamlit_app.py"]:
        if path.name != "filters.py":
            text = path.read_text(encoding="utf-8")
            assert "st.query_params" not in text and "st.stop(" not in text, path


def test_the_cli_module_loads_no_storage_network_or_chart_library():
    """Every `pactwatch` call imports pipeline.cli: a library at its top costs every command, `--help` and `sql`
    included, its import. Commands import what they use inside their functions."""
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, pipeline.cli; print(sorted(sys.modules))"],
                            capture_output=True, text=True, check=True, cwd=ROOT, timeout=120).stdout
    heavy = {"duckdb", "pandas", "numpy", "pyarrow", "httpx", "feedparser", "altair", "streamlit", "pipeline.store"}
    assert not {name for name in heavy if f"'{name}'" in loaded}


def installed_closure(requirement: str) -> set[str]:
    """The distributions installing `requirement` brings in, as pip would (each with the extras asked of it), read from
    the installed metadata; names normalised as PEP 503 compares them."""
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [Requirement(requirement)]
    while pending:
        asked = pending.pop()
        key = (canonicalize_name(asked.name), frozenset(asked.extras))
        if key in seen:
            continue
        seen.add(key)
        for needed in map(Requirement, metadata.requires(asked.name) or []):
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in asked.extras | {""}):
                pending.append(needed)
    return {name for name, _ in seen}


def test_the_product_imports_nothing_that_only_make_test_installs():
    """`make run` installs the package and its `build` extra (the tagger's compiler), not `dev` (pytest, Playwright,
    scikit-learn, psutil, ...): a module of the product importing one of those passed every test, which runs with
    `dev` installed, and failed on a fresh machine's first `make run`."""
    product = installed_closure("pactwatch[build]")
    dev_only = installed_closure("pactwatch[dev]") - product
    assert {"pytest", "playwright", "scikit-learn", "psutil"} <= dev_only and "streamlit" in product
    dev_only_modules = {module for module, names in metadata.packages_distributions().items()
                        if {canonicalize_name(name) for name in names} <= dev_only}
    offenders = {str(path.relative_to(ROOT)): sorted(top for top in {name.split(".")[0] for name in
                                                                     imported_modules(path)} & dev_only_modules)
                 for path in python_files(PACKAGE) + [ROOT / "streamlit_app.py"]}
    assert {path: names for path, names in offenders.items() if names} == {}
