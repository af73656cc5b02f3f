//! A check for C source that comes from someone other than the machine's user (the lab's HTTP
//! API): the compiler must read no file the source names. Without it, `#include "/etc/passwd"`
//! would put a server file into clang's diagnostics, which the caller sees.
//!
//! Accepted: `#include <name.h>` and `#include <dir/name.h>` for headers of the toolchain's
//! include path (plain names: letters, digits, `_`, `-`, `.`, `/`; no `..`, no leading `/`), and
//! `#include "space_data_module_invoke.h"`. Refused (`invalid-argument`): any other `#include`,
//! `#include_next`, `#import` and `#embed`, an include through a macro, `__has_include`
//! (probes for files), digraph directives (`%:`), and the assembler's `.incbin`. Backslash-newline
//! splices are joined first, as the preprocessor does. This is stricter than C needs: a source
//! the CLI compiles from a local file is not checked.

use crate::{Error, ErrorCode, Result};

/// The header the compiler writes beside the source, the one quoted include allowed.
const GUEST_HEADER: &str = "space_data_module_invoke.h";

/// Fails with `invalid-argument` when `source` could make the compiler read a file it names.
pub fn check_source_reads_no_files(source: &str) -> Result<()> {
    let joined = source.replace("\\\r\n", "").replace("\\\n", "");
    let code = strip_comments(&joined);
    for (index, line) in code.lines().enumerate() {
        let refuse = |why: &str| {
            Err(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "C source line {} (after joining continued lines): {why}; the lab compiles \
                     only sources that include standard headers and {GUEST_HEADER}",
                    index + 1
                ),
            ))
        };
        if line.contains("__has_include") {
            return refuse("__has_include is not allowed");
        }
        if line.contains(".incbin") {
            return refuse(".incbin is not allowed");
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("%:") {
            return refuse("digraph directives (%:) are not allowed");
        }
        let Some(directive) = trimmed.strip_prefix('#') else {
            continue;
        };
        let directive = directive.trim_start();
        let name_end = directive
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(directive.len());
        let (name, rest) = directive.split_at(name_end);
        match name {
            "include" if !include_target_allowed(rest.trim()) => {
                return refuse(&format!(
                    "#include {} is not a standard header nor {GUEST_HEADER}",
                    rest.trim().chars().take(80).collect::<String>()
                ));
            }
            "include_next" | "import" | "embed" => {
                return refuse(&format!("#{name} is not allowed"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The source with every comment replaced by a space (block comments keep their newlines, so
/// line numbers stay), as the preprocessor sees it: `# /* x */ include` is an include.
/// String and character literals are kept as they are.
fn strip_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                out.push(c);
                while let Some(inner) = chars.next() {
                    out.push(inner);
                    if inner == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if inner == c || inner == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push(' ');
                let mut last = '\0';
                for inner in chars.by_ref() {
                    if inner == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && inner == '/' {
                        break;
                    }
                    last = inner;
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                out.push(' ');
                while chars.peek().is_some_and(|&next| next != '\n') {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `<plain/relative.h>` or `"space_data_module_invoke.h"`, with nothing after.
fn include_target_allowed(target: &str) -> bool {
    let (inner, after) = if let Some(rest) = target.strip_prefix('<') {
        match rest.split_once('>') {
            Some(parts) => parts,
            None => return false,
        }
    } else if let Some(rest) = target.strip_prefix('"') {
        match rest.split_once('"') {
            Some((inner, after)) if inner == GUEST_HEADER => (inner, after),
            _ => return false,
        }
    } else {
        return false;
    };
    let plain = !inner.is_empty()
        && !inner.starts_with('/')
        && inner
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    after.trim().is_empty() && plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_headers_and_the_guest_header_pass() {
        let source = "#include <stdint.h>\n#include <sys/types.h>\n  #  include \"space_data_module_invoke.h\" // api\n#define X 1\nint echo(void) { return 0; }\n";
        check_source_reads_no_files(source).unwrap();
        check_source_reads_no_files(include_str!("../../../examples/invoke-echo/module.c"))
            .unwrap();
    }

    #[test]
    fn anything_that_names_a_file_is_refused() {
        for source in [
            "#include \"/etc/passwd\"",
            "#include </etc/passwd>",
            "#include <../../etc/passwd>",
            "#include <sys/../../etc/passwd>",
            "#include \"other.h\"",
            "#define P \"/etc/passwd\"\n#include P",
            "#inc\\\nlude \"/etc/passwd\"",
            "#include_next <stdio.h>",
            "#import \"x.h\"",
            "#embed \"/etc/passwd\"",
            "%:include \"/etc/passwd\"",
            "#if __has_include(\"/root/.ssh/id_rsa\")\n#endif",
            "__asm__(\".incbin \\\"/etc/passwd\\\"\");",
            "#include <stdint.h> junk",
            "# /* a comment */ include \"/etc/passwd\"",
            "#/**/include </etc/passwd>",
        ] {
            let err = check_source_reads_no_files(source).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgument, "{source}");
        }
    }
}
