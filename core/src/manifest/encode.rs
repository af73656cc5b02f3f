//! [`PluginManifest`] → `PMAN` bytes, byte-identical to the reference (spec 2 and 4.6):
//! children first in the order of 4.6, then each table's slots in declaration order.

use flatbuffers::FlatBufferBuilder;

use super::model::{
    AcceptedTypeSet, BuildArtifact, HostCapability, MethodManifest, PluginManifest, PortManifest,
    ProtocolSpec, TimerSpec,
};
use super::{FILE_IDENTIFIER, MAX_MANIFEST_BYTES};
use crate::fbs::{
    TableOffset, TypeRef, create_opt_string, push_opt, push_stored, slot, write_table_vector,
    write_type_ref,
};
use crate::{Error, ErrorCode, Result};

/// Encodes a manifest. Fails with `input-too-large` when the encoding could exceed
/// [`MAX_MANIFEST_BYTES`] (checked before anything is written).
pub fn encode(manifest: &PluginManifest) -> Result<Vec<u8>> {
    let estimate = size::manifest(manifest);
    if estimate > MAX_MANIFEST_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "the encoded manifest could reach {estimate} bytes, above the {MAX_MANIFEST_BYTES}-byte cap"
            ),
        ));
    }
    let mut fbb = FlatBufferBuilder::with_capacity(estimate.min(1 << 16));
    let root = write_manifest(&mut fbb, manifest);
    let ident = std::str::from_utf8(FILE_IDENTIFIER).unwrap_or("PMAN");
    fbb.finish(root, Some(ident));
    Ok(fbb.finished_data().to_vec())
}

fn write_manifest<'a>(fbb: &mut FlatBufferBuilder<'a>, m: &PluginManifest) -> TableOffset {
    let plugin_id = fbb.create_string(&m.plugin_id);
    let name = create_opt_string(fbb, m.name.as_deref());
    let version = create_opt_string(fbb, m.version.as_deref());
    let methods = write_table_vector(fbb, &m.methods, write_method);
    let capabilities = write_table_vector(fbb, &m.capabilities, write_capability);
    let timers = write_table_vector(fbb, &m.timers, write_timer);
    let protocols = write_table_vector(fbb, &m.protocols, write_protocol);
    let schemas_used = write_table_vector(fbb, &m.schemas_used, write_type_ref);
    let build_artifacts = write_table_vector(fbb, &m.build_artifacts, write_build_artifact);
    let invoke_surfaces = fbb.create_vector(m.invoke_surfaces.as_slice());
    let targets: Vec<_> = m
        .runtime_targets
        .iter()
        .map(|t| fbb.create_string(t))
        .collect();
    let runtime_targets = fbb.create_vector(&targets);

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), plugin_id);
    push_opt(fbb, slot(1), name);
    push_opt(fbb, slot(2), version);
    push_stored(fbb, slot(3), m.plugin_family);
    fbb.push_slot_always(slot(4), methods);
    fbb.push_slot_always(slot(5), capabilities);
    fbb.push_slot_always(slot(6), timers);
    fbb.push_slot_always(slot(7), protocols);
    fbb.push_slot_always(slot(8), schemas_used);
    fbb.push_slot_always(slot(9), build_artifacts);
    push_stored(fbb, slot(10), m.abi_version);
    fbb.push_slot_always(slot(11), invoke_surfaces);
    fbb.push_slot_always(slot(12), runtime_targets);
    fbb.end_table(start)
}

fn write_method<'a>(fbb: &mut FlatBufferBuilder<'a>, m: &MethodManifest) -> TableOffset {
    let method_id = fbb.create_string(&m.method_id);
    let display_name = create_opt_string(fbb, m.display_name.as_deref());
    let input_ports = write_table_vector(fbb, &m.input_ports, write_port);
    let output_ports = write_table_vector(fbb, &m.output_ports, write_port);
    let description = create_opt_string(fbb, m.description.as_deref());

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), method_id);
    push_opt(fbb, slot(1), display_name);
    fbb.push_slot_always(slot(2), input_ports);
    fbb.push_slot_always(slot(3), output_ports);
    push_stored(fbb, slot(4), m.max_batch);
    push_stored(fbb, slot(5), m.drain_policy);
    push_opt(fbb, slot(6), description);
    fbb.end_table(start)
}

