//! Module signatures in the WebAssembly tool-conventions format (`api::wasmsig`): Ed25519
//! signing keys as handles (the secret stays in native, zeroizing memory), sign and verify.

use std::path::Path;

use jni::EnvUnowned;
use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jboolean, jlong};
use space_data_module::api::wasmsig::{self, SignSettings, VerifyOptions, WasmsigSecretKey};
use zeroize::Zeroizing;

use crate::boundary::{
    bytes, json, new_bytes, new_string, opt_bytes, opt_string, run, string, string_array,
};
use crate::handles::{Handle, into_ptr, wasm_signing_key};

fn handle(key: WasmsigSecretKey) -> jlong {
    into_ptr(Handle::WasmSigningKey(key))
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn wasm_key_generate<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> jlong {
    run(env, |_| Ok(handle(WasmsigSecretKey::generate()?)))
}

/// A 65-byte key pair (`0x81 ‖ seed ‖ public key`).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn wasm_key_from_bytes<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key_pair: JByteArray<'local>,
) -> jlong {
    run(env, |env| {
        let secret = Zeroizing::new(bytes(env, &key_pair, "keyPair")?);
        Ok(handle(WasmsigSecretKey::from_bytes(&secret)?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn wasm_key_read_file<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    path: JString<'local>,
) -> jlong {
    run(env, |env| {
        let path = string(env, &path, "path")?;
        Ok(handle(wasmsig::read_secret_key(Path::new(&path))?))
    })
}

/// Writes the key file (0600) and `PATH.pub`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn wasm_key_write_file<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
    path: JString<'local>,
) {
    run(env, |env| {
        let path = string(env, &path, "path")?;
        Ok(wasmsig::write_key_pair(
            Path::new(&path),
            wasm_signing_key(key)?,
        )?)
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn wasm_key_public_key_hex<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
) -> JString<'local> {
    run(env, |env| {
        let hex = wasm_signing_key(key)?.public_key().to_hex();
        new_string(env, &hex)
    })
}

/// The signed module, or with `detached` the signature data.
#[allow(clippy::too_many_arguments)]
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn sign_wasm<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: JByteArray<'local>,
    key: jlong,
    detached: jboolean,
    split_parts: jboolean,
    key_id: JString<'local>,
    existing_signature: JByteArray<'local>,
) -> JByteArray<'local> {
    run(env, |env| {
        let module = bytes(env, &module, "module")?;
        let existing = opt_bytes(env, &existing_signature)?;
        let settings = SignSettings {
            detached,
            split_parts,
            key_id: opt_string(env, &key_id)?,
        };
        let signed = wasmsig::sign(
            &settings.request(&module, existing.as_deref()),
            &[wasm_signing_key(key)?],
        )?;
        new_bytes(
            env,
            if detached {
                &signed.signature
            } else {
                &signed.module
            },
        )
    })
}

/// The `WasmsigReport` as JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn verify_wasm<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: JByteArray<'local>,
    trusted_keys: JObjectArray<'local, JString<'local>>,
    signature: JByteArray<'local>,
    allow_partial: jboolean,
) -> JString<'local> {
    run(env, |env| {
        let module = bytes(env, &module, "module")?;
        let trusted = wasmsig::trusted_keys(&string_array(env, &trusted_keys, "trusted key")?)?;
        let signature = opt_bytes(env, &signature)?;
        let report = wasmsig::verify(
            &module,
            signature.as_deref(),
            &trusted,
            VerifyOptions { allow_partial },
        )?;
        json(env, &report)
    })
}
