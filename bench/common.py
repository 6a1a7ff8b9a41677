"""Shared helpers: result rows, the child-process runner with its RSS sampler, machine facts."""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
GIB = 1 << 30
MIB = 1 << 20


@dataclass
class Row:
    """One line of the results table."""

    key: str  # stable identifier (the smoke test checks these)
    section: str
    metric: str
    value: float | None
    unit: str
    target: str = ""  # e.g. "≥ 1,000"
    ok: bool | None = None  # None: no target, or not comparable at this size
    reference: str = ""  # the side-by-side reference and its ratio
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loads: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        return row

    def load(self, label: str) -> None:
        self.loads.append((label, tuple(round(x, 2) for x in os.getloadavg())))


def at_least(value: float | None, target: float) -> bool | None:
    return None if value is None else value >= target


def at_most(value: float | None, target: float) -> bool | None:
    return None if value is None else value <= target


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped; keeps the peak.

    Summing RSS counts pages shared between processes more than once, so the figure errs high.
    """

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop_event.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(5)
        return self.peak


class ChildFailed(RuntimeError):
    pass


def run_child(module: str, function: str, timeout: float | None = None, **kwargs) -> tuple[dict, int]:
    """Run bench.<module>.<function>(**kwargs) in a fresh interpreter; returns (its result, peak tree RSS)."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", prefix="bench-") as out:
        command = [sys.executable, "-m", "bench.child", module, function, json.dumps(kwargs, default=str), out.name]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise ChildFailed(f"{module}.{function} exceeded {timeout} s")
        finally:
            peak = sampler.stop()
        if code != 0:
            raise ChildFailed(f"{module}.{function} exited with {code}")
        return json.loads(Path(out.name).read_text() or "{}"), peak


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict:
    """Machine, versions and date for the report header."""
    import importlib.metadata as md

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("duckdb", "streamlit", "feedparser", "pyarrow", "pyahocorasick", "pandas", "psutil"):
        try:
            versions[package] = md.version(package)
        except md.PackageNotFoundError:
            versions[package] = "?"
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    dirty = len([line for line in git("status", "--porcelain", "--untracked-files=no").splitlines() if line])
    commit = os.environ.get("BENCH_CODE_VERSION") or (git("rev-parse", "--short", "HEAD") or "?") + (
        f" + {dirty} modified files" if dirty else "")
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit,
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / GIB, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "versions": versions,
    }


def descendants_cpu(leaving_out: tuple[int, ...] = ()) -> float:
    """CPU-seconds of every process below this one (but the living ones `leaving_out` names): those it reaped, and the
    living ones with what each of them reaped. The pool's workers are children of multiprocessing's fork server, which
    outlives the pool: RUSAGE_CHILDREN alone never counts them (the parse reference read 0.0 worker CPU-s)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    for process in psutil.Process().children(recursive=True):
        if process.pid in leaving_out:
            continue
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended between the listing and the reading: counted by whoever reaps it, if still here
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total
