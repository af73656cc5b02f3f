//! `orbpro.stream.FlatBufferTypeRef` (spec section 3.2): the type reference used by manifest
//! ports (`allowed_types`), `schemas_used`, and bundle entries (`type_ref`).
//!
//! JSON → `TypeRef` normalization differs between the manifest path (section 4.3.9, in
//! `crate::manifest`) and the bundle path (section 7.3.4, in the bundle module). The parts both
//! paths share (`wireFormat` and the three numeric fields) are here.

use flatbuffers::{
    FlatBufferBuilder, ForwardsUOffset, InvalidFlatbuffer, Vector, Verifiable, Verifier,
};
use serde_json::Value;

use super::checked::{Checked, Table, Walker};
use super::{
    TableOffset, TableReader, create_opt_string, json_object, opt_str, push_opt, push_stored,
    reference_opt_text, slot,
};
use crate::Result;

/// `PayloadWireFormat.Flatbuffer`.
pub const WIRE_FORMAT_FLATBUFFER: u8 = 0;
/// `PayloadWireFormat.AlignedBinary`.
pub const WIRE_FORMAT_ALIGNED_BINARY: u8 = 1;

/// A decoded or normalized `FlatBufferTypeRef`.
///
/// Numeric fields are `Option`: `Some(v)` means the field is stored in the buffer with value
/// `v`, `None` that it is not stored (the schema default 0 applies). The distinction matters for
/// byte identity: the reference decides whether to store a value by comparing it with the
/// default *before* wrapping it to the field width, so `fixedStringLength: 65536` is stored as 0.
/// Use the `*_or_default` accessors for the effective value.
///
/// Generic over how it holds text (`S`) and bytes (`B`): [`TypeRef`] owns them, [`TypeRefRef`]
/// borrows them from the buffer it was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeRefOf<S, B> {
    pub schema_name: Option<S>,
    pub file_identifier: Option<S>,
    pub schema_hash: B,
    pub accepts_any_flatbuffer: bool,
    /// [`WIRE_FORMAT_FLATBUFFER`] or [`WIRE_FORMAT_ALIGNED_BINARY`] (any other stored byte
    /// reads as flatbuffer in JSON); stored when not 0.
    pub wire_format: u8,
    pub root_type_name: Option<S>,
    pub fixed_string_length: Option<u16>,
    pub byte_length: Option<u32>,
    pub required_alignment: Option<u16>,
}

/// The owned type reference.
pub type TypeRef = TypeRefOf<String, Vec<u8>>;
/// A type reference borrowed from its buffer.
pub type TypeRefRef<'a> = TypeRefOf<&'a str, &'a [u8]>;

impl<S, B> TypeRefOf<S, B> {
    /// The owned type reference (copies borrowed text and bytes).
    pub fn into_owned(self) -> TypeRef
    where
        S: Into<String>,
        B: Into<Vec<u8>>,
    {
        TypeRef {
            schema_name: self.schema_name.map(Into::into),
            file_identifier: self.file_identifier.map(Into::into),
            schema_hash: self.schema_hash.into(),
            accepts_any_flatbuffer: self.accepts_any_flatbuffer,
            wire_format: self.wire_format,
            root_type_name: self.root_type_name.map(Into::into),
            fixed_string_length: self.fixed_string_length,
            byte_length: self.byte_length,
            required_alignment: self.required_alignment,
        }
    }

    pub fn fixed_string_length_or_default(&self) -> u16 {
        self.fixed_string_length.unwrap_or(0)
    }

    pub fn byte_length_or_default(&self) -> u32 {
        self.byte_length.unwrap_or(0)
    }

    pub fn required_alignment_or_default(&self) -> u16 {
        self.required_alignment.unwrap_or(0)
    }

    /// True when the stored wire format is aligned-binary.
    pub fn is_aligned_binary(&self) -> bool {
        self.wire_format == WIRE_FORMAT_ALIGNED_BINARY
    }
}

/// The text name of a stored wire-format byte, as the reference decodes it.
pub fn wire_format_name(value: u8) -> &'static str {
    if value == WIRE_FORMAT_ALIGNED_BINARY {
        "aligned-binary"
    } else {
        "flatbuffer"
    }
}

/// Writes the table: its children in the order of section 3.2 (`schema_name`,
/// `file_identifier`, `schema_hash` (always), `root_type_name`), then slots 0..8.
pub fn write_type_ref<'a, S: AsRef<str>, B: AsRef<[u8]>>(
    fbb: &mut FlatBufferBuilder<'a>,
    t: &TypeRefOf<S, B>,
) -> TableOffset {
    let schema_name = create_opt_string(fbb, opt_str(&t.schema_name));
    let file_identifier = create_opt_string(fbb, opt_str(&t.file_identifier));
    let schema_hash = fbb.create_vector(t.schema_hash.as_ref());
    let root_type_name = create_opt_string(fbb, opt_str(&t.root_type_name));
    let start = fbb.start_table();
    push_opt(fbb, slot(0), schema_name);
    push_opt(fbb, slot(1), file_identifier);
    fbb.push_slot_always(slot(2), schema_hash);
    fbb.push_slot(slot(3), t.accepts_any_flatbuffer, false);
    fbb.push_slot(slot(4), t.wire_format, WIRE_FORMAT_FLATBUFFER);
    push_opt(fbb, slot(5), root_type_name);
    push_stored(fbb, slot(6), t.fixed_string_length);
    push_stored(fbb, slot(7), t.byte_length);
    push_stored(fbb, slot(8), t.required_alignment);
    fbb.end_table(start)
}

