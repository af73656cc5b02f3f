//! Command mode: `_start` under WASI preview 1 with one request on stdin and one response on
//! stdout (spec invoke-runtime-and-host.md 4), plus the raw `--method` shortcut.

use wasmtime_wasi::I32Exit;

use crate::runtime::config::{Grants, Limits};
use crate::runtime::engine::{LoadedModule, Runtime};
use crate::runtime::guest_fn::GuestFn;
use crate::runtime::store::{self, classify};
use crate::{Error, ErrorCode, Result};

/// The export that runs a command.
pub const START_EXPORT: &str = "_start";

/// What a command run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// The WASI exit code (0 when `_start` returned normally).
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl CommandOutput {
    /// Stderr as text (lossy), trimmed, for error messages.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).trim().to_owned()
    }
}

impl Runtime {
    /// Runs `_start` once with `stdin`, the granted args/env/preopens and `argv[0] = "module"`.
    /// A non-zero exit is not an error here; traps and limits are.
    ///
    /// Errors: `runtime-missing-export` (no `_start`), `runtime-request-too-large`,
    /// `runtime-response-too-large` (stdout exceeded `max_response_bytes`, whatever the exit
    /// code), and the trap codes.
    pub fn run_command(
        &self,
        module: &LoadedModule,
        stdin: Vec<u8>,
        grants: &Grants,
        limits: &Limits,
    ) -> Result<CommandOutput> {
        if !module.exports(START_EXPORT) {
            return Err(Error::new(
                ErrorCode::RuntimeMissingExport,
                "module does not export `_start` (command mode)",
            ));
        }
        limits.check_request(stdin.len())?;
        let (wasi, pipes) = store::wasi_context(grants, stdin, limits)?;
        let mut store = store::new_store(
            module,
            wasi,
            grants,
            limits,
            self.config.fuel_metering,
            self.config.epoch_tick,
        )?;
        let instance = module.instantiate(&mut store)?;
        let start: GuestFn<0, 0> =
            GuestFn::get(&module.exports, &instance, &mut store, START_EXPORT)?;
        let outcome = start.call(&mut store, []).map(|[]| ());
        let stdout = pipes.stdout.contents().to_vec();
        let stdout_full = stdout.len() > limits.max_response_bytes;
        let exit_code = match outcome {
            Ok(()) => 0,
            Err(err) => match err.downcast_ref::<I32Exit>() {
                Some(exit) => exit.0,
                None => return Err(classify(&err, "_start", stdout_full)),
            },
        };
        if stdout_full {
            return Err(Error::new(
                ErrorCode::RuntimeResponseTooLarge,
                "guest output exceeds the response limit",
            ));
        }
        Ok(CommandOutput {
            exit_code,
            stdout,
            stderr: pipes.stderr.contents().to_vec(),
        })
    }

    /// Envelope mode: one encoded request on stdin, the encoded response from stdout. Exit 0
    /// and exit 1 (a dispatch error, still with a response) both return the response bytes.
    ///
    /// Errors: `runtime-command-failed` for any other exit code or an empty stdout (the message
    /// carries the guest's stderr), plus the errors of [`Runtime::run_command`].
    pub fn invoke_command_bytes(
        &self,
        module: &LoadedModule,
        request: &[u8],
        grants: &Grants,
        limits: &Limits,
    ) -> Result<Vec<u8>> {
        let output = self.run_command(module, request.to_vec(), grants, limits)?;
        if matches!(output.exit_code, 0 | 1) && !output.stdout.is_empty() {
            return Ok(output.stdout);
        }
        Err(Error::new(
            ErrorCode::RuntimeCommandFailed,
            format!(
                "command exited with code {} and {} bytes on stdout: {}",
                output.exit_code,
                output.stdout.len(),
                output.stderr_text()
            ),
        ))
    }

    /// The raw shortcut: `module --method METHOD` with `payload` as stdin. The output's
    /// `stdout` is the single output payload when `exit_code` is 0 (see spec 4 for 1/64/65/70/74).
    /// `grants.args` are not passed (the guest accepts no other argument).
    pub fn run_raw(
        &self,
        module: &LoadedModule,
        method: &str,
        payload: Vec<u8>,
        grants: &Grants,
        limits: &Limits,
    ) -> Result<CommandOutput> {
        let grants = Grants {
            args: vec!["--method".to_owned(), method.to_owned()],
            ..grants.clone()
        };
        self.run_command(module, payload, &grants, limits)
    }
}
