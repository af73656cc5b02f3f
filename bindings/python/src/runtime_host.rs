//! The runtime host: durable rows, record regions and a module registry, as in the C ABI.
//!
//! Thread safety: a `RuntimeHost` may be shared between Python threads; the core host is
//! `Send + Sync` and every part does its own locking. Store and registry calls release the GIL.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use space_data_module::api::invoke::build_request;
use space_data_module::api::{
    Error, ErrorCode, ModuleRef, RegionSpec, RowHandle, RuntimeHost as CoreHost,
};

use crate::convert::{bytes, optional_json_text, to_python, value_text};
use crate::errors::{attached, detached};
use crate::publication::Opened;
use crate::runtime::{Response, Slot};

fn parse_json(text: &str, what: &str) -> space_data_module::api::Result<serde_json::Value> {
    serde_json::from_str(text)
        .map_err(|err| Error::new(ErrorCode::InvalidJson, format!("{what}: {err}")))
}

fn not_found(message: String) -> Error {
    Error::new(ErrorCode::RuntimeHostNotFound, message)
}

/// Rows (in memory, or durable in a SQLite file), record regions and a module registry with
/// its own runtime. A context manager; may be shared between threads.
#[pyclass(frozen, module = "space_data_module")]
pub struct RuntimeHost {
    host: Slot<CoreHost>,
}

impl RuntimeHost {
    fn get(&self, py: Python<'_>) -> PyResult<std::sync::Arc<CoreHost>> {
        self.host.get(py, "RuntimeHost")
    }
}

#[pymethods]
impl RuntimeHost {
    /// `path` None: rows in memory; else rows in that SQLite file (created when absent; rows
    /// survive a reopen). Registry modules run under `host_policy` (docs/host.md), narrowed to
    /// what each verified manifest declares; the default grants nothing.
    #[new]
    #[pyo3(signature = (path=None, *, host_policy=None))]
    fn new(
        py: Python<'_>,
        path: Option<PathBuf>,
        host_policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RuntimeHost> {
        let policy = optional_json_text(py, host_policy, "host policy")?;
        let host = detached(py, move || {
            let host = match &path {
                None => CoreHost::in_memory()?,
                Some(path) => CoreHost::open(path)?,
            };
            Ok(match policy {
                Some(text) => {
                    host.with_host_policy(space_data_module::api::HostPolicy::from_json_str(&text)?)
                }
                None => host,
            })
        })?;
        Ok(RuntimeHost {
            host: Slot::new(host),
        })
    }

    // ---- rows ---------------------------------------------------------------------------

    /// Appends a row (any JSON-serializable value; a `str` is a JSON string) under the trimmed
    /// schema id; returns its row id (per schema, from 1, never reused).
    fn append_row(
        &self,
        py: Python<'_>,
        schema_file_id: String,
        payload: &Bound<'_, PyAny>,
    ) -> PyResult<u64> {
        let host = self.get(py)?;
        let text = value_text(py, payload, "row payload")?;
        detached(py, move || {
            let payload = parse_json(&text, "row payload")?;
            Ok(host.rows().append_row(&schema_file_id, &payload)?.row_id)
        })
    }

    /// `{"handle": {"schemaFileId", "rowId"}, "payload"}`, or None when absent.
    fn resolve_row<'py>(
        &self,
        py: Python<'py>,
        schema_file_id: String,
        row_id: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = self.get(py)?;
        let row = detached(py, move || {
            host.rows()
                .resolve_row(&RowHandle::new(schema_file_id, row_id))
        })?;
        to_python(py, &row.map(|row| row.to_json()))
    }

