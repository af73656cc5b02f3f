//! [`super::PluginManifest`] (or any [`PluginManifestOf`]) → `PMAN` bytes, byte-identical to the reference (spec 2 and 4.6):
//! children first in the order of 4.6, then each table's slots in declaration order.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::model::{
    AcceptedTypeSetOf, BuildArtifactOf, HostCapabilityOf, MethodManifestOf, PluginManifestOf,
    PortManifestOf, ProtocolSpecOf, TimerSpecOf,
};
use super::{FILE_IDENTIFIER, MAX_MANIFEST_BYTES};
use crate::fbs::{
    TableOffset, TableVectorOffset, TypeRefOf, create_opt_string, opt_str, push_opt, push_stored,
    slot, write_type_ref,
};
use crate::{Error, ErrorCode, Result};

/// Encodes a manifest (owned, borrowed from a buffer, or normalized from JSON). Fails with
/// `input-too-large` when the encoding could exceed [`MAX_MANIFEST_BYTES`] (checked before
/// anything is written).
pub fn encode<S: AsRef<str>, B: AsRef<[u8]>>(manifest: &PluginManifestOf<S, B>) -> Result<Vec<u8>> {
    let estimate = size::manifest(manifest);
    if estimate > MAX_MANIFEST_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "the encoded manifest could reach {estimate} bytes, above the {MAX_MANIFEST_BYTES}-byte cap"
            ),
        ));
    }
    if estimate <= REUSED_CAPACITY {
        // Manifests are small: one builder per thread, reset between uses, saves allocating
        // and zeroing a buffer each time. The estimate is an upper bound, so it never grows.
        let reused = BUILDER.with(|cell| {
            let mut writer = cell.try_borrow_mut().ok()?;
            if writer.in_use {
                // A previous encode stopped half way (a panic): start from a fresh builder.
                *writer = Writer::with_capacity(REUSED_CAPACITY);
            }
            writer.fbb.reset();
            writer.offsets.clear();
            Some(writer.finish(manifest))
        });
        if let Some(bytes) = reused {
            return Ok(bytes);
        }
    }
    Ok(Writer::with_capacity(estimate.min(REUSED_CAPACITY)).finish(manifest))
}

/// The capacity of the per-thread builder; larger manifests get a builder of their own.
const REUSED_CAPACITY: usize = 1 << 16;

thread_local! {
    static BUILDER: std::cell::RefCell<Writer> =
        std::cell::RefCell::new(Writer::with_capacity(REUSED_CAPACITY));
}

/// The builder and one stack of child offsets shared by every table vector (each vector's
/// elements are pushed, written as a vector and popped), so no vector allocates.
struct Writer {
    fbb: FlatBufferBuilder<'static>,
    offsets: Vec<TableOffset>,
    /// Set while a manifest is being written.
    in_use: bool,
}

impl Writer {
    fn with_capacity(capacity: usize) -> Self {
        Writer {
            fbb: FlatBufferBuilder::with_capacity(capacity),
            offsets: Vec::with_capacity(64),
            in_use: false,
        }
    }

    fn finish<S: AsRef<str>, B: AsRef<[u8]>>(
        &mut self,
        manifest: &PluginManifestOf<S, B>,
    ) -> Vec<u8> {
        self.in_use = true;
        let root = self.manifest(manifest);
        let ident = std::str::from_utf8(FILE_IDENTIFIER).unwrap_or("PMAN");
        self.fbb.finish(root, Some(ident));
        let bytes = self.fbb.finished_data().to_vec();
        self.in_use = false;
        bytes
    }

