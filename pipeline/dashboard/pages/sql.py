"""SQL: a sandboxed read-only query box on the published snapshot, with the data dictionary beside it."""
import streamlit as st

from pipeline.dashboard import data, filters, ui

MAX_ROWS = 5_000
MAX_QUERY_CHARS = 4_000  # a link carries the query: browsers and proxies cut URLs past about 8 KB
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
        # kept in the URL, so a link shares the query (it runs when the reader clicks Run, never on opening a link)
        sql = filters.text(st.text_area, "Read-only SQL (one SELECT; no files, network or settings)", "query",
                           data.EXAMPLE_QUERY, MAX_QUERY_CHARS, "query", height=160)
        submitted = st.form_submit_button("Run", icon=":material/play_arrow:")
    if submitted:
        try:
            rows, truncated = data.ad_hoc_query(view.snapshot, sql, MAX_ROWS)
        except data.QueryRefused as exc:
            st.error("The query was refused or failed:", icon=":material/error:")
            st.code(str(exc), language=None)  # the message may quote the query: show it as plain text
        else:
            if truncated:
                st.warning(f"Showing the first {MAX_ROWS:,} rows.")
            ui.table(rows, "query_result", links=False, days=ui.NO_DAYS)
