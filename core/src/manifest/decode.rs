//! `PMAN` bytes → [`PluginManifest`] or the borrowed [`PluginManifestRef`]: identifier check,
//! then one pass that verifies and reads together ([`crate::fbs::checked`]): every check the
//! `flatbuffers` verifier makes (the reference skips it; the Rust core must not) is made as each
//! value is read, so the buffer is walked once.
//!
//! The two-pass path (the `flatbuffers` verifier, then the safe [`TableReader`]) is kept as
//! [`decode_two_pass`] so tests can check that both accept exactly the same buffers.

use flatbuffers::{ForwardsUOffset, InvalidFlatbuffer, Vector, Verifiable, Verifier};

use super::model::{
    AcceptedTypeSet, AcceptedTypeSetOf, BuildArtifact, BuildArtifactOf, HostCapability,
    HostCapabilityOf, MethodManifest, MethodManifestOf, PluginManifest, PluginManifestOf,
    PluginManifestRef, PortManifest, PortManifestOf, ProtocolSpec, ProtocolSpecOf, TimerSpec,
    TimerSpecOf,
};
use super::{FILE_IDENTIFIER, MAX_MANIFEST_BYTES};
use crate::fbs::checked::{Checked, Table, Walker};
use crate::fbs::{
    TableReader, TypeRefTable, check_type_ref, has_identifier, read_type_ref, slot, verify_root,
};
use crate::{Error, ErrorCode, Result};

const CODE: ErrorCode = ErrorCode::ManifestMalformed;

/// Decodes a `PMAN` buffer to the owned model.
///
/// Errors: `input-too-large` above [`MAX_MANIFEST_BYTES`]; `manifest-identifier-mismatch` when
/// bytes 4..8 are not `PMAN` (also for buffers shorter than 8 bytes), with the reference's
/// message; `manifest-malformed` when verification fails (including a missing required field).
pub fn decode(bytes: &[u8]) -> Result<PluginManifest> {
    decode_as(bytes)
}

/// Decodes a `PMAN` buffer without copying: every string and byte vector of the result borrows
/// from `bytes`. Accepts and rejects exactly what [`decode`] does (same checks, same errors);
/// `decode_ref(bytes)?.into_owned()` equals `decode(bytes)?`.
pub fn decode_ref(bytes: &[u8]) -> Result<PluginManifestRef<'_>> {
    decode_as(bytes)
}

fn check_buffer(bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_MANIFEST_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "manifest buffer of {} bytes is above the {MAX_MANIFEST_BYTES}-byte cap",
                bytes.len()
            ),
        ));
    }
    if !has_identifier(bytes, FILE_IDENTIFIER) {
        return Err(Error::new(
            ErrorCode::ManifestIdentifierMismatch,
            "Plugin manifest buffer identifier mismatch.",
        ));
    }
    Ok(())
}

/// The one-pass walk, producing owned (`String`, `Vec<u8>`) or borrowed (`&str`, `&[u8]`) text
/// and bytes.
fn decode_as<'a, S, B>(bytes: &'a [u8]) -> Result<PluginManifestOf<S, B>>
where
    S: From<&'a str>,
    B: From<&'a [u8]>,
{
    check_buffer(bytes)?;
    Walker::new(bytes)
        .root(check_manifest)
        .map_err(|bad| bad.into_error(CODE, "plugin manifest"))
}

fn check_manifest<'a, S: From<&'a str>, B: From<&'a [u8]>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<PluginManifestOf<S, B>> {
    Ok(PluginManifestOf {
        plugin_id: w.required_str(t, slot(0))?.into(),
        name: w.str(t, slot(1))?.map(S::from),
        version: w.str(t, slot(2))?.map(S::from),
        plugin_family: w.u8(t, slot(3))?,
        methods: w.tables(t, slot(4), check_method)?,
        capabilities: w.tables(t, slot(5), check_capability)?,
        timers: w.tables(t, slot(6), check_timer)?,
        protocols: w.tables(t, slot(7), check_protocol)?,
        schemas_used: w.tables(t, slot(8), check_type_ref)?,
        build_artifacts: w.tables(t, slot(9), check_build_artifact)?,
        abi_version: w.u32(t, slot(10))?,
        invoke_surfaces: w.bytes(t, slot(11))?.into(),
        runtime_targets: w.strings(t, slot(12))?,
    })
}

