//! The fail-closed loader over an artifact read from a file: the steps of [`super::open`]
//! (shared in `open_steps`), with the payload read once, in chunks, and the opened wasm written
//! to a sink as it is decrypted and validated.
//!
//! Memory is bounded whatever the artifact's size: one chunk, the record collection (1 MiB at
//! most), one section the validator needs whole ([`INLINE_SECTION_BYTES`]), one function body,
//! and the `sds.bundle` section ([`MAX_STREAM_BUNDLE_BYTES`]). The sink receives bytes before
//! the verdict: the caller must discard them unless the loader succeeded (the API's
//! `open_file` writes to a temporary file it renames only then).
//!
//! [`INLINE_SECTION_BYTES`]: crate::wasm::stream_validate::INLINE_SECTION_BYTES

use std::io::{Read, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};

use super::encryption::PayloadCipher;
use super::open::{OpenFailure, OpenPolicy};
use super::open_steps as steps;
use super::report::{DigestReport, OpenReport};
use crate::bundle::{self, SDS_BUNDLE_SECTION_NAME, SDS_CUSTOM_SECTION_PREFIX};
use crate::keys::x25519::X25519PrivateKey;
use crate::trailer::footer::{FOOTER_LENGTH, FOOTER_MAGIC, split_footer_tail};
use crate::wasm::sections::decode_text;
use crate::wasm::stream::{Piece, SectionSplitter};
use crate::wasm::stream_validate::StreamValidator;
use crate::{Error, ErrorCode, Result};

/// Bytes read, decrypted, hashed and validated at a time.
pub const STREAM_CHUNK_BYTES: usize = 1 << 20;
/// Largest `sds.bundle` section opened from a file (real ones are a few kilobytes).
pub const MAX_STREAM_BUNDLE_BYTES: usize = 16 << 20;

/// An artifact that passed every step: its report, and the length of the wasm the sink got.
#[derive(Debug, Clone)]
pub struct StreamOpened {
    pub report: OpenReport,
    pub wasm_length: u64,
}

/// Opens the artifact of `length` bytes that `source` reads (from its start), writing the
/// opened wasm to `sink`. The verdict and report are those [`super::open`] gives for the same
/// bytes, except that a section too large to validate from a stream is refused with
/// `input-too-large` (see [`crate::wasm::stream_validate`]).
pub fn open_stream<S: Read + Seek>(
    source: &mut S,
    length: u64,
    policy: &OpenPolicy,
    recipient: Option<&X25519PrivateKey>,
    sink: &mut dyn Write,
) -> std::result::Result<StreamOpened, OpenFailure> {
    let mut report = OpenReport::default();
    match run(source, length, policy, recipient, sink, &mut report) {
        Ok(wasm_length) => Ok(StreamOpened {
            report,
            wasm_length,
        }),
        Err(error) => Err(OpenFailure {
            error,
            partial: Box::new(report),
        }),
    }
}

fn io_error(err: std::io::Error) -> Error {
    Error::new(ErrorCode::Io, format!("reading the artifact: {err}"))
}

fn read_at<S: Read + Seek>(source: &mut S, offset: u64, len: usize) -> Result<Vec<u8>> {
    source.seek(SeekFrom::Start(offset)).map_err(io_error)?;
    let mut bytes = vec![0u8; len];
    source.read_exact(&mut bytes).map_err(io_error)?;
    Ok(bytes)
}

