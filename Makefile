# The few commands people run. Everything generated goes to build/ (ignored by git).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AXE := build/tools/node_modules/axe-core/axe.min.js
JOBS ?= 2

.PHONY: setup test lint format casebook pdf lab bench clean browser-tools js-deps mutation

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# The one set-up step (README): the venv with the kit and the levelii command.
setup: $(STAMP)
	@echo "ready: run 'source $(VENV)/bin/activate' (or call $(VENV)/bin/levelii), then 'levelii --help'"

# Browser tests drive Debian's chromium (never `playwright install`) and run axe-core from npm.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; fi

$(AXE):
	mkdir -p build/tools && npm install --silent --no-audit --no-fund --prefix build/tools axe-core@4 >/dev/null

browser-tools: /usr/bin/chromium $(AXE)

# ---- JavaScript vendored from the npm registry (casebook/package.json + its lockfile; never a CDN) ----
# plotly.js (for a partial bundle built at build time), MiniSearch (offline search), esbuild, and reveal.js for the
# slide decks (levelii slides, the instructor edition's teaching package). Without npm the build falls back to the
# full plotly.min.js from the Python package, indexes search in the browser and leaves the decks out.
JS_DEPS := casebook/node_modules/.package-lock.json
$(JS_DEPS): casebook/package.json casebook/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund --prefix casebook >/dev/null && touch $@; \
	else echo "npm not found: full plotly bundle, search indexed in the browser, no decks (reveal.js)"; fi

js-deps: $(JS_DEPS)

# The gate before the tests: formatting, lint, the architecture's contracts, docstrings on every public name.
lint: $(STAMP)
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/interrogate --quiet levelii_kit

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(STAMP) browser-tools js-deps lint
	$(PY) -m pytest -n $(JOBS) --dist loadgroup -p no:cacheprovider

casebook: $(STAMP) js-deps
	$(VENV)/bin/levelii build --jobs $(JOBS)

# Both editions as one PDF each (build/casebook/<edition>/casebook-<edition>.pdf), beside the HTML casebook.
pdf: $(STAMP) js-deps browser-tools
	$(VENV)/bin/levelii build --pdf --jobs $(JOBS)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab cases/

bench: $(STAMP) js-deps browser-tools
	$(PY) benchmarks/run.py --casebook --reader --slides --slides-build
	$(PY) benchmarks/bench_class.py

clean:
	rm -rf build .pytest_cache .hypothesis mutants

# ---- mutation testing (not part of `make test`): mutmut 3 over the model modules with the fast model tests,
# configured in pyproject.toml [tool.mutmut]; starts from scratch, prints the survivors and the score.
# About 6,100 mutants: 53 minutes on 2 cores here (tests/MUTATION.md: the score, the survivors, a faster sample).
# MUTATION_EXAMPLES sets the hypothesis examples per property test in the mutants' runs.
MUTATION_EXAMPLES ?= 20
mutation: $(STAMP)
	rm -rf mutants
	LEVELII_HYPOTHESIS_EXAMPLES=$(MUTATION_EXAMPLES) $(VENV)/bin/mutmut run --max-children $(JOBS) >mutants.log 2>&1 || { tail -n 40 mutants.log; exit 1; }
	mv mutants.log mutants/run.log
	$(VENV)/bin/mutmut results
	$(VENV)/bin/mutmut export-cicd-stats >/dev/null
	$(PY) tests/mutation_score.py mutants/mutmut-cicd-stats.json
