//! The runtime host (spec 6): standards rows (durable when opened at a path), aligned-binary
//! record regions and the module registry, in one `Send + Sync` object that does its own
//! locking: share one between threads.

use std::sync::Arc;

use space_data_module::api;

use crate::error::{Result, SdmError, guard};
use crate::format::parse_json;
use crate::json_text;
use crate::publication::VerifiedModule;
use crate::runtime::{HostPolicy, InputFrame, InvokeResult};

/// The durable identity of a row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RowHandle {
    pub schema_file_id: String,
    pub row_id: u64,
}

/// A stored row: its handle and its payload as JSON text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Row {
    pub handle: RowHandle,
    pub payload_json: String,
}

fn handle(handle: api::RowHandle) -> RowHandle {
    RowHandle {
        schema_file_id: handle.schema_file_id,
        row_id: handle.row_id,
    }
}

fn row(row: api::Row) -> Row {
    Row {
        payload_json: json_text(&row.payload),
        handle: handle(row.handle),
    }
}

/// A region's shape and identity.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionDescriptor {
    pub region_id: u64,
    pub layout_id: String,
    pub record_byte_length: u64,
    pub alignment: u64,
    pub record_count: u64,
    pub external: bool,
}

fn region(d: api::RegionDescriptor) -> RegionDescriptor {
    RegionDescriptor {
        region_id: d.region_id,
        layout_id: d.layout_id,
        record_byte_length: d.record_byte_length as u64,
        alignment: d.alignment as u64,
        record_count: d.record_count,
        external: d.external,
    }
}

/// A copy of one owned record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionRecord {
    pub region_id: u64,
    pub record_index: u64,
    pub layout_id: String,
    pub bytes: Vec<u8>,
}

/// How a registry module is addressed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ModuleRef {
    /// By the id it was installed under.
    Id { id: String },
    /// By its canonical module hash, 64 hex digits.
    Hash { hex: String },
}

impl ModuleRef {
    fn core(&self) -> Result<api::ModuleRef> {
        Ok(match self {
            ModuleRef::Id { id } => api::ModuleRef::Id(id.clone()),
            ModuleRef::Hash { hex } => api::ModuleRef::from_hash_hex(hex)?,
        })
    }
}

/// An installed module.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ModuleRecord {
    pub module_id: String,
    /// The canonical module hash (SHA-256 without `sds.*` sections).
    pub module_hash_hex: String,
    /// Starts at 1; every reinstall adds 1.
    pub version: u64,
    pub byte_length: u64,
    pub loaded: bool,
    /// The caller's metadata as JSON text.
    pub metadata_json: String,
}

fn module_record(record: api::ModuleRecord) -> ModuleRecord {
    let api::ModuleRecordView {
        module_id,
        module_hash_hex,
        version,
        byte_length,
        loaded,
        metadata,
    } = record.view();
    ModuleRecord {
        module_id,
        module_hash_hex,
        version,
        byte_length: byte_length as u64,
        loaded,
        metadata_json: json_text(&metadata),
    }
}

/// Rows + regions + module registry.
#[derive(uniffi::Object)]
pub struct RuntimeHost {
    inner: api::RuntimeHost,
}

fn host(inner: api::RuntimeHost, policy: Option<Arc<HostPolicy>>) -> Arc<RuntimeHost> {
    let inner = match policy {
        Some(policy) => inner.with_host_policy(policy.inner.clone()),
        None => inner,
    };
    Arc::new(RuntimeHost { inner })
}

fn usize_arg(what: &str, value: u64) -> Result<usize> {
    usize::try_from(value)
        .map_err(|_| SdmError::invalid_argument(format!("{what}: {value} is out of range")))
}

#[uniffi::export]
impl RuntimeHost {
    /// Everything in memory. `host_policy`: what registry modules' hostcalls may do (none:
    /// nothing), each module getting at most what its verified manifest declares.
    #[uniffi::constructor(default(host_policy = None))]
    pub fn in_memory(host_policy: Option<Arc<HostPolicy>>) -> Result<Arc<RuntimeHost>> {
        guard(|| Ok(host(api::RuntimeHost::in_memory()?, host_policy)))
    }

    /// Rows in the SQLite file at `path` (created when absent; they survive a reopen),
    /// regions and modules in memory.
    #[uniffi::constructor(default(host_policy = None))]
    pub fn open(path: String, host_policy: Option<Arc<HostPolicy>>) -> Result<Arc<RuntimeHost>> {
        guard(|| Ok(host(api::RuntimeHost::open(&path)?, host_policy)))
    }

    /// Appends a row (payload: JSON text) under the trimmed schema id; ids count from 1 per
    /// schema and are never reused.
    pub fn append_row(&self, schema_file_id: String, payload_json: String) -> Result<RowHandle> {
        guard(|| {
            if schema_file_id.is_empty() {
                return Err(SdmError::invalid_argument("schemaFileId is empty"));
            }
            let payload = parse_json("row payload", &payload_json)?;
            Ok(handle(
                self.inner.rows().append_row(&schema_file_id, &payload)?,
            ))
        })
    }

    /// The row, or none when there is none (`RUNTIME_HOST_INVALID_ROW_ID` for id 0).
    pub fn resolve_row(&self, schema_file_id: String, row_id: u64) -> Result<Option<Row>> {
        guard(|| {
            let key = api::RowHandle::new(schema_file_id, row_id);
            Ok(self.inner.rows().resolve_row(&key)?.map(row))
        })
    }

