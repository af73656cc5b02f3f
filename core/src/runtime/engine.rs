//! The [`Runtime`]: one wasmtime engine, one linker with the WASI preview 1 and host imports, an epoch
//! ticker enforcing timeouts, and a cache of compiled modules keyed by the module hash.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use wasmtime::{Config, Engine, Instance, InstancePre, Linker, Module, Store};

use crate::publication::VerifiedModule;
use crate::runtime::config::RuntimeConfig;
use crate::runtime::guest_fn::Exports;
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
    gate: Option<Arc<super::pool::Gate>>,
    ticker_stop: Arc<AtomicBool>,
    /// Joined on drop, so a dropped runtime leaves no thread (and no memory) behind.
    ticker: Option<std::thread::JoinHandle<()>>,
}

/// A compiled module, ready to instantiate. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct LoadedModule {
    hash: [u8; 32],
    pub(crate) pre: InstancePre<StoreState>,
    /// Its export names and `i32` signatures, so a call need not check them per instance.
    pub(crate) exports: Arc<Exports>,
    /// The pool its instances come from (its slot count), or 0 when allocated on demand.
    pub(crate) pool_slots: u32,
    /// Where its calls wait when the pool is full (pooled runtimes only).
    pub(crate) gate: Option<Arc<super::pool::Gate>>,
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
        self.exports.has(name)
    }

    /// The export names, in module order.
    pub fn export_names(&self) -> impl Iterator<Item = &str> {
        self.exports.names()
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

    /// A new instance in `store` (made by `store::new_store` for this module), waiting for a
    /// pool slot until the call's deadline. Errors: `runtime-memory-limit` (an initial memory
    /// or table over the cap), `runtime-instantiate-failed` (a failed start function),
    /// `runtime-timeout` (the pool stayed full until the deadline).
    pub(crate) fn instantiate(&self, store: &mut Store<StoreState>) -> Result<Instance> {
        let Some(gate) = &self.gate else {
            return self.pre.instantiate(&mut *store).map_err(instantiate_error);
        };
        let own_deadline = store.data().deadline;
        let until = own_deadline
            .unwrap_or_else(|| std::time::Instant::now() + super::pool::SLOT_WAIT_WITHOUT_DEADLINE);
        loop {
            match self.pre.instantiate(&mut *store) {
                Err(err) if super::pool::is_full(&err) => {
                    let seen = gate.seen();
                    if std::time::Instant::now() >= until {
                        return Err(super::pool::still_full(
                            self.pool_slots,
                            own_deadline.is_some(),
                        ));
                    }
                    gate.wait(seen, until);
                }
                other => return other.map_err(instantiate_error),
            }
        }
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

fn instantiate_error(err: wasmtime::Error) -> Error {
    let classified = super::store::classify(&err, "instantiate", false);
    if classified.code() == ErrorCode::RuntimeTrap {
        Error::new(
            ErrorCode::RuntimeInstantiateFailed,
            format!("cannot instantiate the module: {err}"),
        )
    } else {
        classified
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
        let on_demand = wasm_config.clone();
        let mut pool_slots = config.instance_pool_slots;
        if pool_slots > 0 {
            super::pool::configure(&mut wasm_config, pool_slots);
        }
        let engine = Engine::new(&wasm_config)
            .or_else(|_| {
                // The pool's address-space reservation failed (e.g. under `ulimit -v`).
                pool_slots = 0;
                Engine::new(&on_demand)
            })
            .map_err(|err| {
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
            config: RuntimeConfig {
                instance_pool_slots: pool_slots,
                ..config
            },
            cache: Mutex::new(ModuleCache::default()),
            gate: (pool_slots > 0).then(Arc::default),
            ticker_stop,
            ticker: Some(ticker),
        })
    }

    /// Compiles a verified module (or reuses the cached compilation) and resolves its
    /// imports. Fail-closed as a type: only the loader (`publication::open_verified`, or the
    /// explicit `VerifiedModule::allow_unsigned`) creates the argument.
    ///
    /// Errors: `runtime-compile-failed` (invalid module), `runtime-instantiate-failed` (an
    /// import the runtime does not provide; more memories or tables than an instance-pool slot
    /// holds), `runtime-memory-limit` (an initial memory or table over the pool's ceiling).
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
        if self.config.instance_pool_slots > 0 {
            super::pool::check_fits(wasm)?;
        }
        // Compile outside the lock: two threads may compile the same module once each.
        let module = Module::new(&self.engine, wasm).map_err(|err| {
            Error::new(
                ErrorCode::RuntimeCompileFailed,
                format!("cannot compile the module: {err}"),
            )
        })?;
        let exports = Arc::new(Exports::of(&module));
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
            pool_slots: self.config.instance_pool_slots,
            gate: self.gate.clone(),
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

    /// The instance pool's slots, or 0 when instances are allocated on demand (configured so,
    /// or the pool's reservation failed).
    pub fn instance_pool_slots(&self) -> u32 {
        self.config.instance_pool_slots
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
    let canonical = crate::wasm::sections::KeptParts::without_prefix(
        wasm,
        crate::wasm::sections::SDS_CUSTOM_SECTION_PREFIX,
    )
    .map_err(|err| {
        Error::new(
            ErrorCode::RuntimeCompileFailed,
            format!("not a WebAssembly module: {}", err.message()),
        )
    })?;
    Ok(canonical.sha256())
}
