//! Fail-closed as a type: [`VerifiedModule`] is the only thing the runtime loads and the module
//! registry installs, and only the loader creates one (`open_verified`, or the explicit
//! [`VerifiedModule::allow_unsigned`]).
//!
//! It also carries the capability ceiling: the capabilities declared by the manifest that core
//! read itself (the `sds.bundle` manifest entry, else the statically embedded manifest), never
//! by running the guest's own export.

use std::sync::Arc;

use serde_json::Value;

use super::open::{OpenFailure, OpenPolicy, Opened, open};
use super::report::OpenReport;
use crate::Result;
use crate::keys::x25519::X25519PrivateKey;

/// A module that passed the fail-closed loader. Cheap to clone (the bytes are shared).
#[derive(Debug, Clone)]
pub struct VerifiedModule {
    /// A `Vec`, not `[u8]`: the loader's buffer moves in (an `Arc<[u8]>` would copy it).
    wasm: Arc<Vec<u8>>,
    report: Arc<OpenReport>,
    manifest: Option<Arc<Value>>,
    declared_capabilities: Arc<[String]>,
}

impl VerifiedModule {
    /// The plain WebAssembly (trailer stripped, decrypted).
    pub fn wasm(&self) -> &[u8] {
        &self.wasm
    }

    /// The shared wasm bytes.
    pub fn wasm_shared(&self) -> Arc<Vec<u8>> {
        Arc::clone(&self.wasm)
    }

    /// What the loader established.
    pub fn report(&self) -> &OpenReport {
        &self.report
    }

    /// The decoded manifest core read from the module (bundle entry, else the statically
    /// embedded one); `None` when the module carries no readable manifest.
    pub fn manifest(&self) -> Option<&Value> {
        self.manifest.as_deref()
    }

    /// The capability ids the verified manifest declares: the most a host may grant this
    /// module. Empty when there is no manifest (fail closed: nothing can be granted).
    pub fn declared_capabilities(&self) -> &[String] {
        &self.declared_capabilities
    }

    /// Accepts plain wasm explicitly, without requiring a signature. The loader still runs:
    /// a trailer that is present must verify (and with no trusted signer it cannot), and the
    /// wasm must validate.
    pub fn allow_unsigned(wasm: &[u8]) -> Result<VerifiedModule> {
        let policy = OpenPolicy {
            require_signature: false,
            ..OpenPolicy::default()
        };
        open_verified(wasm, &policy, None).map_err(|failure| failure.error)
    }

    fn from_opened(opened: Opened) -> VerifiedModule {
        let manifest = verified_manifest(&opened.wasm);
        let declared = manifest
            .as_ref()
            .map(declared_capabilities)
            .unwrap_or_default();
        VerifiedModule {
            wasm: Arc::new(opened.wasm),
            report: Arc::new(opened.report),
            manifest: manifest.map(Arc::new),
            declared_capabilities: declared.into(),
        }
    }
}

/// [`open`], returning the verified module the runtime accepts.
pub fn open_verified(
    bytes: &[u8],
    policy: &OpenPolicy,
    recipient: Option<&X25519PrivateKey>,
) -> std::result::Result<VerifiedModule, OpenFailure> {
    open(bytes, policy, recipient).map(VerifiedModule::from_opened)
}

/// The manifest core can read without running the guest: the bundle's manifest entry, else the
/// embedded manifest when its exports are constants.
fn verified_manifest(wasm: &[u8]) -> Option<Value> {
    if let Ok(parsed) = crate::bundle::parse(wasm, &crate::bundle::ParseOptions::default())
        && let Some(manifest) = parsed.manifest
    {
        return Some(manifest);
    }
    let bytes = crate::wasm::embedded::embedded_manifest_bytes(wasm)?;
    crate::manifest::decode_to_json(&bytes).ok()
}

/// Capability ids of a decoded manifest: string entries, and the `capability` of object entries.
pub fn declared_capabilities(manifest: &Value) -> Vec<String> {
    manifest
        .get("capabilities")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| match entry {
            Value::String(id) => Some(id.clone()),
            Value::Object(fields) => fields
                .get("capability")
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        })
        .collect()
}
