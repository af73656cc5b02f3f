//! `compile --manifest M --source S.c -o OUT.wasm`: builds a compliant module from C source and
//! a manifest with Debian's clang for wasm32-wasi (see `space_data_module::compiler`).

use std::path::PathBuf;

use space_data_module::compiler::{self, Toolchain};
use space_data_module::{Error, ErrorCode};

use crate::output::{self, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The manifest (JSON).
    #[arg(long)]
    pub manifest: PathBuf,
    /// The C source defining one `int METHOD(void)` per method.
    #[arg(long)]
    pub source: PathBuf,
    /// Where to write the module (atomically).
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// Leave undefined symbols as imports (e.g. `sdn_host` hostcalls).
    #[arg(long = "allow-undefined-imports")]
    pub allow_undefined_imports: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let manifest = space_data_module::api::format::parse_manifest_json(
        &output::read_manifest_text(&args.manifest)?,
    )
    .map_err(|err| err.context(args.manifest.display()))?;
    let source = String::from_utf8(output::read_input(
        &args.source,
        space_data_module::api::caps::MODULE_BYTES,
    )?)
    .map_err(|_| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!("{}: source is not UTF-8", args.source.display()),
        )
    })?;
    let toolchain = Toolchain::detect()?;
    let compiled = compiler::compile_with_manifest(
        &toolchain,
        &manifest,
        &source,
        "c",
        args.allow_undefined_imports,
    )?;
    output::write_atomic(&args.output, &compiled.wasm)?;
    let surfaces: Vec<&str> = compiled.surfaces.iter().map(|s| s.as_str()).collect();
    println!(
        "compiled {} ({} bytes; surfaces {}; methods {})",
        args.output.display(),
        compiled.wasm.len(),
        surfaces.join(", "),
        compiled
            .methods
            .iter()
            .map(|m| m.method_id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The linked module checked against its manifest, as `check --wasm` would report it.
    for issue in &compiled.report.issues {
        eprintln!(
            "{}: {} at {}: {}",
            issue.severity.as_str(),
            issue.code.as_str(),
            issue.location,
            issue.message
        );
    }
    Ok(if compiled.report.ok() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}
