//! Protect and open (`api::publication`), and the verified modules `open` creates.

use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString, JValue};
use jni::sys::{jboolean, jlong};
use jni::{Env, EnvUnowned, jni_sig, jni_str};
use space_data_module::api::keys::{self, RecipientKey};
use space_data_module::api::publication::{self, OpenRequest, ProtectRequest};
use space_data_module::api::wasmsig;
use space_data_module::api::{PublicKey, VerifiedModule};

use crate::boundary::{
    Result, bytes, bytes_and_json, json, new_bytes, opt_bytes, run, string, string_array, to_json,
};
use crate::handles::{Handle, into_ptr, recipient_key, signing_key, verified};

/// The trusted signers given as text (hex public keys, or paths of files holding one).
pub fn trusted(
    env: &mut Env<'_>,
    values: &JObjectArray<'_, JString<'_>>,
) -> Result<Vec<PublicKey>> {
    let values = string_array(env, values, "trusted signer")?;
    Ok(keys::trusted_signers(&values)?)
}

/// `Object[]{byte[] artifact, String protectResultJson}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn protect<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    wasm: JByteArray<'local>,
    manifest_json: JString<'local>,
    single_file_bundle: jboolean,
    encrypt_for: JByteArray<'local>,
    key: jlong,
) -> JObjectArray<'local> {
    run(env, |env| {
        let wasm = bytes(env, &wasm, "wasm")?;
        let manifest = string(env, &manifest_json, "manifestJson")?;
        let encrypt_for = match opt_bytes(env, &encrypt_for)? {
            Some(public) => Some(keys::recipient_public_key(&public)?),
            None => None,
        };
        let request = ProtectRequest {
            wasm: &wasm,
            manifest_json: &manifest,
            single_file_bundle,
            encrypt_for,
        };
        let protected = publication::protect(&request, signing_key(key)?)?;
        bytes_and_json(env, protected.artifact(), &protected.result())
    })
}

/// `Object[]{String openOutcomeJson, Long verifiedModuleHandle or null}`: a refusal is an
/// outcome, not an exception.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn open<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    artifact: JByteArray<'local>,
    trusted_signers: JObjectArray<'local, JString<'local>>,
    decrypt_with: jlong,
    allow_unsigned: jboolean,
    wasm_signers: JObjectArray<'local, JString<'local>>,
) -> JObjectArray<'local> {
    run(env, |env| {
        let artifact = bytes(env, &artifact, "artifact")?;
        let wasm_signers = string_array(env, &wasm_signers, "wasm signer")?;
        let decrypt_with: Option<&RecipientKey> = match decrypt_with {
            0 => None,
            key => Some(recipient_key(key)?),
        };
        let request = OpenRequest {
            trusted_signers: trusted(env, &trusted_signers)?,
            decrypt_with,
            allow_unsigned,
            wasm_signers: wasmsig::trusted_keys(&wasm_signers)?,
        };
        let opened = publication::open(&artifact, &request)?;
        let outcome = to_json(&opened.outcome)?;
        let array = JObjectArray::<JObject>::new(env, 2, JObject::null())?;
        let outcome = env.new_string(outcome)?;
        array.set_element(env, 0, &outcome)?;
        if let Some(module) = opened.module {
            let ptr = into_ptr(Handle::Verified(module));
            let boxed = env
                .new_object(
                    jni_str!("java/lang/Long"),
                    jni_sig!("(J)V"),
                    &[JValue::Long(ptr)],
                )
                .and_then(|boxed| array.set_element(env, 1, &boxed));
            if let Err(err) = boxed {
                // Java never saw the address: free it here.
                crate::handles::drop_ptr(ptr);
                return Err(err.into());
            }
        }
        Ok(array)
    })
}

/// A verified module from plain wasm, explicitly without a signature (the loader still runs).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn verified_allow_unsigned<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    wasm: JByteArray<'local>,
) -> jlong {
    run(env, |env| {
        let wasm = bytes(env, &wasm, "wasm")?;
        Ok(into_ptr(Handle::Verified(VerifiedModule::allow_unsigned(
            &wasm,
        )?)))
    })
}

/// The plain wasm (trailer stripped, decrypted).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn verified_wasm<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: jlong,
) -> JByteArray<'local> {
    run(env, |env| {
        let wasm = verified(module)?.wasm_shared();
        new_bytes(env, &wasm)
    })
}

/// The loader's `OpenReport` JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn verified_report<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: jlong,
) -> JString<'local> {
    run(env, |env| {
        let view = verified(module)?.report().view();
        json(env, &view)
    })
}

/// `{"declaredCapabilities": [...], "manifest": <decoded manifest or null>}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn verified_manifest<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module: jlong,
) -> JString<'local> {
    run(env, |env| {
        let module = verified(module)?;
        json(
            env,
            &serde_json::json!({
                "declaredCapabilities": module.declared_capabilities(),
                "manifest": module.manifest(),
            }),
        )
    })
}
