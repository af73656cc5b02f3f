//! The module registry (spec 6.3), over real WebAssembly: modules are installed as raw wasm
//! bytes plus JSON metadata, compiled on `load` by the shared [`Runtime`], and invoked with
//! `PluginInvokeRequest` envelopes (the method id is inside the request).
//!
//! Differences from the reference (spec 10 item 14):
//! - **Replacing is explicit.** `install` refuses an id that is already installed
//!   (`runtime-host-module-exists`); `reinstall` replaces it, returns the previous record,
//!   bumps the record's `version`, and leaves the new bytes *not loaded* until `load`. A
//!   reinstalled id keeps its first position in `list` (as the reference's Map did).
//! - **Loading is a state.** `unload` drops the compiled module but keeps the install;
//!   invoking a module that is installed but not loaded is `runtime-host-module-not-loaded`,
//!   an unknown id or hash is `runtime-host-module-unknown`. `uninstall` removes the module.
//! - **Content addressing.** Every record carries the canonical module hash
//!   ([`crate::runtime::module_hash`]: SHA-256 without `sds.*` sections, the value a bundle
//!   stores), and modules can be looked up and invoked by it. Several ids may hold the same
//!   bytes; invoking by hash uses the first *loaded* one in install order.
//! - **Only raw wasm.** Bytes that end in a publication trailer are refused
//!   (`runtime-host-protected-artifact`): verify and decrypt them with
//!   [`crate::publication::open`] first, then install the plain module it returns.
//!
//! Compilation and invocation run outside the registry's lock, so one slow module never blocks
//! calls to another.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::host::{Host, HostPolicy};
use crate::invoke::{InvokeRequest, InvokeResponse};
use crate::publication::VerifiedModule;
use crate::runtime::{Grants, InvokeMode, Limits, LoadedModule, Runtime, module_hash};
use crate::runtime_host::ids::trimmed_id;
use crate::{Error, ErrorCode, Result};

/// Largest module accepted by `install`: 256 MiB (`runtime-host-limit-exceeded`).
pub const MAX_MODULE_BYTES: usize = 256 << 20;
/// Largest metadata accepted by `install`, as compact JSON text: 1 MiB.
pub const MAX_METADATA_BYTES: usize = 1 << 20;
/// Most modules installed at once: 1,024.
pub const MAX_INSTALLED_MODULES: usize = 1024;

/// How a module is addressed: by its id, or by its canonical hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleRef {
    Id(String),
    Hash([u8; 32]),
}

impl ModuleRef {
    /// A reference by canonical hash given as 64 hex digits (`runtime-host-module-unknown`
    /// when the text is not such a hash).
    pub fn from_hash_hex(text: &str) -> Result<ModuleRef> {
        let mut hash = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut hash).map_err(|_| {
            Error::new(
                ErrorCode::RuntimeHostModuleUnknown,
                "a module hash is 64 hex digits",
            )
        })?;
        Ok(ModuleRef::Hash(hash))
    }
}

impl From<&str> for ModuleRef {
    fn from(id: &str) -> Self {
        ModuleRef::Id(id.to_owned())
    }
}

impl From<[u8; 32]> for ModuleRef {
    fn from(hash: [u8; 32]) -> Self {
        ModuleRef::Hash(hash)
    }
}

impl std::fmt::Display for ModuleRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModuleRef::Id(id) => write!(f, "module `{}`", id.trim()),
            ModuleRef::Hash(hash) => write!(f, "module with hash {}", hex::encode(hash)),
        }
    }
}

/// The public record of an installed module (a copy; changing it changes nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleRecord {
    pub module_id: String,
    /// The canonical module hash.
    pub hash: [u8; 32],
    pub metadata: Value,
    /// Starts at 1; every `reinstall` adds 1.
    pub version: u64,
    pub byte_length: usize,
    pub loaded: bool,
}

impl ModuleRecord {
    /// The record as every front end reports it.
    pub fn view(&self) -> ModuleRecordView {
        ModuleRecordView {
            module_id: self.module_id.clone(),
            module_hash_hex: hex::encode(self.hash),
            version: self.version,
            byte_length: self.byte_length,
            loaded: self.loaded,
            metadata: self.metadata.clone(),
        }
    }

