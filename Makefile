# The two entry points for a newcomer: `make demo` and `make test`.
# Everything else is a building block of those two.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never
# One target dir for the whole workspace; CI may point it at a cache outside the clone.
export CARGO_TARGET_DIR ?= $(CURDIR)/target
CLI := $(CARGO_TARGET_DIR)/debug/space-data-module

.PHONY: all build build-tests demo test deps conformance run-conformance bench fmt lint clean header header-check codes test-c run-test-c test-go run-test-go install run-test-pkgconfig check-layers test-layers fuzz fuzz-seed runtime-matrix stress test-bench-table

all: build

build:
	$(CARGO) build --workspace --locked

# Test builds turn on the C ABI's test hooks (sdm_debug_force_panic). The feature belongs to
# ffi-c alone: the core's features, and so the core and wasmtime builds, stay the same.
TEST_FEATURES := --features space-data-module-ffi/test-hooks

## build-tests: what `make test` builds (the CLI, the test binaries, the cdylib with the test
## hooks), for running one of the run-test-* steps on its own.
build-tests:
	$(CARGO) test --workspace --locked --no-run $(TEST_FEATURES)

## demo: validate and bundle the vector module; sign, encrypt, open; compile, protect and
## invoke the echo module from C. Prints every step.
demo: deps build
	bash scripts/demo.sh "$(CLI)"

## test: install what the tests need (idempotent), then run every test. Each step's time is
## printed and summed up at the end (scripts/timed.sh), so a CI log shows where the time goes.
## `cargo test` also builds the CLI binary the conformance runs use; a separate `cargo build`
## would resolve features without dev-dependencies and compile wasmtime a second time.
T := bash scripts/timed.sh
test:
	@bash scripts/timed.sh --reset
	$(T) deps $(MAKE) --no-print-directory deps
	$(T) lint $(MAKE) --no-print-directory lint
	$(T) bench-table $(MAKE) --no-print-directory test-bench-table
	$(T) cargo-test $(CARGO) test --workspace --locked --no-fail-fast $(TEST_FEATURES)
	$(T) check-layers $(MAKE) --no-print-directory check-layers
	$(T) conformance $(MAKE) --no-print-directory run-conformance
	@echo "== the demo, as a smoke test of every verb it uses"
	$(T) demo sh -c 'bash scripts/demo.sh "$(CLI)" > "$(CARGO_TARGET_DIR)/demo.log" 2>&1 || { cat "$(CARGO_TARGET_DIR)/demo.log"; exit 1; }'
	@echo "demo: ok (log in $(CARGO_TARGET_DIR)/demo.log)"
	$(T) header-check $(MAKE) --no-print-directory header-check
	$(T) c $(MAKE) --no-print-directory run-test-c
	$(T) go $(MAKE) --no-print-directory run-test-go
	$(T) pkgconfig $(MAKE) --no-print-directory run-test-pkgconfig
	$(T) csharp $(MAKE) --no-print-directory run-test-csharp
	$(T) python $(MAKE) --no-print-directory run-test-python
	$(T) java $(MAKE) --no-print-directory run-test-java
	$(T) kotlin $(MAKE) --no-print-directory run-test-kotlin
	$(T) swift $(MAKE) --no-print-directory run-test-swift
	$(T) lab $(MAKE) --no-print-directory run-test-lab
	@bash scripts/timed.sh --summary

## test-lab: the browser lab in a real browser (cli/tests/lab-browser): installs Debian's
## chromium when /usr/bin/chromium is missing and playwright-core (pinned by its
## package-lock.json) into $(LAB_OUT)/node, starts `space-data-module lab --port 0`, uploads the
## vector module and manifest, runs the publication demo, checks what the page shows and saves
## $(LAB_OUT)/lab.png. Prints "skipped: <why>" when chromium or node cannot be had.
## The API tests are `cargo test -p space-data-module-cli --test lab` (part of cargo-test).
LAB_OUT := $(CARGO_TARGET_DIR)/lab-test
.PHONY: test-lab run-test-lab
test-lab: build-tests run-test-lab

run-test-lab:
	bash cli/tests/lab-browser/run.sh "$(CLI)" "$(LAB_OUT)"

## deps: tools the tests need; each step is skipped when already present.
deps:
	bash scripts/install-deps.sh

## check-layers: the core's `format` and `runtime` layers build alone (clippy, -D warnings) and
## their dependency trees carry no crate of a layer above (format: no wasmtime, SQLite, TLS,
## HTTP, WebSocket, MQTT; runtime: no SQLite, TLS, HTTP, WebSocket, MQTT). docs/layers.md.
check-layers:
	CARGO="$(CARGO)" bash scripts/check-layers.sh

