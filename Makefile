# The two entry points for a newcomer: `make demo` and `make test`.
# Everything else is a building block of those two.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never
# One target dir for the whole workspace; CI may point it at a cache outside the clone.
export CARGO_TARGET_DIR ?= $(CURDIR)/target
CLI := $(CARGO_TARGET_DIR)/debug/space-data-module

.PHONY: all build demo test deps conformance run-conformance bench fmt lint clean

all: build

build:
	$(CARGO) build --workspace --locked

## demo: validate and bundle the vector module; sign, encrypt, open; compile, protect and
## invoke the echo module from C. Prints every step.
demo: deps build
	bash scripts/demo.sh "$(CLI)"

## test: install what the tests need (idempotent), then run every test.
## `cargo test` also builds the CLI binary the conformance runs use; a separate `cargo build`
## would resolve features without dev-dependencies and compile wasmtime a second time.
test: deps
	$(CARGO) test --workspace --locked --no-fail-fast
	$(MAKE) --no-print-directory run-conformance
	@echo "== the demo, as a smoke test of every verb it uses"
	bash scripts/demo.sh "$(CLI)" > "$(CARGO_TARGET_DIR)/demo.log" 2>&1 || { cat "$(CARGO_TARGET_DIR)/demo.log"; exit 1; }
	@echo "demo: ok (log in $(CARGO_TARGET_DIR)/demo.log)"

## deps: tools the tests need; each step is skipped when already present.
deps:
	bash scripts/install-deps.sh

## conformance: the CLI over every public vector directory.
conformance: build run-conformance

run-conformance:
	$(CLI) conformance vectors/differential
	$(CLI) conformance vectors/publication
	$(CLI) conformance vectors/invoke
	$(CLI) conformance vectors/manifests

bench:
	$(CARGO) bench -p space-data-module --locked

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

clean:
	$(CARGO) clean