    /// [`ModuleRecord::view`] as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.view()).unwrap_or(Value::Null)
    }
}

/// An installed module as JSON (`sdm_runtime_host_module_*`, bindings).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ModuleRecord")]
pub struct ModuleRecordView {
    pub module_id: String,
    /// The canonical module hash (SHA-256 without `sds.*` sections).
    pub module_hash_hex: String,
    /// Starts at 1; every reinstall adds 1.
    pub version: u64,
    pub byte_length: usize,
    pub loaded: bool,
    /// The caller's metadata, as installed.
    pub metadata: Value,
}

struct Entry {
    module_id: String,
    hash: [u8; 32],
    metadata: Value,
    version: u64,
    /// The module's bytes (shared with `module`); identity of an install version.
    wasm: Arc<Vec<u8>>,
    module: VerifiedModule,
    loaded: Option<Loaded>,
}

/// A compiled module with the host narrowed to what its verified manifest declares.
#[derive(Clone)]
struct Loaded {
    module: LoadedModule,
    host: Arc<Host>,
}

impl Loaded {
    fn grants(&self) -> Grants {
        Grants::default().with_host(Arc::clone(&self.host) as _)
    }
}

impl Entry {
    fn record(&self) -> ModuleRecord {
        ModuleRecord {
            module_id: self.module_id.clone(),
            hash: self.hash,
            metadata: self.metadata.clone(),
            version: self.version,
            byte_length: self.wasm.len(),
            loaded: self.loaded.is_some(),
        }
    }
}

/// The registry. `Send + Sync`.
pub struct ModuleRegistry {
    runtime: Arc<Runtime>,
    limits: Limits,
    /// What the registry's modules may be granted; each module gets at most what its verified
    /// manifest declares (deny by default: the empty policy grants nothing).
    policy: HostPolicy,
    /// In install order.
    entries: Mutex<Vec<Entry>>,
}

fn module_id(raw: &str) -> Result<String> {
    trimmed_id(raw, "moduleId", ErrorCode::RuntimeHostInvalidModuleId)
}

fn unknown(reference: &ModuleRef) -> Error {
    Error::new(
        ErrorCode::RuntimeHostModuleUnknown,
        format!("unknown {reference}"),
    )
}

/// The validated `(hash, module, metadata)` of an install.
fn checked_install(
    module: &VerifiedModule,
    metadata: &Value,
) -> Result<([u8; 32], VerifiedModule, Value)> {
    let wasm = module.wasm();
    if wasm.len() > MAX_MODULE_BYTES {
        return Err(Error::new(
            ErrorCode::RuntimeHostLimitExceeded,
            format!(
                "module is {} bytes, above the {MAX_MODULE_BYTES}-byte cap",
                wasm.len()
            ),
        ));
    }
    if crate::trailer::detect_trailer(wasm).is_some() {
        return Err(Error::new(
            ErrorCode::RuntimeHostProtectedArtifact,
            "the bytes carry a publication trailer; open them with publication::open first",
        ));
    }
    let metadata_len = serde_json::to_vec(metadata).map_or(usize::MAX, |text| text.len());
    if metadata_len > MAX_METADATA_BYTES {
        return Err(Error::new(
            ErrorCode::RuntimeHostLimitExceeded,
            format!("module metadata is above the {MAX_METADATA_BYTES}-byte cap"),
        ));
    }
    let hash = module_hash(wasm)?;
    Ok((hash, module.clone(), metadata.clone()))
}

