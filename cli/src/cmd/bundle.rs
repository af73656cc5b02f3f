//! `bundle`: embeds an `sds.bundle` section (manifest, authorization, signature, transport,
//! deployment plan, extra entries) into a module.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use space_data_module::api::{caps, format};
use space_data_module::bundle::{CreateOptions, EntryInput, ManifestInput, Payload};
use space_data_module::{Error, ErrorCode};

use crate::output::{Outcome, print_json, read_input, read_manifest_text, write_atomic};

#[derive(clap::Args)]
#[command(after_help = ENTRY_HELP)]
pub struct Args {
    /// The input module (.wasm). Existing `sds.*` sections are replaced.
    #[arg(long, value_name = "IN.wasm")]
    pub wasm: PathBuf,
    /// What goes into the bundle (boxed: keeps the CLI's command enum small).
    #[command(flatten)]
    pub contents: Box<Contents>,
    /// Output module. Written atomically: nothing is left behind on failure.
    #[arg(short = 'o', long = "output", value_name = "OUT.wasm")]
    pub output: PathBuf,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The bundle's contents and naming options.
#[derive(clap::Args)]
pub struct Contents {
    /// Manifest JSON to encode into the `manifest` entry.
    #[arg(long, value_name = "M.json", conflicts_with = "manifest_fb")]
    pub manifest: Option<PathBuf>,
    /// Already-encoded manifest (`PMAN` FlatBuffer), stored as given.
    #[arg(long = "manifest-fb", value_name = "M.fb")]
    pub manifest_fb: Option<PathBuf>,
    /// Authorization envelope (JSON; stored as canonical JSON, a JSON string as its text).
    #[arg(long, value_name = "F.json")]
    pub authorization: Option<PathBuf>,
    /// Detached signature payload (JSON, as for --authorization).
    #[arg(long, value_name = "F.json")]
    pub signature: Option<PathBuf>,
    /// Transport envelope metadata (JSON, as for --authorization).
    #[arg(long, value_name = "F.json")]
    pub transport: Option<PathBuf>,
    /// Deployment plan (JSON); normalized, then stored as the `deployment-plan` entry.
    #[arg(long = "deployment-plan", value_name = "F.json")]
    pub deployment_plan: Option<PathBuf>,
    /// An additional entry (repeatable); see ENTRY SYNTAX below.
    #[arg(long = "entry", value_name = "SPEC")]
    pub entries: Vec<String>,
    /// Name of the custom section that carries the bundle (default `sds.bundle`).
    #[arg(long = "bundle-section-name", value_name = "NAME")]
    pub bundle_section_name: Option<String>,
    /// Prefix of the custom sections stripped before hashing (default `sds.`).
    #[arg(long = "strip-prefix", value_name = "PREFIX")]
    pub strip_prefix: Option<String>,
    /// `ModuleBundle.module_format` (default `space-data-module`).
    #[arg(long = "module-format", value_name = "TEXT")]
    pub module_format: Option<String>,
    /// `ModuleBundle.bundle_version` (default 1).
    #[arg(long = "bundle-version", value_name = "N")]
    pub bundle_version: Option<u16>,
    /// Recorded name of the manifest bytes export (default `plugin_get_manifest_flatbuffer`).
    #[arg(long = "manifest-export-symbol", value_name = "NAME")]
    pub manifest_export_symbol: Option<String>,
    /// Recorded name of the manifest size export (default `plugin_get_manifest_flatbuffer_size`).
    #[arg(long = "manifest-size-symbol", value_name = "NAME")]
    pub manifest_size_symbol: Option<String>,
}

const ENTRY_HELP: &str = "\
ENTRY SYNTAX (--entry):
  id=ID,file=PATH[,role=ROLE][,encoding=ENC][,media-type=TYPE][,section=NAME][,description=TEXT]
  The file's bytes are stored verbatim as the payload. ROLE: manifest, authorization,
  signature, transport, attestation, auxiliary (default). ENC: raw-bytes (default),
  flatbuffer, json-utf8, cbor. Write a literal comma in a value as \\, (backslash comma).
  Example: --entry 'id=notes,file=notes.bin,media-type=application/octet-stream'";

pub fn run(args: Args) -> Result<Outcome, Error> {
    let options = build_options(&args)?;
    let created = format::create_bundle_from(&options)?;
    write_atomic(&args.output, &created.wasm)?;
    let summary = &created.summary;
    if args.json {
        let mut value = serde_json::to_value(summary)
            .map_err(|err| Error::new(ErrorCode::Internal, err.to_string()))?;
        if let Some(map) = value.as_object_mut() {
            map.insert("output".into(), json!(args.output.display().to_string()));
        }
        print_json(&value);
    } else {
        println!(
            "wrote {} ({} bytes, sha256 {})",
            args.output.display(),
            summary.output_bytes,
            summary.output_sha256_hex
        );
        println!(
            "bundle: {} bytes, {} entries: {}",
            summary.bundle_bytes,
            summary.entry_ids.len(),
            summary.entry_ids.join(", ")
        );
        println!(
            "canonical module hash: {}",
            summary.canonical_module_hash_hex
        );
        if !summary.manifest_hash_hex.is_empty() {
            println!("manifest hash: {}", summary.manifest_hash_hex);
        }
    }
    Ok(Outcome::Ok)
}

fn build_options(args: &Args) -> Result<CreateOptions, Error> {
    let contents = &args.contents;
    let mut options = CreateOptions {
        wasm: read_capped(&args.wasm)?,
        ..CreateOptions::default()
    };
    if let Some(path) = &contents.manifest {
        options.manifest = ManifestInput::Json(
            format::parse_manifest_json(&read_manifest_text(path)?)
                .map_err(|err| err.context(path.display()))?,
        );
    } else if let Some(path) = &contents.manifest_fb {
        options.manifest = ManifestInput::Bytes(read_input(path, caps::MANIFEST_FLATBUFFER_BYTES)?);
    }
    options.authorization = contents
        .authorization
        .as_deref()
        .map(read_json)
        .transpose()?
        .map(Payload::Json);
    options.signature = contents
        .signature
        .as_deref()
        .map(read_json)
        .transpose()?
        .map(Payload::Json);
    options.transport_envelope = contents
        .transport
        .as_deref()
        .map(read_json)
        .transpose()?
        .map(Payload::Json);
    options.deployment_plan = contents
        .deployment_plan
        .as_deref()
        .map(read_json)
        .transpose()?;
    options.entries = contents
        .entries
        .iter()
        .map(|spec| parse_entry(spec))
        .collect::<Result<_, _>>()?;
    options.bundle_section_name = contents.bundle_section_name.clone();
    options.custom_section_prefix = contents.strip_prefix.clone();
    options.module_format = contents.module_format.clone();
    options.bundle_version = contents.bundle_version.map(f64::from);
    options.manifest_export_symbol = contents.manifest_export_symbol.clone();
    options.manifest_size_symbol = contents.manifest_size_symbol.clone();
    Ok(options)
}

fn read_capped(path: &Path) -> Result<Vec<u8>, Error> {
    read_input(path, caps::MODULE_BYTES)
}

fn read_json(path: &Path) -> Result<Value, Error> {
    space_data_module::js::parse_json_bytes(&read_input(path, caps::JSON_DOCUMENT_BYTES)?)
        .map_err(|err| err.context(path.display()))
}

/// Parses one `--entry` spec (see `ENTRY_HELP`).
pub fn parse_entry(spec: &str) -> Result<EntryInput, Error> {
    let usage = |message: String| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!("--entry {spec:?}: {message}"),
        )
    };
    let mut entry = EntryInput::default();
    let mut file = None;
    for part in split_unescaped(spec) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| usage(format!("`{part}` is not key=value")))?;
        let text = Some(Value::from(value));
        match key.trim() {
            "id" => entry.entry_id = text,
            "file" => file = Some(PathBuf::from(value)),
            "role" => entry.role = text,
            "encoding" => entry.payload_encoding = text,
            "media-type" => entry.media_type = text,
            "section" => entry.section_name = text,
            "description" => entry.description = text,
            other => return Err(usage(format!("unknown key `{other}` (see --help)"))),
        }
    }
    if entry.entry_id.is_none() {
        return Err(usage("id=... is required".into()));
    }
    let file = file.ok_or_else(|| usage("file=... is required".into()))?;
    entry.payload = Some(Payload::Bytes(read_capped(&file)?));
    Ok(entry)
}

/// Splits on commas, keeping `\,` as a literal comma.
fn split_unescaped(spec: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push(',');
                }
            }
            ',' => parts.push(String::new()),
            c => {
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
        }
    }
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_specs_split_with_escaped_commas() {
        assert_eq!(
            split_unescaped(r"id=a,description=x\, y,role=auxiliary"),
            ["id=a", "description=x, y", "role=auxiliary"]
        );
        assert!(parse_entry("id=a").is_err());
        assert!(parse_entry("file=x").is_err());
        assert!(parse_entry("id=a,bogus=1,file=x").is_err());
    }
}
