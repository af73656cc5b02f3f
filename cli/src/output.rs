//! Shared output plumbing: exit codes, error reporting, file reading and writing, JSON printing.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use space_data_module::Error;
use space_data_module::api::{caps, files};

/// Set once a JSON document went to stdout.
static JSON_PRINTED: AtomicBool = AtomicBool::new(false);

pub const EXIT_CHECK_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// What a verb reports when it did not fail with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// The verb ran to completion but what it checked did not hold.
    CheckFailed,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::CheckFailed => EXIT_CHECK_FAILED,
        }
    }
}

/// Prints the one-line error (naming its stable code) to stderr, and with `--json` the error
/// object `{"error": {"code", "number", "message"}}` to stdout; returns the exit code.
pub fn report_error(err: &Error, json: bool) -> u8 {
    let message = err.message().replace('\n', " ");
    eprintln!("error[{}]: {message}", err.code());
    // A verb that already printed its JSON result (e.g. `open`'s refusal with the partial
    // report) carries the error in it: stdout stays one JSON document.
    if json && !JSON_PRINTED.load(Ordering::Relaxed) {
        print_json(&serde_json::json!({
            "error": {
                "code": err.code().as_str(),
                "number": err.code().number(),
                "message": err.message(),
            }
        }));
    }
    u8::try_from(err.code().class().exit_code()).unwrap_or(9)
}

/// Writes an output file atomically, keeping the target's permission bits.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    files::write_atomic(path, bytes, files::FileMode::Public)
}

/// Writes key material atomically with mode 0600.
pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    files::write_atomic(path, bytes, files::FileMode::Secret)
}

/// Reads a module or artifact (at most the module cap).
pub fn read_module(path: &Path) -> Result<Vec<u8>, Error> {
    caps::read_file_capped(path, caps::MODULE_BYTES)
}

/// Reads a manifest JSON file as text (at most the manifest cap).
pub fn read_manifest_text(path: &Path) -> Result<String, Error> {
    let bytes = caps::read_file_capped(path, caps::MANIFEST_JSON_BYTES)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::new(
            space_data_module::ErrorCode::InvalidJson,
            format!("{}: invalid JSON: not UTF-8", path.display()),
        )
    })
}

/// Reads a JSON document other than a manifest (at most the JSON document cap) as text.
pub fn read_json_text(path: &Path) -> Result<String, Error> {
    let bytes = caps::read_file_capped(path, caps::JSON_DOCUMENT_BYTES)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::new(
            space_data_module::ErrorCode::InvalidJson,
            format!("{}: invalid JSON: not UTF-8", path.display()),
        )
    })
}

/// Reads any other input file with an explicit cap.
pub fn read_input(path: &Path, cap: usize) -> Result<Vec<u8>, Error> {
    caps::read_file_capped(path, cap)
}

/// Prints a value as 2-space indented JSON on stdout.
pub fn print_json(value: &impl serde::Serialize) {
    JSON_PRINTED.store(true, Ordering::Relaxed);
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    println!("{text}");
}
