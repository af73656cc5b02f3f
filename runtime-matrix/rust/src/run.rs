//! The three steps of a case (open, load, invoke/program) through `space_data_module::api`
//! only: this runner is the Rust binding's user, and its results are the matrix's reference.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use space_data_module::api::invoke::{self, Call};
use space_data_module::api::keys::{self, RecipientKey};
use space_data_module::api::program::run_program;
use space_data_module::api::publication::{self, OpenRequest};
use space_data_module::api::wasmsig;
use space_data_module::api::{
    Error, HostPolicy, Limits, Runtime, RuntimeConfig, VerifiedModule, caps,
};

use crate::case::{Action, Case, LimitOptions};

/// The stage a failure happened in, as the result file names it.
#[derive(Clone, Copy)]
enum Stage {
    Open,
    Load,
    Invoke,
    Program,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Load => "load",
            Stage::Invoke => "invoke",
            Stage::Program => "program",
        }
    }
}

/// The result document of one case (before key sorting). Paths resolve against the current
/// directory (the artifacts directory).
pub fn run_case(name: &str, case: &Case, action: Action) -> Value {
    let (error, invoke, program) = match run_steps(case, action) {
        Ok(Outcome::Invoked(value)) => (Value::Null, value, Value::Null),
        Ok(Outcome::Program(value)) => (Value::Null, Value::Null, value),
        Err((stage, err)) => (
            json!({
                "stage": stage.name(),
                "code": err.code().as_str(),
                "number": err.code().number(),
            }),
            Value::Null,
            Value::Null,
        ),
    };
    json!({"case": name, "error": error, "invoke": invoke, "program": program})
}

enum Outcome {
    Invoked(Value),
    Program(Value),
}

fn run_steps(case: &Case, action: Action) -> Result<Outcome, (Stage, Error)> {
    let verified = open(case).map_err(|err| (Stage::Open, err))?;
    let runtime = Runtime::new(RuntimeConfig::default()).map_err(|err| (Stage::Load, err))?;
    let module = runtime.load(&verified).map_err(|err| (Stage::Load, err))?;
    let limits = limits(&case.limits);
    match action {
        Action::Invoke {
            mode,
            method,
            inputs,
        } => {
            let fail = |err| (Stage::Invoke, err);
            let call = Call {
                method: &method,
                inputs: inputs
                    .iter()
                    .map(|(port, bytes)| (port.clone(), bytes.as_slice()))
                    .collect(),
                mode: Some(invoke::parse_mode(&mode).map_err(fail)?),
                limits,
                grants: Default::default(),
                host_policy: host_policy(case).map_err(fail)?,
            };
            let invoked = invoke::invoke(&runtime, &module, &call).map_err(fail)?;
            Ok(Outcome::Invoked(to_value(&invoked.result())))
        }
        Action::Program { program, stdin } => {
            let fail = |err| (Stage::Program, err);
            let policy = host_policy(case).map_err(fail)?;
            let output = run_program(&runtime, &module, &program, stdin, &limits, policy.as_ref())
                .map_err(fail)?;
            Ok(Outcome::Program(to_value(&output.result())))
        }
    }
}

/// Step 1: the artifact's bytes through the fail-closed loader.
fn open(case: &Case) -> Result<VerifiedModule, Error> {
    let artifact = caps::read_file_capped(Path::new(&case.artifact), caps::MODULE_BYTES)?;
    let recipient = case
        .open
        .decrypt_with
        .as_deref()
        .map(|path| RecipientKey::read_file(Path::new(path)))
        .transpose()?;
    let request = OpenRequest {
        trusted_signers: keys::trusted_signers(&case.open.trust)?,
        decrypt_with: recipient.as_ref(),
        allow_unsigned: case.open.allow_unsigned,
        wasm_signers: wasmsig::trusted_keys(&case.open.wasm_signers)?,
    };
    publication::open(&artifact, &request)?.into_result()
}

/// The case's limits over the defaults; 0 means unlimited for time and fuel, as in the CLI.
fn limits(options: &LimitOptions) -> Limits {
    let defaults = Limits::default();
    Limits {
        fuel: match options.fuel {
            Some(0) => None,
            Some(fuel) => Some(fuel),
            None => defaults.fuel,
        },
        timeout: match options.timeout_ms {
            Some(0) => None,
            Some(ms) => Some(Duration::from_millis(ms)),
            None => defaults.timeout,
        },
        max_memory_bytes: options
            .max_memory_mb
            .map_or(defaults.max_memory_bytes, |mb| {
                usize::try_from(mb)
                    .unwrap_or(usize::MAX)
                    .saturating_mul(1 << 20)
            }),
        ..defaults
    }
}

fn host_policy(case: &Case) -> Result<Option<HostPolicy>, Error> {
    case.host_policy
        .as_ref()
        .map(HostPolicy::from_json)
        .transpose()
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    // The core's result types serialize infallibly (strings, numbers, arrays).
    serde_json::to_value(value).unwrap_or(Value::Null)
}
