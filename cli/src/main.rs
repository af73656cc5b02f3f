//! `space-data-module`: the command-line face of the core.
//!
//! Exit codes: 0 ok, 1 the check failed, 2 usage, 3+ by error class (`docs/errors.md`).

mod cmd;
mod lab;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "space-data-module",
    version,
    about = "Build, bundle, protect, open, validate and run Space Data modules"
)]
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
    /// Embed an `sds.bundle` section (manifest, authorization, ...) into a module.
    Bundle(cmd::bundle::Args),
    /// Print the `sds.bundle` of a module (and verify its hashes with --verify).
    Inspect(cmd::inspect::Args),
    /// Validate a manifest (and its wasm) against the compliance rules and print the report.
    Check(cmd::check::Args),
    /// Create key material: a mnemonic, a secp256k1 signing key, an X25519 recipient key or an Ed25519 module-signing key.
    Keygen(cmd::keygen::Args),
    /// Open a protected artifact (verify, decrypt, validate) and write the plain wasm.
    Open(cmd::open::Args),
    /// Sign (and optionally bundle and encrypt) a module into a protected artifact.
    Protect(cmd::protect::Args),
    /// Create and sign a deployment authorization.
    Authorize(cmd::authorize::Args),
    /// Verify a deployment authorization against trusted keys.
    VerifyAuthorization(cmd::verify_authorization::Args),
    /// Run one method of a module (direct or command mode) under fuel, time and memory limits.
    Invoke(cmd::invoke::Args),
    /// Compile C source + a manifest into a compliant module (clang, wasm32-wasi).
    Compile(cmd::compile::Args),
    /// Sign a module in the WebAssembly tool-conventions format (wasmsign2 interoperable).
    SignWasm(cmd::sign_wasm::Args),
    /// Verify a module's tool-conventions signature against trusted Ed25519 keys.
    VerifyWasm(cmd::verify_wasm::Args),
    /// Serve the browser lab (a local page over this tool's operations) on 127.0.0.1.
    Lab(lab::Args),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                output::EXIT_USAGE
            } else {
                0
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    // Every verb's `--json` also asks for the error object on failure (docs/errors.md).
    let json = std::env::args_os().skip(1).any(|arg| arg == "--json");
    let result = match cli.command {
        Command::Conformance(args) => cmd::conformance::run(args),
        Command::Manifest(args) => cmd::manifest::run(args),
        Command::Bundle(args) => cmd::bundle::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Keygen(args) => cmd::keygen::run(args),
        Command::Open(args) => cmd::open::run(args),
        Command::SignWasm(args) => cmd::sign_wasm::run(args),
        Command::VerifyWasm(args) => cmd::verify_wasm::run(args),
        Command::Protect(args) => cmd::protect::run(args),
        Command::Authorize(args) => cmd::authorize::run(args),
        Command::VerifyAuthorization(args) => cmd::verify_authorization::run(args),
        Command::Invoke(args) => cmd::invoke::run(args),
        Command::Compile(args) => cmd::compile::run(args),
        Command::Lab(args) => lab::run(args),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => ExitCode::from(output::report_error(&err, json)),
    }
}

/// Rust ignores SIGPIPE, so `space-data-module inspect --json | head` would make every
/// `println!` panic once the reader goes away. A command-line tool should instead end quietly,
/// as `cat` does: restore the default disposition before printing anything.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists; `signal` with
    // `SIG_DFL` only changes this process's disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
