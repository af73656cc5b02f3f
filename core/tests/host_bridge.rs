//! The `sdn_host` bridge, driven from a wasm guest through the runtime (tests/support):
//! the 17 cases of vectors/invoke/hostcall-envelopes.json, then bounds and limits.
//!
//! Deliberate deviations from the vectors (docs/host.md):
//! - `http.request` is a real operation here, so a host without the `http` grant answers with
//!   the capability-denied envelope instead of "not available in the synchronous hostcall ABI".
//! - Error envelopes carry one more member, `sdmCode`, so their lengths differ; their `name`,
//!   `code`, `operation` and `capability` are the vector's.

mod support;

use std::sync::Arc;

use serde_json::{Value, json};
use space_data_module::host::{Host, HostPolicy, bridge};
use support::{
    FLAG_CLEAR_AFTER, FLAG_OP_ABSOLUTE, FLAG_PAYLOAD_ABSOLUTE, FLAG_READ_ABSOLUTE, Guest, Raw,
    SKIPPED,
};

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/invoke/hostcall-envelopes.json"
    ))
    .expect("vector file");
    serde_json::from_str(&text).expect("vector JSON")
}

fn vector_host(vectors: &Value) -> Arc<Host> {
    let granted: Vec<&str> = vectors["grantedCapabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    Arc::new(Host::new(HostPolicy::new().grant_all(granted)))
}

fn payload_of(case: &Value) -> String {
    let payload = case["payload"].as_str().unwrap();
    match payload.strip_prefix("<payload_len ") {
        Some(rest) => " ".repeat(rest.trim_end_matches('>').parse().unwrap()),
        None => payload.to_owned(),
    }
}

#[test]
fn the_seventeen_vector_cases_through_a_guest() {
    let vectors = vectors();
    let mut guest = Guest::new(Some(vector_host(&vectors)));

    let initial = guest.state();
    assert_eq!(initial.status, SKIPPED);
    assert_eq!(initial.last_status, vectors["initial"]["lastStatus"]);
    assert_eq!(initial.response_len, vectors["initial"]["responseLen"]);
    assert_eq!(
        initial.text(),
        vectors["initial"]["response"].as_str().unwrap()
    );

    let cases = vectors["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 17);
    for case in cases {
        let operation = case["operation"].as_str().unwrap();
        let reply = guest.call(operation, &payload_of(case));
        let label = format!("{operation} {}", case["payload"]);
        assert_eq!(reply.status, case["status"], "{label}");
        assert_eq!(reply.last_status, case["lastStatusCode"], "{label}");
        assert_eq!(
            reply.read, reply.response_len,
            "{label}: whole response read"
        );
        let expected = &case["response"];
        let actual = reply.json();
        assert_eq!(actual["ok"], expected["ok"], "{label}");
        if expected["ok"] == Value::Bool(true) {
            // Byte-identical to the reference's JSON.stringify output.
            assert_eq!(
                reply.text(),
                serde_json::to_string(expected).unwrap(),
                "{label}"
            );
            assert_eq!(reply.response_len, case["responseLen"], "{label}");
            continue;
        }
        let error = &actual["error"];
        assert!(error["sdmCode"].is_string(), "{label}: sdmCode");
        assert!(error["message"].is_string(), "{label}: message");
        if operation == "http.request" {
            // Deviation: a real, capability-guarded operation here.
            assert_eq!(error["name"], "HostCapabilityError");
            assert_eq!(error["code"], "host-capability-denied");
            assert_eq!(error["capability"], "http");
            assert_eq!(error["operation"], "http.request");
            continue;
        }
        for member in ["name", "code", "operation", "capability"] {
            assert_eq!(
                error[member], expected["error"][member],
                "{label}: {member}"
            );
        }
    }

    // clear_response resets to the initial envelope.
    let cleared = guest.raw(&Raw {
        flags: FLAG_CLEAR_AFTER | support::FLAG_SKIP_CALL,
        read_len: -1,
        ..Raw::default()
    });
    assert_eq!(cleared.clear, 0);
    let after = guest.state();
    assert_eq!(
        after.last_status,
        vectors["afterClearResponse"]["lastStatus"]
    );
    assert_eq!(
        after.response_len,
        vectors["afterClearResponse"]["responseLen"]
    );
    assert_eq!(
        after.text(),
        vectors["afterClearResponse"]["response"].as_str().unwrap()
    );
}

#[test]
fn error_envelopes_carry_the_stable_code() {
    let mut guest = Guest::new(Some(vector_host(&vectors())));
    let cases = [
        ("nope.op", "", "host-operation-unknown"),
        ("clock.now", "{bad json", "host-invalid-params"),
        ("", "", "host-invalid-params"),
        ("filesystem.resolvePath", "{}", "host-capability-denied"),
        ("random.bytes", r#"{"length":-1}"#, "host-invalid-params"),
    ];
    for (operation, payload, code) in cases {
        let reply = guest.call(operation, payload);
        assert_eq!(reply.error()["sdmCode"], code, "{operation}");
    }
}

#[test]
fn a_guest_without_a_host_gets_the_empty_policy() {
    let mut guest = Guest::new(None);
    let denied = guest.call("clock.now", "");
    assert_eq!(denied.status, 1);
    assert_eq!(denied.error()["code"], "host-capability-denied");
    assert_eq!(guest.call("host.listCapabilities", "").result(), json!([]));
    assert_eq!(guest.call("host.runtimeTarget", "").result(), json!("node"));
    // Only the info operations are reachable.
    let listed = guest.call("host.listOperations", "").result();
    assert_eq!(listed.as_array().unwrap().len(), 5, "{listed}");
}

#[test]
fn list_operations_names_only_reachable_operations() {
    let mut guest = Guest::new(Some(vector_host(&vectors())));
    let listed = guest.call("host.listOperations", "").result();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(names.contains(&"clock.now"));
    assert!(names.contains(&"schedule.next"));
    assert!(names.contains(&"random.bytes"));
    assert!(!names.contains(&"filesystem.resolvePath"));
    assert!(!names.contains(&"http.request"));
    assert_eq!(names.len(), 5 + 3 + 1 + 3);
    let supported = guest.call("host.listSupportedCapabilities", "").result();
    assert_eq!(supported.as_array().unwrap().len(), 21);
}

#[test]
fn out_of_bounds_pointers_give_status_not_traps() {
    let mut guest = Guest::with_policy(HostPolicy::new().grant("clock"));
    let beyond = 64 << 20; // far past the guest's memory
    for (flags, op_ptr, payload_ptr, payload_len) in [
        (FLAG_OP_ABSOLUTE, beyond, 0, 0),
        (FLAG_OP_ABSOLUTE, -8, 0, 0),
        (FLAG_PAYLOAD_ABSOLUTE, 0, beyond, 4),
        (FLAG_PAYLOAD_ABSOLUTE, 0, 0, -1),
    ] {
        let reply = guest.raw(&Raw {
            flags,
            op_ptr,
            op_len: 9,
            payload_ptr,
            payload_len,
            read_len: -1,
            data: b"clock.now".to_vec(),
            ..Raw::default()
        });
        assert_eq!(reply.status, 1, "{op_ptr} {payload_ptr} {payload_len}");
        let error = reply.error();
        assert_eq!(error["name"], "RangeError");
        assert_eq!(error["sdmCode"], "host-bridge-out-of-bounds");
    }
    // The guest is still healthy afterwards.
    assert_eq!(guest.call("clock.now", "").status, 0);

    // read_response with a bad destination: -1, nothing copied, no trap.
    for (read_ptr, read_len) in [(beyond, 10), (-4, 10), (0, -1 - 1)] {
        let reply = guest.raw(&Raw {
            flags: FLAG_READ_ABSOLUTE,
            op_len: 9,
            payload_ptr: 9,
            read_ptr,
            read_len,
            data: b"clock.now".to_vec(),
            ..Raw::default()
        });
        assert_eq!(reply.status, 0);
        assert_eq!(reply.read, bridge::READ_FAILED, "{read_ptr} {read_len}");
    }
    // A short destination truncates silently.
    let short = guest.raw(&Raw {
        op_len: 9,
        payload_ptr: 9,
        read_len: 5,
        data: b"clock.now".to_vec(),
        ..Raw::default()
    });
    assert_eq!(short.read, 5);
    assert_eq!(short.bytes, b"{\"ok\"");
}

#[test]
fn oversized_operation_payload_and_response_are_refused() {
    let mut policy = HostPolicy::new().grant_all(["clock", "random"]);
    policy.limits.max_response_bytes = 400;
    policy.limits.max_random_bytes = 1000;
    let mut guest = Guest::with_policy(policy);

    let long_op = "x".repeat(257);
    let reply = guest.call(&long_op, "");
    assert_eq!(reply.error()["sdmCode"], "host-request-too-large");

    // The payload cap is checked before the payload range: a huge length never reads memory.
    let reply = guest.raw(&Raw {
        op_len: 9,
        payload_ptr: 9,
        payload_len: i32::MAX,
        read_len: -1,
        data: b"clock.now".to_vec(),
        ..Raw::default()
    });
    assert_eq!(reply.error()["sdmCode"], "host-request-too-large");

    // 600 random bytes encode to 800 base64 characters: over the 400-byte response cap.
    let reply = guest.call("random.bytes", r#"{"length":600}"#);
    assert_eq!(reply.status, 1);
    assert_eq!(reply.text(), bridge::RESPONSE_TOO_LARGE_ENVELOPE);
    assert_eq!(
        reply.response_len as usize,
        bridge::RESPONSE_TOO_LARGE_ENVELOPE.len()
    );

    // Above max_random_bytes: refused before allocating.
    let reply = guest.call("random.bytes", r#"{"length":1001}"#);
    assert_eq!(reply.error()["sdmCode"], "host-limit-exceeded");
    let reply = guest.call("random.bytes", r#"{"length":16}"#);
    let result = reply.result();
    assert_eq!(result["__type"], "bytes");
    assert_eq!(result["base64"].as_str().unwrap().len(), 24);
}

#[test]
fn a_response_cap_below_the_fixed_envelope_still_stores_it() {
    let mut policy = HostPolicy::new().grant("random");
    policy.limits.max_response_bytes = 1;
    let mut guest = Guest::with_policy(policy);
    // The effective cap is raised to the fixed envelope's size: small results still fit...
    let reply = guest.call("random.bytes", r#"{"length":4}"#);
    assert_eq!(reply.status, 0);
    // ...larger ones are replaced by the fixed envelope, which always fits.
    let reply = guest.call("random.bytes", r#"{"length":200}"#);
    assert_eq!(reply.text(), bridge::RESPONSE_TOO_LARGE_ENVELOPE);
}

#[test]
fn a_guest_without_memory_gets_errors_not_traps() {
    use space_data_module::host::HostcallState;
    use wasmtime::{Engine, Linker, Module, Store};

    struct State(HostcallState);
    let engine = Engine::default();
    let mut linker: Linker<State> = Linker::new(&engine);
    bridge::add_to_linker(&mut linker, |state: &mut State| &mut state.0).unwrap();
    let wasm = wat::parse_str(
        r#"(module
          (import "sdn_host" "call_json" (func $call (param i32 i32 i32 i32) (result i32)))
          (import "sdn_host" "read_response" (func $read (param i32 i32) (result i32)))
          (func (export "call") (param i32 i32 i32 i32) (result i32)
            (call $call (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "read") (result i32) (call $read (i32.const 0) (i32.const 8))))"#,
    )
    .unwrap();
    let module = Module::new(&engine, wasm).unwrap();
    let mut store = Store::new(&engine, State(HostcallState::new(bridge::empty_host())));
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let call = instance
        .get_typed_func::<(i32, i32, i32, i32), i32>(&mut store, "call")
        .unwrap();
    let read = instance
        .get_typed_func::<(), i32>(&mut store, "read")
        .unwrap();
    assert_eq!(read.call(&mut store, ()).unwrap(), bridge::READ_FAILED);
    // Nothing to read the operation from: an empty name, then an out-of-bounds range.
    assert_eq!(call.call(&mut store, (0, 0, 0, 0)).unwrap(), 1);
    let envelope: Value = serde_json::from_slice(store.data().0.response()).unwrap();
    assert_eq!(envelope["error"]["name"], "TypeError");
    assert_eq!(call.call(&mut store, (0, 4, 0, 0)).unwrap(), 1);
    let envelope: Value = serde_json::from_slice(store.data().0.response()).unwrap();
    assert_eq!(envelope["error"]["sdmCode"], "host-bridge-out-of-bounds");
}
