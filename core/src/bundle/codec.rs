//! `SMDB` encode/decode (spec 7.1, 7.7), byte-exact on encode, verified on decode.

use flatbuffers::{
    FlatBufferBuilder, ForwardsUOffset, InvalidFlatbuffer, Vector, Verifiable, Verifier,
};

use super::model::{BundleEntry, CanonicalizationRule, ModuleBundle};
use crate::fbs::{
    TableOffset, TableReader, TypeRefTable, create_opt_string, has_identifier, push_opt,
    push_stored, read_type_ref, slot, verify_root, write_type_ref,
};
use crate::{Error, ErrorCode, Result};

/// The bundle's FlatBuffers file identifier.
pub const BUNDLE_FILE_IDENTIFIER: &str = "SMDB";

/// Encodes `bundle` exactly as the reference's object API packs it: children first in the
/// order of spec 7.1, fields in declaration order, every vector written, strings never shared.
/// (`entry_id` is a `String` here, so the reference's `field 4 must be set` failure is caught
/// earlier, by the create normalizer.)
pub fn encode(bundle: &ModuleBundle) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::with_capacity(
        1024 + bundle
            .entries
            .iter()
            .map(|e| e.payload.len() + 256)
            .sum::<usize>(),
    );
    let module_format = create_opt_string(&mut fbb, bundle.module_format.as_deref());
    let canonicalization = bundle
        .canonicalization
        .as_ref()
        .map(|rule| write_rule(&mut fbb, rule));
    let canonical_module_hash = fbb.create_vector(bundle.canonical_module_hash.as_slice());
    let manifest_hash = fbb.create_vector(bundle.manifest_hash.as_slice());
    let export_symbol = create_opt_string(&mut fbb, bundle.manifest_export_symbol.as_deref());
    let size_symbol = create_opt_string(&mut fbb, bundle.manifest_size_symbol.as_deref());
    let entries: Vec<TableOffset> = bundle
        .entries
        .iter()
        .map(|entry| write_entry(&mut fbb, entry))
        .collect();
    let entries = fbb.create_vector(&entries);
    let start = fbb.start_table();
    push_stored(&mut fbb, slot(0), bundle.bundle_version);
    push_opt(&mut fbb, slot(1), module_format);
    push_opt(&mut fbb, slot(2), canonicalization);
    fbb.push_slot_always(slot(3), canonical_module_hash);
    fbb.push_slot_always(slot(4), manifest_hash);
    push_opt(&mut fbb, slot(5), export_symbol);
    push_opt(&mut fbb, slot(6), size_symbol);
    fbb.push_slot_always(slot(7), entries);
    let root = fbb.end_table(start);
    fbb.finish(root, Some(BUNDLE_FILE_IDENTIFIER));
    fbb.finished_data().to_vec()
}

fn write_rule(fbb: &mut FlatBufferBuilder<'_>, rule: &CanonicalizationRule) -> TableOffset {
    let prefix = create_opt_string(fbb, rule.stripped_custom_section_prefix.as_deref());
    let section = create_opt_string(fbb, rule.bundle_section_name.as_deref());
    let algorithm = create_opt_string(fbb, rule.hash_algorithm.as_deref());
    let start = fbb.start_table();
    push_stored(fbb, slot(0), rule.version);
    push_opt(fbb, slot(1), prefix);
    push_opt(fbb, slot(2), section);
    push_opt(fbb, slot(3), algorithm);
    fbb.end_table(start)
}

fn write_entry(fbb: &mut FlatBufferBuilder<'_>, entry: &BundleEntry) -> TableOffset {
    let entry_id = fbb.create_string(&entry.entry_id);
    let section_name = create_opt_string(fbb, entry.section_name.as_deref());
    let type_ref = entry.type_ref.as_ref().map(|t| write_type_ref(fbb, t));
    let media_type = create_opt_string(fbb, entry.media_type.as_deref());
    let sha256 = fbb.create_vector(entry.sha256.as_slice());
    let payload = fbb.create_vector(entry.payload.as_slice());
    let description = create_opt_string(fbb, entry.description.as_deref());
    let start = fbb.start_table();
    fbb.push_slot_always(slot(0), entry_id);
    push_stored(fbb, slot(1), entry.role);
    push_opt(fbb, slot(2), section_name);
    push_opt(fbb, slot(3), type_ref);
    push_stored(fbb, slot(4), entry.payload_encoding);
    push_opt(fbb, slot(5), media_type);
    push_stored(fbb, slot(6), entry.flags);
    fbb.push_slot_always(slot(7), sha256);
    fbb.push_slot_always(slot(8), payload);
    push_opt(fbb, slot(9), description);
    fbb.end_table(start)
}

