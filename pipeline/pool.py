"""The process pool that parses feeds and tags batches on every core."""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import select
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PARENT_CHECK_S = 1.0  # without pidfd_open (before Linux 5.3): how often a pool worker looks for its owner


# What a worker runs, imported once by the fork server instead of by every worker. The console script `pactwatch` is
# run again in each worker (multiprocessing re-runs a main module given by path): its `pipeline.cli` import comes
# from here too.
WORKER_MODULES = ["pipeline.feeds.parse_job", "pipeline.tag_pool", "pipeline.cli"]


def make_process_pool(max_workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool for CPU-bound work: parsing feeds, tagging batches. Its workers are forked from a fork server,
    a single-threaded process that imported WORKER_MODULES once: the caller may hold threads (DuckDB, our poll loop),
    and forking a multi-threaded process is unsafe. "spawn", which started a new interpreter per worker instead, took
    0.6 s to start a pool of two (each importing for ~0.17 s of CPU), against 0.03 s: a fixed cost of every ingest run
    of `ingest --every`, and of every command a test runs in-process. Workers see the environment the server was
    started with, at the process's first pool, and read pipeline.paths.SEEDS from it: a caller that sets
    PACTWATCH_SEEDS after importing pipeline would work with one seed directory and its workers with another (the
    CLI never changes its own environment)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)  # read when the server starts: the first pool of a process
    _start_fork_server()
    return ProcessPoolExecutor(max_workers=max_workers or os.cpu_count() or 2, mp_context=context,
                               initializer=exit_with_parent, initargs=(os.getpid(),))


# Signals that reach the whole process group (a terminal's hangup; systemd's stop, `kill -- -PGID`) while `ingest
# --every` finishes the run in progress: the fork server must outlive them. It exits with its owner anyway.
SERVER_BLOCKS = {signal.SIGHUP, signal.SIGTERM}


def _start_fork_server() -> None:
    """Start the fork server, at a process's first pool or again after it died (kill -9, the OOM killer: its pool
    breaks as BrokenProcessPool), with SERVER_BLOCKS blocked (a mask outlives exec; a worker's start would restart it
    without). A server a group's signal ended would break every pool it forked (their workers' exit pipes close), and
    the next worker's start fails with EOFError, not BrokenProcessPool, which ended the run. SIGINT it ignores of
    itself."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, SERVER_BLOCKS)
    try:
        # The server's own ensure_running starts the resource tracker first, and then unblocks SIGTERM (the tracker
        # ignores it of itself): start the tracker here, and block again, so that the server starts with the mask.
        multiprocessing.resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, SERVER_BLOCKS)
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def exit_with_parent(parent: int) -> None:
    """Pool worker initializer: a worker whose parent (the pool's owner; its parent process is the fork server) was
    killed (kill -9, OOM killer) would otherwise idle forever, holding its memory and the owner's output pipes, once
    per crashed run."""
    # A worker inherits the server's mask: SIGTERM must end it again (Process.terminate() takes a core back from a
    # runaway parse; a group's SIGTERM ends the workers, and the pool breaks, as before the fork server).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    threading.Thread(target=_exit_when_ended, args=(parent,), name="exit-with-parent", daemon=True).start()
    # Ctrl-C and a terminal's hangup reach the whole process group: the parent stops the pool (a hangup after the
    # run in progress, under `ingest --every`); a worker's own KeyboardInterrupt would only add a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def _exit_when_ended(pid: int) -> None:
    """End this process once process `pid` has. A pidfd reads as ended when the process exits, before it is reaped:
    a killed owner stays a zombie while its caller reads its output to the end (`subprocess.run` with
    `capture_output` after a timeout's kill), and the workers hold that output too."""
    try:
        ended = os.pidfd_open(pid)
    except (AttributeError, OSError):  # before Linux 5.3, or not Linux: look every second (a zombie looks alive)
        while _exists(pid):
            time.sleep(PARENT_CHECK_S)
    else:
        select.select([ended], [], [])
    os._exit(0)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
