//! The runtime host over C: `sdm_runtime_host` (rows, regions, module registry).
//!
//! The handle may be shared between threads and used concurrently: the core `RuntimeHost`
//! is `Send + Sync` and every part does its own locking. Text inputs (ids, JSON) are UTF-8
//! pointer + length; structured outputs are JSON in `sdm_bytes` (docs/c-abi.md).

use space_data_module::runtime_host::{ModuleRef, RegionSpec, RowHandle, RuntimeHost};
use space_data_module::{Error, ErrorCode, Result};

use space_data_module::host::HostPolicy;

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{
    input, json_bytes, optional_input, require_out, sdm_bytes, utf8_input, write_out,
};
use crate::verified::{sdm_verified, verified_ref};

/// A runtime host: an append-only row store (in memory, or durable in a SQLite file),
/// record regions and a wasm module registry with its own runtime. Create with
/// `sdm_runtime_host_new` or `sdm_runtime_host_open`, release with `sdm_runtime_host_free`.
/// Thread-safe: may be used from several threads at once.
#[allow(non_camel_case_types)]
pub struct sdm_runtime_host {
    host: RuntimeHost,
}

fn boxed(host: RuntimeHost) -> *mut sdm_runtime_host {
    Box::into_raw(Box::new(sdm_runtime_host { host }))
}

/// # Safety
/// `host` is NULL or a live handle.
unsafe fn host_ref<'a>(host: *const sdm_runtime_host) -> Result<&'a RuntimeHost> {
    // SAFETY: caller contract.
    unsafe { host.as_ref() }
        .map(|handle| &handle.host)
        .ok_or_else(|| invalid_argument("host is NULL"))
}

/// # Safety
/// `ptr` NULL or valid for `len` bytes.
unsafe fn json_input(ptr: *const u8, len: usize, what: &str) -> Result<serde_json::Value> {
    // SAFETY: forwarded contract.
    let text = unsafe { utf8_input(ptr, len, what) }?;
    serde_json::from_str(text)
        .map_err(|err| Error::new(ErrorCode::InvalidJson, format!("{what}: {err}")))
}

/// Creates a host with everything in memory whose registry modules run under the host policy
/// `policy_json` (docs/host.md; each module is granted at most what its verified manifest
/// declares). `path` NULL with length 0: rows in memory; else rows in that SQLite file.
///
/// # Safety
/// Inputs NULL (with length 0) or valid for their lengths; `out_host` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_new_with_policy(
    path: *const u8,
    path_len: usize,
    policy_json: *const u8,
    policy_len: usize,
    out_host: *mut *mut sdm_runtime_host,
) -> sdm_status {
    guard(|| {
        require_out(out_host, "out_host")?;
        // SAFETY: caller contract.
        let policy = HostPolicy::from_json_str(unsafe {
            utf8_input(policy_json, policy_len, "policy_json")
        }?)?;
        // SAFETY: caller contract.
        let host = match unsafe { optional_input(path, path_len, "path") }? {
            None => RuntimeHost::in_memory()?,
            Some(bytes) => {
                let path = std::str::from_utf8(bytes)
                    .map_err(|_| invalid_argument("path is not UTF-8"))?;
                RuntimeHost::open(path)?
            }
        };
        let host = host.with_host_policy(policy);
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_host, boxed(host)) };
        Ok(())
    })
}

/// Creates a host with everything in memory.
///
/// # Safety
/// `out_host` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_new(out_host: *mut *mut sdm_runtime_host) -> sdm_status {
    guard(|| {
        require_out(out_host, "out_host")?;
        let host = RuntimeHost::in_memory()?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_host, boxed(host)) };
        Ok(())
    })
}

/// Creates a host whose rows live in the SQLite file at `path` (UTF-8, created when absent;
/// WAL journal, every append synced). Regions and modules are in memory.
///
/// # Safety
/// `path` valid for `path_len` bytes; `out_host` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_open(
    path: *const u8,
    path_len: usize,
    out_host: *mut *mut sdm_runtime_host,
) -> sdm_status {
    guard(|| {
        require_out(out_host, "out_host")?;
        // SAFETY: caller contract.
        let path = unsafe { utf8_input(path, path_len, "path") }?;
        let host = RuntimeHost::open(path)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_host, boxed(host)) };
        Ok(())
    })
}

/// Releases a host (a durable store is closed; its rows stay in the file). Accepts NULL.
///
/// # Safety
/// `host` is NULL or a handle from `sdm_runtime_host_new`/`_open`, not yet freed, not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_free(host: *mut sdm_runtime_host) {
    // SAFETY: caller contract; the handle came from `Box::into_raw` in `boxed`.
    unsafe { crate::boundary::free_handle(host) }
}

// ---- rows ---------------------------------------------------------------------------------

