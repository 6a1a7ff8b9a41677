"""Errors the store reports to its callers in words an operator can act on."""


class StoreError(RuntimeError):
    """The warehouse could not be opened or written (disk full, unwritable home, damaged file).

    Raised with nothing half-written: a failed run is rolled back, a failed publish keeps the previous snapshot.
    """
