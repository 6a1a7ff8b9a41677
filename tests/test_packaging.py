"""PactWatch as a package: what the wheel carries (pyproject.toml) and where an installed copy finds its seeds."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib.metadata import distributions
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from pipeline.seeds import tagger_version

from .conftest import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_installed_distribution_is_pinned_in_the_lock():
    """`make setup` installs with `-c requirements.lock`: a dependency's dependency missing from it (cloudpickle, which
    joblib pulls in for scikit-learn) installed at whatever version was newest that day (stop 76's first-run audit).
    The project itself and pip (`--upgrade pip`) are not pinned."""
    pinned = {canonicalize_name(name): version for name, version in
              (line.split("#")[0].strip().split("==", 1) for line in (PROJECT_ROOT / "requirements.lock").open()
               if "==" in line)}
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version for dist in distributions()}
    assert {name: version for name, version in installed.items()
            if name not in ("pactwatch", "pip") and pinned.get(name) != version} == {}


def make(*args: str) -> str:
    """What `make` prints in the checkout, as a person's shell runs it: not as `make test`'s child, which says
    "make[1]: Entering directory" and passes its own flags down."""
    environment = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", *args], cwd=PROJECT_ROOT, env=environment, text=True, capture_output=True,
                          check=True, timeout=60).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_run_installs_the_product_and_make_test_the_dev_extra_too(tmp_path: Path):
    """`make run` installed the `dev` extra (1.1 GB of venv, half of it test and baseline tools) before a user saw the
    dashboard. `make -n` on a venv not made yet prints every install recipe without running one."""
    def installs(target: str) -> list[str]:
        recipes = make("-n", target, f"VENV={tmp_path / 'venv'}").splitlines()
        return [line.split(" -e ")[1] for line in recipes if " pip install " in line and " -e " in line]

    assert installs("run") == ["'.[build]'"]
    assert installs("test") == ["'.[build]'", "'.[dev]'"]
    assert "pactwatch[build]" in PYPROJECT["project"]["optional-dependencies"]["dev"]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_a_bare_make_lists_every_target_and_runs_none():
    """`make` alone set up the venv (the first target was setup); `make help` did not exist."""
    phony = next(line for line in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
                 if line.startswith(".PHONY:")).split()[1:]
    listed = make("-n")
    assert all(line.startswith("echo ") for line in listed.splitlines()), listed  # nothing but the listing
    shown = make()
    assert [target for target in phony if target != "help" and f"make {target} " not in shown] == []


def test_every_folder_of_the_package_is_in_the_wheel():
    """pyproject.toml lists the packages (it maps seeds/ and eval/ into the package): a new folder of pipeline/ left out
    of the list would be missing from every install, though the checkout runs."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    folders = {".".join(path.parent.relative_to(PROJECT_ROOT).parts)
               for path in (PROJECT_ROOT / "pipeline").rglob("*") if path.suffix in (".py", ".sql")
               and "_compiled" not in path.parts and "__pycache__" not in path.parts}
    assert folders <= listed


def seed_paths_with(environment: dict[str, str]) -> list[str]:
    """The seed files and folders every module reading seeds uses, in a fresh process with `environment`."""
    script = ("from pipeline import redact, seeds; from pipeline.demo import scenario;"
              "from pipeline.feeds import dates, feedlist, identity, links; from pipeline.signals import config;"
              "print(seeds.DEFAULT_SEEDS_DIR, config.DEFAULT_ALERTS_FILE, feedlist.SEED_FEEDS, scenario.SCENARIO_DIR,"
              " redact.CREDENTIAL_SEEDS, identity.TRACKING_SEEDS, links.REDIRECTOR_SEEDS, dates.TIME_ZONES)")
    return subprocess.run([sys.executable, "-c", script], env={**os.environ, **environment}, capture_output=True,
                          text=True, check=True, timeout=120).stdout.split()


def test_pactwatch_seeds_chooses_the_seed_files_of_every_module(tmp_path: Path):
    own = tmp_path / "our-seeds"
    assert all(Path(path).is_relative_to(own) for path in seed_paths_with({"PACTWATCH_SEEDS": str(own)}))
    bundled = PROJECT_ROOT / "seeds"
    assert all(Path(path).is_relative_to(bundled) for path in seed_paths_with({"PACTWATCH_SEEDS": ""}))


