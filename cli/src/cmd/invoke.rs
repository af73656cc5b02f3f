//! `invoke MODULE --method M [--input-port P --input FILE]...`: runs one method of a module
//! in direct or command mode under explicit limits.
//!
//! Output: `--output FILE` writes the payload of the single output frame (like the guest's raw
//! shortcut); `--json` prints the whole response (status, error, yielded/backlog, every output
//! frame with its type metadata and its payload in base64); otherwise a short summary. The exit
//! code is 1 when the guest answered with a non-zero status or an error code.
//!
//! Loading fails closed: every module goes through `publication::open` (the same loader as the
//! `open` verb) before the runtime sees a byte. A protected artifact needs `--trust KEY` (and
//! `--decrypt-with KEYFILE` when encrypted); plain wasm runs only with `--allow-unsigned`.

use std::path::PathBuf;
use std::time::Duration;

use space_data_module::api::caps;
use space_data_module::api::invoke::{self, Call, Invoked};
use space_data_module::host::HostPolicy;
use space_data_module::publication::VerifiedModule;
use space_data_module::runtime::{Grants, InvokeMode, Limits, Preopen, Runtime, RuntimeConfig};
use space_data_module::{Error, ErrorCode};

use super::loader::LoaderArgs;
use crate::output::{self, Outcome};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Mode {
    Direct,
    Command,
}

