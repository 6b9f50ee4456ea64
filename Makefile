# Two commands for a fresh machine (see README.md):
#   make serve   install what the build needs, build and serve the site on http://127.0.0.1:8000/
#   make test    install what the tests need, then run the whole test suite (what CI runs)
#   make preview build the whole site as published (search, share cards) and serve it, no rebuilds
#   make cms     edit in the CMS on http://127.0.0.1:8000/admin/, writing to this checkout (README "Editors")
# Everything is installed into .venv/ and node_modules/ inside the project.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: serve preview build check status test test-fast install install-test clean cms

# --dirty: only the pages whose inputs changed are rebuilt on save (tcsite/incremental.py); no
# search index or share cards while serving (make preview).
serve: install
	$(PY) -m mkdocs serve --dirty --dev-addr 127.0.0.1:8000

preview: build
	@echo "Serving site/ on http://127.0.0.1:8000/ (Ctrl+C to stop; run make preview again after a change)"
	$(PY) -m http.server --bind 127.0.0.1 --directory site 8000

# The CMS with no login and no git: decap-server (port 8081) writes the files of this checkout.
cms: install
	BIND_HOST=127.0.0.1 node_modules/.bin/decap-server & proxy=$$!; trap 'kill $$proxy' EXIT INT TERM; \
	$(PY) -m mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: install
	$(PY) -m mkdocs build --strict

# The editors' checks, without typing the path of the project's Python (CONTRIBUTING.md).
check: install
	$(PY) -m tcsite check

status: install
	$(PY) -m tcsite status

test: install-test
	$(PY) -m pytest

# The fast tests only (no browser); CI always runs everything.
test-fast: install-test
	$(PY) -m pytest -m "not browser"

# node_modules: Decap CMS, copied into the build at /admin/ (tcsite/cms.py).
install: $(VENV)/.build-installed node_modules/.package-lock.json

install-test: $(VENV)/.test-installed

$(VENV)/.build-installed: requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.package-lock.json: package-lock.json scripts/install-tools.sh
	bash scripts/install-tools.sh build

$(VENV)/.test-installed: $(VENV)/.build-installed requirements-test.txt scripts/install-tools.sh package-lock.json
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	bash scripts/install-tools.sh test
	touch $@

clean:
	rm -rf site $(VENV) node_modules .pytest_cache