    /// Every row (of one schema, or all), in insertion order.
    #[pyo3(signature = (schema_file_id=None))]
    fn list_rows<'py>(
        &self,
        py: Python<'py>,
        schema_file_id: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = self.get(py)?;
        let rows = detached(py, move || host.rows().list_rows(schema_file_id.as_deref()))?;
        let rows: Vec<_> = rows.iter().map(|row| row.to_json()).collect();
        to_python(py, &rows)
    }

    // ---- regions ------------------------------------------------------------------------

    /// Allocates an owned region of `record_byte_length`-byte records; `initial_records` is
    /// cut into records (a shorter last one is zero-padded). Returns the region id.
    #[pyo3(signature = (layout_id, record_byte_length, *, alignment=1, initial_records=None))]
    fn allocate_region(
        &self,
        py: Python<'_>,
        layout_id: String,
        record_byte_length: usize,
        alignment: usize,
        initial_records: Option<&[u8]>,
    ) -> PyResult<u64> {
        let host = self.get(py)?;
        let initial = initial_records.unwrap_or_default();
        detached(py, move || {
            // A zero length is refused by the core with its own code; avoid `chunks(0)`.
            let records: Vec<Option<&[u8]>> = if record_byte_length == 0 {
                Vec::new()
            } else {
                initial.chunks(record_byte_length).map(Some).collect()
            };
            let spec = RegionSpec::new(layout_id, record_byte_length).with_alignment(alignment);
            Ok(host.regions().allocate_region(&spec, &records)?.region_id)
        })
    }

    /// `{regionId, layoutId, recordByteLength, alignment, recordCount, external}`, or None.
    fn describe_region<'py>(&self, py: Python<'py>, region_id: u64) -> PyResult<Bound<'py, PyAny>> {
        let host = self.get(py)?;
        let found = attached(py, || host.regions().describe_region(region_id))?;
        to_python(py, &found.map(|d| d.to_json()))
    }

    /// Sets an owned region's record count (shrinking truncates, growing appends zeros).
    fn set_region_record_count(
        &self,
        py: Python<'_>,
        region_id: u64,
        record_count: u64,
    ) -> PyResult<()> {
        let host = self.get(py)?;
        detached(py, move || {
            host.regions()
                .set_region_record_count(region_id, record_count)?
                .map(|_| ())
                .ok_or_else(|| not_found(format!("no region {region_id}")))
        })
    }

    /// A copy of one owned record's bytes (`runtime-host-not-found` when absent).
    fn resolve_record<'py>(
        &self,
        py: Python<'py>,
        region_id: u64,
        record_index: u64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let host = self.get(py)?;
        let record = attached(py, || {
            host.regions()
                .resolve_record(region_id, record_index)?
                .ok_or_else(|| not_found(format!("no owned record {region_id}/{record_index}")))
        })?;
        Ok(bytes(py, &record.bytes))
    }

    // ---- module registry ----------------------------------------------------------------

    /// Installs a verified module under `module_id` (not loaded yet); with `replace` an
    /// installed id is replaced. Returns `{"module": record, "previous": record or None}`.
    #[pyo3(signature = (module_id, opened, metadata=None, *, replace=false))]
    fn install_module<'py>(
        &self,
        py: Python<'py>,
        module_id: String,
        opened: PyRef<'py, Opened>,
        metadata: Option<&Bound<'py, PyAny>>,
        replace: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = self.get(py)?;
        let metadata = match metadata {
            Some(value) if !value.is_none() => Some(value_text(py, value, "metadata")?),
            _ => None,
        };
        let module = opened.module.clone();
        let result = detached(py, move || {
            let metadata = match metadata {
                Some(text) => parse_json(&text, "metadata")?,
                None => serde_json::Value::Null,
            };
            let modules = host.modules();
            let previous = if replace {
                Some(modules.reinstall(&module_id, &module, &metadata)?)
            } else {
                modules.install(&module_id, &module, &metadata)?;
                None
            };
            let record = modules
                .lookup(&ModuleRef::from(module_id.as_str()))?
                .ok_or_else(|| {
                    not_found(format!("module `{module_id}` was removed concurrently"))
                })?;
            Ok(serde_json::json!({
                "module": record.to_json(),
                "previous": previous.map(|p| p.to_json()),
            }))
        })?;
        to_python(py, &result)
    }

    /// Compiles an installed module so it can be invoked.
    fn load_module(&self, py: Python<'_>, module_id: String) -> PyResult<()> {
        let host = self.get(py)?;
        detached(py, move || {
            host.modules()
                .load(&ModuleRef::from(module_id.as_str()))
                .map(|_| ())
        })
    }

    /// Drops the compiled module (it stays installed); returns whether it was loaded.
    fn unload_module(&self, py: Python<'_>, module_id: String) -> PyResult<bool> {
        let host = self.get(py)?;
        detached(py, move || {
            host.modules().unload(&ModuleRef::from(module_id.as_str()))
        })
    }

    /// Removes an installed module; returns its record, or None when it was not installed.
    fn uninstall_module<'py>(
        &self,
        py: Python<'py>,
        module_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = self.get(py)?;
        let removed = detached(py, move || host.modules().uninstall(&module_id))?;
        to_python(py, &removed.map(|r| r.to_json()))
    }

    /// Every installed module's record, in install order.
    fn list_modules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let host = self.get(py)?;
        let records: Vec<_> = host.modules().list().iter().map(|m| m.to_json()).collect();
        to_python(py, &records)
    }

    /// Invokes a loaded module (a fresh instance; direct mode when exported, else command).
    #[pyo3(signature = (module_id, method, inputs=None))]
    fn invoke<'py>(
        &self,
        py: Python<'py>,
        module_id: String,
        method: String,
        inputs: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Response> {
        let host = self.get(py)?;
        let mut owners = Vec::new();
        let ports = crate::runtime::frames(py, inputs, &mut owners)?;
        let inputs: Vec<(String, &[u8])> = ports
            .into_iter()
            .zip(owners.iter().map(|payload| payload.as_bytes()))
            .collect();
        let response = detached(py, move || {
            let request = build_request(&method, &inputs)?;
            host.modules()
                .invoke(&ModuleRef::from(module_id.as_str()), &request)
        })?;
        Response::new(py, response, None)
    }

    /// An encoded `PluginInvokeRequest` in, the guest's encoded response out.
    fn invoke_bytes<'py>(
        &self,
        py: Python<'py>,
        module_id: String,
        request: &[u8],
    ) -> PyResult<Bound<'py, PyBytes>> {
        let host = self.get(py)?;
        let response = detached(py, move || {
            host.modules()
                .invoke_bytes(&ModuleRef::from(module_id.as_str()), request)
        })?;
        Ok(bytes(py, &response))
    }

    /// Releases the host (a durable store is closed; its rows stay in the file).
    fn close(&self) {
        self.host.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.host.is_closed()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }
}
