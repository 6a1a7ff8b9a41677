"""Articles: search titles (and, on request, text within the selected dates), with links and downloads."""
import streamlit as st

from pipeline.dashboard import data, filters, ui
from pipeline.store.queries import SEARCH_LIMIT

view = ui.page("Articles")
left, right = st.columns([3, 1], vertical_alignment="bottom")
text = filters.synced(left.text_input, "Search", "q", "", parse=lambda raw: raw[-1][:200], dump=str,
                      placeholder="words in the title, e.g. sanctions", max_chars=200)
in_body = filters.synced(right.toggle, "Search text too", "body", False,
                         parse=lambda raw: raw[-1] == "1", dump=lambda value: "1" if value else "0",
                         help="Titles only by default; also search the article text (slower).")

found = data.search(view.snapshot, view.scope, text.strip(), in_body)
if found.empty:
    ui.empty("No article matches these filters." + (" Try also searching article text." if text and not in_body else ""))
    st.stop()
st.caption(f"{len(found):,} article(s){' (the newest ' + str(SEARCH_LIMIT) + ')' if len(found) >= SEARCH_LIMIT else ''}, newest first")
ui.table(found, "articles")