fn check_method<'a, S: From<&'a str>, B: From<&'a [u8]>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<MethodManifestOf<S, B>> {
    Ok(MethodManifestOf {
        method_id: w.required_str(t, slot(0))?.into(),
        display_name: w.str(t, slot(1))?.map(S::from),
        input_ports: w.tables(t, slot(2), check_port)?,
        output_ports: w.tables(t, slot(3), check_port)?,
        max_batch: w.u32(t, slot(4))?,
        drain_policy: w.u8(t, slot(5))?,
        description: w.str(t, slot(6))?.map(S::from),
    })
}

fn check_port<'a, S: From<&'a str>, B: From<&'a [u8]>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<PortManifestOf<S, B>> {
    Ok(PortManifestOf {
        port_id: w.required_str(t, slot(0))?.into(),
        display_name: w.str(t, slot(1))?.map(S::from),
        accepted_type_sets: w.tables(t, slot(2), check_type_set)?,
        min_streams: w.u16(t, slot(3))?,
        max_streams: w.u16(t, slot(4))?,
        required: w.bool(t, slot(5), true)?,
        description: w.str(t, slot(6))?.map(S::from),
    })
}

fn check_type_set<'a, S: From<&'a str>, B: From<&'a [u8]>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<AcceptedTypeSetOf<S, B>> {
    Ok(AcceptedTypeSetOf {
        set_id: w.required_str(t, slot(0))?.into(),
        allowed_types: w.tables(t, slot(1), check_type_ref)?,
        description: w.str(t, slot(2))?.map(S::from),
    })
}

fn check_capability<'a, S: From<&'a str>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<HostCapabilityOf<S>> {
    Ok(HostCapabilityOf {
        capability: w.u16(t, slot(0))?,
        scope: w.str(t, slot(1))?.map(S::from),
        required: w.bool(t, slot(2), true)?,
        description: w.str(t, slot(3))?.map(S::from),
    })
}

fn check_timer<'a, S: From<&'a str>>(w: &mut Walker<'a>, t: Table) -> Checked<TimerSpecOf<S>> {
    Ok(TimerSpecOf {
        timer_id: w.required_str(t, slot(0))?.into(),
        method_id: w.required_str(t, slot(1))?.into(),
        input_port_id: w.str(t, slot(2))?.map(S::from),
        default_interval_ms: w.u64(t, slot(3))?,
        description: w.str(t, slot(4))?.map(S::from),
    })
}

fn check_protocol<'a, S: From<&'a str>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<ProtocolSpecOf<S>> {
    Ok(ProtocolSpecOf {
        protocol_id: w.required_str(t, slot(0))?.into(),
        method_id: w.required_str(t, slot(1))?.into(),
        input_port_id: w.str(t, slot(2))?.map(S::from),
        output_port_id: w.str(t, slot(3))?.map(S::from),
        description: w.str(t, slot(4))?.map(S::from),
        wire_id: w.str(t, slot(5))?.map(S::from),
        transport_kind: w.str(t, slot(6))?.map(S::from),
        role: w.str(t, slot(7))?.map(S::from),
        spec_uri: w.str(t, slot(8))?.map(S::from),
        auto_install: w.bool(t, slot(9), true)?,
        advertise: w.bool(t, slot(10), false)?,
        discovery_key: w.str(t, slot(11))?.map(S::from),
        default_port: w.u16(t, slot(12))?,
        require_secure_transport: w.bool(t, slot(13), false)?,
    })
}

fn check_build_artifact<'a, S: From<&'a str>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<BuildArtifactOf<S>> {
    Ok(BuildArtifactOf {
        artifact_id: w.required_str(t, slot(0))?.into(),
        kind: w.str(t, slot(1))?.map(S::from),
        path: w.required_str(t, slot(2))?.into(),
        target: w.str(t, slot(3))?.map(S::from),
        entry_symbol: w.str(t, slot(4))?.map(S::from),
    })
}

// ---- the two-pass path: `flatbuffers` verifier, then the safe reader -----------------------

/// The previous decoder, kept as the reference for the one-pass walk: the `flatbuffers`
/// verifier over the whole buffer, then a second, bounds-checked read. Same errors (codes) as
/// [`decode`]; slower. Not for production use.
#[doc(hidden)]
pub fn decode_two_pass(bytes: &[u8]) -> Result<PluginManifest> {
    check_buffer(bytes)?;
    verify_root::<ManifestTable>(bytes, CODE, "plugin manifest")?;
    read_manifest(&TableReader::root(bytes, CODE)?)
}

