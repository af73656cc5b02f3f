//! Reading the embedded manifest by calling `plugin_get_manifest_flatbuffer(_size)`.

use crate::runtime::config::{Grants, Limits};
use crate::runtime::direct::start_reactor;
use crate::runtime::engine::{LoadedModule, Runtime};
use crate::runtime::guest_fn::GuestFn;
use crate::runtime::memory;
use crate::runtime::store::{self, classify};
use crate::{Error, ErrorCode, Result};

pub const MANIFEST_EXPORT: &str = "plugin_get_manifest_flatbuffer";
pub const MANIFEST_SIZE_EXPORT: &str = "plugin_get_manifest_flatbuffer_size";

impl Runtime {
    /// The embedded manifest bytes (`PMAN`), copied out of a fresh instance under `limits`
    /// (the size is capped by `max_response_bytes`). The bytes are not decoded here.
    ///
    /// Errors: `runtime-missing-export`, `runtime-response-too-large`, `runtime-out-of-bounds`,
    /// and the trap codes.
    pub fn read_manifest_bytes(&self, module: &LoadedModule, limits: &Limits) -> Result<Vec<u8>> {
        for name in [MANIFEST_EXPORT, MANIFEST_SIZE_EXPORT, "memory"] {
            if !module.exports(name) {
                return Err(Error::new(
                    ErrorCode::RuntimeMissingExport,
                    format!("module does not export `{name}`"),
                ));
            }
        }
        let grants = Grants::default();
        let (wasi, _pipes) = store::wasi_context(&grants, Vec::new(), limits)?;
        let mut store = store::new_store(
            module,
            wasi,
            &grants,
            limits,
            self.config.fuel_metering,
            self.config.epoch_tick,
        )?;
        let instance = start_reactor(module, &mut store)?;
        let exports = &module.exports;
        let size_fn: GuestFn<0, 1> =
            GuestFn::get(exports, &instance, &mut store, MANIFEST_SIZE_EXPORT)?;
        let ptr_fn: GuestFn<0, 1> = GuestFn::get(exports, &instance, &mut store, MANIFEST_EXPORT)?;
        let [size] = size_fn
            .call(&mut store, [])
            .map_err(|err| classify(&err, MANIFEST_SIZE_EXPORT, false))?;
        let size = size as u32 as usize;
        if size > limits.max_response_bytes {
            return Err(Error::new(
                ErrorCode::RuntimeResponseTooLarge,
                format!(
                    "embedded manifest of {size} bytes exceeds the {}-byte limit",
                    limits.max_response_bytes
                ),
            ));
        }
        let [ptr] = ptr_fn
            .call(&mut store, [])
            .map_err(|err| classify(&err, MANIFEST_EXPORT, false))?;
        let ptr = ptr as u32;
        let memory = instance.get_memory(&mut store, "memory").ok_or_else(|| {
            Error::new(
                ErrorCode::RuntimeMissingExport,
                "export `memory` is not a memory",
            )
        })?;
        memory::read(&store, &memory, ptr, size, "embedded manifest")
    }
}

impl Runtime {
    /// The embedded manifest, read as in [`Runtime::read_manifest_bytes`] and decoded (verified)
    /// to the reference's decoded JSON (`manifest-identifier-mismatch` / `manifest-malformed`
    /// for bad bytes).
    pub fn read_manifest(
        &self,
        module: &LoadedModule,
        limits: &Limits,
    ) -> Result<serde_json::Value> {
        crate::manifest::decode_to_json(&self.read_manifest_bytes(module, limits)?)
    }
}
