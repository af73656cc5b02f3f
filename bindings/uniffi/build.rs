//! Generates the `ErrorCode` enum of the bindings from the error table of `docs/errors.md`
//! (kept in step with the core's `ErrorCode` by a core test; `error.rs` here checks the
//! generated list against `ErrorCode::ALL` both ways). Nothing is hand-written per code, so a
//! code added to the core reaches Kotlin and Swift with the next build.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let table = manifest_dir.join("../../docs/errors.md");
    println!("cargo::rerun-if-changed={}", table.display());
    let text =
        std::fs::read_to_string(&table).unwrap_or_else(|err| panic!("{}: {err}", table.display()));

    let mut variants = String::new();
    let mut from_number = String::new();
    let mut count = 0usize;
    for line in text.lines() {
        let Some((number, name, class, description)) = code_row(line) else {
            continue;
        };
        let variant = camel_case(name);
        let doc = description.replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(
            variants,
            "    #[doc = \"`{name}` ({class}): {doc}\"]\n    {variant} = {number},"
        );
        let _ = writeln!(
            from_number,
            "            {number} => Some(ErrorCode::{variant}),"
        );
        count += 1;
    }
    assert!(
        count > 50,
        "docs/errors.md: only {count} code rows found; did the table format change?"
    );

    let code = format!(
        "/// The stable error codes (`docs/errors.md`); the discriminant is the stable number.\n\
         #[repr(u32)]\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]\n\
         pub enum ErrorCode {{\n{variants}}}\n\n\
         impl ErrorCode {{\n\
         \x20   /// How many codes the table has.\n\
         \x20   pub const COUNT: usize = {count};\n\n\
         \x20   /// The code with this stable number.\n\
         \x20   pub fn from_number(number: u32) -> Option<ErrorCode> {{\n\
         \x20       match number {{\n{from_number}            _ => None,\n        }}\n    }}\n}}\n"
    );
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it")).join("error_codes.rs");
    std::fs::write(&out, code).unwrap_or_else(|err| panic!("{}: {err}", out.display()));
}

/// `| 616 | `key-invalid` | security | description |` -> its four cells.
fn code_row(line: &str) -> Option<(u32, &str, &str, &str)> {
    let cells: Vec<&str> = line
        .strip_prefix('|')?
        .strip_suffix('|')?
        .split('|')
        .map(str::trim)
        .collect();
    let [number, name, class, description] = cells.as_slice() else {
        return None;
    };
    let number = number.parse().ok()?;
    let name = name.strip_prefix('`')?.strip_suffix('`')?;
    let kebab = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (kebab && !name.is_empty()).then_some((number, name, *class, *description))
}

/// `runtime-host-invalid-schema-id` -> `RuntimeHostInvalidSchemaId`.
fn camel_case(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}
