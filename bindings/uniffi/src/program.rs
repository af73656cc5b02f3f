//! Running a module's `_start` as a WASI program (`module.run(...)`): stdin, arguments,
//! environment and preopened directories in; exit code, stdout and stderr out. Over
//! `api::program::run_program`, the operation every front end shares, so a program behaves the
//! same from Kotlin and Swift as from the CLI, C and the other bindings.
//!
//! A non-zero exit is a result ([`ProgramOutput::exit_code`]), not an error; errors are the
//! host side's (no `_start`, limits, traps, a preopen that cannot be opened, an invalid
//! program).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use space_data_module::api::program as core;

use crate::error::{Result, guard};
use crate::runtime::{HostPolicy, Module};

/// What a program is given besides stdin. Every member defaults to empty: `Program()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Program {
    /// `argv[1..]` (`argv[0]` is always `"module"`).
    #[uniffi(default)]
    pub args: Vec<String>,
    /// The environment; the guest sees it in key order whatever the map's order.
    #[uniffi(default)]
    pub env: HashMap<String, String>,
    /// Host directories the program may open.
    #[uniffi(default)]
    pub preopens: Vec<ProgramPreopen>,
}

/// One host directory visible to the program at `guest_path`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProgramPreopen {
    pub host_path: String,
    pub guest_path: String,
    /// Read-only unless said otherwise: writing is the grant that must be explicit.
    #[uniffi(default = true)]
    pub read_only: bool,
}

/// What a program run produced.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProgramOutput {
    /// The WASI exit code (0 when `_start` returned normally).
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl From<core::Program> for Program {
    fn from(program: core::Program) -> Self {
        Program {
            args: program.args,
            env: program.env.into_iter().collect(),
            preopens: program
                .preopens
                .into_iter()
                .map(|p| ProgramPreopen {
                    host_path: p.host_path.to_string_lossy().into_owned(),
                    guest_path: p.guest_path,
                    read_only: p.read_only,
                })
                .collect(),
        }
    }
}

impl From<Program> for core::Program {
    fn from(program: Program) -> Self {
        core::Program {
            args: program.args,
            env: program.env.into_iter().collect(),
            preopens: program
                .preopens
                .into_iter()
                .map(|p| core::ProgramPreopen {
                    host_path: PathBuf::from(p.host_path),
                    guest_path: p.guest_path,
                    read_only: p.read_only,
                })
                .collect(),
        }
    }
}

/// A program from its JSON form (`{"args": [..], "env": {..}, "preopens": [{"hostPath",
/// "guestPath", "readOnly"}]}`, every member optional, unknown members refused): the form the
/// C ABI and the CLI take. Errors: `INVALID_ARGUMENT` naming what is wrong.
#[uniffi::export]
pub fn program_from_json(json: String) -> Result<Program> {
    guard(|| Ok(core::Program::from_json(json.as_bytes())?.into()))
}

#[uniffi::export]
impl Module {
    /// Runs the module's `_start` once as a WASI program under the runtime's limits, with
    /// `stdin` as its standard input. The guest's `sdn_host` imports answer under
    /// `host_policy` narrowed to the module's verified capabilities (none: every capability
    /// denied). Errors: `INVALID_ARGUMENT` (a NUL in a string, `=` in an environment name, an
    /// empty guest path, too many items), `RUNTIME_MISSING_EXPORT` (no `_start`),
    /// `RUNTIME_REQUEST_TOO_LARGE` / `RUNTIME_RESPONSE_TOO_LARGE` (stdin / stdout over the
    /// limits), the limit and trap codes, `IO` for a preopen that cannot be opened.
    // One `default(...)` per bare name: uniffi 0.32 parses a bare name only as the last of a list.
    #[uniffi::method(default(host_policy = None), default(stdin), default(program))]
    pub fn run(
        &self,
        program: Program,
        stdin: Vec<u8>,
        host_policy: Option<Arc<HostPolicy>>,
    ) -> Result<ProgramOutput> {
        guard(|| {
            let output = core::run_program(
                &self.runtime,
                &self.loaded,
                &program.into(),
                stdin,
                &self.limits,
                host_policy.as_ref().map(|p| &p.inner),
            )?;
            Ok(ProgramOutput {
                exit_code: output.exit_code,
                stdout: output.stdout,
                stderr: output.stderr,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn json_form_round_trips_through_the_record() {
        let program = program_from_json(
            r#"{"args":["a","b"],"env":{"K":"v"},"preopens":[{"hostPath":"/tmp","guestPath":"/data"}]}"#
                .to_owned(),
        )
        .unwrap();
        assert_eq!(program.args, ["a", "b"]);
        assert_eq!(program.env.get("K").map(String::as_str), Some("v"));
        assert_eq!(
            program.preopens,
            [ProgramPreopen {
                host_path: "/tmp".into(),
                guest_path: "/data".into(),
                read_only: true,
            }]
        );
        let back = core::Program::from(program.clone());
        assert_eq!(Program::from(back), program);
        assert_eq!(program_from_json("{}".into()).unwrap(), Program::default());
    }

    #[test]
    fn invalid_programs_are_invalid_argument() {
        for json in [r#"{"argv":[]}"#, "not json", r#"{"env":{"A=B":"v"}}"#] {
            let err = program_from_json(json.to_owned()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgument, "{json}");
        }
    }
}
