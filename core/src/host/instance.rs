//! [`Host`]: a policy, the effective grants, the context store, and the dispatcher.

use std::collections::BTreeSet;
use std::time::Instant;

use serde_json::Value;

use crate::ErrorCode;
use crate::host::capabilities::{self, INFO_OPERATIONS, LOCAL_OPERATIONS};
use crate::host::context_store::ContextStore;
use crate::host::policy::HostPolicy;
use crate::host::{HostError, HostLimits, net, ops};

/// A host: what a guest (or the embedder) may do, and the operations that do it.
///
/// `Send + Sync`: share it in an `Arc` between runtimes, stores and threads. Its only mutable
/// state is the context store (behind a lock).
pub struct Host {
    policy: HostPolicy,
    /// Effective grants: the policy's, intersected with the manifest's when built by
    /// [`Host::for_manifest`].
    granted: BTreeSet<String>,
    context: ContextStore,
    started: Instant,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("granted", &self.granted)
            .field("filesystem_root", &self.policy.filesystem_root)
            .finish_non_exhaustive()
    }
}

impl Host {
    /// A host granting exactly what `policy` grants (the embedder vouches for the guest).
    pub fn new(policy: HostPolicy) -> Host {
        let granted = policy.granted.clone();
        Host::with_grants(policy, granted)
    }

    /// A host for one module: an operation runs only when the manifest declares its
    /// capability **and** the policy grants it (deny by default).
    pub fn for_manifest<S: AsRef<str>>(policy: HostPolicy, declared: &[S]) -> Host {
        let granted = declared
            .iter()
            .map(|id| crate::js::js_trim(id.as_ref()).to_owned())
            .filter(|id| policy.granted.contains(id))
            .collect();
        Host::with_grants(policy, granted)
    }

    fn with_grants(policy: HostPolicy, granted: BTreeSet<String>) -> Host {
        Host {
            context: ContextStore::new(&policy.context_store),
            policy,
            granted,
            started: Instant::now(),
        }
    }

    pub fn policy(&self) -> &HostPolicy {
        &self.policy
    }

    pub fn limits(&self) -> &HostLimits {
        &self.policy.limits
    }

    pub(crate) fn context(&self) -> &ContextStore {
        &self.context
    }

    pub(crate) fn started(&self) -> Instant {
        self.started
    }

    /// The effective grants, sorted.
    pub fn granted_capabilities(&self) -> Vec<String> {
        self.granted.iter().cloned().collect()
    }

