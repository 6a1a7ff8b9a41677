"""The dashboard entry point: page config, navigation, the shared sidebar, then the chosen page."""
from __future__ import annotations

import streamlit as st

from . import ui
from .routes import ROUTES


def main() -> None:
    st.set_page_config(page_title="PactWatch", page_icon=":material/public:", layout="wide")
    navigation = st.navigation([st.Page(route.path, title=route.title, icon=route.icon, url_path=route.name,
                                        default=index == 0) for index, route in enumerate(ROUTES)])
    # The sidebar is drawn here, in the entry script, so its widgets (and their state) are shared by all pages.
    st.session_state[ui.VIEW_KEY] = ui.build_view()
    navigation.run()
