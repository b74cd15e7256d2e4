# The two commands: `make run` (a running bot on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

# run: target owned by the sandbox work (see README "Try it")
run: install
	$(PY) manage.py migrate --noinput

# test: target owned by the CI work (see README "Tests")
test: install
	$(VENV)/bin/pytest
