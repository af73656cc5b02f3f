//! `verify-authorization ENVELOPE --trust KEY...`: verifies a deployment authorization against
//! trusted keys (spec 11.7) with expiry, a clock-skew window and optional expectations.

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use space_data_module::Error;
use space_data_module::api::authorization::{self, VerifyRequest};
use space_data_module::api::keys;

use crate::output::{self, Outcome, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// The authorization envelope JSON file.
    pub envelope: PathBuf,
    /// A trusted signer public key (hex) or a file holding one; repeatable.
    #[arg(long = "trust", num_args = 1..)]
    pub trust: Vec<String>,
    /// The time to verify at, ms since the epoch (default: now).
    #[arg(long)]
    pub now_ms: Option<f64>,
    /// Tolerated clock skew in ms (default 0).
    #[arg(long, default_value_t = 0.0)]
    pub clock_skew_ms: f64,
    #[arg(long)]
    pub artifact_id: Option<String>,
    #[arg(long)]
    pub program_id: Option<String>,
    #[arg(long)]
    pub graph_hash: Option<String>,
    #[arg(long)]
    pub manifest_hash: Option<String>,
    #[arg(long)]
    pub target_id: Option<String>,
    #[arg(long)]
    pub audience: Option<String>,
    /// A capability that must be granted; repeatable.
    #[arg(long = "require-capability")]
    pub required_capabilities: Vec<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let trusted = keys::trusted_signers(&args.trust)?;
    let envelope = output::read_json_text(&args.envelope)?;
    let mut artifact = Map::new();
    for (key, value) in [
        ("artifactId", &args.artifact_id),
        ("programId", &args.program_id),
        ("graphHash", &args.graph_hash),
        ("manifestHash", &args.manifest_hash),
    ] {
        if let Some(value) = value {
            artifact.insert(key.into(), Value::from(value.clone()));
        }
    }
    let request = VerifyRequest {
        now: args.now_ms,
        clock_skew_ms: Some(args.clock_skew_ms),
        artifact: Some(Value::Object(artifact)),
        target: Some(json!({"id": args.target_id, "audience": args.audience})),
        required_capabilities: Some(args.required_capabilities.clone()),
    };
    let verified = authorization::verify(&envelope, &trusted, &request)?;
    if args.json {
        print_json(&verified);
    } else {
        println!("outcome=ok");
        println!("signerPublicKeyHex={}", verified.signer_public_key_hex);
    }
    Ok(Outcome::Ok)
}
