//! Writing output files so that nothing half-written is ever seen.
//!
//! A temporary file `.NAME.sdm-tmp.PID.RANDOM` is written beside the target, flushed to disk
//! and renamed over it. The target keeps its permission bits (a 0644 file stays 0644); secret
//! files are created 0600 before any byte is written. Temporary files of our own naming left
//! by a process that no longer exists (killed during a write) are removed by the next write
//! to the same target.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, ErrorCode, Result};

/// Who may read the written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    /// Keep the target's permission bits; a new file gets the usual 0644 (less the umask).
    Public,
    /// Owner only (0600), also when the target existed with wider bits: key material.
    Secret,
}

const TEMP_MARKER: &str = ".sdm-tmp.";

fn io_error(path: &Path, err: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("{}: {err}", path.display()))
}

/// Writes `bytes` to `path` atomically (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: FileMode) -> Result<()> {
    let mut file = AtomicFile::create(path, mode)?;
    file.file()
        .write_all(bytes)
        .map_err(|err| io_error(path, err))?;
    file.commit()
}

/// An output file written in several steps that appears at its path only when committed:
/// dropped without [`AtomicFile::commit`], nothing is left behind. While it is written it is
/// readable by its owner only (0600), whatever its final mode: its content is not yet vouched
/// for (e.g. a module decrypted before the loader's verdict).
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    mode: FileMode,
}

impl AtomicFile {
    /// Creates the temporary file beside `path`.
    pub fn create(path: &Path, mode: FileMode) -> Result<Self> {
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidArgument,
                    format!("{}: not a file path", path.display()),
                )
            })?
            .to_string_lossy()
            .into_owned();
        remove_stale_temp_files(dir, &name);
        let prefix = format!(".{name}{TEMP_MARKER}{}.", std::process::id());
        // tempfile creates the file 0600 on Unix.
        let tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .tempfile_in(dir)
            .map_err(|err| io_error(path, err))?;
        Ok(AtomicFile {
            tmp,
            path: path.to_owned(),
            mode,
        })
    }

    /// The temporary file, to write (and read back) its content.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    /// Gives the file its mode, flushes it to disk and renames it over the target.
    pub fn commit(self) -> Result<()> {
        let path = &self.path;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let bits = match self.mode {
                FileMode::Secret => 0o600,
                FileMode::Public => std::fs::metadata(path)
                    .map(|meta| meta.permissions().mode() & 0o7777)
                    .unwrap_or_else(|_| 0o666 & !current_umask()),
            };
            self.tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(bits))
                .map_err(|err| io_error(path, err))?;
        }
        #[cfg(not(unix))]
        let _ = self.mode;
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|err| io_error(path, err))?;
        self.tmp
            .persist(path)
            .map_err(|err| io_error(path, err.error))?;
        Ok(())
    }
}

// `mode_t` is u32 on Linux but u16 elsewhere (macOS): the conversion is for those.
#[cfg(unix)]
// `mode_t` is u32 on Linux but u16 on macOS: the conversion is useless on one platform only.
#[allow(clippy::useless_conversion)]
fn current_umask() -> u32 {
    // The umask can only be read by setting it; the process's own value is put straight back.
    // SAFETY: `umask` has no memory-safety preconditions.
    let mask = unsafe { libc::umask(0o022) };
    // SAFETY: as above.
    unsafe { libc::umask(mask) };
    // `mode_t` is u32 on Linux but u16 on macOS: the conversion is for the latter.
    #[allow(clippy::useless_conversion)]
    u32::from(mask)
}

/// Removes `.NAME.sdm-tmp.PID.*` files whose writer process is gone.
fn remove_stale_temp_files(dir: &Path, name: &str) {
    let prefix = format!(".{name}{TEMP_MARKER}");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_exists(pid) {
            let stale: PathBuf = entry.path();
            let _ = std::fs::remove_file(stale);
        }
    }
}

fn process_exists(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without a cheap liveness check, keep the file: removing a live writer's file is worse.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn overwriting_keeps_the_targets_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.wasm");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&path, b"new", FileMode::Public).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        write_atomic(&path, b"secret", FileMode::Secret).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn stale_temp_files_of_a_dead_writer_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wasm");
        // PID 0x7fff_fff0 is above Linux's pid_max: never a live process.
        let stale = dir.path().join(".a.wasm.sdm-tmp.2147483632.XyZ");
        let other = dir.path().join(".b.wasm.sdm-tmp.2147483632.XyZ");
        let foreign = dir.path().join(".a.wasm.tmpXYZ");
        for file in [&stale, &other, &foreign] {
            std::fs::write(file, b"partial").unwrap();
        }
        write_atomic(&path, b"x", FileMode::Public).unwrap();
        assert!(!stale.exists(), "a stale temp file of this target must go");
        assert!(
            other.exists(),
            "another target's temp file is not ours to remove"
        );
        assert!(foreign.exists(), "files of other naming are left alone");
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // The write itself left no temporary file behind.
        assert_eq!(
            left,
            [".a.wasm.tmpXYZ", ".b.wasm.sdm-tmp.2147483632.XyZ", "a.wasm"]
        );
    }
}
