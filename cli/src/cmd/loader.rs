//! The loader options `open` and `invoke` share, and the one place the CLI calls
//! `publication::open`, so both verbs trust, decrypt and refuse exactly alike.

use std::path::PathBuf;

use space_data_module::Error;
use space_data_module::publication::{self, OpenFailure, OpenPolicy, Opened};

use super::keys;

#[derive(clap::Args)]
pub struct LoaderArgs {
    /// A trusted signer public key (hex) or a file holding one; repeatable.
    #[arg(long = "trust", num_args = 1..)]
    pub trust: Vec<String>,
    /// Recipient key file (`keygen --kind recipient`) for an encrypted artifact.
    #[arg(long)]
    pub decrypt_with: Option<PathBuf>,
    /// Accept an artifact without trailer or signature (signatures present are still verified).
    #[arg(long)]
    pub allow_unsigned: bool,
}

impl LoaderArgs {
    /// Runs the fail-closed loader over `artifact`. The outer error is about the options
    /// (unreadable key file, malformed key); the inner result is the loader's verdict.
    pub fn open(&self, artifact: &[u8]) -> Result<Result<Opened, OpenFailure>, Error> {
        let trusted_signers = self
            .trust
            .iter()
            .map(|t| keys::trusted_key(t))
            .collect::<Result<Vec<_>, _>>()?;
        let recipient = self
            .decrypt_with
            .as_deref()
            .map(keys::read_recipient_key)
            .transpose()?;
        let policy = OpenPolicy {
            trusted_signers,
            require_signature: !self.allow_unsigned,
            ..OpenPolicy::default()
        };
        Ok(publication::open(artifact, &policy, recipient.as_ref()))
    }
}
