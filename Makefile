# Two commands do everything on a fresh machine with Python 3.11+: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
ARGS ?=

.PHONY: site test check serve schema bench audit mutation lock clean

site: $(VENV)/.site ## build site/ from the repository's data
	$(BIN)/python build.py $(ARGS)

# On every core (pytest-xdist: -n auto; worksteal: an idle worker takes tests queued for a busy one);
# ARGS="-n 0" runs them in this process, one after another.
test: $(VENV)/.test ## run every test
	$(BIN)/python -m pytest -n auto --dist worksteal $(ARGS)

# On a branch, also what its pull request will refuse: edits to months published on the default branch.
check: $(VENV)/.site ## validate the data, and on a branch what its pull request will refuse
	$(BIN)/python build.py check --base auto $(ARGS)

serve: $(VENV)/.site ## preview on http://127.0.0.1:8000, rebuilt on every edit
	$(BIN)/python build.py serve $(ARGS)

schema: $(VENV)/.site ## regenerate schema/ from the validator (ARGS=--check: fail when stale)
	$(BIN)/python build.py schema $(ARGS)

bench: $(VENV)/.test ## measure check, build and verify on a synthetic data set, and verify on chain against a slow node
	$(BIN)/python bench/run.py $(ARGS)
	$(BIN)/python bench/chain.py

audit: $(VENV)/.site ## Lighthouse on a phone, every kind of page of six shapes of data, against targets (needs Node.js, Chromium)
	$(BIN)/python bench/audit.py $(ARGS)

mutation: $(VENV)/.test ## mutation testing of ledger.py, validate.py and verify.py with the fast tests (hours)
	$(BIN)/python bench/mutation.py $(ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every dependency is checked against the hashes pinned in requirements*.txt; the project itself
# is installed from this folder, which no hash can pin, in a call of its own. uv (itself pinned and
# hashed in requirements-uv.txt) installs them in seconds where pip takes a minute (compiled to
# bytecode as pip does, so that no test process pays for it); where uv
# cannot, pip installs the very same pins.
INSTALL = $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python

$(VENV)/.uv: requirements-uv.txt | $(BIN)/python
	$(PIP) install --require-hashes -r requirements-uv.txt
	touch $@

$(VENV)/.site: requirements.txt pyproject.toml $(VENV)/.uv
	$(INSTALL) --require-hashes -r requirements.txt || $(PIP) install --require-hashes -r requirements.txt
	$(INSTALL) --no-deps -e . || $(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.site
	$(INSTALL) --require-hashes -r requirements-test.txt || $(PIP) install --require-hashes -r requirements-test.txt
	touch $@

# One lock for every system (--universal: Windows' and macOS' own dependencies too), each file hashed.
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --no-emit-index-url

lock: $(VENV)/.site ## re-pin requirements*.txt (uv's too), with hashes, for every system, from pyproject.toml
	$(LOCK) -o requirements.txt pyproject.toml
	$(LOCK) --extra test -o requirements-test.txt pyproject.toml
	echo uv | $(LOCK) -o requirements-uv.txt -

clean: ## remove the built site and caches (keeps .venv)
	rm -rf site build .pytest_cache .hypothesis .cache tests/artifacts mutants
