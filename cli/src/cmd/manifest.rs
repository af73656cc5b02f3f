//! `manifest encode|decode`: the PluginManifest (`PMAN`) codec on files.

use std::path::PathBuf;

use serde_json::json;
use sha2::{Digest, Sha256};
use space_data_module::api::{caps, format};
use space_data_module::{Error, ErrorCode};

use crate::output::{self, Outcome};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Encode a JSON manifest into PMAN FlatBuffer bytes (warnings go to stderr).
    Encode(EncodeArgs),
    /// Decode PMAN FlatBuffer bytes into the reference's decoded JSON (2-space indented).
    Decode(DecodeArgs),
}

#[derive(clap::Args)]
struct EncodeArgs {
    /// The manifest JSON file.
    input: PathBuf,
    /// Where to write the FlatBuffer (written atomically; nothing is written on failure).
    #[arg(short, long)]
    output: PathBuf,
    /// Print `{"bytes":N,"sha256":hex,"warnings":[...]}` to stdout.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct DecodeArgs {
    /// The PMAN FlatBuffer file.
    input: PathBuf,
    /// Write the JSON to this file (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    match args.command {
        Command::Encode(args) => encode(&args),
        Command::Decode(args) => decode(&args),
    }
}

fn encode(args: &EncodeArgs) -> Result<Outcome, Error> {
    let text = output::read_manifest_text(&args.input)?;
    let encoded = format::encode_manifest(&text)?;
    for warning in &encoded.warnings {
        eprintln!("warning: {warning}");
    }
    output::write_atomic(&args.output, &encoded.bytes)?;
    if args.json {
        output::print_json(&json!({
            "bytes": encoded.bytes.len(),
            "sha256": hex::encode(Sha256::digest(&encoded.bytes)),
            "warnings": encoded.warnings,
        }));
    }
    Ok(Outcome::Ok)
}

fn decode(args: &DecodeArgs) -> Result<Outcome, Error> {
    let bytes = output::read_input(&args.input, caps::MANIFEST_FLATBUFFER_BYTES)?;
    let decoded = format::decode_manifest(&bytes)?;
    match &args.output {
        Some(path) => {
            let mut text = serde_json::to_string_pretty(&decoded).map_err(|err| {
                Error::new(ErrorCode::Internal, format!("cannot render JSON: {err}"))
            })?;
            text.push('\n');
            output::write_atomic(path, text.as_bytes())?;
        }
        None => output::print_json(&decoded),
    }
    Ok(Outcome::Ok)
}
