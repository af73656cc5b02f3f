//! docs/limits.md, tested (issue 13): each cap at the cap (accepted, or at least past the cap
//! check) and one over (refused with its stable code), table-driven where possible; and the
//! document itself kept in step with the code (every row names a stable code and a test that
//! exists; the front-end caps table equals `api::caps::ALL`).
//!
//! Cheap by construction: byte caps up to 256 MiB use zero-filled buffers the allocator maps
//! lazily (the cap check comes before any byte is read); runtime caps go through lowered
//! `Limits` fields.

mod guests;

use std::path::PathBuf;
use std::time::Duration;

use guests::{ECHO, command_echo, direct, unsigned};
use space_data_module::api::{caps, format, keys, program::Program, publication};
use space_data_module::runtime::{
    Grants, InvokeMode, Limits, LoadedModule, Runtime, RuntimeConfig,
};
use space_data_module::{Error, ErrorCode, Result, js};

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// At the cap: the input got past the cap check (it may still fail for another reason).
fn passes_cap<T>(result: Result<T>, refused_with: ErrorCode, case: &str) {
    if let Err(err) = result {
        assert_ne!(err.code(), refused_with, "{case} at the cap: {err}");
    }
}

fn refused<T: std::fmt::Debug>(result: Result<T>, code: ErrorCode, case: &str) {
    match result {
        Err(err) => assert_eq!(err.code(), code, "{case} over the cap: {err}"),
        Ok(value) => panic!("{case} over the cap was accepted: {value:?}"),
    }
}

/// A valid manifest JSON padded with spaces to exactly `len` bytes.
fn manifest_json_of_len(len: usize) -> String {
    let text =
        std::fs::read_to_string(root().join("vectors/single-file-bundle/manifest.json")).unwrap();
    let text = text.trim_end();
    assert!(text.len() <= len);
    format!("{text}{}", " ".repeat(len - text.len()))
}

/// The front-end caps (`api::caps`), each through a function that enforces it.
#[test]
fn front_end_caps_at_and_over_the_cap() {
    type Check = fn(usize) -> Result<()>;
    let cases: &[(&str, usize, Check)] = &[
        ("MANIFEST_JSON_BYTES", caps::MANIFEST_JSON_BYTES, |len| {
            format::parse_manifest_json(&manifest_json_of_len(len)).map(drop)
        }),
        (
            "MANIFEST_FLATBUFFER_BYTES",
            caps::MANIFEST_FLATBUFFER_BYTES,
            |len| {
                let mut bytes =
                    std::fs::read(root().join("vectors/manifests/minimal.manifest.fb")).unwrap();
                bytes.resize(len, 0);
                format::decode_manifest(&bytes).map(drop)
            },
        ),
        ("MODULE_BYTES", caps::MODULE_BYTES, |len| {
            format::inspect(&vec![0u8; len], &Default::default()).map(drop)
        }),
        (
            "STREAM_ARTIFACT_BYTES",
            caps::STREAM_ARTIFACT_BYTES,
            |len| {
                // A sparse file: its size is checked before anything is read, and at the cap an
                // artifact of zeros is refused for its missing trailer.
                let dir = tempfile::tempdir().unwrap();
                let input = dir.path().join("big.wasm");
                std::fs::File::create(&input)
                    .unwrap()
                    .set_len(len as u64)
                    .unwrap();
                let opened = publication::open_file(
                    &input,
                    &dir.path().join("out.wasm"),
                    &publication::OpenRequest::default(),
                )?;
                match opened.outcome.code.as_deref() {
                    Some(code) => Err(Error::new(
                        ErrorCode::from_name(code).unwrap(),
                        opened.outcome.detail.unwrap_or_default(),
                    )),
                    None => Ok(()),
                }
            },
        ),
        ("JSON_DOCUMENT_BYTES", caps::JSON_DOCUMENT_BYTES, |len| {
            let text = format!("{{}}{}", " ".repeat(len - 2));
            Program::from_json(text.as_bytes()).map(drop)
        }),
        ("KEY_FILE_BYTES", caps::KEY_FILE_BYTES, |len| {
            keys::SigningKey::from_file_text(&" ".repeat(len)).map(drop)
        }),
        ("TRUSTED_SIGNERS", caps::TRUSTED_SIGNERS, |count| {
            keys::trusted_signers_from_bytes(&vec![0u8; 33 * count]).map(drop)
        }),
        ("INVOKE_INPUT_BYTES", caps::INVOKE_INPUT_BYTES, |len| {
            // A sparse file: the read stops at cap + 1 bytes.
            let file = tempfile::NamedTempFile::new().unwrap();
            file.as_file().set_len(len as u64).unwrap();
            caps::read_file_capped(file.path(), caps::INVOKE_INPUT_BYTES).map(drop)
        }),
    ];
    assert_eq!(
        cases.iter().map(|case| case.0).collect::<Vec<_>>(),
        caps::ALL.iter().map(|cap| cap.0).collect::<Vec<_>>(),
        "a case per cap in api::caps::ALL"
    );
    for (name, cap, check) in cases {
        passes_cap(check(*cap), ErrorCode::InputTooLarge, name);
        refused(check(cap + 1), ErrorCode::InputTooLarge, name);
    }
}

