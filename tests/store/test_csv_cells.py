"""One set of CSV rules for every download: `export` writes Arrow batches, `sql --csv` and the dashboard cell by cell."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pyarrow as pa
import pyarrow.csv as pa_csv

from pipeline.csv_cells import FORMULA_PREFIXES, csv_cell, undefused
from pipeline.store.exporter import _csv_batch

COLUMNS = {
    "countries": pa.array([["PRK", "RUS"], ["RUS", None], [], None], type=pa.list_(pa.string())),
    "title": pa.array(["=HYPERLINK(\"http://evil/\")", "-5 % on tariffs", "Talks in Seoul", "'=odd Iran Iraq"]),
    "day_index": pa.array([1, 2, 3, 4]),
}


def test_an_exported_batch_holds_what_each_cell_would():
    """The two paths were written apart, and a list holding a missing item made the batch one raise a TypeError."""
    batch = _csv_batch(pa.RecordBatch.from_pydict(COLUMNS))
    for name, column in COLUMNS.items():
        assert as_written(batch.column(name).to_pylist()) == as_written(map(csv_cell, column.to_pylist())), name


def test_what_a_download_defuses_an_import_of_it_reads_back_as_it_was():
    """A title that began "'=" was written as it was, and read back as "=…": the "'" of "=x" defused looked the same."""
    texts = [*(f"{quotes}{prefix}x" for quotes in ("", "'", "''") for prefix in FORMULA_PREFIXES), "'quoted'", "x",
             "", "'", "x'=y"]
    assert [undefused(csv_cell(text)) for text in texts] == texts
    assert [csv_cell(text) for text in ("=x", "'=x", "'x", "x")] == ["'=x", "''=x", "'x", "x"]


def as_written(cells) -> list:
    """Cells as a CSV file holds them: a missing value is an empty field."""
    return ["" if cell is None else cell for cell in cells]


SEOUL = timezone(timedelta(hours=9))
TYPED = {  # each kind of value a query gives back but text and lists
    "listed": pa.array([True, False, None]),
    "published_at": pa.array([datetime(2024, 6, 19, 9, 30, tzinfo=SEOUL), datetime(2024, 6, 19, 0, 0, 0, 250,
                                                                                   tzinfo=timezone.utc), None],
                             type=pa.timestamp("us", tz="UTC")),
    "as_written_at": pa.array([datetime(2024, 6, 19, 9, 30), None, datetime(2024, 6, 19, 23, 59, 59, 999999)]),
    "day": pa.array([date(2024, 6, 19), date(2024, 1, 1), None]),
    "share": pa.array([0.25, 1.5, None]),
    "articles": pa.array([3, None, 0]),
}


def test_a_file_written_cell_by_cell_reads_as_an_export_of_the_same_rows():
    """`sql --csv` wrote True/False and "2024-06-19 00:30:00+00:00" where `export` writes true/false and
    "2024-06-19 00:30:00.000000Z": joining or concatenating the two files split one value in two."""
    table = pa.table(TYPED)
    exported = io.BytesIO()
    pa_csv.write_csv(pa.Table.from_batches([_csv_batch(batch) for batch in table.to_batches()]), exported)
    by_cells = io.StringIO()
    writer = csv.writer(by_cells, lineterminator="\n")
    writer.writerow(table.column_names)
    writer.writerows([csv_cell(value) for value in row.values()] for row in table.to_pylist())
    assert rows_of(by_cells.getvalue()) == rows_of(exported.getvalue().decode())


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))
