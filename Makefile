# PactWatch: `make run` (dashboard with demo data) and `make test` (the whole suite) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
HOST ?= 127.0.0.1
export PACTWATCH_HOME ?= $(CURDIR)/data
STAMP := $(VENV)/.setup-stamp
DEV_STAMP := $(VENV)/.dev-stamp
COMPILED := pipeline/tagging/_compiled/SOURCES.sha256
PYTEST_ARGS ?=
DEMO_ARGS ?=

.PHONY: help setup setup-dev run test browser demo bench bench-full baselines clean

help:
	@echo "make run         set up, build the demo unless done, serve the dashboard on http://$(HOST):$(PORT)"
	@echo "make test        set up with the test tools, then the whole suite (PYTEST_ARGS=... for pytest's own)"
	@echo "make setup       the .venv and the compiled tagger: what the product needs"
	@echo "make setup-dev   setup, plus the test, benchmark and baseline tools"
	@echo "make demo        the demo warehouse alone, unless done (DEMO_ARGS=\"--articles 100000\" for another size)"
	@echo "make browser     Chromium for the browser tests (Debian package; as root)"
	@echo "make bench       benchmarks at 100k articles (docs/benchmarks.md)"
	@echo "make bench-full  the same at 1M articles"
	@echo "make baselines   the issue's off-the-shelf baselines, scored (docs/accuracy.md)"
	@echo "make clean       remove the .venv, the compiled tagger, build and test leftovers (never a home)"
	@echo "Variables: PORT=$(PORT) HOST=$(HOST) PACTWATCH_HOME=$(PACTWATCH_HOME) PYTHON=$(PYTHON)"

# What the product needs (`make run`); setup-dev adds the test, benchmark and baseline tools (the `dev` extra, about
# 450 MB more: Playwright, scikit-learn and SciPy, pycountry, Babel).
setup: $(STAMP) $(COMPILED)
setup-dev: setup $(DEV_STAMP)

# Re-installs only when the dependency pins change; `pip install -e` keeps the code live.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[build]'
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(DEV_STAMP)

# The tagger compiled with mypyc (~1.5x faster). It runs only while built from the current sources
# (pipeline/native.py); where it cannot be built (no C compiler) the sources run, so a failure is not fatal.
$(COMPILED): $(STAMP) $(wildcard pipeline/tagging/*.py) pipeline/native.py tools/build_tagger.py
	-$(BIN)/python tools/build_tagger.py

# Chromium for the browser tests (Debian package); skipped quietly where we are not root.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: browser tests will be skipped"; }

# The demo, unless the home shows a finished one or holds data of its own; one a stop left part-loaded is built again
# (the warehouse records the demo's end: `pactwatch demo --help`). DEMO_ARGS="--articles 100000" for another size.
demo: setup
	@$(BIN)/pactwatch demo --unless-done $(DEMO_ARGS)

run: demo
	$(BIN)/streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT)

test: setup-dev browser
	$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

bench: setup-dev
	$(BIN)/python -m bench --articles 100000

bench-full: setup-dev
	$(BIN)/python -m bench --articles 1000000

# The issue's off-the-shelf baselines (geotext, TF-IDF + linear SVM) scored by the eval's own code: docs/accuracy.md.
baselines: setup-dev
	$(BIN)/python tools/baselines.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache .mypy_cache pactwatch.egg-info pipeline/tagging/_compiled
