# The two commands of the README:
#   make report   executes every notebook on corpus/ and renders HTML reports into reports/
#   make test     runs the test suite
# Both create the virtual environment .venv and install the package with its extras first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: report test bench clean

report: $(STAMP)
	$(BIN)/python -m discourse.report

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,reference,dev]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) reports build *.egg-info
