# The few commands people run. Everything generated goes to build/ (ignored by git).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AXE := build/tools/node_modules/axe-core/axe.min.js
JOBS ?= 2

.PHONY: test casebook lab bench clean browser-tools mutation

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# Browser tests drive Debian's chromium (never `playwright install`) and run axe-core from npm.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; fi

$(AXE):
	mkdir -p build/tools && npm install --silent --no-audit --no-fund --prefix build/tools axe-core@4 >/dev/null

browser-tools: /usr/bin/chromium $(AXE)

test: $(STAMP) browser-tools
	$(PY) -m pytest -n $(JOBS) --dist loadgroup -p no:cacheprovider

casebook: $(STAMP)
	$(VENV)/bin/levelii build --jobs $(JOBS)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab cases/

bench: $(STAMP)
	$(PY) benchmarks/run.py --casebook

clean:
	rm -rf build .pytest_cache .hypothesis mutants

# ---- mutation testing (not part of `make test`): mutmut 3 over the model modules with the fast model tests,
# configured in pyproject.toml [tool.mutmut]; starts from scratch, prints the survivors and the score.
# About 5,900 mutants: several hours on 2 cores (tests/MUTATION.md shows how to score a random sample instead).
# MUTATION_EXAMPLES sets the hypothesis examples per property test in the mutants' runs.
MUTATION_EXAMPLES ?= 20
mutation: $(STAMP)
	rm -rf mutants
	LEVELII_HYPOTHESIS_EXAMPLES=$(MUTATION_EXAMPLES) $(VENV)/bin/mutmut run --max-children $(JOBS) >mutants.log 2>&1 || { tail -n 40 mutants.log; exit 1; }
	mv mutants.log mutants/run.log
	$(VENV)/bin/mutmut results
	$(VENV)/bin/mutmut export-cicd-stats >/dev/null
	$(PY) tests/mutation_score.py mutants/mutmut-cicd-stats.json
