//! Running a verified module's `_start` as a WASI program: bytes on stdin, arguments,
//! environment and preopened directories in; exit code, stdout and stderr out. The same
//! operation on every front end (`sdm_module_run` in C, `Module.run` in the bindings).
//!
//! Unlike command-mode [`super::invoke::invoke`], nothing is framed: stdin and stdout are the
//! program's own bytes, and a non-zero exit is a result, not an error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::caps;
use super::invoke::narrowed_host;
use crate::host::HostPolicy;
use crate::runtime::{CommandOutput, Grants, Limits, LoadedModule, Preopen, Runtime};
use crate::{Error, ErrorCode, Result};

/// At most this many arguments plus environment entries plus preopens: WASI copies them all
/// into the guest on every run.
pub const MAX_PROGRAM_ITEMS: usize = 4096;

/// What a program run is given besides stdin. Its JSON form (`deny_unknown_fields`) is what the
/// C ABI and the bindings pass: `{"args": [..], "env": {..}, "preopens": [{"hostPath",
/// "guestPath", "readOnly"}]}`, every member optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Program {
    /// `argv[1..]` (`argv[0]` is always `"module"`).
    #[serde(default)]
    pub args: Vec<String>,
    /// The environment, in key order (a map, so every front end passes the same order).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub preopens: Vec<ProgramPreopen>,
}

/// One host directory visible to the program at `guest_path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgramPreopen {
    pub host_path: PathBuf,
    pub guest_path: String,
    /// Read-only unless said otherwise: writing is the grant that must be explicit.
    #[serde(default = "read_only_by_default")]
    pub read_only: bool,
}

fn read_only_by_default() -> bool {
    true
}

impl Program {
    /// Parses the JSON form (at most [`caps::JSON_DOCUMENT_BYTES`]); errors are
    /// `invalid-argument` naming the member.
    pub fn from_json(text: &[u8]) -> Result<Program> {
        caps::check_len("program JSON", text.len(), caps::JSON_DOCUMENT_BYTES)?;
        let invalid = |e: serde_json::Error| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("program JSON is invalid: {e}"),
            )
        };
        let value: serde_json::Value = serde_json::from_slice(text).map_err(invalid)?;
        // serde would also read a struct from an array (`[["a"]]` as the arguments): only the
        // documented object form is accepted.
        if !value.is_object() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "program JSON is invalid: not an object",
            ));
        }
        let program: Program = serde_json::from_value(value).map_err(invalid)?;
        program.validate()?;
        Ok(program)
    }

    /// The checks WASI would otherwise fail on later, or a guest could be confused by: no NUL
    /// in any string, no `=` in an environment name, no empty name or guest path, and at most
    /// [`MAX_PROGRAM_ITEMS`] items.
    pub fn validate(&self) -> Result<()> {
        let bad = |message: String| Err(Error::new(ErrorCode::InvalidArgument, message));
        let items = self.args.len() + self.env.len() + self.preopens.len();
        if items > MAX_PROGRAM_ITEMS {
            return bad(format!(
                "program has {items} arguments, environment entries and preopens; at most {MAX_PROGRAM_ITEMS}"
            ));
        }
        if let Some(arg) = self.args.iter().find(|a| a.contains('\0')) {
            return bad(format!("argument {arg:?} contains a NUL character"));
        }
        for (key, value) in &self.env {
            if key.is_empty() || key.contains('=') || key.contains('\0') {
                return bad(format!(
                    "environment name {key:?} must be non-empty, without '=' or NUL"
                ));
            }
            if value.contains('\0') {
                return bad(format!(
                    "environment value of {key:?} contains a NUL character"
                ));
            }
        }
        for preopen in &self.preopens {
            if preopen.guest_path.is_empty() || preopen.guest_path.contains('\0') {
                return bad(format!(
                    "preopen guest path {:?} must be non-empty, without NUL",
                    preopen.guest_path
                ));
            }
        }
        Ok(())
    }

    fn grants(&self) -> Grants {
        Grants {
            args: self.args.clone(),
            env: self
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            preopens: self
                .preopens
                .iter()
                .map(|p| Preopen {
                    host_path: p.host_path.clone(),
                    guest_path: p.guest_path.clone(),
                    read_only: p.read_only,
                })
                .collect(),
            host: None,
        }
    }
}

