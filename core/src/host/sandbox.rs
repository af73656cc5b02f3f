//! The filesystem sandbox (spec 5.5, with the gaps of section 10 item 4 closed).
//!
//! Every access goes through `cap-primitives` (openat-style resolution, `openat2` with
//! `RESOLVE_BENEATH` on Linux), relative to an open handle on the root: `..` past the root, an
//! absolute path, or a symlink whose target lies outside the root is refused with
//! `filesystem-scope-violation` (`HostFilesystemScopeError`). Paths handed back to the guest are
//! relative to the root (`"."` for the root itself), never host paths.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use cap_primitives::fs::{DirOptions, FollowSymlinks, Metadata, OpenOptions};

use crate::ErrorCode;
use crate::host::HostError;

/// A confined view of one directory.
pub struct Sandbox {
    root: File,
}

/// One `readdir` entry.
pub struct Entry {
    pub name: String,
    pub is_file: bool,
    pub is_directory: bool,
}

impl Sandbox {
    /// Opens `root` (it must exist and be a directory).
    pub fn open(root: &Path) -> Result<Sandbox, HostError> {
        cap_primitives::fs::open_ambient_dir(root, cap_primitives::ambient_authority())
            .map(|root| Sandbox { root })
            .map_err(|err| {
                HostError::new(
                    ErrorCode::HostIoFailed,
                    "Error",
                    format!("The filesystem root cannot be opened: {err}."),
                )
            })
    }

    /// Checks `requested` lexically and returns it as a normalized path relative to the root
    /// (empty for the root). `..` may not climb above the root; absolute paths are refused.
    pub fn relative(requested: &str) -> Result<PathBuf, HostError> {
        let mut out = PathBuf::new();
        for component in Path::new(requested).components() {
            match component {
                Component::CurDir => {}
                Component::Normal(name) => out.push(name),
                Component::ParentDir => {
                    if !out.pop() {
                        return Err(scope_error(requested));
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err(scope_error(requested)),
            }
        }
        Ok(out)
    }

    /// The form of a relative path shown to the guest.
    pub fn display(relative: &Path) -> String {
        if relative.as_os_str().is_empty() {
            ".".to_owned()
        } else {
            relative.to_string_lossy().into_owned()
        }
    }

    /// Resolves `relative` through the sandbox when it exists (so a symlink pointing out is
    /// refused); a path that does not exist yet is accepted on its lexical form.
    pub fn check_existing(&self, relative: &Path) -> Result<(), HostError> {
        match cap_primitives::fs::stat(&self.root, at(relative), FollowSymlinks::Yes) {
            Ok(_) => Ok(()),
            Err(err) if is_escape(&err) => Err(scope_error(&Sandbox::display(relative))),
            Err(_) => Ok(()),
        }
    }

    /// The whole file, at most `max_bytes` (`host-limit-exceeded` beyond). Only a regular file
    /// is read: a FIFO, socket or device could block the host thread (the epoch deadline cannot
    /// interrupt a host call) or never end. `deadline` (the invocation's) is checked between
    /// chunks, so a slow filesystem cannot hold the call long past it.
    pub fn read_file(
        &self,
        relative: &Path,
        max_bytes: usize,
        deadline: Option<Instant>,
    ) -> Result<Vec<u8>, HostError> {
        let mut options = OpenOptions::new();
        options.read(true);
        let file = self.open_regular(relative, &mut options, "read")?;
        let cap = u64::try_from(max_bytes).unwrap_or(u64::MAX);
        // Size the buffer from the metadata (bounded by the cap) so the read does not regrow it.
        let expected = file.metadata().map(|m| m.len().min(cap)).unwrap_or(0);
        let mut out = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1));
        let mut limited = file.take(cap.saturating_add(1));
        loop {
            past_deadline(deadline, "read", relative)?;
            let before = out.len();
            (&mut limited)
                .take(READ_CHUNK)
                .read_to_end(&mut out)
                .map_err(|err| io_error("read", relative, &err))?;
            if out.len() == before {
                break;
            }
        }
        if out.len() > max_bytes {
            return Err(HostError::new(
                ErrorCode::HostLimitExceeded,
                "RangeError",
                format!(
                    "File \"{}\" exceeds the {max_bytes}-byte read limit.",
                    Sandbox::display(relative)
                ),
            ));
        }
        Ok(out)
    }

    /// Writes (or appends) `bytes`, creating parent directories. Only into a regular (or new)
    /// file, for the reasons of [`Sandbox::read_file`].
    pub fn write_file(&self, relative: &Path, bytes: &[u8], append: bool) -> Result<(), HostError> {
        self.create_parents(relative)?;
        let mut options = OpenOptions::new();
        options.write(true).create(true);
        if append {
            options.append(true);
        } else {
            options.truncate(true);
        }
        let mut file = self.open_regular(relative, &mut options, "write")?;
        file.write_all(bytes)
            .map_err(|err| io_error("write", relative, &err))
    }

    /// Opens without blocking (`O_NONBLOCK`: opening a FIFO otherwise waits for its other end)
    /// and refuses anything but a regular file. The type is checked on the opened handle, so a
    /// swap between a check and the open cannot slip a FIFO in. For a regular file
    /// `O_NONBLOCK` changes nothing.
    fn open_regular(
        &self,
        relative: &Path,
        options: &mut OpenOptions,
        action: &str,
    ) -> Result<File, HostError> {
        // cap-primitives' `nonblock` (the hook cap-fs-ext exposes; the version is pinned).
        options._cap_fs_ext_nonblock(true);
        let file = cap_primitives::fs::open(&self.root, at(relative), options)
            .map_err(|err| io_error(action, relative, &err))?;
        let metadata = file
            .metadata()
            .map_err(|err| io_error(action, relative, &err))?;
        if !metadata.is_file() {
            return Err(HostError::new(
                ErrorCode::HostIoFailed,
                "Error",
                format!(
                    "Cannot {action} \"{}\": not a regular file.",
                    Sandbox::display(relative)
                ),
            ));
        }
        Ok(file)
    }