## test-layers: the core's tests with only the `format`, then only the `runtime` layer built
## (integration tests declare the layer they need in core/Cargo.toml). Not part of `make test`.
test-layers:
	$(CARGO) test -p space-data-module --locked --no-default-features --features format
	$(CARGO) test -p space-data-module --locked --no-default-features --features runtime

## conformance: the CLI over every public vector directory.
conformance: build run-conformance

run-conformance:
	$(CLI) conformance vectors/differential
	$(CLI) conformance vectors/publication
	$(CLI) conformance vectors/invoke
	$(CLI) conformance vectors/manifests

## header: regenerate include/space_data_module.h from ffi-c/ (pinned cbindgen, see install-deps).
CBINDGEN_BIN ?= $(or $(shell command -v cbindgen 2>/dev/null),$(HOME)/.cargo/bin/cbindgen)
CBINDGEN := $(CBINDGEN_BIN) --quiet --config ffi-c/cbindgen.toml --crate space-data-module-ffi
header:
	$(CBINDGEN) --output include/space_data_module.h

## codes: regenerate everything that lists the error codes, from the one source
## (space_data_module::ErrorCode::ALL): ffi-c/src/codes.rs, the UniFFI ErrorCode enum
## (bindings/uniffi/src/error_codes.rs) and the Java enum (bindings/java/.../ErrorCode.java), then the header, then the Go and C# tables, which are
## read from the header's SDM_ERR_* constants. The `codes` tests of space-data-module-ffi and
## space-data-module-uniffi, `make header-check`, and the Go and C# tests fail until this was
## run after a code was added.
# One `cargo test --workspace` (features as `make test` resolves them, so nothing is rebuilt for
# another feature set): the `codes` tests of ffi-c and UniFFI, and the Java table's lib test.
# The first run writes the tables (its tests of the tables already compiled may fail: they
# were built from the old ones); the second builds from the new tables and checks them.
codes:
	-SDM_REGENERATE_CODES=1 SDM_WRITE_JAVA_CODES=1 $(CARGO) test --workspace --locked --no-fail-fast $(TEST_FEATURES) --lib --test codes > $(CARGO_TARGET_DIR)/codes-regenerate.log 2>&1
	$(CARGO) test --workspace --locked --no-fail-fast $(TEST_FEATURES) --lib --test codes
	$(MAKE) --no-print-directory header
	cd bindings/go && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local $(or $(GO_BIN),go) run ./internal/gencodes \
	  -header ../../include/space_data_module.h -out codes.go
	bash bindings/csharp/gen-error-codes.sh include/space_data_module.h bindings/csharp/src/ErrorCodes.g.cs

## header-check: fail when the checked-in header differs from a fresh generation.
header-check:
	@tmp=$$(mktemp) && $(CBINDGEN) --output $$tmp; \
	if diff -u include/space_data_module.h $$tmp; then rm -f $$tmp; echo "header-check: include/space_data_module.h is up to date"; \
	else rm -f $$tmp; echo "header-check: include/space_data_module.h is stale; run 'make header'" >&2; exit 1; fi

## test-c: the C example and C ABI tests (gcc), under valgrind when it is installed. They are
## built with -DSDM_TEST_HOOKS (abi_negative and threads force a panic) against the library of
## `make test` / `make build-tests`, which has the test hooks.
C_BUILD := $(CARGO_TARGET_DIR)/c-examples
# `cargo test` leaves the cdylib in deps/ (only `cargo build` copies it up a level); deps/ has
# it either way, so the C programs link against the copy `make test` just built.
FFI_LIB_DIR := $(CARGO_TARGET_DIR)/debug/deps
C_FLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g -Iinclude
C_TEST_FLAGS := $(C_FLAGS) -DSDM_TEST_HOOKS
C_LIBS := -L$(FFI_LIB_DIR) -lspace_data_module_ffi -Wl,-rpath,$(FFI_LIB_DIR) -lpthread
VALGRIND := $(shell command -v valgrind 2>/dev/null)
# Leak kinds: the detached epoch-ticker thread of a just-dropped core Runtime may still be
# alive at exit; its thread stack shows as "possibly lost", so only definite/indirect fail.
VALGRIND_FLAGS := --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 -q
C_RUN := $(if $(VALGRIND),$(VALGRIND) $(VALGRIND_FLAGS),)
VECTOR_MODULE := vectors/single-file-bundle/single-file-module.wasm
# The plain WASI program the `run` tests use (sdm_module_run, Module.Run): the runtime matrix's
# fixture, built with clang for wasm32-wasi directly (its own `main`, so not through `compile`).
PROGRAM_SOURCE := runtime-matrix/fixtures/wasi-program/main.c
WASI_SYSROOT ?= $(if $(wildcard /usr/include/wasm32-wasi/stdlib.h),/usr,/usr/share/wasi-sysroot)
WASI_CC = $(or $(SDM_CLANG),clang) --target=wasm32-wasi --sysroot=$(or $(SDM_WASI_SYSROOT),$(WASI_SYSROOT)) -O2
test-c: build-tests run-test-c

