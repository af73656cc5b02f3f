//! `sdm-matrix-rust CASES_DIR OUT_DIR`: the Rust lane of the runtime matrix
//! (runtime-matrix/README.md). For every `CASES_DIR/*.json`, sorted by name, writes
//! `OUT_DIR/<stem>.json`. A failing case is a result with an `error` member; the exit code is
//! non-zero only when the runner itself could not do its job (unreadable or malformed case,
//! unwritable result).

mod case;
mod run;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cases, out] = args.as_slice() else {
        eprintln!("usage: sdm-matrix-rust CASES_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match run_all(Path::new(cases), Path::new(out)) {
        Ok(count) => {
            println!("rust: {count} result(s) written to {out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("sdm-matrix-rust: {message}");
            ExitCode::from(1)
        }
    }
}

fn run_all(cases: &Path, out: &Path) -> Result<usize, String> {
    let files = case_files(cases)?;
    std::fs::create_dir_all(out).map_err(|err| format!("{}: {err}", out.display()))?;
    for file in &files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: not a UTF-8 file name", file.display()))?;
        let text = std::fs::read(file).map_err(|err| format!("{}: {err}", file.display()))?;
        let case = case::Case::parse(&text).map_err(|err| format!("{}: {err}", file.display()))?;
        let action = case
            .action()
            .map_err(|err| format!("{}: {err}", file.display()))?;
        let result = run::run_case(stem, &case, action);
        let path = out.join(format!("{stem}.json"));
        std::fs::write(&path, to_text(&result))
            .map_err(|err| format!("{}: {err}", path.display()))?;
    }
    Ok(files.len())
}

/// `*.json` directly in `dir`, sorted by file name.
fn case_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|err| format!("{}: {err}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// Keys sorted, 2-space indentation, a final newline (the result file format).
fn to_text(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

// serde_json keeps insertion order in this workspace (`preserve_order`): sort explicitly.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
