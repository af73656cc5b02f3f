//! `filesystem.*` inside the policy's root (see [`crate::host::sandbox`]). Paths in results are
//! relative to the root.

use std::path::PathBuf;
use std::time::Instant;

use base64::Engine;
use cap_primitives::fs::MetadataExt;
use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::host::params::{Params, encode_bytes, js_number, text_or_bytes};
use crate::host::sandbox::Sandbox;
use crate::host::{Host, HostError};

fn sandbox(host: &Host) -> Result<Sandbox, HostError> {
    let root = host.policy().filesystem_root.as_ref().ok_or_else(|| {
        HostError::new(
            ErrorCode::HostIoFailed,
            "Error",
            "No filesystem root is configured for this host.",
        )
    })?;
    Sandbox::open(root)
}

fn path_param(params: Params, key: &str) -> Result<PathBuf, HostError> {
    let requested = params.string(key, "Filesystem path")?;
    Sandbox::relative(&requested)
}

fn path_result(relative: &std::path::Path) -> Value {
    let mut object = Map::new();
    object.insert("path".into(), Value::from(Sandbox::display(relative)));
    Value::Object(object)
}

/// The normalized relative path; an existing path is also resolved through the sandbox so a
/// symlink pointing out of the root is refused.
pub(super) fn resolve_path(host: &Host, params: Params) -> Result<Value, HostError> {
    let relative = path_param(params, "path")?;
    sandbox(host)?.check_existing(&relative)?;
    Ok(Value::from(Sandbox::display(&relative)))
}

pub(super) fn read_file(
    host: &Host,
    params: Params,
    deadline: Option<Instant>,
) -> Result<Value, HostError> {
    let relative = path_param(params, "path")?;
    let bytes = sandbox(host)?.read_file(&relative, host.limits().max_read_bytes, deadline)?;
    match params.get("encoding").map(crate::js::to_js_string) {
        None => Ok(encode_bytes(&bytes)),
        Some(encoding) => decode_as(&bytes, &encoding).map(Value::from),
    }
}

/// Node's `buffer.toString(encoding)` for the encodings a guest may ask for.
fn decode_as(bytes: &[u8], encoding: &str) -> Result<String, HostError> {
    match encoding.trim().to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => Ok(String::from_utf8_lossy(bytes).into_owned()),
        "hex" => Ok(hex::encode(bytes)),
        "base64" => Ok(base64::engine::general_purpose::STANDARD.encode(bytes)),
        "latin1" | "binary" => Ok(bytes.iter().map(|b| char::from(*b)).collect()),
        _ => Err(HostError::invalid_params(format!(
            "Unsupported encoding \"{encoding}\". Expected utf8, hex, base64 or latin1."
        ))),
    }
}

/// The bytes to write: a string in `encoding` (utf8 by default), or bytes.
fn value_bytes(params: Params) -> Result<Vec<u8>, HostError> {
    let value = params.raw("value");
    if let (Some(Value::String(text)), Some(encoding)) = (value, params.get("encoding")) {
        let encoding = crate::js::to_js_string(encoding).to_ascii_lowercase();
        return match encoding.trim() {
            "utf8" | "utf-8" => Ok(text.as_bytes().to_vec()),
            "hex" => hex::decode(text)
                .map_err(|_| HostError::invalid_params("File value is not valid hex.")),
            "base64" => base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|_| HostError::invalid_params("File value is not valid base64.")),
            "latin1" | "binary" => Ok(text.chars().map(|c| c as u32 as u8).collect()),
            other => Err(HostError::invalid_params(format!(
                "Unsupported encoding \"{other}\". Expected utf8, hex, base64 or latin1."
            ))),
        };
    }
    Ok(text_or_bytes(value, "File value")?.to_vec())
}

pub(super) fn write_file(host: &Host, params: Params, append: bool) -> Result<Value, HostError> {
    let relative = path_param(params, "path")?;
    let bytes = value_bytes(params)?;
    sandbox(host)?.write_file(&relative, &bytes, append)?;
    Ok(path_result(&relative))
}

pub(super) fn delete_file(host: &Host, params: Params) -> Result<Value, HostError> {
    let relative = path_param(params, "path")?;
    sandbox(host)?.delete_file(&relative)?;
    Ok(path_result(&relative))
}

pub(super) fn mkdir(host: &Host, params: Params) -> Result<Value, HostError> {
    let relative = path_param(params, "path")?;
    sandbox(host)?.mkdir(&relative, params.flag("recursive", true))?;
    Ok(path_result(&relative))
}

/// Entries sorted like `localeCompare` (ICU root collation).
pub(super) fn readdir(host: &Host, params: Params) -> Result<Value, HostError> {
    let relative = match params.get("path") {
        None => PathBuf::new(),
        Some(_) => path_param(params, "path")?,
    };
    let mut entries = sandbox(host)?.readdir(&relative)?;
    entries.sort_by(|a, b| {
        crate::canonical_json::locale_compare(&a.name, &b.name)
            .unwrap_or_else(|_| a.name.cmp(&b.name))
    });
    Ok(Value::Array(
        entries
            .into_iter()
            .map(|entry| {
                let mut object = Map::new();
                object.insert("name".into(), Value::from(entry.name));
                object.insert("isFile".into(), Value::from(entry.is_file));
                object.insert("isDirectory".into(), Value::from(entry.is_directory));
                Value::Object(object)
            })
            .collect(),
    ))
}

pub(super) fn stat(host: &Host, params: Params) -> Result<Value, HostError> {
    let relative = path_param(params, "path")?;
    let metadata = sandbox(host)?.stat(&relative)?;
    let mtime_ms = metadata.mtime() as f64 * 1000.0 + metadata.mtime_nsec() as f64 / 1.0e6;
    // Node's ctimeMs is the inode change time (not creation).
    let ctime_ms = metadata.ctime() as f64 * 1000.0 + metadata.ctime_nsec() as f64 / 1.0e6;
    let mut object = Map::new();
    object.insert("path".into(), Value::from(Sandbox::display(&relative)));
    object.insert("size".into(), Value::from(metadata.len()));
    object.insert("isFile".into(), Value::from(metadata.is_file()));
    object.insert("isDirectory".into(), Value::from(metadata.is_dir()));
    object.insert("ctimeMs".into(), js_number(ctime_ms));
    object.insert("mtimeMs".into(), js_number(mtime_ms));
    Ok(Value::Object(object))
}

pub(super) fn rename(host: &Host, params: Params) -> Result<Value, HostError> {
    let from = path_param(params, "fromPath")?;
    let to = path_param(params, "toPath")?;
    sandbox(host)?.rename(&from, &to)?;
    let mut object = Map::new();
    object.insert("from".into(), Value::from(Sandbox::display(&from)));
    object.insert("to".into(), Value::from(Sandbox::display(&to)));
    Ok(Value::Object(object))
}
