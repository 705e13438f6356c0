# The two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app maturity
INSTALLED := $(VENV)/.installed
ASSETS := static/css/application.css

.PHONY: run test install check-system assets lint typecheck clean serve-production

# Local development over plain HTTP: cookies not marked Secure, and so no SERVICE_URL needed
# (links shown to the administrator use the address of the request).
run: install
	SESSION_COOKIE_SECURE=false $(FLASK) db upgrade
	SESSION_COOKIE_SECURE=false $(FLASK) demo --if-empty
	@echo ""
	@echo "maturity is running at http://127.0.0.1:5000 (press Ctrl+C to stop)"
	@# The report worker runs beside the server and stops with it (scripts/run.sh).
	SESSION_COOKIE_SECURE=false scripts/run.sh

# gunicorn, the report worker and one migration first; settings from the environment
# (docs/production.md): DATABASE_URL, REDIS_URL, RATELIMIT_STORAGE_URI, SECRET_KEY, ...
serve-production: install
	scripts/serve_production.sh

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: check-system $(INSTALLED) $(ASSETS)

check-system:
	@$(PYTHON) scripts/check_system.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json assets/build.mjs $(wildcard assets/scss/*.scss assets/js/*.js)
	npm run --silent build

assets: $(ASSETS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules static
