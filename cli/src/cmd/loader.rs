//! The loader options `open` and `invoke` share (trust, decryption, an optional required
//! tool-conventions signature); both call `api::publication::open`, so they
//! trust, decrypt and refuse exactly alike.

use std::path::{Path, PathBuf};

use space_data_module::Error;
use space_data_module::api::keys::{self, RecipientKey};
use space_data_module::api::publication::{self, OpenRequest, Opened, OpenedFile};
use space_data_module::api::wasmsig;

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
    /// Also require the module's tool-conventions signature (`sign-wasm`) by this Ed25519 key
    /// (hex, or a public key file); repeatable: any one of them, over every part.
    #[arg(long = "wasm-signer", num_args = 1..)]
    pub wasm_signers: Vec<String>,
}

impl LoaderArgs {
    /// Runs the fail-closed loader over `artifact`. The error is about the options (unreadable
    /// key file, malformed key); the loader's verdict is in the returned outcome.
    pub fn open(&self, artifact: &[u8]) -> Result<Opened, Error> {
        let recipient = self.recipient()?;
        publication::open(artifact, &self.request(recipient.as_ref())?)
    }

    /// [`LoaderArgs::open`] of the artifact in `input`, read in chunks, the wasm written to
    /// `output` only when the loader succeeded.
    pub fn open_file(&self, input: &Path, output: &Path) -> Result<OpenedFile, Error> {
        let recipient = self.recipient()?;
        publication::open_file(input, output, &self.request(recipient.as_ref())?)
    }

    fn recipient(&self) -> Result<Option<RecipientKey>, Error> {
        self.decrypt_with
            .as_deref()
            .map(RecipientKey::read_file)
            .transpose()
    }

    fn request<'a>(&self, recipient: Option<&'a RecipientKey>) -> Result<OpenRequest<'a>, Error> {
        Ok(OpenRequest {
            trusted_signers: keys::trusted_signers(&self.trust)?,
            decrypt_with: recipient,
            allow_unsigned: self.allow_unsigned,
            wasm_signers: wasmsig::trusted_keys(&self.wasm_signers)?,
        })
    }
}