impl ModuleRegistry {
    /// A registry compiling with `runtime` and invoking under `limits` (no WASI grants: guests
    /// see no arguments, environment or files).
    pub fn new(runtime: Arc<Runtime>, limits: Limits) -> Self {
        ModuleRegistry {
            runtime,
            limits,
            policy: HostPolicy::new(),
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The host policy behind the `sdn_host` imports of this registry's modules. A module is
    /// granted at most what its verified manifest declares (`Host::for_manifest`).
    pub fn with_host_policy(mut self, policy: HostPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn host_policy(&self) -> &HostPolicy {
        &self.policy
    }

    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.runtime
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // Entries are replaced whole after validation, so a poisoned lock guards consistent
        // data.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Installs a verified module under the trimmed `module_id` (not loaded yet).
    ///
    /// Errors: `runtime-host-invalid-module-id`, `runtime-host-module-exists` (use
    /// [`ModuleRegistry::reinstall`]), `runtime-host-protected-artifact`,
    /// `runtime-host-limit-exceeded`, `runtime-compile-failed` (not a wasm module).
    pub fn install(
        &self,
        module_id: &str,
        module: &VerifiedModule,
        metadata: &Value,
    ) -> Result<ModuleRecord> {
        let id = self::module_id(module_id)?;
        let (hash, module, metadata) = checked_install(module, metadata)?;
        let mut entries = self.lock();
        if entries.iter().any(|entry| entry.module_id == id) {
            return Err(Error::new(
                ErrorCode::RuntimeHostModuleExists,
                format!("module `{id}` is already installed; reinstall replaces it"),
            ));
        }
        if entries.len() >= MAX_INSTALLED_MODULES {
            return Err(Error::new(
                ErrorCode::RuntimeHostLimitExceeded,
                format!("{MAX_INSTALLED_MODULES} modules are installed already"),
            ));
        }
        let entry = Entry {
            module_id: id,
            hash,
            metadata,
            version: 1,
            wasm: module.wasm_shared(),
            module,
            loaded: None,
        };
        let record = entry.record();
        entries.push(entry);
        Ok(record)
    }

    /// Replaces an installed module's bytes and metadata, returning the previous record. The
    /// new version is not loaded; the id keeps its position.
    ///
    /// Errors: as [`ModuleRegistry::install`], and `runtime-host-module-unknown` when the id
    /// is not installed.
    pub fn reinstall(
        &self,
        module_id: &str,
        module: &VerifiedModule,
        metadata: &Value,
    ) -> Result<ModuleRecord> {
        let id = self::module_id(module_id)?;
        let (hash, module, metadata) = checked_install(module, metadata)?;
        let mut entries = self.lock();
        let entry = entries
            .iter_mut()
            .find(|entry| entry.module_id == id)
            .ok_or_else(|| unknown(&ModuleRef::Id(id.clone())))?;
        let previous = entry.record();
        entry.hash = hash;
        entry.metadata = metadata;
        entry.version = entry.version.saturating_add(1);
        entry.wasm = module.wasm_shared();
        entry.module = module;
        entry.loaded = None;
        Ok(previous)
    }

    /// Removes a module; returns its last record, or `None` when it was not installed.
    pub fn uninstall(&self, module_id: &str) -> Result<Option<ModuleRecord>> {
        let id = self::module_id(module_id)?;
        let mut entries = self.lock();
        let position = entries.iter().position(|entry| entry.module_id == id);
        Ok(position.map(|index| entries.remove(index).record()))
    }

    /// Compiles the module (the runtime caches compilations by hash) and marks it loaded.
    /// Loading a loaded module is a no-op.
    ///
    /// Errors: `runtime-host-module-unknown`, `runtime-compile-failed`,
    /// `runtime-instantiate-failed` (an import the runtime does not provide).
    pub fn load(&self, reference: &ModuleRef) -> Result<ModuleRecord> {
        let (version, module) = {
            let entries = self.lock();
            let index = find(&entries, reference)?.ok_or_else(|| unknown(reference))?;
            let entry = &entries[index];
            if entry.loaded.is_some() {
                return Ok(entry.record());
            }
            (entry.version, entry.module.clone())
        };
        let wasm = module.wasm_shared();
        let compiled = self.runtime.load(&module)?;
        let host = Arc::new(Host::for_manifest(
            self.policy.clone(),
            compiled.declared_capabilities(),
        ));
        let mut entries = self.lock();
        // The module may have been reinstalled or removed while it compiled: only the same
        // version is marked loaded.
        let entry = entries
            .iter_mut()
            .find(|entry| Arc::ptr_eq(&entry.wasm, &wasm) && entry.version == version)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::RuntimeHostModuleNotLoaded,
                    format!("{reference} was reinstalled or removed while it was loading"),
                )
            })?;
        entry.loaded = Some(Loaded {
            module: compiled,
            host,
        });
        Ok(entry.record())
    }

