//! `timers.delay`: blocks the calling thread (the hostcall ABI is synchronous), at most
//! `HostLimits::max_timeout`, and never past the invocation's deadline: the epoch deadline
//! cannot interrupt a host call, so the sleep itself must stop there.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::ErrorCode;
use crate::host::params::{Params, non_negative_integer};
use crate::host::{Host, HostError};

pub(super) fn delay(
    host: &Host,
    params: Params,
    deadline: Option<Instant>,
) -> Result<Value, HostError> {
    let value = params.get("ms").or_else(|| params.get("delayMs"));
    let ms = non_negative_integer(value, "Timer duration")?;
    let duration = Duration::from_millis(ms);
    let cap = host.limits().max_timeout;
    if duration > cap {
        return Err(HostError::new(
            ErrorCode::HostLimitExceeded,
            "RangeError",
            format!("Timer duration exceeds the {} ms limit.", cap.as_millis()),
        ));
    }
    let left = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
    match left {
        Some(left) if duration > left => {
            // Sleep to the deadline, as a busy guest would have run to it, then fail the way
            // the runtime does there.
            std::thread::sleep(left);
            Err(HostError::new(
                ErrorCode::RuntimeTimeout,
                "Error",
                format!(
                    "Timer duration of {ms} ms exceeds the invocation's time limit; it ended at the deadline."
                ),
            ))
        }
        _ => {
            std::thread::sleep(duration);
            Ok(Value::Null)
        }
    }
}
