//! Module signatures in the WebAssembly tool-conventions format (docs/wasmsig.md):
//! `WasmSigningKey` (Ed25519, the `wasmsign2` key files), `sign_wasm` and `verify_wasm`. The
//! key is an immutable object; its secret never crosses the FFI except as the key file the
//! caller writes.

use std::sync::Arc;

use space_data_module::api::wasmsig::{self as core, SignSettings, VerifyOptions};

use crate::error::{Result, guard};

/// An Ed25519 key that signs modules. Immutable; share it across threads freely.
#[derive(Debug, uniffi::Object)]
pub struct WasmSigningKey {
    inner: core::WasmsigSecretKey,
}

fn key(inner: core::WasmsigSecretKey) -> Arc<WasmSigningKey> {
    Arc::new(WasmSigningKey { inner })
}

#[uniffi::export]
impl WasmSigningKey {
    /// A fresh random key.
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<WasmSigningKey>> {
        guard(|| Ok(key(core::WasmsigSecretKey::generate()?)))
    }

    /// A key pair in the `wasmsign2` serialization (65 bytes, `0x81 ‖ seed ‖ public key`).
    #[uniffi::constructor]
    pub fn from_bytes(key_pair: Vec<u8>) -> Result<Arc<WasmSigningKey>> {
        guard(|| Ok(key(core::WasmsigSecretKey::from_bytes(&key_pair)?)))
    }

    /// A key file (`keygen --kind ed25519`, `wasmsign2 keygen`).
    #[uniffi::constructor]
    pub fn from_file(path: String) -> Result<Arc<WasmSigningKey>> {
        guard(|| Ok(key(core::read_secret_key(std::path::Path::new(&path))?)))
    }

    /// Writes the key file (mode 0600, atomically) and its public key as `PATH.pub`.
    pub fn to_file(&self, path: String) -> Result<()> {
        guard(|| {
            Ok(core::write_key_pair(
                std::path::Path::new(&path),
                &self.inner,
            )?)
        })
    }

    /// The public key, 64 hex digits: what a trust list names.
    pub fn public_key_hex(&self) -> String {
        self.inner.public_key().to_hex()
    }

    /// The raw public key (32 bytes).
    pub fn public_key(&self) -> Vec<u8> {
        self.inner.public_key().raw().to_vec()
    }
}

/// How [`sign_wasm`] signs.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct WasmSignOptions {
    /// Return the signature data alone; the module keeps no `signature` section.
    #[uniffi(default)]
    pub detached: bool,
    /// Split the module into parts first (core sections, then each run of `sds.*` sections),
    /// so it verifies without its bundle.
    #[uniffi(default)]
    pub split_parts: bool,
    /// Stored with each new signature as its key identifier.
    #[uniffi(default)]
    pub key_id: Option<String>,
    /// Detached signature data to add the new signatures to.
    #[uniffi(default)]
    pub existing_signature: Option<Vec<u8>>,
}

/// Signs `module` with every key: the signed module, or with `detached` the signature data.
#[uniffi::export(default(options))]
pub fn sign_wasm(
    module: Vec<u8>,
    keys: Vec<Arc<WasmSigningKey>>,
    options: WasmSignOptions,
) -> Result<Vec<u8>> {
    guard(|| {
        let settings = SignSettings {
            detached: options.detached,
            split_parts: options.split_parts,
            key_id: options.key_id,
        };
        let keys: Vec<&core::WasmsigSecretKey> = keys.iter().map(|key| &key.inner).collect();
        let request = settings.request(&module, options.existing_signature.as_deref());
        let signed = core::sign(&request, &keys)?;
        Ok(if settings.detached {
            signed.signature
        } else {
            signed.module
        })
    })
}

/// What [`verify_wasm`] established.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WasmSignatureReport {
    /// The trusted keys (64 hex digits) whose signatures cover the verified parts.
    pub signers: Vec<String>,
    pub parts: u64,
    pub verified_parts: u64,
    pub verified_bytes: u64,
    /// Every part is covered (false only with `allow_partial`).
    pub complete: bool,
}

impl From<core::WasmsigReport> for WasmSignatureReport {
    fn from(report: core::WasmsigReport) -> Self {
        WasmSignatureReport {
            signers: report.signers,
            parts: report.parts as u64,
            verified_parts: report.verified_parts as u64,
            verified_bytes: report.verified_bytes as u64,
            complete: report.complete,
        }
    }
}

/// Verifies a module's signature (embedded, or `signature` when detached) against
/// `trusted_keys` (64 or 66 hex digits, or public key files). Refusals: `WASM_SIGNATURE_*`.
#[uniffi::export]
pub fn verify_wasm(
    module: Vec<u8>,
    trusted_keys: Vec<String>,
    signature: Option<Vec<u8>>,
    allow_partial: bool,
) -> Result<WasmSignatureReport> {
    guard(|| {
        let trusted = core::trusted_keys(&trusted_keys)?;
        let report = core::verify(
            &module,
            signature.as_deref(),
            &trusted,
            VerifyOptions { allow_partial },
        )?;
        Ok(report.into())
    })
}
