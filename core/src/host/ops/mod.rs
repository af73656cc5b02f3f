//! The local (non-network) operations, one module per family. The capability has already been
//! checked by [`crate::host::Host::invoke`] when these run.

mod clock;
mod context;
mod crypto;
mod exec;
mod filesystem;
mod info;
mod random;
mod schedule;
mod timers;

use std::time::Instant;

use serde_json::Value;

use crate::ErrorCode;
use crate::host::params::Params;
use crate::host::{Host, HostError};

/// Runs `operation` (a name from the host's operation tables). `deadline` is when the invocation
/// making the call must end (see [`Host::invoke_with_deadline`]).
pub(crate) fn dispatch(
    host: &Host,
    operation: &str,
    params: &Value,
    deadline: Option<Instant>,
) -> Result<Value, HostError> {
    let p = Params::new(params);
    match operation {
        "host.runtimeTarget" => Ok(info::runtime_target(host)),
        "host.listCapabilities" => Ok(info::list_capabilities(host)),
        "host.listSupportedCapabilities" => Ok(info::list_supported_capabilities()),
        "host.listOperations" => Ok(info::list_operations(host)),
        "host.hasCapability" => Ok(info::has_capability(host, p)),
        "clock.now" => Ok(clock::now()),
        "clock.monotonicNow" => Ok(clock::monotonic_now(host)),
        "clock.nowIso" => Ok(clock::now_iso()),
        "random.bytes" => random::bytes(host, p),
        "timers.delay" => timers::delay(host, p, deadline),
        "schedule.parse" => schedule::parse(p),
        "schedule.matches" => schedule::matches(p),
        "schedule.next" => schedule::next(p),
        "filesystem.resolvePath" => filesystem::resolve_path(host, p),
        "filesystem.readFile" => filesystem::read_file(host, p, deadline),
        "filesystem.writeFile" => filesystem::write_file(host, p, false),
        "filesystem.appendFile" => filesystem::write_file(host, p, true),
        "filesystem.deleteFile" => filesystem::delete_file(host, p),
        "filesystem.mkdir" => filesystem::mkdir(host, p),
        "filesystem.readdir" => filesystem::readdir(host, p),
        "filesystem.stat" => filesystem::stat(host, p),
        "filesystem.rename" => filesystem::rename(host, p),
        "exec.execFile" => exec::exec_file(host, p, deadline),
        "context.get" => context::get(host, p),
        "context.set" => context::set(host, p),
        "context.delete" => context::delete(host, p),
        "context.listKeys" => context::list_keys(host, p),
        "context.listScopes" => context::list_scopes(host),
        "crypto.sha256" => crypto::sha256(p),
        "crypto.sha512" => crypto::sha512(p),
        "crypto.hkdf" => crypto::hkdf(p),
        "crypto.aesGcmEncrypt" => crypto::aes_gcm_encrypt(p),
        "crypto.aesGcmDecrypt" => crypto::aes_gcm_decrypt(p),
        "crypto.x25519.generateKeypair" => crypto::x25519_generate_keypair(),
        "crypto.x25519.publicKey" => crypto::x25519_public_key(p),
        "crypto.x25519.sharedSecret" => crypto::x25519_shared_secret(p),
        "crypto.sealedBox.encryptForRecipient" => crypto::sealed_box_encrypt(p),
        "crypto.sealedBox.decryptFromEnvelope" => crypto::sealed_box_decrypt(p),
        "crypto.secp256k1.publicKeyFromPrivate" => crypto::secp256k1_public_key(p),
        "crypto.secp256k1.signDigest" => crypto::secp256k1_sign_digest(p),
        "crypto.secp256k1.verifyDigest" => crypto::secp256k1_verify_digest(p),
        "crypto.ed25519.publicKeyFromSeed" => crypto::ed25519_public_key(p),
        "crypto.ed25519.sign" => crypto::ed25519_sign(p),
        "crypto.ed25519.verify" => crypto::ed25519_verify(p),
        other => Err(HostError::new(
            ErrorCode::HostOperationUnknown,
            "Error",
            format!("Unknown host operation \"{other}\"."),
        )),
    }
}