/// Verifier for a `FlatBufferTypeRef` table (no required fields). Use it as
/// `visit_field::<ForwardsUOffset<TypeRefTable>>(..)` or inside a vector of offsets.
pub struct TypeRefTable;

impl Verifiable for TypeRefTable {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<&str>>("schema_name", slot(0), false)?
            .visit_field::<ForwardsUOffset<&str>>("file_identifier", slot(1), false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("schema_hash", slot(2), false)?
            .visit_field::<bool>("accepts_any_flatbuffer", slot(3), false)?
            .visit_field::<u8>("wire_format", slot(4), false)?
            .visit_field::<ForwardsUOffset<&str>>("root_type_name", slot(5), false)?
            .visit_field::<u16>("fixed_string_length", slot(6), false)?
            .visit_field::<u32>("byte_length", slot(7), false)?
            .visit_field::<u16>("required_alignment", slot(8), false)?
            .finish();
        Ok(())
    }
}

/// Verifies and reads a `FlatBufferTypeRef` table in one pass (see [`super::checked`]).
pub fn check_type_ref<'a, S: From<&'a str>, B: From<&'a [u8]>>(
    w: &mut Walker<'a>,
    t: Table,
) -> Checked<TypeRefOf<S, B>> {
    Ok(TypeRefOf {
        schema_name: w.str(t, slot(0))?.map(S::from),
        file_identifier: w.str(t, slot(1))?.map(S::from),
        schema_hash: B::from(w.bytes(t, slot(2))?),
        accepts_any_flatbuffer: w.bool(t, slot(3), false)?,
        wire_format: w.u8(t, slot(4))?.unwrap_or(WIRE_FORMAT_FLATBUFFER),
        root_type_name: w.str(t, slot(5))?.map(S::from),
        fixed_string_length: w.u16(t, slot(6))?,
        byte_length: w.u32(t, slot(7))?,
        required_alignment: w.u16(t, slot(8))?,
    })
}

/// Reads a (verified) `FlatBufferTypeRef` table.
pub fn read_type_ref(table: &TableReader<'_>) -> Result<TypeRef> {
    Ok(TypeRef {
        schema_name: table.string(slot(0))?,
        file_identifier: table.string(slot(1))?,
        schema_hash: table.byte_vector(slot(2))?,
        accepts_any_flatbuffer: table.bool(slot(3), false)?,
        wire_format: table.u8(slot(4))?.unwrap_or(WIRE_FORMAT_FLATBUFFER),
        root_type_name: table.string(slot(5))?,
        fixed_string_length: table.u16(slot(6))?,
        byte_length: table.u32(slot(7))?,
        required_alignment: table.u16(slot(8))?,
    })
}

/// The JSON the reference's decoders produce for a type reference (spec 4.7 / 10.2): all nine
/// members in schema order, absent strings as `null` (strings as [`super::reference_text`]),
/// `schemaHash` as an array of numbers, `wireFormat` as its text name.
pub fn type_ref_to_json<S: AsRef<str>, B: AsRef<[u8]>>(t: &TypeRefOf<S, B>) -> Value {
    json_object([
        ("schemaName", (reference_opt_text(&t.schema_name)).into()),
        (
            "fileIdentifier",
            (reference_opt_text(&t.file_identifier)).into(),
        ),
        (
            "schemaHash",
            t.schema_hash.as_ref().iter().copied().collect(),
        ),
        ("acceptsAnyFlatbuffer", (t.accepts_any_flatbuffer).into()),
        ("wireFormat", (wire_format_name(t.wire_format)).into()),
        (
            "rootTypeName",
            (reference_opt_text(&t.root_type_name)).into(),
        ),
        (
            "fixedStringLength",
            (t.fixed_string_length_or_default()).into(),
        ),
        ("byteLength", (t.byte_length_or_default()).into()),
        (
            "requiredAlignment",
            (t.required_alignment_or_default()).into(),
        ),
    ])
}

/// `wireFormat` normalization shared by both paths (4.3.9): the JSON number 1 → aligned-binary;
/// otherwise the text (`String()` of the value, absent/null → empty) trimmed, lowercased, `_`
/// → `-`, equal to `aligned-binary` → aligned-binary; anything else → flatbuffer (so the
/// *string* `"1"` is flatbuffer).
pub fn wire_format_from_json(value: Option<&Value>) -> u8 {
    match value {
        None | Some(Value::Null) => WIRE_FORMAT_FLATBUFFER,
        Some(Value::Number(n)) if crate::js::number_value(n) == 1.0 => WIRE_FORMAT_ALIGNED_BINARY,
        Some(Value::String(text)) => wire_format_from_text(text),
        Some(other) => wire_format_from_text(&crate::js::to_js_string(other)),
    }
}

