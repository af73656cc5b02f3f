//! Caps on everything a host operation reads or returns (spec section 10, item 1). Every cap is
//! configurable; exceeding one is `host-limit-exceeded` (or the bridge's own codes).

use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostLimits {
    /// Largest `sdn_host` operation name (`host-request-too-large`). Default 256 bytes.
    pub max_operation_bytes: usize,
    /// Largest `sdn_host` payload (`host-request-too-large`). Default 65,536 (the reference's).
    pub max_request_bytes: usize,
    /// Largest `sdn_host` response envelope (`host-response-too-large`). Default 1 MiB.
    pub max_response_bytes: usize,
    /// Most bytes read from one file, socket, HTTP body, message or child stream. Default 16 MiB.
    pub max_read_bytes: usize,
    /// Most bytes `random.bytes` returns (checked before allocating). Default 65,536.
    pub max_random_bytes: usize,
    /// Timeout of network and process operations that give none. Default 30 s.
    pub default_timeout: Duration,
    /// Longest timeout a caller may ask for. Default 5 minutes.
    pub max_timeout: Duration,
}

impl Default for HostLimits {
    fn default() -> Self {
        HostLimits {
            max_operation_bytes: 256,
            max_request_bytes: 65_536,
            max_response_bytes: 1 << 20,
            max_read_bytes: 16 << 20,
            max_random_bytes: 65_536,
            default_timeout: Duration::from_secs(30),
            max_timeout: Duration::from_secs(300),
        }
    }
}

impl HostLimits {
    /// The timeout to use for a request that asked for `requested_ms` (None: the default).
    pub fn timeout(&self, requested_ms: Option<u64>) -> Duration {
        match requested_ms {
            Some(ms) if ms > 0 => Duration::from_millis(ms).min(self.max_timeout),
            _ => self.default_timeout,
        }
    }

    /// These limits with every timeout cut to the time left before `deadline` (the
    /// invocation's), so an operation that takes its own timeout cannot outlive the call. At
    /// least 1 ms is left: a zero timeout means "none" to some clients.
    pub fn within(&self, deadline: Option<Instant>) -> HostLimits {
        let mut limits = self.clone();
        if let Some(deadline) = deadline {
            let left = deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1));
            limits.default_timeout = limits.default_timeout.min(left);
            limits.max_timeout = limits.max_timeout.min(left);
        }
        limits
    }
}
