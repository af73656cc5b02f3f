//! `open IN --trust KEY... [--decrypt-with KEYFILE] [--allow-unsigned] [--json] -o OUT.wasm`:
//! the fail-closed loader. The wasm is written (atomically) only when every check passed.
//! On refusal the exit code is the error class's (security: 7; wasm: 5) and, with `--json`, the
//! outcome with the partial report is printed (the `open-outcome` schema).

use std::path::PathBuf;

use space_data_module::Error;

use super::loader::LoaderArgs;
use crate::output::{Outcome, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// The protected artifact.
    pub input: PathBuf,
    #[command(flatten)]
    pub loader: LoaderArgs,
    /// Print the outcome and report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Where to write the plain wasm.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    // Read from the file in chunks: an artifact of any size opens in bounded memory.
    let opened = args.loader.open_file(&args.input, &args.out)?;
    if args.json {
        print_json(&opened.outcome);
    }
    let outcome = opened.outcome.clone();
    let wasm_length = opened.into_result()?;
    if !args.json {
        let signer = outcome
            .report
            .signature
            .as_ref()
            .map_or("none", |s| s.signer_public_key_hex.as_str());
        println!("outcome=ok");
        println!("signer={signer}");
        println!("encrypted={}", outcome.report.enc.is_some());
        println!("wasmBytes={wasm_length}");
        println!("outputPath={}", args.out.display());
    }
    Ok(Outcome::Ok)
}
