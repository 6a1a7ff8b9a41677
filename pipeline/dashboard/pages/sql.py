"""SQL: a sandboxed read-only query box on the published snapshot, with the data dictionary beside it."""
import shlex

import streamlit as st

from pipeline.dashboard import data, filters, transforms, ui

MAX_ROWS = 5_000
MAX_QUERY_CHARS = 4_000  # a link carries the query: browsers and proxies cut URLs past about 8 KB
MAX_VALUE_CHARS = 200  # a parameter's value, in the link too
FIRST_TABLE = "articles"  # what an analyst reads first, not whichever bookkeeping table sorts first
WHOLE_RESULT_FILE = "query_result.csv"


def parameter_values(snapshot, sql: str) -> dict[str, str]:
    """A box for each named parameter ($pair) of the query as last run, each kept in the URL (param_pair); the values
    given, an empty box none. A new query's boxes show on its first Run, which then asks for their values. A name is
    the link's query's (DuckDB takes any quoted one, $"![x](https://…)"): its box's label and the warning that a
    link's value was cut name it as inline code, as labels and warnings render Markdown."""
    labels = {name: transforms.inline_code(f"${name}") for name in data.query_parameters(snapshot, sql)}
    boxes = {name: filters.text(st.text_input, label, f"param_{name}", "", MAX_VALUE_CHARS, label)
             for name, label in labels.items()}
    return {name: value for name, value in boxes.items() if value}


def say_the_result_is_cut(sql: str, params: dict[str, str]) -> None:
    """Every other page's downloads hold all the rows: say that these hold only the rows shown, and give the command
    that writes the whole result. The query goes into it as one shell word (a shared link's query can hold quotes, `$(`
    or backticks), in a code block: never Markdown."""
    st.warning(f"Showing the first {MAX_ROWS:,} rows, and the CSV and Parquet downloads below hold these {MAX_ROWS:,} "
               "too, not the whole result. For all of it, run this where the warehouse is (with its `--home` or "
               "`PACTWATCH_HOME`):", icon=":material/content_cut:")
    values = "".join(f" -p {shlex.quote(name)} {shlex.quote(value)}" for name, value in params.items())
    st.code(f"pactwatch sql --csv --max-rows {data.SANDBOX_MAX_ROWS} {shlex.quote(sql)}{values} > {WHOLE_RESULT_FILE}",
            language="bash")


view = ui.page("SQL", needs_articles=False)
ui.filters_do_not_apply()
query_side, dictionary_side = st.columns([3, 2])
with dictionary_side:
    st.header("Data dictionary", anchor=False)
    dictionary = data.dictionary(view.snapshot)
    tables = sorted(dictionary["table"].unique())
    table = st.selectbox("Table or view", tables, index=tables.index(FIRST_TABLE) if FIRST_TABLE in tables else 0,
                         key="sql.table")
    # sized to its longest name (TIMESTAMP WITH TIME ZONE): auto-sized, it read "TIMESTAMI" at every width
    st.dataframe(dictionary[dictionary["table"] == table].drop(columns=["table", "kind"]), hide_index=True,
                 column_config={"type": st.column_config.TextColumn(width="medium")})
with query_side:
    with st.form("sql"):
        # kept in the URL, so a link shares the query (it runs when the reader clicks Run, never on opening a link)
        sql = filters.text(st.text_area, "Read-only SQL (one SELECT; no files, network or settings)", "query",
                           data.EXAMPLE_QUERY, MAX_QUERY_CHARS, "query", height=160)
        params = parameter_values(view.snapshot, sql)
        submitted = st.form_submit_button("Run", icon=":material/play_arrow:")
    if submitted:
        try:
            rows, truncated = data.ad_hoc_query(view.snapshot, sql, MAX_ROWS, params)
        except data.QueryRefused as exc:
            ui.error_with_reason("The query was refused or failed:", str(exc))
        else:
            if truncated:
                say_the_result_is_cut(sql, params)
            if note := transforms.reversed_pairs_note(sql, params.values()):
                st.info(f"{note[0].upper()}{note[1:]}.", icon=":material/swap_horiz:")
            ui.table(rows, "query_result", links=False, days=ui.NO_DAYS)
