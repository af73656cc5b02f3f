//! Test support: a way to show that a panic comes back as the `panic` status. Compiled only
//! with the `test-hooks` feature (the Makefile's test builds); the header declares it only
//! when `SDM_TEST_HOOKS` is defined, so programs built against a release never see it.

use crate::boundary::{guard, sdm_status};

/// TEST ONLY (feature `test-hooks`, header guard `SDM_TEST_HOOKS`): calls a core function
/// that panics on purpose. Always returns `SDM_ERR_PANIC` (6) with a message naming
/// `sdm_debug_force_panic` and the core function; shows that a panic raised inside the core
/// never crosses the C boundary.
#[unsafe(no_mangle)]
pub extern "C" fn sdm_debug_force_panic() -> sdm_status {
    guard(space_data_module::error::debug_force_panic)
}