#[test]
fn json_nesting_depth_is_127() {
    // serde_json's recursion limit of 128 counts the level that fails: 127 levels parse.
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(js::parse_json(&nested(127)).is_ok());
    refused(
        js::parse_json(&nested(128)),
        ErrorCode::InvalidJson,
        "depth 128",
    );
}

#[test]
fn program_items_at_and_over_the_cap() {
    use space_data_module::api::program::MAX_PROGRAM_ITEMS;
    let program = |items: usize| Program {
        args: vec!["a".to_owned(); items],
        ..Program::default()
    };
    assert!(program(MAX_PROGRAM_ITEMS).validate().is_ok());
    refused(
        program(MAX_PROGRAM_ITEMS + 1).validate(),
        ErrorCode::InvalidArgument,
        "program items",
    );
}

fn runtime() -> Runtime {
    Runtime::new(RuntimeConfig::default()).unwrap()
}

fn base() -> Limits {
    Limits {
        fuel: Some(50_000_000),
        timeout: Some(Duration::from_secs(20)),
        ..Limits::default()
    }
}

fn load(rt: &Runtime, wasm: &[u8]) -> LoadedModule {
    rt.load(&unsigned(wasm)).unwrap()
}

fn direct_call(
    rt: &Runtime,
    module: &LoadedModule,
    request: &[u8],
    limits: &Limits,
) -> Result<Vec<u8>> {
    rt.invoke_bytes(
        module,
        request,
        InvokeMode::Direct,
        &Grants::default(),
        limits,
    )
}

/// `Limits::max_request_bytes` and `max_response_bytes`, lowered to 1000 bytes, in both modes.
#[test]
fn request_and_response_caps_at_and_over_the_cap() {
    let rt = runtime();
    let echo = load(&rt, &direct(ECHO));
    let command = load(&rt, &command_echo());
    let cap = 1000;
    for (what, limits, code) in [
        (
            "request",
            Limits {
                max_request_bytes: cap,
                ..base()
            },
            ErrorCode::RuntimeRequestTooLarge,
        ),
        (
            "response",
            Limits {
                max_response_bytes: cap,
                ..base()
            },
            ErrorCode::RuntimeResponseTooLarge,
        ),
    ] {
        assert_eq!(
            direct_call(&rt, &echo, &[7; 1000], &limits).unwrap().len(),
            cap
        );
        refused(direct_call(&rt, &echo, &[7; 1001], &limits), code, what);
        let run = |len: usize| {
            rt.invoke_command_bytes(&command, &vec![7; len], &Grants::default(), &limits)
        };
        assert_eq!(run(cap).unwrap().len(), cap, "{what} (command)");
        refused(run(cap + 1), code, what);
    }
}

/// `Limits::max_memory_bytes` (2 MiB = 32 pages) and `max_table_elements` (100).
#[test]
fn memory_and_table_caps_at_and_over_the_cap() {
    let rt = runtime();
    let limits = Limits {
        max_memory_bytes: 2 << 20,
        max_table_elements: 100,
        ..base()
    };
    // The guest starts with 1 page and a 1-element table.
    let grow_memory =
        |pages: u32| direct(&format!("(drop (memory.grow (i32.const {pages}))) {ECHO}"));
    let grow_table = |elements: u32| {
        direct(&format!(
            "(drop (table.grow (ref.null func) (i32.const {elements}))) {ECHO}"
        ))
    };
    for (what, at_cap, over) in [
        ("memory", grow_memory(31), grow_memory(32)),
        ("table", grow_table(99), grow_table(100)),
    ] {
        assert_eq!(
            direct_call(&rt, &load(&rt, &at_cap), b"ok", &limits).unwrap(),
            b"ok",
            "{what} at the cap"
        );
        refused(
            direct_call(&rt, &load(&rt, &over), b"ok", &limits),
            ErrorCode::RuntimeMemoryLimit,
            what,
        );
    }
}

