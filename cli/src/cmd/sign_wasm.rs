//! `sign-wasm IN.wasm --key FILE... -o OUT.wasm`: signs a module in the WebAssembly
//! tool-conventions format (`wasmsign2` reads it), keeping the signatures already there.
//! Sign before `protect`: the REC trailer stays outside the signed module.

use std::path::PathBuf;

use serde_json::json;
use space_data_module::Error;
use space_data_module::api::caps;
use space_data_module::api::wasmsig::{self, SignRequest};

use crate::output::{self, Outcome, print_json, read_module};

#[derive(clap::Args)]
pub struct Args {
    /// The module to sign (no REC trailer).
    #[arg(value_name = "IN.wasm")]
    pub input: PathBuf,
    /// An Ed25519 secret key file (`keygen --kind ed25519`, or `wasmsign2 keygen`); repeatable.
    #[arg(long = "key", required = true, num_args = 1..)]
    pub keys: Vec<PathBuf>,
    /// A key identifier stored with the signatures (text).
    #[arg(long)]
    pub key_id: Option<String>,
    /// Split the module into parts first (core sections, then each run of `sds.*` sections):
    /// it then verifies without its bundle (`verify-wasm --allow-partial`) and can be extended.
    #[arg(long)]
    pub split_parts: bool,
    /// Add to this detached signature instead of the module's embedded one.
    #[arg(long, value_name = "SIG")]
    pub signature: Option<PathBuf>,
    /// Write the signature data here instead of embedding it (the module is not changed, but
    /// for the delimiters --split-parts adds; -o is then optional).
    #[arg(long, value_name = "SIG_OUT")]
    pub detached: Option<PathBuf>,
    /// The signed module (written atomically).
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let detached = args.detached.is_some();
    if !detached && args.out.is_none() {
        return Err(Error::new(
            space_data_module::ErrorCode::InvalidArgument,
            "give -o OUT.wasm (or --detached SIG_OUT)",
        ));
    }
    let module = read_module(&args.input)?;
    let existing = match &args.signature {
        Some(path) => Some(output::read_input(path, caps::MODULE_BYTES)?),
        None => None,
    };
    let keys = args
        .keys
        .iter()
        .map(|path| wasmsig::read_secret_key(path))
        .collect::<Result<Vec<_>, _>>()?;
    let signed = wasmsig::sign(
        &SignRequest {
            module: &module,
            existing_signature: existing.as_deref(),
            key_id: args.key_id.as_ref().map(|id| id.as_bytes().to_vec()),
            detached,
            split_parts: args.split_parts,
        },
        &keys.iter().collect::<Vec<_>>(),
    )?;
    if let Some(path) = &args.detached {
        output::write_atomic(path, &signed.signature)?;
    }
    if let Some(out) = &args.out {
        output::write_atomic(out, &signed.module)?;
    }
    let signers: Vec<String> = keys.iter().map(|k| k.public_key().to_hex()).collect();
    if args.json {
        print_json(&json!({
            "signers": signers,
            "parts": signed.parts,
            "outputPath": args.out.as_ref().map(|p| p.display().to_string()),
            "signaturePath": args.detached.as_ref().map(|p| p.display().to_string()),
            "signatureBytes": signed.signature.len(),
        }));
    } else {
        for signer in &signers {
            println!("signer={signer}");
        }
        println!("parts={}", signed.parts);
        if let Some(out) = &args.out {
            println!("outputPath={}", out.display());
        }
        if let Some(path) = &args.detached {
            println!("signaturePath={}", path.display());
        }
    }
    Ok(Outcome::Ok)
}
