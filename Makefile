# The two commands: `make run` (a running bot on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install lint test-embedded test-services coverage-html

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

# run: target owned by the sandbox work (see README "Try it"). runbot migrates, loads the
# demo portfolio and demo logins, then runs web + Celery worker + beat until Ctrl-C.
# HOST/PORT choose the address (default 127.0.0.1:8000); everything is written under var/.
# DJANGO_DEBUG=true: the embedded default is a DEBUG setup; the settings default to off.
run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py runbot

# test: target owned by the CI work (see README "Tests"). The suite runs twice: on the
# embedded default, then against throwaway PostgreSQL, Redis and S3 (moto) servers on
# loopback (scripts/test-services). PYTEST_ARGS="-k webhook" narrows both runs.
test: install
	$(PY) scripts/test-services all $(PYTEST_ARGS)

# lint: ruff (ruff.toml) and the layers (.importlinter); .ci/run runs it before the tests.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test-embedded: install
	$(PY) scripts/test-services embedded $(PYTEST_ARGS)

test-services: install
	$(PY) scripts/test-services services $(PYTEST_ARGS)

# The combined coverage of the last test run (var/coverage/.coverage) as annotated HTML.
coverage-html: install
	$(VENV)/bin/coverage html --data-file=var/coverage/.coverage -d var/coverage/html
