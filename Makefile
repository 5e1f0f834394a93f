# Tachawor: the two commands a new machine needs are `make run` and `make test`.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= auto
# The tests' NATS: its own port, with the accounts and permissions of libs/testkit/nats/test.conf
# (scripts/test-services.sh starts it); the tests connect as its admin. Override to use another.
export TACHAWOR_TEST_NATS_URL ?= nats://127.0.0.1:4322
export TACHAWOR_TEST_NATS_USER ?= admin
export TACHAWOR_TEST_NATS_PASSWORD ?= admin-test
# The tests' S3 API server (moto, started by scripts/test-services.sh): documents on PostgreSQL.
export TACHAWOR_TEST_S3_URL ?= http://127.0.0.1:4323

.PHONY: run test faults faults-short faults-build browser-deps build check fmt lint clippy proto-lint services bench clean-data deploy-check deploy-generate migrations migrations-check

## Build and start the all-in-one on embedded SQLite (data in ./data).
run:
	$(CARGO) run --release -p tachawor-all-in-one --bin tachawor

## Run every test, on PostgreSQL + NATS and on SQLite + the in-process bus, and the portal in
## a real browser. Starts PostgreSQL and NATS first when they are not running, and installs
## what is missing (Debian's postgresql, nats-server, chromium; the browser tests' npm packages).
test: services browser-deps
	$(CARGO) test --workspace --lib --bins --tests --no-fail-fast
	$(CARGO) test --workspace --doc

## The fault harness, not part of `make test` (docs/faults.md): its own PostgreSQL, a three-node
## NATS cluster and every service as processes (two replicas of consultation, training and
## reporting), faults one at a time under load, then a check that nothing acknowledged was lost
## or doubled. FAULTS_SECONDS (300) sets how long the faults phase lasts.
## One build for the services and the harness, so both see the same features of the libraries.
faults: faults-build
	$${CARGO_TARGET_DIR:-target}/debug/tachawor-faults

## The fault harness's short form, run by CI: one fault of each kind, held for less time, a
## smaller load (about three minutes in all).
faults-short: faults-build
	$${CARGO_TARGET_DIR:-target}/debug/tachawor-faults --short

faults-build:
	$(CARGO) build -p tachawor-identity -p tachawor-consultation -p tachawor-training -p tachawor-reporting -p tachawor-notification -p tachawor-portal -p tachawor-faults --bins

## Find or start PostgreSQL and NATS for the tests.
services:
	@scripts/test-services.sh

## Chromium, fonts and the npm packages the browser tests drive.
browser-deps:
	@scripts/browser-deps.sh

build:
	$(CARGO) build --workspace --all-targets

check: fmt-check clippy migrations-check

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Write each service's SQLite migrations from its PostgreSQL ones and migrations/sqlite.map.
migrations:
	python3 scripts/migrations.py

## Fail when a service's SQLite migrations are not what `make migrations` writes.
migrations-check:
	python3 scripts/migrations.py --check

## Lint the protobuf contract with buf (STANDARD rules); installs buf from PyPI if missing.
proto-lint:
	@scripts/buf.sh lint

## Render every Kubernetes overlay, validate it against the Kubernetes schemas, scan it with
## checkov, and check that the dashboards query only metrics the services emit.
## Installs kubernetes-validate and checkov from PyPI into target/tools when missing.
deploy-check:
	@scripts/deploy-check.sh

## Write the manifests generated from deploy/services.toml, and the list of emitted metrics.
deploy-generate:
	python3 deploy/generate.py
	python3 deploy/observability/check_metrics.py --write

## Every benchmark, each figure beside a baseline measured in the same run: training's Register
## against pgbench, start-up and idle memory, web pages, a burst of password work, events from a
## write to reporting and after a crash. Prints the table and writes docs/benchmarks.md;
## BENCH_ONLY="events" runs only the benches named.
bench: services
	@scripts/bench.sh

clean-data:
	rm -rf data
