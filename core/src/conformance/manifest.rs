//! The manifest layout: a directory of PluginManifest cases.
//!
//! A case is a FlatBuffer `X.fb` next to its input `X.json` and the decoded JSON. Two namings
//! are recognised:
//! - differential (`vectors/differential/manifest`): `N.manifest.json`, `N.manifest.fb`,
//!   `N.decoded.json`;
//! - named (`vectors/manifests`): `NAME.json`, `NAME.fb`, `NAME.decoded.json` and optionally
//!   `NAME.warnings.json` (e.g. `kitchen-sink.manifest.fb`).
//!
//! Each case checks, stopping at the first difference: encoding the input reproduces `X.fb`
//! byte for byte; the warnings equal `X.warnings.json` (when present); decoding `X.fb` gives
//! JSON equal to the decoded file (semantic comparison, see [`super::json_diff`]).

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{CaseOutcome, bytes_diff, json_diff, read, read_json};
use crate::Result;
use crate::manifest;

const LAYOUT: &str = "manifest";

/// One case's files.
struct Case {
    name: String,
    input: PathBuf,
    buffer: PathBuf,
    decoded: PathBuf,
    warnings: Option<PathBuf>,
}

/// True when `dir` holds at least one complete manifest case.
pub fn detect(dir: &Path) -> bool {
    cases(dir).is_ok_and(|cases| !cases.is_empty())
}

/// Runs every case of the directory.
pub fn run(dir: &Path) -> Result<Vec<CaseOutcome>> {
    Ok(cases(dir)?
        .into_iter()
        .map(|case| CaseOutcome {
            layout: LAYOUT,
            failure: run_case(&case).err(),
            case: case.name,
        })
        .collect())
}

fn cases(dir: &Path) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".fb"))
        else {
            continue;
        };
        let input = dir.join(format!("{stem}.json"));
        let short = stem.strip_suffix(".manifest");
        let decoded = [Some(stem), short]
            .into_iter()
            .flatten()
            .map(|base| dir.join(format!("{base}.decoded.json")))
            .find(|p| p.is_file());
        let (Some(decoded), true) = (decoded, input.is_file()) else {
            continue;
        };
        let warnings = Some(dir.join(format!("{stem}.warnings.json"))).filter(|p| p.is_file());
        let name = short
            .filter(|s| s.parse::<u64>().is_ok())
            .unwrap_or(stem)
            .to_owned();
        cases.push(Case {
            name,
            input,
            buffer: path.clone(),
            decoded,
            warnings,
        });
    }
    // Numbered cases in numeric order first, then named cases alphabetically.
    cases.sort_by(
        |a, b| match (a.name.parse::<u64>(), b.name.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
            (Err(_), Err(_)) => a.name.cmp(&b.name),
        },
    );
    Ok(cases)
}

/// Runs one case; `Err` carries the first difference.
fn run_case(case: &Case) -> Result<(), String> {
    let fail = |what: &str, detail: String| format!("{what}: {detail}");
    let expected = read(&case.buffer).map_err(|e| fail("read", e.to_string()))?;
    let text = read(&case.input).map_err(|e| fail("read", e.to_string()))?;
    let text = String::from_utf8(text).map_err(|_| fail("encode", "input is not UTF-8".into()))?;
    let encoded =
        manifest::encode_json_str(&text).map_err(|e| fail("encode", format!("failed with {e}")))?;
    if let Some(diff) = bytes_diff(&expected, &encoded.bytes) {
        return Err(fail("encode", diff));
    }
    if let Some(path) = &case.warnings {
        let want = read_json(path).map_err(|e| fail("read", e.to_string()))?;
        if let Some(diff) = json_diff(&want, &json!(encoded.warnings)) {
            return Err(fail("warnings", diff));
        }
    }
    let want = read_json(&case.decoded).map_err(|e| fail("read", e.to_string()))?;
    let decoded = manifest::decode_to_json(&expected)
        .map_err(|e| fail("decode", format!("failed with {e}")))?;
    json_diff(&want, &decoded).map_or(Ok(()), |diff| Err(fail("decode", diff)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors(sub: &str) -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors")).join(sub)
    }

    #[test]
    fn runs_both_namings() {
        let differential = run(&vectors("differential/manifest")).unwrap();
        assert_eq!(differential.len(), 40);
        assert_eq!(differential[0].case, "1");
        assert!(
            differential.iter().all(|o| o.failure.is_none()),
            "{differential:?}"
        );
        let named = run(&vectors("manifests")).unwrap();
        assert_eq!(named.len(), 7);
        assert!(named.iter().all(|o| o.failure.is_none()), "{named:?}");
        assert!(!detect(&vectors("single-file-bundle")));
        assert!(!detect(&vectors("differential/bundle")));
    }

    #[test]
    fn reports_the_first_difference() {
        let dir = tempfile::tempdir().unwrap();
        let src = vectors("differential/manifest");
        for file in ["7.manifest.json", "7.decoded.json"] {
            std::fs::copy(src.join(file), dir.path().join(file)).unwrap();
        }
        let mut bytes = std::fs::read(src.join("7.manifest.fb")).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        std::fs::write(dir.path().join("7.manifest.fb"), bytes).unwrap();
        let outcomes = run(dir.path()).unwrap();
        assert_eq!(outcomes.len(), 1);
        let failure = outcomes[0].failure.as_deref().unwrap();
        assert!(
            failure.starts_with("encode: bytes differ at offset"),
            "{failure}"
        );
    }
}
