//! Shared output plumbing: exit codes, error reporting, atomic file writes, JSON printing.

use std::io::Write;
use std::path::Path;

use space_data_module::Error;

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

/// Prints the one-line error (naming its stable code) to stderr; returns the exit code.
pub fn report_error(err: &Error) -> u8 {
    let message = err.message().replace('\n', " ");
    eprintln!("error[{}]: {message}", err.code());
    u8::try_from(err.code().class().exit_code()).unwrap_or(9)
}

/// Writes `bytes` to `path` without ever leaving a partial file: a temporary file in the same
/// directory is written, flushed to disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let io_err = |err: std::io::Error| {
        Error::new(
            space_data_module::ErrorCode::Io,
            format!("{}: {err}", path.display()),
        )
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io_err)?;
    tmp.write_all(bytes).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(path).map_err(|err| io_err(err.error))?;
    Ok(())
}

/// Reads a whole input file, naming it in the error.
pub fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|err| {
        Error::new(
            space_data_module::ErrorCode::Io,
            format!("{}: {err}", path.display()),
        )
    })
}

/// Prints a JSON value, 2-space indented, to stdout.
pub fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    println!("{text}");
}
