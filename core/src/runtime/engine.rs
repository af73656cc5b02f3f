//! The [`Runtime`]: one wasmtime engine, one linker with the WASI preview 1 and host imports, an epoch
//! ticker enforcing timeouts, and a cache of compiled modules keyed by the module hash.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, InstancePre, Linker, Module};

use crate::publication::VerifiedModule;
use crate::runtime::config::RuntimeConfig;
use crate::runtime::host_imports::HostImports;
use crate::runtime::store::StoreState;
use crate::{Error, ErrorCode, Result};

/// A wasm runtime. `Send + Sync`: share one (e.g. in an `Arc`) between threads; every call
/// creates its own store, so calls on different threads never share guest state.
pub struct Runtime {
    pub(crate) engine: Engine,
    linker: Linker<StoreState>,
    pub(crate) config: RuntimeConfig,
    cache: Mutex<ModuleCache>,
    ticker_stop: Arc<AtomicBool>,
    /// Joined on drop, so a dropped runtime leaves no thread (and no memory) behind.
    ticker: Option<std::thread::JoinHandle<()>>,
}

/// A compiled module, ready to instantiate. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct LoadedModule {
    hash: [u8; 32],
    pub(crate) pre: InstancePre<StoreState>,
    exports: Arc<Vec<String>>,
    /// The verified module it was loaded from: its manifest is the capability ceiling.
    verified: Option<VerifiedModule>,
}

impl LoadedModule {
    /// The cache key: SHA-256 of the module without its `sds.*` custom sections.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }

    /// True when the module exports `name` (any kind).
    pub fn exports(&self, name: &str) -> bool {
        self.exports.iter().any(|export| export == name)
    }

    /// The export names, in module order.
    pub fn export_names(&self) -> &[String] {
        &self.exports
    }

    /// The capabilities the verified manifest declares: the most a host may grant this
    /// module. Read by core from the module's bytes at open time, never by running the guest.
    pub fn declared_capabilities(&self) -> &[String] {
        self.verified
            .as_ref()
            .map_or(&[], VerifiedModule::declared_capabilities)
    }

    /// The decoded manifest core read from the module (bundle entry, else the statically
    /// embedded one), when it has one.
    pub fn manifest(&self) -> Option<&serde_json::Value> {
        self.verified.as_ref().and_then(VerifiedModule::manifest)
    }
}

impl std::fmt::Debug for LoadedModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedModule")
            .field("hash", &hex::encode(self.hash))
            .field("exports", &self.exports)
            .finish()
    }
}

#[derive(Default)]
struct ModuleCache {
    entries: HashMap<[u8; 32], LoadedModule>,
    order: VecDeque<[u8; 32]>,
}

