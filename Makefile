# Wadul: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format install messages clean system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Private to this user: the directory 0700, the key 0600.
var/secret_key:
	mkdir -p -m 700 var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key

run: $(STAMP) var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" PORT=$(PORT) $(BIN)/wadul serve_demo

test: $(STAMP) system-deps
	SECRET_KEY=test-only-secret-key-0123456789abcdefghijklmnop $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Each app with its own locale/ keeps its own catalogue; wadul/locale holds the rest.
APP_LOCALES := $(patsubst wadul/%/locale,%,$(wildcard wadul/*/locale))
messages: $(STAMP)
	for app in $(APP_LOCALES); do (cd wadul/$$app && DEBUG=1 ../../$(BIN)/wadul makemessages -l id --no-location) || exit 1; done
	cd wadul && DEBUG=1 ../$(BIN)/wadul makemessages -l id --no-location $(foreach app,$(APP_LOCALES),--ignore '$(app)/*')
	cd wadul && DEBUG=1 ../$(BIN)/wadul compilemessages

# Browser tests drive Debian's Chromium; install it when missing (CI and dev machines run as root).
# The deploy/ tests check the units, the Caddy site and the alert rules with Debian's own tools.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || echo "warning: chromium is not installed; browser tests will fail"
	@{ command -v caddy && command -v promtool && command -v systemd-analyze; } >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends caddy prometheus systemd >/dev/null; } || echo "warning: caddy, promtool or systemd-analyze is missing; the deploy/ tests will fail"

clean:
	rm -rf $(VENV) var/test.sqlite3
