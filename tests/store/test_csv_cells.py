"""One set of CSV rules for every download: `export` writes Arrow batches, `sql --csv` and the dashboard cell by cell."""
from __future__ import annotations

import pyarrow as pa

from pipeline.csv_cells import csv_cell
from pipeline.store.exporter import _csv_batch

COLUMNS = {
    "countries": pa.array([["PRK", "RUS"], ["RUS", None], [], None], type=pa.list_(pa.string())),
    "title": pa.array(["=HYPERLINK(\"http://evil/\")", "-5 % on tariffs", "Talks in Seoul", None]),
    "day_index": pa.array([1, 2, 3, 4]),
}


def test_an_exported_batch_holds_what_each_cell_would():
    """The two paths were written apart, and a list holding a missing item made the batch one raise a TypeError."""
    batch = _csv_batch(pa.RecordBatch.from_pydict(COLUMNS))
    for name, column in COLUMNS.items():
        assert as_written(batch.column(name).to_pylist()) == as_written(map(csv_cell, column.to_pylist())), name


def as_written(cells) -> list:
    """Cells as a CSV file holds them: a missing value is an empty field."""
    return ["" if cell is None else cell for cell in cells]
