# Two commands for a fresh machine (see README.md):
#   make serve   install what the build needs, build and serve the site on http://127.0.0.1:8000/
#   make test    install what the tests need, then run the whole test suite (what CI runs)
# Everything is installed into .venv/ and node_modules/ inside the project.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: serve build test test-fast install install-test clean

serve: install
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

build: install
	$(PY) -m mkdocs build --strict

test: install-test
	$(PY) -m pytest

# The fast tests only (no browser); CI always runs everything.
test-fast: install-test
	$(PY) -m pytest -m "not browser"

install: $(VENV)/.build-installed

install-test: $(VENV)/.test-installed

$(VENV)/.build-installed: requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.build-installed requirements-test.txt scripts/install-test-tools.sh $(wildcard package-lock.json)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	bash scripts/install-test-tools.sh
	touch $@

clean:
	rm -rf site $(VENV) node_modules .pytest_cache