    /// Every row (of one schema, or all), in insertion order.
    #[uniffi::method(default(schema_file_id = None))]
    pub fn list_rows(&self, schema_file_id: Option<String>) -> Result<Vec<Row>> {
        guard(|| {
            Ok(self
                .inner
                .rows()
                .list_rows(schema_file_id.as_deref())?
                .into_iter()
                .map(row)
                .collect())
        })
    }

    /// Allocates an owned region holding `records` (each zero-padded to the record length).
    #[uniffi::method(default(alignment = 1, records = []))]
    pub fn allocate_region(
        &self,
        layout_id: String,
        record_byte_length: u64,
        alignment: u64,
        records: Vec<Vec<u8>>,
    ) -> Result<RegionDescriptor> {
        guard(|| {
            let spec = api::RegionSpec::new(
                layout_id,
                usize_arg("recordByteLength", record_byte_length)?,
            )
            .with_alignment(usize_arg("alignment", alignment)?);
            let initial: Vec<Option<&[u8]>> = records.iter().map(|r| Some(r.as_slice())).collect();
            Ok(region(
                self.inner.regions().allocate_region(&spec, &initial)?,
            ))
        })
    }

    /// The region's descriptor, or none.
    pub fn describe_region(&self, region_id: u64) -> Result<Option<RegionDescriptor>> {
        guard(|| Ok(self.inner.regions().describe_region(region_id)?.map(region)))
    }

    /// Grows (zero records) or shrinks an owned region; none for an unknown region.
    pub fn set_region_record_count(
        &self,
        region_id: u64,
        record_count: u64,
    ) -> Result<Option<RegionDescriptor>> {
        guard(|| {
            Ok(self
                .inner
                .regions()
                .set_region_record_count(region_id, record_count)?
                .map(region))
        })
    }

    /// A copy of one record, or none.
    pub fn resolve_record(
        &self,
        region_id: u64,
        record_index: u64,
    ) -> Result<Option<RegionRecord>> {
        guard(|| {
            Ok(self
                .inner
                .regions()
                .resolve_record(region_id, record_index)?
                .map(|record| RegionRecord {
                    region_id: record.identity.region_id,
                    record_index: record.identity.record_index,
                    layout_id: record.identity.layout_id,
                    bytes: record.bytes,
                }))
        })
    }

    /// Every region, by id.
    pub fn list_regions(&self) -> Result<Vec<RegionDescriptor>> {
        guard(|| {
            Ok(self
                .inner
                .regions()
                .list_regions()?
                .into_iter()
                .map(region)
                .collect())
        })
    }

    /// Installs a verified module under `module_id` (not loaded yet; `metadata_json`: any
    /// JSON).
    #[uniffi::method(default(metadata_json = "{}"))]
    pub fn install_module(
        &self,
        module_id: String,
        module: Arc<VerifiedModule>,
        metadata_json: String,
    ) -> Result<ModuleRecord> {
        guard(|| {
            let metadata = parse_json("module metadata", &metadata_json)?;
            Ok(module_record(self.inner.modules().install(
                &module_id,
                &module.inner,
                &metadata,
            )?))
        })
    }

    /// Replaces an installed module (returns the previous record; the new one is not loaded).
    #[uniffi::method(default(metadata_json = "{}"))]
    pub fn reinstall_module(
        &self,
        module_id: String,
        module: Arc<VerifiedModule>,
        metadata_json: String,
    ) -> Result<ModuleRecord> {
        guard(|| {
            let metadata = parse_json("module metadata", &metadata_json)?;
            Ok(module_record(self.inner.modules().reinstall(
                &module_id,
                &module.inner,
                &metadata,
            )?))
        })
    }

    /// Removes a module; returns its last record, or none.
    pub fn uninstall_module(&self, module_id: String) -> Result<Option<ModuleRecord>> {
        guard(|| {
            Ok(self
                .inner
                .modules()
                .uninstall(&module_id)?
                .map(module_record))
        })
    }

    /// Compiles an installed module and marks it loaded.
    pub fn load_module(&self, module: ModuleRef) -> Result<ModuleRecord> {
        guard(|| Ok(module_record(self.inner.modules().load(&module.core()?)?)))
    }

    /// Drops the compiled module (the install stays); true when it was loaded.
    pub fn unload_module(&self, module: ModuleRef) -> Result<bool> {
        guard(|| Ok(self.inner.modules().unload(&module.core()?)?))
    }

    /// Every installed module, in install order.
    pub fn list_modules(&self) -> Vec<ModuleRecord> {
        self.inner
            .modules()
            .list()
            .into_iter()
            .map(module_record)
            .collect()
    }

    /// The record of an id or hash, or none.
    pub fn lookup_module(&self, module: ModuleRef) -> Result<Option<ModuleRecord>> {
        guard(|| {
            Ok(self
                .inner
                .modules()
                .lookup(&module.core()?)?
                .map(module_record))
        })
    }

    /// Invokes a loaded module (`RUNTIME_HOST_MODULE_NOT_LOADED` otherwise) under the host's
    /// policy narrowed to the module's declared capabilities.
    #[uniffi::method(default(inputs = []))]
    pub fn invoke_module(
        &self,
        module: ModuleRef,
        method: String,
        inputs: Vec<InputFrame>,
    ) -> Result<InvokeResult> {
        guard(|| {
            let frames: Vec<(String, &[u8])> = inputs
                .iter()
                .map(|f| (f.port.clone(), f.payload.as_slice()))
                .collect();
            let request = api::invoke::build_request(&method, &frames)?;
            let response = self.inner.modules().invoke(&module.core()?, &request)?;
            // The registry picks the mode itself; the result reports none.
            let invoked = api::invoke::Invoked {
                mode: api::InvokeMode::Direct,
                response,
            };
            Ok(InvokeResult::from_invoked(&invoked, None))
        })
    }
}
