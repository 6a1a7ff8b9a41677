"""Alerts: current spikes with reason and evidence, computed by the signals work (pipeline.signals, issue #7)."""
import importlib

import pandas as pd
import streamlit as st

from pipeline.dashboard import ui
from pipeline.home import Home

view = ui.page("Alerts", needs_articles=False)
try:
    current_alerts = importlib.import_module("pipeline.signals").current_alerts
except (ImportError, AttributeError):
    ui.empty("No alert engine yet: alerts will appear here once the signals work (issue #7) lands.")
    st.stop()

alerts = pd.DataFrame(current_alerts(Home.resolve(view.snapshot.home)))
if alerts.empty:
    ui.empty("No current alerts.")
else:
    ui.table(alerts, "alerts")
