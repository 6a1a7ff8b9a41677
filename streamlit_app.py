"""`streamlit run streamlit_app.py`: the PactWatch dashboard (reads the home in $PACTWATCH_HOME, default ./data)."""
from pipeline.dashboard.app import main

if __name__ != "__mp_main__":  # a "spawn" worker process re-imports the main script: it must not draw pages
    main()