    /// Writes a vector of tables the reference's way: every element first, in list order
    /// (element 0 first), then the vector of their offsets.
    fn tables<T>(
        &mut self,
        items: &[T],
        write: impl Fn(&mut Self, &T) -> TableOffset,
    ) -> TableVectorOffset<'static> {
        let base = self.offsets.len();
        for item in items {
            let offset = write(self, item);
            self.offsets.push(offset);
        }
        let vector = self.fbb.create_vector(&self.offsets[base..]);
        self.offsets.truncate(base);
        vector
    }

    fn string(&mut self, text: &impl AsRef<str>) -> WIPOffset<&'static str> {
        self.fbb.create_string(text.as_ref())
    }

    fn opt_string<S: AsRef<str>>(&mut self, text: &Option<S>) -> Option<WIPOffset<&'static str>> {
        create_opt_string(&mut self.fbb, opt_str(text))
    }

    fn manifest<S: AsRef<str>, B: AsRef<[u8]>>(
        &mut self,
        m: &PluginManifestOf<S, B>,
    ) -> TableOffset {
        let plugin_id = self.string(&m.plugin_id);
        let name = self.opt_string(&m.name);
        let version = self.opt_string(&m.version);
        let methods = self.tables(&m.methods, Self::method);
        let capabilities = self.tables(&m.capabilities, Self::capability);
        let timers = self.tables(&m.timers, Self::timer);
        let protocols = self.tables(&m.protocols, Self::protocol);
        let schemas_used = self.tables(&m.schemas_used, |w, t| write_type_ref(&mut w.fbb, t));
        let build_artifacts = self.tables(&m.build_artifacts, Self::build_artifact);
        let invoke_surfaces = self.fbb.create_vector(m.invoke_surfaces.as_ref());
        // Strings are referenced like tables: a vector of uoffsets, written the same way.
        let runtime_targets = self.tables(&m.runtime_targets, |w, t| {
            WIPOffset::new(w.string(t).value())
        });

        let fbb = &mut self.fbb;
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

    fn method<S: AsRef<str>, B: AsRef<[u8]>>(&mut self, m: &MethodManifestOf<S, B>) -> TableOffset {
        let method_id = self.string(&m.method_id);
        let display_name = self.opt_string(&m.display_name);
        let input_ports = self.tables(&m.input_ports, Self::port);
        let output_ports = self.tables(&m.output_ports, Self::port);
        let description = self.opt_string(&m.description);

        let fbb = &mut self.fbb;
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

    fn port<S: AsRef<str>, B: AsRef<[u8]>>(&mut self, p: &PortManifestOf<S, B>) -> TableOffset {
        let port_id = self.string(&p.port_id);
        let display_name = self.opt_string(&p.display_name);
        let type_sets = self.tables(&p.accepted_type_sets, Self::type_set);
        let description = self.opt_string(&p.description);

        let fbb = &mut self.fbb;
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

    fn type_set<S: AsRef<str>, B: AsRef<[u8]>>(
        &mut self,
        s: &AcceptedTypeSetOf<S, B>,
    ) -> TableOffset {
        let set_id = self.string(&s.set_id);
        let allowed_types = self.tables(&s.allowed_types, |w, t| write_type_ref(&mut w.fbb, t));
        let description = self.opt_string(&s.description);

        let fbb = &mut self.fbb;
        let start = fbb.start_table();
        fbb.push_slot_always(slot(0), set_id);
        fbb.push_slot_always(slot(1), allowed_types);
        push_opt(fbb, slot(2), description);
        fbb.end_table(start)
    }

    fn capability<S: AsRef<str>>(&mut self, c: &HostCapabilityOf<S>) -> TableOffset {
        let scope = self.opt_string(&c.scope);
        let description = self.opt_string(&c.description);

        let fbb = &mut self.fbb;
        let start = fbb.start_table();
        push_stored(fbb, slot(0), c.capability);
        push_opt(fbb, slot(1), scope);
        fbb.push_slot(slot(2), c.required, true);
        push_opt(fbb, slot(3), description);
        fbb.end_table(start)
    }

    fn timer<S: AsRef<str>>(&mut self, t: &TimerSpecOf<S>) -> TableOffset {
        let timer_id = self.string(&t.timer_id);
        let method_id = self.string(&t.method_id);
        let input_port_id = self.opt_string(&t.input_port_id);
        let description = self.opt_string(&t.description);

        let fbb = &mut self.fbb;
        let start = fbb.start_table();
        fbb.push_slot_always(slot(0), timer_id);
        fbb.push_slot_always(slot(1), method_id);
        push_opt(fbb, slot(2), input_port_id);
        push_stored(fbb, slot(3), t.default_interval_ms);
        push_opt(fbb, slot(4), description);
        fbb.end_table(start)
    }

    fn protocol<S: AsRef<str>>(&mut self, p: &ProtocolSpecOf<S>) -> TableOffset {
        let protocol_id = self.string(&p.protocol_id);
        let method_id = self.string(&p.method_id);
        let input_port_id = self.opt_string(&p.input_port_id);
        let output_port_id = self.opt_string(&p.output_port_id);
        let description = self.opt_string(&p.description);
        let wire_id = self.opt_string(&p.wire_id);
        let transport_kind = self.opt_string(&p.transport_kind);
        let role = self.opt_string(&p.role);
        let spec_uri = self.opt_string(&p.spec_uri);
        let discovery_key = self.opt_string(&p.discovery_key);

        let fbb = &mut self.fbb;
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

    fn build_artifact<S: AsRef<str>>(&mut self, a: &BuildArtifactOf<S>) -> TableOffset {
        let artifact_id = self.string(&a.artifact_id);
        let kind = self.opt_string(&a.kind);
        let path = self.string(&a.path);
        let target = self.opt_string(&a.target);
        let entry_symbol = self.opt_string(&a.entry_symbol);

        let fbb = &mut self.fbb;
        let start = fbb.start_table();
        fbb.push_slot_always(slot(0), artifact_id);
        push_opt(fbb, slot(1), kind);
        fbb.push_slot_always(slot(2), path);
        push_opt(fbb, slot(3), target);
        push_opt(fbb, slot(4), entry_symbol);
        fbb.end_table(start)
    }
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

    fn string(s: &impl AsRef<str>) -> usize {
        s.as_ref().len() + 12
    }

    fn opt<S: AsRef<str>>(s: &Option<S>) -> usize {
        s.as_ref().map_or(0, string)
    }

    fn table(slots: usize) -> usize {
        16 + 12 * slots
    }

    fn type_ref<S: AsRef<str>, B: AsRef<[u8]>>(t: &TypeRefOf<S, B>) -> usize {
        table(9)
            + opt(&t.schema_name)
            + opt(&t.file_identifier)
            + opt(&t.root_type_name)
            + VECTOR
            + t.schema_hash.as_ref().len()
    }

    fn type_refs<S: AsRef<str>, B: AsRef<[u8]>>(items: &[TypeRefOf<S, B>]) -> usize {
        VECTOR + items.iter().map(type_ref).sum::<usize>()
    }

    fn port<S: AsRef<str>, B: AsRef<[u8]>>(p: &PortManifestOf<S, B>) -> usize {
        let sets: usize = p
            .accepted_type_sets
            .iter()
            .map(|s| {
                table(3) + string(&s.set_id) + opt(&s.description) + type_refs(&s.allowed_types)
            })
            .sum();
        table(7) + string(&p.port_id) + opt(&p.display_name) + opt(&p.description) + VECTOR + sets
    }

    fn method<S: AsRef<str>, B: AsRef<[u8]>>(m: &MethodManifestOf<S, B>) -> usize {
        let ports: usize = m.input_ports.iter().chain(&m.output_ports).map(port).sum();
        table(7)
            + string(&m.method_id)
            + opt(&m.display_name)
            + opt(&m.description)
            + 2 * VECTOR
            + ports
    }

    pub(super) fn manifest<S: AsRef<str>, B: AsRef<[u8]>>(m: &PluginManifestOf<S, B>) -> usize {
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
        let targets: usize = m.runtime_targets.iter().map(string).sum();
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
            + m.invoke_surfaces.as_ref().len()
            + targets
    }
}
