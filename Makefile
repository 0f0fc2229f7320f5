# The two commands in README.md are the contract: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

# The browser tests' second run, on `make run`'s configuration (SQLite, in-process tasks):
# what it runs (a path, -k ...). PYTEST_ARGS applies to the first, PostgreSQL run only.
E2E_SQLITE_ARGS ?= tests/e2e

.PHONY: run test lint typecheck install install-dev services system-packages vendor clean screenshots

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	VENV=$(VENV) HOST=$(HOST) bash scripts/run-dev.sh

system-packages:
	bash scripts/ensure-system-packages.sh

services:
	bash scripts/ensure-services.sh

typecheck: install-dev
	$(VENV)/bin/mypy

lint: install-dev typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install-dev system-packages services typecheck lint
	$(PY) manage.py makemigrations --check --dry-run --settings=kam_portal.settings.test
	$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)
	$(VENV)/bin/pytest --create-db -m e2e --ds=kam_portal.settings.test_sqlite $(E2E_SQLITE_ARGS)

# docs/screenshots/: each role's main pages on `make run`'s demo (300 accounts) and
# configuration (SQLite, in-process tasks); docs/development.md#screenshots.
screenshots: install-dev system-packages
	rm -f docs/screenshots/*.png
	E2E_SCREENSHOTS=docs/screenshots E2E_DEMO_ACCOUNTS=300 $(VENV)/bin/pytest --create-db -q \
		-m e2e --ds=kam_portal.settings.test_sqlite tests/e2e/test_main_pages.py

vendor:
	bash scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test_e2e.sqlite3
