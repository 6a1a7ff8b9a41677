"""SIGINT and SIGTERM as an exception in the main thread, so a command unwinds wherever it is: the open
transaction rolls back, DuckDB files and the writer lock are released, and the exit code says why. Between the runs
of `ingest --every` they are a flag instead (LoopStopper), so a run is never cut."""
from __future__ import annotations

import signal
import threading

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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
        """The shell's convention: 128 + the signal number (130 for SIGINT, 143 for SIGTERM)."""
        return 128 + int(self.received or 0)


class LoopStopper:
    """Turns SIGINT/SIGTERM into a clean stop between runs of `ingest --every` (never mid-transaction)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        for sig in STOP_SIGNALS:
            signal.signal(sig, lambda *_: self.event.set())

    def wait(self, seconds: float) -> bool:
        """Sleep until the next run; True when a stop was asked for."""
        return self.event.wait(seconds)