/// `Limits::fuel`: the least fuel a call needs is found by bisection; with exactly that much it
/// runs, with one unit less it is `runtime-fuel-exhausted`.
#[test]
fn fuel_at_and_under_what_a_call_needs() {
    let rt = runtime();
    let echo = load(&rt, &direct(ECHO));
    let run = |fuel: u64| {
        direct_call(
            &rt,
            &echo,
            b"fuel",
            &Limits {
                fuel: Some(fuel),
                ..base()
            },
        )
    };
    let (mut low, mut high) = (0u64, 10_000_000u64);
    assert!(run(high).is_ok());
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if run(mid).is_ok() {
            high = mid;
        } else {
            low = mid;
        }
    }
    assert_eq!(run(high).unwrap(), b"fuel");
    refused(run(high - 1), ErrorCode::RuntimeFuelExhausted, "fuel");
}

/// `Limits::max_stderr_bytes` (1000): a guest writing its stdin to stderr and exiting with the
/// write's errno. At the cap the write succeeds; one byte more fails the guest's write.
#[test]
fn stderr_cap_at_and_over_the_cap() {
    let wasm = wat::parse_str(
        r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (func (export "_start")
    (local $total i32) (local $n i32)
    (block $done
      (loop $read
        (i32.store (i32.const 0) (i32.add (i32.const 1024) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 65536) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (br $read)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (local.get $total))
    (call $proc_exit (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
    )
    .unwrap();
    let rt = runtime();
    let module = load(&rt, &wasm);
    let limits = Limits {
        max_stderr_bytes: 1000,
        ..base()
    };
    let run = |len: usize| rt.run_command(&module, vec![b'e'; len], &Grants::default(), &limits);
    let at_cap = run(1000).unwrap();
    assert_eq!((at_cap.exit_code, at_cap.stderr.len()), (0, 1000));
    match run(1001) {
        Ok(output) => assert_ne!(output.exit_code, 0, "the write over the cap failed"),
        Err(err) => assert_eq!(err.code(), ErrorCode::RuntimeResponseTooLarge, "{err}"),
    }
}

/// `Limits::timeout`: a call within the time limit runs; a guest spinning past it is stopped.
#[test]
fn timeout_within_and_past_the_limit() {
    let rt = runtime();
    let echo = load(&rt, &direct(ECHO));
    let limits = Limits {
        fuel: None,
        timeout: Some(Duration::from_millis(200)),
        ..base()
    };
    assert_eq!(
        direct_call(&rt, &echo, b"quick", &limits).unwrap(),
        b"quick"
    );
    refused(
        direct_call(&rt, &echo, &[0xff], &limits),
        ErrorCode::RuntimeTimeout,
        "timeout",
    );
}

/// Format-layer caps with their own constants: catalog entries, the bundle module (1 GiB, a
/// lazily mapped zero buffer), and the artifact cap of `publication::open` (lowered).
#[test]
fn format_caps_at_and_over_the_cap() {
    use space_data_module::compliance::{MAX_CATALOG_ENTRIES, StandardsCatalog};
    use space_data_module::{bundle, publication};
    let catalog = |entries: usize| {
        StandardsCatalog::from_json(&serde_json::Value::Array(vec![
            serde_json::json!({});
            entries
        ]))
        .map(drop)
    };
    passes_cap(
        catalog(MAX_CATALOG_ENTRIES),
        ErrorCode::InputTooLarge,
        "catalog",
    );
    refused(
        catalog(MAX_CATALOG_ENTRIES + 1),
        ErrorCode::InputTooLarge,
        "catalog",
    );

    let parse = |len: usize| bundle::parse(&vec![0u8; len], &Default::default()).map(drop);
    let cap = bundle::constants::MAX_MODULE_BYTES;
    passes_cap(parse(cap), ErrorCode::InputTooLarge, "bundle module");
    refused(parse(cap + 1), ErrorCode::InputTooLarge, "bundle module");

    let open = |len: usize| {
        let policy = publication::open::OpenPolicy {
            require_signature: false,
            max_artifact_bytes: 1000,
            ..Default::default()
        };
        publication::open::open(&vec![0u8; len], &policy, None)
            .map(drop)
            .map_err(|failure| failure.error)
    };
    passes_cap(open(1000), ErrorCode::InputTooLarge, "artifact");
    refused(open(1001), ErrorCode::InputTooLarge, "artifact");
}

/// The runtime host's module registry holds at most `MAX_INSTALLED_MODULES` modules.
#[test]
fn installed_modules_at_and_over_the_cap() {
    use space_data_module::runtime_host::{MAX_INSTALLED_MODULES, RuntimeHost};
    let host = RuntimeHost::in_memory().unwrap();
    let wasm = direct(ECHO);
    for i in 0..MAX_INSTALLED_MODULES {
        host.modules()
            .install(&format!("m{i}"), &unsigned(&wasm), &serde_json::Value::Null)
            .unwrap();
    }
    refused(
        host.modules()
            .install("one-more", &unsigned(&wasm), &serde_json::Value::Null),
        ErrorCode::RuntimeHostLimitExceeded,
        "installed modules",
    );
}

/// Host operation caps, through a host with lowered `HostLimits`: `random.bytes` length,
/// `timers.delay` against `max_timeout`, and the fixed HKDF output of 8160 bytes.
#[test]
fn host_operation_caps_at_and_over_the_cap() {
    use serde_json::json;
    use space_data_module::host::{Host, HostLimits, HostPolicy};
    let host = Host::new(
        HostPolicy::new()
            .grant("random")
            .grant("timers")
            .grant("crypto_kdf")
            .limits(HostLimits {
                max_random_bytes: 100,
                max_timeout: Duration::from_millis(20),
                ..HostLimits::default()
            }),
    );
    let code = |result: std::result::Result<
        serde_json::Value,
        space_data_module::host::HostError,
    >| { result.err().map(|err| err.code) };
    let random = |length: usize| code(host.invoke("random.bytes", &json!({ "length": length })));
    assert_eq!(random(100), None);
    assert_eq!(random(101), Some(ErrorCode::HostLimitExceeded));
    let delay = |ms: u64| code(host.invoke("timers.delay", &json!({ "ms": ms })));
    assert_eq!(delay(20), None);
    assert_eq!(delay(21), Some(ErrorCode::HostLimitExceeded));
    let hkdf = |length: usize| {
        code(host.invoke(
            "crypto.hkdf",
            &json!({"ikm": [1, 2, 3], "salt": [4, 5], "length": length}),
        ))
    };
    assert_eq!(hkdf(8160), None);
    assert_eq!(hkdf(8161), Some(ErrorCode::HostInvalidParams));
}

/// Row payloads (16 MiB of compact JSON) and row ids (at most 2^63-1) in the runtime host.
#[test]
fn row_caps_at_and_over_the_cap() {
    use space_data_module::runtime_host::{
        MAX_ROW_ID, MAX_ROW_PAYLOAD_BYTES, MemoryRowStore, RowHandle, RowStore,
    };
    let rows = MemoryRowStore::new();
    // A JSON string of n characters is n + 2 bytes of compact JSON.
    let payload = |len: usize| serde_json::Value::String("x".repeat(len - 2));
    assert!(
        rows.append_row("s", &payload(MAX_ROW_PAYLOAD_BYTES))
            .is_ok()
    );
    refused(
        rows.append_row("s", &payload(MAX_ROW_PAYLOAD_BYTES + 1)),
        ErrorCode::RuntimeHostLimitExceeded,
        "row payload",
    );
    assert_eq!(
        rows.resolve_row(&RowHandle::new("s", MAX_ROW_ID)).unwrap(),
        None
    );
    refused(
        rows.resolve_row(&RowHandle::new("s", MAX_ROW_ID + 1)),
        ErrorCode::RuntimeHostInvalidRowId,
        "row id",
    );
}

/// The `REC` collection of a trailer: at most 1 MiB. Both sides fail with `trailer-invalid`
/// (zero bytes are no valid collection), so the message tells the cap apart.
#[test]
fn rec_collection_at_and_over_the_cap() {
    use space_data_module::publication::open::{MAX_COLLECTION_BYTES, OpenPolicy, open};
    let artifact = |collection: usize| {
        let mut bytes = vec![0u8; 16 + collection];
        bytes.extend_from_slice(&(collection as u32).to_le_bytes());
        bytes.extend_from_slice(b"$REC");
        bytes
    };
    let error = |collection: usize| {
        open(&artifact(collection), &OpenPolicy::default(), None)
            .map(drop)
            .unwrap_err()
            .error
    };
    let at_cap = error(MAX_COLLECTION_BYTES);
    assert_eq!(at_cap.code(), ErrorCode::TrailerInvalid);
    assert!(!at_cap.message().contains("exceeds"), "{at_cap}");
    let over = error(MAX_COLLECTION_BYTES + 1);
    assert_eq!(over.code(), ErrorCode::TrailerInvalid);
    assert!(over.message().contains("exceeds"), "{over}");
}

// ---- docs/limits.md in step with the code ----

/// The cells of every table row of docs/limits.md that has a `test` column, by header.
fn doc_rows() -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(root().join("docs/limits.md")).unwrap();
    let mut rows = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for line in text.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect();
        match &header {
            None => header = Some(cells),
            Some(_)
                if cells
                    .iter()
                    .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':'))) => {}
            Some(names) => {
                assert_eq!(cells.len(), names.len(), "docs/limits.md row {line}");
                rows.push(names.iter().cloned().zip(cells).collect());
            }
        }
    }
    rows
}

