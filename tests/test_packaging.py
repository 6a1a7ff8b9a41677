"""PactWatch as a package: what the wheel carries (pyproject.toml) and where an installed copy finds its seeds."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from .conftest import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


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
