# Two commands: `make run` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint check pytest migrate demo clean results-day

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Serves the site and the background worker (imports, indexing, scheduler). The public base
# URL is the address served, for the migration and demo steps too (Wagtail's Site follows it).
run: export SUNSHINE_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: demo
	@bin/run-dev $(HOST) $(PORT)

# The production stack for a local trial (docs/deploy.md): PostgreSQL, Redis, gunicorn.
results-day: install
	@bin/results-day

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	DJANGO_SETTINGS_MODULE=sunshine.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=sunshine.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: install
	$(PY) -m pytest $(PYTEST_ARGS)

test: lint check pytest

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