fn wire_format_from_text(text: &str) -> u8 {
    const NAME: &[u8] = b"aligned-binary";
    let trimmed = crate::js::js_trim(text);
    let aligned = if trimmed.is_ascii() {
        // `toLowerCase()` then `_` → `-`, compared without allocating.
        trimmed.len() == NAME.len()
            && trimmed.bytes().zip(NAME).all(|(byte, &expected)| {
                let byte = byte.to_ascii_lowercase();
                byte == expected || (byte == b'_' && expected == b'-')
            })
    } else {
        trimmed.to_lowercase().replace('_', "-") == "aligned-binary"
    };
    if aligned {
        WIRE_FORMAT_ALIGNED_BINARY
    } else {
        WIRE_FORMAT_FLATBUFFER
    }
}

/// The reference's `normalizeUnsignedInteger` followed by the builder's store decision, for an
/// unsigned field `bits` wide (16 or 32): `Number(value ?? 0)`, non-finite → 0, negative → 0,
/// truncated toward zero; stored (`Some`) when that differs from 0, as the value modulo
/// 2^bits. Used by `fixedStringLength`, `byteLength`, `requiredAlignment` and a protocol's
/// `defaultPort`.
pub fn stored_unsigned(value: Option<&Value>, bits: u32) -> Option<u64> {
    let number = match value {
        None | Some(Value::Null) => 0.0,
        Some(v) => crate::js::to_number(v),
    };
    let normalized = if number.is_finite() {
        number.trunc().max(0.0)
    } else {
        0.0
    };
    (normalized != 0.0).then(|| crate::js::wrap_unsigned(normalized, bits))
}

/// [`stored_unsigned`] for a u16 field.
pub fn stored_u16(value: Option<&Value>) -> Option<u16> {
    stored_unsigned(value, 16).and_then(|v| u16::try_from(v).ok())
}

/// [`stored_unsigned`] for a u32 field.
pub fn stored_u32(value: Option<&Value>) -> Option<u32> {
    stored_unsigned(value, 32).and_then(|v| u32::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn round_trip(t: &TypeRef) -> TypeRef {
        let mut fbb = FlatBufferBuilder::new();
        let root = write_type_ref(&mut fbb, t);
        fbb.finish(root, Some("TEST"));
        let bytes = fbb.finished_data();
        crate::fbs::verify_root::<TypeRefTable>(bytes, ErrorCode::ManifestMalformed, "type ref")
            .unwrap();
        read_type_ref(&TableReader::root(bytes, ErrorCode::ManifestMalformed).unwrap()).unwrap()
    }

    #[test]
    fn round_trips_every_field() {
        let t = TypeRef {
            schema_name: Some("OMM.fbs".into()),
            file_identifier: Some("$OMM".into()),
            schema_hash: vec![1, 2, 255],
            accepts_any_flatbuffer: true,
            wire_format: WIRE_FORMAT_ALIGNED_BINARY,
            root_type_name: Some("OMM".into()),
            fixed_string_length: Some(0),
            byte_length: Some(96),
            required_alignment: Some(8),
        };
        assert_eq!(round_trip(&t), t);
        assert_eq!(round_trip(&TypeRef::default()), TypeRef::default());
    }

    #[test]
    fn json_rendering_has_the_reference_shape() {
        let t = TypeRef {
            schema_hash: vec![7],
            wire_format: 9,
            ..TypeRef::default()
        };
        let text = serde_json::to_string(&type_ref_to_json(&t)).unwrap();
        assert_eq!(
            text,
            r#"{"schemaName":null,"fileIdentifier":null,"schemaHash":[7],"acceptsAnyFlatbuffer":false,"wireFormat":"flatbuffer","rootTypeName":null,"fixedStringLength":0,"byteLength":0,"requiredAlignment":0}"#
        );
    }

    #[test]
    fn shared_normalization_rules() {
        use serde_json::json;
        assert_eq!(
            wire_format_from_json(Some(&json!(1))),
            WIRE_FORMAT_ALIGNED_BINARY
        );
        assert_eq!(
            wire_format_from_json(Some(&json!("1"))),
            WIRE_FORMAT_FLATBUFFER
        );
        assert_eq!(
            wire_format_from_json(Some(&json!(" Aligned_Binary "))),
            WIRE_FORMAT_ALIGNED_BINARY
        );
        assert_eq!(wire_format_from_json(None), WIRE_FORMAT_FLATBUFFER);
        assert_eq!(stored_u16(Some(&json!(12.9))), Some(12));
        assert_eq!(stored_u16(Some(&json!(-5))), None);
        assert_eq!(stored_u16(Some(&json!(65536))), Some(0));
        assert_eq!(stored_u16(Some(&json!("abc"))), None);
        assert_eq!(stored_u32(Some(&json!(" 7 "))), Some(7));
        assert_eq!(stored_u32(None), None);
    }
}
