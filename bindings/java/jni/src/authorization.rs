//! Deployment authorizations: create + sign, verify (`api::authorization`).

use jni::EnvUnowned;
use jni::objects::{JClass, JObjectArray, JString};
use jni::sys::jlong;
use space_data_module::api::authorization::{
    self, AuthorizationOptions, SignerInfo, VerifyRequest,
};

use crate::boundary::{json, new_string, opt_string, run, string, to_json};
use crate::handles::signing_key;
use crate::publication::trusted;

/// The signed envelope `{protected, payload, signatureHex}` as JSON text.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn authorization_create<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    options_json: JString<'local>,
    key: jlong,
    signer_json: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let options = match opt_string(env, &options_json)? {
            Some(text) => AuthorizationOptions::from_json(&text)?,
            None => AuthorizationOptions::default(),
        };
        let signer = opt_string(env, &signer_json)?
            .map(|text| SignerInfo::from_json(&text))
            .transpose()?;
        let envelope = authorization::create(&options, signing_key(key)?, signer.as_ref())?;
        let text = to_json(&envelope)?;
        new_string(env, &text)
    })
}

/// The `VerifiedAuthorization` JSON, or the first failing check's code.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn authorization_verify<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    envelope_json: JString<'local>,
    trusted_signers: JObjectArray<'local, JString<'local>>,
    request_json: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let envelope = string(env, &envelope_json, "envelopeJson")?;
        let trusted = trusted(env, &trusted_signers)?;
        let request = match opt_string(env, &request_json)? {
            Some(text) => VerifyRequest::from_json(&text)?,
            None => VerifyRequest::default(),
        };
        let verified = authorization::verify(&envelope, &trusted, &request)?;
        json(env, &verified)
    })
}
