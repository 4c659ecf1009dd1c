# Sanaly: `make run` to try it, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
CATALOGS := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test install lint lock translations-extract translations-update clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Everything comes from requirements.lock, pinned and checked against its hashes (docs/security.md);
# Sanaly itself is then installed without fetching anything, built by the setuptools the lock pinned.
$(VENV)/.installed: $(BIN)/activate requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed $(COMPILED)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# Links in certificates and e-mails point at the address being served, unless BASE_URL says otherwise.
run: export BASE_URL ?= http://127.0.0.1:$(PORT)
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
	$(BIN)/bandit -c pyproject.toml -r . --quiet

# Rerun after any change to the dependencies in pyproject.toml. It keeps the pins it can; to move every pin to
# the newest allowed version: make lock LOCK_ARGS=--upgrade. The build backend (pyproject's [build-system])
# is pinned too, so the editable install needs no unpinned download.
BUILD_REQUIRES := setuptools>=68
lock: $(VENV)/.installed
	echo '$(BUILD_REQUIRES)' | $(BIN)/uv pip compile pyproject.toml - --extra test --extra bench --universal \
		--python-version 3.11 --generate-hashes --custom-compile-command 'make lock' --quiet \
		$(LOCK_ARGS) -o requirements.lock

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o app/translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
