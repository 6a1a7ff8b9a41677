"""The dashboard entry point: page config, navigation, the shared sidebar, the chosen page, then the URL they wrote."""
from __future__ import annotations

import streamlit as st

from . import filters, ui
from .routes import ROUTES


def main() -> None:
    # an emoji: Streamlit draws it as a data: URL, where a material icon is an SVG of fonts.gstatic.com, and the
    # dashboard must work offline (the icons inside the pages are a font Streamlit serves itself)
    st.set_page_config(page_title="PactWatch", page_icon="🌐", layout="wide")
    filters.read_url()
    # The default page is served at /; its url_path only names it inside Streamlit, and must differ from the
    # alias that serves its route name.
    pages = [st.Page(route.path, title=route.title, icon=route.icon, url_path="index" if index == 0 else route.name,
                     default=index == 0) for index, route in enumerate(ROUTES)]
    alias = _default_page_by_name(pages[0])
    navigation = st.navigation(pages + [alias])
    # each page its own title: "PactWatch" on all nine, a screen reader announced no change of page, and tabs and
    # history could not be told apart
    st.set_page_config(page_title=f"{navigation.title} · PactWatch")
    if navigation.url_path == alias.url_path:
        navigation.run()  # switches to / before the sidebar reads the link: its toasts belong to that run
    filters.note_run(navigation.url_path)
    # The sidebar is drawn here, in the entry script, so its widgets (and their state) are shared by all pages.
    st.session_state[ui.VIEW_KEY] = ui.build_view()
    with filters.page_controls(navigation.url_path):
        navigation.run()
    filters.write_url()


def _default_page_by_name(default: st.Page) -> st.Page:
    """Serves the default page's own name (/overview, typed or bookmarked) by redirecting to /, the link's
    parameters kept: Streamlit serves the default page at / only, and answers its name with "Page not found"."""
    def to_default() -> None:
        st.switch_page(default, query_params=filters.url_params())

    return st.Page(to_default, title=default.title, url_path=ROUTES[0].name, visibility="hidden")