fn cell<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    row.iter()
        .find(|(header, _)| header == name)
        .map(|(_, value)| value.as_str())
        .unwrap_or_else(|| panic!("docs/limits.md: a table without a `{name}` column: {row:?}"))
}

/// The `code`-spans of a cell.
fn spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_row_of_docs_limits_names_a_stable_code_and_an_existing_test() {
    let rows = doc_rows();
    assert!(rows.len() >= 40, "only {} rows", rows.len());
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    for row in &rows {
        let what = cell(row, "what");
        let code_spans = spans(cell(row, "over the cap"));
        assert!(
            code_spans.iter().any(|span| match span.split_once('*') {
                Some((prefix, suffix)) => codes
                    .iter()
                    .any(|code| code.starts_with(prefix) && code.ends_with(suffix)),
                None => codes.contains(span),
            }),
            "docs/limits.md `{what}`: no stable code in {code_spans:?}"
        );
        let tests = spans(cell(row, "test"));
        assert!(!tests.is_empty(), "docs/limits.md `{what}`: no test named");
        for test in tests {
            let (file, name) = test
                .rsplit_once("::")
                .unwrap_or_else(|| panic!("`{test}`: not path::function"));
            let source = std::fs::read_to_string(root().join(file))
                .unwrap_or_else(|err| panic!("docs/limits.md `{what}`: {file}: {err}"));
            assert!(
                source.contains(&format!("fn {name}(")),
                "docs/limits.md `{what}`: no test `{name}` in {file}"
            );
        }
    }
}

