"""Compile pipeline/tagging with mypyc into pipeline/tagging/_compiled/ (run by `make setup`).

The compiled copy runs only while its recorded source digest matches the sources (pipeline/native.py).
Exits 1 with the reason when it cannot build (no C compiler, no Python headers): the sources still run.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.native import COMPILED_DIR, DIGEST_FILE, PACKAGE_DIR, compiled_sources, source_digest  # noqa: E402

GROUP = "pipeline.tagging.native"  # the shared library lands inside the package: one directory to swap


def build(work: Path) -> list[Path]:
    """The extension modules, built under `work`."""
    from mypyc.build import mypycify
    from setuptools import setup

    os.chdir(ROOT)  # mypyc names modules from paths relative to the working directory
    sources = [str(path.relative_to(ROOT)) for path in compiled_sources()]
    extensions = mypycify(["--ignore-missing-imports", *sources], opt_level="3", group_name=GROUP, target_dir=str(work / "c"))
    setup(name="pactwatch-tagging-compiled", ext_modules=extensions,
          script_args=["--quiet", "build_ext", "--build-lib", str(work / "lib"), "--build-temp", str(work / "tmp")])
    return sorted((work / "lib" / PACKAGE_DIR.relative_to(ROOT)).glob("*.so"))


def install(built: list[Path], digest: str) -> None:
    """Swap the whole directory at once; the digest is written last, so a half-copied build never runs."""
    staging = COMPILED_DIR.with_name("_compiled.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for module in built:
        shutil.copy2(module, staging / module.name)
    (staging / DIGEST_FILE).write_text(digest + "\n", encoding="ascii")
    shutil.rmtree(COMPILED_DIR, ignore_errors=True)
    staging.rename(COMPILED_DIR)


def main() -> int:
    digest = source_digest()  # of the sources as they were when the build started
    try:
        with tempfile.TemporaryDirectory(prefix="pactwatch-mypyc-") as work:
            built = build(Path(work))
            if len(built) != len(compiled_sources()) + 1:  # one per module and the shared library
                raise RuntimeError(f"expected {len(compiled_sources()) + 1} extension modules, got {len(built)}")
            install(built, digest)
    except (Exception, SystemExit) as error:  # setuptools reports a failed compile as SystemExit
        print(f"tools/build_tagger.py: not compiled ({error}); the pure-Python tagger runs", file=sys.stderr)
        return 1
    print(f"compiled {len(built) - 1} tagging modules into {COMPILED_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
