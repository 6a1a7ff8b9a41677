"""`streamlit run streamlit_app.py`: the PactWatch dashboard (reads the home in $PACTWATCH_HOME, default ./data)."""
from pipeline.dashboard.app import main

main()
