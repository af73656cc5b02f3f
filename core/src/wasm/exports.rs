//! Export lookup (static: nothing is instantiated).

use wasmparser::{ExternalKind, Parser, Payload};

use crate::{Error, ErrorCode, Result};

/// One export of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub kind: ExportKind,
    pub index: u32,
}

/// What an export names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
    Other,
}

/// Every export of `wasm`, in declaration order. Only the export section is read; the
/// module is not validated (a malformed export section is still an error).
pub fn exports(wasm: &[u8]) -> Result<Vec<Export>> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(invalid)?;
        if let Payload::ExportSection(reader) = payload {
            for export in reader {
                let export = export.map_err(invalid)?;
                let kind = match export.kind {
                    ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                    ExternalKind::Table => ExportKind::Table,
                    ExternalKind::Memory => ExportKind::Memory,
                    ExternalKind::Global => ExportKind::Global,
                    ExternalKind::Tag => ExportKind::Tag,
                };
                out.push(Export {
                    name: export.name.to_owned(),
                    kind,
                    index: export.index,
                });
            }
        }
    }
    Ok(out)
}

/// The names of every export of `wasm`, in declaration order.
pub fn export_names(wasm: &[u8]) -> Result<Vec<String>> {
    Ok(exports(wasm)?.into_iter().map(|e| e.name).collect())
}

fn invalid(err: wasmparser::BinaryReaderError) -> Error {
    Error::new(
        ErrorCode::WasmInvalid,
        format!("cannot read module exports: {err}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_exports_of_the_vector_module() {
        let wasm = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../vectors/single-file-bundle/base-module.wasm"
        ))
        .unwrap();
        let names = export_names(&wasm).unwrap();
        for expected in [
            "memory",
            "plugin_get_manifest_flatbuffer",
            "plugin_get_manifest_flatbuffer_size",
            "plugin_invoke_stream",
            "plugin_alloc",
            "plugin_free",
            "_start",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "missing export {expected} in {names:?}"
            );
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert_eq!(
            export_names(b"\0asm\x01\0\0\0\x07\x05\x01")
                .unwrap_err()
                .code(),
            ErrorCode::WasmInvalid
        );
        assert!(export_names(b"nope").is_err());
    }
}