/// Decodes an `SMDB` buffer: identifier check (`Module bundle buffer identifier mismatch.`,
/// also for buffers shorter than 8 bytes), then the FlatBuffers verifier
/// ([`ErrorCode::BundleMalformed`]), then the read. Absent strings/tables stay `None`,
/// absent vectors read as empty.
pub fn decode(bytes: &[u8]) -> Result<ModuleBundle> {
    if !has_identifier(bytes, b"SMDB") {
        return Err(Error::new(
            ErrorCode::BundleIdentifierMismatch,
            "Module bundle buffer identifier mismatch.",
        ));
    }
    verify_root::<ModuleBundleTable>(bytes, ErrorCode::BundleMalformed, "module bundle")?;
    let root = TableReader::root(bytes, ErrorCode::BundleMalformed)?;
    let canonicalization = match root.table(slot(2))? {
        Some(rule) => Some(CanonicalizationRule {
            version: rule.u16(slot(0))?,
            stripped_custom_section_prefix: rule.string(slot(1))?,
            bundle_section_name: rule.string(slot(2))?,
            hash_algorithm: rule.string(slot(3))?,
        }),
        None => None,
    };
    let entries = root
        .tables(slot(7))?
        .iter()
        .map(read_entry)
        .collect::<Result<Vec<_>>>()?;
    Ok(ModuleBundle {
        bundle_version: root.u16(slot(0))?,
        module_format: root.string(slot(1))?,
        canonicalization,
        canonical_module_hash: root.byte_vector(slot(3))?,
        manifest_hash: root.byte_vector(slot(4))?,
        manifest_export_symbol: root.string(slot(5))?,
        manifest_size_symbol: root.string(slot(6))?,
        entries,
    })
}

fn read_entry(table: &TableReader<'_>) -> Result<BundleEntry> {
    let entry_id = table.string(slot(0))?.ok_or_else(|| {
        Error::new(
            ErrorCode::BundleMalformed,
            "module bundle entry lacks its required entry_id",
        )
    })?;
    let type_ref = match table.table(slot(3))? {
        Some(t) => Some(read_type_ref(&t)?),
        None => None,
    };
    Ok(BundleEntry {
        entry_id,
        role: table.u8(slot(1))?,
        section_name: table.string(slot(2))?,
        type_ref,
        payload_encoding: table.u8(slot(4))?,
        media_type: table.string(slot(5))?,
        flags: table.u32(slot(6))?,
        sha256: table.byte_vector(slot(7))?,
        payload: table.byte_vector(slot(8))?,
        description: table.string(slot(9))?,
    })
}

/// Verifier for the root table.
struct ModuleBundleTable;

impl Verifiable for ModuleBundleTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u16>("bundle_version", slot(0), false)?
            .visit_field::<ForwardsUOffset<&str>>("module_format", slot(1), false)?
            .visit_field::<ForwardsUOffset<CanonicalizationRuleTable>>(
                "canonicalization",
                slot(2),
                false,
            )?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>(
                "canonical_module_hash",
                slot(3),
                false,
            )?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("manifest_hash", slot(4), false)?
            .visit_field::<ForwardsUOffset<&str>>("manifest_export_symbol", slot(5), false)?
            .visit_field::<ForwardsUOffset<&str>>("manifest_size_symbol", slot(6), false)?
            .visit_field::<ForwardsUOffset<Vector<'_, ForwardsUOffset<ModuleBundleEntryTable>>>>(
                "entries",
                slot(7),
                false,
            )?
            .finish();
        Ok(())
    }
}

struct CanonicalizationRuleTable;

impl Verifiable for CanonicalizationRuleTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u16>("version", slot(0), false)?
            .visit_field::<ForwardsUOffset<&str>>("stripped_custom_section_prefix", slot(1), false)?
            .visit_field::<ForwardsUOffset<&str>>("bundle_section_name", slot(2), false)?
            .visit_field::<ForwardsUOffset<&str>>("hash_algorithm", slot(3), false)?
            .finish();
        Ok(())
    }
}

struct ModuleBundleEntryTable;

impl Verifiable for ModuleBundleEntryTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<&str>>("entry_id", slot(0), true)?
            .visit_field::<u8>("role", slot(1), false)?
            .visit_field::<ForwardsUOffset<&str>>("section_name", slot(2), false)?
            .visit_field::<ForwardsUOffset<TypeRefTable>>("type_ref", slot(3), false)?
            .visit_field::<u8>("payload_encoding", slot(4), false)?
            .visit_field::<ForwardsUOffset<&str>>("media_type", slot(5), false)?
            .visit_field::<u32>("flags", slot(6), false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("sha256", slot(7), false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("payload", slot(8), false)?
            .visit_field::<ForwardsUOffset<&str>>("description", slot(9), false)?
            .finish();
        Ok(())
    }
}