    /// Removes a file; a missing file is not an error (`rm --force`).
    pub fn delete_file(&self, relative: &Path) -> Result<(), HostError> {
        match cap_primitives::fs::remove_file(&self.root, at(relative)) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(io_error("delete", relative, &err)),
        }
    }

    /// Creates a directory (with its parents when `recursive`; an existing one is fine then).
    pub fn mkdir(&self, relative: &Path, recursive: bool) -> Result<(), HostError> {
        if recursive {
            self.create_parents(relative)?;
            return self.create_dir_if_missing(relative);
        }
        cap_primitives::fs::create_dir(&self.root, at(relative), &DirOptions::new())
            .map_err(|err| io_error("mkdir", relative, &err))
    }

    /// The entries of a directory (unsorted).
    pub fn readdir(&self, relative: &Path) -> Result<Vec<Entry>, HostError> {
        let entries = cap_primitives::fs::read_dir(&self.root, at(relative))
            .map_err(|err| io_error("readdir", relative, &err))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|err| io_error("readdir", relative, &err))?;
            let kind = entry
                .file_type()
                .map_err(|err| io_error("readdir", relative, &err))?;
            out.push(Entry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_file: kind.is_file(),
                is_directory: kind.is_dir(),
            });
        }
        Ok(out)
    }

    /// Metadata, following symlinks inside the root.
    pub fn stat(&self, relative: &Path) -> Result<Metadata, HostError> {
        cap_primitives::fs::stat(&self.root, at(relative), FollowSymlinks::Yes)
            .map_err(|err| io_error("stat", relative, &err))
    }

    /// Renames, creating the target's parent directories.
    pub fn rename(&self, from: &Path, to: &Path) -> Result<(), HostError> {
        self.create_parents(to)?;
        cap_primitives::fs::rename(&self.root, at(from), &self.root, at(to))
            .map_err(|err| io_error("rename", from, &err))
    }

    fn create_parents(&self, relative: &Path) -> Result<(), HostError> {
        let Some(parent) = relative.parent() else {
            return Ok(());
        };
        let mut partial = PathBuf::new();
        for component in parent.components() {
            partial.push(component);
            self.create_dir_if_missing(&partial)?;
        }
        Ok(())
    }

    fn create_dir_if_missing(&self, relative: &Path) -> Result<(), HostError> {
        if relative.as_os_str().is_empty() {
            return Ok(());
        }
        match cap_primitives::fs::create_dir(&self.root, relative, &DirOptions::new()) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                // Only a directory (possibly through a symlink inside the root) will do.
                match self.stat(relative) {
                    Ok(metadata) if metadata.is_dir() => Ok(()),
                    Ok(_) => Err(io_error("mkdir", relative, &err)),
                    Err(stat_err) => Err(stat_err),
                }
            }
            Err(err) => Err(io_error("mkdir", relative, &err)),
        }
    }
}

/// Bytes read between two deadline checks.
const READ_CHUNK: u64 = 1 << 20;

/// `runtime-timeout` once the invocation's deadline has passed.
fn past_deadline(
    deadline: Option<Instant>,
    action: &str,
    relative: &Path,
) -> Result<(), HostError> {
    match deadline {
        Some(deadline) if Instant::now() >= deadline => Err(HostError::new(
            ErrorCode::RuntimeTimeout,
            "Error",
            format!(
                "Cannot {action} \"{}\": the invocation's time limit was reached.",
                Sandbox::display(relative)
            ),
        )),
        _ => Ok(()),
    }
}

/// cap-primitives wants `.` rather than an empty path for the root itself.
fn at(relative: &Path) -> &Path {
    if relative.as_os_str().is_empty() {
        Path::new(".")
    } else {
        relative
    }
}

/// cap-primitives reports a resolution that would leave the root as this error.
fn is_escape(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::PermissionDenied
        && err.to_string().contains("outside of the filesystem")
}

pub fn scope_error(requested: &str) -> HostError {
    let mut error = HostError::new(
        ErrorCode::FilesystemScopeViolation,
        "HostFilesystemScopeError",
        format!("Path \"{requested}\" escapes the configured filesystem root."),
    );
    // The reference puts this code into the envelope (it is one of its named errors).
    error.reference_code = true;
    error
}

fn io_error(action: &str, relative: &Path, err: &io::Error) -> HostError {
    if is_escape(err) {
        return scope_error(&Sandbox::display(relative));
    }
    // The io error text carries no host path (cap-primitives reports kinds only).
    HostError::new(
        ErrorCode::HostIoFailed,
        "Error",
        format!(
            "Cannot {action} \"{}\": {}.",
            Sandbox::display(relative),
            err.kind()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_check_keeps_paths_inside() {
        assert_eq!(Sandbox::relative("a/../b/./c").unwrap(), Path::new("b/c"));
        assert_eq!(Sandbox::display(&Sandbox::relative(".").unwrap()), ".");
        for bad in ["../x", "/etc/passwd", "a/../../b"] {
            assert_eq!(
                Sandbox::relative(bad).unwrap_err().code,
                ErrorCode::FilesystemScopeViolation,
                "{bad}"
            );
        }
    }
}
