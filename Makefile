# Tachawor: the two commands a new machine needs are `make run` and `make test`.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= auto

.PHONY: run test build check fmt lint clippy proto-lint services bench clean-data

## Build and start the all-in-one on embedded SQLite (data in ./data).
run:
	$(CARGO) run --release -p tachawor-all-in-one --bin tachawor

## Run every test, on PostgreSQL + NATS and on SQLite + the in-process bus.
## Starts PostgreSQL and NATS first when they are not running (installing them if needed).
test: services
	$(CARGO) test --workspace --all-targets --no-fail-fast

## Find or start PostgreSQL and NATS for the tests.
services:
	@scripts/test-services.sh

build:
	$(CARGO) build --workspace --all-targets

check: fmt-check clippy

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Lint the protobuf contract with buf (STANDARD rules); installs buf from PyPI if missing.
proto-lint:
	@scripts/buf.sh lint

clean-data:
	rm -rf data
