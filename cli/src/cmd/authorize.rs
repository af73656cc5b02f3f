//! `authorize`: creates and signs a deployment authorization (spec 11.2/11.4).
//!
//! Options come from `--options FILE` (the reference's `createDeploymentAuthorization` options as
//! JSON; unknown members are refused) and/or flags, flags winning. The signer is `--key FILE`
//! (signing key file) or `--mnemonic-file FILE` / `$SPACE_DATA_MODULE_MNEMONIC` (path
//! m/44'/0'/0'/0/0).

use std::path::PathBuf;

use space_data_module::api::authorization::{self, AuthorizationOptions, SignerInfo};
use space_data_module::api::keys::SigningKey;
use space_data_module::{Error, ErrorCode};

use super::keys;
use crate::output::{self, Outcome, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// JSON file with createDeploymentAuthorization options.
    #[arg(long)]
    pub options: Option<PathBuf>,
    #[arg(long)]
    pub artifact_id: Option<String>,
    #[arg(long)]
    pub program_id: Option<String>,
    /// Hex SHA-256 of the wasm (`graphHash`).
    #[arg(long)]
    pub graph_hash: Option<String>,
    /// Hex SHA-256 of the manifest FlatBuffer.
    #[arg(long)]
    pub manifest_hash: Option<String>,
    /// Target URL.
    #[arg(long)]
    pub target: Option<String>,
    /// A granted capability; repeatable.
    #[arg(long = "capability")]
    pub capabilities: Vec<String>,
    /// Lifetime in milliseconds (default 300000).
    #[arg(long)]
    pub ttl_ms: Option<u64>,
    /// `protected.keyId`.
    #[arg(long)]
    pub key_id: Option<String>,
    /// Signing key file.
    #[arg(long, conflicts_with = "mnemonic_file")]
    pub key: Option<PathBuf>,
    /// Mnemonic file.
    #[arg(long)]
    pub mnemonic_file: Option<PathBuf>,
    /// Print the envelope on stdout too.
    #[arg(long)]
    pub json: bool,
    /// Output file for the envelope JSON.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let key = match &args.key {
        Some(path) => SigningKey::read_file(path)?,
        None => {
            keys::signer_from_mnemonic_source(args.mnemonic_file.as_deref())?.ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidArgument,
                    format!(
                        "authorize needs --key, --mnemonic-file or ${}",
                        keys::MNEMONIC_ENV
                    ),
                )
            })?
        }
    };
    let mut options = match &args.options {
        Some(path) => AuthorizationOptions::from_json(&output::read_json_text(path)?)
            .map_err(|err| err.context(path.display()))?,
        None => AuthorizationOptions::default(),
    };
    let flags = [
        (&mut options.artifact_id, &args.artifact_id),
        (&mut options.program_id, &args.program_id),
        (&mut options.graph_hash, &args.graph_hash),
        (&mut options.manifest_hash, &args.manifest_hash),
    ];
    for (slot, flag) in flags {
        if flag.is_some() {
            slot.clone_from(flag);
        }
    }
    if let Some(target) = &args.target {
        options.target = Some(target.clone().into());
    }
    if !args.capabilities.is_empty() {
        options.capabilities = Some(args.capabilities.clone());
    }
    if let Some(ttl) = args.ttl_ms {
        options.ttl_ms = Some(ttl as f64);
    }
    let signer_info = SignerInfo {
        derivation_path: key.derivation_path.clone(),
        key_id: args.key_id.clone(),
    };
    let envelope = authorization::create(&options, &key, Some(&signer_info))?;
    let text = serde_json::to_string_pretty(&envelope)
        .map_err(|err| Error::new(ErrorCode::Internal, err.to_string()))?;
    output::write_atomic(&args.out, format!("{text}\n").as_bytes())?;
    if args.json {
        print_json(&envelope);
    } else {
        println!("signerPublicKeyHex={}", key.public_key_hex());
        println!("outputPath={}", args.out.display());
    }
    Ok(Outcome::Ok)
}
