//! `exec.execFile`: runs an allowed program with `std::process`, never through a shell.
//!
//! - `file` must equal one of `ExecPolicy::allowed_commands` exactly (`host-command-denied`).
//! - The environment is empty unless `inherit_env`, plus the policy's pairs; a guest `env` is
//!   refused unless `allow_guest_env`.
//! - The working directory is the filesystem root (a guest `cwd` is a path inside it), or the
//!   host process's directory when no root is configured.
//! - `input` goes to stdin; stdout and stderr are each capped at `max_read_bytes`
//!   (`host-limit-exceeded`, the child is killed); past `timeoutMs` (default
//!   `default_timeout`, at most `max_timeout`) the child is killed (`host-timeout`).

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::host::params::{Params, encode_bytes, non_negative_integer, text_or_bytes};
use crate::host::sandbox::Sandbox;
use crate::host::{Host, HostError};

/// How often the child is polled while waiting for it.
const POLL: Duration = Duration::from_millis(2);

pub(super) fn exec_file(
    host: &Host,
    params: Params,
    deadline: Option<Instant>,
) -> Result<Value, HostError> {
    let policy = &host.policy().exec;
    let file = params.string("file", "Executable path")?;
    if !policy.allowed_commands.contains(&file) {
        return Err(HostError::denied(
            ErrorCode::HostCommandDenied,
            "Error",
            format!("Executable \"{file}\" is not permitted by this host."),
            "exec.execFile",
            "process_exec",
        ));
    }
    let args = args_param(params)?;
    let encoding = encoding_param(params)?;
    let input = match params.get("input") {
        None => None,
        Some(value) => Some(text_or_bytes(Some(value), "Exec input")?),
    };
    // The child is killed at the invocation's deadline at the latest.
    let limits = &host.limits().within(deadline);
    let timeout = match params.get("timeoutMs") {
        None => limits.timeout(None),
        Some(value) => limits.timeout(Some(non_negative_integer(Some(value), "Exec timeoutMs")?)),
    };

    let mut command = Command::new(&file);
    command
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !policy.inherit_env {
        command.env_clear();
    }
    command.envs(policy.env.iter().map(|(k, v)| (k, v)));
    if let Some(env) = params.get("env") {
        if !policy.allow_guest_env {
            return Err(HostError::denied(
                ErrorCode::HostCommandDenied,
                "Error",
                "Setting environment variables is not permitted by this host.",
                "exec.execFile",
                "process_exec",
            ));
        }
        let env = env
            .as_object()
            .ok_or_else(|| HostError::invalid_params("Exec env must be an object."))?;
        command.envs(env.iter().map(|(k, v)| (k, crate::js::to_js_string(v))));
    }
    if let Some(directory) = working_directory(host, params)? {
        command.current_dir(directory);
    }

    let mut child = command.spawn().map_err(|err| {
        HostError::new(
            ErrorCode::HostProcessFailed,
            "Error",
            format!("Cannot start \"{file}\": {err}."),
        )
    })?;
    let outcome = supervise(
        &mut child,
        input.as_deref().map(Vec::as_slice),
        timeout,
        limits.max_read_bytes,
    );
    if outcome.is_err() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let (status, stdout, stderr) = outcome?;

    let mut result = Map::new();
    result.insert(
        "exitCode".into(),
        status.code().map(Value::from).unwrap_or(Value::Null),
    );
    result.insert("signal".into(), signal_name(&status));
    result.insert("stdout".into(), encode_output(&stdout, encoding));
    result.insert("stderr".into(), encode_output(&stderr, encoding));
    Ok(Value::Object(result))
}

fn args_param(params: Params) -> Result<Vec<String>, HostError> {
    match params.get("args") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.iter().map(crate::js::to_js_string).collect()),
        Some(_) => Err(HostError::invalid_params(
            "Executable args must be an array of strings.",
        )),
    }
}

#[derive(Clone, Copy)]
enum Encoding {
    Utf8,
    Bytes,
}

fn encoding_param(params: Params) -> Result<Encoding, HostError> {
    let text = params
        .get("encoding")
        .map(crate::js::to_js_string)
        .unwrap_or_else(|| "utf8".to_owned());
    match text.trim().to_ascii_lowercase().as_str() {
        "utf8" => Ok(Encoding::Utf8),
        "bytes" => Ok(Encoding::Bytes),
        _ => Err(HostError::new(
            ErrorCode::HostInvalidParams,
            "Error",
            format!("Unsupported exec encoding \"{text}\". Expected \"utf8\" or \"bytes\"."),
        )),
    }
}

