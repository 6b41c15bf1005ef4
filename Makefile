# The two commands of the README: `make demo` and `make test`. Each one sets up
# everything it needs (system packages where missing, .venv, the package) first.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test lint bench fleet clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $@

demo: setup
	$(PY) -m kiosk demo

test: setup
	$(VENV)/bin/ruff check kiosk tests benchmarks
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check kiosk tests benchmarks

bench: setup
	$(PY) benchmarks/verify.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

fleet: setup
	$(PY) -m kiosk simulate fleet
