//! The `sdn_host` hostcall bridge (spec 5.1-5.2): five imports over one "last envelope" per
//! store.
//!
//! | import | returns |
//! |---|---|
//! | `call_json(op_ptr, op_len, payload_ptr, payload_len)` | 0 (ok envelope) or 1 (error envelope); never traps, except once the invocation's deadline has passed (`runtime-timeout`) |
//! | `response_len()` | byte length of the last envelope |
//! | `read_response(dst_ptr, dst_len)` | bytes copied, `min(len, dst_len)`; **-1** (nothing copied) when `dst_ptr` or `dst_len` is negative, the range is outside guest memory, or the guest exports no memory |
//! | `last_status_code()` | 0 or 1 |
//! | `clear_response()` | 0; the state is back to `{"ok":true,"result":null}` |
//!
//! Pointers and lengths are read as signed `i32`, as the reference's JavaScript does: a
//! negative value is out of bounds. In `call_json`, the payload and operation lengths are
//! checked against their caps before memory is touched (`host-request-too-large`), then both
//! ranges against memory (`RangeError`, `host-bridge-out-of-bounds`), all as error envelopes.
//! An envelope longer than `max_response_bytes` is replaced by a fixed, small
//! `host-response-too-large` envelope that is always stored (the effective cap is never
//! below its size).

use std::sync::{Arc, LazyLock};
use std::time::Instant;

use serde_json::{Map, Value};
use wasmtime::{Caller, Extern, Linker, Trap};

use crate::ErrorCode;
use crate::host::{Host, HostError, HostPolicy};
use crate::runtime::host_imports::{HostImports, HostState, sealed};
use crate::runtime::store::StoreState;

/// The import module name.
pub const MODULE: &str = "sdn_host";
pub const STATUS_OK: i32 = 0;
pub const STATUS_ERROR: i32 = 1;
/// What `read_response` returns when it cannot copy.
pub const READ_FAILED: i32 = -1;
/// The envelope before any call and after `clear_response`.
pub const INITIAL_ENVELOPE: &str = r#"{"ok":true,"result":null}"#;
/// Stored instead of an envelope that exceeds `max_response_bytes`.
pub const RESPONSE_TOO_LARGE_ENVELOPE: &str = r#"{"ok":false,"error":{"name":"Error","message":"Hostcall response exceeds the response byte limit.","code":null,"operation":null,"capability":null,"sdmCode":"host-response-too-large"}}"#;

/// The host a store uses when its grants name none: nothing granted, `host.*` still answers.
pub fn empty_host() -> Arc<Host> {
    static EMPTY: LazyLock<Arc<Host>> =
        LazyLock::new(|| Arc::new(Host::new(HostPolicy::default())));
    Arc::clone(&EMPTY)
}

/// The bridge state of one store: the host it calls and the last envelope.
pub struct HostcallState {
    host: Arc<Host>,
    response: Vec<u8>,
    status: i32,
    /// When the current invocation must end (its wall-clock limit), if it has one.
    deadline: Option<Instant>,
}

impl HostcallState {
    pub fn new(host: Arc<Host>) -> Self {
        HostcallState {
            host,
            response: INITIAL_ENVELOPE.as_bytes().to_vec(),
            status: STATUS_OK,
            deadline: None,
        }
    }