def tracked_files() -> list[str]:
    """The files git tracks: the tree a clone has (a scratch file beside them is no part of it)."""
    listed = subprocess.run(["git", "ls-files", "--cached"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the sdist and the wheel are built from the files git tracks")
    return [name for name in listed.stdout.splitlines() if (PROJECT_ROOT / name).is_file()]


@pytest.fixture(scope="module")
def clean_tree(tmp_path_factory) -> Path:
    """A copy of the tracked tree: a build in the checkout reads its pactwatch.egg-info/SOURCES.txt (which keeps
    every file an earlier build listed) and its build/ (which keeps modules since deleted)."""
    tree = tmp_path_factory.mktemp("tree")
    for name in tracked_files():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_ROOT / name, tree / name)
    for name in BUILD_LEFTOVERS:  # what a checkout that ran holds beside them, which no package may carry
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(b"")
    return tree


BUILD_LEFTOVERS = ("pipeline/__pycache__/cli.cpython-311.pyc", "tests/__pycache__/conftest.cpython-311.pyc",
                   "pipeline/tagging/_compiled/tagger.cpython-311-x86_64-linux-gnu.so",
                   "pipeline/tagging/text.cpython-311-x86_64-linux-gnu.so")


@pytest.mark.slow
def test_the_sdist_is_the_whole_tracked_tree(clean_tree: Path, tmp_path: Path):
    """MANIFEST.in: a packager builds the wheel from the sdist and runs the tests there, which read more than the code
    (the sdist held tests/ without the seeds, README and fixtures they read); the compiled tagger stays out."""
    build = f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"
    subprocess.run([sys.executable, "-c", build], cwd=clean_tree, capture_output=True, check=True, timeout=120)
    with tarfile.open(next(tmp_path.glob("*.tar.gz"))) as archive:
        files = {member.name.split("/", 1)[1] for member in archive.getmembers() if member.isfile()}
    generated = {"PKG-INFO", "setup.cfg"} | {name for name in files if name.startswith("pactwatch.egg-info/")}
    assert files - generated == set(tracked_files())


ROWS = [{"id": "a", "title": "Iran and the United States trade sanctions threats over oil exports", "text": ""},
        {"id": "b", "title": "Germany and France sign a defence pact", "text": "Paris and Berlin will build a tank."},
        {"id": "c", "title": "Rain expected this weekend", "text": ""}]


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`python ARGS` with only the installed copy in `site` importable as pipeline (cwd outside the checkout)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PACTWATCH_")}
    result = subprocess.run([sys.executable, *args], cwd=cwd, env={**environment, "PYTHONPATH": str(site)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_the_installed_wheel_tags_builds_the_demo_and_prints_the_schema(clean_tree: Path, tmp_path: Path):
    """The wheel held only .py files: an installed pactwatch failed on every command that works (no seeds, no SQL
    migrations). Built offline from the tracked tree, installed apart, run from elsewhere."""
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run([*pip, "wheel", ".", "--no-deps", "--no-build-isolation", "-w", str(wheels)], cwd=clean_tree,
                   capture_output=True, check=True, timeout=180)
    [wheel] = wheels.glob("pactwatch-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert not [name for name in archive.namelist() if name.endswith((".pyc", ".so"))]
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], capture_output=True, check=True,
                   timeout=120)
    imported = run_installed(site, work, "-c", "import pipeline.paths as p; print(p.__file__, p.SEEDS)").stdout.split()
    assert imported == [str(site / "pipeline" / "paths.py"), str(site / "pipeline" / "_seeds")]
    assert not list((site / "pipeline" / "_seeds").rglob("*.py"))  # data only
    version = "from pipeline.seeds import tagger_version; print(tagger_version())"
    assert run_installed(site, work, "-c", version).stdout.strip() == tagger_version()  # every seed file shipped
    assert {"LICENSE", "NOTICE"} <= {path.name for path in site.glob("pactwatch-*.dist-info/licenses/*")}
    # without it a new warehouse still comes, migration by migration, 7 times slower
    baseline = Path("pipeline", "store", "baseline.sql")
    assert (site / baseline).read_bytes() == (PROJECT_ROOT / baseline).read_bytes()

    (work / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    run_installed(site, work, "-m", "pipeline", "tag", "--input", "rows.jsonl", "--output", "tags.jsonl")
    tags = [json.loads(line) for line in (work / "tags.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["pairs"] for row in tags] == [[["IRN", "USA"]], [["DEU", "FRA"]], []]
    schema = run_installed(site, work, "-m", "pipeline", "--home", "home", "schema").stdout
    assert "pair_sentences" in schema and "v_pair_daily" in schema
    run_installed(site, work, "-m", "pipeline", "--home", "home", "demo", "--articles", "50")
    status = json.loads(run_installed(site, work, "-m", "pipeline", "--home", "home", "status", "--json").stdout)
    assert status["demo_state"] == "finished"
