//! `authorize`: creates and signs a deployment authorization (spec 11.2/11.4).
//!
//! Options come from `--options FILE` (the reference's `createDeploymentAuthorization` options as
//! JSON) and/or flags, flags winning. The signer is `--key FILE` (signing key file) or
//! `--mnemonic-file FILE` / `$SPACE_DATA_MODULE_MNEMONIC` (path m/44'/0'/0'/0/0).

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use space_data_module::auth::{SignerHeader, create_authorization, sign_authorization};
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::SIGNING_PATH;
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

pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let (signer, derivation_path) = match &args.key {
        Some(path) => keys::read_signing_key(path)?,
        None => {
            let signer = keys::signer_from_mnemonic_source(args.mnemonic_file.as_deref())?
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidArgument,
                        format!(
                            "authorize needs --key, --mnemonic-file or ${}",
                            keys::MNEMONIC_ENV
                        ),
                    )
                })?;
            (signer, Some(SIGNING_PATH.to_owned()))
        }
    };
    let mut options = match &args.options {
        Some(path) => space_data_module::js::parse_json_bytes(&output::read_input(path)?)?,
        None => Value::Object(Map::new()),
    };
    let map = options
        .as_object_mut()
        .ok_or_else(|| Error::new(ErrorCode::InvalidJson, "--options must hold a JSON object"))?;
    let flags = [
        ("artifactId", args.artifact_id.clone()),
        ("programId", args.program_id.clone()),
        ("graphHash", args.graph_hash.clone()),
        ("manifestHash", args.manifest_hash.clone()),
        ("target", args.target.clone()),
    ];
    for (key, value) in flags {
        if let Some(value) = value {
            map.insert(key.into(), Value::from(value));
        }
    }
    if !args.capabilities.is_empty() {
        map.insert(
            "capabilities".into(),
            Value::from(args.capabilities.clone()),
        );
    }
    if let Some(ttl) = args.ttl_ms {
        map.insert("ttlMs".into(), Value::from(ttl));
    }
    let payload = create_authorization(&options, now_ms(), &mut OsRandom)?;
    let header = SignerHeader {
        derivation_path,
        key_id: args.key_id.clone(),
    };
    let envelope = sign_authorization(&payload, &signer, &header)?;
    let text = serde_json::to_string_pretty(&envelope)
        .map_err(|err| Error::new(ErrorCode::Internal, err.to_string()))?;
    output::write_atomic(&args.out, format!("{text}\n").as_bytes())?;
    if args.json {
        print_json(&envelope);
    } else {
        println!("signerPublicKeyHex={}", signer.public_key_hex());
        println!("outputPath={}", args.out.display());
    }
    Ok(Outcome::Ok)
}
