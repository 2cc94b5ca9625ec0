# fwbench: the two commands of the README, and a few helpers.
#   make report   set up .venv (if missing) and run the whole study: results/report.html, through
#                 `dvc repro` (its one stage runs `snakemake --cores all`), so that DVC records
#                 what the run produced (dvc.lock) and `dvc status` / `dvc push` work right after
#   make test     set up .venv (if missing) and run the test suite
VENV ?= .venv
# The environment variant (requirements/<VARIANT>.lock.txt): cpu on a CPU box, gpu on a CUDA box.
VARIANT ?= cpu
LOCK := requirements/$(VARIANT).lock.txt
# PyTorch's CPU build (torch==2.13.0+cpu) is on PyTorch's own index, not on PyPI: the CPU variant's
# one torch line comes from there (or from a wheel folder pip already knows, as on the reference machine).
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check
export PATH := $(abspath $(VENV))/bin:$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 1
export DVC_NO_ANALYTICS := 1

.PHONY: setup report test quick lint lock

setup: $(VENV)/.fwbench-installed-$(VARIANT)

$(VENV)/.fwbench-installed-$(VARIANT): $(LOCK) requirements/dev.lock.txt pyproject.toml
	@test -f $(LOCK) || { echo "VARIANT=$(VARIANT): no $(LOCK); use VARIANT=cpu or VARIANT=gpu"; exit 2; }
	python3 -m venv $(VENV)
	$(if $(filter cpu,$(VARIANT)),$(PIP) --no-deps --extra-index-url $(TORCH_CPU_INDEX) "$$(grep '^torch==' $(LOCK))")
	$(PIP) -r $(LOCK) -r requirements/dev.lock.txt
	$(PIP) --no-deps -e .
	@command -v quarto >/dev/null 2>&1 \
	  || timeout 300 $(PIP) -q quarto-cli >/dev/null 2>&1 \
	  || echo "notice: Quarto could not be installed here (quarto-cli downloads its binary at install time); the report will be rendered offline with jupytext + nbconvert."
	touch $@

report: setup
	dvc repro

# Two (or more, up to four, with more cores) pytest-xdist workers: the whole-DAG run on one while the
# other takes the remaining tests; tests/conftest.py groups them (one work unit per module).
TEST_WORKERS ?= -n auto --maxprocesses 4 --dist loadscope --no-loadscope-reorder

test: setup
	$(PY) -m pytest $(TEST_WORKERS)

# The contributor's loop: unit and study tests, no end-to-end Snakemake runs.
quick: setup
	$(PY) -m pytest $(TEST_WORKERS) tests/unit tests/studies

lint: setup
	ruff check . && ruff format --check src scripts tests && snakemake --lint && snakefmt --check Snakefile workflow/rules

# Re-resolve requirements/*.lock.txt from pyproject.toml with uv (keeping the versions they hold; add
# ARGS=--upgrade for the newest) and rewrite workflow/envs/ from them. Where PyTorch's index is out
# of reach: make lock ARGS="--torch-cpu-source '--find-links /path/to/wheels'".
lock: setup
	$(PY) -m fwbench.core.environments lock $(ARGS)
