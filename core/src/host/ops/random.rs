//! `random.bytes`: OS randomness, capped before anything is allocated.

use serde_json::Value;

use crate::ErrorCode;
use crate::host::params::{Params, encode_bytes};
use crate::host::{Host, HostError};

pub(super) fn bytes(host: &Host, params: Params) -> Result<Value, HostError> {
    let length = params.non_negative_integer("length", "Random byte length")?;
    let cap = host.limits().max_random_bytes;
    let length = usize::try_from(length)
        .ok()
        .filter(|length| *length <= cap)
        .ok_or_else(|| {
            HostError::new(
                ErrorCode::HostLimitExceeded,
                "RangeError",
                format!("Random byte length exceeds the {cap}-byte limit."),
            )
        })?;
    let mut out = vec![0u8; length];
    getrandom::getrandom(&mut out).map_err(|err| {
        HostError::new(
            ErrorCode::HostOperationFailed,
            "Error",
            format!("The random source failed: {err}."),
        )
    })?;
    Ok(encode_bytes(&out))
}
