//! Verification: which trusted keys signed which prefix of the module.
//!
//! A signed set of hashes verifies the module through a part boundary when every hash in the
//! set equals the module's rolling hash at a boundary (a delimiter, or the end), in order: a
//! signer may leave parts out (partial signatures), and a set holding only the hash of the
//! whole module verifies a module that has delimiters too (as `wasmsign2 verify` does). The
//! module is verified completely when a trusted set reaches its end; a prefix alone is refused
//! unless [`VerifyOptions::allow_partial`] asks for it.

use super::data::SignatureData;
use super::parts::ModuleParts;
use super::signed_message;
use crate::keys::ed25519::WasmsigPublicKey;
use crate::{Error, ErrorCode, Result};

/// How to verify.
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyOptions {
    /// Accept a module of which only a prefix is signed (sections appended after signing).
    pub allow_partial: bool,
}

/// What verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The trusted keys whose signatures reach furthest (the end when `complete`), in the
    /// order they were given.
    pub signers: Vec<WasmsigPublicKey>,
    /// Parts in the module (delimited parts, plus an undelimited tail).
    pub parts: usize,
    /// Parts covered by the signatures, from the start.
    pub verified_parts: usize,
    /// Module bytes covered (the 8-byte header and the signature section included).
    pub verified_bytes: usize,
    /// Every part is covered.
    pub complete: bool,
}

/// Verifies `module` (its embedded `signature` section, or `detached` signature data) against
/// `trusted` keys.
///
/// Errors: `wasm-signature-missing` (no signature section and nothing detached),
/// `wasm-signature-malformed` (signature data, or an embedded and a detached signature both),
/// `wasm-signature-untrusted` (no signature of a trusted key), `wasm-signature-mismatch` (the
/// trusted signatures cover other bytes: a changed, added, removed or reordered part),
/// `wasm-signature-partial` (only a prefix is covered and partial verification was not asked
/// for), `invalid-argument` (no trusted key), and the section walker's codes.
pub fn verify(
    module: &[u8],
    detached: Option<&[u8]>,
    trusted: &[WasmsigPublicKey],
    options: VerifyOptions,
) -> Result<Verified> {
    if trusted.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "no trusted Ed25519 key given",
        ));
    }
    let parts = ModuleParts::parse(module)?;
    let data = match (detached, parts.signature_payload()) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorCode::WasmSignatureMalformed,
                "the module has an embedded signature and a detached one was given too",
            ));
        }
        (Some(bytes), None) | (None, Some(bytes)) => SignatureData::parse(bytes)?,
        (None, None) => {
            return Err(Error::new(
                ErrorCode::WasmSignatureMissing,
                "the module has no `signature` section first and no detached signature was given",
            ));
        }
    };

    // (set index, signer index) of every trusted signature that verifies.
    let mut valid: Vec<(usize, usize)> = Vec::new();
    for (set_index, set) in data.signed_hashes.iter().enumerate() {
        let message = signed_message(&set.hashes);
        for (key_index, key) in trusted.iter().enumerate() {
            if set
                .signatures
                .iter()
                .any(|signature| key.verifies(&message, &signature.signature))
            {
                valid.push((set_index, key_index));
            }
        }
    }
    if valid.is_empty() {
        return Err(Error::new(
            ErrorCode::WasmSignatureUntrusted,
            "no signature of a trusted key",
        ));
    }

    let hashes = parts.hashes();
    // Every boundary: (rolling hash, number of parts through it, bytes through it).
    let mut boundaries: Vec<([u8; 32], usize, usize)> = hashes
        .at_delimiters
        .iter()
        .enumerate()
        .map(|(i, (hash, section))| (*hash, i + 1, parts.sections[*section].end))
        .collect();
    if let Some(end) = hashes.end {
        boundaries.push((end, boundaries.len() + 1, module.len()));
    }
    let total_parts = boundaries.len();

    // How far each verified set reaches, or None when it covers other bytes. Its hashes are
    // matched in order against the boundaries (a signer may skip boundaries). A hash that
    // matches no later boundary while later boundaries exist means a signed part changed; when
    // the module has no boundary left, it ends before what was signed (a prefix).
    let reach = |set_index: usize| -> Option<Reach> {
        let mut next = 0;
        let mut last: Option<(usize, usize)> = None;
        for hash in &data.signed_hashes[set_index].hashes {
            match boundaries[next..].iter().position(|(h, _, _)| h == hash) {
                Some(found) => {
                    let (_, parts_through, bytes_through) = boundaries[next + found];
                    last = Some((parts_through, bytes_through));
                    next += found + 1;
                }
                None if next == boundaries.len() => {
                    let (parts, bytes) = last?;
                    return Some(Reach {
                        parts,
                        bytes,
                        signed_beyond: true,
                    });
                }
                None => return None,
            }
        }
        let (parts, bytes) = last?;
        Some(Reach {
            parts,
            bytes,
            signed_beyond: false,
        })
    };
    let mut best: Option<Reach> = None;
    let mut signers: Vec<usize> = Vec::new();
    for &(set_index, key_index) in &valid {
        let Some(reached) = reach(set_index) else {
            continue;
        };
        let better = match &best {
            None => true,
            Some(b) => reached.rank(total_parts) > b.rank(total_parts),
        };
        if better {
            best = Some(reached);
            signers = vec![key_index];
        } else if best
            .as_ref()
            .is_some_and(|b| b.rank(total_parts) == reached.rank(total_parts))
            && !signers.contains(&key_index)
        {
            signers.push(key_index);
        }
    }
    let Some(best) = best else {
        return Err(Error::new(
            ErrorCode::WasmSignatureMismatch,
            "the module's sections do not match what the trusted keys signed (a part was \
             changed, added, removed or reordered)",
        ));
    };
    let (verified_parts, verified_bytes) = (best.parts, best.bytes);
    let complete = best.is_complete(total_parts);
    signers.sort_unstable();
    if !complete && !options.allow_partial {
        return Err(Error::new(
            ErrorCode::WasmSignaturePartial,
            if best.signed_beyond {
                format!(
                    "the module ends after {verified_parts} of the signed parts (signed parts were \
                     removed); partial verification was not asked for"
                )
            } else {
                format!(
                    "only {verified_parts} of {total_parts} parts ({verified_bytes} of {} bytes) \
                     are signed; partial verification was not asked for",
                    module.len()
                )
            },
        ));
    }
    Ok(Verified {
        signers: signers.into_iter().map(|i| trusted[i]).collect(),
        parts: total_parts,
        verified_parts,
        verified_bytes,
        complete,
    })
}

/// How far one verified set of hashes covers the module.
#[derive(Debug, Clone, Copy)]
struct Reach {
    parts: usize,
    bytes: usize,
    /// The set signs parts the module no longer has.
    signed_beyond: bool,
}

impl Reach {
    fn is_complete(&self, total_parts: usize) -> bool {
        self.parts == total_parts && !self.signed_beyond
    }

    /// Complete first, then the most parts.
    fn rank(&self, total_parts: usize) -> (bool, usize) {
        (self.is_complete(total_parts), self.parts)
    }
}
