//! The loader options `open` and `invoke` share; both call `api::publication::open`, so they
//! trust, decrypt and refuse exactly alike.

use std::path::PathBuf;

use space_data_module::Error;
use space_data_module::api::keys::{self, RecipientKey};
use space_data_module::api::publication::{self, OpenRequest, Opened};

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
    /// Runs the fail-closed loader over `artifact`. The error is about the options (unreadable
    /// key file, malformed key); the loader's verdict is in the returned outcome.
    pub fn open(&self, artifact: &[u8]) -> Result<Opened, Error> {
        let recipient = self
            .decrypt_with
            .as_deref()
            .map(RecipientKey::read_file)
            .transpose()?;
        let request = OpenRequest {
            trusted_signers: keys::trusted_signers(&self.trust)?,
            decrypt_with: recipient.as_ref(),
            allow_unsigned: self.allow_unsigned,
        };
        publication::open(artifact, &request)
    }
}