    /// Sets the deadline of the invocation about to run (the runtime does, from
    /// `Limits::timeout`). Host calls honour it: see [`Host::invoke_with_deadline`].
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// True once the invocation's deadline has passed.
    fn past_deadline(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    pub fn host(&self) -> &Arc<Host> {
        &self.host
    }

    /// The last envelope's UTF-8 JSON text.
    pub fn response(&self) -> &[u8] {
        &self.response
    }

    pub fn status(&self) -> i32 {
        self.status
    }

    /// `clear_response`.
    pub fn clear(&mut self) -> i32 {
        self.response = INITIAL_ENVELOPE.as_bytes().to_vec();
        self.status = STATUS_OK;
        STATUS_OK
    }

    /// `call_json` against `memory` (the guest's linear memory; empty when it exports none).
    pub fn call_json(
        &mut self,
        memory: &[u8],
        op_ptr: i32,
        op_len: i32,
        payload_ptr: i32,
        payload_len: i32,
    ) -> i32 {
        match self.dispatch(memory, op_ptr, op_len, payload_ptr, payload_len) {
            Ok(result) => {
                let mut envelope = Map::new();
                envelope.insert("ok".into(), Value::Bool(true));
                envelope.insert("result".into(), result);
                self.store(STATUS_OK, Value::Object(envelope))
            }
            Err(error) => self.store_error(&error),
        }
    }

    fn dispatch(
        &self,
        memory: &[u8],
        op_ptr: i32,
        op_len: i32,
        payload_ptr: i32,
        payload_len: i32,
    ) -> Result<Value, HostError> {
        let limits = self.host.limits();
        // Caps first: nothing is read (or allocated) for an oversized request.
        if i64::from(payload_len) > as_i64(limits.max_request_bytes) {
            return Err(too_large(format!(
                "Hostcall request exceeds {} byte limit.",
                limits.max_request_bytes
            )));
        }
        if i64::from(op_len) > as_i64(limits.max_operation_bytes) {
            return Err(too_large(format!(
                "Hostcall operation name exceeds {} byte limit.",
                limits.max_operation_bytes
            )));
        }
        let operation = guest_bytes(memory, op_ptr, op_len, "Operation")?;
        let payload = guest_bytes(memory, payload_ptr, payload_len, "Payload")?;
        // TextDecoder semantics: invalid UTF-8 becomes U+FFFD rather than an error.
        let operation = String::from_utf8_lossy(operation);
        let params = parse_payload(payload)?;
        let operation = crate::js::js_trim(&operation);
        if operation.is_empty() {
            return Err(HostError::invalid_params("Hostcall operation is required."));
        }
        self.host
            .invoke_with_deadline(operation, &params, self.deadline)
    }

    fn store_error(&mut self, error: &HostError) -> i32 {
        let mut envelope = Map::new();
        envelope.insert("ok".into(), Value::Bool(false));
        envelope.insert("error".into(), error.to_envelope_error());
        self.store(STATUS_ERROR, Value::Object(envelope))
    }

    /// Stores an envelope, or the fixed too-large one; returns the status stored.
    fn store(&mut self, status: i32, envelope: Value) -> i32 {
        let max = self
            .host
            .limits()
            .max_response_bytes
            .max(RESPONSE_TOO_LARGE_ENVELOPE.len());
        match serde_json::to_vec(&envelope) {
            Ok(text) if text.len() <= max => {
                self.response = text;
                self.status = status;
                status
            }
            _ => {
                self.response = RESPONSE_TOO_LARGE_ENVELOPE.as_bytes().to_vec();
                self.status = STATUS_ERROR;
                STATUS_ERROR
            }
        }
    }

    /// `read_response`: copies `min(len, dst_len)` bytes to `dst_ptr`.
    pub fn read_response(&self, memory: &mut [u8], dst_ptr: i32, dst_len: i32) -> i32 {
        let (Ok(start), Ok(capacity)) = (usize::try_from(dst_ptr), usize::try_from(dst_len)) else {
            return READ_FAILED;
        };
        let count = self.response.len().min(capacity);
        let Some(target) = start
            .checked_add(count)
            .and_then(|end| memory.get_mut(start..end))
        else {
            return READ_FAILED;
        };
        target.copy_from_slice(&self.response[..count]);
        i32::try_from(count).unwrap_or(READ_FAILED)
    }

    /// `response_len` (saturating at `i32::MAX`).
    pub fn response_len(&self) -> i32 {
        i32::try_from(self.response.len()).unwrap_or(i32::MAX)
    }
}

/// A cap as i64 (caps beyond i64 saturate: no i32 length can exceed them).
fn as_i64(cap: usize) -> i64 {
    i64::try_from(cap).unwrap_or(i64::MAX)
}

fn too_large(message: String) -> HostError {
    HostError::new(ErrorCode::HostRequestTooLarge, "Error", message)
}

/// `[ptr, ptr + len)` of guest memory, or the reference's RangeErrors.
fn guest_bytes<'m>(
    memory: &'m [u8],
    ptr: i32,
    len: i32,
    label: &str,
) -> Result<&'m [u8], HostError> {
    let out_of_bounds =
        |message: String| HostError::new(ErrorCode::HostBridgeOutOfBounds, "RangeError", message);
    let start = usize::try_from(ptr)
        .map_err(|_| out_of_bounds(format!("{label} pointer must be a non-negative integer.")))?;
    let len = usize::try_from(len)
        .map_err(|_| out_of_bounds(format!("{label} length must be a non-negative integer.")))?;
    start
        .checked_add(len)
        .and_then(|end| memory.get(start..end))
        .ok_or_else(|| out_of_bounds(format!("{label} range exceeds guest memory bounds.")))
}

