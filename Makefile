# stpkit: the two commands are `make demo` and `make test`; everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV = $(PYTHON) -m uv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?= -n 2
B ?=

export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: install demo test test-fast lint bench system-deps clean

## install: Python deps from uv.lock into .venv and front-end assets from package-lock.json
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock package.json package-lock.json
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv \
		|| $(PYTHON) -m pip install --quiet uv
	@# bytecode compiled once here, not on every run: where Python may not write it (a
	@# read-only install, PYTHONDONTWRITEBYTECODE) each `stpkit` start compiled every module
	@# again, a good part of `make demo`'s first minute
	$(UV) sync --frozen --extra spark --compile-bytecode
	$(BIN)/python -m compileall -q src >/dev/null
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## demo: install, build the Kent and Medway demo, print logins, serve on 127.0.0.1:$(PORT)
## (the first page answers once the partnership and programme are in; the rest load while it serves)
PORT ?= 8000
demo: install
	@echo "Building the Kent and Medway demo; it serves on http://127.0.0.1:$(PORT)/ (make demo PORT=8080 for another port)"
	$(BIN)/stpkit demo --port $(PORT)

## system-deps: what the tests need from Debian (Chromium for browser tests, Java for Spark)
system-deps:
	@command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core \
			$$(command -v java >/dev/null 2>&1 || echo default-jre-headless); }

## test: install everything and run every test; with DATABASE_URL set, the Django tests run on PostgreSQL too
test: install system-deps
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Django tests again on $$DATABASE_URL"; \
		$(BIN)/pytest $(PYTEST_ARGS) tests/web -m "not browser"; \
	fi

## test-fast: the suite without browser, Spark and slow tests
test-fast: install
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m "not browser and not spark and not slow"

## lint: ruff, mypy and the import contract (engines never import web)
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: run benchmarks/*.py (or B=<area>) and print their figures as JSON lines
bench: install
	@for f in $(if $(B),benchmarks/$(B).py,benchmarks/[!_]*.py); do \
		echo "# $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) node_modules var test-artifacts
