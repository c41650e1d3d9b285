# The task runner for humans. `make run` and `make test` are the two commands of the README.
PYTHON ?= python3
VENV := .venv
BUILDOUT := $(VENV)/bin/buildout
# The build re-runs only when one of its inputs changes; otherwise it costs nothing.
BUILD_STAMP := bin/.built
BUILD_INPUTS := buildout.cfg setup.py

.PHONY: build run test lint format clean

build: $(BUILD_STAMP)

$(BUILDOUT):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check zc.buildout==6.0.1

$(BUILD_STAMP): $(BUILDOUT) $(BUILD_INPUTS)
	$(BUILDOUT) -N
	touch $@

run: build
	DEBUG=$${DEBUG:-1} bin/django migrate --no-input
	DEBUG=$${DEBUG:-1} bin/django seed_demo
	DEBUG=$${DEBUG:-1} bin/django runserver 127.0.0.1:8000

test: build
	bin/pytest

lint: build
	bin/ruff check .
	bin/ruff format --check .

format: build
	bin/ruff format .
	bin/ruff check --fix .

clean:
	rm -rf $(VENV) bin develop-eggs eggs parts .installed.cfg reports
