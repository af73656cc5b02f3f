//! Manifest encode/decode, compliance check, bundle create/parse/inspect/verify
//! (`api::format`).

use jni::EnvUnowned;
use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::jboolean;
use serde_json::json;
use space_data_module::api::format::{self, BundleOptions, CheckRequest, InspectOptions};

use crate::boundary::{bytes, bytes_and_json, json, opt_bytes, opt_string, options, run, string};

/// `Object[]{byte[] flatbuffer, String warningsJson}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn encode_manifest<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    manifest_json: JString<'local>,
) -> JObjectArray<'local> {
    run(env, |env| {
        let text = string(env, &manifest_json, "manifestJson")?;
        let encoded = format::encode_manifest(&text)?;
        bytes_and_json(env, &encoded.bytes, &encoded.warnings)
    })
}

/// The decoded manifest JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn decode_manifest<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    flatbuffer: JByteArray<'local>,
) -> JString<'local> {
    run(env, |env| {
        let input = bytes(env, &flatbuffer, "flatbuffer")?;
        let decoded = format::decode_manifest(&input)?;
        json(env, &decoded)
    })
}

/// The `CheckReport` JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn check<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    manifest_json: JString<'local>,
    wasm: JByteArray<'local>,
    standards: jboolean,
    manifest_name: JString<'local>,
    wasm_name: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let text = string(env, &manifest_json, "manifestJson")?;
        let wasm = opt_bytes(env, &wasm)?;
        let request = CheckRequest {
            manifest_json: &text,
            wasm: wasm.as_deref(),
            standards,
            manifest_name: opt_string(env, &manifest_name)?,
            wasm_name: opt_string(env, &wasm_name)?,
        };
        let report = format::check(&request)?;
        json(env, &report)
    })
}

/// `Object[]{byte[] wasm, String bundleSummaryJson}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn create_bundle<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    wasm: JByteArray<'local>,
    manifest_json: JString<'local>,
    options_json: JString<'local>,
) -> JObjectArray<'local> {
    run(env, |env| {
        let wasm = bytes(env, &wasm, "wasm")?;
        let manifest = string(env, &manifest_json, "manifestJson")?;
        let options: BundleOptions = match opt_string(env, &options_json)? {
            Some(text) => options(&text, "bundle options")?,
            None => BundleOptions::default(),
        };
        let created = format::create_bundle(&wasm, &manifest, &options)?;
        bytes_and_json(env, &created.wasm, &created.summary)
    })
}

/// The `ParsedBundle` JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn parse_bundle<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: JByteArray<'local>,
) -> JString<'local> {
    run(env, |env| {
        let module = bytes(env, &module, "module")?;
        let parsed = format::parse_bundle(&module)?;
        json(env, &parsed)
    })
}

/// `{"parsed": ParsedBundle, "verified": bool?, "mismatches": [HashMismatch]?}`: the core's
/// `InspectReport` with the parse nested rather than flattened (Java records cannot unwrap).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn inspect<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: JByteArray<'local>,
    options_json: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let module = bytes(env, &module, "module")?;
        let options: InspectOptions = match opt_string(env, &options_json)? {
            Some(text) => options(&text, "inspect options")?,
            None => InspectOptions::default(),
        };
        let report = format::inspect(&module, &options)?;
        json(
            env,
            &json!({
                "parsed": report.parsed,
                "verified": report.verified,
                "mismatches": report.mismatches,
            }),
        )
    })
}

/// The `ParsedBundle` JSON, or `bundle-hash-mismatch`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn verify_bundle<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: JByteArray<'local>,
) -> JString<'local> {
    run(env, |env| {
        let module = bytes(env, &module, "module")?;
        let parsed = format::verify_bundle(&module)?;
        json(env, &parsed)
    })
}