/// Runs `_start` once. The guest's `sdn_host` imports answer under `host_policy` narrowed to
/// the module's verified capabilities (`None`: every capability denied).
///
/// Errors: `invalid-argument` (see [`Program::validate`]), `runtime-missing-export` (no
/// `_start`), `runtime-request-too-large` (stdin over `limits.max_request_bytes`),
/// `runtime-response-too-large` (stdout over `limits.max_response_bytes`), the limit and trap
/// codes, and a preopen whose host directory cannot be opened.
pub fn run_program(
    runtime: &Runtime,
    module: &LoadedModule,
    program: &Program,
    stdin: Vec<u8>,
    limits: &Limits,
    host_policy: Option<&HostPolicy>,
) -> Result<ProgramOutput> {
    program.validate()?;
    let mut grants = program.grants();
    if let Some(policy) = host_policy {
        grants.host = Some(narrowed_host(policy, module));
    }
    let output = runtime.run_command(module, stdin, &grants, limits)?;
    Ok(ProgramOutput::from(output))
}

/// What a program run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramOutput {
    /// The WASI exit code (0 when `_start` returned normally).
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl From<CommandOutput> for ProgramOutput {
    fn from(output: CommandOutput) -> Self {
        ProgramOutput {
            exit_code: output.exit_code,
            stdout: output.stdout,
            stderr: output.stderr,
        }
    }
}

impl ProgramOutput {
    /// The JSON form every front end prints (payloads in base64).
    pub fn result(&self) -> ProgramResult {
        let b64 = base64::engine::general_purpose::STANDARD;
        ProgramResult {
            exit_code: self.exit_code,
            stdout_base64: b64.encode(&self.stdout),
            stderr_base64: b64.encode(&self.stderr),
        }
    }
}

/// A program run as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProgramResult {
    pub exit_code: i32,
    pub stdout_base64: String,
    pub stderr_base64: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_defaults_and_strictness() {
        let program = Program::from_json(br#"{"args":["a"],"env":{"K":"v"},"preopens":[{"hostPath":"/tmp","guestPath":"/data"}]}"#).unwrap();
        assert_eq!(program.args, ["a"]);
        assert_eq!(program.env.get("K").map(String::as_str), Some("v"));
        assert!(
            program.preopens[0].read_only,
            "read-only unless said otherwise"
        );
        assert_eq!(Program::from_json(b"{}").unwrap(), Program::default());
        let unknown = Program::from_json(br#"{"argv":[]}"#).unwrap_err();
        assert_eq!(unknown.code(), ErrorCode::InvalidArgument);
        assert!(unknown.to_string().contains("argv"), "{unknown}");
        for not_an_object in [&b"[]"[..], br#"[["a"]]"#, b"null", b"1"] {
            let error = Program::from_json(not_an_object).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidArgument);
        }
    }

    #[test]
    fn validate_refuses_what_wasi_cannot_carry() {
        for json in [
            r#"{"args":["a\u0000b"]}"#,
            r#"{"env":{"A=B":"v"}}"#,
            r#"{"env":{"":"v"}}"#,
            r#"{"env":{"K":"v\u0000"}}"#,
            r#"{"preopens":[{"hostPath":"/tmp","guestPath":""}]}"#,
        ] {
            let error = Program::from_json(json.as_bytes()).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidArgument, "{json}");
        }
        let many = Program {
            args: vec!["x".into(); MAX_PROGRAM_ITEMS + 1],
            ..Program::default()
        };
        assert_eq!(
            many.validate().unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
        let at_cap = Program {
            args: vec!["x".into(); MAX_PROGRAM_ITEMS],
            ..Program::default()
        };
        at_cap.validate().unwrap();
    }
}
