//! Sessions of the front-end API (`api::invoke::session`): the guest keeps its state between
//! the calls of a session, a one-shot `invoke` never sees it, a host-side failure discards the
//! instance so the next call starts fresh, and a module without the direct-mode ABI cannot
//! open one.

use space_data_module::ErrorCode;
use space_data_module::api::invoke::{self, Call};
use space_data_module::api::{
    Grants, InvokeResponse, Limits, LoadedModule, Runtime, RuntimeConfig,
};
use space_data_module::invoke::encode_response;

mod guests;

/// Marks the status code in the encoded response so the guest can find and patch it.
const MARKER: i32 = 0x0102_0300;

/// A direct-mode guest answering a valid response envelope whose status code is `MARKER` plus
/// its call counter (a global), and trapping on its third call.
fn counting_guest() -> Vec<u8> {
    let template = encode_response(&InvokeResponse {
        status_code: MARKER,
        yielded: false,
        backlog_remaining: 0,
        output_frames: Vec::new(),
        payload_arena: Vec::new(),
        error_code: None,
        error_message: None,
    })
    .unwrap();
    let offset = template
        .windows(4)
        .position(|window| window == MARKER.to_le_bytes())
        .expect("the status code is in the envelope");
    let escaped: String = template.iter().map(|b| format!("\\{b:02x}")).collect();
    let len = template.len();
    let body = format!(
        r#"
    (if (i32.eq (global.get $calls) (i32.const 2))
      (then (global.set $calls (i32.const 3)) unreachable))
    (local.set $resp (call $alloc (i32.const {len})))
    (memory.copy (local.get $resp) (i32.const 60000) (i32.const {len}))
    (i32.store (i32.add (local.get $resp) (i32.const {offset}))
      (i32.add (i32.const {MARKER}) (global.get $calls)))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.store (local.get $out) (i32.const {len}))
    (local.get $resp)"#
    );
    guests::direct_with(
        &body,
        "",
        &format!(r#"(global $calls (mut i32) (i32.const 0)) (data (i32.const 60000) "{escaped}")"#),
    )
}

fn load(runtime: &Runtime, wasm: &[u8]) -> LoadedModule {
    runtime.load(&guests::unsigned(wasm)).unwrap()
}

fn counting_module() -> (Runtime, LoadedModule) {
    let runtime = Runtime::new(RuntimeConfig::default()).unwrap();
    let module = load(&runtime, &counting_guest());
    (runtime, module)
}

fn open(runtime: &Runtime, module: &LoadedModule) -> space_data_module::Result<invoke::Session> {
    invoke::session(runtime, module, Limits::default(), Grants::default(), None)
}

fn calls_seen(status: i32) -> i32 {
    status - MARKER
}

#[test]
fn a_session_keeps_guest_state_between_calls_and_one_shot_calls_do_not() {
    let (runtime, module) = counting_module();
    let mut session = open(&runtime, &module).unwrap();
    for expected in 0..2 {
        let invoked = session.invoke("count", &[]).unwrap();
        assert_eq!(calls_seen(invoked.response.status_code), expected);
        assert_eq!(invoked.mode.as_str(), "direct");
    }
    let call = Call {
        method: "count",
        ..Call::default()
    };
    for _ in 0..3 {
        let invoked = invoke::invoke(&runtime, &module, &call).unwrap();
        assert_eq!(
            calls_seen(invoked.response.status_code),
            0,
            "fresh instance"
        );
    }
}

#[test]
fn a_failed_call_discards_the_instance_and_the_next_starts_fresh() {
    let (runtime, module) = counting_module();
    let mut session = open(&runtime, &module).unwrap();
    session.invoke("count", &[]).unwrap();
    session.invoke("count", &[]).unwrap();
    let trap = session.invoke("count", &[]).unwrap_err();
    assert_eq!(trap.code(), ErrorCode::RuntimeTrap, "{trap}");
    let after = session.invoke("count", &[]).unwrap();
    assert_eq!(calls_seen(after.response.status_code), 0);
}

#[test]
fn sessions_need_the_direct_mode_abi() {
    let runtime = Runtime::new(RuntimeConfig::default()).unwrap();
    let module = load(&runtime, &guests::command_echo());
    let err = invoke::session(
        &runtime,
        &module,
        Limits::default(),
        Grants::default(),
        None,
    )
    .err()
    .expect("a command-only module has no session");
    assert_eq!(err.code(), ErrorCode::RuntimeMissingExport);
}

#[test]
fn sessions_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<invoke::Session>();
    let (runtime, module) = counting_module();
    let mut session = open(&runtime, &module).unwrap();
    session.invoke("count", &[]).unwrap();
    let status = std::thread::spawn(move || session.invoke("count", &[]).unwrap())
        .join()
        .unwrap()
        .response
        .status_code;
    assert_eq!(calls_seen(status), 1, "the instance moved with the session");
}
