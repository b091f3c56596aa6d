# MedPath: `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run prod test lint check install demo worker clean smoke-prod bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# axe-core, injected into pages by the browser tests (tests/e2e); nothing else uses npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

run: install
	PORT=$(PORT) DEBUG=$${DEBUG:-1} PATH="$(CURDIR)/$(BIN):$$PATH" bin/dev

# The production configuration on one machine (gunicorn, qcluster on Redis, PostgreSQL,
# collectstatic, DEBUG off): needs DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS (README).
prod: install
	PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" bin/prod

# Two gunicorn servers on one fresh PostgreSQL database and Redis, checked over HTTP (CI runs it).
smoke-prod: install
	$(BIN)/python bin/smoke-prod

demo: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo

# In parallel on every core (pytest-xdist), the browser journeys together in one worker
# (tests/conftest.py); `PYTEST_XDIST=` runs the suite in one process.
PYTEST_XDIST ?= -n auto --dist loadgroup

test: install node_modules/.installed
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles *.egg-info
