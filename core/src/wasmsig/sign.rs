//! Signing: add one signature per key over the module's part hashes, keeping the signatures
//! already there (several signers), embedded as the first section or returned detached.

use super::data::{SignatureData, SignatureEntry, SignedHashes};
use super::parts::ModuleParts;
use super::{
    ALG_ED25519, DELIMITER_BYTES, DELIMITER_SECTION, MAX_SIGNATURES, SIGNATURE_SECTION,
    signed_message,
};
use crate::keys::ed25519::WasmsigSecretKey;
use crate::keys::random::RandomSource;
use crate::wasm::sections::{WASM_HEADER_LEN, encode_custom_section};
use crate::{Error, ErrorCode, Result};

/// How to sign.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// Store this key identifier with every signature (`None`: none stored).
    pub key_id: Option<Vec<u8>>,
    /// Leave the module unchanged and return the signature data alone.
    pub detached: bool,
    /// Split the module into parts before signing, if it has no delimiters yet: one part with
    /// everything but the `sds.*` custom sections, then one part per run of `sds.*` sections,
    /// so the module verifies without its bundle (partial verification) and sections can be
    /// appended and signed later. Without it a module without delimiters is one part.
    pub split_parts: bool,
}

/// A signed module.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The module with the `signature` section first (the input unchanged when detached,
    /// except for the delimiters `split_parts` adds).
    pub module: Vec<u8>,
    /// The signature data (the payload of the `signature` section).
    pub signature: Vec<u8>,
    /// How many parts the signatures cover.
    pub parts: usize,
}

/// Signs `module` with every key in `keys` (at least one). Signatures already in the module
/// (or in `existing_detached`) are kept; signing again with a key that already signed the same
/// hashes is refused (`invalid-argument`).
pub fn sign(
    module: &[u8],
    keys: &[&WasmsigSecretKey],
    existing_detached: Option<&[u8]>,
    options: &SignOptions,
    random: &mut dyn RandomSource,
) -> Result<Signed> {
    if keys.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "no signing key given",
        ));
    }
    let mut module = module.to_vec();
    let parts = ModuleParts::parse(&module)?;
    if parts.misplaced_signature_section() {
        return Err(Error::new(
            ErrorCode::WasmSignatureMalformed,
            "a `signature` section that is not the module's first section",
        ));
    }
    let has_delimiters = parts
        .signed_sections()
        .iter()
        .any(|s| parts.is_delimiter(s));
    if options.split_parts && !has_delimiters {
        module = split(&parts, random)?;
    }
    let parts = ModuleParts::parse(&module)?;
    let mut data = match (existing_detached, parts.signature_payload()) {
        (Some(detached), _) => SignatureData::parse(detached)?,
        (None, Some(embedded)) => SignatureData::parse(embedded)?,
        (None, None) => SignatureData {
            signed_hashes: Vec::new(),
        },
    };
    let part_hashes = parts.hashes();
    let mut hashes: Vec<[u8; 32]> = part_hashes.at_delimiters.iter().map(|(h, _)| *h).collect();
    hashes.extend(part_hashes.end);
    if hashes.len() > super::MAX_HASHES {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "{} parts; at most {} can be signed",
                hashes.len(),
                super::MAX_HASHES
            ),
        ));
    }
    let message = signed_message(&hashes);
    let index = match data
        .signed_hashes
        .iter()
        .position(|set| set.hashes == hashes)
    {
        Some(index) => index,
        None => {
            data.signed_hashes.push(SignedHashes {
                hashes: hashes.clone(),
                signatures: Vec::new(),
            });
            data.signed_hashes.len() - 1
        }
    };
    let set = &mut data.signed_hashes[index];
    for key in keys {
        let public = key.public_key();
        if set
            .signatures
            .iter()
            .any(|s| public.verifies(&message, &s.signature))
        {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("key {} has already signed these parts", public.to_hex()),
            ));
        }
        if set.signatures.len() >= MAX_SIGNATURES {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("at most {MAX_SIGNATURES} signatures per set of parts"),
            ));
        }
        set.signatures.push(SignatureEntry {
            key_id: options.key_id.clone(),
            alg_id: ALG_ED25519,
            signature: key.sign(&message).to_vec(),
        });
    }
    let signature = data.to_bytes()?;
    let parts_count = hashes.len();
    let module = if options.detached {
        module
    } else {
        let body = &module[WASM_HEADER_LEN..];
        let body = match parts.sections.first() {
            Some(first) if parts.has_signature_section => &module[first.end..],
            _ => body,
        };
        let section = encode_custom_section(SIGNATURE_SECTION, &signature)?;
        let mut out = Vec::with_capacity(WASM_HEADER_LEN + section.len() + body.len());
        out.extend_from_slice(&module[..WASM_HEADER_LEN]);
        out.extend_from_slice(&section);
        out.extend_from_slice(body);
        out
    };
    Ok(Signed {
        module,
        signature,
        parts: parts_count,
    })
}

/// The module with a delimiter after the non-`sds.*` sections and after every run of `sds.*`
/// sections (the signature section, if any, stays first).
fn split(parts: &ModuleParts<'_>, random: &mut dyn RandomSource) -> Result<Vec<u8>> {
    let module = parts.module;
    let is_sds = |s: &crate::wasm::sections::Section| {
        s.custom_name()
            .is_some_and(|n| n.starts_with(crate::wasm::sections::SDS_CUSTOM_SECTION_PREFIX))
    };
    let mut out = module[..WASM_HEADER_LEN].to_vec();
    if parts.has_signature_section {
        out.extend_from_slice(parts.sections[0].raw(module));
    }
    let signed = parts.signed_sections();
    let mut delimiter = || -> Result<Vec<u8>> {
        let mut bytes = [0u8; DELIMITER_BYTES];
        random.fill(&mut bytes)?;
        encode_custom_section(DELIMITER_SECTION, &bytes)
    };
    let mut previous_sds: Option<bool> = None;
    for section in signed {
        let sds = is_sds(section);
        if previous_sds.is_some_and(|p| p != sds) {
            out.extend_from_slice(&delimiter()?);
        }
        out.extend_from_slice(section.raw(module));
        previous_sds = Some(sds);
    }
    if previous_sds.is_some() {
        out.extend_from_slice(&delimiter()?);
    }
    Ok(out)
}
