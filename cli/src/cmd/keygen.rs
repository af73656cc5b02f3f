//! `keygen`: creates key material and writes it with mode 0600 via a temporary file + rename.
//!
//! - `--kind mnemonic`: a fresh 12-word BIP-39 mnemonic (text file, usable as `--mnemonic-file`);
//! - `--kind signing`: a secp256k1 signing key file, derived at m/44'/0'/0'/0/0 from
//!   `--mnemonic-file` when given, else 32 random bytes;
//! - `--kind recipient`: an X25519 key pair file for `--decrypt-with` (its public key is what
//!   `protect --encrypt-for` takes);
//! - `--kind ed25519`: an Ed25519 key for `sign-wasm` (65 bytes, `81 ‖ seed ‖ pk`, the format
//!   `wasmsign2` reads), its public key beside it as `OUT.pub` (33 bytes, `01 ‖ pk`).
//!
//! Only public keys are printed.

use std::path::PathBuf;

use serde_json::json;
use space_data_module::api::keys::{RecipientKey, SigningKey};
use space_data_module::{Error, ErrorCode};
use zeroize::Zeroizing;

use super::keys;
use crate::output::{self, Outcome, print_json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Mnemonic,
    Signing,
    Recipient,
    Ed25519,
}

#[derive(clap::Args)]
pub struct Args {
    /// What to create.
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// Derive the signing key from this mnemonic file (only with `--kind signing`).
    #[arg(long)]
    pub mnemonic_file: Option<PathBuf>,
    /// Output file (written 0600, atomically).
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    if args.mnemonic_file.is_some() && args.kind != Kind::Signing {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "--mnemonic-file is only used with --kind signing",
        ));
    }
    let (kind, public_key_hex) = match args.kind {
        Kind::Mnemonic => {
            let phrase = SigningKey::generate_mnemonic()?;
            let key = SigningKey::from_mnemonic(&phrase)?;
            output::write_secret(
                &args.out,
                Zeroizing::new(format!("{}\n", phrase.as_str())).as_bytes(),
            )?;
            ("mnemonic", key.public_key_hex())
        }
        Kind::Signing => {
            let key = match &args.mnemonic_file {
                Some(file) => keys::signer_from_mnemonic_source(Some(file))?
                    .ok_or_else(|| Error::new(ErrorCode::Internal, "no signer"))?,
                None => SigningKey::random()?,
            };
            key.write_file(&args.out)?;
            ("signing", key.public_key_hex())
        }
        Kind::Recipient => {
            let key = RecipientKey::generate()?;
            key.write_file(&args.out)?;
            ("recipient", key.public_key_hex())
        }
        Kind::Ed25519 => {
            let key = space_data_module::api::wasmsig::WasmsigSecretKey::generate()?;
            space_data_module::api::wasmsig::write_key_pair(&args.out, &key)?;
            ("ed25519", key.public_key().to_hex())
        }
    };
    if args.json {
        print_json(
            &json!({"kind": kind, "publicKeyHex": public_key_hex, "outputPath": args.out.display().to_string()}),
        );
    } else {
        println!("kind={kind}");
        println!("publicKeyHex={public_key_hex}");
        println!("outputPath={}", args.out.display());
    }
    Ok(Outcome::Ok)
}
