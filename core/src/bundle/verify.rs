//! The verify step the reference does not have (spec 7.8, last paragraph): every hash a
//! bundle stores is recomputed and compared.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::constants::DEFAULT_HASH_ALGORITHM;
use super::parse::Parsed;
use crate::{Error, ErrorCode, Result};

/// One stored value that does not match what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What was checked: `canonical_module_hash`, `manifest_hash`, `hash_algorithm`, or
    /// `entries[<i>].sha256` (with the entry id).
    pub field: String,
    pub expected: String,
    pub stored: String,
}

/// Every mismatch in a parsed bundle (empty when the bundle is consistent):
/// the stored canonical module hash against the one parse computed, each entry's sha256
/// against its payload, the manifest hash against the payload of the manifest entry (empty
/// exactly when there is no entry with id `manifest`), and `hash_algorithm` = `sha256`.
pub fn check(parsed: &Parsed) -> Vec<Mismatch> {
    let bundle = &parsed.bundle;
    let mut mismatches = Vec::new();
    let mut compare = |field: String, expected: &[u8], stored: &[u8]| {
        if !bool::from(expected.ct_eq(stored)) {
            mismatches.push(Mismatch {
                field,
                expected: hex::encode(expected),
                stored: hex::encode(stored),
            });
        }
    };
    compare(
        "canonical_module_hash".into(),
        &parsed.canonical_module_hash,
        &bundle.canonical_module_hash,
    );
    // Create stores the manifest as the entry with id `manifest` and its hash in
    // `manifest_hash`; without a manifest the hash is empty and no entry has that id (an
    // additional entry that merely has the role `manifest` is not the manifest). With a
    // stored hash, the entry the reference's lookup finds must match it.
    let manifest_entry = if bundle.manifest_hash.is_empty() {
        bundle
            .entries
            .iter()
            .find(|e| crate::fbs::reference_text(&e.entry_id) == "manifest")
    } else {
        bundle.find_entry("manifest")
    };
    let manifest_hash = manifest_entry
        .map(|e| Sha256::digest(&e.payload).to_vec())
        .unwrap_or_default();
    compare(
        "manifest_hash".into(),
        &manifest_hash,
        &bundle.manifest_hash,
    );
    for (index, entry) in bundle.entries.iter().enumerate() {
        compare(
            format!("entries[{index}].sha256 ({})", entry.entry_id),
            &Sha256::digest(&entry.payload),
            &entry.sha256,
        );
    }
    let algorithm = bundle
        .canonicalization
        .as_ref()
        .and_then(|rule| rule.hash_algorithm.as_deref());
    if algorithm != Some(DEFAULT_HASH_ALGORITHM) {
        mismatches.push(Mismatch {
            field: "hash_algorithm".into(),
            expected: DEFAULT_HASH_ALGORITHM.into(),
            stored: algorithm.unwrap_or("<absent>").into(),
        });
    }
    mismatches
}

/// [`check`] as a result: `Err(bundle-hash-mismatch)` naming the first mismatch (and the
/// count).
pub fn verify(parsed: &Parsed) -> Result<()> {
    let mismatches = check(parsed);
    match mismatches.first() {
        None => Ok(()),
        Some(first) => Err(Error::new(
            ErrorCode::BundleHashMismatch,
            format!(
                "{} does not match: computed {}, stored {} ({} mismatch{} in total)",
                first.field,
                first.expected,
                first.stored,
                mismatches.len(),
                if mismatches.len() == 1 { "" } else { "es" }
            ),
        )),
    }
}