    /// The 21 capability ids this host knows, sorted.
    pub fn supported_capabilities() -> Vec<String> {
        let mut ids: Vec<String> = capabilities::SUPPORTED
            .iter()
            .map(|id| (*id).to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// True when `capability` is effectively granted.
    pub fn has_capability(&self, capability: &str) -> bool {
        self.granted.contains(capability)
    }

    /// The operations that can actually run here: the `host.*` ones, plus every operation whose
    /// capability is granted and whose policy leaves it something to do (a filesystem root for
    /// `filesystem.*`, an allowed command for `exec.execFile`, allowed hosts for a network
    /// protocol). In table order.
    pub fn list_operations(&self) -> Vec<String> {
        let guarded = LOCAL_OPERATIONS.iter().chain(net::OPERATIONS);
        INFO_OPERATIONS
            .iter()
            .copied()
            .chain(
                guarded
                    .filter(|(operation, capability)| {
                        self.has_capability(capability) && self.policy_allows(operation)
                    })
                    .map(|(operation, _)| *operation),
            )
            .map(str::to_owned)
            .collect()
    }

    fn policy_allows(&self, operation: &str) -> bool {
        let net = &self.policy.net;
        let family = operation.split('.').next().unwrap_or("");
        match family {
            "filesystem" => self.policy.filesystem_root.is_some(),
            "exec" => !self.policy.exec.allowed_commands.is_empty(),
            "http" => !net.http.hosts.is_empty(),
            "websocket" => !net.websocket.hosts.is_empty(),
            "mqtt" => !net.mqtt.hosts.is_empty(),
            "tcp" => !net.tcp.hosts.is_empty(),
            "udp" => !net.udp.hosts.is_empty(),
            "tls" => !net.tls.hosts.is_empty(),
            _ => true,
        }
    }

    /// `host-capability-unsupported` for an unknown id, `host-capability-denied` for a
    /// supported one that is not granted (both name `HostCapabilityError`, with the capability
    /// and the operation).
    pub fn assert_capability(&self, capability: &str, operation: &str) -> Result<(), HostError> {
        if !capabilities::is_supported(capability) {
            return Err(HostError::denied(
                ErrorCode::HostCapabilityUnsupported,
                "HostCapabilityError",
                format!("Capability \"{capability}\" is not supported by this host."),
                operation,
                capability,
            ));
        }
        if !self.has_capability(capability) {
            return Err(HostError::denied(
                ErrorCode::HostCapabilityDenied,
                "HostCapabilityError",
                format!("Capability \"{capability}\" is not granted for this host."),
                operation,
                capability,
            ));
        }
        Ok(())
    }

    /// Runs one operation. The capability is checked first, so a denied call has no side
    /// effect and its parameters are not even looked at. `params` is the JSON the guest sent
    /// (`null` when it sent nothing).
    ///
    /// Errors: `host-operation-unknown`, `host-capability-*`, then the operation's own.
    pub fn invoke(&self, operation: &str, params: &Value) -> Result<Value, HostError> {
        self.invoke_with_deadline(operation, params, None)
    }

    /// [`Host::invoke`] for an invocation that must end by `deadline` (the runtime passes its
    /// wall-clock limit; a host call cannot be interrupted by the engine): `timers.delay` stops
    /// there with `runtime-timeout`, file reads check it between chunks, and network and
    /// `exec` timeouts are cut to the time left.
    pub fn invoke_with_deadline(
        &self,
        operation: &str,
        params: &Value,
        deadline: Option<Instant>,
    ) -> Result<Value, HostError> {
        let operation = crate::js::js_trim(operation);
        if operation.is_empty() {
            return Err(HostError::invalid_params("Host operation is required."));
        }
        match capabilities::capability_of(operation) {
            None => Err(HostError::new(
                ErrorCode::HostOperationUnknown,
                "Error",
                format!("Unknown host operation \"{operation}\"."),
            )),
            Some(None) => ops::dispatch(self, operation, params, deadline),
            Some(Some(capability)) => {
                self.assert_capability(capability, operation)?;
                if net::OPERATIONS.iter().any(|(name, _)| *name == operation) {
                    let limits = self.policy.limits.within(deadline);
                    net::invoke(operation, params, &self.policy.net, &limits)
                } else {
                    ops::dispatch(self, operation, params, deadline)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn host_is_shareable() {
        assert_send_sync::<Host>();
    }

    #[test]
    fn default_policy_grants_nothing_and_lists_only_info_operations() {
        let host = Host::new(HostPolicy::default());
        assert!(host.granted_capabilities().is_empty());
        assert_eq!(host.list_operations(), INFO_OPERATIONS);
        let err = host.invoke("clock.now", &Value::Null).unwrap_err();
        assert_eq!(err.code, ErrorCode::HostCapabilityDenied);
        assert_eq!(err.capability.as_deref(), Some("clock"));
        assert_eq!(err.operation.as_deref(), Some("clock.now"));
        assert_eq!(
            host.assert_capability("teleport", "x.y").unwrap_err().code,
            ErrorCode::HostCapabilityUnsupported
        );
    }

    #[test]
    fn manifest_grants_are_the_intersection() {
        let policy = HostPolicy::new().grant_all(["clock", "random"]);
        let host = Host::for_manifest(policy, &["clock", "filesystem", "bogus"]);
        assert_eq!(host.granted_capabilities(), vec!["clock"]);
        assert!(host.invoke("clock.now", &json!(null)).is_ok());
        assert_eq!(
            host.invoke("random.bytes", &json!({"length": 1}))
                .unwrap_err()
                .code,
            ErrorCode::HostCapabilityDenied
        );
        // Listing: the operations of granted capabilities only.
        let listed = host.list_operations();
        assert!(listed.contains(&"clock.nowIso".to_owned()));
        assert!(!listed.contains(&"random.bytes".to_owned()));
    }

    #[test]
    fn capability_is_checked_before_params() {
        let host = Host::new(HostPolicy::default());
        // Invalid params, but the denial comes first.
        let err = host
            .invoke("random.bytes", &json!({"length": -1}))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::HostCapabilityDenied);
    }
}
