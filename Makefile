# Wadul: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format install messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key

run: $(STAMP) var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" PORT=$(PORT) $(BIN)/wadul serve_demo

test: $(STAMP)
	SECRET_KEY=test-only-secret-key-0123456789abcdefghijklmnop $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	cd wadul && DEBUG=1 ../$(BIN)/wadul makemessages -l id --no-location && ../$(BIN)/wadul compilemessages

clean:
	rm -rf $(VENV) var/test.sqlite3
