//! `inspect`: parses a single-file module and prints its bundle (the `parsed.json` shape of
//! the conformance vectors with `--json`), optionally verifying every stored hash.

use std::path::PathBuf;

use space_data_module::Error;
use space_data_module::api::format::{InspectOptions, inspect};
use space_data_module::bundle::report::ParsedBundleView;

use crate::output::{Outcome, print_json, read_module};

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
    let bytes = read_module(&args.input)?;
    let options = InspectOptions {
        verify: args.verify,
        bundle_section_name: args.bundle_section_name.clone(),
    };
    let report = inspect(&bytes, &options)?;
    let mismatches = report.mismatches.clone().unwrap_or_default();
    if args.json {
        print_json(&report);
    } else {
        print_human(&args, &report.parsed);
        if args.verify {
            if mismatches.is_empty() {
                println!(
                    "verify: ok (canonical module hash, manifest hash and every entry hash match)"
                );
            } else {
                for m in &mismatches {
                    println!(
                        "verify: MISMATCH {}: computed {}, stored {}",
                        m.field, m.computed, m.stored
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

fn print_human(args: &Args, parsed: &ParsedBundleView) {
    let or_dash = |text: &Option<String>| text.clone().unwrap_or_else(|| "-".to_owned());
    println!("{}", args.input.display());
    println!("custom sections: {}", parsed.custom_sections.join(", "));
    println!(
        "bundle: section {}, {} bytes, sha256 {}, format {}, version {}",
        or_dash(&parsed.bundle_section_name),
        parsed.bundle_byte_length,
        parsed.bundle_sha256_hex,
        or_dash(&parsed.module_format),
        parsed.bundle_version
    );
    println!(
        "canonical module hash: computed {}, stored {}",
        parsed.canonical_module_hash_hex, parsed.stored_canonical_module_hash_hex
    );
    println!(
        "manifest hash: {}",
        if parsed.manifest_hash_hex.is_empty() {
            "-"
        } else {
            parsed.manifest_hash_hex.as_str()
        }
    );
    println!(
        "plugin id: {}",
        parsed
            .plugin_id
            .as_str()
            .map_or_else(|| parsed.plugin_id.to_string(), str::to_owned)
    );
    println!(
        "deployment plan: {}",
        if parsed.deployment_plan_present {
            "present"
        } else {
            "none"
        }
    );
    println!("entries ({}):", parsed.entries.len());
    for e in &parsed.entries {
        println!(
            "  {:<20} role {:<13} encoding {:<10} {:>8} bytes  section {}",
            e.entry_id,
            e.role,
            e.payload_encoding,
            e.payload_length,
            or_dash(&e.section_name)
        );
    }
}
