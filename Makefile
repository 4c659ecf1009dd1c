# Sanaly: `make run` to try it, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
CATALOGS := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test install lint translations-extract translations-update clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed $(COMPILED)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

run: install
	$(FLASK) db upgrade
	$(FLASK) courseware load
	$(FLASK) demo
	@echo "Sanaly is at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	PORT=$(PORT) WEB_CONCURRENCY=$${WEB_CONCURRENCY:-1} GUNICORN_THREADS=$${GUNICORN_THREADS:-8} \
		$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o app/translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
