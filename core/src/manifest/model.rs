//! The typed, normalized PluginManifest (`orbpro.manifest`, spec 4.2).
//!
//! This is what [`super::decode`] returns and what the encoder writes. Scalars with a schema
//! default are `Option`: `Some(v)` means "stored in the buffer with value `v`", `None` "not
//! stored, the default applies". The reference decides whether to store a number by comparing
//! it with the default *before* wrapping it to the field width (`maxBatch: 1.5` is stored as
//! 1), so presence cannot be derived from the value; keeping it makes `decode` followed by
//! `encode` reproduce the reference bytes. Use the `*_or_default` accessors for the value a
//! reader sees. Required string fields are plain strings (`S`), optional ones `Option<S>`.
//!
//! Each struct is generic over how it holds text (`S`) and bytes (`B`): the owned model
//! ([`PluginManifest`], `String` and `Vec<u8>`) is what most code uses; the borrowed view
//! ([`PluginManifestRef`], `&str` and `&[u8]` pointing into the FlatBuffer) is what
//! [`super::decode_ref`] returns without copying a byte. The encoder takes either.

use super::enums;
pub use crate::fbs::{TypeRef, TypeRefOf, TypeRefRef};

/// The owned manifest.
pub type PluginManifest = PluginManifestOf<String, Vec<u8>>;
/// A manifest borrowed from its `PMAN` buffer (see [`super::decode_ref`]).
pub type PluginManifestRef<'a> = PluginManifestOf<&'a str, &'a [u8]>;
pub type MethodManifest = MethodManifestOf<String, Vec<u8>>;
pub type MethodManifestRef<'a> = MethodManifestOf<&'a str, &'a [u8]>;
pub type PortManifest = PortManifestOf<String, Vec<u8>>;
pub type PortManifestRef<'a> = PortManifestOf<&'a str, &'a [u8]>;
pub type AcceptedTypeSet = AcceptedTypeSetOf<String, Vec<u8>>;
pub type AcceptedTypeSetRef<'a> = AcceptedTypeSetOf<&'a str, &'a [u8]>;
pub type HostCapability = HostCapabilityOf<String>;
pub type HostCapabilityRef<'a> = HostCapabilityOf<&'a str>;
pub type TimerSpec = TimerSpecOf<String>;
pub type TimerSpecRef<'a> = TimerSpecOf<&'a str>;
pub type ProtocolSpec = ProtocolSpecOf<String>;
pub type ProtocolSpecRef<'a> = ProtocolSpecOf<&'a str>;
pub type BuildArtifact = BuildArtifactOf<String>;
pub type BuildArtifactRef<'a> = BuildArtifactOf<&'a str>;

/// Text of any storage as an owned `String`.
fn own<S: Into<String>>(text: S) -> String {
    text.into()
}

fn own_opt<S: Into<String>>(text: Option<S>) -> Option<String> {
    text.map(Into::into)
}

/// Root table, identifier `PMAN`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginManifestOf<S, B> {
    pub plugin_id: S,
    pub name: Option<S>,
    pub version: Option<S>,
    /// `PluginFamily`; not stored means ANALYSIS (3).
    pub plugin_family: Option<u8>,
    pub methods: Vec<MethodManifestOf<S, B>>,
    pub capabilities: Vec<HostCapabilityOf<S>>,
    pub timers: Vec<TimerSpecOf<S>>,
    pub protocols: Vec<ProtocolSpecOf<S>>,
    pub schemas_used: Vec<TypeRefOf<S, B>>,
    pub build_artifacts: Vec<BuildArtifactOf<S>>,
    /// Not stored means 1.
    pub abi_version: Option<u32>,
    /// `InvokeSurface` values (0 direct, 1 command), as stored.
    pub invoke_surfaces: B,
    pub runtime_targets: Vec<S>,
}

impl<S, B> PluginManifestOf<S, B> {
    pub fn plugin_family_or_default(&self) -> u8 {
        self.plugin_family.unwrap_or(enums::PLUGIN_FAMILY_DEFAULT)
    }

    pub fn abi_version_or_default(&self) -> u32 {
        self.abi_version.unwrap_or(enums::ABI_VERSION_DEFAULT)
    }

    /// The method with this id, if any.
    pub fn method(&self, method_id: &str) -> Option<&MethodManifestOf<S, B>>
    where
        S: AsRef<str>,
    {
        self.methods
            .iter()
            .find(|m| m.method_id.as_ref() == method_id)
    }

