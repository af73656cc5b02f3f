//! `check --manifest M.json [--wasm W.wasm] [--standards] [--json] [--strict]`: validates a
//! manifest (and its wasm artifact) and prints the compliance report.
//!
//! Exit 0 when the report has no error, 1 when it has errors (or, with `--strict`, warnings).

use std::path::PathBuf;

use space_data_module::compliance::{
    ArtifactExports, ArtifactOptions, MAX_MANIFEST_FILE_BYTES, ManifestOptions, Report,
    StandardsCatalog, parse_manifest_text, validate_artifact, validate_artifact_with_standards,
    validate_manifest, validate_manifest_with_standards,
};
use space_data_module::{Error, ErrorCode};

use crate::output::{Outcome, print_json, read_input};

#[derive(clap::Args)]
pub struct Args {
    /// The manifest JSON file (at most 4 MiB).
    #[arg(long)]
    pub manifest: PathBuf,
    /// The module the manifest describes: its exports are checked too.
    #[arg(long)]
    pub wasm: Option<PathBuf>,
    /// Also warn about type references the shipped standards catalog does not know.
    #[arg(long)]
    pub standards: bool,
    /// Print the report as JSON: {"ok", "issues": [{"severity", "code", "location", "message"}]}.
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let manifest_name = args.manifest.display().to_string();
    if std::fs::metadata(&args.manifest).is_ok_and(|meta| meta.len() > MAX_MANIFEST_FILE_BYTES) {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "{manifest_name}: manifest file is larger than {MAX_MANIFEST_FILE_BYTES} bytes"
            ),
        ));
    }
    let bytes = read_input(&args.manifest)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Error::new(
            ErrorCode::InvalidJson,
            format!("{manifest_name}: invalid JSON: not UTF-8"),
        )
    })?;
    let manifest = parse_manifest_text(text).map_err(|err| err.context(&manifest_name))?;
    let catalog = StandardsCatalog::builtin();

    let report = match &args.wasm {
        Some(wasm_path) => {
            let wasm = read_input(wasm_path)?;
            let options = ArtifactOptions {
                source_name: None,
                manifest_path: Some(manifest_name.clone()),
                wasm_path: Some(wasm_path.display().to_string()),
            };
            let exports = ArtifactExports::Wasm(&wasm);
            let report = if args.standards {
                validate_artifact_with_standards(&manifest, exports, &options, catalog)
            } else {
                validate_artifact(&manifest, exports, &options)
            };
            report.map_err(|err| err.context(wasm_path.display()))?
        }
        None => {
            let options = ManifestOptions::named(manifest_name);
            if args.standards {
                validate_manifest_with_standards(&manifest, &options, catalog)
            } else {
                validate_manifest(&manifest, &options)
            }
        }
    };

    let failed = report.fails(args.strict);
    if args.json {
        print_json(&report.to_json());
    } else {
        print_human(&report, failed);
    }
    Ok(if failed {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}

fn print_human(report: &Report, failed: bool) {
    println!(
        "{} {}",
        if failed { "FAIL" } else { "PASS" },
        report.source_name
    );
    for issue in &report.issues {
        println!(
            "  {} {} at {}: {}",
            issue.severity.as_str().to_uppercase(),
            issue.code,
            issue.location,
            issue.message
        );
    }
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    if report.issues.is_empty() {
        println!("  No issues found.");
    } else {
        println!("  {errors} error(s), {warnings} warning(s)");
    }
}
