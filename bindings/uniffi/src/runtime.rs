//! Running verified modules: `Runtime` (one wasmtime engine with its compile cache, and the
//! limits every call runs under), `Module` (a compiled module) and `HostPolicy` (what the
//! guest's `sdn_host` imports may do, narrowed to what the module's verified manifest
//! declares). All three are `Send + Sync`: one module may be invoked from many threads at
//! once (each call gets a fresh instance).

use std::sync::Arc;
use std::time::Duration;

use space_data_module::api::{self, invoke as core};

use crate::error::{Result, SdmError, guard};
use crate::publication::VerifiedModule;
use crate::type_ref::TypeRef;

/// Limits applied to every call. `fuel` and `timeout_ms`: none is unlimited. Start from
/// [`default_limits`] and change what you need.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Limits {
    /// Fuel (roughly: wasm instructions) per call (`RUNTIME_FUEL_EXHAUSTED`).
    pub fuel: Option<u64>,
    /// Wall-clock time per call in ms (`RUNTIME_TIMEOUT`).
    pub timeout_ms: Option<u64>,
    /// Linear-memory cap per memory (`RUNTIME_MEMORY_LIMIT`).
    pub max_memory_bytes: u64,
    pub max_table_elements: u64,
    pub max_request_bytes: u64,
    pub max_response_bytes: u64,
    /// Guest stderr kept in command mode.
    pub max_stderr_bytes: u64,
}

/// The core's default limits (fuel 10^10, 30 s, 256 MiB memory, 64 MiB request/response).
#[uniffi::export]
pub fn default_limits() -> Limits {
    let api::Limits {
        fuel,
        timeout,
        max_memory_bytes,
        max_table_elements,
        max_request_bytes,
        max_response_bytes,
        max_stderr_bytes,
    } = api::Limits::default();
    Limits {
        fuel,
        timeout_ms: timeout.map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
        max_memory_bytes: max_memory_bytes as u64,
        max_table_elements: max_table_elements as u64,
        max_request_bytes: max_request_bytes as u64,
        max_response_bytes: max_response_bytes as u64,
        max_stderr_bytes: max_stderr_bytes as u64,
    }
}

impl TryFrom<Limits> for api::Limits {
    type Error = SdmError;

    fn try_from(limits: Limits) -> Result<api::Limits> {
        let size = |what: &str, value: u64| {
            usize::try_from(value).map_err(|_| {
                SdmError::invalid_argument(format!(
                    "{what}: {value} is above this platform's range"
                ))
            })
        };
        Ok(api::Limits {
            fuel: limits.fuel,
            timeout: limits.timeout_ms.map(Duration::from_millis),
            max_memory_bytes: size("maxMemoryBytes", limits.max_memory_bytes)?,
            max_table_elements: size("maxTableElements", limits.max_table_elements)?,
            max_request_bytes: size("maxRequestBytes", limits.max_request_bytes)?,
            max_response_bytes: size("maxResponseBytes", limits.max_response_bytes)?,
            max_stderr_bytes: size("maxStderrBytes", limits.max_stderr_bytes)?,
        })
    }
}

/// How a module is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum InvokeMode {
    /// `plugin_alloc` / `plugin_invoke_stream` / `plugin_free`.
    Direct,
    /// `_start` with the request on stdin and the response on stdout.
    Command,
}

impl From<InvokeMode> for api::InvokeMode {
    fn from(mode: InvokeMode) -> Self {
        match mode {
            InvokeMode::Direct => api::InvokeMode::Direct,
            InvokeMode::Command => api::InvokeMode::Command,
        }
    }
}

impl From<api::InvokeMode> for InvokeMode {
    fn from(mode: api::InvokeMode) -> Self {
        match mode {
            api::InvokeMode::Direct => InvokeMode::Direct,
            api::InvokeMode::Command => InvokeMode::Command,
        }
    }
}

/// What the guest's `sdn_host` imports may do (docs/host.md). A module gets at most what its
/// verified manifest declares; the empty policy grants nothing (`host.*` still answers).
#[derive(Debug, uniffi::Object)]
pub struct HostPolicy {
    pub(crate) inner: api::HostPolicy,
}

#[uniffi::export]
impl HostPolicy {
    /// The empty policy: every capability denied.
    #[uniffi::constructor]
    pub fn new() -> Arc<HostPolicy> {
        Arc::new(HostPolicy {
            inner: api::HostPolicy::new(),
        })
    }

    /// The strict JSON form (`{"grant": [...], "filesystemRoot": ...}`): unknown members are
    /// `INVALID_ARGUMENT`, text that is not JSON is `INVALID_JSON`.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<HostPolicy>> {
        guard(|| {
            Ok(Arc::new(HostPolicy {
                inner: api::HostPolicy::from_json_str(&text)?,
            }))
        })
    }

    /// The capability ids granted.
    pub fn granted(&self) -> Vec<String> {
        self.inner.granted.iter().cloned().collect()
    }
}

