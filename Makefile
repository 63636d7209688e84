# The two commands that matter: `make run` and `make test` (see README.md).
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
WITH_SERVICES := $(PY) scripts/with_services.py --

.PHONY: run test lint bench
.DEFAULT_GOAL := run

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3.11 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: $(VENV)/.installed
	DEBUG=$${DEBUG:-true} $(WITH_SERVICES) sh scripts/run.sh

test: $(VENV)/.installed
	$(WITH_SERVICES) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	ruff check .
	ruff format --check .

# Seeds (or reuses) clinic_bench_01 and clinic_bench_1 on BENCH_POSTGRES
# (default postgres://postgres@127.0.0.1:5432), needs Debian's wrk; see
# docs/performance.md, "make bench". Not part of `make test`.
bench: $(VENV)/.installed
	$(PY) scripts/bench_run.py $(BENCH_ARGS)
