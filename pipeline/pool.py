"""The process pool that parses feeds and tags batches on every core."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PARENT_CHECK_S = 1.0  # how often a pool worker checks that the process that started it is alive


def make_process_pool(max_workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool for CPU-bound work: parsing feeds, tagging batches. "spawn": the caller may hold
    threads (DuckDB, our poll loop) and forking a multi-threaded process is unsafe."""
    return ProcessPoolExecutor(max_workers=max_workers or os.cpu_count() or 2,
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with_parent, initargs=(os.getpid(),))


def exit_with_parent(parent: int) -> None:
    """Pool worker initializer: a worker whose parent was killed (kill -9, OOM killer) would otherwise idle
    forever, holding its memory, once per crashed run."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
    # Ctrl-C and a terminal's hangup reach the whole process group: the parent stops the pool (a hangup after the
    # run in progress, under `ingest --every`); a worker's own KeyboardInterrupt would only add a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
