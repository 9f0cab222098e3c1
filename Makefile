# eoffice — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
HOST ?= 127.0.0.1
PORT ?= $(if $(filter 2,$(EOFFICE_DEMO_PROVINCE)),8001,8000)
export HOST PORT

.PHONY: run test lint format install messages clean-data

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.8
	@$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	@$(PY) -m eoffice.launcher

# ruff, then the import contracts of pyproject.toml [tool.importlinter] (ARCHITECTURE.md: layers,
# independence, eoffice imports no business app).
lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache --no-logo

format: install
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

# Two pytest-xdist workers (the machine has 2 cores), then the tests that start a real Celery worker alone
# (tests/run_suite.sh). PYTEST_WORKERS= runs the first step in one process too.
PYTEST_WORKERS ?= -n 2

test: lint
	@PY=$(PY) PYTEST_WORKERS="$(PYTEST_WORKERS)" PYTEST_ARGS="$(PYTEST_ARGS)" \
		$(PY) -m eoffice.embedded exec -- sh tests/run_suite.sh

# Regenerate the English catalogues (source strings are Vietnamese) and compile them.
messages: install
	@$(PY) -m eoffice.embedded exec -- $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	@$(PY) -m eoffice.embedded exec -- $(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=var --ignore=static/vendor
	@$(PY) -m eoffice.embedded exec -- $(PY) manage.py compilemessages --ignore=.venv

clean-data:
	rm -rf var/pgdata var/redis var/media var/static

# The province benchmark (bench/README.md) in a database of its own, which it drops and re-creates:
#   make bench SCALE=10000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_10k
SCALE ?= 10000
.PHONY: bench
bench: install
	@test -n "$(BENCH_DATABASE_URL)" || { echo "BENCH_DATABASE_URL=postgres://…/<a separate database> is required"; exit 2; }
	@DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m eoffice.embedded exec -- sh -c \
		'$(PY) bench/province.py --docs $(SCALE) --reset && $(PY) bench/pages.py && $(PY) bench/throughput.py'
