# cakg: `make run` builds the graph of the bundled article; `make test` runs the whole suite.
# Both work on a fresh Debian machine with Python 3.11: they create .venv and install into it.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run test install install-test system-deps lint typecheck bench claims-eval claims-model clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A regular (non-editable) install: tests and mypy then see exactly what a user gets.
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"

# The RDF files `cakg export --format all` writes: what a consumer downloads.
EXPORTS := kg.trig kg.ttl kg.nt kg.nq kg.jsonld kg.rdf ontology.ttl ontology.rdf void.ttl

# Build the bundled article, reason over it, write every export and the four views, then
# validate each RDF file written against the shapes (a second or two each); a violation
# stops make.
run: install
	@bash scripts/ensure-system-packages.sh java
	$(BIN)/cakg build -o $(OUT)
	$(BIN)/cakg reason $(OUT)/kg.trig
	$(BIN)/cakg export --format all -o $(OUT) $(OUT)/kg.trig
	$(BIN)/cakg view --kind all -o $(OUT)/views --data $(OUT)/kg.trig
	@for f in $(EXPORTS); do printf '%s: ' "$(OUT)/$$f"; $(BIN)/cakg validate "$(OUT)/$$f" || exit 1; done
	@$(BIN)/cakg info $(OUT)/kg.trig
	@echo "cakg: the graph, its exports and views are in $(abspath $(OUT)):"
	@cd $(OUT) && ls -1 *.* views/*.html | sed 's/^/  /'
	@echo "open $(abspath $(OUT))/views/actors.html in a browser, or run: $(BIN)/cakg serve"
	@echo "the cakg command is in .venv, not on your PATH: run 'source $(BIN)/activate' first"
	@echo "(then 'cakg --help', 'cakg queries', 'cakg query experts'), or write $(BIN)/cakg"

# System packages the tests need (Java for HermiT, Chromium for the browser tests,
# Virtuoso for the remote-store parity tests); installed when missing.
system-deps:
	bash scripts/ensure-system-packages.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	PYTHON=$(BIN)/python bash scripts/typecheck.sh

test: install-test system-deps
	$(BIN)/ruff check .
	PYTHON=$(BIN)/python bash scripts/typecheck.sh
	$(BIN)/pytest -q

# Corpus scale (benchmarks/scale.py): build, add one, every named query and the server at
# 10/100/1,000 articles -> benchmarks/results/bench.json (+ .md) and the README's plot.
# The other sections: .venv/bin/python benchmarks/run.py --help. BENCH= adds options.
bench: install-test
	$(BIN)/python benchmarks/run.py --only scale --plot docs/bench-query-latency.png $(BENCH)

# Score the claim classifier on a gold folder (default: the dated series), beside the
# design of the baseline revision in the same run (benchmarks/claims_eval.py).
GOLD     ?= tests/fixtures/series
BASELINE ?= a57551a
claims-eval: install-test
	$(BIN)/python benchmarks/claims_eval.py $(GOLD) --baseline $(BASELINE)

# Refit the answer-trend model from the labelled answers (scikit-learn, from the test extra)
# and write graph/data/models/trend.json; cross-validation decides whether it is used.
claims-model: install-test
	$(BIN)/python scripts/train_trend_model.py

clean:
	rm -rf $(OUT) build dist *.egg-info src/*.egg-info
