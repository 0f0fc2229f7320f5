# The two commands in README.md are the contract: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: run test lint typecheck install install-dev services system-packages vendor clean

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

vendor:
	bash scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