    /// Drops the compiled module; the install stays. Returns true when it was loaded.
    ///
    /// Errors: `runtime-host-module-unknown`.
    pub fn unload(&self, reference: &ModuleRef) -> Result<bool> {
        let mut entries = self.lock();
        let index = find(&entries, reference)?.ok_or_else(|| unknown(reference))?;
        Ok(entries[index].loaded.take().is_some())
    }

    /// Every installed module, in install order.
    pub fn list(&self) -> Vec<ModuleRecord> {
        self.lock().iter().map(Entry::record).collect()
    }

    /// The record of an id or hash (by hash: the first in install order, preferring a loaded
    /// one), or `None`. An invalid id is `runtime-host-invalid-module-id`.
    pub fn lookup(&self, reference: &ModuleRef) -> Result<Option<ModuleRecord>> {
        let entries = self.lock();
        Ok(find(&entries, reference)?.map(|index| entries[index].record()))
    }

    /// Every installed module with this canonical hash, in install order.
    pub fn lookup_hash(&self, hash: &[u8; 32]) -> Vec<ModuleRecord> {
        self.lock()
            .iter()
            .filter(|entry| &entry.hash == hash)
            .map(Entry::record)
            .collect()
    }

    fn loaded(&self, reference: &ModuleRef) -> Result<Loaded> {
        let entries = self.lock();
        let index = find(&entries, reference)?.ok_or_else(|| unknown(reference))?;
        entries[index].loaded.clone().ok_or_else(|| {
            Error::new(
                ErrorCode::RuntimeHostModuleNotLoaded,
                format!("{reference} is installed but not loaded"),
            )
        })
    }

    fn mode(&self, module: &LoadedModule) -> InvokeMode {
        // Direct first (no process-like setup); a module with neither surface gets the
        // runtime's own `runtime-missing-export` from the direct path.
        self.runtime
            .modes(module)
            .first()
            .copied()
            .unwrap_or(InvokeMode::Direct)
    }

    /// Invokes a loaded module with an encoded `PluginInvokeRequest` and returns the encoded
    /// response as the guest wrote it (a fresh instance per call; direct mode when exported,
    /// else command mode).
    ///
    /// Errors: `runtime-host-module-unknown`, `runtime-host-module-not-loaded`, and the
    /// runtime's codes (`runtime-*`).
    pub fn invoke_bytes(&self, reference: &ModuleRef, request: &[u8]) -> Result<Vec<u8>> {
        let loaded = self.loaded(reference)?;
        let mode = self.mode(&loaded.module);
        self.runtime.invoke_bytes(
            &loaded.module,
            request,
            mode,
            &loaded.grants(),
            &self.limits,
        )
    }

    /// As [`ModuleRegistry::invoke_bytes`], with the envelopes encoded and decoded (verified).
    pub fn invoke(&self, reference: &ModuleRef, request: &InvokeRequest) -> Result<InvokeResponse> {
        self.invoke_with_mode(reference, request)
            .map(|(_, response)| response)
    }

    /// [`ModuleRegistry::invoke`], also telling which mode ran (front ends report it).
    pub fn invoke_with_mode(
        &self,
        reference: &ModuleRef,
        request: &InvokeRequest,
    ) -> Result<(InvokeMode, InvokeResponse)> {
        let loaded = self.loaded(reference)?;
        let mode = self.mode(&loaded.module);
        let response = self.runtime.invoke(
            &loaded.module,
            request,
            mode,
            &loaded.grants(),
            &self.limits,
        )?;
        Ok((mode, response))
    }
}

/// The index of the entry `reference` names. By hash: the first loaded entry with that hash,
/// else the first entry with it.
fn find(entries: &[Entry], reference: &ModuleRef) -> Result<Option<usize>> {
    match reference {
        ModuleRef::Id(raw) => {
            let id = module_id(raw)?;
            Ok(entries.iter().position(|entry| entry.module_id == id))
        }
        ModuleRef::Hash(hash) => {
            let loaded = entries
                .iter()
                .position(|entry| &entry.hash == hash && entry.loaded.is_some());
            Ok(loaded.or_else(|| entries.iter().position(|entry| &entry.hash == hash)))
        }
    }
}
