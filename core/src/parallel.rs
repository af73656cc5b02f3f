//! Two independent pieces of work on two cores: protect hashes the module while it encrypts,
//! open hashes the ciphertext while it decrypts, validation splits the function bodies.

use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};

/// Below this size a thread costs more than the hash it takes off the critical path.
const HASH_BESIDE_MIN_BYTES: usize = 1 << 20;

/// Runs `other` on a second thread while `work` runs on this one, and returns both results.
/// When no thread can be started, `other` runs here after `work`. A panic in `other` is
/// re-raised here, as if it had run inline.
pub(crate) fn beside<A: Send, B>(
    other: impl FnOnce() -> A + Send,
    work: impl FnOnce() -> B,
) -> (A, B) {
    // Handed over through a mutex so that `other` is still here if no thread starts.
    let handover = Mutex::new(Some(other));
    let take = || {
        handover
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("sdm-beside".to_owned())
            .spawn_scoped(scope, move || take().map(|other| other()));
        let result = work();
        let ran = match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        let other = match ran {
            Some(other) => other,
            None => take()
                .map(|other| other())
                .expect("`other` runs exactly once"),
        };
        (other, result)
    })
}

/// [`beside`] when `other` hashes `hashed_bytes`, enough to pay for a thread; else `work` and
/// then `other` on this one.
pub(crate) fn hash_beside<A: Send, B>(
    hashed_bytes: usize,
    other: impl FnOnce() -> A + Send,
    work: impl FnOnce() -> B,
) -> (A, B) {
    if hashed_bytes < HASH_BESIDE_MIN_BYTES {
        let result = work();
        return (other(), result);
    }
    beside(other, work)
}

/// SHA-256 of `bytes` and the result of `work`, the hash on a second thread when `bytes` is
/// large enough to pay for one.
pub(crate) fn sha256_beside<R>(bytes: &[u8], work: impl FnOnce() -> R) -> ([u8; 32], R) {
    hash_beside(bytes.len(), || Sha256::digest(bytes).into(), work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_small_and_large_inputs_and_returns_the_work() {
        for len in [0, 1000, HASH_BESIDE_MIN_BYTES, HASH_BESIDE_MIN_BYTES + 17] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let (digest, work) = sha256_beside(&bytes, || len * 2);
            assert_eq!(
                digest,
                <[u8; 32]>::from(Sha256::digest(&bytes)),
                "len {len}"
            );
            assert_eq!(work, len * 2);
        }
    }

    #[test]
    fn both_run_once_on_two_threads() {
        let here = std::thread::current().id();
        let (other, work) = beside(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_eq!(work, here);
        assert_ne!(other, here);
    }

    #[test]
    fn a_panic_beside_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| beside(|| panic!("boom"), || 1));
        assert!(caught.is_err());
    }
}
