//! The invoke layout (`vectors/invoke`): envelope cases `NAME.request.*` / `NAME.response.*`.
//!
//! Each case checks, stopping at the first difference: encoding `NAME.KIND.json` (the
//! reference's JS object form) reproduces `NAME.KIND.fb` byte for byte, and decoding
//! `NAME.KIND.fb` gives JSON equal to `NAME.KIND.decoded.json` (semantic comparison).

use std::path::Path;

use super::{CaseOutcome, bytes_diff, json_diff, read, read_json};
use crate::Result;
use crate::invoke::{self, json};

const LAYOUT: &str = "invoke";
const KINDS: [&str; 2] = ["request", "response"];

/// `(name, kind)` of every case whose three files are present, sorted.
fn cases(dir: &Path) -> Result<Vec<(String, &'static str)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(file_name) = entry?.file_name().into_string() else {
            continue;
        };
        for kind in KINDS {
            if let Some(name) = file_name.strip_suffix(&format!(".{kind}.fb"))
                && dir.join(format!("{name}.{kind}.json")).is_file()
                && dir.join(format!("{name}.{kind}.decoded.json")).is_file()
            {
                out.push((name.to_owned(), kind));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// True when `dir` holds at least one complete envelope case.
pub fn detect(dir: &Path) -> bool {
    cases(dir).is_ok_and(|cases| !cases.is_empty())
}

/// Runs every case of the directory.
pub fn run(dir: &Path) -> Result<Vec<CaseOutcome>> {
    Ok(cases(dir)?
        .into_iter()
        .map(|(name, kind)| CaseOutcome {
            layout: LAYOUT,
            case: format!("{name}.{kind}"),
            failure: run_case(dir, &name, kind).err(),
        })
        .collect())
}

fn run_case(dir: &Path, name: &str, kind: &str) -> Result<(), String> {
    let path = |suffix: &str| dir.join(format!("{name}.{kind}.{suffix}"));
    let input = read_json(&path("json")).map_err(|e| e.to_string())?;
    let expected = read(&path("fb")).map_err(|e| e.to_string())?;
    let want = read_json(&path("decoded.json")).map_err(|e| e.to_string())?;
    let (encoded, decoded) = if kind == "request" {
        let encoded = json::request_from_json(&input).and_then(|r| invoke::encode_request(&r));
        (
            encoded,
            invoke::decode_request(&expected).map(|r| json::request_to_json(&r)),
        )
    } else {
        let encoded = json::response_from_json(&input).and_then(|r| invoke::encode_response(&r));
        (
            encoded,
            invoke::decode_response(&expected).map(|r| json::response_to_json(&r)),
        )
    };
    let encoded = encoded.map_err(|e| format!("encode: {e}"))?;
    if let Some(diff) = bytes_diff(&expected, &encoded) {
        return Err(format!("encode: {diff}"));
    }
    let decoded = decoded.map_err(|e| format!("decode: {e}"))?;
    match json_diff(&want, &decoded) {
        Some(diff) => Err(format!("decode: {diff}")),
        None => Ok(()),
    }
}
