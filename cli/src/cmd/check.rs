//! `check --manifest M.json [--wasm W.wasm] [--standards] [--json] [--strict]`: validates a
//! manifest (and its wasm artifact) and prints the compliance report.
//!
//! Exit 0 when the report has no error, 1 when it has errors (or, with `--strict`, warnings).

use std::path::PathBuf;

use space_data_module::Error;
use space_data_module::api::format::{CheckRequest, check};
use space_data_module::compliance::CheckReport;

use crate::output::{self, Outcome, print_json};

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
    let manifest = output::read_manifest_text(&args.manifest)?;
    let wasm = args.wasm.as_deref().map(output::read_module).transpose()?;
    let report = check(&CheckRequest {
        manifest_json: &manifest,
        wasm: wasm.as_deref(),
        standards: args.standards,
        manifest_name: Some(manifest_name.clone()),
        wasm_name: args.wasm.as_ref().map(|path| path.display().to_string()),
    })
    .map_err(|err| err.context(&manifest_name))?;
    let warnings = report
        .issues
        .iter()
        .filter(|i| i.severity == "warning")
        .count();
    let failed = !report.ok || (args.strict && warnings > 0);
    if args.json {
        print_json(&report);
    } else {
        print_human(&report, &manifest_name, failed, warnings);
    }
    Ok(if failed {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}

fn print_human(report: &CheckReport, name: &str, failed: bool, warnings: usize) {
    println!("{} {name}", if failed { "FAIL" } else { "PASS" });
    for issue in &report.issues {
        println!(
            "  {} {} at {}: {}",
            issue.severity.to_uppercase(),
            issue.code,
            issue.location,
            issue.message.as_deref().unwrap_or("")
        );
    }
    if report.issues.is_empty() {
        println!("  No issues found.");
    } else {
        println!(
            "  {} error(s), {warnings} warning(s)",
            report.issues.len() - warnings
        );
    }
}
