//! The C sources the compiler generates next to the user's source.

use std::fmt::Write as _;

use crate::compiler::methods::MethodSpec;
use crate::{Error, ErrorCode, Result};

/// The helper API header guests include (`space_data_module_invoke.h`, spec 7.2).
pub const INVOKE_HEADER: &str = include_str!("c/space_data_module_invoke.h");
/// The method-independent glue: request verifier, dispatch, response writer, command `main`.
pub const INVOKE_GLUE: &str = include_str!("c/sdm_invoke_glue.c");
/// The method-table declarations shared by the glue and the generated table.
pub const METHODS_HEADER: &str = include_str!("c/sdm_methods.h");

/// The embedded-manifest unit: the bytes in static data and the two accessor exports.
/// Errors: `compiler-invalid-manifest` for empty bytes.
pub fn manifest_unit(manifest_bytes: &[u8]) -> Result<String> {
    if manifest_bytes.is_empty() {
        return Err(Error::new(
            ErrorCode::CompilerInvalidManifest,
            "generateEmbeddedManifestSource requires manifest bytes.",
        ));
    }
    let mut out = String::from(
        "/* Embedded PluginManifest (generated). */\n#include <stddef.h>\n#include <stdint.h>\n\nstatic const uint8_t g_module_manifest[] = {\n",
    );
    for row in manifest_bytes.chunks(12) {
        let line: Vec<String> = row.iter().map(|b| format!("0x{b:02x}")).collect();
        let _ = writeln!(out, "  {},", line.join(", "));
    }
    out.push_str(
        "};\n\n__attribute__((visibility(\"default\"))) const uint8_t *plugin_get_manifest_flatbuffer(void) {\n  return g_module_manifest;\n}\n\n__attribute__((visibility(\"default\"))) uint32_t plugin_get_manifest_flatbuffer_size(void) {\n  return (uint32_t)sizeof(g_module_manifest);\n}\n",
    );
    Ok(out)
}

/// A C string literal for any text (non-alphanumeric bytes as octal escapes).
fn c_string(text: &str) -> String {
    let mut out = String::from("\"");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b' ' | b':' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "\\{byte:03o}");
        }
    }
    out.push('"');
    out
}

/// The method table (`sdm_methods.c`), plus `main` when the command surface is built.
pub fn method_table_unit(methods: &[MethodSpec], command: bool) -> String {
    let mut out = String::from(
        "/* Method table (generated from the manifest). */\n#include <stddef.h>\n#include <stdint.h>\n#include \"sdm_methods.h\"\n\n",
    );
    for method in methods {
        let _ = writeln!(out, "int {}(void);", method.method_id);
    }
    for (index, method) in methods.iter().enumerate() {
        if !method.input_ports.is_empty() {
            let names: Vec<String> = method
                .input_ports
                .iter()
                .map(|(port, _)| c_string(port))
                .collect();
            let required: Vec<&str> = method
                .input_ports
                .iter()
                .map(|(_, required)| if *required { "1" } else { "0" })
                .collect();
            let _ = writeln!(
                out,
                "static const char *const sdm_in_{index}[] = {{ {} }};",
                names.join(", ")
            );
            let _ = writeln!(
                out,
                "static const uint8_t sdm_required_{index}[] = {{ {} }};",
                required.join(", ")
            );
        }
        if !method.output_ports.is_empty() {
            let names: Vec<String> = method
                .output_ports
                .iter()
                .map(|port| c_string(port))
                .collect();
            let _ = writeln!(
                out,
                "static const char *const sdm_out_{index}[] = {{ {} }};",
                names.join(", ")
            );
        }
    }
    out.push_str("\nconst sdm_method_t sdm_methods[] = {\n");
    for (index, method) in methods.iter().enumerate() {
        let (inputs, required) = if method.input_ports.is_empty() {
            ("NULL".to_owned(), "NULL".to_owned())
        } else {
            (format!("sdm_in_{index}"), format!("sdm_required_{index}"))
        };
        let outputs = if method.output_ports.is_empty() {
            "NULL".to_owned()
        } else {
            format!("sdm_out_{index}")
        };
        let _ = writeln!(
            out,
            "  {{ {}, {}, {inputs}, {required}, {}, {outputs}, {} }},",
            c_string(&method.method_id),
            method.method_id,
            method.input_ports.len(),
            method.output_ports.len()
        );
    }
    if methods.is_empty() {
        out.push_str("  { \"\", NULL, NULL, NULL, 0, NULL, 0 },\n");
    }
    let _ = writeln!(
        out,
        "}};\nconst uint32_t sdm_method_count = {};",
        methods.len()
    );
    if command {
        out.push_str(
            "\nint main(int argc, char **argv) { return sdm_command_main(argc, argv); }\n",
        );
    }
    out
}
