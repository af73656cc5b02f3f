//! `verify-wasm IN.wasm --trust KEY...`: verifies a module's tool-conventions signature
//! (embedded, or `--signature SIG` detached) against trusted Ed25519 keys. A module of which
//! only a prefix is signed is refused unless `--allow-partial`.

use std::path::PathBuf;

use space_data_module::Error;
use space_data_module::api::caps;
use space_data_module::api::wasmsig::{self, VerifyOptions};

use crate::output::{self, Outcome, print_json, read_module};

#[derive(clap::Args)]
pub struct Args {
    /// The signed module.
    #[arg(value_name = "IN.wasm")]
    pub input: PathBuf,
    /// A trusted Ed25519 public key (64 or 66 hex digits) or a public key file; repeatable.
    #[arg(long = "trust", required = true, num_args = 1..)]
    pub trust: Vec<String>,
    /// A detached signature (the module then has no `signature` section).
    #[arg(long, value_name = "SIG")]
    pub signature: Option<PathBuf>,
    /// Accept a module of which only a prefix is signed (the report says how much).
    #[arg(long)]
    pub allow_partial: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let trusted = wasmsig::trusted_keys(&args.trust)?;
    let module = read_module(&args.input)?;
    let detached = match &args.signature {
        Some(path) => Some(output::read_input(path, caps::MODULE_BYTES)?),
        None => None,
    };
    let report = wasmsig::verify(
        &module,
        detached.as_deref(),
        &trusted,
        VerifyOptions {
            allow_partial: args.allow_partial,
        },
    )?;
    if args.json {
        print_json(&report);
    } else {
        for signer in &report.signers {
            println!("signer={signer}");
        }
        println!(
            "verified={} of {} parts ({} bytes){}",
            report.verified_parts,
            report.parts,
            report.verified_bytes,
            if report.complete { "" } else { ", PARTIAL" }
        );
    }
    Ok(Outcome::Ok)
}
