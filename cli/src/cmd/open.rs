//! `open IN --trust KEY... [--decrypt-with KEYFILE] [--allow-unsigned] [--json] -o OUT.wasm`:
//! the fail-closed loader. The wasm is written (atomically) only when every check passed.
//! On refusal the exit code is the error class's (security: 7; wasm: 5) and, with `--json`, the
//! partial report is printed.

use std::path::PathBuf;

use serde_json::json;
use space_data_module::Error;

use super::loader::LoaderArgs;
use crate::output::{self, Outcome, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// The protected artifact.
    pub input: PathBuf,
    #[command(flatten)]
    pub loader: LoaderArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Where to write the plain wasm.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let bytes = output::read_input(&args.input)?;
    match args.loader.open(&bytes)? {
        Ok(opened) => {
            output::write_atomic(&args.out, &opened.wasm)?;
            if args.json {
                let mut report = opened.report.to_json();
                if let Some(map) = report.as_object_mut() {
                    map.insert("outcome".into(), json!("ok"));
                    map.insert("outputPath".into(), json!(args.out.display().to_string()));
                }
                print_json(&report);
            } else {
                let signer = opened
                    .report
                    .signature
                    .as_ref()
                    .map_or("none", |s| s.signer_public_key_hex.as_str());
                println!("outcome=ok");
                println!("signer={signer}");
                println!("encrypted={}", opened.report.enc.is_some());
                println!("wasmBytes={}", opened.wasm.len());
                println!("outputPath={}", args.out.display());
            }
            Ok(Outcome::Ok)
        }
        Err(failure) => {
            if args.json {
                print_json(&json!({
                    "outcome": "error",
                    "errorClass": failure.error.code().as_str(),
                    "detail": failure.error.message(),
                    "partial": failure.partial.to_json(),
                }));
            }
            Err(failure.error)
        }
    }
}