fn run<S: Read + Seek>(
    source: &mut S,
    length: u64,
    policy: &OpenPolicy,
    recipient: Option<&X25519PrivateKey>,
    sink: &mut dyn Write,
    report: &mut OpenReport,
) -> Result<u64> {
    steps::check_size(length, policy)?;
    // Step 1: footer.
    report.trailer = Some(None);
    let split = match length.checked_sub(FOOTER_LENGTH as u64) {
        Some(at) => {
            let mut footer = [0u8; FOOTER_LENGTH];
            footer.copy_from_slice(&read_at(source, at, FOOTER_LENGTH)?);
            split_footer_tail(length, &footer)?
        }
        None => None,
    };
    let Some(split) = split else {
        steps::allow_untrailed(policy)?;
        source.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let pass = Pass::run(source, length, false, Some(None), sink)?;
        return finish(pass, false, report);
    };
    steps::check_collection_length(&split)?;
    let collection_bytes = read_at(source, split.payload_length as u64, split.collection_length)?;

    // Steps 2 and 3: collection, PNM presence.
    let collection = steps::read_collection(&collection_bytes, &split, report)?;
    let pnm = steps::require_pnm(&collection, policy, report)?;

    // The payload is read once: hashed for the CID and, when there is a key, decrypted,
    // validated and written in the same pass. A failure to set up decryption is reported in
    // step 7, after the CID and signatures, as in memory.
    let (wasm_cipher, setup_error) = match (&collection.enc, recipient) {
        (None, _) => (Some(None), None),
        (Some(enc), Some(key)) => match PayloadCipher::new(enc, key) {
            Ok(cipher) => (Some(Some(cipher)), None),
            Err(err) => (None, Some(err)),
        },
        (Some(_), None) => (None, None),
    };
    source.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let pass = Pass::run(
        source,
        split.payload_length as u64,
        pnm.cid.is_some(),
        wasm_cipher,
        sink,
    )?;

    // Steps 4 to 6: CID, signatures.
    steps::check_cid(&pnm, pass.payload_digest.as_ref(), report)?;
    steps::check_signatures(&pnm, policy, None, report)?;

    // Step 7: ENC.
    let Some(enc) = &collection.enc else {
        return finish(pass, false, report);
    };
    steps::require_recipient(enc, recipient, report)?;
    if let Some(err) = setup_error {
        return Err(err);
    }
    finish(pass, true, report)
}

/// Steps 8 to 10 on what the pass established.
fn finish(pass: Pass, decrypted: bool, report: &mut OpenReport) -> Result<u64> {
    let wasm = pass.wasm.ok_or_else(|| {
        Error::new(
            ErrorCode::Internal,
            "the payload pass did not read the wasm",
        )
    })?;
    let digest = DigestReport {
        sha256: hex::encode(wasm.digest),
        length: usize::try_from(wasm.length)
            .map_err(|_| Error::new(ErrorCode::InputTooLarge, "wasm length overflows usize"))?,
    };
    if decrypted {
        report.decrypted = Some(digest.clone());
    }
    if let Err(reason) = wasm.validation {
        return Err(steps::validation_failure(decrypted, reason));
    }
    report.wasm = Some(digest);
    report.bundle = Some(wasm.bundle.report()?);
    Ok(wasm.length)
}

/// What one read of the payload established.
struct Pass {
    /// SHA-256 of the payload, when a CID is declared.
    payload_digest: Option<[u8; 32]>,
    /// The wasm, when the pass could read it (not encrypted, or decrypted).
    wasm: Option<WasmPass>,
}

struct WasmPass {
    digest: [u8; 32],
    length: u64,
    validation: Result<()>,
    bundle: BundleTap,
}

impl Pass {
    /// Reads `length` payload bytes from `source`. `wasm_cipher`: `None` when the wasm
    /// cannot be read (encrypted, no key), `Some(None)` when the payload is the wasm,
    /// `Some(Some(cipher))` when it decrypts to it.
    fn run<S: Read>(
        source: &mut S,
        length: u64,
        hash_payload: bool,
        wasm_cipher: Option<Option<PayloadCipher>>,
        sink: &mut dyn Write,
    ) -> Result<Pass> {
        let encrypted = matches!(wasm_cipher, Some(Some(_)));
        let mut payload_hasher =
            (hash_payload && (encrypted || wasm_cipher.is_none())).then(Sha256::new);
        let mut wasm = wasm_cipher.map(WasmReader::new);
        let chunk_len =
            usize::try_from(length).map_or(STREAM_CHUNK_BYTES, |len| len.min(STREAM_CHUNK_BYTES));
        let mut chunk = vec![0u8; chunk_len];
        // The plaintext of an encrypted chunk, decrypted beside the hash of its ciphertext.
        let mut plain = match (&payload_hasher, &wasm) {
            (Some(_), Some(_)) => vec![0u8; chunk_len],
            _ => Vec::new(),
        };
        let mut left = length;
        while left > 0 {
            let take = left.min(STREAM_CHUNK_BYTES as u64) as usize;
            let chunk = &mut chunk[..take];
            source.read_exact(chunk).map_err(io_error)?;
            left -= take as u64;
            match (&mut payload_hasher, &mut wasm) {
                (Some(hasher), Some(wasm)) => {
                    let (ciphertext, plain) = (&*chunk, &mut plain[..take]);
                    let ((), taken) = crate::parallel::hash_beside(
                        take,
                        || hasher.update(ciphertext),
                        || {
                            plain.copy_from_slice(ciphertext);
                            wasm.take(plain, sink)
                        },
                    );
                    taken?;
                }
                (Some(hasher), None) => hasher.update(&*chunk),
                (None, Some(wasm)) => wasm.take(chunk, sink)?,
                (None, None) => {}
            }
        }
        let wasm = wasm.map(WasmReader::finish);
        let payload_digest = match payload_hasher {
            Some(hasher) => Some(hasher.finalize().into()),
            // Not encrypted: the payload is the wasm, hashed once for both.
            None if hash_payload => wasm.as_ref().map(|wasm| wasm.digest),
            None => None,
        };
        Ok(Pass {
            payload_digest,
            wasm,
        })
    }
}

