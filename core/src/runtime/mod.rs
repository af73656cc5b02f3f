//! Running Space Data modules on wasmtime (spec invoke-runtime-and-host.md sections 3-4).
//!
//! - [`Runtime`] (`Send + Sync`): one engine, one WASI preview 1 linker, an epoch ticker for
//!   timeouts, and a cache of compiled modules keyed by [`module_hash`].
//! - [`LoadedModule`] (`Send + Sync`, cheap `Clone`): a compiled, linked module.
//! - [`DirectSession`] (`Send`, not `Sync`): repeated direct-mode calls into one instance.
//! - Command mode ([`Runtime::run_command`], [`Runtime::invoke_command_bytes`],
//!   [`Runtime::run_raw`]): a fresh instance per run, WASI stdin/stdout.
//! - [`Limits`] apply to every call: fuel, wall-clock timeout (epoch deadline), memory and
//!   table caps (a trap at the cap), request and response sizes. Every limit has its own error
//!   code, and a failed call never affects the next one.
//! - [`Grants`]: the only arguments, environment variables and directories a guest sees, and
//!   the [`HostBinding`] (with the `host` layer: a `host::Host`) behind its `sdn_host` imports.
//! - Host imports ([`host_imports`]): the runtime defines the extension point and never names
//!   the host. With the `host` layer built, `Runtime::new` links the five `sdn_host` hostcall
//!   imports (spec 5.1) into every linker; each store keeps its own last envelope. Without a
//!   host in the grants, every capability operation is denied (the empty policy) and `host.*`
//!   still answers. Without the `host` layer, a module importing `sdn_host` does not load
//!   (`runtime-instantiate-failed`).
//!
//! Only raw WebAssembly is run: protected artifacts (publication trailer, encryption) must be
//! opened and verified by `publication::open` first.

pub mod command;
pub mod config;
pub mod direct;
pub mod engine;
mod guest_fn;
pub mod host_imports;
pub mod manifest;
mod memory;
pub mod pool;
pub(crate) mod store;
mod symlink_guard;

pub use command::CommandOutput;
pub use config::{Grants, Limits, Preopen, RuntimeConfig};
pub use direct::DirectSession;
pub use engine::{LoadedModule, Runtime, module_hash};
pub use host_imports::HostBinding;

use crate::invoke::{self, DecodeLimits, InvokeRequest, InvokeResponse};
use crate::{Error, Result};

/// How a module is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvokeMode {
    /// `plugin_alloc` / `plugin_invoke_stream` / `plugin_free`.
    Direct,
    /// `_start` with the request on stdin and the response on stdout.
    Command,
}

impl InvokeMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            InvokeMode::Direct => "direct",
            InvokeMode::Command => "command",
        }
    }
}

impl Runtime {
    /// A direct-mode session on `module` (the instance is created on the first call).
    pub fn session(&self, module: &LoadedModule, limits: Limits, grants: Grants) -> DirectSession {
        DirectSession::new(
            module.clone(),
            limits,
            grants,
            self.config.fuel_metering,
            self.config.epoch_tick,
        )
    }

    /// The modes `module` supports, direct first.
    pub fn modes(&self, module: &LoadedModule) -> Vec<InvokeMode> {
        let mut modes = Vec::new();
        if module.exports(direct::INVOKE_EXPORT) {
            modes.push(InvokeMode::Direct);
        }
        if module.exports(command::START_EXPORT) {
            modes.push(InvokeMode::Command);
        }
        modes
    }

    /// One encoded request in, the guest's encoded response out, in the given mode (a fresh
    /// instance per call).
    pub fn invoke_bytes(
        &self,
        module: &LoadedModule,
        request: &[u8],
        mode: InvokeMode,
        grants: &Grants,
        limits: &Limits,
    ) -> Result<Vec<u8>> {
        match mode {
            InvokeMode::Direct => self.call_once(module, request, grants, limits, |response| {
                Ok(response.to_vec())
            }),
            InvokeMode::Command => self.invoke_command_bytes(module, request, grants, limits),
        }
    }

