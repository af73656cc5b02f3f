//! `protect --manifest M --wasm W [--single-file-bundle] [--encrypt-for PUBKEY]
//! [--mnemonic-file F] [--json] -o OUT`: signs (and optionally bundles and encrypts) a module and
//! writes the protected artifact atomically.
//!
//! The signing mnemonic comes from `--mnemonic-file` or `$SPACE_DATA_MODULE_MNEMONIC`, never
//! from the command line; an invalid one is an error (exit 7, `key-invalid`), never replaced by
//! a fresh key. Nothing secret is printed.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use space_data_module::keys::random::OsRandom;
use space_data_module::keys::x25519::x25519_public_from_hex;
use space_data_module::publication::{ProtectOptions, protect};
use space_data_module::{Error, ErrorCode};

use super::keys;
use crate::output::{self, Outcome, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// The manifest JSON file.
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
    let recipient_public_key = args
        .encrypt_for
        .as_deref()
        .map(x25519_public_from_hex)
        .transpose()?;
    let manifest = space_data_module::js::parse_json_bytes(&output::read_input(&args.manifest)?)?;
    let wasm = output::read_input(&args.wasm)?;
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
    let options = ProtectOptions {
        manifest,
        wasm,
        single_file_bundle: args.single_file_bundle,
        recipient_public_key,
        artifact_id: None,
        target: serde_json::Value::Null,
        capabilities: None,
        now_ms,
    };
    let protected = protect(&options, &signer, &mut OsRandom)?;
    output::write_atomic(&args.out, &protected.protected_artifact_bytes)?;
    if args.json {
        let mut result = protected.to_json();
        if let Some(map) = result.as_object_mut() {
            map.insert("outputPath".into(), args.out.display().to_string().into());
        }
        print_json(&result);
    } else {
        println!(
            "artifactId={}",
            protected.payload["artifactId"].as_str().unwrap_or_default()
        );
        println!("signingPublicKeyHex={}", protected.signing_public_key_hex);
        println!("encrypted={}", protected.encrypted);
        println!("singleFileBundle={}", args.single_file_bundle);
        println!(
            "protectedBytes={}",
            protected.protected_artifact_bytes.len()
        );
        println!("outputPath={}", args.out.display());
    }
    Ok(Outcome::Ok)
}
