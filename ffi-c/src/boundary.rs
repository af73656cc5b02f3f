//! The call boundary: status codes, the per-thread last error, and `catch_unwind` at every
//! entry so that no panic crosses into C.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use space_data_module::{Error, ErrorCode};

use crate::codes::{SDM_ERR_PANIC, SDM_OK, code_name};

/// Result of every fallible `sdm_` function: `SDM_OK` (0) on success, otherwise the stable
/// number of a core error code, one of the `SDM_ERR_*` constants (docs/errors.md);
/// `SDM_ERR_PANIC` (6) when a panic was caught at the boundary.
#[allow(non_camel_case_types)]
pub type sdm_status = u32;

/// The ABI version. It changes whenever a declaration of the header changes in a way that
/// breaks a caller built against the previous header (a function's parameters or result, a
/// struct layout, a constant's meaning, a removed function); adding a function or an error
/// code does not change it (docs/c-abi.md, "ABI version"). 2: keys carry their length.
pub const SDM_ABI_VERSION: u32 = 2;

struct LastError {
    code: sdm_status,
    message: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn set_last_error(code: sdm_status, message: &str) {
    // Interior NUL bytes cannot cross a C string; they are replaced, never truncate silently.
    let message = CString::new(message.replace('\0', "\u{FFFD}")).unwrap_or_default();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(LastError { code, message }));
}

fn clear_last_error() {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = None);
}

/// Runs one entry point: clears the last error, catches panics, and turns an `Err` into its
/// status (recording the message for `sdm_last_error_message`).
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Error>) -> sdm_status {
    clear_last_error();
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => SDM_OK,
        Ok(Err(error)) => {
            let code = error.code().number();
            // The message alone: the code travels as the status (and `sdm_error_code_name`);
            // `Error`'s Display would prefix "[name] " and every binding would show it twice.
            set_last_error(code, error.message());
            code
        }
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_owned());
            set_last_error(
                SDM_ERR_PANIC,
                &format!("caught at the C boundary: {detail}"),
            );
            SDM_ERR_PANIC
        }
    }
}

/// An `invalid-argument` error.
pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

/// The ABI version of the loaded library (compare with `SDM_ABI_VERSION` from the header).
#[unsafe(no_mangle)]
pub extern "C" fn sdm_abi_version() -> u32 {
    SDM_ABI_VERSION
}

/// The status of the last failed `sdm_` call on this thread, or 0 when the last call succeeded.
#[unsafe(no_mangle)]
pub extern "C" fn sdm_last_error_code() -> sdm_status {
    LAST_ERROR.with(|slot| slot.borrow().as_ref().map_or(SDM_OK, |last| last.code))
}

/// The stable kebab-case name of an error code (docs/errors.md), e.g. "invalid-argument" for
/// `SDM_ERR_INVALID_ARGUMENT` (4): a static NUL-terminated string, valid for the life of the
/// process; never free it. NULL for `SDM_OK` (0) and for a number that is no code of this
/// library. Never fails, and does not change the last error (safe to call while handling one).
#[unsafe(no_mangle)]
pub extern "C" fn sdm_error_code_name(code: sdm_status) -> *const c_char {
    code_name(code).map_or(std::ptr::null(), CStr::as_ptr)
}

/// The message of the last failed `sdm_` call on this thread (UTF-8, NUL-terminated), or ""
/// when the last call succeeded. The pointer stays valid until the next `sdm_` call on the
/// same thread; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn sdm_last_error_message() -> *const c_char {
    LAST_ERROR.with(|slot| match slot.borrow().as_ref() {
        // The CString lives in the thread-local until the next call replaces it.
        Some(last) => last.message.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// Releases a handle created with `Box::into_raw`. NULL is accepted. A panic in a destructor
/// must not cross the boundary, and a `_free` has no status to report it with, so it is
/// swallowed here.
///
/// # Safety
/// `handle` is NULL or came from `Box::into_raw(Box<T>)` and is not yet freed nor in use.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    if handle.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: caller contract: the pointer came from `Box::into_raw`.
        drop(unsafe { Box::from_raw(handle) });
    }));
}