    /// Encodes `request`, invokes, and decodes (verifies) the response. Guest-built responses
    /// are compared by value, never by bytes (spec 2.6).
    pub fn invoke(
        &self,
        module: &LoadedModule,
        request: &InvokeRequest,
        mode: InvokeMode,
        grants: &Grants,
        limits: &Limits,
    ) -> Result<InvokeResponse> {
        let bytes = invoke::encode_request(request)?;
        let decode = |response: &[u8]| decode_guest_response(response, limits);
        match mode {
            // Decoded in place in guest memory, not copied out first.
            InvokeMode::Direct => self.call_once(module, &bytes, grants, limits, decode),
            InvokeMode::Command => {
                decode(&self.invoke_command_bytes(module, &bytes, grants, limits)?)
            }
        }
    }

    /// A direct-mode call in a fresh instance under this runtime's fuel and epoch settings
    /// ([`direct::call_once`]).
    fn call_once<T>(
        &self,
        module: &LoadedModule,
        request: &[u8],
        grants: &Grants,
        limits: &Limits,
        read: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        direct::call_once(
            module,
            request,
            limits,
            grants,
            self.config.fuel_metering,
            self.config.epoch_tick,
            read,
        )
    }
}

impl DirectSession {
    /// Encodes `request`, invokes, and decodes (verifies) the response.
    pub fn invoke(&mut self, request: &InvokeRequest) -> Result<InvokeResponse> {
        let bytes = invoke::encode_request(request)?;
        let limits = self.limits().clone();
        self.invoke_with(&bytes, |response| decode_guest_response(response, &limits))
    }
}

fn decode_guest_response(bytes: &[u8], limits: &Limits) -> Result<InvokeResponse> {
    let decode_limits = DecodeLimits {
        max_bytes: limits.max_response_bytes,
        ..DecodeLimits::default()
    };
    invoke::decode_response_with(bytes, &decode_limits)
        .map_err(|err| Error::new(err.code(), format!("guest response: {}", err.message())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_send<T: Send>() {}

    #[test]
    fn documented_thread_safety_holds() {
        assert_send_sync::<Runtime>();
        assert_send_sync::<LoadedModule>();
        assert_send::<DirectSession>();
    }

    /// The host-imports slot is filled only by the host layer: with it a module importing
    /// `sdn_host` loads; without it, loading fails with a stable code.
    #[test]
    fn sdn_host_imports_come_with_the_host_layer() {
        let runtime = Runtime::new(RuntimeConfig::default()).unwrap();
        let wasm =
            wat::parse_str(r#"(module (import "sdn_host" "response_len" (func (result i32))))"#)
                .unwrap();
        let loaded =
            runtime.load(&crate::publication::VerifiedModule::allow_unsigned(&wasm).unwrap());
        if cfg!(feature = "host") {
            assert!(loaded.is_ok(), "{:?}", loaded.err());
        } else {
            assert_eq!(
                loaded.unwrap_err().code(),
                ErrorCode::RuntimeInstantiateFailed
            );
        }
    }

    #[test]
    fn module_hash_ignores_sds_sections_only() {
        let base = b"\0asm\x01\0\0\0".to_vec();
        let custom = |name: &str| {
            let mut body = vec![name.len() as u8];
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(b"xyz");
            let mut section = vec![0, body.len() as u8];
            section.extend(body);
            section
        };
        let with_sds = [base.clone(), custom("sds.bundle")].concat();
        let with_other = [base.clone(), custom("name")].concat();
        assert_eq!(module_hash(&base).unwrap(), module_hash(&with_sds).unwrap());
        assert_ne!(
            module_hash(&base).unwrap(),
            module_hash(&with_other).unwrap()
        );
        assert_eq!(
            module_hash(b"\0asm").unwrap_err().code(),
            ErrorCode::RuntimeCompileFailed
        );
        assert!(module_hash(&[base, vec![1, 5, 0]].concat()).is_err());
    }

    #[test]
    fn module_hash_is_the_canonical_hash_a_bundle_stores() {
        let bundled = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../vectors/single-file-bundle/single-file-module.wasm"
        ))
        .unwrap();
        assert_eq!(
            hex::encode(module_hash(&bundled).unwrap()),
            "b76c89bbc1e3b91f3dd06aa47f569d7d910253b64a994a75be0eb2a7cf6ff3b5"
        );
    }
}