/// Appends a row: `payload_json` is any JSON value, stored under the trimmed schema id. The
/// row id (per schema, from 1, never reused, not consumed by a failed append) is written to
/// `out_row_id`.
///
/// # Safety
/// `host` NULL or live; the inputs valid for their lengths; `out_row_id` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_append_row(
    host: *const sdm_runtime_host,
    schema_file_id: *const u8,
    schema_file_id_len: usize,
    payload_json: *const u8,
    payload_json_len: usize,
    out_row_id: *mut u64,
) -> sdm_status {
    guard(|| {
        require_out(out_row_id, "out_row_id")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let schema = unsafe { utf8_input(schema_file_id, schema_file_id_len, "schema_file_id") }?;
        let payload = unsafe { json_input(payload_json, payload_json_len, "payload_json") }?;
        let handle = host.rows().append_row(schema, &payload)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_row_id, handle.row_id) };
        Ok(())
    })
}

/// The row as JSON `{"handle": {"schemaFileId", "rowId"}, "payload"}`, or `null` when absent.
/// Row id 0 is `runtime-host-invalid-row-id`.
///
/// # Safety
/// `host` NULL or live; `schema_file_id` valid for its length; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_resolve_row(
    host: *const sdm_runtime_host,
    schema_file_id: *const u8,
    schema_file_id_len: usize,
    row_id: u64,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let schema = unsafe { utf8_input(schema_file_id, schema_file_id_len, "schema_file_id") }?;
        let row = host.rows().resolve_row(&RowHandle::new(schema, row_id))?;
        let json = json_bytes(&row.map_or(serde_json::Value::Null, |row| row.to_json()))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// Every row (of one schema, or all when `schema_file_id` is NULL with length 0) as a JSON
/// array of row objects, in global insertion order.
///
/// # Safety
/// `host` NULL or live; `schema_file_id` NULL or valid for its length; `out_json` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_list_rows(
    host: *const sdm_runtime_host,
    schema_file_id: *const u8,
    schema_file_id_len: usize,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let schema =
            unsafe { optional_input(schema_file_id, schema_file_id_len, "schema_file_id") }?
                .map(|bytes| {
                    std::str::from_utf8(bytes).map_err(|err| {
                        invalid_argument(format!("schema_file_id is not UTF-8: {err}"))
                    })
                })
                .transpose()?;
        let rows = host.rows().list_rows(schema)?;
        let json = json_bytes(&serde_json::Value::Array(
            rows.iter().map(|row| row.to_json()).collect(),
        ))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

// ---- regions ------------------------------------------------------------------------------

/// Allocates an owned region of records of `record_byte_length` bytes (`alignment`: a power
/// of two, at most 32768). `initial_records` (NULL with length 0 for none) is cut into
/// records of `record_byte_length`; a shorter last record is zero-padded. The region id is
/// written to `out_region_id`.
///
/// # Safety
/// `host` NULL or live; `layout_id` valid for its length; `initial_records` NULL or valid
/// for its length; `out_region_id` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_allocate_region(
    host: *const sdm_runtime_host,
    layout_id: *const u8,
    layout_id_len: usize,
    record_byte_length: usize,
    alignment: usize,
    initial_records: *const u8,
    initial_records_len: usize,
    out_region_id: *mut u64,
) -> sdm_status {
    guard(|| {
        require_out(out_region_id, "out_region_id")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let layout = unsafe { utf8_input(layout_id, layout_id_len, "layout_id") }?;
        let initial =
            unsafe { optional_input(initial_records, initial_records_len, "initial_records") }?
                .unwrap_or(&[]);
        // A zero length is refused by the core with its own code; avoid `chunks(0)`.
        let records: Vec<Option<&[u8]>> = if record_byte_length == 0 {
            Vec::new()
        } else {
            initial.chunks(record_byte_length).map(Some).collect()
        };
        let spec = RegionSpec::new(layout, record_byte_length).with_alignment(alignment);
        let descriptor = host.regions().allocate_region(&spec, &records)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_region_id, descriptor.region_id) };
        Ok(())
    })
}

/// The region's descriptor JSON `{regionId, layoutId, recordByteLength, alignment,
/// recordCount, external}`, or `null` for an unknown region.
///
/// # Safety
/// `host` NULL or live; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_describe_region(
    host: *const sdm_runtime_host,
    region_id: u64,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract.
        let host = unsafe { host_ref(host) }?;
        let found = host.regions().describe_region(region_id)?;
        let json = json_bytes(&found.map_or(serde_json::Value::Null, |d| d.to_json()))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// Sets an owned region's record count (shrinking truncates, growing appends zero records).
/// An unknown region is `runtime-host-not-found`.
///
/// # Safety
/// `host` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_set_region_record_count(
    host: *const sdm_runtime_host,
    region_id: u64,
    record_count: u64,
) -> sdm_status {
    guard(|| {
        // SAFETY: caller contract.
        let host = unsafe { host_ref(host) }?;
        host.regions()
            .set_region_record_count(region_id, record_count)?
            .map(|_| ())
            .ok_or_else(|| not_found(format!("no region {region_id}")))
    })
}

fn not_found(message: String) -> Error {
    Error::new(ErrorCode::RuntimeHostNotFound, message)
}

