//! Test support: a way to show that a panic comes back as the `panic` status.

use crate::boundary::{guard, sdm_status};

/// TEST ONLY: calls a core function that panics on purpose. Always returns 6 (`panic`) with
/// a message naming `sdm_debug_force_panic` and the core function; shows that a panic raised
/// inside the core never crosses the C boundary.
#[unsafe(no_mangle)]
pub extern "C" fn sdm_debug_force_panic() -> sdm_status {
    guard(space_data_module::error::debug_force_panic)
}
