"""Errors the store reports to its callers in words an operator can act on."""
import duckdb

from ..home import HomeLocked


class StoreError(RuntimeError):
    """The warehouse could not be opened or written (disk full, unwritable home, damaged file).

    Raised with nothing half-written: a failed run is rolled back, a failed publish keeps the previous snapshot.
    """


class WarehouseLocked(StoreError, HomeLocked):
    """Another process holds DuckDB's lock on the writer file (an analyst's connection, even a read-only one): the
    home is busy as when another PactWatch writer runs, so the command exits 75 and `ingest --every` tries again
    next period."""


# DuckDB's own words for a file it could not read or write (a full disk, a damaged block): after a fatal error it
# invalidates the database, and whatever runs next on it (a rollback, a cleanup in `finally`) fails again.
_STORAGE_FAILURES = (StoreError, OSError, duckdb.IOException, duckdb.FatalException)


def storage_failure(exc: BaseException) -> BaseException | None:
    """The failure to tell the operator when `exc` ends a chain of storage failures: the first StoreError raised
    (its message says what was kept), else the first I/O failure, so the operator sees the cause, not DuckDB's
    follow-on "database has been invalidated". None when `exc` is no storage failure, nor a DuckDB error that
    followed one: a bug keeps its traceback."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
    failures = [link for link in reversed(chain) if isinstance(link, _STORAGE_FAILURES)]
    if not failures or not isinstance(exc, (*_STORAGE_FAILURES, duckdb.Error)):
        return None
    return next((link for link in failures if isinstance(link, StoreError)), failures[0])
