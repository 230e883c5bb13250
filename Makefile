# The two commands a new user needs: `make run` (portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages migrate demo lint format worker beat benchmark clean

$(STAMP): pyproject.toml
	bash scripts/system-deps.sh run
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' -v 0

migrate: install
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	$(PY) manage.py load_demo

run: messages demo
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (sign in with a demo account above)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# axe-core for the accessibility tests, served to the test browser by the tests (never by the portal).
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --prefix tests/browser/axe --no-audit --no-fund --silent axe-core@4

test: install
	bash scripts/system-deps.sh test
	$(MAKE) --no-print-directory $(AXE)
	$(MAKE) --no-print-directory messages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
