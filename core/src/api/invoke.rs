//! Running a verified module: direct or command mode, under limits, with WASI grants and a
//! host policy narrowed to what the module's verified manifest declares.

use std::sync::Arc;

use base64::Engine as _;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::host::{Host, HostPolicy};
use crate::invoke::json::type_ref_to_json;
use crate::invoke::{FrameSet, FrameSpec, InvokeRequest, InvokeResponse, TypeRef};
use crate::runtime::direct::INVOKE_EXPORT;
use crate::runtime::{DirectSession, Grants, InvokeMode, Limits, LoadedModule, Runtime};
use crate::runtime_host::{ModuleRef, RuntimeHost};
use crate::{Error, ErrorCode, Result};

/// The host a module runs under: `policy` narrowed to the capabilities its verified manifest
/// declares (a module without a manifest is granted nothing). The one place a host is narrowed.
pub fn narrowed_host(policy: &HostPolicy, module: &LoadedModule) -> Arc<Host> {
    Arc::new(Host::for_manifest(
        policy.clone(),
        module.declared_capabilities(),
    ))
}

/// The mode to use when the caller names none: direct when exported, else command.
pub fn default_mode(runtime: &Runtime, module: &LoadedModule) -> Result<InvokeMode> {
    runtime.modes(module).first().copied().ok_or_else(|| {
        Error::new(
            ErrorCode::RuntimeMissingExport,
            "module exports neither plugin_invoke_stream nor _start",
        )
    })
}

/// Parses a mode name (`"direct"`, `"command"`).
pub fn parse_mode(name: &str) -> Result<InvokeMode> {
    match name {
        "direct" => Ok(InvokeMode::Direct),
        "command" => Ok(InvokeMode::Command),
        other => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("mode \"{other}\" is neither \"direct\" nor \"command\""),
        )),
    }
}

/// One call of a method.
#[derive(Debug, Clone, Default)]
pub struct Call<'a> {
    pub method: &'a str,
    /// `(port, payload)` frames, in order.
    pub inputs: Vec<(String, &'a [u8])>,
    /// `None`: [`default_mode`].
    pub mode: Option<InvokeMode>,
    pub limits: Limits,
    /// Arguments, environment and preopened directories (the host in it is replaced when
    /// `host_policy` is given).
    pub grants: Grants,
    /// The policy behind the guest's `sdn_host` imports, narrowed by [`narrowed_host`].
    /// `None`: the empty policy (every capability denied; `host.*` still answers).
    pub host_policy: Option<HostPolicy>,
}

/// The response of a call, decoded and verified, with the mode that ran.
#[derive(Debug, Clone)]
pub struct Invoked {
    pub mode: InvokeMode,
    pub response: InvokeResponse,
}

/// Invokes one method. A guest answering with a non-zero status or an error code is an
/// [`Invoked`] with those fields set, not an `Err`; `Err` is for the host side (limits, traps,
/// malformed envelopes).
pub fn invoke(runtime: &Runtime, module: &LoadedModule, call: &Call<'_>) -> Result<Invoked> {
    let request = build_request(call.method, &call.inputs)?;
    let mode = match call.mode {
        Some(mode) => mode,
        None => default_mode(runtime, module)?,
    };
    let mut grants = call.grants.clone();
    if let Some(policy) = &call.host_policy {
        grants.host = Some(narrowed_host(policy, module));
    }
    let response = runtime.invoke(module, &request, mode, &grants, &call.limits)?;
    Ok(Invoked { mode, response })
}

/// Repeated direct-mode calls into one instance of a module. Where [`invoke`] gives every
/// call a fresh instance (no state survives a call), a session keeps the guest's memory and
/// globals between calls, as a long-lived plugin host does; a call then costs the round trip
/// only, not an instantiation. After a host-side failure (trap, limit, malformed response) the
/// instance is discarded and the next call starts a fresh one, so one bad call never poisons
/// the session. While it has a live instance, a session holds one of the runtime's instance
/// pool slots (docs/runtime.md).
///
/// `Send`, not `Sync`: one call at a time; threads that want parallel calls open one session
/// each.
pub struct Session {
    inner: DirectSession,
}

/// Opens a [`Session`] on `module` under `limits` and `grants`; `host_policy` (narrowed by
/// [`narrowed_host`]) replaces the grants' host as for [`invoke`]. The instance is created on
/// the first call. Errors: `runtime-missing-export` when the module has no direct-mode ABI.
pub fn session(
    runtime: &Runtime,
    module: &LoadedModule,
    limits: Limits,
    mut grants: Grants,
    host_policy: Option<&HostPolicy>,
) -> Result<Session> {
    if !module.exports(INVOKE_EXPORT) {
        return Err(Error::new(
            ErrorCode::RuntimeMissingExport,
            format!("a session needs direct mode: the module does not export {INVOKE_EXPORT}"),
        ));
    }
    if let Some(policy) = host_policy {
        grants.host = Some(narrowed_host(policy, module));
    }
    Ok(Session {
        inner: runtime.session(module, limits, grants),
    })
}

