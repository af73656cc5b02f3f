//! Running a module's `_start` as a WASI program (`sdm_module_run`): the program JSON of
//! `api::program::Program` (arguments, environment, preopened directories) and stdin in; exit
//! code, stdout and stderr out. Unlike command-mode invocation nothing is framed, and a
//! non-zero exit is a result, not an error.

use space_data_module::api::program::{Program, run_program};
use space_data_module::runtime::Limits;

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{MAX_INPUT_BYTES, optional_input, require_out, sdm_bytes, write_out};
use crate::host::sdm_host;
use crate::runtime::{sdm_limits, sdm_module};

/// Stdin of a run: any pointer with length 0 is the empty stdin (empty input is a value here,
/// not an absent one); NULL with a non-zero length is `invalid-argument`.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes for the lifetime `'a`.
unsafe fn stdin_input<'a>(ptr: *const u8, len: usize) -> space_data_module::Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(invalid_argument(format!(
            "stdin_data is NULL with length {len}"
        )));
    }
    if len > MAX_INPUT_BYTES {
        return Err(invalid_argument(format!(
            "stdin_data length {len} is above the {MAX_INPUT_BYTES}-byte cap"
        )));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Runs the module's `_start` once, in a fresh instance, as a WASI program.
///
/// `program_json` (UTF-8; NULL with 0 = `{}`): `{"args": [..], "env": {..}, "preopens":
/// [{"hostPath", "guestPath", "readOnly"}]}`, every member optional, unknown members
/// `invalid-argument` (argv[0] is always "module"; relative host paths resolve against the
/// process's working directory; preopens are read-only unless `readOnly` is false).
/// `stdin_data` (length 0 = empty stdin). `host`: NULL = every `sdn_host` capability denied;
/// else the host's policy narrowed to what the module's verified manifest declares, as
/// `sdm_module_invoke_hosted` does (a fresh narrowed host per run). `limits` NULL = defaults.
///
/// On success `out_exit_code` is the WASI exit code (0 when `_start` returned), `out_stdout`
/// and `out_stderr` what the program wrote. Errors: `invalid-argument` (NULL, the program
/// JSON), `runtime-missing-export` (no `_start`), `runtime-request-too-large` (stdin above
/// `max_request_bytes`), `runtime-response-too-large` (stdout above `max_response_bytes`),
/// the limit and trap codes, and a preopen whose host directory cannot be opened.
///
/// # Safety
/// `module` and `host` NULL or live; `program_json` valid for `program_json_len` bytes;
/// `stdin_data` valid for `stdin_len` bytes; `limits` NULL or readable; the out-params NULL
/// or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sdm_module_run(
    module: *const sdm_module,
    program_json: *const u8,
    program_json_len: usize,
    stdin_data: *const u8,
    stdin_len: usize,
    host: *const sdm_host,
    limits: *const sdm_limits,
    out_exit_code: *mut i32,
    out_stdout: *mut sdm_bytes,
    out_stderr: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_exit_code, "out_exit_code")?;
        require_out(out_stdout, "out_stdout")?;
        require_out(out_stderr, "out_stderr")?;
        // SAFETY: caller contract.
        let module =
            unsafe { module.as_ref() }.ok_or_else(|| invalid_argument("module is NULL"))?;
        // SAFETY: caller contract.
        let program =
            match unsafe { optional_input(program_json, program_json_len, "program_json") }? {
                Some(text) => Program::from_json(text)?,
                None => Program::default(),
            };
        // SAFETY: caller contract.
        let stdin = unsafe { stdin_input(stdin_data, stdin_len) }?;
        // SAFETY: caller contract: NULL or a live `sdm_host`.
        let policy = unsafe { host.as_ref() }.map(sdm_host::policy);
        // SAFETY: caller contract: NULL or a readable `sdm_limits`.
        let limits =
            unsafe { limits.as_ref() }.map_or_else(Limits::default, |limits| limits.to_core());
        let output = run_program(
            &module.runtime,
            &module.module,
            &program,
            stdin.to_vec(),
            &limits,
            policy,
        )?;
        // SAFETY: all three checked non-NULL above; written together, only on success.
        unsafe {
            write_out(out_exit_code, output.exit_code);
            write_out(out_stdout, sdm_bytes::from_vec(output.stdout));
            write_out(out_stderr, sdm_bytes::from_vec(output.stderr));
        }
        Ok(())
    })
}