/// Empty or whitespace-only payloads are `null`; anything else must be JSON (`SyntaxError`).
fn parse_payload(bytes: &[u8]) -> Result<Value, HostError> {
    let text = String::from_utf8_lossy(bytes);
    if crate::js::js_trim(&text).is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|err| {
        HostError::new(
            ErrorCode::HostInvalidParams,
            "SyntaxError",
            format!("Invalid JSON payload: {err}"),
        )
    })
}

/// The guest's exported `memory`, if any.
fn memory_of<T>(caller: &mut Caller<'_, T>) -> Option<wasmtime::Memory> {
    caller.get_export("memory").and_then(Extern::into_memory)
}

/// What `call_json` ends with when the invocation's deadline passed during the host call: the
/// engine's epoch check would only fire at the guest's next loop or call, and a guest that
/// returns right away would finish past its limit. Trapping here gives the same
/// `Trap::Interrupt` (`runtime-timeout`) the epoch deadline gives.
fn deadline_trap(status: i32, state: &HostcallState) -> wasmtime::Result<i32> {
    if state.past_deadline() {
        return Err(wasmtime::Error::new(Trap::Interrupt));
    }
    Ok(status)
}

/// Defines the five `sdn_host` imports in `linker`; `state` finds a store's [`HostcallState`].
/// (The runtime links them through `SdnHostImports`; this is for embedders with their own
/// linker.)
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    state: fn(&mut T) -> &mut HostcallState,
) -> wasmtime::Result<()> {
    link(linker, move |data: &mut T| Some(state(data)))
}

/// The bridge as the runtime's host imports (`runtime::host_imports`): `Runtime::new` links it
/// when the `host` layer is built.
pub(crate) struct SdnHostImports;

impl HostImports for SdnHostImports {
    fn add_to_linker(&self, linker: &mut Linker<StoreState>) -> wasmtime::Result<()> {
        link(linker, runtime_state)
    }
}

/// A `Host` in `Grants::host`: each store gets its own bridge state over the host.
impl sealed::Binding for Host {
    fn store_state(self: Arc<Self>) -> HostState {
        Box::new(HostcallState::new(self))
    }
}

/// The bridge state of a runtime store: the one its granted host made, else one over the empty
/// host, made on first use.
/// The invocation's deadline (set by the runtime on the store) is handed to the state here.
fn runtime_state(store: &mut StoreState) -> Option<&mut HostcallState> {
    let deadline = store.deadline;
    let state: &mut HostcallState = store
        .host_state(|| Box::new(HostcallState::new(empty_host())))
        .downcast_mut()?;
    state.set_deadline(deadline);
    Some(state)
}

