//! A module seen as the signature format sees it: an optional `signature` section first, then
//! parts ending at `signature_delimiter` sections, hashed with one rolling SHA-256 over the raw
//! bytes of every section after the signature section (the 8-byte header is not hashed).

use sha2::{Digest, Sha256};

use super::{DELIMITER_SECTION, SIGNATURE_SECTION};
use crate::wasm::sections::{Section, decode_uleb128, parse_sections};
use crate::{Error, ErrorCode, Result};

/// The raw name bytes of a custom section (the walker's `name` is decoded as the reference
/// decodes text, which would turn `"\u{FEFF}signature"` into `"signature"`).
pub fn custom_name_bytes<'a>(module: &'a [u8], section: &Section) -> Option<&'a [u8]> {
    let custom = section.custom.as_ref()?;
    let (_, name_start) = decode_uleb128(module, section.payload.start).ok()?;
    module.get(name_start..custom.data.start)
}

fn is_named(module: &[u8], section: &Section, name: &str) -> bool {
    custom_name_bytes(module, section) == Some(name.as_bytes())
}

/// The sections of a module and where its signature section is.
#[derive(Debug)]
pub struct ModuleParts<'a> {
    pub module: &'a [u8],
    pub sections: Vec<Section>,
    /// The first section is a `signature` custom section.
    pub has_signature_section: bool,
}

/// The rolling hash at the end of every part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartHashes {
    /// `(hash after the delimiter, index of the delimiter section)`, in module order.
    pub at_delimiters: Vec<([u8; 32], usize)>,
    /// The hash over everything, when the module does not end with a delimiter (an unsigned
    /// tail, or a module signed without delimiters).
    pub end: Option<[u8; 32]>,
}

impl<'a> ModuleParts<'a> {
    /// Walks `module`. A `REC` trailer after the module is refused here, since its bytes are
    /// not sections: sign the module before protecting it, verify the module `open` returns.
    pub fn parse(module: &'a [u8]) -> Result<ModuleParts<'a>> {
        // Any `$REC` footer, valid or not: its bytes are never sections.
        if module.ends_with(crate::trailer::footer::FOOTER_MAGIC) {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "the input carries a REC trailer: signatures cover the module alone (sign before \
                 protecting; verify the module that open returns)",
            ));
        }
        let sections = parse_sections(module)?;
        let has_signature_section = sections
            .first()
            .is_some_and(|s| is_named(module, s, SIGNATURE_SECTION));
        Ok(ModuleParts {
            module,
            sections,
            has_signature_section,
        })
    }

    /// The payload of the embedded signature section (after its name).
    pub fn signature_payload(&self) -> Option<&'a [u8]> {
        let section = self
            .sections
            .first()
            .filter(|_| self.has_signature_section)?;
        let data = section.custom.as_ref()?.data.clone();
        self.module.get(data)
    }

    /// The sections covered by signatures: all but the signature section.
    pub fn signed_sections(&self) -> &[Section] {
        &self.sections[usize::from(self.has_signature_section)..]
    }

    pub fn is_delimiter(&self, section: &Section) -> bool {
        is_named(self.module, section, DELIMITER_SECTION)
    }

    /// A `signature` section anywhere but first (covered bytes, never read as signatures).
    pub fn misplaced_signature_section(&self) -> bool {
        self.signed_sections()
            .iter()
            .any(|s| is_named(self.module, s, SIGNATURE_SECTION))
    }

    /// The rolling hashes of the signed sections.
    pub fn hashes(&self) -> PartHashes {
        let offset = usize::from(self.has_signature_section);
        let mut hasher = Sha256::new();
        let mut at_delimiters = Vec::new();
        let mut ends_with_delimiter = false;
        for (index, section) in self.signed_sections().iter().enumerate() {
            hasher.update(section.raw(self.module));
            ends_with_delimiter = self.is_delimiter(section);
            if ends_with_delimiter {
                at_delimiters.push((hasher.clone().finalize().into(), index + offset));
            }
        }
        let end = (!ends_with_delimiter).then(|| hasher.finalize().into());
        PartHashes { at_delimiters, end }
    }
}
