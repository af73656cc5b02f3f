//! WASI `path_symlink` with a confined target (issue 13, item 6).
//!
//! wasmtime-wasi keeps every *path* a guest resolves inside its preopens and refuses absolute
//! link targets, but it stores any relative target as given: a guest with a read-write preopen
//! could leave `link -> ../outside` behind, which a host program (a backup tool, a later run
//! with another preopen) would follow out of the granted directory.
//!
//! This shadows the import: a target must be relative and made of plain names only (no `..`),
//! so it can only point into the directory that holds the link or below it. `..` is refused
//! even where it would stay lexically inside (`sub/../x`): a component before it may itself be
//! a symlink, and the kernel resolves that before climbing. A refused call returns errno `perm`
//! (what wasmtime-wasi answers for other escapes) and creates nothing; an accepted one runs
//! wasmtime-wasi's own implementation, called the way its synchronous linker glue calls it
//! (wasmtime-wasi and wiggle are pinned to one version, so that glue is known).

use std::path::{Component, Path};

use wasmtime::{AsContextMut, Caller, Extern, Linker};
use wasmtime_wasi::p1::wasi_snapshot_preview1::{self as preview1, WasiSnapshotPreview1};

use super::store::StoreState;

const MODULE: &str = "wasi_snapshot_preview1";
const NAME: &str = "path_symlink";
/// WASI preview 1 errno `perm`.
const ERRNO_PERM: i32 = 63;

/// Replaces wasmtime-wasi's `path_symlink` in `linker` with the checking one.
pub(crate) fn confine(linker: &mut Linker<StoreState>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let result = linker.func_wrap(MODULE, NAME, path_symlink).map(|_| ());
    linker.allow_shadowing(false);
    result
}

fn path_symlink(
    mut caller: Caller<'_, StoreState>,
    target_ptr: i32,
    target_len: i32,
    fd: i32,
    link_ptr: i32,
    link_len: i32,
) -> wasmtime::Result<i32> {
    // The guest's memory, as wiggle's glue finds it (a guest without one gets its error).
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        wasmtime::bail!("missing required memory export");
    };
    let fuel = caller.as_context_mut().hostcall_fuel();
    let (data, state) = memory.data_and_store_mut(&mut caller);
    // An unreadable or non-UTF-8 target goes on to wasmtime-wasi, which reports it.
    if let Some(target) = guest_str(data, target_ptr, target_len)
        && !stays_below(target)
    {
        return Ok(ERRNO_PERM);
    }
    let wasi = &mut state.wasi;
    wasi.set_hostcall_fuel(fuel);
    let mut guest_memory = wiggle::GuestMemory::Unshared(data);
    wasmtime_wasi::runtime::in_tokio(preview1::path_symlink(
        wasi,
        &mut guest_memory,
        target_ptr,
        target_len,
        fd,
        link_ptr,
        link_len,
    ))
}

/// True when `target`, taken relative to the link's directory, names that directory or
/// something below it whatever the symlinks along the way: relative, plain names only.
pub(crate) fn stays_below(target: &str) -> bool {
    Path::new(target)
        .components()
        .all(|component| matches!(component, Component::Normal(_) | Component::CurDir))
}

/// `[ptr, ptr + len)` of guest memory as UTF-8, if it is that.
fn guest_str(memory: &[u8], ptr: i32, len: i32) -> Option<&str> {
    let start = usize::try_from(ptr).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    std::str::from_utf8(memory.get(start..end)?).ok()
}

#[cfg(test)]
mod tests {
    use super::stays_below;

    #[test]
    fn only_plain_relative_targets_stay_below() {
        for good in ["x", "a/b", "./a", "a/./b", "a/", ""] {
            assert!(stays_below(good), "{good}");
        }
        for bad in [
            "..",
            "../x",
            "a/../b",
            "a/../..",
            "/etc/passwd",
            "/",
            "./..",
        ] {
            assert!(!stays_below(bad), "{bad}");
        }
    }
}
