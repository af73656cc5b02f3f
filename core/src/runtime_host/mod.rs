//! The runtime host (spec invoke-runtime-and-host.md section 6): the durable and working state
//! a host keeps next to the modules it runs.
//!
//! - [`rows`]: standards rows, an append-only JSON row store addressed by
//!   `(schema_file_id, row_id)` ([`RowStore`]; [`MemoryRowStore`], durable [`SqliteRowStore`]).
//! - [`regions`]: aligned-binary record regions addressed by `(region_id, record_index)`,
//!   owned or externally backed ([`RegionStore`]).
//! - [`registry`]: installed wasm modules, loaded through the shared [`crate::runtime::Runtime`]
//!   and invoked with `PluginInvokeRequest` envelopes ([`ModuleRegistry`]).
//! - [`RuntimeHost`] composes the three. Every part is `Send + Sync` and does its own locking.
//!
//! Only `(schema_file_id, row_id)` and `(region_id, record_index)` are durable identities; raw
//! pointers and views never are. Rows survive a restart when the host is opened at a path;
//! regions and the registry are in memory (regions are working memory of one process, and a
//! module is re-installed from its artifact). docs/runtime-host.md lists the differences from
//! the reference.

pub mod ids;
pub mod regions;
pub mod registry;
pub mod rows;
pub mod sqlite;

use std::path::Path;
use std::sync::Arc;

pub use ids::MAX_ID_BYTES;
pub use regions::{
    ExternalRegionSource, MAX_ALIGNMENT, MAX_RECORD_BYTE_LENGTH, MAX_REGION_BYTES, Record,
    RecordIdentity, RecordView, RegionDescriptor, RegionSpec, RegionStore,
};
pub use registry::{
    MAX_INSTALLED_MODULES, MAX_METADATA_BYTES, MAX_MODULE_BYTES, ModuleRecord, ModuleRecordView,
    ModuleRef, ModuleRegistry,
};
pub use rows::{MAX_ROW_ID, MAX_ROW_PAYLOAD_BYTES, MemoryRowStore, Row, RowHandle, RowStore};
pub use sqlite::SqliteRowStore;

use crate::Result;
use crate::runtime::{Limits, Runtime, RuntimeConfig};

/// Rows + regions + module registry. `Send + Sync`: share one (e.g. in an `Arc`) between
/// threads.
pub struct RuntimeHost {
    rows: Arc<dyn RowStore>,
    regions: RegionStore,
    modules: ModuleRegistry,
}

impl RuntimeHost {
    /// Everything in memory, with a new default [`Runtime`] and default [`Limits`].
    pub fn in_memory() -> Result<Self> {
        Ok(Self::with_parts(
            Arc::new(MemoryRowStore::new()),
            default_runtime()?,
            Limits::default(),
        ))
    }

    /// Rows in the SQLite file at `path` (created when absent; see [`SqliteRowStore::open`]),
    /// regions and modules in memory, with a new default [`Runtime`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Ok(Self::with_parts(
            Arc::new(SqliteRowStore::open(path)?),
            default_runtime()?,
            Limits::default(),
        ))
    }

    /// A host over an existing row store and runtime (share one runtime between hosts to
    /// share its compile cache); modules are invoked under `limits`.
    pub fn with_parts(rows: Arc<dyn RowStore>, runtime: Arc<Runtime>, limits: Limits) -> Self {
        RuntimeHost {
            rows,
            regions: RegionStore::new(),
            modules: ModuleRegistry::new(runtime, limits),
        }
    }

    /// The host policy behind the `sdn_host` imports of registry modules (default: the empty
    /// policy, which grants nothing). Each module gets at most what its verified manifest
    /// declares. Set it before loading modules: loaded modules keep the host they got.
    pub fn with_host_policy(mut self, policy: crate::host::HostPolicy) -> Self {
        self.modules = self.modules.with_host_policy(policy);
        self
    }

    /// The row store.
    pub fn rows(&self) -> &dyn RowStore {
        self.rows.as_ref()
    }

    /// The region store.
    pub fn regions(&self) -> &RegionStore {
        &self.regions
    }

    /// The module registry.
    pub fn modules(&self) -> &ModuleRegistry {
        &self.modules
    }
}

fn default_runtime() -> Result<Arc<Runtime>> {
    Ok(Arc::new(Runtime::new(RuntimeConfig::default())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + ?Sized>() {}

    #[test]
    fn every_part_is_send_and_sync() {
        assert_send_sync::<RuntimeHost>();
        assert_send_sync::<MemoryRowStore>();
        assert_send_sync::<SqliteRowStore>();
        assert_send_sync::<RegionStore>();
        assert_send_sync::<ModuleRegistry>();
        assert_send_sync::<dyn RowStore>();
    }
}