impl Runtime {
    /// Creates the engine (cranelift, fuel metering as configured, epoch interruption always on),
    /// the linker with WASI and `imports`, and the epoch ticker thread (stopped when the runtime
    /// is dropped). `Runtime::new` (in `crate::wiring`) passes the imports of the layers built.
    pub(crate) fn with_host_imports(
        config: RuntimeConfig,
        imports: Option<&dyn HostImports>,
    ) -> Result<Self> {
        let mut wasm_config = Config::new();
        wasm_config.consume_fuel(config.fuel_metering);
        wasm_config.epoch_interruption(true);
        let engine = Engine::new(&wasm_config).map_err(|err| {
            Error::new(
                ErrorCode::Internal,
                format!("cannot create the wasm engine: {err}"),
            )
        })?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |state: &mut StoreState| {
            &mut state.wasi
        })
        .map_err(|err| Error::new(ErrorCode::Internal, format!("cannot link WASI: {err}")))?;
        super::symlink_guard::confine(&mut linker).map_err(|err| {
            Error::new(
                ErrorCode::Internal,
                format!("cannot link path_symlink: {err}"),
            )
        })?;
        if let Some(imports) = imports {
            imports.add_to_linker(&mut linker).map_err(|err| {
                Error::new(
                    ErrorCode::Internal,
                    format!("cannot link the host imports: {err}"),
                )
            })?;
        }
        let ticker_stop = Arc::new(AtomicBool::new(false));
        let ticker = spawn_ticker(engine.clone(), config.epoch_tick, Arc::clone(&ticker_stop))?;
        Ok(Runtime {
            engine,
            linker,
            config,
            cache: Mutex::new(ModuleCache::default()),
            ticker_stop,
            ticker: Some(ticker),
        })
    }

    /// Compiles a verified module (or reuses the cached compilation) and resolves its
    /// imports. Fail-closed as a type: only the loader (`publication::open_verified`, or the
    /// explicit `VerifiedModule::allow_unsigned`) creates the argument.
    ///
    /// Errors: `runtime-compile-failed` (invalid module), `runtime-instantiate-failed` (an
    /// import the runtime does not provide).
    pub fn load(&self, module: &VerifiedModule) -> Result<LoadedModule> {
        let compiled = self.compile(module.wasm())?;
        Ok(LoadedModule {
            verified: Some(module.clone()),
            ..compiled
        })
    }

    /// The cached compilation of `wasm` (shared by every module with the same code, whatever
    /// its `sds.*` sections say), without a verified manifest.
    fn compile(&self, wasm: &[u8]) -> Result<LoadedModule> {
        let hash = module_hash(wasm)?;
        if let Some(found) = self.lock_cache().entries.get(&hash) {
            return Ok(found.clone());
        }
        // Compile outside the lock: two threads may compile the same module once each.
        let module = Module::new(&self.engine, wasm).map_err(|err| {
            Error::new(
                ErrorCode::RuntimeCompileFailed,
                format!("cannot compile the module: {err}"),
            )
        })?;
        let exports = Arc::new(
            module
                .exports()
                .map(|export| export.name().to_owned())
                .collect(),
        );
        let pre = self.linker.instantiate_pre(&module).map_err(|err| {
            Error::new(
                ErrorCode::RuntimeInstantiateFailed,
                format!("cannot link the module: {err}"),
            )
        })?;
        let loaded = LoadedModule {
            hash,
            pre,
            exports,
            verified: None,
        };
        let mut cache = self.lock_cache();
        if !cache.entries.contains_key(&hash) {
            while cache.entries.len() >= self.config.module_cache_capacity.max(1) {
                match cache.order.pop_front() {
                    Some(oldest) => cache.entries.remove(&oldest),
                    None => break,
                };
            }
            cache.order.push_back(hash);
            cache.entries.insert(hash, loaded.clone());
        }
        Ok(loaded)
    }

    /// Number of compiled modules currently cached.
    pub fn cached_modules(&self) -> usize {
        self.lock_cache().entries.len()
    }

    /// The engine, for embedders that call wasmtime directly (benchmarks, custom hosts).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, ModuleCache> {
        // A panic while holding the lock cannot leave the map inconsistent (single inserts).
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.ticker_stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            // Wake it from its sleep instead of waiting out the tick, then wait for it to end.
            ticker.thread().unpark();
            let _ = ticker.join();
        }
    }
}

fn spawn_ticker(
    engine: Engine,
    tick: std::time::Duration,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("sdm-epoch-ticker".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // `park_timeout` sleeps like `sleep`, but `Drop` can cut it short with `unpark`.
                std::thread::park_timeout(tick);
                engine.increment_epoch();
            }
        })
        .map_err(|err| {
            Error::new(
                ErrorCode::Internal,
                format!("cannot start the epoch ticker: {err}"),
            )
        })
}

/// The canonical module hash (spec `bundle-and-manifest.md` 7.4): SHA-256 of the module with
/// every custom section whose name starts with `sds.` left out, the same value a bundle stores
/// as `canonical_module_hash`. Keying the compile cache by it means re-bundling or re-signing
/// a module does not defeat the cache.
pub fn module_hash(wasm: &[u8]) -> Result<[u8; 32]> {
    let canonical = crate::wasm::sections::strip_sds_sections(wasm).map_err(|err| {
        Error::new(
            ErrorCode::RuntimeCompileFailed,
            format!("not a WebAssembly module: {}", err.message()),
        )
    })?;
    Ok(Sha256::digest(&canonical).into())
}