/// Decrypts (when needed), hashes, validates and writes the wasm as it arrives.
struct WasmReader {
    cipher: Option<PayloadCipher>,
    hasher: Sha256,
    length: u64,
    splitter: SectionSplitter,
    validator: StreamValidator,
    /// The walk's first framing error (the validator's own errors it keeps itself).
    framing: Option<Error>,
    bundle: BundleTap,
}

impl WasmReader {
    fn new(cipher: Option<PayloadCipher>) -> Self {
        WasmReader {
            cipher,
            hasher: Sha256::new(),
            length: 0,
            splitter: SectionSplitter::new(),
            validator: StreamValidator::new(),
            framing: None,
            bundle: BundleTap::default(),
        }
    }

    fn take(&mut self, chunk: &mut [u8], sink: &mut dyn Write) -> Result<()> {
        if let Some(cipher) = &mut self.cipher {
            cipher.apply(chunk);
        }
        self.length += chunk.len() as u64;
        let (hasher, chunk) = (&mut self.hasher, &*chunk);
        let ((), walked) = crate::parallel::hash_beside(
            chunk.len(),
            || hasher.update(chunk),
            || {
                if let Some(framing) = &self.framing {
                    // The walk stopped at a malformed section head; the validator's own
                    // parser reads on, so that the refusal says what validation in memory
                    // says.
                    self.validator.raw(chunk, framing);
                    return Ok(());
                }
                let (validator, bundle) = (&mut self.validator, &mut self.bundle);
                let walked = self.splitter.push(chunk, &mut |piece| {
                    validator.piece(&piece);
                    bundle.piece(&piece);
                    Ok(())
                });
                if let Err(err) = walked {
                    let unread = self.splitter.take_unread();
                    if unread.is_empty() {
                        self.validator.fail(err.clone());
                    } else {
                        self.validator.raw(&unread, &err);
                    }
                    self.framing = Some(err);
                    return Ok(());
                }
                sink.write_all(chunk).map_err(|err| {
                    Error::new(ErrorCode::Io, format!("writing the opened wasm: {err}"))
                })
            },
        );
        walked
    }

    fn finish(self) -> WasmPass {
        // The validator's verdict first: it read the stream in order, and at its end reports a
        // cut section as validation in memory does. The walk's error covers what it did not
        // see (replaced sections, a malformed header).
        let walked = match self.framing {
            Some(err) => Err(err),
            None => self.splitter.finish(),
        };
        let validation = self.validator.finish().and(walked);
        WasmPass {
            digest: self.hasher.finalize().into(),
            length: self.length,
            validation,
            bundle: self.bundle,
        }
    }
}

/// The canonical module hash (without `sds.*` custom sections) and the `sds.bundle` section,
/// taken from the walk.
struct BundleTap {
    kept: Sha256,
    skipping: bool,
    in_bundle: bool,
    bundle_sections: usize,
    bundle: Vec<u8>,
    bundle_too_large: bool,
    /// The last bytes of the module, to tell whether it ends like a trailer.
    tail: [u8; 4],
}

impl Default for BundleTap {
    fn default() -> Self {
        BundleTap {
            kept: Sha256::new(),
            skipping: false,
            in_bundle: false,
            bundle_sections: 0,
            bundle: Vec::new(),
            bundle_too_large: false,
            tail: [0; 4],
        }
    }
}

