//! `clock.*`: wall clock in ms since the epoch, a monotonic clock, ISO text.

use serde_json::Value;

use crate::host::Host;
use crate::host::cron::iso_string;
use crate::host::params::js_number;

pub(super) fn now() -> Value {
    Value::from(chrono::Utc::now().timestamp_millis())
}

/// Milliseconds (fractional) since the host was created: monotonic, like `performance.now()`
/// (whose origin is process start in Node).
pub(super) fn monotonic_now(host: &Host) -> Value {
    js_number(host.started().elapsed().as_secs_f64() * 1000.0)
}

pub(super) fn now_iso() -> Value {
    Value::from(iso_string(&chrono::Utc::now()))
}
