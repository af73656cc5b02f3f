//! `protect --manifest M --wasm W [--single-file-bundle] [--encrypt-for PUBKEY]
//! [--mnemonic-file F] [--json] -o OUT`: signs (and optionally bundles and encrypts) a module and
//! writes the protected artifact atomically.
//!
//! The signing mnemonic comes from `--mnemonic-file` or `$SPACE_DATA_MODULE_MNEMONIC`, never
//! from the command line; an invalid one is an error (exit 7, `key-invalid`), never replaced by
//! a fresh key. Nothing secret is printed.

use std::path::PathBuf;

use space_data_module::api::keys::recipient_public_key_hex;
use space_data_module::api::publication::{ProtectRequest, protect};
use space_data_module::{Error, ErrorCode};

use super::keys;
use crate::output::{self, Outcome, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// The manifest JSON file (at most 4 MiB).
    #[arg(long)]
    pub manifest: PathBuf,
    /// The module to protect.
    #[arg(long)]
    pub wasm: PathBuf,
    /// Embed manifest and signed authorization in an `sds.bundle` section first.
    #[arg(long)]
    pub single_file_bundle: bool,
    /// Encrypt for this X25519 recipient public key (exactly 64 hex digits).
    #[arg(long)]
    pub encrypt_for: Option<String>,
    /// File holding the BIP-39 signing mnemonic (else `$SPACE_DATA_MODULE_MNEMONIC`).
    #[arg(long)]
    pub mnemonic_file: Option<PathBuf>,
    /// Print the result as JSON (no secrets).
    #[arg(long)]
    pub json: bool,
    /// Where to write the protected artifact.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let signer =
        keys::signer_from_mnemonic_source(args.mnemonic_file.as_deref())?.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("protect needs --mnemonic-file or ${}", keys::MNEMONIC_ENV),
            )
        })?;
    let encrypt_for = args
        .encrypt_for
        .as_deref()
        .map(recipient_public_key_hex)
        .transpose()?;
    let manifest = output::read_manifest_text(&args.manifest)?;
    let wasm = output::read_module(&args.wasm)?;
    let protected = protect(
        &ProtectRequest {
            wasm: &wasm,
            manifest_json: &manifest,
            single_file_bundle: args.single_file_bundle,
            encrypt_for,
        },
        &signer,
    )?;
    output::write_atomic(&args.out, protected.artifact())?;
    if args.json {
        print_json(&protected.result());
    } else {
        println!("artifactId={}", protected.artifact_id());
        println!("signingPublicKeyHex={}", protected.signing_public_key_hex());
        println!("encrypted={}", protected.encrypted());
        println!("singleFileBundle={}", args.single_file_bundle);
        println!("protectedBytes={}", protected.artifact().len());
        println!("outputPath={}", args.out.display());
    }
    Ok(Outcome::Ok)
}
