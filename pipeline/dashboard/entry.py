"""The dashboard's script, as `streamlit run` runs it: `pactwatch dashboard` (an install), or `make run` through the
checkout's streamlit_app.py. Run as __main__, it imports the package absolutely. Streamlit draws the pages of
app.main's st.navigation, not of the pages/ folder beside this file."""
from pipeline.dashboard.app import main

if __name__ != "__mp_main__":  # a "spawn" worker process re-imports the main script: it must not draw pages
    main()
