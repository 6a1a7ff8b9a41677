"""The only package that imports duckdb or holds SQL (see DEVELOPERS.md)."""
# DuckDB imports pandas by itself at its first query given parameters (every store module's) and swallows whatever
# that import raises, the Interrupted of a Ctrl-C included: the command would go on. Imported here first, the signal
# stops the command (stop_signals.py). So no command that queries the store saves pandas' import by deferring ours.
import pandas  # noqa: F401
