//! What lives as long as one lab server: the session's keys and the runtime modules run in.
//!
//! The keys are generated at start and never leave memory unless the user asks to download
//! one (`POST /api/keys/download`); every other response carries public keys only. Nothing
//! writes them to disk.

use std::sync::OnceLock;

use space_data_module::Error;
use space_data_module::api::keys::{RecipientKey, SigningKey};
use space_data_module::api::{Runtime, RuntimeConfig};

pub struct Session {
    /// Signs what `protect` produces unless a request brings its own key.
    pub signing: SigningKey,
    /// What `protect` encrypts for, and `open` decrypts with, unless a request says otherwise.
    pub recipient: RecipientKey,
    /// Created on the first invoke: starting wasmtime is not free, and many sessions never run
    /// a module.
    runtime: OnceLock<Runtime>,
    /// Whether clang for wasm32-wasi was found at start (the compile endpoint needs it).
    pub compiler_available: bool,
}

impl Session {
    pub fn new() -> Result<Session, Error> {
        Ok(Session {
            // A random key rather than a mnemonic: the mnemonic would be a second secret to keep.
            signing: SigningKey::random()?,
            recipient: RecipientKey::generate()?,
            runtime: OnceLock::new(),
            compiler_available: space_data_module::compiler::Toolchain::detect().is_ok(),
        })
    }

    /// The shared runtime (one engine and module cache for every request).
    pub fn runtime(&self) -> Result<&Runtime, Error> {
        if let Some(runtime) = self.runtime.get() {
            return Ok(runtime);
        }
        let runtime = Runtime::new(RuntimeConfig::default())?;
        // Two first calls may race: the loser's runtime is dropped, both use the winner's.
        Ok(self.runtime.get_or_init(|| runtime))
    }
}
