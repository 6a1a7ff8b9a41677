"""6b. Each dashboard page rendered by streamlit.testing AppTest on the real entry script, cold and warm.

Pages are reached as from the menu: run the entry script (Overview), then
`switch_page("pipeline/dashboard/pages/<name>.py")` (tests/dashboard opens a page from its link instead). "Cold" clears st.cache_data first (so the page
and the sidebar query the snapshot); "warm" reruns the same page with its results cached.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "streamlit_app.py"


def render_pages(home: str, repeats: int = 1) -> dict:
    os.environ["PACTWATCH_HOME"] = home
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from pipeline.dashboard.routes import ROUTES

    warmup = AppTest.from_file(str(ENTRY), default_timeout=600)  # imports streamlit, altair, pages: not a render cost
    warmup.run()
    results = {}
    for index, route in enumerate(ROUTES):
        colds, warms, problems = [], [], []
        for _ in range(repeats):
            app = AppTest.from_file(str(ENTRY), default_timeout=600)
            if index == 0:
                st.cache_data.clear()
                started = time.perf_counter()
                app.run()
            else:
                app.run()
                st.cache_data.clear()
                started = time.perf_counter()
                app.switch_page(str(route.path.relative_to(ROOT))).run()
            colds.append(time.perf_counter() - started)
            started = time.perf_counter()
            app.run()
            warms.append(time.perf_counter() - started)
            problems += [str(e.value)[:200] for e in app.exception]
        results[route.name] = {"cold": min(colds), "warm": min(warms), "title": route.title,
                               "exceptions": problems[:3]}
    return {"pages": results}
