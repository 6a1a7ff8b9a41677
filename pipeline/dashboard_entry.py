"""The dashboard's script, as `streamlit run` runs it: `pactwatch dashboard` (an install), or `make run` through the
checkout's streamlit_app.py. Run as __main__, it imports the package absolutely. It lies outside dashboard/: beside a
`pages/` folder Streamlit runs a link's page file alone, without app.main, until `/` is opened (a bookmarked
/alerts after a restart failed on the view it had not set up)."""
from pipeline.dashboard.app import main

if __name__ != "__mp_main__":  # a pool worker process re-imports the main script: it must not draw pages
    main()
