# Two commands do everything on a fresh machine:
#   make app    set up, then serve the apps with Voilà on http://127.0.0.1:8866/
#   make test   set up, then run every test (unit, property, notebooks, browser)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
STAMP  := $(VENV)/.installed

.PHONY: app test setup chromium benchmark sources clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser tests use Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing: install Debian's 'chromium' package (browser tests will fail without it)"; fi

app: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl+C stops)"
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/voila notebooks/ --no-browser --port=$(PORT) --Voila.ip=127.0.0.1 --Voila.port_retries=0

test: setup chromium
	$(BIN)/python -m pytest tests --nbval-lax notebooks

benchmark: setup
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.browser

sources: setup
	$(BIN)/python -m explorer sources > docs/sources.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
