//! Loader step 9: parse, verify and report the `sds.bundle` section of the opened wasm.
//!
//! The bundle is parsed and every stored hash verified (`crate::bundle::parse_and_verify`);
//! bundle failures keep the bundle module's codes (spec 12.2 step 9).

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::report::BundleReport;
use crate::bundle::{self, DecodedPayload, ParseOptions, Parsed};
use crate::wasm::sections::custom_sections;
use crate::{Error, ErrorCode, Result};

/// `None` when the module has no `sds.bundle` section.
pub(crate) fn bundle_report(wasm: &[u8]) -> Result<Option<BundleReport>> {
    let sections = custom_sections(wasm)
        .map_err(|err| Error::new(ErrorCode::WasmInvalid, err.message().to_owned()))?;
    if !sections
        .iter()
        .any(|section| section.name == bundle::SDS_BUNDLE_SECTION_NAME)
    {
        return Ok(None);
    }
    let parsed = bundle::parse_and_verify(wasm, &ParseOptions::default())?;
    Ok(Some(report_of(&parsed)))
}

/// The report of a parsed bundle whose hashes verified.
pub(crate) fn report_of(parsed: &Parsed) -> BundleReport {
    let authorization = parsed
        .entries
        .iter()
        .find(|e| crate::fbs::reference_text(&e.entry.entry_id) == "authorization");
    let signer = authorization.and_then(|entry| match &entry.decoded {
        DecodedPayload::Json(value) => value
            .pointer("/protected/publicKeyHex")
            .and_then(Value::as_str)
            .map(str::to_owned),
        DecodedPayload::Bytes => None,
    });
    BundleReport {
        entry_ids: parsed
            .bundle
            .entries
            .iter()
            .map(|e| crate::fbs::reference_text(&e.entry_id).to_owned())
            .collect(),
        canonical_module_hash_hex: parsed.canonical_module_hash_hex(),
        bundle_canonical_module_hash_hex: hex::encode(&parsed.bundle.canonical_module_hash),
        manifest_hash_hex: hex::encode(&parsed.bundle.manifest_hash),
        manifest_plugin_id: parsed
            .manifest
            .as_ref()
            .and_then(|m| m.get("pluginId"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        authorization_signer_public_key_hex: signer,
        authorization_payload_sha256: authorization
            .map(|entry| hex::encode(Sha256::digest(&entry.entry.payload))),
    }
}
