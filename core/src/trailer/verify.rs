//! FlatBuffers-verifier passes over `REC`, `ENC` and `PNM` buffers.
//!
//! Runs the `flatbuffers` crate's verifier (alignment, bounds, UTF-8, terminators) in addition
//! to the reference's own hand checks in [`super::raw`]; a buffer must pass both.

use flatbuffers::{
    ForwardsUOffset, InvalidFlatbuffer, Vector, Verifiable, Verifier, VerifierOptions,
};

/// Any table: only its vtable and bounds.
struct AnyTable;

impl Verifiable for AnyTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?.finish();
        Ok(())
    }
}

/// `Record { value_type: u8; value: union; standard: string }`. The value is checked as a
/// generic table here; ENC/PNM values are checked again by position (the standard string,
/// not the discriminant, decides what a value is).
struct RecordTable;

impl Verifiable for RecordTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u8>("value_type", 4, false)?
            .visit_field::<ForwardsUOffset<AnyTable>>("value", 6, false)?
            .visit_field::<ForwardsUOffset<&str>>("standard", 8, false)?
            .finish();
        Ok(())
    }
}

/// `REC { version: string; RECORDS: [Record] }`.
struct RecTable;

impl Verifiable for RecTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<&str>>("version", 4, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, ForwardsUOffset<RecordTable>>>>(
                "RECORDS", 6, false,
            )?
            .finish();
        Ok(())
    }
}

/// `ENC` (spec 4.2).
pub(crate) struct EncTable;

impl Verifiable for EncTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u8>("VERSION", 4, false)?
            .visit_field::<i8>("KEY_EXCHANGE", 6, false)?
            .visit_field::<i8>("SYMMETRIC", 8, false)?
            .visit_field::<i8>("KEY_DERIVATION", 10, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("EPHEMERAL_PUBLIC_KEY", 12, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("NONCE_START", 14, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("RECIPIENT_KEY_ID", 16, false)?
            .visit_field::<ForwardsUOffset<&str>>("CONTEXT", 18, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("SCHEMA_HASH", 20, false)?
            .visit_field::<ForwardsUOffset<&str>>("ROOT_TYPE", 22, false)?
            .visit_field::<u64>("TIMESTAMP", 24, false)?
            .finish();
        Ok(())
    }
}

/// `PNM` (spec 4.3): nine optional strings.
pub(crate) struct PnmTable;

impl Verifiable for PnmTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        let mut table = v.visit_table(pos)?;
        for slot in 0..9u16 {
            table = table.visit_field::<ForwardsUOffset<&str>>("PNM field", 4 + 2 * slot, false)?;
        }
        table.finish();
        Ok(())
    }
}

/// Which table type sits at a position.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Rec,
    Enc,
    Pnm,
}

/// Most tables one buffer may hold (records and their values): a cap against hostile input.
pub(crate) const MAX_TABLES: usize = 256;

/// Runs the verifier on the root of `buf` and on each `(kind, table position)` in `extra`.
pub(crate) fn run(buf: &[u8], root: Kind, extra: &[(Kind, usize)]) -> Result<(), String> {
    let options = VerifierOptions {
        max_depth: 16,
        max_tables: MAX_TABLES,
        ..VerifierOptions::default()
    };
    let mut verifier = Verifier::new(&options, buf);
    let result = match root {
        Kind::Rec => ForwardsUOffset::<RecTable>::run_verifier(&mut verifier, 0),
        Kind::Enc => ForwardsUOffset::<EncTable>::run_verifier(&mut verifier, 0),
        Kind::Pnm => ForwardsUOffset::<PnmTable>::run_verifier(&mut verifier, 0),
    };
    result.map_err(|err| format!("FlatBuffers verification failed: {err}"))?;
    for &(kind, pos) in extra {
        let mut verifier = Verifier::new(&options, buf);
        let result = match kind {
            Kind::Rec => RecTable::run_verifier(&mut verifier, pos),
            Kind::Enc => EncTable::run_verifier(&mut verifier, pos),
            Kind::Pnm => PnmTable::run_verifier(&mut verifier, pos),
        };
        result.map_err(|err| format!("FlatBuffers verification failed: {err}"))?;
    }
    Ok(())
}