/// A copy of one owned record's bytes (exactly `recordByteLength`). An unknown region, an
/// index past the count, or an external region is `runtime-host-not-found`.
///
/// # Safety
/// `host` NULL or live; `out_bytes` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_resolve_record(
    host: *const sdm_runtime_host,
    region_id: u64,
    record_index: u64,
    out_bytes: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_bytes, "out_bytes")?;
        // SAFETY: caller contract.
        let host = unsafe { host_ref(host) }?;
        let record = host
            .regions()
            .resolve_record(region_id, record_index)?
            .ok_or_else(|| not_found(format!("no owned record {region_id}/{record_index}")))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_bytes, sdm_bytes::from_vec(record.bytes)) };
        Ok(())
    })
}

// ---- module registry ----------------------------------------------------------------------

/// Installs a verified module (fail closed: only `sdm_verify` creates one) under the trimmed
/// `module_id`, with `metadata_json` (NULL with length 0 = `null`). With `replace` false an
/// installed id is `runtime-host-module-exists`; with `replace` true the id must exist and
/// is replaced (the new version is not loaded). Writes `{"module": record, "previous":
/// record or null}`, a record being `{moduleId, moduleHashHex, version, byteLength, loaded,
/// metadata}`.
///
/// # Safety
/// `host` NULL or live; the inputs valid for their lengths; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_install_module(
    host: *const sdm_runtime_host,
    module_id: *const u8,
    module_id_len: usize,
    verified: *const sdm_verified,
    metadata_json: *const u8,
    metadata_json_len: usize,
    replace: bool,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let id = unsafe { utf8_input(module_id, module_id_len, "module_id") }?;
        let wasm = unsafe { verified_ref(verified) }?;
        let metadata = match unsafe {
            optional_input(metadata_json, metadata_json_len, "metadata_json")
        }? {
            None => serde_json::Value::Null,
            Some(_) => unsafe { json_input(metadata_json, metadata_json_len, "metadata_json") }?,
        };
        let modules = host.modules();
        let previous = if replace {
            Some(modules.reinstall(id, wasm, &metadata)?)
        } else {
            modules.install(id, wasm, &metadata)?;
            None
        };
        let record = modules
            .lookup(&ModuleRef::from(id))?
            .ok_or_else(|| not_found(format!("module `{id}` was removed concurrently")))?;
        let json = json_bytes(&serde_json::json!({
            "module": record.to_json(),
            "previous": previous.map(|p| p.to_json()),
        }))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// Compiles an installed module so it can be invoked (`runtime-host-module-unknown` when not
/// installed; the runtime's compile/link codes).
///
/// # Safety
/// `host` NULL or live; `module_id` valid for its length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_load_module(
    host: *const sdm_runtime_host,
    module_id: *const u8,
    module_id_len: usize,
) -> sdm_status {
    guard(|| {
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let id = unsafe { utf8_input(module_id, module_id_len, "module_id") }?;
        host.modules().load(&ModuleRef::from(id)).map(|_| ())
    })
}

/// Drops the compiled module (it stays installed; invoking it is
/// `runtime-host-module-not-loaded` until loaded again). `out_was_loaded` tells whether it
/// was loaded.
///
/// # Safety
/// `host` NULL or live; `module_id` valid for its length; `out_was_loaded` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_unload_module(
    host: *const sdm_runtime_host,
    module_id: *const u8,
    module_id_len: usize,
    out_was_loaded: *mut bool,
) -> sdm_status {
    guard(|| {
        require_out(out_was_loaded, "out_was_loaded")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let id = unsafe { utf8_input(module_id, module_id_len, "module_id") }?;
        let was_loaded = host.modules().unload(&ModuleRef::from(id))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_was_loaded, was_loaded) };
        Ok(())
    })
}

/// Invokes a loaded module: an encoded `PluginInvokeRequest` in (the method id is inside),
/// the guest's encoded response out (fresh instance, default limits, no WASI grants; direct
/// mode when exported, else command mode).
///
/// # Safety
/// `host` NULL or live; the inputs valid for their lengths; `out_response` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_invoke(
    host: *const sdm_runtime_host,
    module_id: *const u8,
    module_id_len: usize,
    request: *const u8,
    request_len: usize,
    out_response: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_response, "out_response")?;
        // SAFETY: caller contract (for every unsafe call below).
        let host = unsafe { host_ref(host) }?;
        let id = unsafe { utf8_input(module_id, module_id_len, "module_id") }?;
        let request = unsafe { input(request, request_len, "request") }?;
        let response = host.modules().invoke_bytes(&ModuleRef::from(id), request)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_response, sdm_bytes::from_vec(response)) };
        Ok(())
    })
}

/// Every installed module as a JSON array of records, in install order.
///
/// # Safety
/// `host` NULL or live; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_host_list_modules(
    host: *const sdm_runtime_host,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract.
        let host = unsafe { host_ref(host) }?;
        let json = json_bytes(&serde_json::Value::Array(
            host.modules().list().iter().map(|m| m.to_json()).collect(),
        ))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}
