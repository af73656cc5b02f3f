//! `inspect`: parses a single-file module and prints its bundle (the `parsed.json` shape of
//! the conformance vectors with `--json`), optionally verifying every stored hash.

use std::path::PathBuf;

use serde_json::Value;
use space_data_module::Error;
use space_data_module::bundle::{self, ParseOptions};

use crate::output::{Outcome, print_json, read_input};

#[derive(clap::Args)]
pub struct Args {
    /// The module to inspect.
    #[arg(value_name = "IN.wasm")]
    pub input: PathBuf,
    /// Print the parse as JSON (the `parsed.json` shape of vectors/differential/bundle).
    #[arg(long)]
    pub json: bool,
    /// Also recompute every stored hash; exit 1 when one does not match.
    #[arg(long)]
    pub verify: bool,
    /// Custom section to read the bundle from (default `sds.bundle`).
    #[arg(long = "bundle-section-name", value_name = "NAME")]
    pub bundle_section_name: Option<String>,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let bytes = read_input(&args.input)?;
    let options = ParseOptions {
        bundle_section_name: args.bundle_section_name.clone(),
    };
    let parsed = bundle::parse(&bytes, &options)?;
    let mut report = bundle::report::parsed_json(&parsed);
    let mismatches = if args.verify {
        bundle::check_hashes(&parsed)
    } else {
        Vec::new()
    };
    if args.json {
        if args.verify
            && let Value::Object(map) = &mut report
        {
            let list: Vec<Value> = mismatches
                .iter()
                .map(|m| serde_json::json!({"field": m.field, "computed": m.expected, "stored": m.stored}))
                .collect();
            map.insert("verified".into(), Value::Bool(mismatches.is_empty()));
            map.insert("mismatches".into(), Value::Array(list));
        }
        print_json(&report);
    } else {
        print_human(&args, &parsed, &report);
        if args.verify {
            if mismatches.is_empty() {
                println!(
                    "verify: ok (canonical module hash, manifest hash and every entry hash match)"
                );
            } else {
                for m in &mismatches {
                    println!(
                        "verify: MISMATCH {}: computed {}, stored {}",
                        m.field, m.expected, m.stored
                    );
                }
            }
        }
    }
    Ok(if mismatches.is_empty() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn print_human(args: &Args, parsed: &bundle::Parsed, report: &Value) {
    let text = |key: &str| {
        report
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("-")
            .to_owned()
    };
    println!("{}: {} bytes", args.input.display(), parsed.wasm.len());
    let sections: Vec<&str> = parsed
        .custom_sections
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    println!("custom sections: {}", sections.join(", "));
    println!(
        "bundle: section {}, {} bytes, sha256 {}, format {}, version {}",
        text("bundleSectionName"),
        parsed.bundle_bytes.len(),
        text("bundleSha256Hex"),
        text("moduleFormat"),
        parsed.bundle.bundle_version_or_default()
    );
    println!(
        "canonical module hash: computed {}, stored {}",
        text("canonicalModuleHashHex"),
        text("storedCanonicalModuleHashHex")
    );
    println!(
        "manifest hash: {}",
        if parsed.bundle.manifest_hash.is_empty() {
            "-".to_owned()
        } else {
            text("manifestHashHex")
        }
    );
    println!("plugin id: {}", text("pluginId"));
    println!(
        "deployment plan: {}",
        if parsed.deployment_plan.is_some() {
            "present"
        } else {
            "none"
        }
    );
    println!("entries ({}):", parsed.entries.len());
    for e in &parsed.entries {
        let e = &e.entry;
        println!(
            "  {:<20} role {:<13} encoding {:<10} {:>8} bytes  section {}",
            e.entry_id,
            e.role_name(),
            e.encoding_name(),
            e.payload.len(),
            e.section_name.as_deref().unwrap_or("-")
        );
    }
}
