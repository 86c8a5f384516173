# MPP: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: install run serve test test-fast lint format migrate demo messages bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput -v 0
	exec bin/serve

serve:
	exec bin/serve

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	cd mpp && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete -e html,txt,py && ../$(BIN)/python ../manage.py compilemessages

bench: install
	$(BIN)/python bench/catalog_bench.py
	$(BIN)/python bench/application_bench.py
	$(BIN)/python bench/webhook_bench.py
	$(BIN)/python bench/agency_api_bench.py
	$(BIN)/python bench/booking_surge.py

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
