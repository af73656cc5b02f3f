//! Where the CLI takes key material from: files named on the command line and the mnemonic
//! environment variable. Formats, parsing and writing are core's (`api::keys`, docs/keys.md).

use std::path::Path;

use space_data_module::Error;
use space_data_module::api::keys::{SigningKey, read_secret_text};
use zeroize::Zeroizing;

/// Environment variable read for the mnemonic when no `--mnemonic-file` is given.
pub const MNEMONIC_ENV: &str = "SPACE_DATA_MODULE_MNEMONIC";

/// The signing key from `--mnemonic-file`, else from the environment variable; `None` when
/// neither is given.
pub fn signer_from_mnemonic_source(
    mnemonic_file: Option<&Path>,
) -> Result<Option<SigningKey>, Error> {
    if let Some(path) = mnemonic_file {
        let phrase = read_secret_text(path)?;
        return SigningKey::from_mnemonic(&phrase)
            .map(Some)
            .map_err(|err| err.context(path.display()));
    }
    match std::env::var(MNEMONIC_ENV) {
        Ok(phrase) => {
            let phrase = Zeroizing::new(phrase);
            SigningKey::from_mnemonic(&phrase)
                .map(Some)
                .map_err(|err| err.context(MNEMONIC_ENV))
        }
        Err(_) => Ok(None),
    }
}
