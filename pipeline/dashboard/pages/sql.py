"""SQL: a sandboxed read-only query box on the published snapshot, with the data dictionary beside it."""
from pathlib import Path

import pandas as pd
import streamlit as st

from pipeline.dashboard import data, ui
from pipeline.home import Home
from pipeline.store.queries import EXAMPLE_QUERY
from pipeline.store.reader import SnapshotUnreadable
from pipeline.store.sandbox import SandboxError, run_sandboxed

MAX_ROWS = 5_000
FIRST_TABLE = "articles"  # what an analyst reads first, not whichever bookkeeping table sorts first

view = ui.page("SQL", needs_articles=False)
ui.filters_do_not_apply()
query_side, dictionary_side = st.columns([3, 2])
with dictionary_side:
    st.subheader("Data dictionary")
    dictionary = data.dictionary(view.snapshot)
    tables = sorted(dictionary["table"].unique())
    table = st.selectbox("Table or view", tables, index=tables.index(FIRST_TABLE) if FIRST_TABLE in tables else 0,
                         key="sql.table")
    st.dataframe(dictionary[dictionary["table"] == table].drop(columns=["table", "kind"]), hide_index=True)
with query_side:
    with st.form("sql"):
        sql = st.text_area("Read-only SQL (one SELECT; no files, network or settings)", EXAMPLE_QUERY, height=160,
                           key="sql.text")
        submitted = st.form_submit_button("Run", icon=":material/play_arrow:")
    if submitted:
        try:
            result = run_sandboxed(Home.resolve(view.snapshot.home), sql, max_rows=MAX_ROWS,
                                   snapshot=Path(view.snapshot.path))
        except (SandboxError, SnapshotUnreadable) as exc:
            st.error("The query was refused or failed:", icon=":material/error:")
            st.code(str(exc), language=None)  # the message may quote the query: show it as plain text
        else:
            if result.truncated:
                st.warning(f"Showing the first {MAX_ROWS:,} rows.")
            ui.table(pd.DataFrame(result.rows, columns=result.columns), "query_result")