run-test-c:
	@mkdir -p $(C_BUILD)
	$(CLI) compile --manifest examples/invoke-echo/manifest.direct.json \
	  --source examples/invoke-echo/module.c -o $(C_BUILD)/echo-direct.wasm
	$(CLI) compile --manifest examples/host-proxy/manifest.json --source examples/host-proxy/module.c \
	  --allow-undefined-imports -o $(C_BUILD)/host-proxy.wasm
	$(WASI_CC) $(PROGRAM_SOURCE) -o $(C_BUILD)/wasi-program.wasm
	for program in $(C_PROGRAMS); do \
	  gcc $(C_TEST_FLAGS) examples/c/$$program.c -o $(C_BUILD)/$$program $(C_LIBS) || exit 1; \
	done
	gcc $(C_TEST_FLAGS) -fsanitize=leak examples/c/leak_cycles.c -o $(C_BUILD)/leak_cycles-lsan $(C_LIBS)
	@$(if $(VALGRIND),,echo "test-c: valgrind not found; running without it")
	@# Valgrind runs one thread at a time: the programs run side by side, one per core, longest
	@# first; -O keeps each program's output together.
	$(MAKE) --no-print-directory -j$(C_JOBS) -O $(C_PROGRAMS:%=c-run-%)

C_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
C_PROGRAMS := leak_cycles threads host example abi_negative program
.PHONY: $(C_PROGRAMS:%=c-run-%)
c-run-example:
	$(T) c:example $(C_RUN) $(C_BUILD)/example $(VECTOR_MODULE) vectors/single-file-bundle/manifest.json $(C_BUILD)/echo-direct.wasm
c-run-abi_negative:
	RUST_BACKTRACE=0 $(T) c:abi_negative $(C_RUN) $(C_BUILD)/abi_negative
# 1,000 cycles of every handle under LeakSanitizer (no per-call cost), then a few under valgrind
# for invalid reads and writes; the canary (one sdm_bytes not freed) must make LSan fail.
LEAK_CYCLES_VALGRIND ?= 20
c-run-leak_cycles:
	$(T) c:leak_cycles-lsan $(C_BUILD)/leak_cycles-lsan $(VECTOR_MODULE) 1000
	@if SDM_LEAK_CANARY=1 LSAN_OPTIONS=exitcode=23 $(C_BUILD)/leak_cycles-lsan $(VECTOR_MODULE) 2 > $(C_BUILD)/leak-canary.log 2>&1; then \
	  echo "c-run-leak_cycles: the deliberate leak was not reported; LeakSanitizer is not working" >&2; exit 1; \
	elif grep -q "LeakSanitizer: detected memory leaks" $(C_BUILD)/leak-canary.log; then \
	  echo "leak canary: LeakSanitizer reported the deliberate leak: ok"; \
	else cat $(C_BUILD)/leak-canary.log >&2; echo "c-run-leak_cycles: the canary run failed without a leak report" >&2; exit 1; fi
	$(T) c:leak_cycles $(C_RUN) $(C_BUILD)/leak_cycles $(VECTOR_MODULE) $(if $(VALGRIND),$(LEAK_CYCLES_VALGRIND),1000)
c-run-threads:
	RUST_BACKTRACE=0 $(T) c:threads $(C_RUN) $(C_BUILD)/threads $(C_BUILD)/echo-direct.wasm $(VECTOR_MODULE)
c-run-host:
	rm -rf $(C_BUILD)/host-root && mkdir -p $(C_BUILD)/host-root
	RUST_BACKTRACE=0 $(T) c:host $(C_RUN) $(C_BUILD)/host $(C_BUILD)/host-proxy.wasm $(C_BUILD)/host-root
c-run-program:
	rm -rf $(C_BUILD)/program-data && mkdir -p $(C_BUILD)/program-data
	$(T) c:program $(C_RUN) $(C_BUILD)/program $(C_BUILD)/wasi-program.wasm $(C_BUILD)/echo-direct.wasm $(C_BUILD)/program-data

