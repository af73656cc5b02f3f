//! Test support: a way to show that a panic comes back as the `panic` status.

use crate::boundary::{guard, sdm_status};

/// TEST ONLY: panics inside the library on purpose. Always returns 6 (`panic`) with the
/// message "panic: sdm_debug_force_panic"; shows that no panic crosses the C boundary.
#[unsafe(no_mangle)]
pub extern "C" fn sdm_debug_force_panic() -> sdm_status {
    guard(|| panic!("sdm_debug_force_panic"))
}