#[derive(clap::Args)]
pub struct Args {
    /// The module: a protected artifact (with `--trust`), or plain wasm (with `--allow-unsigned`).
    pub module: PathBuf,
    #[command(flatten)]
    pub loader: LoaderArgs,
    /// The method id to call.
    #[arg(long)]
    pub method: String,
    /// Input port of the next `--input` (repeat the pair for several frames, in order).
    #[arg(long = "input-port", value_name = "PORT")]
    pub input_ports: Vec<String>,
    /// Payload file of the frame on the matching `--input-port`.
    #[arg(long = "input", value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Invoke surface; default: direct when the module exports it, else command.
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Fuel budget (0 = unlimited). Default 10^10.
    #[arg(long)]
    pub fuel: Option<u64>,
    /// Wall-clock limit in milliseconds (0 = unlimited). Default 30000.
    #[arg(long = "timeout-ms")]
    pub timeout_ms: Option<u64>,
    /// Linear-memory cap in MiB. Default 256.
    #[arg(long = "max-memory-mb")]
    pub max_memory_mb: Option<usize>,
    /// Grant the guest an environment variable (`KEY=VALUE`; repeatable). Nothing is inherited.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Grant the guest a host directory, read-only, as `HOST:GUEST` (repeatable).
    #[arg(long = "dir", value_name = "HOST:GUEST")]
    pub dirs: Vec<String>,
    /// Grant the guest a host directory, read-write, as `HOST:GUEST` (repeatable).
    #[arg(long = "dir-rw", value_name = "HOST:GUEST")]
    pub dirs_rw: Vec<String>,
    /// Host policy for the guest's `sdn_host` calls (JSON, docs/host.md). Without it the guest
    /// is granted no capability. A guest gets at most what its manifest declares.
    #[arg(long = "host-policy", value_name = "FILE")]
    pub host_policy: Option<PathBuf>,
    /// Grant a host capability (repeatable; added to `--host-policy`).
    #[arg(long = "grant", value_name = "CAPABILITY")]
    pub grant: Vec<String>,
    /// The directory `filesystem.*` hostcalls are confined to (overrides `--host-policy`).
    #[arg(long = "fs-root", value_name = "DIR")]
    pub fs_root: Option<PathBuf>,
    /// Print the whole response as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the payload of the single output frame to FILE (atomically).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// The verified (and, where needed, decrypted) module of `args.module`.
fn open_module(args: &Args) -> Result<VerifiedModule, Error> {
    let artifact = output::read_module(&args.module)?;
    args.loader.open(&artifact)?.into_result().map_err(|err| {
        if err.code() == ErrorCode::TrailerMissing {
            err.context("refusing to run an unsigned module (pass --trust KEY for a signed artifact, or --allow-unsigned)")
        } else {
            err
        }
    })
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    if args.input_ports.len() != args.inputs.len() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "{} --input-port value(s) but {} --input file(s): give them in pairs",
                args.input_ports.len(),
                args.inputs.len()
            ),
        ));
    }
    let verified = open_module(&args)?;
    let payloads = args
        .inputs
        .iter()
        .map(|path| output::read_input(path, caps::INVOKE_INPUT_BYTES))
        .collect::<Result<Vec<_>, _>>()?;
    let runtime = Runtime::new(RuntimeConfig::default())?;
    let module = runtime.load(&verified)?;
    let call = Call {
        method: &args.method,
        inputs: args
            .input_ports
            .iter()
            .cloned()
            .zip(payloads.iter().map(Vec::as_slice))
            .collect(),
        mode: args.mode.map(|mode| match mode {
            Mode::Direct => InvokeMode::Direct,
            Mode::Command => InvokeMode::Command,
        }),
        limits: limits(&args),
        grants: grants(&args)?,
        host_policy: host_policy(&args)?,
    };
    let invoked = invoke::invoke(&runtime, &module, &call)?;

    if let Some(path) = &args.output {
        let payload = match invoked.response.output_frames.len() {
            0 => &[][..],
            1 => invoked.payload(0),
            n => {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("--output needs exactly one output frame; the response has {n}"),
                ));
            }
        };
        output::write_atomic(path, payload)?;
    }
    if args.json {
        output::print_json(&invoked.result());
    } else if args.output.is_none() {
        print_summary(&invoked);
    }
    Ok(if invoked.failed() {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}

/// The policy behind `sdn_host` from `--host-policy`/`--grant`/`--fs-root`; `None` (nothing
/// granted) when no host option is given. Core narrows it to what the verified manifest declares.
fn host_policy(args: &Args) -> Result<Option<HostPolicy>, Error> {
    if args.host_policy.is_none() && args.grant.is_empty() && args.fs_root.is_none() {
        return Ok(None);
    }
    let mut policy = match &args.host_policy {
        Some(path) => HostPolicy::from_json_str(&output::read_json_text(path)?)
            .map_err(|err| err.context(path.display()))?,
        None => HostPolicy::new(),
    };
    policy = policy.grant_all(args.grant.iter().map(String::as_str));
    if let Some(root) = &args.fs_root {
        policy = policy.filesystem_root(root);
    }
    Ok(Some(policy))
}

fn grants(args: &Args) -> Result<Grants, Error> {
    let bad = |what: &str, value: &str| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!("{what} expects {value}"),
        )
    };
    let mut grants = Grants::default();
    for pair in &args.env {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| bad("--env", "KEY=VALUE"))?;
        grants.env.push((key.to_owned(), value.to_owned()));
    }
    for (list, read_only) in [(&args.dirs, true), (&args.dirs_rw, false)] {
        for pair in list {
            let (host, guest) = pair
                .rsplit_once(':')
                .ok_or_else(|| bad("--dir", "HOST:GUEST"))?;
            grants.preopens.push(Preopen {
                host_path: host.into(),
                guest_path: guest.to_owned(),
                read_only,
            });
        }
    }
    Ok(grants)
}

fn limits(args: &Args) -> Limits {
    let defaults = Limits::default();
    Limits {
        fuel: match args.fuel {
            Some(0) => None,
            Some(n) => Some(n),
            None => defaults.fuel,
        },
        timeout: match args.timeout_ms {
            Some(0) => None,
            Some(ms) => Some(Duration::from_millis(ms)),
            None => defaults.timeout,
        },
        max_memory_bytes: args
            .max_memory_mb
            .map_or(defaults.max_memory_bytes, |mb| mb.saturating_mul(1 << 20)),
        ..defaults
    }
}

fn print_summary(invoked: &Invoked) {
    let response = &invoked.response;
    println!("mode: {}", invoked.mode.as_str());
    println!("status: {}", response.status_code);
    if let Some(code) = &response.error_code {
        println!(
            "error: {code}: {}",
            response.error_message.as_deref().unwrap_or("")
        );
    }
    for (index, frame) in response.output_frames.iter().enumerate() {
        let schema = frame
            .type_ref
            .as_ref()
            .and_then(|t| t.schema_name.as_deref())
            .unwrap_or("-");
        println!(
            "output {index}: port {} schema {schema} {} bytes",
            frame.port_id.as_deref().unwrap_or("-"),
            invoked.payload(index).len()
        );
    }
}
