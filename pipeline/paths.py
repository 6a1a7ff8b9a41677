"""Where PactWatch's own data files are: a git checkout's top-level `seeds/` and `eval/`, or the copies an installed
wheel carries inside the package (pyproject.toml maps them to `pipeline/_seeds` and `pipeline/_eval`). The one place
that decides; every module reading a seed file starts from `SEEDS`."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SEEDS_ENV = "PACTWATCH_SEEDS"  # an organisation's own seed files, outside the code a `pip install -U` replaces
ROOT = Path(__file__).resolve().parent.parent
# pyproject.toml beside the package tells a checkout (make, editable install) from an installed wheel, whose parent
# is site-packages: another distribution may install a `seeds/` there.
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file()
# The labelled corpora of `pactwatch eval`: beside a checkout (CI provides them); an install passes --data.
SHARED_DATA = ROOT.parent / "shared" / "data"


def _bundled(folder: str) -> Path:
    """The checkout's top-level `folder` when present, else the wheel's copy, `pipeline/_<folder>`."""
    if IN_CHECKOUT and (ROOT / folder).is_dir():
        return ROOT / folder
    # a wheel installs unzipped, so the package's files are a directory on disk
    return Path(str(resources.files(__package__) / f"_{folder}"))


def _seeds_dir() -> Path:
    chosen = os.environ.get(SEEDS_ENV)
    return Path(chosen).expanduser().resolve() if chosen else _bundled("seeds")


SEEDS = _seeds_dir()
EVAL_LABELS = _bundled("eval")  # our hand labels of the captured real feeds (eval/README.md)
