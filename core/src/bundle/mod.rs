//! The `sds.bundle` single-file bundle (spec `bundle-and-manifest.md` section 7): the
//! `ModuleBundle` (`SMDB`) FlatBuffer carried in one wasm custom section, and create / parse /
//! verify over whole modules.
//!
//! - [`create`]: module + options → bundle bytes and the bundled module (byte-exact).
//! - [`parse`]: bundled module → bundle, decoded entries, computed canonical hash (lenient:
//!   checks nothing, like the reference).
//! - [`verify`]: the separate hash check the reference does not have.
//! - [`codec`]: the `SMDB` FlatBuffer itself; [`report`]: JSON renderings of a parse.
//! - [`deployment_entry`]: the `deployment-plan` entry built from a plan.
//! - [`trailer`]: the publication-trailer pre-step (detection from [`crate::trailer`]).

pub mod codec;
pub mod constants;
mod create;
mod deployment_entry;
mod input;
mod manifest_link;
pub mod model;
mod normalize;
mod parse;
pub mod report;
pub mod trailer;
mod verify;

pub use codec::{decode, encode};
pub use constants::*;
pub use create::{Created, create};
pub use deployment_entry::deployment_entry;
pub use input::{CreateOptions, EntryInput, ManifestInput, Payload};
pub use model::{BundleEntry, CanonicalizationRule, ModuleBundle, encoding_name, role_name};
pub use normalize::{normalize_type_ref, stored_encoding, stored_role};
pub use parse::{
    CustomSectionInfo, DecodedPayload, ParseOptions, Parsed, ParsedEntry, check_one_section,
    decode_json_payload, parse, parse_section_data,
};
pub use verify::{Mismatch, check as check_hashes, verify};

/// Parses `bytes` and verifies every stored hash (`bundle-hash-mismatch` on the first
/// mismatch); returns the parse on success.
pub fn parse_and_verify(bytes: &[u8], options: &ParseOptions) -> crate::Result<Parsed> {
    let parsed = parse(bytes, options)?;
    verify(&parsed)?;
    Ok(parsed)
}
