//! The `bundle` layout (`vectors/differential/README.md`): for each case `N`,
//! `N.bundle-input.json` describes a `createSingleFileBundle` call; the output module must
//! equal `N.bundled.wasm` byte for byte, and parsing it must give `N.parsed.json`
//! (semantically; `{"parseError": message}` when parse fails).

use std::path::Path;

use serde_json::{Map, Value, json};

use super::{CaseOutcome, bytes_diff, json_diff, numbered_cases, read, read_json};
use crate::bundle::{self, CreateOptions, EntryInput, ManifestInput, ParseOptions, Payload};
use crate::js::{to_js_string, to_number};
use crate::{Error, ErrorCode, Result};

const INPUT_SUFFIX: &str = ".bundle-input.json";

/// A directory is a bundle layout when it holds at least one `*.bundle-input.json`.
pub fn detect(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().ends_with(INPUT_SUFFIX))
        })
        .unwrap_or(false)
}

/// Runs every case of `dir`.
pub fn run(dir: &Path) -> Result<Vec<CaseOutcome>> {
    Ok(numbered_cases(dir, INPUT_SUFFIX)?
        .into_iter()
        .map(|case| CaseOutcome {
            layout: "bundle",
            case: case.to_string(),
            failure: run_case(dir, case).err(),
        })
        .collect())
}

fn run_case(dir: &Path, case: u64) -> Result<(), String> {
    let input = read_json(&dir.join(format!("{case}{INPUT_SUFFIX}"))).map_err(|e| e.to_string())?;
    let (create_options, parse_options) =
        load_call(dir, &input).map_err(|e| format!("cannot rebuild the call: {e}"))?;
    let created = bundle::create(&create_options).map_err(|e| format!("create failed: {e}"))?;
    let expected_wasm =
        read(&dir.join(format!("{case}.bundled.wasm"))).map_err(|e| e.to_string())?;
    if let Some(diff) = bytes_diff(&expected_wasm, &created.wasm) {
        return Err(format!("bundled.wasm: {diff}"));
    }
    let expected =
        read_json(&dir.join(format!("{case}.parsed.json"))).map_err(|e| e.to_string())?;
    let actual = parsed_report(&created.wasm, &parse_options);
    match json_diff(&expected, &actual) {
        Some(diff) => Err(format!("parsed.json: {diff}")),
        None => Ok(()),
    }
}

/// The `parsed.json` value for `module`: the report of [`bundle::report::parsed_json`], or
/// `{"parseError": message}` when parse fails (message in the reference's wording).
pub fn parsed_report(module: &[u8], options: &ParseOptions) -> Value {
    match bundle::parse(module, options) {
        Ok(parsed) => bundle::report::parsed_json(&parsed),
        Err(err) => json!({ "parseError": err.message() }),
    }
}

/// Rebuilds the create and parse options of one `bundle-input.json` (paths relative to `dir`).
pub fn load_call(dir: &Path, input: &Value) -> Result<(CreateOptions, ParseOptions)> {
    let base = input
        .get("baseWasm")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("baseWasm is missing"))?;
    let no_options = Map::new();
    let options = input
        .get("options")
        .and_then(Value::as_object)
        .unwrap_or(&no_options);
    let mut create = CreateOptions {
        wasm: read(&dir.join(base))?,
        ..CreateOptions::default()
    };

    create.manifest = if let Some(descriptor) = options.get("manifestBytes") {
        match payload(dir, descriptor)? {
            Payload::Bytes(bytes) => ManifestInput::Bytes(bytes),
            Payload::Json(_) => return Err(invalid("manifestBytes must be a bytes descriptor")),
        }
    } else if input.get("manifestMode").and_then(Value::as_str) == Some("manifest") {
        let file = input
            .get("manifestFile")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("manifestFile is missing"))?;
        ManifestInput::Json(read_json(&dir.join(file))?)
    } else {
        ManifestInput::None
    };
    create.authorization = options
        .get("authorization")
        .map(|d| payload(dir, d))
        .transpose()?;
    create.signature = options
        .get("signature")
        .map(|d| payload(dir, d))
        .transpose()?;
    create.transport_envelope = options
        .get("transportEnvelope")
        .map(|d| payload(dir, d))
        .transpose()?;
    create.deployment_plan = match options
        .get("deploymentPlan")
        .map(|d| payload(dir, d))
        .transpose()?
    {
        None => None,
        Some(Payload::Json(plan)) => Some(plan),
        // Bytes have none of the plan's fields: the reference normalizes them like `{}`.
        Some(Payload::Bytes(_)) => Some(Value::Object(Map::new())),
    };
    let text = |key: &str| options.get(key).filter(|v| !v.is_null()).map(to_js_string);
    create.custom_section_prefix = text("customSectionPrefix");
    create.bundle_section_name = text("bundleSectionName");
    create.module_format = text("moduleFormat");
    create.manifest_export_symbol = text("manifestExportSymbol");
    create.manifest_size_symbol = text("manifestSizeSymbol");
    create.bundle_version = options
        .get("bundleVersion")
        .filter(|v| !v.is_null())
        .map(to_number);

    if input.get("entriesOmitted").is_none() {
        if let Some(entries) = input.get("entries").and_then(Value::as_array) {
            for entry in entries {
                let fields = entry
                    .as_object()
                    .ok_or_else(|| invalid("an entry is not an object"))?;
                let entry_payload = fields.get("payload").map(|d| payload(dir, d)).transpose()?;
                create
                    .entries
                    .push(EntryInput::from_json_fields(fields, entry_payload));
            }
        }
    }
    let parse = ParseOptions {
        bundle_section_name: input
            .get("parseOptions")
            .and_then(|p| p.get("bundleSectionName"))
            .filter(|v| !v.is_null())
            .map(to_js_string),
    };
    Ok((create, parse))
}

/// Reads one payload descriptor: `{"kind":"bytes","hex"|"file"}` or `{"kind":"value","value"}`.
fn payload(dir: &Path, descriptor: &Value) -> Result<Payload> {
    match descriptor.get("kind").and_then(Value::as_str) {
        Some("bytes") => {
            if let Some(hex_text) = descriptor.get("hex").and_then(Value::as_str) {
                hex::decode(hex_text)
                    .map(Payload::Bytes)
                    .map_err(|e| invalid(&format!("bad hex in descriptor: {e}")))
            } else if let Some(file) = descriptor.get("file").and_then(Value::as_str) {
                Ok(Payload::Bytes(read(&dir.join(file))?))
            } else {
                Err(invalid("bytes descriptor needs hex or file"))
            }
        }
        Some("value") => Ok(Payload::Json(
            descriptor.get("value").cloned().unwrap_or(Value::Null),
        )),
        _ => Err(invalid("unknown payload descriptor kind")),
    }
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorCode::InvalidArgument, message.to_owned())
}