/// A store whose state is not the bridge's (cannot happen for the runtime's stores, whose
/// bindings are sealed): the call traps instead of answering.
fn bound(state: Option<&mut HostcallState>) -> wasmtime::Result<&mut HostcallState> {
    state.ok_or_else(|| wasmtime::Error::msg("sdn_host: the store has no hostcall state"))
}

/// Defines the five imports over the state `state` finds in a store.
fn link<T: 'static, F>(linker: &mut Linker<T>, state: F) -> wasmtime::Result<()>
where
    F: Fn(&mut T) -> Option<&mut HostcallState> + Copy + Send + Sync + 'static,
{
    linker.func_wrap(
        MODULE,
        "call_json",
        move |mut caller: Caller<'_, T>,
              op_ptr: i32,
              op_len: i32,
              payload_ptr: i32,
              payload_len: i32| {
            let status = match memory_of(&mut caller) {
                Some(memory) => {
                    let (data, store) = memory.data_and_store_mut(&mut caller);
                    bound(state(store))?.call_json(data, op_ptr, op_len, payload_ptr, payload_len)
                }
                None => bound(state(caller.data_mut()))?.call_json(
                    &[],
                    op_ptr,
                    op_len,
                    payload_ptr,
                    payload_len,
                ),
            };
            deadline_trap(status, bound(state(caller.data_mut()))?)
        },
    )?;
    linker.func_wrap(MODULE, "response_len", move |mut caller: Caller<'_, T>| {
        Ok(bound(state(caller.data_mut()))?.response_len())
    })?;
    linker.func_wrap(
        MODULE,
        "read_response",
        move |mut caller: Caller<'_, T>, dst_ptr: i32, dst_len: i32| match memory_of(&mut caller) {
            Some(memory) => {
                let (data, store) = memory.data_and_store_mut(&mut caller);
                Ok(bound(state(store))?.read_response(data, dst_ptr, dst_len))
            }
            None => Ok(READ_FAILED),
        },
    )?;
    linker.func_wrap(
        MODULE,
        "last_status_code",
        move |mut caller: Caller<'_, T>| Ok(bound(state(caller.data_mut()))?.status()),
    )?;
    linker.func_wrap(
        MODULE,
        "clear_response",
        move |mut caller: Caller<'_, T>| Ok(bound(state(caller.data_mut()))?.clear()),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> HostcallState {
        HostcallState::new(Arc::new(Host::new(HostPolicy::new().grant("clock"))))
    }

    #[test]
    fn read_response_copies_a_prefix_and_refuses_bad_ranges() {
        let state = state();
        let mut memory = vec![0u8; 64];
        assert_eq!(state.read_response(&mut memory, 10, 5), 5);
        assert_eq!(&memory[10..15], b"{\"ok\"");
        assert_eq!(state.read_response(&mut memory, 60, 25), READ_FAILED);
        assert_eq!(state.read_response(&mut memory, -1, 5), READ_FAILED);
        assert_eq!(state.read_response(&mut memory, 0, -5), READ_FAILED);
        assert_eq!(state.read_response(&mut memory, 64, 0), 0);
    }

    #[test]
    fn oversized_envelopes_become_the_fixed_one() {
        let mut policy = HostPolicy::new().grant("random");
        policy.limits.max_response_bytes = 10;
        let mut state = HostcallState::new(Arc::new(Host::new(policy)));
        let mut memory = b"random.bytes{\"length\":640}".to_vec();
        assert_eq!(state.call_json(&memory, 0, 12, 12, 14), STATUS_ERROR);
        assert_eq!(state.response(), RESPONSE_TOO_LARGE_ENVELOPE.as_bytes());
        let len = state.response_len();
        memory.resize(512, 0);
        assert_eq!(state.read_response(&mut memory, 0, 512), len);
        assert_eq!(state.clear(), STATUS_OK);
        assert_eq!(state.response(), INITIAL_ENVELOPE.as_bytes());
    }
}
