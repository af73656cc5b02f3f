//! The capability ids this host supports and the capability every operation needs.

/// The 21 capability ids the host supports (the reference Node host's list, spec 5.4).
pub const SUPPORTED: &[&str] = &[
    "clock",
    "random",
    "timers",
    "schedule_cron",
    "http",
    "websocket",
    "mqtt",
    "filesystem",
    "tcp",
    "udp",
    "tls",
    "context_read",
    "context_write",
    "crypto_hash",
    "crypto_sign",
    "crypto_verify",
    "crypto_encrypt",
    "crypto_decrypt",
    "crypto_key_agreement",
    "crypto_kdf",
    "process_exec",
];

/// Operations that need no capability: they only describe the host.
pub const INFO_OPERATIONS: &[&str] = &[
    "host.runtimeTarget",
    "host.listCapabilities",
    "host.listSupportedCapabilities",
    "host.listOperations",
    "host.hasCapability",
];

/// Every capability-guarded operation that is not a network operation, with its capability
/// (network operations are listed in [`crate::host::net::OPERATIONS`]).
pub const LOCAL_OPERATIONS: &[(&str, &str)] = &[
    ("clock.now", "clock"),
    ("clock.monotonicNow", "clock"),
    ("clock.nowIso", "clock"),
    ("random.bytes", "random"),
    ("timers.delay", "timers"),
    ("schedule.parse", "schedule_cron"),
    ("schedule.matches", "schedule_cron"),
    ("schedule.next", "schedule_cron"),
    ("filesystem.resolvePath", "filesystem"),
    ("filesystem.readFile", "filesystem"),
    ("filesystem.writeFile", "filesystem"),
    ("filesystem.appendFile", "filesystem"),
    ("filesystem.deleteFile", "filesystem"),
    ("filesystem.mkdir", "filesystem"),
    ("filesystem.readdir", "filesystem"),
    ("filesystem.stat", "filesystem"),
    ("filesystem.rename", "filesystem"),
    ("exec.execFile", "process_exec"),
    ("context.get", "context_read"),
    ("context.set", "context_write"),
    ("context.delete", "context_write"),
    ("context.listKeys", "context_read"),
    ("context.listScopes", "context_read"),
    ("crypto.sha256", "crypto_hash"),
    ("crypto.sha512", "crypto_hash"),
    ("crypto.hkdf", "crypto_kdf"),
    ("crypto.aesGcmEncrypt", "crypto_encrypt"),
    ("crypto.aesGcmDecrypt", "crypto_decrypt"),
    ("crypto.x25519.generateKeypair", "crypto_key_agreement"),
    ("crypto.x25519.publicKey", "crypto_key_agreement"),
    ("crypto.x25519.sharedSecret", "crypto_key_agreement"),
    ("crypto.sealedBox.encryptForRecipient", "crypto_encrypt"),
    ("crypto.sealedBox.decryptFromEnvelope", "crypto_decrypt"),
    ("crypto.secp256k1.publicKeyFromPrivate", "crypto_sign"),
    ("crypto.secp256k1.signDigest", "crypto_sign"),
    ("crypto.secp256k1.verifyDigest", "crypto_verify"),
    ("crypto.ed25519.publicKeyFromSeed", "crypto_sign"),
    ("crypto.ed25519.sign", "crypto_sign"),
    ("crypto.ed25519.verify", "crypto_verify"),
];

/// True when `id` is one of [`SUPPORTED`].
pub fn is_supported(id: &str) -> bool {
    SUPPORTED.contains(&id)
}

/// The capability `operation` needs: `Some(None)` for an info operation, `Some(Some(cap))` for
/// a guarded one, `None` for an unknown name.
pub fn capability_of(operation: &str) -> Option<Option<&'static str>> {
    if INFO_OPERATIONS.contains(&operation) {
        return Some(None);
    }
    LOCAL_OPERATIONS
        .iter()
        .chain(crate::host::net::OPERATIONS)
        .find(|(name, _)| *name == operation)
        .map(|(_, capability)| Some(*capability))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_needs_a_supported_capability() {
        for (_, capability) in LOCAL_OPERATIONS.iter().chain(crate::host::net::OPERATIONS) {
            assert!(is_supported(capability), "{capability}");
        }
        // 5 info + 39 local + 7 network = the reference's 46 operations plus `host.*`.
        assert_eq!(
            LOCAL_OPERATIONS.len() + crate::host::net::OPERATIONS.len(),
            46
        );
        assert_eq!(capability_of("host.listOperations"), Some(None));
        assert_eq!(capability_of("tcp.request"), Some(Some("tcp")));
        assert_eq!(capability_of("nope.op"), None);
    }
}
