//! The one clock of the front ends: milliseconds since the Unix epoch.
//!
//! A system clock set before 1970 is an error (`internal`), never silently 0: signatures and
//! authorizations carry this time, and a zero would produce artifacts that look ancient.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Error, ErrorCode, Result};

/// Now, in whole milliseconds since the Unix epoch.
pub fn now_ms() -> Result<i64> {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|err| Error::new(ErrorCode::Internal, format!("system clock: {err}")))?;
    Ok(i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
}

/// [`now_ms`] as the JavaScript number the authorization rules compute with.
pub fn now_ms_f64() -> Result<f64> {
    // Exact: milliseconds since 1970 stay far below 2^53.
    now_ms().map(|ms| ms as f64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clock_is_after_2020_and_does_not_run_backwards_between_reads() {
        let a = super::now_ms().unwrap();
        let b = super::now_ms().unwrap();
        assert!(a > 1_577_836_800_000, "clock reads {a}");
        assert!(b >= a);
    }
}