impl BundleTap {
    fn piece(&mut self, piece: &Piece<'_>) {
        match piece {
            Piece::Header(bytes) => self.kept.update(bytes),
            Piece::Start(start) => {
                let name = start.name.map(decode_text);
                self.skipping = name
                    .as_deref()
                    .is_some_and(|name| name.starts_with(SDS_CUSTOM_SECTION_PREFIX));
                self.in_bundle = name.as_deref() == Some(SDS_BUNDLE_SECTION_NAME);
                if self.in_bundle {
                    self.bundle_sections += 1;
                }
                if !self.skipping {
                    self.kept.update(start.raw_head);
                }
                self.remember_tail(start.raw_head);
            }
            Piece::Body(bytes) => {
                if !self.skipping {
                    self.kept.update(bytes);
                }
                if self.in_bundle && self.bundle_sections == 1 && !self.bundle_too_large {
                    if self.bundle.len() + bytes.len() > MAX_STREAM_BUNDLE_BYTES {
                        self.bundle_too_large = true;
                        self.bundle = Vec::new();
                    } else {
                        self.bundle.extend_from_slice(bytes);
                    }
                }
                self.remember_tail(bytes);
            }
            Piece::End => {
                self.skipping = false;
                self.in_bundle = false;
            }
        }
    }

    fn remember_tail(&mut self, bytes: &[u8]) {
        if bytes.len() >= 4 {
            self.tail.copy_from_slice(&bytes[bytes.len() - 4..]);
        } else {
            let keep = 4 - bytes.len();
            self.tail.copy_within(4 - keep.., 0);
            self.tail[keep..].copy_from_slice(bytes);
        }
    }

    /// Step 9: the bundle's report, its hashes verified (`None` without a bundle section).
    fn report(self) -> Result<Option<super::report::BundleReport>> {
        if self.bundle_sections == 0 {
            return Ok(None);
        }
        bundle::check_one_section(SDS_BUNDLE_SECTION_NAME, self.bundle_sections)?;
        if self.bundle_too_large {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "the sds.bundle section is above the {MAX_STREAM_BUNDLE_BYTES} bytes \
                     opened from a file"
                ),
            ));
        }
        // A bundle parse first cuts a trailer off the module; a module that itself ends like
        // one is rare enough to be opened in memory instead.
        if &self.tail == FOOTER_MAGIC {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "the opened module itself ends in a $REC footer; open it in memory",
            ));
        }
        let kept = self.kept.finalize().to_vec();
        let parsed = bundle::parse_section_data(self.bundle, Vec::new(), |prefix| {
            if prefix == SDS_CUSTOM_SECTION_PREFIX {
                Ok(kept)
            } else {
                Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!(
                        "the bundle strips custom sections named \"{prefix}*\"; only the \
                         default \"{SDS_CUSTOM_SECTION_PREFIX}\" is opened from a file"
                    ),
                ))
            }
        })?;
        bundle::verify(&parsed)?;
        Ok(Some(super::open_bundle::report_of(&parsed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm::stream::SectionStart;

    fn bundle_section(tap: &mut BundleTap, body: &[u8]) {
        let name = SDS_BUNDLE_SECTION_NAME.as_bytes();
        tap.piece(&Piece::Start(SectionStart {
            id: 0,
            offset: 8,
            size: 0,
            raw_head: &[],
            name: Some(name),
            body_len: body.len() as u64,
        }));
        for part in body.chunks(STREAM_CHUNK_BYTES) {
            tap.piece(&Piece::Body(part));
        }
        tap.piece(&Piece::End);
    }

    #[test]
    fn a_bundle_section_above_the_cap_is_refused_as_too_large() {
        let mut tap = BundleTap::default();
        bundle_section(&mut tap, &vec![0u8; MAX_STREAM_BUNDLE_BYTES + 1]);
        assert!(tap.bundle.is_empty(), "nothing above the cap is kept");
        assert_eq!(tap.report().unwrap_err().code(), ErrorCode::InputTooLarge);
        // At the cap the bytes are kept and parsed (these are not a bundle).
        let mut tap = BundleTap::default();
        bundle_section(&mut tap, &vec![0u8; MAX_STREAM_BUNDLE_BYTES]);
        assert_eq!(tap.bundle.len(), MAX_STREAM_BUNDLE_BYTES);
        assert_ne!(tap.report().unwrap_err().code(), ErrorCode::InputTooLarge);
    }

    #[test]
    fn two_bundle_sections_are_refused_as_in_memory() {
        let mut tap = BundleTap::default();
        bundle_section(&mut tap, b"one");
        bundle_section(&mut tap, b"two");
        assert_eq!(tap.report().unwrap_err().code(), ErrorCode::BundleDuplicate);
    }
}