/// "4 MiB", "64 KiB", "1 GiB", "4096", "4,096" as a number.
fn parse_size(text: &str) -> usize {
    let text = text.replace(',', "");
    let mut parts = text.split_whitespace();
    let number: usize = parts.next().unwrap().parse().unwrap();
    let unit = match parts.next() {
        None => 1,
        Some("KiB") => 1 << 10,
        Some("MiB") => 1 << 20,
        Some("GiB") => 1 << 30,
        Some(other) => panic!("unit {other}"),
    };
    number * unit
}

#[test]
fn the_front_end_caps_table_equals_api_caps() {
    let documented: Vec<(String, usize)> = doc_rows()
        .iter()
        .filter_map(|row| {
            let constant = spans(cell(row, "constant")).first()?.to_string();
            let name = constant.strip_prefix("api::caps::")?.to_owned();
            Some((name, parse_size(cell(row, "cap"))))
        })
        .collect();
    let code: Vec<(String, usize)> = caps::ALL
        .iter()
        .map(|(name, value)| (name.to_string(), *value))
        .collect();
    assert_eq!(documented, code, "docs/limits.md vs api::caps::ALL");
    // Every cap constant of caps.rs is in ALL.
    let source = std::fs::read_to_string(root().join("core/src/api/caps.rs")).unwrap();
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("pub const ") {
            let name = rest.split(':').next().unwrap();
            assert!(
                name == "ALL" || caps::ALL.iter().any(|(n, _)| *n == name),
                "api::caps::{name} is not in api::caps::ALL"
            );
        }
    }
}
