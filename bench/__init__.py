"""PactWatch benchmarks: `python -m bench --articles 100000` (see docs/benchmarks.md).

Every heavy measurement runs in its own child process (`bench.child`) while this process samples
the child's process-tree RSS, so peak-memory numbers belong to the step alone. Timings are noisy on a
shared machine, so every reference (feedparser alone, a bare Aho-Corasick scan, `executemany`) is
measured in the same run and reported as a ratio.
"""
