"""Which failure an operator is told about when one storage failure leads to others (cli._exit_for)."""
from __future__ import annotations

import duckdb
import pytest

from pipeline.store.errors import StoreError, storage_failure


def chained(*failures: BaseException) -> BaseException:
    """`failures` raised one while handling the one before, as a failed publish's cleanup and rollback raise them;
    returns the last, as it reaches the CLI."""
    def raise_from(index: int) -> None:
        if index == 0:
            raise failures[0]
        try:
            raise_from(index - 1)
        except BaseException:
            raise failures[index]
    with pytest.raises(BaseException) as caught:
        raise_from(len(failures) - 1)
    return caught.value


def test_the_first_store_error_is_told_not_the_database_invalidated_after_it():
    """An import on a full disk ended in five tracebacks, the last "database has been invalidated"."""
    clear = StoreError("No space left on device: nothing of this run was stored")
    last = chained(duckdb.IOException("could not write block"), clear, duckdb.FatalException("invalidated"),
                   duckdb.TransactionException("Current transaction is aborted"))
    assert storage_failure(last) is clear


def test_without_a_store_error_the_first_io_failure_is_told():
    first = duckdb.IOException("could not read block 21: checksum mismatch")
    assert storage_failure(chained(first, duckdb.TransactionException("aborted"))) is first
    assert storage_failure(chained(OSError(28, "No space left on device"))).errno == 28


def test_a_bug_keeps_its_traceback_even_after_a_storage_failure():
    assert storage_failure(chained(OSError(28, "No space left"), TypeError("a bug"))) is None
    assert storage_failure(chained(duckdb.CatalogException("no such table"))) is None
