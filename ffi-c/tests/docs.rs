//! docs/c-abi.md and the header stay true to the library: every function the header declares
//! has a row in the function table of docs/c-abi.md with its thread safety, every `sdm_` name
//! the document mentions exists, and every error code either text names exists (with the
//! number it is given).

use std::collections::BTreeSet;
use std::path::Path;

use space_data_module::ErrorCode;

/// Backticked kebab-case words of the documents that are not error codes.
const NOT_CODES: [&str; 5] = [
    "space-data-module-ffi",
    "test-hooks",
    "verify-authorization",
    "sign-wasm",
    "verify-wasm",
];

/// The thread-safety labels of the function table (defined in docs/c-abi.md, "Thread safety").
const THREAD_LABELS: [&str; 4] = ["any", "shared", "free", "thread"];

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Identifiers `sdm_[a-z0-9_]+` in `text` for which `keep(text after the identifier)` holds.
fn sdm_names(text: &str, keep: impl Fn(&str) -> bool) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("sdm_") {
        let preceded_by_word = at > 0 && {
            let before = rest.as_bytes()[at - 1];
            before.is_ascii_alphanumeric() || before == b'_'
        };
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(tail.len());
        // `end > 4`: the bare prefix `sdm_` is not a name.
        if !preceded_by_word && end > 4 && keep(&tail[end..]) {
            names.insert(tail[..end].to_owned());
        }
        rest = &tail[end..];
    }
    names
}

/// The functions the header declares (`name(` at a declaration).
fn header_functions(header: &str) -> BTreeSet<String> {
    let declarations: String = header
        .lines()
        .filter(|line| !line.trim_start().starts_with("//") && !line.trim_start().starts_with('*'))
        .collect::<Vec<_>>()
        .join("\n");
    sdm_names(&declarations, |after| after.starts_with('('))
}

/// The type names the header defines (`typedef ... sdm_x;` / `struct sdm_x`).
fn header_types(header: &str) -> BTreeSet<String> {
    header
        .lines()
        .filter(|line| line.starts_with("typedef"))
        .flat_map(|line| sdm_names(line, |_| true))
        .collect()
}

/// Backticked words made of `[a-z0-9]` parts joined by `-`, each with the number written right
/// before it (`605 \`signature-invalid\``), if any.
fn kebab_mentions(text: &str) -> Vec<(Option<u32>, String)> {
    let mut mentions = Vec::new();
    for (index, piece) in text.split('`').enumerate() {
        let is_code_like = index % 2 == 1
            && piece.contains('-')
            && piece.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !is_code_like {
            continue;
        }
        // The text before the opening backtick is the previous piece.
        let before = text.split('`').nth(index - 1).unwrap_or("");
        let number = before
            .trim_end_matches(' ')
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .filter(|digits| !digits.is_empty() && before.ends_with(' '))
            .and_then(|digits| digits.parse().ok());
        mentions.push((number, piece.to_owned()));
    }
    mentions
}

fn check_code_mentions(what: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (number, name) in kebab_mentions(text) {
        if NOT_CODES.contains(&name.as_str()) {
            continue;
        }
        match (ErrorCode::from_name(&name), number) {
            (None, _) => problems.push(format!("{what}: `{name}` is not an error code")),
            (Some(code), Some(number)) if code.number() != number => problems.push(format!(
                "{what}: {number} `{name}`, but `{name}` is {}",
                code.number()
            )),
            _ => {}
        }
    }
    problems
}

#[test]
fn every_header_function_has_a_row_with_its_thread_safety() {
    let header = read("include/space_data_module.h");
    let doc = read("docs/c-abi.md");
    let functions = header_functions(&header);
    assert!(functions.len() > 40, "found {} functions", functions.len());
    let mut rows = BTreeSet::new();
    let mut problems = Vec::new();
    for line in doc.lines().filter(|line| line.starts_with("| `sdm_")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        let label = cells
            .last()
            .map(|cell| cell.trim().trim_matches('`'))
            .unwrap_or("");
        let named = sdm_names(cells[0], |_| true);
        if !THREAD_LABELS.contains(&label) {
            problems.push(format!(
                "row {named:?}: thread safety {label:?} is none of {THREAD_LABELS:?}"
            ));
        }
        rows.extend(named);
    }
    for function in &functions {
        if !rows.contains(function) {
            problems.push(format!(
                "{function} has no row in the function table of docs/c-abi.md"
            ));
        }
    }
    for row in &rows {
        if !functions.contains(row) {
            problems.push(format!(
                "docs/c-abi.md has a row for {row}, which the header does not declare"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_sdm_name_in_the_document_exists() {
    let header = read("include/space_data_module.h");
    let doc = read("docs/c-abi.md");
    let known: BTreeSet<String> = header_functions(&header)
        .into_iter()
        .chain(header_types(&header))
        .collect();
    let unknown: Vec<String> = sdm_names(&doc, |_| true)
        .into_iter()
        .filter(|name| !known.contains(name))
        .collect();
    assert!(
        unknown.is_empty(),
        "docs/c-abi.md names what the header lacks: {unknown:?}"
    );
}

#[test]
fn every_code_the_documents_name_exists() {
    let mut problems = check_code_mentions("docs/c-abi.md", &read("docs/c-abi.md"));
    problems.extend(check_code_mentions(
        "include/space_data_module.h",
        &read("include/space_data_module.h"),
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The checker itself: a wrong name and a wrong number are both found.
    assert_eq!(
        check_code_mentions("t", "605 `signature-invalid`, `key-invalid`").len(),
        0
    );
    assert_eq!(check_code_mentions("t", "`decrypt-failed`").len(), 1);
    assert_eq!(check_code_mentions("t", "604 `signature-invalid`").len(), 1);
}
