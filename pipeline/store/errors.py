"""Errors the store reports to its callers in words an operator can act on."""
from ..home import HomeLocked


class StoreError(RuntimeError):
    """The warehouse could not be opened or written (disk full, unwritable home, damaged file).

    Raised with nothing half-written: a failed run is rolled back, a failed publish keeps the previous snapshot.
    """


class WarehouseLocked(StoreError, HomeLocked):
    """Another process holds DuckDB's lock on the writer file (an analyst's connection, even a read-only one): the
    home is busy as when another PactWatch writer runs, so the command exits 75 and `ingest --every` tries again
    next period (it exited 1 with DuckDB's message)."""
