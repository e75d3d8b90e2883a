# Content ROI — the two commands a fresh machine needs:
#   make run    create .venv, install, start the app on the bundled sample data
#   make test   install what the tests need (Python packages, Debian chromium + CJK fonts) and run every test
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast bench install install-dev system-deps sample clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.req: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.req-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.req
install-dev: $(VENV)/.req-dev system-deps

# Debian's chromium for the browser tests (Playwright cannot download its own here)
# and Noto CJK so Chinese renders in screenshots.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "installing chromium and fonts-noto-cjk (Debian)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

run: install
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

# On two workers (pytest-xdist; each builds its own session fixtures and app servers), then
# the few `solo` tests alone (their kill points are timed against the machine's speed).
# Plain `pytest` runs everything in one process. (Three workers were tried on 3 Dec: 8.6 min
# in a fast hour, 21.4 in a slow one; two took 13.9, 18.3 and 14.4 min that day: no clear gain.)
TEST_WORKERS ?= 2
test: install-dev
	@st=0; $(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not solo" || st=$$?; \
	$(BIN)/python -m pytest -m solo || st=$$?; exit $$st

test-fast: install-dev
	@st=0; $(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser and not solo" || st=$$?; \
	$(BIN)/python -m pytest -m "solo and not browser" || st=$$?; exit $$st

# Speed and memory figures (printed, not asserted): ingestion rows/s, report per model
# vs pandas, page reruns at the large world, many viewers while uploading, and issue 12's
# table (bench/store.py: upload cost, first load, memory, disk, report, filter change,
# fresh link; 1x and 3x, 10x with --with-10x).
bench: install-dev
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/serve.py
	nice -n 10 $(BIN)/python bench/store.py

sample: install
	$(BIN)/python -m contentroi sample data/sample

clean:
	rm -rf $(VENV) .pytest_cache artifacts
