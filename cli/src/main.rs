//! `space-data-module`: the command-line face of the core.
//!
//! Exit codes: 0 ok, 1 the check failed, 2 usage, 3+ by error class (`docs/errors.md`).

mod cmd;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "space-data-module", version, about = "Build, bundle, protect, open, validate and run Space Data modules")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every case of a conformance vectors directory and report the first difference per case.
    Conformance(cmd::conformance::Args),
    /// Encode or decode a PluginManifest (PMAN FlatBuffer).
    Manifest(cmd::manifest::Args),
    /// Run one method of a module (direct or command mode) under fuel, time and memory limits.
    Invoke(cmd::invoke::Args),
    /// Compile C source + a manifest into a compliant module (clang, wasm32-wasi).
    Compile(cmd::compile::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { output::EXIT_USAGE } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Conformance(args) => cmd::conformance::run(args),
        Command::Manifest(args) => cmd::manifest::run(args),
        Command::Invoke(args) => cmd::invoke::run(args),
        Command::Compile(args) => cmd::compile::run(args),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => ExitCode::from(output::report_error(&err)),
    }
}
