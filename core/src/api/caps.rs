//! The one set of input caps every front end enforces (docs/limits.md).
//!
//! A cap is checked on the length before anything is parsed, and files are read with
//! [`read_file_capped`], which never holds more than `cap + 1` bytes: a 3 GiB file or
//! `/dev/zero` is refused after reading at most the cap.

use std::io::Read;
use std::path::Path;

use crate::{Error, ErrorCode, Result};

/// Manifest JSON text: 4 MiB of UTF-8. Real manifests are a few kilobytes.
pub const MANIFEST_JSON_BYTES: usize = 4 << 20;
/// An encoded manifest (`PMAN` FlatBuffer): 16 MiB.
pub const MANIFEST_FLATBUFFER_BYTES: usize = crate::manifest::MAX_MANIFEST_BYTES;
/// A module or protected artifact (wasm with optional bundle and trailer): 256 MiB.
pub const MODULE_BYTES: usize = 256 << 20;
/// A protected artifact opened from a file (`open_file`, CLI `open`): 64 GiB. It is read in
/// chunks, so this cap is about disk and time, not memory.
pub const STREAM_ARTIFACT_BYTES: usize = if usize::BITS >= 64 {
    (1u64 << 36) as usize
} else {
    usize::MAX
};
/// A JSON document other than a manifest (authorization envelope and options, host policy,
/// deployment plan, bundle options): 1 MiB.
pub const JSON_DOCUMENT_BYTES: usize = 1 << 20;
/// A key file or mnemonic file: 64 KiB.
pub const KEY_FILE_BYTES: usize = 64 << 10;
/// Trusted signers given to one call: 4096 (a trust list, not a key store).
pub const TRUSTED_SIGNERS: usize = 4096;
/// One invoke input payload: 64 MiB (the default request cap of the runtime).
pub const INVOKE_INPUT_BYTES: usize = 64 << 20;

/// Every cap above by name, in the order docs/limits.md lists them (a test keeps the two in
/// step: same names, same values).
pub const ALL: &[(&str, usize)] = &[
    ("MANIFEST_JSON_BYTES", MANIFEST_JSON_BYTES),
    ("MANIFEST_FLATBUFFER_BYTES", MANIFEST_FLATBUFFER_BYTES),
    ("MODULE_BYTES", MODULE_BYTES),
    ("STREAM_ARTIFACT_BYTES", STREAM_ARTIFACT_BYTES),
    ("JSON_DOCUMENT_BYTES", JSON_DOCUMENT_BYTES),
    ("KEY_FILE_BYTES", KEY_FILE_BYTES),
    ("TRUSTED_SIGNERS", TRUSTED_SIGNERS),
    ("INVOKE_INPUT_BYTES", INVOKE_INPUT_BYTES),
];

/// Fails with `input-too-large` when `len` exceeds `cap`.
pub fn check_len(what: &str, len: usize, cap: usize) -> Result<()> {
    if len > cap {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{what}: {len} bytes is above the {cap}-byte cap"),
        ));
    }
    Ok(())
}

/// Reads a whole file, refusing it with `input-too-large` as soon as it holds more than `cap`
/// bytes (the read stops at `cap + 1`, so memory stays bounded whatever the file is).
pub fn read_file_capped(path: &Path, cap: usize) -> Result<Vec<u8>> {
    let io = |err: std::io::Error| Error::new(ErrorCode::Io, format!("{}: {err}", path.display()));
    let file = std::fs::File::open(path).map_err(io)?;
    // The size hint only avoids regrowing; the `take` below is what bounds memory.
    let hint = file
        .metadata()
        .ok()
        .and_then(|meta| usize::try_from(meta.len()).ok())
        .unwrap_or(0)
        .min(cap);
    let mut bytes = Vec::with_capacity(hint.saturating_add(1));
    file.take(cap as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > cap {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{}: more than the {cap}-byte cap", path.display()),
        ));
    }
    Ok(bytes)
}

/// UTF-8 text of at most `cap` bytes.
pub fn text<'a>(what: &str, bytes: &'a [u8], cap: usize) -> Result<&'a str> {
    check_len(what, bytes.len(), cap)?;
    std::str::from_utf8(bytes)
        .map_err(|_| Error::new(ErrorCode::InvalidJson, format!("{what}: not UTF-8 text")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_at_the_cap_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![7u8; 100]).unwrap();
        assert_eq!(read_file_capped(&path, 100).unwrap().len(), 100);
        let err = read_file_capped(&path, 99).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InputTooLarge);
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_after_the_cap() {
        let err = read_file_capped(Path::new("/dev/zero"), 1 << 16).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InputTooLarge);
    }

    #[test]
    fn length_checks_name_the_input() {
        assert!(check_len("manifest", MANIFEST_JSON_BYTES, MANIFEST_JSON_BYTES).is_ok());
        let err = check_len("manifest", MANIFEST_JSON_BYTES + 1, MANIFEST_JSON_BYTES).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InputTooLarge);
        assert!(err.message().contains("manifest"));
    }
}
