# Two commands do everything on a fresh machine:
#   make app    set up, then serve the apps with Voilà on http://127.0.0.1:8866/
#   make test   set up (Python packages, and as root Debian's chromium, nginx, LibreOffice and
#               podman, axe-core from npm), check lint and types, then run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
STAMP  := $(VENV)/.installed
NPM    := .cache/npm
AXE    := $(NPM)/node_modules/axe-core/axe.min.js
TEMPLATE := $(wildcard share/jupyter/voila/templates/explorer/*)

.PHONY: app course test test-fast test-container lint setup system chromium nginx libreoffice node \
	podman benchmark sources docs lock clean

setup: $(STAMP)

# Exact versions from the lock file; the package itself without resolving again.
$(STAMP): pyproject.toml requirements/test.lock $(TEMPLATE)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m explorer.ui.live.vega
	touch $(STAMP)

# Debian's packages the tests drive for real: Chromium (browser tests), nginx (the reverse-proxy
# test), LibreOffice (recalculating the Excel workbook), Node.js and npm (axe-core). Installed
# when missing and we are root; otherwise the tests that need them fail and say what to install.
APT = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends
define need
	@if command -v $(1) >/dev/null 2>&1 || [ -x /usr/sbin/$(1) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		( [ -f $(VENV)/.apt-updated ] || (apt-get update -qq && mkdir -p $(VENV) && touch $(VENV)/.apt-updated) ) \
		&& $(APT) $(2) >/dev/null; \
	else echo "$(1) is missing: install Debian's '$(2)' package (the tests that need it fail)"; fi
endef

chromium:
	$(call need,chromium,chromium)
nginx:
	$(call need,nginx,nginx)
libreoffice:
	$(call need,soffice,libreoffice-calc-nogui)
node:
	$(call need,npm,npm)
# podman runs the container tests (with runc; catatonit for `podman kube play`) on a base image
# made by debootstrap.
podman:
	$(call need,podman,podman)
	$(call need,debootstrap,debootstrap)
	$(call need,runc,runc)
	$(call need,catatonit,catatonit)

system: chromium nginx libreoffice node podman $(AXE)

$(AXE):
	mkdir -p $(NPM) && cd $(NPM) && npm install --no-audit --no-fund --silent axe-core@4.14.1

app: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/voila/render/index.ipynb (Ctrl+C stops);" \
		"read views (no kernel) at http://127.0.0.1:$(PORT)/view/index"
	$(BIN)/python -m explorer.serving notebooks --no-browser --port=$(PORT) \
		--Voila.ip=127.0.0.1 --Voila.port_retries=0

# The course for students (notebooks/course/) in JupyterLab, from the repository root so that its
# links to docs/ open; in English with `make course COURSE=notebooks/course/course.ipynb`.
COURSE ?= notebooks/course/kursus.ipynb
course: setup
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/$(COURSE) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# The hooks in .pre-commit-config.yaml (ruff, ruff format, mypy, file endings, large files), run
# with the tools of .venv.
lint: setup
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# Every test and notebook, measuring which lines of explorer/ the tests run in this process (the
# Voilà kernels of the browser tests are other processes and not counted); the figure is printed.
test: setup system lint
	$(BIN)/python -m coverage run -m pytest tests --nbval-lax notebooks
	$(BIN)/python -m coverage report --format=total | sed 's/^/Coverage of explorer\/: /; s/$$/ %/'

# The model, the pages in plain Python, the data, one workbook a preset recalculated by
# LibreOffice: no browser, no servers, no notebooks, no test marked slow (tests/conftest.py), on
# every core (pytest-xdist).
test-fast: setup libreoffice
	$(BIN)/python -m pytest tests -m "not browser and not slow" -n auto

# Only the container (deploy/Dockerfile) built on a Debian base made by debootstrap (cached in
# .cache/container), run and read from outside, and the Kubernetes manifest played by podman
# (tests/test_container.py, also part of make test): 2.5-3 minutes on a quiet machine.
test-container: setup system
	$(BIN)/python -m pytest tests/test_container.py

benchmark: setup system
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.pages
	$(BIN)/python -m benchmarks.readview

sources: setup
	$(BIN)/python -m explorer sources > docs/sources.md

# The tables the model writes in README.md and docs/model.md (headline, calibration, claims,
# studies abroad), and the error pages nginx and Voilà serve (explorer/ui/views/errors.py);
# tests/test_project.py and tests/test_deploy.py fail when a copy differs.
docs: sources
	$(BIN)/python -m explorer.outputs.summary --write
	$(BIN)/python -m explorer.ui.views.errors --write

# Refresh the lock files after changing the ranges in pyproject.toml.
lock: setup
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -q --no-header -o requirements/app.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -q --no-header \
		-o requirements/test.lock

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts .cache