/// One input frame.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InputFrame {
    pub port: String,
    pub payload: Vec<u8>,
}

/// One output frame: its payload and the envelope's metadata.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutputFrame {
    pub port_id: Option<String>,
    pub payload: Vec<u8>,
    /// The FlatBuffer type reference (none for frames written without one).
    pub type_ref: Option<TypeRef>,
    /// The alignment the producer applied to `offset`, relative to the arena start.
    pub alignment: u16,
    /// Where the payload starts in the response's arena, and its length.
    pub offset: u32,
    pub size: u32,
    /// `BufferOwnership` (0 borrowed, 1 producer-owned, 2 host-owned, 3 shared), passed through.
    pub ownership: u8,
    pub generation: u32,
    /// `BufferMutability` (0 immutable, 1 append-only, 2 mutable), passed through.
    pub mutability: u8,
    pub trace_id: u64,
    pub stream_id: u32,
    pub sequence: u64,
    pub end_of_stream: bool,
}

/// A guest's response. A guest answering with a non-zero status or an error code is a
/// result with `failed == true`, not an exception.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InvokeResult {
    /// The mode that ran (none for registry calls, where the host chooses).
    pub mode: Option<InvokeMode>,
    pub status_code: i32,
    pub yielded: bool,
    pub backlog_remaining: u32,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub failed: bool,
    pub outputs: Vec<OutputFrame>,
}

impl InvokeResult {
    pub(crate) fn from_invoked(invoked: &core::Invoked, mode: Option<InvokeMode>) -> InvokeResult {
        let summary = invoked.result();
        let outputs = summary
            .outputs
            .into_iter()
            .zip(&invoked.response.output_frames)
            .enumerate()
            .map(|(index, (view, frame))| OutputFrame {
                port_id: view.port_id,
                payload: invoked.payload(index).to_vec(),
                type_ref: TypeRef::from_core_json(&view.type_ref),
                alignment: view.alignment,
                offset: view.offset,
                size: view.size,
                ownership: view.ownership,
                generation: view.generation,
                mutability: view.mutability,
                trace_id: frame.trace_id,
                stream_id: view.stream_id,
                sequence: frame.sequence,
                end_of_stream: view.end_of_stream,
            })
            .collect();
        InvokeResult {
            mode,
            status_code: summary.status_code,
            yielded: summary.yielded,
            backlog_remaining: summary.backlog_remaining,
            error_code: summary.error_code,
            error_message: summary.error_message,
            failed: invoked.failed(),
            outputs,
        }
    }
}

/// Options of [`Module::invoke`].
#[derive(Debug, Default, uniffi::Record)]
pub struct InvokeOptions {
    /// None: direct when exported, else command.
    #[uniffi(default)]
    pub mode: Option<InvokeMode>,
    /// The policy behind the guest's `sdn_host` imports (none: the empty policy).
    #[uniffi(default)]
    pub host_policy: Option<Arc<HostPolicy>>,
}

/// One wasmtime engine with its compile cache and the limits calls run under.
#[derive(uniffi::Object)]
pub struct Runtime {
    runtime: Arc<api::Runtime>,
    limits: api::Limits,
}

#[uniffi::export]
impl Runtime {
    /// A runtime whose calls run under `limits` (none: [`default_limits`]).
    #[uniffi::constructor(default(limits = None))]
    pub fn new(limits: Option<Limits>) -> Result<Arc<Runtime>> {
        guard(|| {
            let limits = match limits {
                Some(limits) => api::Limits::try_from(limits)?,
                None => api::Limits::default(),
            };
            Ok(Arc::new(Runtime {
                runtime: Arc::new(api::Runtime::new(api::RuntimeConfig::default())?),
                limits,
            }))
        })
    }

    /// Compiles (or takes from the cache) a verified module.
    pub fn load(&self, module: Arc<VerifiedModule>) -> Result<Arc<Module>> {
        guard(|| {
            Ok(Arc::new(Module {
                loaded: self.runtime.load(&module.inner)?,
                runtime: Arc::clone(&self.runtime),
                limits: self.limits.clone(),
            }))
        })
    }

    /// The limits calls run under.
    pub fn limits(&self) -> Limits {
        let limits = self.limits.clone();
        Limits {
            fuel: limits.fuel,
            timeout_ms: limits
                .timeout
                .map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
            max_memory_bytes: limits.max_memory_bytes as u64,
            max_table_elements: limits.max_table_elements as u64,
            max_request_bytes: limits.max_request_bytes as u64,
            max_response_bytes: limits.max_response_bytes as u64,
            max_stderr_bytes: limits.max_stderr_bytes as u64,
        }
    }
}

/// A compiled module, ready to invoke (a fresh instance per call; safe to share).
#[derive(uniffi::Object)]
pub struct Module {
    pub(crate) runtime: Arc<api::Runtime>,
    pub(crate) loaded: api::LoadedModule,
    pub(crate) limits: api::Limits,
}

