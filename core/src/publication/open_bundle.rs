//! Loader step 9: report the `sds.bundle` section of the opened wasm.

use wasmparser::{Parser, Payload};

use super::report::BundleReport;
use crate::{Error, ErrorCode, Result};

/// `None` when the module has no `sds.bundle` section.
pub(crate) fn bundle_report(wasm: &[u8]) -> Result<Option<BundleReport>> {
    let mut found = false;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|err| Error::new(ErrorCode::WasmInvalid, err.to_string()))?;
        if let Payload::CustomSection(reader) = payload
            && reader.name() == "sds.bundle"
        {
            found = true;
        }
    }
    if !found {
        return Ok(None);
    }
    Err(Error::new(
        ErrorCode::Internal,
        "sds.bundle parsing needs the bundle module (not merged yet)",
    ))
}
