//! The typed, normalized PluginManifest (`orbpro.manifest`, spec 4.2).
//!
//! This is what [`super::decode`] returns and what the encoder writes. Scalars with a schema
//! default are `Option`: `Some(v)` means "stored in the buffer with value `v`", `None` "not
//! stored, the default applies". The reference decides whether to store a number by comparing
//! it with the default *before* wrapping it to the field width (`maxBatch: 1.5` is stored as
//! 1), so presence cannot be derived from the value; keeping it makes `decode` followed by
//! `encode` reproduce the reference bytes. Use the `*_or_default` accessors for the value a
//! reader sees. Required string fields are plain `String`s.

use super::enums;
pub use crate::fbs::TypeRef;

/// Root table, identifier `PMAN`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginManifest {
    pub plugin_id: String,
    pub name: Option<String>,
    pub version: Option<String>,
    /// `PluginFamily`; not stored means ANALYSIS (3).
    pub plugin_family: Option<u8>,
    pub methods: Vec<MethodManifest>,
    pub capabilities: Vec<HostCapability>,
    pub timers: Vec<TimerSpec>,
    pub protocols: Vec<ProtocolSpec>,
    pub schemas_used: Vec<TypeRef>,
    pub build_artifacts: Vec<BuildArtifact>,
    /// Not stored means 1.
    pub abi_version: Option<u32>,
    /// `InvokeSurface` values (0 direct, 1 command), as stored.
    pub invoke_surfaces: Vec<u8>,
    pub runtime_targets: Vec<String>,
}

impl PluginManifest {
    pub fn plugin_family_or_default(&self) -> u8 {
        self.plugin_family.unwrap_or(enums::PLUGIN_FAMILY_DEFAULT)
    }

    pub fn abi_version_or_default(&self) -> u32 {
        self.abi_version.unwrap_or(enums::ABI_VERSION_DEFAULT)
    }

    /// The method with this id, if any.
    pub fn method(&self, method_id: &str) -> Option<&MethodManifest> {
        self.methods.iter().find(|m| m.method_id == method_id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodManifest {
    pub method_id: String,
    pub display_name: Option<String>,
    pub input_ports: Vec<PortManifest>,
    pub output_ports: Vec<PortManifest>,
    /// Not stored means 1.
    pub max_batch: Option<u32>,
    /// `DrainPolicy`; not stored means DRAIN_UNTIL_YIELD (1).
    pub drain_policy: Option<u8>,
    pub description: Option<String>,
}

impl MethodManifest {
    pub fn max_batch_or_default(&self) -> u32 {
        self.max_batch.unwrap_or(enums::MAX_BATCH_DEFAULT)
    }

    pub fn drain_policy_or_default(&self) -> u8 {
        self.drain_policy.unwrap_or(enums::DRAIN_POLICY_DEFAULT)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortManifest {
    pub port_id: String,
    pub display_name: Option<String>,
    pub accepted_type_sets: Vec<AcceptedTypeSet>,
    /// Not stored means 1.
    pub min_streams: Option<u16>,
    /// Not stored means 1.
    pub max_streams: Option<u16>,
    /// Schema default true (stored only when false).
    pub required: bool,
    pub description: Option<String>,
}

impl Default for PortManifest {
    fn default() -> Self {
        PortManifest {
            port_id: String::new(),
            display_name: None,
            accepted_type_sets: Vec::new(),
            min_streams: None,
            max_streams: None,
            required: true,
            description: None,
        }
    }
}

impl PortManifest {
    pub fn min_streams_or_default(&self) -> u16 {
        self.min_streams.unwrap_or(enums::STREAMS_DEFAULT)
    }

    pub fn max_streams_or_default(&self) -> u16 {
        self.max_streams.unwrap_or(enums::STREAMS_DEFAULT)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcceptedTypeSet {
    pub set_id: String,
    pub allowed_types: Vec<TypeRef>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCapability {
    /// `CapabilityKind`; not stored means CLOCK (0).
    pub capability: Option<u16>,
    pub scope: Option<String>,
    /// Schema default true (stored only when false).
    pub required: bool,
    pub description: Option<String>,
}

impl Default for HostCapability {
    fn default() -> Self {
        HostCapability {
            capability: None,
            scope: None,
            required: true,
            description: None,
        }
    }
}

impl HostCapability {
    pub fn capability_or_default(&self) -> u16 {
        self.capability.unwrap_or(enums::CAPABILITY_DEFAULT)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimerSpec {
    pub timer_id: String,
    pub method_id: String,
    pub input_port_id: Option<String>,
    /// Not stored means 0.
    pub default_interval_ms: Option<u64>,
    pub description: Option<String>,
}

impl TimerSpec {
    pub fn default_interval_ms_or_default(&self) -> u64 {
        self.default_interval_ms.unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolSpec {
    pub protocol_id: String,
    pub method_id: String,
    pub input_port_id: Option<String>,
    pub output_port_id: Option<String>,
    pub description: Option<String>,
    pub wire_id: Option<String>,
    /// Normalized transport kind text (`libp2p`, `http`, `ws`, `wasi-pipe`, or other text).
    pub transport_kind: Option<String>,
    /// Normalized role text (`handle`, `dial`, `both`, or other text).
    pub role: Option<String>,
    pub spec_uri: Option<String>,
    /// Schema default true.
    pub auto_install: bool,
    pub advertise: bool,
    pub discovery_key: Option<String>,
    /// Not stored means 0.
    pub default_port: Option<u16>,
    pub require_secure_transport: bool,
}

impl Default for ProtocolSpec {
    fn default() -> Self {
        ProtocolSpec {
            protocol_id: String::new(),
            method_id: String::new(),
            input_port_id: None,
            output_port_id: None,
            description: None,
            wire_id: None,
            transport_kind: None,
            role: None,
            spec_uri: None,
            auto_install: true,
            advertise: false,
            discovery_key: None,
            default_port: None,
            require_secure_transport: false,
        }
    }
}

impl ProtocolSpec {
    pub fn default_port_or_default(&self) -> u16 {
        self.default_port.unwrap_or(0)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildArtifact {
    pub artifact_id: String,
    pub kind: Option<String>,
    pub path: String,
    pub target: Option<String>,
    pub entry_symbol: Option<String>,
}
