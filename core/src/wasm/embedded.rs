//! Reading the embedded manifest without running the guest.
//!
//! A module exports `plugin_get_manifest_flatbuffer` (a pointer into its memory) and
//! `plugin_get_manifest_flatbuffer_size`. When both bodies are constants (`i32.const N; end`,
//! what clang emits for a static array) and the pointer lies inside one active data segment,
//! the manifest bytes are that segment's slice: core reads them statically, so the capability
//! ceiling of a module never depends on code the module itself runs.

use wasmparser::{DataKind, ExternalKind, Operator, Parser, Payload, TypeRef};

/// The export returning the manifest's address.
pub const MANIFEST_EXPORT: &str = "plugin_get_manifest_flatbuffer";
/// The export returning the manifest's length.
pub const MANIFEST_SIZE_EXPORT: &str = "plugin_get_manifest_flatbuffer_size";

/// The embedded manifest bytes, when they can be read statically; `None` otherwise (missing
/// exports, computed bodies, a pointer outside every data segment, malformed wasm).
pub fn embedded_manifest_bytes(wasm: &[u8]) -> Option<Vec<u8>> {
    let mut imported_functions = 0u32;
    let mut pointer_fn = None;
    let mut size_fn = None;
    let mut bodies: Vec<Option<i64>> = Vec::new();
    let mut segments: Vec<(i64, &[u8])> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.ok()? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import.ok()?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.ok()?;
                    if export.kind != ExternalKind::Func {
                        continue;
                    }
                    match export.name {
                        MANIFEST_EXPORT => pointer_fn = Some(export.index),
                        MANIFEST_SIZE_EXPORT => size_fn = Some(export.index),
                        _ => {}
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(constant_body(&body)),
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.ok()?;
                    if let DataKind::Active {
                        memory_index: 0,
                        offset_expr,
                    } = data.kind
                        && let Some(base) = constant_expr(offset_expr.get_operators_reader())
                    {
                        segments.push((base, data.data));
                    }
                }
            }
            _ => {}
        }
    }
    let body = |index: u32| -> Option<i64> {
        let local = index.checked_sub(imported_functions)?;
        *bodies.get(usize::try_from(local).ok()?)?
    };
    // i32 results: the guest sees them as u32 addresses and lengths.
    let pointer = body(pointer_fn?)? & 0xffff_ffff;
    let size = body(size_fn?)? & 0xffff_ffff;
    segments.iter().find_map(|(base, bytes)| {
        let base = base & 0xffff_ffff;
        let start = usize::try_from(pointer.checked_sub(base)?).ok()?;
        let end = start.checked_add(usize::try_from(size).ok()?)?;
        bytes.get(start..end).map(<[u8]>::to_vec)
    })
}

fn constant_body(body: &wasmparser::FunctionBody<'_>) -> Option<i64> {
    constant_expr(body.get_operators_reader().ok()?)
}

/// `i32.const N; end` (nothing else) gives `N`.
fn constant_expr(mut reader: wasmparser::OperatorsReader<'_>) -> Option<i64> {
    let value = match reader.read().ok()? {
        Operator::I32Const { value } => i64::from(value),
        _ => return None,
    };
    match reader.read().ok()? {
        Operator::End if reader.eof() => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(pointer_body: &str) -> Vec<u8> {
        wat::parse_str(format!(
            r#"(module
                 (import "env" "f" (func))
                 (memory (export "memory") 1)
                 (data (i32.const 1024) "xxPMANyy")
                 (func (export "plugin_get_manifest_flatbuffer") (result i32) {pointer_body})
                 (func (export "plugin_get_manifest_flatbuffer_size") (result i32) i32.const 4))"#
        ))
        .unwrap()
    }

    #[test]
    fn constant_exports_are_read_from_the_data_segment() {
        assert_eq!(
            embedded_manifest_bytes(&module("i32.const 1026")).as_deref(),
            Some(&b"PMAN"[..])
        );
    }

    #[test]
    fn computed_or_out_of_segment_pointers_give_nothing() {
        assert_eq!(
            embedded_manifest_bytes(&module("i32.const 1020 i32.const 6 i32.add")),
            None
        );
        assert_eq!(embedded_manifest_bytes(&module("i32.const 1030")), None);
        assert_eq!(embedded_manifest_bytes(&module("i32.const 4000")), None);
        assert_eq!(embedded_manifest_bytes(b"\0asm\x01\0\0\0"), None);
        assert_eq!(embedded_manifest_bytes(b"garbage"), None);
    }
}