fn read_manifest(t: &TableReader<'_>) -> Result<PluginManifest> {
    Ok(PluginManifest {
        plugin_id: required_string(t, 0)?,
        name: t.string(slot(1))?,
        version: t.string(slot(2))?,
        plugin_family: t.u8(slot(3))?,
        methods: t
            .tables(slot(4))?
            .iter()
            .map(read_method)
            .collect::<Result<_>>()?,
        capabilities: t
            .tables(slot(5))?
            .iter()
            .map(read_capability)
            .collect::<Result<_>>()?,
        timers: t
            .tables(slot(6))?
            .iter()
            .map(read_timer)
            .collect::<Result<_>>()?,
        protocols: t
            .tables(slot(7))?
            .iter()
            .map(read_protocol)
            .collect::<Result<_>>()?,
        schemas_used: t
            .tables(slot(8))?
            .iter()
            .map(read_type_ref)
            .collect::<Result<_>>()?,
        build_artifacts: t
            .tables(slot(9))?
            .iter()
            .map(read_build_artifact)
            .collect::<Result<_>>()?,
        abi_version: t.u32(slot(10))?,
        invoke_surfaces: t.byte_vector(slot(11))?,
        runtime_targets: t.strings(slot(12))?,
    })
}

/// A field the verifier already required; absence here would be a verifier bug.
fn required_string(t: &TableReader<'_>, index: u16) -> Result<String> {
    t.string(slot(index))?.ok_or_else(|| {
        Error::new(
            CODE,
            format!(
                "malformed FlatBuffer: required field {} is missing",
                slot(index)
            ),
        )
    })
}

fn read_method(t: &TableReader<'_>) -> Result<MethodManifest> {
    Ok(MethodManifest {
        method_id: required_string(t, 0)?,
        display_name: t.string(slot(1))?,
        input_ports: t
            .tables(slot(2))?
            .iter()
            .map(read_port)
            .collect::<Result<_>>()?,
        output_ports: t
            .tables(slot(3))?
            .iter()
            .map(read_port)
            .collect::<Result<_>>()?,
        max_batch: t.u32(slot(4))?,
        drain_policy: t.u8(slot(5))?,
        description: t.string(slot(6))?,
    })
}

fn read_port(t: &TableReader<'_>) -> Result<PortManifest> {
    Ok(PortManifest {
        port_id: required_string(t, 0)?,
        display_name: t.string(slot(1))?,
        accepted_type_sets: t
            .tables(slot(2))?
            .iter()
            .map(read_type_set)
            .collect::<Result<_>>()?,
        min_streams: t.u16(slot(3))?,
        max_streams: t.u16(slot(4))?,
        required: t.bool(slot(5), true)?,
        description: t.string(slot(6))?,
    })
}

fn read_type_set(t: &TableReader<'_>) -> Result<AcceptedTypeSet> {
    Ok(AcceptedTypeSet {
        set_id: required_string(t, 0)?,
        allowed_types: t
            .tables(slot(1))?
            .iter()
            .map(read_type_ref)
            .collect::<Result<_>>()?,
        description: t.string(slot(2))?,
    })
}

fn read_capability(t: &TableReader<'_>) -> Result<HostCapability> {
    Ok(HostCapability {
        capability: t.u16(slot(0))?,
        scope: t.string(slot(1))?,
        required: t.bool(slot(2), true)?,
        description: t.string(slot(3))?,
    })
}

fn read_timer(t: &TableReader<'_>) -> Result<TimerSpec> {
    Ok(TimerSpec {
        timer_id: required_string(t, 0)?,
        method_id: required_string(t, 1)?,
        input_port_id: t.string(slot(2))?,
        default_interval_ms: t.u64(slot(3))?,
        description: t.string(slot(4))?,
    })
}

fn read_protocol(t: &TableReader<'_>) -> Result<ProtocolSpec> {
    Ok(ProtocolSpec {
        protocol_id: required_string(t, 0)?,
        method_id: required_string(t, 1)?,
        input_port_id: t.string(slot(2))?,
        output_port_id: t.string(slot(3))?,
        description: t.string(slot(4))?,
        wire_id: t.string(slot(5))?,
        transport_kind: t.string(slot(6))?,
        role: t.string(slot(7))?,
        spec_uri: t.string(slot(8))?,
        auto_install: t.bool(slot(9), true)?,
        advertise: t.bool(slot(10), false)?,
        discovery_key: t.string(slot(11))?,
        default_port: t.u16(slot(12))?,
        require_secure_transport: t.bool(slot(13), false)?,
    })
}

fn read_build_artifact(t: &TableReader<'_>) -> Result<BuildArtifact> {
    Ok(BuildArtifact {
        artifact_id: required_string(t, 0)?,
        kind: t.string(slot(1))?,
        path: required_string(t, 2)?,
        target: t.string(slot(3))?,
        entry_symbol: t.string(slot(4))?,
    })
}