fn write_port<'a>(fbb: &mut FlatBufferBuilder<'a>, p: &PortManifest) -> TableOffset {
    let port_id = fbb.create_string(&p.port_id);
    let display_name = create_opt_string(fbb, p.display_name.as_deref());
    let type_sets = write_table_vector(fbb, &p.accepted_type_sets, write_type_set);
    let description = create_opt_string(fbb, p.description.as_deref());

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), port_id);
    push_opt(fbb, slot(1), display_name);
    fbb.push_slot_always(slot(2), type_sets);
    push_stored(fbb, slot(3), p.min_streams);
    push_stored(fbb, slot(4), p.max_streams);
    fbb.push_slot(slot(5), p.required, true);
    push_opt(fbb, slot(6), description);
    fbb.end_table(start)
}

fn write_type_set<'a>(fbb: &mut FlatBufferBuilder<'a>, s: &AcceptedTypeSet) -> TableOffset {
    let set_id = fbb.create_string(&s.set_id);
    let allowed_types = write_table_vector(fbb, &s.allowed_types, write_type_ref);
    let description = create_opt_string(fbb, s.description.as_deref());

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), set_id);
    fbb.push_slot_always(slot(1), allowed_types);
    push_opt(fbb, slot(2), description);
    fbb.end_table(start)
}

fn write_capability<'a>(fbb: &mut FlatBufferBuilder<'a>, c: &HostCapability) -> TableOffset {
    let scope = create_opt_string(fbb, c.scope.as_deref());
    let description = create_opt_string(fbb, c.description.as_deref());

    let start = fbb.start_table();
    push_stored(fbb, slot(0), c.capability);
    push_opt(fbb, slot(1), scope);
    fbb.push_slot(slot(2), c.required, true);
    push_opt(fbb, slot(3), description);
    fbb.end_table(start)
}

fn write_timer<'a>(fbb: &mut FlatBufferBuilder<'a>, t: &TimerSpec) -> TableOffset {
    let timer_id = fbb.create_string(&t.timer_id);
    let method_id = fbb.create_string(&t.method_id);
    let input_port_id = create_opt_string(fbb, t.input_port_id.as_deref());
    let description = create_opt_string(fbb, t.description.as_deref());

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), timer_id);
    fbb.push_slot_always(slot(1), method_id);
    push_opt(fbb, slot(2), input_port_id);
    push_stored(fbb, slot(3), t.default_interval_ms);
    push_opt(fbb, slot(4), description);
    fbb.end_table(start)
}

fn write_protocol<'a>(fbb: &mut FlatBufferBuilder<'a>, p: &ProtocolSpec) -> TableOffset {
    let protocol_id = fbb.create_string(&p.protocol_id);
    let method_id = fbb.create_string(&p.method_id);
    let input_port_id = create_opt_string(fbb, p.input_port_id.as_deref());
    let output_port_id = create_opt_string(fbb, p.output_port_id.as_deref());
    let description = create_opt_string(fbb, p.description.as_deref());
    let wire_id = create_opt_string(fbb, p.wire_id.as_deref());
    let transport_kind = create_opt_string(fbb, p.transport_kind.as_deref());
    let role = create_opt_string(fbb, p.role.as_deref());
    let spec_uri = create_opt_string(fbb, p.spec_uri.as_deref());
    let discovery_key = create_opt_string(fbb, p.discovery_key.as_deref());

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), protocol_id);
    fbb.push_slot_always(slot(1), method_id);
    push_opt(fbb, slot(2), input_port_id);
    push_opt(fbb, slot(3), output_port_id);
    push_opt(fbb, slot(4), description);
    push_opt(fbb, slot(5), wire_id);
    push_opt(fbb, slot(6), transport_kind);
    push_opt(fbb, slot(7), role);
    push_opt(fbb, slot(8), spec_uri);
    fbb.push_slot(slot(9), p.auto_install, true);
    fbb.push_slot(slot(10), p.advertise, false);
    push_opt(fbb, slot(11), discovery_key);
    push_stored(fbb, slot(12), p.default_port);
    fbb.push_slot(slot(13), p.require_secure_transport, false);
    fbb.end_table(start)
}

