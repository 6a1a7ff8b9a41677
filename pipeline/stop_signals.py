"""SIGINT, SIGTERM and SIGHUP as an exception in the main thread, so a command unwinds wherever it is: the open
transaction rolls back, DuckDB files and the writer lock are released, and the exit code says why. In `ingest
--every` the first is a flag instead (LoopStopper), so the run in progress ends first; a second stops it at once."""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable

# SIGHUP too: a closed ssh session running `ingest --every` ended it with no word (Python's default: death by signal).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """Raised by a stop signal. A BaseException like KeyboardInterrupt: `except Exception` lets it by."""


class StopSignals:
    """Installs the handlers. `received` remembers the signal: DuckDB turns the exception raised inside a query
    into RuntimeError('Query interrupted'), and a later DETACH fails with 'outstanding work', so the caller
    tells a failure caused by the stop from any other by this flag, not by the exception it sees."""

    def __init__(self) -> None:
        self.received: signal.Signals | None = None
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._stop)

    def _stop(self, signum: int, frame) -> None:
        # Every signal raises: a second one must be able to break a stuck unwind. Data never depends on the
        # unwind finishing: DuckDB keeps only committed transactions.
        self.received = self.received or signal.Signals(signum)
        raise Interrupted(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return signal_exit_code(self.received)


def signal_exit_code(stopped_by: signal.Signals | None) -> int:
    """The shell's convention: 128 + the signal number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP)."""
    return 128 + int(stopped_by or 0)


class LoopStopper:
    """The first stop signal ends `ingest --every` after the run in progress (never mid-transaction), and is
    announced at once; a second stops the run as a single one stops: through the handlers installed before
    (StopSignals). A run lasts up to --fetch-budget plus a fetch: a supervisor's stop, silent that long, ended in a
    SIGKILL, and a second Ctrl-C waited as long as the first."""

    def __init__(self, announce: Callable[[signal.Signals], None]) -> None:
        self.asked: signal.Signals | None = None
        self.event = threading.Event()
        # Installed before the loop loads its seeds: a stop then ends it before any run, as between runs. It was the
        # single run's "interrupted … rolled back", with nothing in progress, where a supervisor's log looks for
        # event=stopped.
        self._announce, self._waiting = announce, True
        self._stop_now = {sig: signal.signal(sig, self._stop) for sig in STOP_SIGNALS}

    def _stop(self, signum: int, frame) -> None:
        if self.asked is not None:
            previous = self._stop_now[signal.Signals(signum)]
            if callable(previous):
                previous(signum, frame)
            raise Interrupted(signal.Signals(signum).name)
        self.asked = signal.Signals(signum)
        self.event.set()
        if not self._waiting:  # between runs the loop ends at once, and says so
            self._announce(self.asked)

    def run_may_start(self) -> bool:
        """False when a stop came before this run (between runs, or as the loop started): the loop ends instead."""
        self._waiting = False
        return self.asked is None

    def wait(self, seconds: float) -> None:
        """Sleep until the next run, or until a stop is asked for."""
        self._waiting = True
        self.event.wait(seconds)
