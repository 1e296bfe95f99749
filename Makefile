# Set-up, run and test. Every target creates .venv/ and installs the locked versions into it when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: install run demo test unit lint bench bolt-latest lock docs clean

$(STAMP): pyproject.toml requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# Exactly the locked versions, checked against their hashes; then the project itself.
	$(PIP) install --require-hashes -r requirements-dev.txt
	$(PIP) install --no-deps -e .
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

demo: $(STAMP)
	$(BIN)/python -m bot demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The whole suite against one Redis (REDIS_URL), then the app's tests again against a Redis Cluster: the one
# REDIS_CLUSTER_URL names (.ci/run starts one), or a private 3-primary cluster the tests start themselves.
REDIS_CLUSTER_URL ?=

# Coverage of bot/ and scoring/ over both passes together: the second appends to the first, then reports and
# enforces the floor in pyproject.toml ([tool.coverage.report] fail_under).
test: lint
	REDIS_CLUSTER=0 $(BIN)/python -m pytest --cov --cov-report= --cov-fail-under=0
	REDIS_CLUSTER=1 REDIS_URL="$(REDIS_CLUSTER_URL)" $(BIN)/python -m pytest tests/integration --cov --cov-append --cov-report=term

# The pure tests only: seconds, and no redis-server needed.
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# The Bolt internals the app relies on (bot/server/bolt_seam.py) against the newest Bolt 1.x: a throwaway venv
# with the locked requirements, slack-bolt upgraded, then the seam's contract tests and an end-to-end subset.
# Passing here is what allows widening pyproject's bound on slack-bolt to that version.
BOLT_LATEST_VENV := .venv-bolt-latest
BOLT_LATEST_TESTS := tests/unit/server/test_bolt_seam.py tests/unit/server/test_requests.py \
	tests/unit/test_layout.py tests/integration/test_questionnaire_flow.py tests/integration/test_workspaces.py \
	tests/integration/test_worker_health.py tests/integration/test_enterprise_grid.py

bolt-latest:
	rm -rf $(BOLT_LATEST_VENV)
	$(PYTHON) -m venv $(BOLT_LATEST_VENV)
	$(BOLT_LATEST_VENV)/bin/python -m pip --quiet --disable-pip-version-check install --require-hashes -r requirements-dev.txt
	$(BOLT_LATEST_VENV)/bin/python -m pip --quiet --disable-pip-version-check install --no-deps -e .
	$(BOLT_LATEST_VENV)/bin/python -m pip --quiet --disable-pip-version-check install -U 'slack-bolt<2'
	$(BOLT_LATEST_VENV)/bin/python -c 'from importlib.metadata import version as v; print("Testing slack-bolt", v("slack-bolt"), "with slack-sdk", v("slack-sdk"))'
	$(BOLT_LATEST_VENV)/bin/python -m pytest -q $(BOLT_LATEST_TESTS)

bench: $(STAMP)
	$(BIN)/python -m bench.scoring
	$(BIN)/python -m bench.advice
	$(BIN)/python -m bench.http --users 1 20 100 --rounds 3 --baseline
	$(BIN)/python -m bench.mentions
	$(BIN)/python -m bench.forget

# Re-resolve the locked versions after changing dependencies in pyproject.toml.
lock:
	test -x $(VENV)/lock-tools/bin/pip-compile || ($(PYTHON) -m venv $(VENV)/lock-tools && $(VENV)/lock-tools/bin/python -m pip install --quiet pip-tools)
	$(VENV)/lock-tools/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url -o requirements.txt pyproject.toml
	$(VENV)/lock-tools/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --extra dev -o requirements-dev.txt pyproject.toml

# Rewrite the README's questionnaire reference from scoring/questionnaire.py.
docs: $(STAMP)
	$(BIN)/python -m scoring.reference README.md

clean:
	rm -rf $(VENV) $(BOLT_LATEST_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
