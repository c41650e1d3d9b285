# The task runner for humans. `make run` and `make test` are the two commands of the README.
PYTHON ?= python3
VENV := .venv
BUILDOUT := $(VENV)/bin/buildout
# The build re-runs only when one of its inputs changes; otherwise it costs nothing.
BUILD_STAMP := bin/.built
BUILD_INPUTS := buildout.cfg setup.py
# Eggs are shared by this user's checkouts, as pip's and npm's caches are (buildout's own
# practice for several buildouts): each egg is one pinned version, never changed once
# made, so a clean clone links the ones already there instead of fetching 109 of them
# one by one from PyPI (175 s here).
EGGS_DIRECTORY ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rms-buildout/eggs
# The front end, in three steps that each re-run only when their inputs change: npm
# installs the tools, Bower the browser libraries, Grunt builds static/dist/. The
# directories are inputs too, so adding or deleting a source file also rebuilds.
NODE_BIN := node_modules/.bin
NPM_STAMP := node_modules/.installed
BOWER_STAMP := bower_components/.installed
FRONTEND_STAMP := static/dist/.built
FRONTEND_INPUTS := Gruntfile.js $(shell find static/scss static/js 2>/dev/null)

.PHONY: build frontend messages catalogue run worker test lint format clean

build: $(BUILD_STAMP) frontend messages

frontend: $(FRONTEND_STAMP)

$(BUILDOUT):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check zc.buildout==6.0.1

$(BUILD_STAMP): $(BUILDOUT) $(BUILD_INPUTS)
	$(BUILDOUT) -N buildout:eggs-directory=$(EGGS_DIRECTORY)
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(BOWER_STAMP): $(NPM_STAMP) bower.json .bowerrc
	$(NODE_BIN)/bower install --allow-root --config.interactive=false
	touch $@

$(FRONTEND_STAMP): $(BOWER_STAMP) $(FRONTEND_INPUTS)
	$(NODE_BIN)/grunt build
	touch $@

# The compiled catalogues (.mo) are built from the committed .po files, never committed;
# gettext's msgfmt (Debian: apt-get install gettext) checks the format strings as well.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
messages: $(PO_FILES:.po=.mo)

%.mo: %.po
	@command -v msgfmt >/dev/null || (echo "make: msgfmt is missing: apt-get install gettext" && exit 1)
	msgfmt --check -o $@ $<

# The catalogue pass (docs/translations.md): the Polish .po files brought up to date with
# every string the code marks now; new ones come out empty or fuzzy, to be translated.
# tests/rms/test_translations.py reads the same sources (the apps, templates, static/js).
MAKEMESSAGES := DEBUG=1 bin/django makemessages --locale pl --no-obsolete \
	--ignore node_modules --ignore bower_components --ignore eggs --ignore develop-eggs \
	--ignore parts --ignore bin --ignore var --ignore reports --ignore static/dist \
	--ignore tests --ignore bench --ignore deploy --ignore docs --ignore fabfile.py
catalogue: $(BUILD_STAMP)
	$(MAKEMESSAGES) --domain django
	$(MAKEMESSAGES) --domain djangojs
	msgfmt --statistics -o /dev/null locale/pl/LC_MESSAGES/django.po
	msgfmt --statistics -o /dev/null locale/pl/LC_MESSAGES/djangojs.po

run: build
	mkdir -p $${RMS_VAR_DIR:-var}
	DEBUG=$${DEBUG:-1} bin/django migrate --no-input
	DEBUG=$${DEBUG:-1} bin/django seed_demo
	DEBUG=$${DEBUG:-1} bin/django seed_careers_demo
	DEBUG=$${DEBUG:-1} bin/django runserver 127.0.0.1:$${PORT:-8000}

# The queue's worker and beat, for a laptop with CELERY_BROKER_URL set (see README).
worker: build
	test -n "$$CELERY_BROKER_URL" || (echo "make worker: set CELERY_BROKER_URL (redis://...)" && exit 1)
	DEBUG=$${DEBUG:-1} bin/celery -A rms worker --beat --loglevel INFO

# Two pytest processes side by side: the deploy end-to-end tests (tests/deploy) spend
# most of their time waiting on real deploys, so the rest of the suite runs meanwhile.
# The deploy run uses its own Redis database (the queue tests flush theirs), its own
# PostgreSQL test database and its own report; its output follows the rest's. Either
# failing fails `make test`.
DEPLOY_TEST_REDIS_URL ?= redis://127.0.0.1:6379/12

test: build
	@mkdir -p reports
	@RMS_TEST_REDIS_URL=$(DEPLOY_TEST_REDIS_URL) RMS_TEST_DATABASE_SUFFIX=_deploy \
		bin/pytest tests/deploy --no-cov \
		--junitxml=reports/junit-deploy.xml > reports/deploy-tests.log 2>&1 & deploy=$$!; \
	bin/pytest --ignore=tests/deploy; rest=$$?; \
	wait $$deploy; deployed=$$?; \
	echo; echo "=== tests/deploy (run beside the rest; reports/deploy-tests.log)"; \
	cat reports/deploy-tests.log; \
	test $$rest -eq 0 && test $$deployed -eq 0

lint: build
	bin/ruff check .
	bin/ruff format --check .

format: build
	bin/ruff format .
	bin/ruff check --fix .

clean:
	rm -rf $(VENV) bin develop-eggs eggs parts .installed.cfg reports
	rm -rf node_modules bower_components static/dist
	rm -f locale/*/LC_MESSAGES/*.mo
