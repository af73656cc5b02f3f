//! What the embedder allows: the [`HostPolicy`]. The default grants nothing.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::host::limits::HostLimits;
use crate::host::net::NetPolicy;

/// Which programs `exec.execFile` may run and with which environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecPolicy {
    /// Programs a guest may run, compared exactly with the guest's `file` (a path such as
    /// `/bin/echo` or a bare name resolved through `PATH`). Empty: nothing runs.
    pub allowed_commands: Vec<String>,
    /// Pass the host process's environment to the child (default false: the child starts with
    /// an empty environment plus [`ExecPolicy::env`]).
    pub inherit_env: bool,
    /// Variables always set for the child (after the inherited ones).
    pub env: Vec<(String, String)>,
    /// Let the guest add variables with the `env` parameter (default false: a guest `env` is
    /// refused with `host-command-denied`, since e.g. `LD_PRELOAD` would run guest-chosen code).
    pub allow_guest_env: bool,
}

/// Where `context.*` keeps its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ContextStoreChoice {
    /// In memory, per [`crate::host::Host`] (the default).
    #[default]
    Memory,
    /// A JSON file `{scope: {key: value}}`, loaded on first use and rewritten atomically
    /// (temporary file, fsync, rename) after every change.
    JsonFile(PathBuf),
}

/// The embedder's host policy. `HostPolicy::default()` grants no capability, has no filesystem
/// root, allows no network target and no command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPolicy {
    /// Capability ids granted (explicitly; nothing by default).
    pub granted: BTreeSet<String>,
    /// The directory `filesystem.*` is confined to (and the working directory of `exec`).
    /// `None`: every filesystem operation fails with `host-io-failed`.
    pub filesystem_root: Option<PathBuf>,
    pub net: NetPolicy,
    pub exec: ExecPolicy,
    pub context_store: ContextStoreChoice,
    pub limits: HostLimits,
    /// What `host.runtimeTarget` answers. Default `"node"`: the operation set is a superset of
    /// the reference Node host's, and guests written for it test this value.
    pub runtime_target: String,
}

impl Default for HostPolicy {
    fn default() -> Self {
        HostPolicy {
            granted: BTreeSet::new(),
            filesystem_root: None,
            net: NetPolicy::default(),
            exec: ExecPolicy::default(),
            context_store: ContextStoreChoice::default(),
            limits: HostLimits::default(),
            runtime_target: "node".to_owned(),
        }
    }
}

impl HostPolicy {
    /// The empty policy (same as `default()`), as the start of a builder chain.
    pub fn new() -> Self {
        HostPolicy::default()
    }

    /// Grants one capability id (trimmed; empty ids are ignored).
    pub fn grant(mut self, capability: &str) -> Self {
        let id = capability.trim();
        if !id.is_empty() {
            self.granted.insert(id.to_owned());
        }
        self
    }

    /// Grants several capability ids.
    pub fn grant_all<'a>(self, capabilities: impl IntoIterator<Item = &'a str>) -> Self {
        capabilities.into_iter().fold(self, HostPolicy::grant)
    }

    pub fn filesystem_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.filesystem_root = Some(root.into());
        self
    }

    /// Allows one command for `exec.execFile`.
    pub fn allow_command(mut self, command: &str) -> Self {
        self.exec.allowed_commands.push(command.to_owned());
        self
    }

    pub fn exec_policy(mut self, exec: ExecPolicy) -> Self {
        self.exec = exec;
        self
    }

    pub fn net(mut self, net: NetPolicy) -> Self {
        self.net = net;
        self
    }

    /// Keeps `context.*` values in a JSON file.
    pub fn context_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.context_store = ContextStoreChoice::JsonFile(path.into());
        self
    }

    pub fn limits(mut self, limits: HostLimits) -> Self {
        self.limits = limits;
        self
    }
}
