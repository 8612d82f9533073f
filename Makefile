# The two commands of the README:
#   make report   executes every notebook on corpus/ and renders HTML reports into reports/
#   make test     runs the test suite: in parallel on every core (pytest-xdist; idle workers take tests
#                 queued for busy ones, as the notebook tests are long), each test named with the
#                 share done as it passes, the ten slowest listed at the end (PYTEST_FLAGS to change that)
# Both create the virtual environment .venv and install the package with its extras first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_FLAGS ?= -n auto --dist worksteal -v --durations=10

.PHONY: report test bench clean

report: $(STAMP)
	$(BIN)/python -m discourse.report

test: $(STAMP)   # pytest's exit status, "no tests ran" (5) included, is make's
	$(BIN)/python -m pytest $(PYTEST_FLAGS)

bench: $(STAMP)   # every benchmark, one after another (about 20 minutes on 2 cores, bench_versions included)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,reference,explore,dev]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) reports build *.egg-info
