# Two commands do everything on a fresh machine with Python 3.11+: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
ARGS ?=

.PHONY: site test check serve schema bench lock clean

site: $(VENV)/.site ## build site/ from the repository's data
	$(BIN)/python build.py $(ARGS)

test: $(VENV)/.test ## run every test
	$(BIN)/python -m pytest $(ARGS)

# On a branch, also what its pull request will refuse: edits to months published on the default branch.
check: $(VENV)/.site ## validate the data, and on a branch what its pull request will refuse
	$(BIN)/python build.py check --base auto $(ARGS)

serve: $(VENV)/.site ## preview on http://127.0.0.1:8000, rebuilt on every edit
	$(BIN)/python build.py serve $(ARGS)

schema: $(VENV)/.site ## regenerate schema/ from the validator (ARGS=--check: fail when stale)
	$(BIN)/python build.py schema $(ARGS)

bench: $(VENV)/.test ## measure check and build on a synthetic data set
	$(BIN)/python bench/run.py $(ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site: requirements.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.site
	$(PIP) install -r requirements-test.txt
	touch $@

lock: ## re-pin requirements*.txt from pyproject.toml (needs pip-tools)
	pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra test -o requirements-test.txt pyproject.toml

clean: ## remove the built site and caches (keeps .venv)
	rm -rf site build .pytest_cache .hypothesis .cache tests/artifacts
