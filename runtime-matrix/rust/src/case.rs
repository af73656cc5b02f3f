//! A case file (runtime-matrix/README.md): strict JSON, unknown members are a runner error, so
//! a misspelt option can never silently test something else.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;
use space_data_module::api::program::{Program, ProgramPreopen};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Case {
    /// For people; runners ignore it.
    #[serde(default)]
    #[allow(dead_code)]
    pub description: Option<String>,
    pub artifact: String,
    #[serde(default)]
    pub open: OpenOptions,
    #[serde(default)]
    pub limits: LimitOptions,
    /// The HostPolicy JSON of docs/host.md, handed over as it is.
    #[serde(default)]
    pub host_policy: Option<Value>,
    #[serde(default)]
    pub invoke: Option<InvokeCase>,
    #[serde(default)]
    pub program: Option<ProgramCase>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OpenOptions {
    #[serde(default)]
    pub allow_unsigned: bool,
    /// Trusted signers, compressed secp256k1 public keys in hex.
    #[serde(default)]
    pub trust: Vec<String>,
    /// A recipient key file, relative to the artifacts directory.
    #[serde(default)]
    pub decrypt_with: Option<String>,
    /// Ed25519 public keys in hex, one of which must have signed the opened wasm.
    #[serde(default)]
    pub wasm_signers: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitOptions {
    /// 0 = unlimited (as in the CLI); absent = the default.
    pub timeout_ms: Option<u64>,
    /// 0 = unlimited; absent = the default.
    pub fuel: Option<u64>,
    pub max_memory_mb: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InvokeCase {
    /// `"direct"` or `"command"`.
    pub mode: String,
    pub method: String,
    #[serde(default)]
    pub inputs: Vec<InputFrame>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputFrame {
    pub port: String,
    pub base64: String,
}

/// The core `Program` JSON plus the bytes on stdin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProgramCase {
    #[serde(default)]
    pub stdin_base64: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub preopens: Vec<ProgramPreopen>,
}

/// What the case asks to run, with its bytes decoded.
pub enum Action {
    Invoke {
        mode: String,
        method: String,
        inputs: Vec<(String, Vec<u8>)>,
    },
    Program {
        program: Program,
        stdin: Vec<u8>,
    },
}

impl Case {
    /// Parses a case file; the error text says what is wrong with it.
    pub fn parse(text: &[u8]) -> Result<Case, String> {
        serde_json::from_slice(text).map_err(|err| err.to_string())
    }

    /// Exactly one of `invoke` / `program`, with base64 decoded.
    pub fn action(&self) -> Result<Action, String> {
        let b64 = base64::engine::general_purpose::STANDARD;
        match (&self.invoke, &self.program) {
            (Some(invoke), None) => {
                let inputs = invoke
                    .inputs
                    .iter()
                    .map(|frame| {
                        b64.decode(&frame.base64)
                            .map(|bytes| (frame.port.clone(), bytes))
                            .map_err(|err| format!("input on port {}: {err}", frame.port))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Action::Invoke {
                    mode: invoke.mode.clone(),
                    method: invoke.method.clone(),
                    inputs,
                })
            }
            (None, Some(program)) => Ok(Action::Program {
                stdin: b64
                    .decode(&program.stdin_base64)
                    .map_err(|err| format!("stdinBase64: {err}"))?,
                // Not validated here: invalid values (an `=` in a name) are the run's error.
                program: Program {
                    args: program.args.clone(),
                    env: program.env.clone(),
                    preopens: program.preopens.clone(),
                },
            }),
            _ => Err("a case has exactly one of `invoke` and `program`".to_owned()),
        }
    }
}
