# Filière — every set-up step lives here so that a fresh machine needs only `make demo` / `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
APT_PACKAGES := chromium gettext clamav-daemon

.PHONY: install demo serve test test-engine test-fast lint format bench messages check-messages check-deploy restore-drill system-deps clean

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements/constraints.txt -e ".[dev,embeddings]"
	touch $(STAMP)

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the test suite uses (a real Chromium for browser tests, gettext for messages).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi; fi

install: $(STAMP) node_modules/.installed-stamp

# DEBUG is off unless DJANGO_DEBUG=1: the demo and the development server turn it on.
demo: export DJANGO_DEBUG = 1
demo: install
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) demo
	$(MANAGE) runserver 127.0.0.1:8000

serve: export DJANGO_DEBUG = 1
serve: install
	$(MANAGE) runserver 127.0.0.1:8000

test: install system-deps
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadfile

test-engine: install
	$(BIN)/pytest tests/engine -p no:django -p no:cacheprovider -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src/filiere

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python -m bench

# Backups (deploy/backup/): base backup, WAL archive and files restored into a fresh PostgreSQL
# cluster to just before a mistaken bulk action, proven identical by checksums (docs/deploy/backups.md).
restore-drill: install
	$(BIN)/python -m bench restore_drill

messages: install
	cd src/filiere && ../../$(BIN)/django-admin makemessages -l fr -l en -l nl --no-obsolete --settings=filiere.settings --pythonpath=..
	cd src/filiere && ../../$(BIN)/django-admin compilemessages --settings=filiere.settings --pythonpath=..

check-messages: install
	$(BIN)/python -m filiere.ui.check_messages

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=ci-only-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	  DJANGO_ALLOWED_HOSTS=filiere.example.org $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles var
