# The two entry points for a newcomer: `make demo` and `make test`.
# Everything else is a building block of those two.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never
# One target dir for the whole workspace; CI may point it at a cache outside the clone.
export CARGO_TARGET_DIR ?= $(CURDIR)/target
CLI := $(CARGO_TARGET_DIR)/debug/space-data-module

.PHONY: all build demo test deps test-rust test-cli conformance bench fmt lint clean

all: build

build:
	$(CARGO) build --workspace --locked

## demo: build a module bundle, inspect it and print what happened.
demo: build
	bash scripts/demo.sh "$(CLI)"

## test: install what the tests need (idempotent), then run every test.
test: deps build
	$(CARGO) test --workspace --locked --no-fail-fast
	$(MAKE) --no-print-directory conformance

## deps: tools the tests need; each step is skipped when already present.
deps:
	bash scripts/install-deps.sh

## conformance: the CLI over every public vector directory.
conformance: build
	$(CLI) conformance vectors/differential
	$(CLI) conformance vectors/publication

bench:
	$(CARGO) bench -p space-data-module --locked

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

clean:
	$(CARGO) clean
