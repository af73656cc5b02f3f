//! The host behind a guest's `sdn_host` imports: `sdm_host` (a policy, docs/host.md), direct
//! host calls, and invocation of a module under that policy.
//!
//! `sdm_host` may be shared between threads. A module is granted at most what its manifest
//! declares: the first hosted call of a module reads its declared capabilities and keeps the
//! narrowed host for that module (keyed by the module hash), so `context.*` values persist
//! across calls of the same module on the same `sdm_host`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use space_data_module::api::invoke::narrowed_host;
use space_data_module::host::{Host, HostPolicy};
use space_data_module::runtime::{Grants, InvokeMode, Limits};
use space_data_module::{Error, ErrorCode};

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{input, json_bytes, require_out, sdm_bytes, utf8_input, write_out};
use crate::runtime::{sdm_limits, sdm_module};

/// Direct mode (`plugin_alloc` / `plugin_invoke_stream` / `plugin_free`).
pub const SDM_INVOKE_DIRECT: u32 = 0;
/// Command mode (`_start`, request on stdin, response on stdout).
pub const SDM_INVOKE_COMMAND: u32 = 1;

/// A module's code hash and the capabilities its verified manifest declares.
type ModuleKey = ([u8; 32], Vec<String>);

/// A host policy and the hosts narrowed from it per module. Create with `sdm_host_new`,
/// release with `sdm_host_free`. Thread-safe: may be used from several threads at once.
#[allow(non_camel_case_types)]
pub struct sdm_host {
    /// The policy as given: what `sdm_host_invoke` runs under.
    embedder: Arc<Host>,
    policy: HostPolicy,
    per_module: Mutex<HashMap<ModuleKey, Arc<Host>>>,
}

impl sdm_host {
    /// The host narrowed for `module`, cached per (module hash, declared capabilities) so
    /// `context.*` state persists across calls of the same module.
    fn for_module(&self, module: &sdm_module) -> Arc<Host> {
        let key = (
            module.module.hash(),
            module.module.declared_capabilities().to_vec(),
        );
        if let Some(host) = self.lock().get(&key) {
            return Arc::clone(host);
        }
        let host = narrowed_host(&self.policy, &module.module);
        Arc::clone(self.lock().entry(key).or_insert(host))
    }

    /// The policy as given (what `sdm_module_run` narrows per run).
    pub(crate) fn policy(&self) -> &HostPolicy {
        &self.policy
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ModuleKey, Arc<Host>>> {
        // Inserts are single operations: a panic elsewhere cannot leave the map half-written.
        self.per_module
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Creates a host from its JSON policy (UTF-8; `{}` grants nothing; unknown members are
/// `invalid-argument`).
///
/// # Safety
/// `policy_json` valid for `policy_len` bytes; `out_host` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_host_new(
    policy_json: *const u8,
    policy_len: usize,
    out_host: *mut *mut sdm_host,
) -> sdm_status {
    guard(|| {
        require_out(out_host, "out_host")?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(policy_json, policy_len, "policy_json") }?;
        let policy = HostPolicy::from_json_str(text)?;
        let handle = Box::into_raw(Box::new(sdm_host {
            embedder: Arc::new(Host::new(policy.clone())),
            policy,
            per_module: Mutex::new(HashMap::new()),
        }));
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_host, handle) };
        Ok(())
    })
}

/// Releases a host. Accepts NULL.
///
/// # Safety
/// `host` is NULL or a handle from `sdm_host_new` not yet freed and not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_host_free(host: *mut sdm_host) {
    // SAFETY: caller contract; the handle came from `Box::into_raw` in `sdm_host_new`.
    unsafe { crate::boundary::free_handle(host) }
}

/// Runs one host operation for the embedder (not narrowed by any manifest). `params_json`
/// may be empty (null params). On success `out_result_json` is the operation's result as
/// JSON; on failure the status is the operation's error code (e.g. 800
/// `host-capability-denied`) and the message says why.
///
/// # Safety
/// `host` NULL or live; `operation` valid for `operation_len` bytes; `params_json` valid for
/// `params_len` bytes (may be NULL when `params_len` is 0); `out_result_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_host_invoke(
    host: *const sdm_host,
    operation: *const u8,
    operation_len: usize,
    params_json: *const u8,
    params_len: usize,
    out_result_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_result_json, "out_result_json")?;
        // SAFETY: caller contract.
        let host = unsafe { host.as_ref() }.ok_or_else(|| invalid_argument("host is NULL"))?;
        // SAFETY: caller contract.
        let operation = unsafe { utf8_input(operation, operation_len, "operation") }?;
        let params = if params_len == 0 {
            serde_json::Value::Null
        } else {
            // SAFETY: caller contract.
            let text = unsafe { utf8_input(params_json, params_len, "params_json") }?;
            if text.trim().is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_str(text).map_err(|err| {
                    Error::new(ErrorCode::InvalidJson, format!("params_json: {err}"))
                })?
            }
        };
        let result = host.embedder.invoke(operation, &params)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_result_json, sdm_bytes::from_vec(json_bytes(&result)?)) };
        Ok(())
    })
}

/// Invokes a module with `host` behind its `sdn_host` imports, in `mode`
/// (`SDM_INVOKE_DIRECT` or `SDM_INVOKE_COMMAND`). The guest gets at most the capabilities
/// its manifest declares and the policy grants. `limits` NULL = defaults.
///
/// # Safety
/// `module` and `host` NULL or live; `request` valid for `request_len` bytes; `limits` NULL
/// or readable; `out_response` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_module_invoke_hosted(
    module: *const sdm_module,
    host: *const sdm_host,
    mode: u32,
    request: *const u8,
    request_len: usize,
    limits: *const sdm_limits,
    out_response: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_response, "out_response")?;
        // SAFETY: caller contract.
        let module =
            unsafe { module.as_ref() }.ok_or_else(|| invalid_argument("module is NULL"))?;
        // SAFETY: caller contract.
        let host = unsafe { host.as_ref() }.ok_or_else(|| invalid_argument("host is NULL"))?;
        let mode = match mode {
            SDM_INVOKE_DIRECT => InvokeMode::Direct,
            SDM_INVOKE_COMMAND => InvokeMode::Command,
            other => {
                return Err(invalid_argument(format!(
                    "mode {other} is neither SDM_INVOKE_DIRECT (0) nor SDM_INVOKE_COMMAND (1)"
                )));
            }
        };
        // SAFETY: caller contract.
        let request = unsafe { input(request, request_len, "request") }?;
        // SAFETY: caller contract: NULL or a readable `sdm_limits`.
        let limits =
            unsafe { limits.as_ref() }.map_or_else(Limits::default, |limits| limits.to_core());
        let grants = Grants {
            host: Some(host.for_module(module)),
            ..Grants::default()
        };
        let response =
            module
                .runtime
                .invoke_bytes(&module.module, request, mode, &grants, &limits)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_response, sdm_bytes::from_vec(response)) };
        Ok(())
    })
}
