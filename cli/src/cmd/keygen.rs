//! `keygen`: creates key material and writes it with mode 0600 via a temporary file + rename.
//!
//! - `--kind mnemonic`: a fresh 12-word BIP-39 mnemonic (text file, usable as `--mnemonic-file`);
//! - `--kind signing`: a secp256k1 signing key file, derived at m/44'/0'/0'/0/0 from
//!   `--mnemonic-file` when given, else 32 random bytes;
//! - `--kind recipient`: an X25519 key pair file for `--decrypt-with` (its public key is what
//!   `protect --encrypt-for` takes).
//!
//! Only public keys are printed.

use std::path::PathBuf;

use serde_json::json;
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{SIGNING_PATH, Signer, generate_mnemonic};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::{Error, ErrorCode};
use zeroize::Zeroizing;

use super::keys;
use crate::output::{Outcome, print_json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Mnemonic,
    Signing,
    Recipient,
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
    let (kind, public_key_hex) = match args.kind {
        Kind::Mnemonic => {
            if args.mnemonic_file.is_some() {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    "--mnemonic-file is only used with --kind signing",
                ));
            }
            let phrase = generate_mnemonic(&mut OsRandom)?;
            let signer = Signer::from_mnemonic(&phrase)?;
            keys::write_secret_atomic(
                &args.out,
                Zeroizing::new(format!("{}\n", phrase.as_str())).as_bytes(),
            )?;
            ("mnemonic", signer.public_key_hex())
        }
        Kind::Signing => {
            let (signer, path) = match &args.mnemonic_file {
                Some(file) => (
                    keys::signer_from_mnemonic_source(Some(file))?
                        .ok_or_else(|| Error::new(ErrorCode::Internal, "no signer"))?,
                    Some(SIGNING_PATH),
                ),
                None => {
                    let mut bytes = Zeroizing::new([0u8; 32]);
                    space_data_module::keys::random::RandomSource::fill(
                        &mut OsRandom,
                        &mut bytes[..],
                    )?;
                    (Signer::from_private_key(&bytes[..])?, None)
                }
            };
            keys::write_secret_atomic(&args.out, keys::signing_key_file(&signer, path).as_bytes())?;
            ("signing", signer.public_key_hex())
        }
        Kind::Recipient => {
            if args.mnemonic_file.is_some() {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    "--mnemonic-file is only used with --kind signing",
                ));
            }
            let key = X25519PrivateKey::generate(&mut OsRandom)?;
            keys::write_secret_atomic(&args.out, keys::recipient_key_file(&key).as_bytes())?;
            ("recipient", hex::encode(key.public_key()))
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
