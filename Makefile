# fwbench: the two commands of the README, and a few helpers.
#   make report   set up .venv (if missing) and run the whole study: results/report.html, through
#                 `dvc repro` (its one stage runs `snakemake --cores all`), so that DVC records
#                 what the run produced (dvc.lock) and `dvc status` / `dvc push` work right after
#   make test     set up .venv (if missing) and run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
export PATH := $(abspath $(VENV))/bin:$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 1
export DVC_NO_ANALYTICS := 1

.PHONY: setup report test lint lock

setup: $(VENV)/.fwbench-installed

$(VENV)/.fwbench-installed: requirements-lock.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -r requirements-lock.txt
	$(PY) -m pip install --disable-pip-version-check --no-deps -e .
	@command -v quarto >/dev/null 2>&1 \
	  || timeout 300 $(PY) -m pip install --disable-pip-version-check -q quarto-cli >/dev/null 2>&1 \
	  || echo "notice: Quarto could not be installed here (quarto-cli downloads its binary at install time); the report will be rendered offline with jupytext + nbconvert."
	touch $@

report: setup
	dvc repro

test: setup
	$(PY) -m pytest

lint: setup
	ruff check . && ruff format --check src scripts tests && snakemake --lint && snakefmt --check Snakefile workflow/rules

# Re-freeze requirements-lock.txt from requirements.txt (torch without its local +cpu/+cu tag).
lock: setup
	$(PY) -m pip install -r requirements.txt
	{ head -n 2 requirements-lock.txt; $(PY) -m pip freeze --exclude-editable | sed -E 's/^(torch==[^+]+)\+.*/\1/'; } > requirements-lock.txt.new
	mv requirements-lock.txt.new requirements-lock.txt
