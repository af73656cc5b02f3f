//! A guest that forwards hostcalls (tests/support/hostcall_guest.wat), driven through the
//! runtime's direct mode with a given host.

#![allow(dead_code)]

use std::sync::Arc;

use serde_json::Value;
use space_data_module::host::{Host, HostPolicy};
use space_data_module::runtime::{DirectSession, Grants, Limits, Runtime, RuntimeConfig};

pub const FLAG_OP_ABSOLUTE: i32 = 1;
pub const FLAG_PAYLOAD_ABSOLUTE: i32 = 2;
pub const FLAG_READ_ABSOLUTE: i32 = 4;
pub const FLAG_SKIP_CALL: i32 = 8;
pub const FLAG_CLEAR_AFTER: i32 = 16;
/// What the guest reports for a step it skipped.
pub const SKIPPED: i32 = -100;

/// What one guest invoke observed.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: i32,
    pub last_status: i32,
    pub response_len: i32,
    pub read: i32,
    pub clear: i32,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).expect("UTF-8 envelope")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).expect("JSON envelope")
    }

    /// The `error` member of an error envelope.
    pub fn error(&self) -> Value {
        let envelope = self.json();
        assert_eq!(envelope["ok"], Value::Bool(false), "{}", self.text());
        envelope["error"].clone()
    }

    /// The `result` member of an ok envelope.
    pub fn result(&self) -> Value {
        let envelope = self.json();
        assert_eq!(envelope["ok"], Value::Bool(true), "{}", self.text());
        envelope["result"].clone()
    }
}

impl Raw {
    /// The request bytes the guest reads.
    pub fn encode(&self) -> Vec<u8> {
        let mut request = Vec::new();
        for field in [
            self.flags,
            self.op_ptr,
            self.op_len,
            self.payload_ptr,
            self.payload_len,
            self.read_ptr,
            self.read_len,
        ] {
            request.extend_from_slice(&field.to_le_bytes());
        }
        request.extend_from_slice(&self.data);
        request
    }

    /// `call_json(op, payload)`, then a read of the whole response.
    pub fn call(operation: &str, payload: &str) -> Raw {
        let mut data = operation.as_bytes().to_vec();
        data.extend_from_slice(payload.as_bytes());
        Raw {
            op_ptr: 0,
            op_len: operation.len() as i32,
            payload_ptr: operation.len() as i32,
            payload_len: payload.len() as i32,
            read_len: -1,
            data,
            ..Raw::default()
        }
    }
}

impl Reply {
    /// Parses the guest's response bytes.
    pub fn decode(response: &[u8]) -> Reply {
        let field = |i: usize| i32::from_le_bytes(response[i * 4..i * 4 + 4].try_into().unwrap());
        Reply {
            status: field(0),
            last_status: field(1),
            response_len: field(2),
            read: field(3),
            clear: field(4),
            bytes: response[20..].to_vec(),
        }
    }
}

/// The hostcall guest's wasm.
pub fn guest_wasm() -> Vec<u8> {
    wat::parse_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/hostcall_guest.wat"
    ))
    .expect("guest WAT")
}

pub struct Guest {
    _runtime: Runtime,
    session: DirectSession,
}

/// One raw request (see the WAT file for the meaning of each field).
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub flags: i32,
    pub op_ptr: i32,
    pub op_len: i32,
    pub payload_ptr: i32,
    pub payload_len: i32,
    pub read_ptr: i32,
    pub read_len: i32,
    pub data: Vec<u8>,
}

impl Guest {
    pub fn new(host: Option<Arc<Host>>) -> Guest {
        Guest::with_limits(host, Limits::default())
    }

    /// A guest whose calls run under `limits` (e.g. a short wall-clock timeout).
    pub fn with_limits(host: Option<Arc<Host>>, limits: Limits) -> Guest {
        let wasm = guest_wasm();
        let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
        let module = runtime
            .load(&unsigned(&wasm))
            .expect("the sdn_host imports link");
        let grants = match host {
            Some(host) => Grants::default().with_host(host),
            None => Grants::default(),
        };
        let session = runtime.session(&module, limits, grants);
        Guest {
            _runtime: runtime,
            session,
        }
    }

    /// A guest on a host built from `policy`.
    pub fn with_policy(policy: HostPolicy) -> Guest {
        Guest::new(Some(Arc::new(Host::new(policy))))
    }

    pub fn raw(&mut self, raw: &Raw) -> Reply {
        self.try_raw(raw).expect("guest call")
    }

    /// Like [`Guest::raw`], but a failed invoke (trap, limit) is returned, not a panic.
    pub fn try_raw(&mut self, raw: &Raw) -> space_data_module::Result<Reply> {
        let response = self.session.invoke_bytes(&raw.encode())?;
        Ok(Reply::decode(&response))
    }

    /// `call_json(op, payload)`, then reads the whole response.
    pub fn call(&mut self, operation: &str, payload: &str) -> Reply {
        self.try_call(operation, payload).expect("guest call")
    }

    /// Like [`Guest::call`], but a failed invoke is returned.
    pub fn try_call(&mut self, operation: &str, payload: &str) -> space_data_module::Result<Reply> {
        self.try_raw(&Raw::call(operation, payload))
    }

    /// `call` with a JSON value as payload.
    pub fn call_value(&mut self, operation: &str, params: &Value) -> Reply {
        self.call(operation, &params.to_string())
    }

    /// Reads the current state without calling.
    pub fn state(&mut self) -> Reply {
        self.raw(&Raw {
            flags: FLAG_SKIP_CALL,
            read_len: -1,
            ..Raw::default()
        })
    }
}

/// Plain wasm through the loader's explicit allow-unsigned path (the runtime takes only
/// verified modules).
pub fn unsigned(wasm: &[u8]) -> space_data_module::publication::VerifiedModule {
    space_data_module::publication::VerifiedModule::allow_unsigned(wasm).expect("valid wasm")
}
