//! `timers.delay`: blocks the calling thread (the hostcall ABI is synchronous), at most
//! `HostLimits::max_timeout`.

use serde_json::Value;

use crate::ErrorCode;
use crate::host::params::{Params, non_negative_integer};
use crate::host::{Host, HostError};

pub(super) fn delay(host: &Host, params: Params) -> Result<Value, HostError> {
    let value = params.get("ms").or_else(|| params.get("delayMs"));
    let ms = non_negative_integer(value, "Timer duration")?;
    let duration = std::time::Duration::from_millis(ms);
    let cap = host.limits().max_timeout;
    if duration > cap {
        return Err(HostError::new(
            ErrorCode::HostLimitExceeded,
            "RangeError",
            format!("Timer duration exceeds the {} ms limit.", cap.as_millis()),
        ));
    }
    std::thread::sleep(duration);
    Ok(Value::Null)
}