// ---- verifiers (one per table; required flags as in the schema) ----------------------------

type Str<'a> = ForwardsUOffset<&'a str>;
type Tables<'a, T> = ForwardsUOffset<Vector<'a, ForwardsUOffset<T>>>;

/// Root `PluginManifest`.
pub struct ManifestTable;
struct MethodTable;
struct PortTable;
struct TypeSetTable;
struct CapabilityTable;
struct TimerTable;
struct ProtocolTable;
struct BuildArtifactTable;

impl Verifiable for ManifestTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("plugin_id", slot(0), true)?
            .visit_field::<Str>("name", slot(1), false)?
            .visit_field::<Str>("version", slot(2), false)?
            .visit_field::<u8>("plugin_family", slot(3), false)?
            .visit_field::<Tables<MethodTable>>("methods", slot(4), false)?
            .visit_field::<Tables<CapabilityTable>>("capabilities", slot(5), false)?
            .visit_field::<Tables<TimerTable>>("timers", slot(6), false)?
            .visit_field::<Tables<ProtocolTable>>("protocols", slot(7), false)?
            .visit_field::<Tables<TypeRefTable>>("schemas_used", slot(8), false)?
            .visit_field::<Tables<BuildArtifactTable>>("build_artifacts", slot(9), false)?
            .visit_field::<u32>("abi_version", slot(10), false)?
            .visit_field::<ForwardsUOffset<Vector<u8>>>("invoke_surfaces", slot(11), false)?
            .visit_field::<ForwardsUOffset<Vector<Str>>>("runtime_targets", slot(12), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for MethodTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("method_id", slot(0), true)?
            .visit_field::<Str>("display_name", slot(1), false)?
            .visit_field::<Tables<PortTable>>("input_ports", slot(2), false)?
            .visit_field::<Tables<PortTable>>("output_ports", slot(3), false)?
            .visit_field::<u32>("max_batch", slot(4), false)?
            .visit_field::<u8>("drain_policy", slot(5), false)?
            .visit_field::<Str>("description", slot(6), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for PortTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("port_id", slot(0), true)?
            .visit_field::<Str>("display_name", slot(1), false)?
            .visit_field::<Tables<TypeSetTable>>("accepted_type_sets", slot(2), false)?
            .visit_field::<u16>("min_streams", slot(3), false)?
            .visit_field::<u16>("max_streams", slot(4), false)?
            .visit_field::<bool>("required", slot(5), false)?
            .visit_field::<Str>("description", slot(6), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for TypeSetTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("set_id", slot(0), true)?
            .visit_field::<Tables<TypeRefTable>>("allowed_types", slot(1), false)?
            .visit_field::<Str>("description", slot(2), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for CapabilityTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u16>("capability", slot(0), false)?
            .visit_field::<Str>("scope", slot(1), false)?
            .visit_field::<bool>("required", slot(2), false)?
            .visit_field::<Str>("description", slot(3), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for TimerTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("timer_id", slot(0), true)?
            .visit_field::<Str>("method_id", slot(1), true)?
            .visit_field::<Str>("input_port_id", slot(2), false)?
            .visit_field::<u64>("default_interval_ms", slot(3), false)?
            .visit_field::<Str>("description", slot(4), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for ProtocolTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("protocol_id", slot(0), true)?
            .visit_field::<Str>("method_id", slot(1), true)?
            .visit_field::<Str>("input_port_id", slot(2), false)?
            .visit_field::<Str>("output_port_id", slot(3), false)?
            .visit_field::<Str>("description", slot(4), false)?
            .visit_field::<Str>("wire_id", slot(5), false)?
            .visit_field::<Str>("transport_kind", slot(6), false)?
            .visit_field::<Str>("role", slot(7), false)?
            .visit_field::<Str>("spec_uri", slot(8), false)?
            .visit_field::<bool>("auto_install", slot(9), false)?
            .visit_field::<bool>("advertise", slot(10), false)?
            .visit_field::<Str>("discovery_key", slot(11), false)?
            .visit_field::<u16>("default_port", slot(12), false)?
            .visit_field::<bool>("require_secure_transport", slot(13), false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for BuildArtifactTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Str>("artifact_id", slot(0), true)?
            .visit_field::<Str>("kind", slot(1), false)?
            .visit_field::<Str>("path", slot(2), true)?
            .visit_field::<Str>("target", slot(3), false)?
            .visit_field::<Str>("entry_symbol", slot(4), false)?
            .finish();
        Ok(())
    }
}