fn write_build_artifact<'a>(fbb: &mut FlatBufferBuilder<'a>, a: &BuildArtifact) -> TableOffset {
    let artifact_id = fbb.create_string(&a.artifact_id);
    let kind = create_opt_string(fbb, a.kind.as_deref());
    let path = fbb.create_string(&a.path);
    let target = create_opt_string(fbb, a.target.as_deref());
    let entry_symbol = create_opt_string(fbb, a.entry_symbol.as_deref());

    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), artifact_id);
    push_opt(fbb, slot(1), kind);
    fbb.push_slot_always(slot(2), path);
    push_opt(fbb, slot(3), target);
    push_opt(fbb, slot(4), entry_symbol);
    fbb.end_table(start)
}

/// Upper bounds of the encoded size, so the cap is enforced before the builder allocates (the
/// builder itself cannot grow past 2 GiB and would panic). Per string: length word, bytes,
/// terminator, padding and the reference to it; per table: vtable, soffset, every slot at
/// 8 bytes plus alignment, and the reference to it; per vector: length word, padding and
/// reference.
mod size {
    use super::*;

    const VECTOR: usize = 12;
    const ROOT: usize = 16;

    fn string(s: &str) -> usize {
        s.len() + 12
    }

    fn opt(s: &Option<String>) -> usize {
        s.as_deref().map_or(0, string)
    }

    fn table(slots: usize) -> usize {
        16 + 12 * slots
    }

    fn type_ref(t: &TypeRef) -> usize {
        table(9)
            + opt(&t.schema_name)
            + opt(&t.file_identifier)
            + opt(&t.root_type_name)
            + VECTOR
            + t.schema_hash.len()
    }

    fn type_refs(items: &[TypeRef]) -> usize {
        VECTOR + items.iter().map(type_ref).sum::<usize>()
    }

    fn port(p: &PortManifest) -> usize {
        let sets: usize = p
            .accepted_type_sets
            .iter()
            .map(|s| {
                table(3) + string(&s.set_id) + opt(&s.description) + type_refs(&s.allowed_types)
            })
            .sum();
        table(7) + string(&p.port_id) + opt(&p.display_name) + opt(&p.description) + VECTOR + sets
    }

    fn method(m: &MethodManifest) -> usize {
        let ports: usize = m.input_ports.iter().chain(&m.output_ports).map(port).sum();
        table(7)
            + string(&m.method_id)
            + opt(&m.display_name)
            + opt(&m.description)
            + 2 * VECTOR
            + ports
    }

    pub(super) fn manifest(m: &PluginManifest) -> usize {
        let methods: usize = m.methods.iter().map(method).sum();
        let capabilities: usize = m
            .capabilities
            .iter()
            .map(|c| table(4) + opt(&c.scope) + opt(&c.description))
            .sum();
        let timers: usize = m
            .timers
            .iter()
            .map(|t| {
                table(5)
                    + string(&t.timer_id)
                    + string(&t.method_id)
                    + opt(&t.input_port_id)
                    + opt(&t.description)
            })
            .sum();
        let protocols: usize = m
            .protocols
            .iter()
            .map(|p| {
                table(14)
                    + string(&p.protocol_id)
                    + string(&p.method_id)
                    + [
                        &p.input_port_id,
                        &p.output_port_id,
                        &p.description,
                        &p.wire_id,
                        &p.transport_kind,
                        &p.role,
                        &p.spec_uri,
                        &p.discovery_key,
                    ]
                    .into_iter()
                    .map(opt)
                    .sum::<usize>()
            })
            .sum();
        let artifacts: usize = m
            .build_artifacts
            .iter()
            .map(|a| {
                table(5)
                    + string(&a.artifact_id)
                    + string(&a.path)
                    + opt(&a.kind)
                    + opt(&a.target)
                    + opt(&a.entry_symbol)
            })
            .sum();
        let targets: usize = m.runtime_targets.iter().map(|t| string(t)).sum();
        ROOT + table(13)
            + string(&m.plugin_id)
            + opt(&m.name)
            + opt(&m.version)
            + 8 * VECTOR
            + methods
            + capabilities
            + timers
            + protocols
            + type_refs(&m.schemas_used)
            + artifacts
            + m.invoke_surfaces.len()
            + targets
    }
}
