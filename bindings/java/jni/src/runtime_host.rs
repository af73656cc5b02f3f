//! The runtime host: rows, regions and the module registry (`api::RuntimeHost`). Rows,
//! regions and records go out in the reference's object forms (`to_json`), module records as
//! the core's `ModuleRecordView`.

use jni::EnvUnowned;
use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jboolean, jlong};
use serde_json::{Value, json};
use space_data_module::api::invoke;
use space_data_module::api::{HostPolicy, ModuleRef, RegionSpec, RowHandle, RuntimeHost};

use crate::boundary::{
    Failure, bytes, invalid, json as to_jstring, json_value, new_bytes, opt_bytes, opt_string, run,
    string,
};
use crate::handles::{Handle, into_ptr, runtime_host, verified};
use crate::runtime::inputs;

fn id(value: i64, what: &str) -> Result<u64, Failure> {
    u64::try_from(value).map_err(|_| invalid(format!("{what} must not be negative")))
}

fn size(value: i64, what: &str) -> Result<usize, Failure> {
    usize::try_from(value).map_err(|_| invalid(format!("{what} must not be negative")))
}

/// A host with rows in memory (`path` null) or in the SQLite file at `path`, its registry
/// modules running under `policy_json` (null: the empty policy).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn runtime_host_new<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    path: JString<'local>,
    policy_json: JString<'local>,
) -> jlong {
    run(env, |env| {
        let policy = opt_string(env, &policy_json)?
            .map(|text| HostPolicy::from_json_str(&text))
            .transpose()?;
        let host = match opt_string(env, &path)? {
            None => RuntimeHost::in_memory()?,
            Some(path) => RuntimeHost::open(path)?,
        };
        let host = match policy {
            Some(policy) => host.with_host_policy(policy),
            None => host,
        };
        Ok(into_ptr(Handle::RuntimeHost(host)))
    })
}

// ---- rows -------------------------------------------------------------------------------------

/// `{"schemaFileId", "rowId"}` of the appended row.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_append_row<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    schema_file_id: JString<'local>,
    payload_json: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let schema = string(env, &schema_file_id, "schemaFileId")?;
        let payload = json_value(&string(env, &payload_json, "payloadJson")?, "row payload")?;
        let handle = runtime_host(host)?.rows().append_row(&schema, &payload)?;
        to_jstring(env, &handle.to_json())
    })
}

/// `{"handle", "payload"}`, or JSON `null` when there is no such row.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_resolve_row<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    schema_file_id: JString<'local>,
    row_id: jlong,
) -> JString<'local> {
    run(env, |env| {
        let schema = string(env, &schema_file_id, "schemaFileId")?;
        let handle = RowHandle::new(schema, id(row_id, "rowId")?);
        let row = runtime_host(host)?.rows().resolve_row(&handle)?;
        to_jstring(env, &row.map_or(Value::Null, |row| row.to_json()))
    })
}

/// Every row of one schema (null: of all), in insertion order.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_list_rows<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    schema_file_id: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let schema = opt_string(env, &schema_file_id)?;
        let rows = runtime_host(host)?.rows().list_rows(schema.as_deref())?;
        let rows: Vec<Value> = rows.iter().map(|row| row.to_json()).collect();
        to_jstring(env, &rows)
    })
}

// ---- regions ----------------------------------------------------------------------------------

/// Allocates an owned region; `initial` (may be null) is cut into records, a shorter last
/// record zero-padded. The descriptor JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_allocate_region<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    layout_id: JString<'local>,
    record_byte_length: jlong,
    alignment: jlong,
    initial: JByteArray<'local>,
) -> JString<'local> {
    run(env, |env| {
        let layout = string(env, &layout_id, "layoutId")?;
        let length = size(record_byte_length, "recordByteLength")?;
        let alignment = size(alignment, "alignment")?;
        let initial = opt_bytes(env, &initial)?.unwrap_or_default();
        // A zero length is refused by the core with its own code; avoid `chunks(0)`.
        let records: Vec<Option<&[u8]>> = if length == 0 {
            Vec::new()
        } else {
            initial.chunks(length).map(Some).collect()
        };
        let spec = RegionSpec::new(layout, length).with_alignment(alignment);
        let descriptor = runtime_host(host)?
            .regions()
            .allocate_region(&spec, &records)?;
        to_jstring(env, &descriptor.to_json())
    })
}

/// The descriptor JSON, or `null` for an unknown region.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_describe_region<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    region_id: jlong,
) -> JString<'local> {
    run(env, |env| {
        let found = runtime_host(host)?
            .regions()
            .describe_region(id(region_id, "regionId")?)?;
        to_jstring(env, &found.map_or(Value::Null, |d| d.to_json()))
    })
}