#[uniffi::export]
impl Module {
    /// Invokes one method with `(port, payload)` input frames.
    #[uniffi::method(default(inputs = [], options))]
    pub fn invoke(
        &self,
        method: String,
        inputs: Vec<InputFrame>,
        options: InvokeOptions,
    ) -> Result<InvokeResult> {
        guard(|| {
            let call = core::Call {
                method: &method,
                inputs: inputs
                    .iter()
                    .map(|f| (f.port.clone(), f.payload.as_slice()))
                    .collect(),
                mode: options.mode.map(Into::into),
                limits: self.limits.clone(),
                grants: api::Grants::default(),
                host_policy: options.host_policy.as_ref().map(|p| p.inner.clone()),
            };
            let invoked = core::invoke(&self.runtime, &self.loaded, &call)?;
            Ok(InvokeResult::from_invoked(
                &invoked,
                Some(invoked.mode.into()),
            ))
        })
    }

    /// The modes the module supports, direct first.
    pub fn modes(&self) -> Vec<InvokeMode> {
        self.runtime
            .modes(&self.loaded)
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// The canonical module hash (SHA-256 without `sds.*` sections), hex.
    pub fn hash_hex(&self) -> String {
        self.loaded
            .hash()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The capability ids the verified manifest declares.
    pub fn declared_capabilities(&self) -> Vec<String> {
        self.loaded.declared_capabilities().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::type_ref::WireFormat;
    use serde_json::{Value, json};

    /// The binding's typed result in the core's JSON shape (`Invoked::result()`), to compare.
    fn as_core_json(result: &InvokeResult, mode: &str) -> Value {
        use base64::Engine as _;
        let outputs: Vec<Value> = result
            .outputs
            .iter()
            .map(|f| {
                json!({
                    "portId": f.port_id,
                    "typeRef": f.type_ref.as_ref().map(|t| json!({
                        "schemaName": t.schema_name,
                        "fileIdentifier": t.file_identifier,
                        "schemaHash": t.schema_hash,
                        "acceptsAnyFlatbuffer": t.accepts_any_flatbuffer,
                        "wireFormat": t.wire_format.wire_name(),
                        "rootTypeName": t.root_type_name,
                        "fixedStringLength": t.fixed_string_length,
                        "byteLength": t.byte_length,
                        "requiredAlignment": t.required_alignment,
                    })),
                    "alignment": f.alignment,
                    "offset": f.offset,
                    "size": f.size,
                    "ownership": f.ownership,
                    "generation": f.generation,
                    "mutability": f.mutability,
                    "traceId": f.trace_id.to_string(),
                    "streamId": f.stream_id,
                    "sequence": f.sequence.to_string(),
                    "endOfStream": f.end_of_stream,
                    "payloadBase64": base64::engine::general_purpose::STANDARD.encode(&f.payload),
                })
            })
            .collect();
        json!({
            "mode": mode,
            "statusCode": result.status_code,
            "yielded": result.yielded,
            "backlogRemaining": result.backlog_remaining,
            "errorCode": result.error_code,
            "errorMessage": result.error_message,
            "outputs": outputs,
        })
    }

    #[test]
    fn output_frames_carry_every_member_of_the_core_result() {
        // A response with aligned-binary metadata, u64 ids above 2^53 and a BOM-prefixed
        // schema name (the core drops it the way the reference's reader does).
        let response = space_data_module::invoke::json::response_from_json(&json!({
            "statusCode": 3, "yielded": true, "backlogRemaining": 2,
            "errorCode": "partial", "errorMessage": "one more",
            "outputs": [
                {"portId": "vec", "payload": [1, 2, 3, 4, 5, 6, 7, 8],
                 "typeRef": {"schemaName": "\u{feff}Vec.fbs", "fileIdentifier": "VEC3",
                             "schemaHash": [9, 8, 255], "wireFormat": "aligned-binary",
                             "rootTypeName": "Vec3", "byteLength": 8, "requiredAlignment": 16},
                 "alignment": 16, "ownership": 2, "generation": 7, "mutability": 1,
                 "traceId": "18446744073709551615", "streamId": 5,
                 "sequence": "9007199254740993", "endOfStream": true},
                {"portId": null, "payload": [], "typeRef": {"acceptsAnyFlatbuffer": true}}
            ]
        }))
        .unwrap();
        let invoked = core::Invoked {
            mode: api::InvokeMode::Command,
            response,
        };
        let typed = InvokeResult::from_invoked(&invoked, Some(InvokeMode::Command));
        let frame = &typed.outputs[0];
        let type_ref = frame.type_ref.as_ref().unwrap();
        assert_eq!(type_ref.wire_format, WireFormat::AlignedBinary);
        assert_eq!(type_ref.schema_name.as_deref(), Some("Vec.fbs"));
        assert_eq!(frame.trace_id, u64::MAX);
        assert_eq!(frame.sequence, (1 << 53) + 1);
        assert_eq!(
            as_core_json(&typed, "command"),
            serde_json::to_value(invoked.result()).unwrap()
        );
        assert!(typed.failed);
    }
}
