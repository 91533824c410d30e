PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench fuzz lint venv clean screenshots

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/ with a task consumer and the demo SFTP server (Ctrl-C stops all)"
	PYTHON=$(BIN)/python ./scripts/run-dev.sh

test: $(STAMP)
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile

# Benchmarks run against PostgreSQL unless DATABASE_URL says otherwise (each makes a throwaway database).
bench: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/accessadmin_bench} \
		$(BIN)/python -m benchmarks $(BENCH)

# Schemathesis over every operation of /api/schema/, against a live server on a fresh demo database.
fuzz: $(STAMP)
	$(BIN)/python -m fuzz $(FUZZ)

# PNGs of the main pages at 1366 px and 390 px into docs/screenshots/ (a fresh demo database, chromium).
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	PYTHONPATH=. $(BIN)/lint-imports

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