/// Sets an owned region's record count; the new descriptor JSON, or `null` when unknown.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_set_region_record_count<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    region_id: jlong,
    record_count: jlong,
) -> JString<'local> {
    run(env, |env| {
        let found = runtime_host(host)?.regions().set_region_record_count(
            id(region_id, "regionId")?,
            id(record_count, "recordCount")?,
        )?;
        to_jstring(env, &found.map_or(Value::Null, |d| d.to_json()))
    })
}

/// A copy of one owned record's bytes, or `null`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_resolve_record<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    region_id: jlong,
    record_index: jlong,
) -> JByteArray<'local> {
    run(env, |env| {
        let record = runtime_host(host)?
            .regions()
            .resolve_record(id(region_id, "regionId")?, id(record_index, "recordIndex")?)?;
        match record {
            Some(record) => new_bytes(env, &record.bytes),
            None => Ok(JByteArray::null()),
        }
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_list_regions<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
) -> JString<'local> {
    run(env, |env| {
        let regions = runtime_host(host)?.regions().list_regions()?;
        let regions: Vec<Value> = regions.iter().map(|d| d.to_json()).collect();
        to_jstring(env, &regions)
    })
}

// ---- modules ----------------------------------------------------------------------------------

/// Installs (or with `replace`, reinstalls) a verified module: `{"module", "previous"}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_install_module<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
    module: jlong,
    metadata_json: JString<'local>,
    replace: jboolean,
) -> JString<'local> {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        let metadata = match opt_string(env, &metadata_json)? {
            Some(text) => json_value(&text, "module metadata")?,
            None => Value::Null,
        };
        let modules = runtime_host(host)?.modules();
        let module = verified(module)?;
        let previous = if replace {
            Some(modules.reinstall(&id, module, &metadata)?)
        } else {
            modules.install(&id, module, &metadata)?;
            None
        };
        let record = modules.lookup(&ModuleRef::from(id.as_str()))?;
        to_jstring(
            env,
            &json!({
                "module": record.map(|r| r.view()),
                "previous": previous.map(|p| p.view()),
            }),
        )
    })
}

/// The removed module's record, or `null`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_uninstall_module<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        let removed = runtime_host(host)?.modules().uninstall(&id)?;
        to_jstring(env, &removed.map(|r| r.view()))
    })
}

/// Compiles an installed module; its record.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_load_module<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        let record = runtime_host(host)?
            .modules()
            .load(&ModuleRef::from(id.as_str()))?;
        to_jstring(env, &record.view())
    })
}

/// Drops the compiled module (it stays installed); true when it was loaded.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_unload_module<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
) -> jboolean {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        Ok(runtime_host(host)?
            .modules()
            .unload(&ModuleRef::from(id.as_str()))?)
    })
}

/// Every installed module's record, in install order.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_list_modules<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
) -> JString<'local> {
    run(env, |env| {
        let records: Vec<_> = runtime_host(host)?
            .modules()
            .list()
            .iter()
            .map(|r| r.view())
            .collect();
        to_jstring(env, &records)
    })
}

/// The module's record, or `null`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_lookup_module<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        let record = runtime_host(host)?
            .modules()
            .lookup(&ModuleRef::from(id.as_str()))?;
        to_jstring(env, &record.map(|r| r.view()))
    })
}

/// Invokes a loaded module with one call's frames; the `InvokeResult` JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_invoke<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
    method: JString<'local>,
    ports: JObjectArray<'local, JString<'local>>,
    payloads: JObjectArray<'local, JByteArray<'local>>,
) -> JString<'local> {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        let method = string(env, &method, "method")?;
        let (ports, payloads) = inputs(env, &ports, &payloads)?;
        let frames: Vec<(String, &[u8])> = ports
            .into_iter()
            .zip(payloads.iter().map(Vec::as_slice))
            .collect();
        let invoked = invoke::invoke_installed(
            runtime_host(host)?,
            &ModuleRef::from(id.as_str()),
            &method,
            &frames,
        )?;
        to_jstring(env, &invoked.result())
    })
}

/// Invokes a loaded module with an encoded `PluginInvokeRequest`; the encoded response.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn rh_invoke_bytes<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    host: jlong,
    module_id: JString<'local>,
    request: JByteArray<'local>,
) -> JByteArray<'local> {
    run(env, |env| {
        let id = string(env, &module_id, "moduleId")?;
        let request = bytes(env, &request, "request")?;
        let response = runtime_host(host)?
            .modules()
            .invoke_bytes(&ModuleRef::from(id.as_str()), &request)?;
        new_bytes(env, &response)
    })
}
