# Marmot Tracker. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# The trial site runs with DEBUG on and SQLite under var/ unless DATABASE_URL is set.
RUN_ENV := DEBUG=1

.DEFAULT_GOAL := help
ASSETS_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
ASSETS_SOURCES := $(wildcard frontend/*.mjs frontend/scss/*.scss)

.PHONY: help install assets run migrate load demo serve test test-all lint format check compose-check clean bench loadtest

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) ## Create the virtualenv and install the pinned requirements

$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/marmot.css: $(ASSETS_STAMP) $(ASSETS_SOURCES)
	node frontend/build.mjs

assets: static/build/marmot.css ## Install GOV.UK Frontend from npm and build the CSS into static/build/

run: install assets migrate load demo serve ## Set up and serve the trial site on http://127.0.0.1:8000

migrate: install ## Apply database migrations
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

load: install ## Load Luton's programme and outcome measures (idempotent)
	$(RUN_ENV) $(BIN)/python manage.py load_luton

demo: install ## Create demo accounts for every role, print their credentials, add sample KPI values
	$(RUN_ENV) $(BIN)/python manage.py create_demo_accounts
	$(RUN_ENV) $(BIN)/python manage.py load_sample_kpi_values

serve: install ## Serve on http://127.0.0.1:8000
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Two tiers (ADR 0031): `test` leaves out the browser tests and the deep API
# fuzzing; `test-all` (what .ci/run runs) adds them. pyproject.toml's addopts
# leave `slow` out, so the first test-all line runs the browser tests too.
test: install assets ## Fast tier: all but browser tests and deep fuzzing (PostgreSQL if DATABASE_URL)
	$(BIN)/pytest -q -n 2 -m 'not slow and not browser'

test-all: install assets ## Every test: fast tier, browser tests, then the slow tier (deep API fuzzing)
	$(BIN)/pytest -q -n 2 -m 'not slow'
	$(BIN)/pytest -q -n 2 -m slow tests/api/test_fuzz.py

lint: install ## ruff lint and format check, and a check for missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(RUN_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

compose-check: ## Validate docker-compose.yml (needs Debian's docker-compose)
	SECRET_KEY=compose-check docker-compose config --quiet

bench: install ## Benchmarks on DATABASE_URL's PostgreSQL server, in database marmot_bench
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/marmot"; exit 1; }
	@command -v wrk >/dev/null || { echo "bench needs wrk (Debian: apt-get install wrk)"; exit 1; }
	$(BIN)/python bench/run.py

loadtest: install ## 60 s of load, then a PostgreSQL restart under load, against gunicorn (own cluster; root)
	$(BIN)/python bench/load.py

clean: ## Remove the virtualenv and local data under var/
	rm -rf $(VENV) var node_modules static/build