## install: the header, libspace_data_module_ffi.so/.a and space_data_module.pc under
## $(DESTDIR)$(PREFIX) (include/, lib/, lib/pkgconfig/). The libraries come from
## INSTALL_LIB_DIR (default: the release build; `make install INSTALL_LIB_DIR=...` for another).
## INSTALL_STATIC=no leaves out the static library (a staging copy for a shared-only link).
PREFIX ?= /usr/local
INSTALL_LIB_DIR ?= $(CARGO_TARGET_DIR)/release
INSTALL_STATIC ?= yes
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
install:
	@test -f $(INSTALL_LIB_DIR)/libspace_data_module_ffi.so || { echo "install: no library in $(INSTALL_LIB_DIR); run 'cargo build --release -p space-data-module-ffi' or set INSTALL_LIB_DIR" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/space_data_module.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(INSTALL_LIB_DIR)/libspace_data_module_ffi.so $(DESTDIR)$(PREFIX)/lib/
	$(if $(filter no,$(INSTALL_STATIC)),,install -m 644 $(INSTALL_LIB_DIR)/libspace_data_module_ffi.a $(DESTDIR)$(PREFIX)/lib/)
	sed -e '/^#/d' -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' ffi-c/space_data_module.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/space_data_module.pc

## run-test-pkgconfig: `make install` into a scratch DESTDIR (the debug libraries `cargo test`
## built), then build example.c with nothing but `pkg-config --cflags --libs` and run it.
PKG_DESTDIR := $(CARGO_TARGET_DIR)/pkgconfig-test
PKG_PREFIX := /opt/space-data-module
run-test-pkgconfig:
	rm -rf $(PKG_DESTDIR) && mkdir -p $(C_BUILD)
	$(MAKE) --no-print-directory install DESTDIR=$(PKG_DESTDIR) PREFIX=$(PKG_PREFIX) INSTALL_LIB_DIR=$(FFI_LIB_DIR)
	@# The .pc names the final prefix; a DESTDIR staging copy needs it redirected (pkg-config's sysroot).
	PKG_CONFIG_PATH=$(PKG_DESTDIR)$(PKG_PREFIX)/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$(PKG_DESTDIR) \
	  sh -c 'gcc $(filter-out -Iinclude,$(C_FLAGS)) examples/c/example.c -o $(C_BUILD)/example-pkgconfig \
	    $$(pkg-config --cflags --libs space_data_module) -Wl,-rpath,$(PKG_DESTDIR)$(PKG_PREFIX)/lib -lpthread'
	@# It must run against the installed copy, not the build tree's.
	ldd $(C_BUILD)/example-pkgconfig | grep -q '$(PKG_DESTDIR)$(PKG_PREFIX)/lib/libspace_data_module_ffi.so'
	$(C_BUILD)/example-pkgconfig $(VECTOR_MODULE) vectors/single-file-bundle/manifest.json $(C_BUILD)/echo-direct.wasm > $(C_BUILD)/example-pkgconfig.log
	@# The staged debug libraries are about 1 GiB; nothing else needs them.
	rm -rf $(PKG_DESTDIR)
	@echo "run-test-pkgconfig: example.c built with pkg-config against $(PKG_DESTDIR)$(PKG_PREFIX): ok"

## test-go: the Go binding (bindings/go, cgo) as a user builds it: against a `make install`
## staged under the target dir (the cdylib of $(FFI_LIB_DIR), with the test hooks), found by
## its `#cgo pkg-config: space_data_module` line through PKG_CONFIG_PATH; no CGO_LDFLAGS.
## The echo module is compiled by the CLI in direct and command form, plus the host-proxy
## guest. Offline: no module download, no toolchain download; Go's caches live under the
## target dir. The tag sdm_test_hooks compiles the binding's DebugForcePanic. Skipped when go
## is absent.
GO_BIN ?= $(shell command -v go 2>/dev/null)
GO_BUILD := $(CARGO_TARGET_DIR)/go
GO_DESTDIR := $(GO_BUILD)/install
# Go's build cache does not hash headers outside the package, so a changed header would
# reuse stale cgo output: its hash in CGO_CFLAGS is part of every cache key.
GO_HEADER_HASH = $(firstword $(shell sha256sum include/space_data_module.h))
GO_ENV = CGO_ENABLED=1 CGO_CFLAGS="-g -O2 -DSDM_HEADER_SHA256=$(GO_HEADER_HASH)" \
  PKG_CONFIG_PATH="$(GO_DESTDIR)$(PKG_PREFIX)/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$(GO_DESTDIR)" \
  LD_LIBRARY_PATH="$(GO_DESTDIR)$(PKG_PREFIX)/lib" RUST_BACKTRACE=0 GOCACHE="$(GO_BUILD)/cache" GOPATH="$(GO_BUILD)/path" \
  GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local \
  SDM_GO_ECHO_DIRECT_WASM="$(GO_BUILD)/echo-direct.wasm" SDM_GO_ECHO_COMMAND_WASM="$(GO_BUILD)/echo-command.wasm" \
  SDM_GO_HOST_PROXY_WASM="$(GO_BUILD)/host-proxy.wasm" SDM_GO_PROGRAM_WASM="$(GO_BUILD)/wasi-program.wasm"
test-go: build-tests run-test-go

run-test-go:
ifeq ($(GO_BIN),)
	@echo "test-go: go not found; skipping the Go binding tests (bindings/go)"
else
	@mkdir -p $(GO_BUILD)
	for surface in direct command; do \
	  $(CLI) compile --manifest examples/invoke-echo/manifest.$$surface.json \
	    --source examples/invoke-echo/module.c -o $(GO_BUILD)/echo-$$surface.wasm || exit 1; \
	done
	$(CLI) compile --manifest examples/host-proxy/manifest.json --source examples/host-proxy/module.c \
	  --allow-undefined-imports -o $(GO_BUILD)/host-proxy.wasm
	$(WASI_CC) $(PROGRAM_SOURCE) -o $(GO_BUILD)/wasi-program.wasm
	rm -rf $(GO_DESTDIR)
	$(MAKE) --no-print-directory install DESTDIR=$(GO_DESTDIR) PREFIX=$(PKG_PREFIX) \
	  INSTALL_LIB_DIR=$(FFI_LIB_DIR) INSTALL_STATIC=no
	cd bindings/go && $(GO_ENV) $(GO_BIN) vet -tags sdm_test_hooks ./...
	cd bindings/go && $(GO_ENV) $(GO_BIN) test -count=1 -race -tags sdm_test_hooks ./...
	@# The tests ran against the staged copy, not the build tree's (a debug cdylib is large).
	rm -rf $(GO_DESTDIR)
endif

## bench: the performance table of issue 17 (docs/benchmarks.md): every criterion bench of the
## core, each 16 MiB operation as a ratio to SHA-256 / AES-256-CTR passes measured in the same
## run, the absolute targets, and the release CLI's peak RSS for bundle / protect / open of a
## 16 MiB module. Printed, and written to $(CARGO_TARGET_DIR)/bench-table.md.
## BENCH_ARGS go to criterion: `make bench BENCH_ARGS="--measurement-time 10"` for steadier
## medians, or add a filter (rows left unmeasured then show as stale, not as old numbers).
BENCH_ARGS ?= --warm-up-time 1 --measurement-time 2
# The CLI is the release binary cargo builds for an integration test of the CLI, in the same
# invocation shape as the benches: a plain `cargo build --release` would resolve features without
# dev-dependencies and compile wasmtime in release a second time. `--bench '*'` keeps the lib's
# libtest harness out: it would reject criterion's options.
BENCH_CARGO := $(CARGO) bench --locked -p space-data-module -p space-data-module-cli --bench '*'
BENCH_STAMP := $(CARGO_TARGET_DIR)/bench-start.stamp
bench:
	$(BENCH_CARGO) --test bundle_cli --no-run
	@mkdir -p $(CARGO_TARGET_DIR) && touch $(BENCH_STAMP)
	$(BENCH_CARGO) -- $(BENCH_ARGS)
	python3 scripts/bench_table.py --since $(BENCH_STAMP) --cli $(CARGO_TARGET_DIR)/release/space-data-module \
	  --out $(CARGO_TARGET_DIR)/bench-table.md

## test-bench-table: the table script's logic over fake criterion results (runs no benchmark).
test-bench-table:
	python3 scripts/test_bench_table.py

## stress: one runtime and one runtime host shared by 8 threads, each invoking a different
## module, for SDM_STRESS_SECONDS (default 10): every result asserted, a watchdog naming a
## stuck thread (SDM_STRESS_STALL_SECONDS, default 20), resident memory bounded
## (SDM_STRESS_RSS_FACTOR x the warm-up RSS + 32 MiB, default 1.5). Prints calls per thread.
## `make test` runs the same test for 1 s (core/tests/stress.rs).
stress:
	$(CARGO) test --workspace --locked $(TEST_FEATURES) --test stress -- --ignored --nocapture

fmt:
	$(CARGO) fmt --all

## lint: rustfmt and clippy (warnings are errors) over the whole workspace, test hooks included.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked $(TEST_FEATURES) -- -D warnings

clean:
	$(CARGO) clean

## test-csharp: the C# bindings (bindings/csharp) under Mono: the P/Invoke layer csbindgen
## generates in ffi-c/build.rs, the wrapper and its NUnit 2.6 tests, built with mcs and run
## by nunit-console. Prints "skipped: mono not found" when Mono cannot be installed.
CS_BUILD := $(CARGO_TARGET_DIR)/csharp
.PHONY: test-csharp run-test-csharp csharp-error-codes
test-csharp: build-tests run-test-csharp

run-test-csharp:
	CARGO="$(CARGO)" bash bindings/csharp/test.sh "$(CARGO_TARGET_DIR)" "$(FFI_LIB_DIR)" "$(CLI)" "$(CS_BUILD)"

## csharp-error-codes: regenerate bindings/csharp/src/ErrorCodes.g.cs from the header's
## SDM_ERR_* constants (part of `make codes`).
csharp-error-codes:
	bash bindings/csharp/gen-error-codes.sh include/space_data_module.h bindings/csharp/src/ErrorCodes.g.cs

## fuzz: every cargo-fuzz target in fuzz/ for FUZZ_SECONDS each (nightly; installs cargo-fuzz
## when missing). FUZZ_RUNS=N also stops each after N executions. Builds in $(CARGO_TARGET_DIR)/fuzz.
## See docs/fuzzing.md. The same bodies run on stable in `cargo test` (core/tests/fuzz_props.rs).
FUZZ_SECONDS ?= 30
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/fuzz bash fuzz/run.sh

## fuzz-seed: (re)fill fuzz/corpus/ from vectors/ and fuzz/seeds/.
fuzz-seed:
	bash fuzz/seed.sh

## test-python: the Python binding (bindings/python, PyO3 + maturin): builds the abi3 wheel in
## the dev profile with the shared target dir (core and wasmtime come from the cargo test
## build), installs it offline into fresh virtualenvs and runs pytest there (stubs checked
## with mypy.stubtest). Prints "skipped" when python3/maturin are missing.
PY_BUILD := $(CARGO_TARGET_DIR)/python-test
.PHONY: test-python run-test-python bench-python python-feature-check
test-python: deps build run-test-python

run-test-python:
	bash bindings/python/test.sh "$(CARGO_TARGET_DIR)" "$(CLI)" "$(PY_BUILD)"

## bench-python: the binding's per-call overhead over the core's own time (manifest encode,
## 64-byte echo invoke, both measured in the same process and build), and the throughput of
## 8 threads invoking one module against 1 thread. Builds a release wheel (the shipped profile;
## a second build of core and wasmtime, in target/release) into its own virtualenv.
PY_BENCH := $(PY_BUILD)/bench
bench-python:
	@test -f "$(PY_BUILD)/echo-direct.wasm" || $(MAKE) --no-print-directory run-test-python
	rm -rf $(PY_BENCH)/dist
	$(CARGO_TARGET_DIR)/python/tools/bin/maturin build --release --strip --locked -i python3 \
	  -m bindings/python/Cargo.toml --out $(PY_BENCH)/dist
	python3 -m venv --clear $(PY_BENCH)/venv
	$(PY_BENCH)/venv/bin/python -m pip install -q --no-index --disable-pip-version-check $(PY_BENCH)/dist/space_data_module-*.whl
	cd $(PY_BENCH) && SDM_REPO_ROOT="$(CURDIR)" SDM_PY_ECHO_DIRECT_WASM="$(PY_BUILD)/echo-direct.wasm" \
	  $(PY_BENCH)/venv/bin/python $(CURDIR)/bindings/python/bench/bench.py

## python-feature-check: core and its dependencies resolve to the same features for the wheel
## (maturin builds bindings/python alone) as for `cargo test --workspace`, so neither build
## recompiles the other's core/wasmtime. Needs nightly cargo (--unit-graph).
python-feature-check:
	$(CARGO) +nightly test --workspace --no-run --unit-graph -Z unstable-options > $(CARGO_TARGET_DIR)/unit-graph-test.json
	$(CARGO) +nightly rustc -p space-data-module-python --lib --crate-type cdylib --unit-graph -Z unstable-options > $(CARGO_TARGET_DIR)/unit-graph-python.json
	python3 bindings/python/bench/unit_graph_diff.py $(CARGO_TARGET_DIR)/unit-graph-test.json $(CARGO_TARGET_DIR)/unit-graph-python.json

## test-java: the Java binding (bindings/java: JNI crate + Maven project) with JUnit 5, against
## the libspace_data_module_jni.so that `cargo test` leaves in $(FFI_LIB_DIR), and the echo
## (direct, command), aligned-echo and host-proxy guests compiled by the CLI (examples/
## wasi-program with clang directly). Maven resolves its plugins and
## dependencies from Maven Central into ~/.m2 on the first run. Skipped, saying why, when mvn or
## a JDK is absent.
JAVA_BUILD := $(CARGO_TARGET_DIR)/java-jni
MVN_BIN ?= $(shell command -v mvn 2>/dev/null)
JAVAC_BIN ?= $(shell command -v javac 2>/dev/null)
# With the JDK's libjsig preloaded the JVM chains the signal handlers wasmtime installs, so the
# tests can also run under -Xcheck:jni (which otherwise reports those handlers as replaced).
JSIG := $(if $(JAVAC_BIN),$(firstword $(wildcard $(dir $(realpath $(JAVAC_BIN)))../lib/libjsig.so)))
.PHONY: test-java run-test-java
test-java:
	$(CARGO) test -p space-data-module-jni --locked
	$(MAKE) --no-print-directory run-test-java

run-test-java:
ifeq ($(and $(MVN_BIN),$(JAVAC_BIN)),)
	@echo "test-java: mvn or javac not found; skipping the Java binding tests (bindings/java)"
else
	@mkdir -p $(JAVA_BUILD)
	for surface in direct command; do \
	  $(CLI) compile --manifest examples/invoke-echo/manifest.$$surface.json \
	    --source examples/invoke-echo/module.c -o $(JAVA_BUILD)/echo-$$surface.wasm || exit 1; \
	done
	$(CLI) compile --manifest examples/host-proxy/manifest.json --source examples/host-proxy/module.c \
	  --allow-undefined-imports -o $(JAVA_BUILD)/host-proxy.wasm
	$(CLI) compile --manifest examples/aligned-echo/manifest.json --source examples/aligned-echo/module.c \
	  -o $(JAVA_BUILD)/aligned-echo.wasm
	@# A plain WASI program (no manifest): clang and wasi-libc directly; without it the run tests skip.
	rm -f $(JAVA_BUILD)/wasi-program.wasm
	$${SDM_CLANG:-clang} --target=wasm32-wasi --sysroot=$${SDM_WASI_SYSROOT:-/usr} -O1 -o $(JAVA_BUILD)/wasi-program.wasm \
	  examples/wasi-program/program.c || echo "test-java: note: examples/wasi-program did not compile; the Module.run tests skip"
	rm -rf bindings/java/target/surefire-reports
	cd bindings/java && $(if $(JSIG),LD_PRELOAD=$(JSIG)) $(MVN_BIN) -q -B test -Dsdm.native.dir=$(FFI_LIB_DIR) \
	  $(if $(JSIG),-Dsdm.jvm.args=-Xcheck:jni) \
	  -Dsdm.echo.direct.wasm=$(JAVA_BUILD)/echo-direct.wasm -Dsdm.echo.command.wasm=$(JAVA_BUILD)/echo-command.wasm \
	  -Dsdm.host.proxy.wasm=$(JAVA_BUILD)/host-proxy.wasm -Dsdm.aligned.echo.wasm=$(JAVA_BUILD)/aligned-echo.wasm \
	  -Dsdm.program.wasm=$(JAVA_BUILD)/wasi-program.wasm -Dsdm.cli=$(CLI)
	@# -q prints nothing on success: the surefire reports hold the counts.
	@cat bindings/java/target/surefire-reports/*.txt | awk '/Tests run:/ { split($$0, f, /[:,]/); run += f[2]; failed += f[4] + f[6]; skipped += f[8] } \
	  END { printf "test-java: %d passed, %d failed, %d skipped\n", run - failed - skipped, failed, skipped }'
endif

## test-kotlin / test-swift: the UniFFI bindings (bindings/uniffi). Both generate their sources
## from the cdylib `cargo test --workspace` leaves in $(FFI_LIB_DIR), with the workspace's own
## uniffi-bindgen (library mode), into $(UNIFFI_BUILD): generated code is never checked in.
## Kotlin runs on the JVM under Maven (JNA, JUnit 5); Swift checks the generated sources cover
## every export and, where swiftc is on PATH, compiles and runs a Swift test program.
UNIFFI_BUILD := $(CARGO_TARGET_DIR)/uniffi
UNIFFI_LIB := $(FFI_LIB_DIR)/libspace_data_module_uniffi.so
UNIFFI_BINDGEN := $(CARGO_TARGET_DIR)/debug/uniffi-bindgen
UNIFFI_GENERATE := $(UNIFFI_BINDGEN) generate --library $(UNIFFI_LIB) --no-format
MVN ?= mvn
WASM_CC ?= clang
.PHONY: uniffi-prereqs test-kotlin run-test-kotlin test-swift run-test-swift
test-kotlin test-swift:
	$(CARGO) test --workspace --locked --no-run
	$(MAKE) --no-print-directory run-$@

uniffi-prereqs:
	@test -f $(UNIFFI_LIB) || { echo "uniffi: $(UNIFFI_LIB) is missing; run 'cargo test --workspace --no-run' (make test does)" >&2; exit 1; }
	$(CARGO) build -p uniffi-bindgen --locked
	@mkdir -p $(UNIFFI_BUILD)/wasm
	for surface in direct command; do \
	  $(CLI) compile --manifest examples/invoke-echo/manifest.$$surface.json \
	    --source examples/invoke-echo/module.c -o $(UNIFFI_BUILD)/wasm/echo-$$surface.wasm || exit 1; \
	done
	$(CLI) compile --manifest examples/host-proxy/manifest.json --source examples/host-proxy/module.c \
	  --allow-undefined-imports -o $(UNIFFI_BUILD)/wasm/host-proxy.wasm
	@# A plain WASI program (no plugin surface, no manifest) for `module.run`.
	$(WASM_CC) --target=wasm32-wasi -O1 -Wl,--strip-all -o $(UNIFFI_BUILD)/wasm/program.wasm \
	  bindings/uniffi/kotlin/src/test/guest/program.c

run-test-kotlin: uniffi-prereqs
	rm -rf $(UNIFFI_BUILD)/kotlin
	$(UNIFFI_GENERATE) --language kotlin --out-dir $(UNIFFI_BUILD)/kotlin
	$(MVN) -B --no-transfer-progress -Dstyle.color=never -f bindings/uniffi/kotlin/pom.xml test \
	  -Dsdm.generated.dir=$(UNIFFI_BUILD)/kotlin -Dsdm.library.dir=$(FFI_LIB_DIR) \
	  -Dsdm.build.dir=$(UNIFFI_BUILD)/kotlin-build -Dsdm.repo.root=$(CURDIR) -Dsdm.wasm.dir=$(UNIFFI_BUILD)/wasm

run-test-swift: uniffi-prereqs
	rm -rf $(UNIFFI_BUILD)/swift
	$(UNIFFI_GENERATE) --language swift --out-dir $(UNIFFI_BUILD)/swift
	bash bindings/uniffi/swift/test.sh $(UNIFFI_LIB) $(UNIFFI_BUILD)/swift $(UNIFFI_BUILD)/swift-build $(CURDIR) $(UNIFFI_BUILD)/wasm

## runtime-matrix: the same cases through every language's binding (runtime-matrix/README.md).
## Builds the fixtures into $(RM_ARTIFACTS) with the CLI of `make test` / `make build-tests`,
## self-tests the harness, then runs every lane (runtime-matrix/*/run.sh) over
## runtime-matrix/cases, compares each lane's results with the Rust lane's (and Rust's with
## runtime-matrix/expected), prints the case x lane table and ends with
## `runtime-matrix: N passed, N failed`. A lane whose toolchain is missing shows
## `skipped: <reason>`.
## `make runtime-matrix CASES=DIR`: your own cases instead; DIR is the directory the lanes run
## in (your modules and key files), the cases are DIR/cases/*.json (else DIR/*.json), expected
## results DIR/expected/*.json when present. `LANES=c,go` runs only those lanes (and Rust).
RM_DIR := $(CARGO_TARGET_DIR)/runtime-matrix
RM_ARTIFACTS := $(RM_DIR)/artifacts
RM_LANE_TIMEOUT ?= 900
RM_ARGS = --cli $(CLI) --target-dir $(CARGO_TARGET_DIR) --lane-timeout $(RM_LANE_TIMEOUT) $(if $(LANES),--lanes $(LANES))
runtime-matrix:
	python3 runtime-matrix/test_matrix.py
ifeq ($(CASES),)
	SDM_CLI=$(CLI) bash runtime-matrix/fixtures/build.sh $(RM_ARTIFACTS)
	python3 runtime-matrix/matrix.py --cases runtime-matrix/cases --artifacts $(RM_ARTIFACTS) \
	  --expected runtime-matrix/expected $(RM_ARGS)
else
	python3 runtime-matrix/matrix.py --dir $(CASES) $(RM_ARGS)
endif
