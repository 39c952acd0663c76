# Two commands for a newcomer:  `make run`  and  `make test`  (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install chromium index serve lint typecheck fixtures bench-index fuzz bench-load soak clean screenshots bench-pages opensearch bench-opensearch bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## The browser tests' tools: axe-core from npm (tests/browser/package-lock.json) and Debian's
## Chromium (installed with apt-get when missing and we are root; else the tests say why they skip).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then cd tests/browser && npm ci --no-audit --no-fund --silent && touch node_modules/axe-core/axe.min.js; \
	else echo "warning: npm not found: the accessibility test will be skipped"; fi

chromium:
	@if [ -x /usr/bin/chromium ] || [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq chromium; \
	else echo "warning: no Chromium (apt-get install chromium): the browser tests will be skipped"; fi

install: $(STAMP) $(AXE) chromium

## Install, build the index from the committed fixtures, serve the API on the embedded engine.
run: install index serve

index: install
	$(VENV)/bin/therapist-search index --from fixtures/small

serve: install
	$(VENV)/bin/therapist-search serve --host $(HOST) --port $(PORT)

## The whole test suite (what CI runs).
test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy search_core indexer search_api cli fixtures localnode

## A local single-node OpenSearch (resolved from Maven Central; needs Java 17+ and Maven) on
## port 9200 until Ctrl-C: SEARCH_ENGINE=opensearch OPENSEARCH_URL=http://127.0.0.1:9200.
opensearch: install
	$(PY) -m localnode --port $(or $(OPENSEARCH_PORT),9200)

## Ours vs a local OpenSearch node on the 100k set (indexing, HTTP latency); docs/benchmarks.md.
bench-opensearch: install
	$(PY) -m benchmarks.opensearch

## Regenerate the committed small fixture set (deterministic).
fixtures: install
	$(PY) -m fixtures.generate --size small --gzip --out fixtures/small

## The whole benchmark report (100k and 1M, the PostgreSQL peer, wrk, profiles): docs/benchmarks.md.
## Installs the peer's client and py-spy (the bench extra) and, as root with apt-get, wrk.
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq wrk; \
	else echo "warning: no wrk (apt-get install wrk): the concurrency figures will be left out"; fi
	touch $(BENCH_STAMP)

bench: install $(BENCH_STAMP)
	$(PY) -m benchmarks.run

## Indexing benchmark at 100k and 1M therapists; writes docs/benchmarks.md.
bench-index: install
	$(PY) -m benchmarks.indexing

## Long schema-fuzzing run (20,000 generated requests); figures in docs/reliability.md.
fuzz: install
	$(PY) -m tests.reliability.fuzz --requests 20000

## Two loads, a rollback and 200 edits under traffic; and a 20,000-request memory soak
## (figures in docs/reliability.md).
bench-load: install
	$(PY) -m benchmarks.load

soak: install
	$(PY) -m benchmarks.soak

clean:
	rm -rf data build .pytest_cache .mypy_cache .ruff_cache

## Screenshots of the site's main pages (desktop and phone) into docs/screenshots/.
screenshots: install index
	$(PY) -m tests.browser.screenshots

## The site's home page with results at 100k: latency and weight; writes docs/benchmarks.md.
bench-pages: install
	$(PY) -m benchmarks.pages