fn encode_output(bytes: &[u8], encoding: Encoding) -> Value {
    match encoding {
        Encoding::Utf8 => Value::from(String::from_utf8_lossy(bytes).into_owned()),
        Encoding::Bytes => encode_bytes(bytes),
    }
}

/// The root, or a directory inside it named by the guest's `cwd`.
fn working_directory(host: &Host, params: Params) -> Result<Option<std::path::PathBuf>, HostError> {
    let root = host.policy().filesystem_root.as_ref();
    match (params.get("cwd"), root) {
        (None, root) => Ok(root.cloned()),
        (Some(_), None) => Err(HostError::invalid_params(
            "Exec cwd needs a filesystem root on this host.",
        )),
        (Some(_), Some(root)) => {
            let relative = Sandbox::relative(&params.string("cwd", "Exec cwd")?)?;
            let sandbox = Sandbox::open(root)?;
            // Refuses a symlink out of the root; the directory must exist.
            if !sandbox.stat(&relative)?.is_dir() {
                return Err(HostError::invalid_params("Exec cwd is not a directory."));
            }
            Ok(Some(root.join(relative)))
        }
    }
}

type Finished = (std::process::ExitStatus, Vec<u8>, Vec<u8>);

/// Feeds stdin, drains stdout and stderr (capped) on their own threads, and waits until exit
/// or the deadline.
fn supervise(
    child: &mut Child,
    input: Option<&[u8]>,
    timeout: Duration,
    max_bytes: usize,
) -> Result<Finished, HostError> {
    let stdin = child.stdin.take();
    let input = input.map(<[u8]>::to_vec).unwrap_or_default();
    let feeder = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A child that exits without reading its input is not an error.
            let _ = stdin.write_all(&input);
        }
    });
    let overflow = Arc::new(AtomicBool::new(false));
    let stdout = drain(child.stdout.take(), max_bytes, Arc::clone(&overflow));
    let stderr = drain(child.stderr.take(), max_bytes, Arc::clone(&overflow));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if overflow.load(Ordering::Relaxed) {
            return Err(HostError::new(
                ErrorCode::HostLimitExceeded,
                "RangeError",
                format!("The child's output exceeds the {max_bytes}-byte limit."),
            ));
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                return Err(HostError::new(
                    ErrorCode::HostTimeout,
                    "Error",
                    format!("Exec timed out after {} ms.", timeout.as_millis()),
                ));
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(err) => {
                return Err(HostError::new(
                    ErrorCode::HostProcessFailed,
                    "Error",
                    format!("Cannot wait for the child: {err}."),
                ));
            }
        }
    };
    let _ = feeder.join();
    let stdout = collect(stdout, "stdout", max_bytes)?;
    let stderr = collect(stderr, "stderr", max_bytes)?;
    Ok((status, stdout, stderr))
}

/// Reads a stream to its end, keeping at most `max_bytes + 1` bytes (one more tells an
/// overflow apart from an exact fit) and raising `overflow` when there is more, so the
/// waiting loop can kill a child that would otherwise block on a full pipe.
fn drain<R: Read + Send + 'static>(
    stream: Option<R>,
    max_bytes: usize,
    overflow: Arc<AtomicBool>,
) -> JoinHandle<std::io::Result<Vec<u8>>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stream) = stream {
            let cap = u64::try_from(max_bytes)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            stream.take(cap).read_to_end(&mut out)?;
        }
        if out.len() > max_bytes {
            overflow.store(true, Ordering::Relaxed);
        }
        Ok(out)
    })
}

fn collect(
    handle: JoinHandle<std::io::Result<Vec<u8>>>,
    what: &str,
    max_bytes: usize,
) -> Result<Vec<u8>, HostError> {
    let bytes = handle
        .join()
        .map_err(|_| {
            HostError::new(
                ErrorCode::HostProcessFailed,
                "Error",
                "reader thread panicked",
            )
        })?
        .map_err(|err| {
            HostError::new(
                ErrorCode::HostProcessFailed,
                "Error",
                format!("Cannot read the child's {what}: {err}."),
            )
        })?;
    if bytes.len() > max_bytes {
        return Err(HostError::new(
            ErrorCode::HostLimitExceeded,
            "RangeError",
            format!("The child's {what} exceeds the {max_bytes}-byte limit."),
        ));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn signal_name(status: &std::process::ExitStatus) -> Value {
    use std::os::unix::process::ExitStatusExt;
    let Some(signal) = status.signal() else {
        return Value::Null;
    };
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return Value::from(format!("SIG{signal}")),
    };
    Value::from(name)
}

#[cfg(not(unix))]
fn signal_name(_status: &std::process::ExitStatus) -> Value {
    Value::Null
}
