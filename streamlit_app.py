"""`streamlit run streamlit_app.py` (`make run`): the PactWatch dashboard, reading the home in $PACTWATCH_HOME (default
./data). The script is pipeline/dashboard_entry.py, which `pactwatch dashboard` runs in an install."""
import runpy

runpy.run_module("pipeline.dashboard_entry", run_name=__name__)  # __mp_main__ in a worker: no pages drawn
