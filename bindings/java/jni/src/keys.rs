//! Signing keys (secp256k1) and recipient keys (X25519), key files and mnemonics
//! (`api::keys`). Private keys stay in native, zeroizing memory: Java holds a handle, and
//! only `toFileText` (the key-file format) or a mnemonic ever brings secret text to Java.

use std::path::Path;

use jni::EnvUnowned;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use space_data_module::api::keys::{self, RecipientKey, SigningKey};
use zeroize::Zeroizing;

use crate::boundary::{bytes, new_bytes, new_string, run, string};
use crate::handles::{Handle, into_ptr, recipient_key, signing_key};

/// A fresh 12-word BIP-39 mnemonic.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn generate_mnemonic<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> JString<'local> {
    run(env, |env| {
        let phrase = SigningKey::generate_mnemonic()?;
        new_string(env, &phrase)
    })
}

fn signing(key: SigningKey) -> jlong {
    into_ptr(Handle::SigningKey(key))
}

fn recipient(key: RecipientKey) -> jlong {
    into_ptr(Handle::RecipientKey(key))
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_random<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> jlong {
    run(env, |_| Ok(signing(SigningKey::random()?)))
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_from_mnemonic<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    phrase: JString<'local>,
) -> jlong {
    run(env, |env| {
        let phrase = zeroizing(string(env, &phrase, "mnemonic")?);
        Ok(signing(SigningKey::from_mnemonic(&phrase)?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_from_private_key<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    private_key: JByteArray<'local>,
) -> jlong {
    run(env, |env| {
        let secret = zeroizing_bytes(bytes(env, &private_key, "privateKey")?);
        Ok(signing(SigningKey::from_private_key(&secret)?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_from_file_text<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    text: JString<'local>,
) -> jlong {
    run(env, |env| {
        let text = zeroizing(string(env, &text, "key file text")?);
        Ok(signing(SigningKey::from_file_text(&text)?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_read_file<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    path: JString<'local>,
) -> jlong {
    run(env, |env| {
        let path = string(env, &path, "path")?;
        Ok(signing(SigningKey::read_file(Path::new(&path))?))
    })
}

/// Writes the key file (0600, atomically).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_write_file<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
    path: JString<'local>,
) {
    run(env, |env| {
        let path = string(env, &path, "path")?;
        signing_key(key)?.write_file(Path::new(&path))?;
        Ok(())
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_to_file_text<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
) -> JString<'local> {
    run(env, |env| {
        let text = signing_key(key)?.to_file_text()?;
        new_string(env, &text)
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_public_key_hex<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
) -> JString<'local> {
    run(env, |env| {
        let hex = signing_key(key)?.public_key_hex();
        new_string(env, &hex)
    })
}

/// The BIP-32 path the key was derived at, or `null` for a key that was not derived.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn signing_key_derivation_path<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
) -> JString<'local> {
    run(env, |env| match &signing_key(key)?.derivation_path {
        Some(path) => new_string(env, path),
        None => Ok(JString::null()),
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_generate<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> jlong {
    run(env, |_| Ok(recipient(RecipientKey::generate()?)))
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_from_private_key<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    private_key: JByteArray<'local>,
) -> jlong {
    run(env, |env| {
        let secret = zeroizing_bytes(bytes(env, &private_key, "privateKey")?);
        Ok(recipient(RecipientKey::from_private_key(&secret)?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_from_file_text<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    text: JString<'local>,
) -> jlong {
    run(env, |env| {
        let text = zeroizing(string(env, &text, "key file text")?);
        Ok(recipient(RecipientKey::from_file_text(&text)?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_read_file<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    path: JString<'local>,
) -> jlong {
    run(env, |env| {
        let path = string(env, &path, "path")?;
        Ok(recipient(RecipientKey::read_file(Path::new(&path))?))
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_write_file<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
    path: JString<'local>,
) {
    run(env, |env| {
        let path = string(env, &path, "path")?;
        recipient_key(key)?.write_file(Path::new(&path))?;
        Ok(())
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_to_file_text<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
) -> JString<'local> {
    run(env, |env| {
        let text = recipient_key(key)?.to_file_text()?;
        new_string(env, &text)
    })
}

/// The 32-byte X25519 public key.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_key_public_key<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    key: jlong,
) -> JByteArray<'local> {
    run(env, |env| {
        let public = recipient_key(key)?.public_key();
        new_bytes(env, &public)
    })
}

/// A recipient public key given as 64 hex digits, checked and decoded.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn recipient_public_key_from_hex<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    hex: JString<'local>,
) -> JByteArray<'local> {
    run(env, |env| {
        let text = string(env, &hex, "hex")?;
        let public = keys::recipient_public_key_hex(&text)?;
        new_bytes(env, &public)
    })
}

// Secret inputs are wiped from native memory after use (Java's own copies are the caller's).
fn zeroizing(text: String) -> Zeroizing<String> {
    Zeroizing::new(text)
}

fn zeroizing_bytes(bytes: Vec<u8>) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(bytes)
}