    /// The owned manifest (copies every borrowed string and byte vector).
    pub fn into_owned(self) -> PluginManifest
    where
        S: Into<String>,
        B: Into<Vec<u8>>,
    {
        PluginManifest {
            plugin_id: own(self.plugin_id),
            name: own_opt(self.name),
            version: own_opt(self.version),
            plugin_family: self.plugin_family,
            methods: self
                .methods
                .into_iter()
                .map(MethodManifestOf::into_owned)
                .collect(),
            capabilities: self
                .capabilities
                .into_iter()
                .map(HostCapabilityOf::into_owned)
                .collect(),
            timers: self
                .timers
                .into_iter()
                .map(TimerSpecOf::into_owned)
                .collect(),
            protocols: self
                .protocols
                .into_iter()
                .map(ProtocolSpecOf::into_owned)
                .collect(),
            schemas_used: self
                .schemas_used
                .into_iter()
                .map(TypeRefOf::into_owned)
                .collect(),
            build_artifacts: self
                .build_artifacts
                .into_iter()
                .map(BuildArtifactOf::into_owned)
                .collect(),
            abi_version: self.abi_version,
            invoke_surfaces: self.invoke_surfaces.into(),
            runtime_targets: self.runtime_targets.into_iter().map(own).collect(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodManifestOf<S, B> {
    pub method_id: S,
    pub display_name: Option<S>,
    pub input_ports: Vec<PortManifestOf<S, B>>,
    pub output_ports: Vec<PortManifestOf<S, B>>,
    /// Not stored means 1.
    pub max_batch: Option<u32>,
    /// `DrainPolicy`; not stored means DRAIN_UNTIL_YIELD (1).
    pub drain_policy: Option<u8>,
    pub description: Option<S>,
}

impl<S, B> MethodManifestOf<S, B> {
    pub fn max_batch_or_default(&self) -> u32 {
        self.max_batch.unwrap_or(enums::MAX_BATCH_DEFAULT)
    }

    pub fn into_owned(self) -> MethodManifest
    where
        S: Into<String>,
        B: Into<Vec<u8>>,
    {
        MethodManifest {
            method_id: own(self.method_id),
            display_name: own_opt(self.display_name),
            input_ports: self
                .input_ports
                .into_iter()
                .map(PortManifestOf::into_owned)
                .collect(),
            output_ports: self
                .output_ports
                .into_iter()
                .map(PortManifestOf::into_owned)
                .collect(),
            max_batch: self.max_batch,
            drain_policy: self.drain_policy,
            description: own_opt(self.description),
        }
    }

    pub fn drain_policy_or_default(&self) -> u8 {
        self.drain_policy.unwrap_or(enums::DRAIN_POLICY_DEFAULT)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortManifestOf<S, B> {
    pub port_id: S,
    pub display_name: Option<S>,
    pub accepted_type_sets: Vec<AcceptedTypeSetOf<S, B>>,
    /// Not stored means 1.
    pub min_streams: Option<u16>,
    /// Not stored means 1.
    pub max_streams: Option<u16>,
    /// Schema default true (stored only when false).
    pub required: bool,
    pub description: Option<S>,
}

impl<S: Default, B> Default for PortManifestOf<S, B> {
    fn default() -> Self {
        PortManifestOf {
            port_id: S::default(),
            display_name: None,
            accepted_type_sets: Vec::new(),
            min_streams: None,
            max_streams: None,
            required: true,
            description: None,
        }
    }
}

impl<S, B> PortManifestOf<S, B> {
    pub fn into_owned(self) -> PortManifest
    where
        S: Into<String>,
        B: Into<Vec<u8>>,
    {
        PortManifest {
            port_id: own(self.port_id),
            display_name: own_opt(self.display_name),
            accepted_type_sets: self
                .accepted_type_sets
                .into_iter()
                .map(AcceptedTypeSetOf::into_owned)
                .collect(),
            min_streams: self.min_streams,
            max_streams: self.max_streams,
            required: self.required,
            description: own_opt(self.description),
        }
    }

    pub fn min_streams_or_default(&self) -> u16 {
        self.min_streams.unwrap_or(enums::STREAMS_DEFAULT)
    }

    pub fn max_streams_or_default(&self) -> u16 {
        self.max_streams.unwrap_or(enums::STREAMS_DEFAULT)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcceptedTypeSetOf<S, B> {
    pub set_id: S,
    pub allowed_types: Vec<TypeRefOf<S, B>>,
    pub description: Option<S>,
}

impl<S, B> AcceptedTypeSetOf<S, B> {
    pub fn into_owned(self) -> AcceptedTypeSet
    where
        S: Into<String>,
        B: Into<Vec<u8>>,
    {
        AcceptedTypeSet {
            set_id: own(self.set_id),
            allowed_types: self
                .allowed_types
                .into_iter()
                .map(TypeRefOf::into_owned)
                .collect(),
            description: own_opt(self.description),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCapabilityOf<S> {
    /// `CapabilityKind`; not stored means CLOCK (0).
    pub capability: Option<u16>,
    pub scope: Option<S>,
    /// Schema default true (stored only when false).
    pub required: bool,
    pub description: Option<S>,
}

impl<S> Default for HostCapabilityOf<S> {
    fn default() -> Self {
        HostCapabilityOf {
            capability: None,
            scope: None,
            required: true,
            description: None,
        }
    }
}

impl<S> HostCapabilityOf<S> {
    pub fn capability_or_default(&self) -> u16 {
        self.capability.unwrap_or(enums::CAPABILITY_DEFAULT)
    }

    pub fn into_owned(self) -> HostCapability
    where
        S: Into<String>,
    {
        HostCapability {
            capability: self.capability,
            scope: own_opt(self.scope),
            required: self.required,
            description: own_opt(self.description),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimerSpecOf<S> {
    pub timer_id: S,
    pub method_id: S,
    pub input_port_id: Option<S>,
    /// Not stored means 0.
    pub default_interval_ms: Option<u64>,
    pub description: Option<S>,
}

impl<S> TimerSpecOf<S> {
    pub fn default_interval_ms_or_default(&self) -> u64 {
        self.default_interval_ms.unwrap_or(0)
    }

    pub fn into_owned(self) -> TimerSpec
    where
        S: Into<String>,
    {
        TimerSpec {
            timer_id: own(self.timer_id),
            method_id: own(self.method_id),
            input_port_id: own_opt(self.input_port_id),
            default_interval_ms: self.default_interval_ms,
            description: own_opt(self.description),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolSpecOf<S> {
    pub protocol_id: S,
    pub method_id: S,
    pub input_port_id: Option<S>,
    pub output_port_id: Option<S>,
    pub description: Option<S>,
    pub wire_id: Option<S>,
    /// Normalized transport kind text (`libp2p`, `http`, `ws`, `wasi-pipe`, or other text).
    pub transport_kind: Option<S>,
    /// Normalized role text (`handle`, `dial`, `both`, or other text).
    pub role: Option<S>,
    pub spec_uri: Option<S>,
    /// Schema default true.
    pub auto_install: bool,
    pub advertise: bool,
    pub discovery_key: Option<S>,
    /// Not stored means 0.
    pub default_port: Option<u16>,
    pub require_secure_transport: bool,
}

impl<S: Default> Default for ProtocolSpecOf<S> {
    fn default() -> Self {
        ProtocolSpecOf {
            protocol_id: S::default(),
            method_id: S::default(),
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

impl<S> ProtocolSpecOf<S> {
    pub fn default_port_or_default(&self) -> u16 {
        self.default_port.unwrap_or(0)
    }

    pub fn into_owned(self) -> ProtocolSpec
    where
        S: Into<String>,
    {
        ProtocolSpec {
            protocol_id: own(self.protocol_id),
            method_id: own(self.method_id),
            input_port_id: own_opt(self.input_port_id),
            output_port_id: own_opt(self.output_port_id),
            description: own_opt(self.description),
            wire_id: own_opt(self.wire_id),
            transport_kind: own_opt(self.transport_kind),
            role: own_opt(self.role),
            spec_uri: own_opt(self.spec_uri),
            auto_install: self.auto_install,
            advertise: self.advertise,
            discovery_key: own_opt(self.discovery_key),
            default_port: self.default_port,
            require_secure_transport: self.require_secure_transport,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildArtifactOf<S> {
    pub artifact_id: S,
    pub kind: Option<S>,
    pub path: S,
    pub target: Option<S>,
    pub entry_symbol: Option<S>,
}

impl<S> BuildArtifactOf<S> {
    pub fn into_owned(self) -> BuildArtifact
    where
        S: Into<String>,
    {
        BuildArtifact {
            artifact_id: own(self.artifact_id),
            kind: own_opt(self.kind),
            path: own(self.path),
            target: own_opt(self.target),
            entry_symbol: own_opt(self.entry_symbol),
        }
    }
}