impl Session {
    /// Invokes one method in the session's instance. Guest failures are in the [`Invoked`],
    /// as for [`invoke`].
    pub fn invoke(&mut self, method: &str, inputs: &[(String, &[u8])]) -> Result<Invoked> {
        let request = build_request(method, inputs)?;
        let response = self.inner.invoke(&request)?;
        Ok(Invoked {
            mode: InvokeMode::Direct,
            response,
        })
    }

    /// The limits every call of this session runs under.
    pub fn limits(&self) -> &Limits {
        self.inner.limits()
    }
}

/// The request envelope of one call: `(port, payload)` frames, in order. For front ends that
/// invoke through something other than [`invoke`] (the runtime host's module registry).
pub fn build_request(method: &str, inputs: &[(String, &[u8])]) -> Result<InvokeRequest> {
    // Every frame carries a type reference, as the reference's JS encoder writes one.
    let frames = inputs.iter().map(|(port, payload)| {
        (
            FrameSpec::new(port.clone(), Some(TypeRef::default())),
            *payload,
        )
    });
    InvokeRequest::build(method.to_owned(), frames)
}

/// Invokes a module installed and loaded in a runtime host's registry, under the registry's
/// limits and host (direct mode when exported, else command). Guest failures are in the
/// [`Invoked`], as for [`invoke`].
pub fn invoke_installed(
    host: &RuntimeHost,
    module: &ModuleRef,
    method: &str,
    inputs: &[(String, &[u8])],
) -> Result<Invoked> {
    let request = build_request(method, inputs)?;
    let (mode, response) = host.modules().invoke_with_mode(module, &request)?;
    Ok(Invoked { mode, response })
}

impl Invoked {
    /// True when the guest answered with a non-zero status or an error code.
    pub fn failed(&self) -> bool {
        self.response.status_code != 0
            || self
                .response
                .error_code
                .as_deref()
                .is_some_and(|code| !code.is_empty())
    }

    /// The payload of output frame `index`.
    pub fn payload(&self, index: usize) -> &[u8] {
        self.response.payload(index).unwrap_or_default()
    }

    /// What every front end prints (`invoke --json`, bindings): payloads in base64.
    pub fn result(&self) -> InvokeResult {
        InvokeResult {
            mode: self.mode.as_str().to_owned(),
            status_code: self.response.status_code,
            yielded: self.response.yielded,
            backlog_remaining: self.response.backlog_remaining,
            error_code: self.response.error_code.clone(),
            error_message: self.response.error_message.clone(),
            outputs: self
                .response
                .output_frames
                .iter()
                .enumerate()
                .map(|(index, frame)| OutputFrame {
                    port_id: frame.port_id.clone(),
                    type_ref: frame
                        .type_ref
                        .as_ref()
                        .map_or(Value::Null, type_ref_to_json),
                    alignment: frame.alignment,
                    offset: frame.offset,
                    size: frame.size,
                    ownership: frame.ownership,
                    generation: frame.generation,
                    mutability: frame.mutability,
                    trace_id: frame.trace_id.to_string(),
                    stream_id: frame.stream_id,
                    sequence: frame.sequence.to_string(),
                    end_of_stream: frame.end_of_stream,
                    payload_base64: base64::engine::general_purpose::STANDARD
                        .encode(self.payload(index)),
                })
                .collect(),
        }
    }
}

/// A response as JSON (`invoke --json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "InvokeResult")]
pub struct InvokeResult {
    /// `"direct"` or `"command"`.
    pub mode: String,
    pub status_code: i32,
    pub yielded: bool,
    pub backlog_remaining: u32,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub outputs: Vec<OutputFrame>,
}

/// One output frame with its metadata (aligned-binary envelope fields) and payload.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutputFrame {
    pub port_id: Option<String>,
    /// The FlatBuffer type reference, or null.
    pub type_ref: Value,
    pub alignment: u16,
    pub offset: u32,
    pub size: u32,
    pub ownership: u8,
    pub generation: u32,
    pub mutability: u8,
    /// A u64, as decimal text.
    pub trace_id: String,
    pub stream_id: u32,
    /// A u64, as decimal text.
    pub sequence: String,
    pub end_of_stream: bool,
    pub payload_base64: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_request_keeps_ports_and_payloads_in_order() {
        let inputs = [
            ("a".to_owned(), &b"first"[..]),
            ("b".to_owned(), &b""[..]),
            ("a".to_owned(), &b"third"[..]),
        ];
        let request = build_request("echo", &inputs).unwrap();
        assert_eq!(request.method_id, "echo");
        assert_eq!(request.input_frames.len(), 3);
        for (index, (port, payload)) in inputs.iter().enumerate() {
            let frame = &request.input_frames[index];
            assert_eq!(frame.port_id.as_deref(), Some(port.as_str()));
            assert!(frame.type_ref.is_some());
            assert_eq!(request.payload(index).unwrap(), *payload);
        }
    }
}
