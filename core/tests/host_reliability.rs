//! Issue 13, items 1, 2 and 6: what a hostile guest could do to the host before.
//!
//! - `filesystem.readFile` of a FIFO (or any non-regular file) inside the root is refused at
//!   once instead of blocking the host thread forever.
//! - `timers.delay` never sleeps past the invocation's wall-clock limit.
//! - A guest with a read-write preopen cannot create a symlink whose target leaves the
//!   directory the link is created in.
//!
//! Every test that could hang runs its body on a helper thread with a generous bound, so a
//! regression fails instead of stalling the suite.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;
use space_data_module::ErrorCode;
use space_data_module::host::{Host, HostPolicy};
use space_data_module::runtime::{Grants, Limits, Preopen, Runtime, RuntimeConfig};
use support::Guest;

/// The hang guard: `body` must finish within `bound`; `unblock` runs when it does not.
fn within<T: Send + 'static>(
    bound: Duration,
    unblock: impl FnOnce(),
    body: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(body());
    });
    match receive.recv_timeout(bound) {
        Ok(value) => value,
        Err(_) => {
            unblock();
            panic!("the operation did not return within {bound:?}");
        }
    }
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Opening the FIFO for writing (non-blocking, ignoring errors) releases a blocked reader.
fn release_fifo(path: &Path) {
    let _ = std::fs::OpenOptions::new().write(true).open(path);
}

fn fs_host(root: &Path) -> Arc<Host> {
    Arc::new(Host::new(
        HostPolicy::new().grant("filesystem").filesystem_root(root),
    ))
}

#[test]
fn read_file_of_a_fifo_is_refused_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let host = fs_host(dir.path());
    let error = within(
        Duration::from_secs(10),
        || release_fifo(&fifo),
        move || {
            host.invoke("filesystem.readFile", &json!({"path": "fifo"}))
                .unwrap_err()
        },
    );
    assert_eq!(error.code, ErrorCode::HostIoFailed, "{error}");
    assert!(error.message.contains("not a regular file"), "{error}");
}

#[test]
fn write_file_to_a_fifo_is_refused_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let host = fs_host(dir.path());
    let reader = fifo.clone();
    let error = within(
        Duration::from_secs(10),
        // A blocked writer is released by a reader.
        move || drop(std::fs::File::open(&reader)),
        move || {
            host.invoke(
                "filesystem.writeFile",
                &json!({"path": "fifo", "value": "x"}),
            )
            .unwrap_err()
        },
    );
    assert_eq!(error.code, ErrorCode::HostIoFailed, "{error}");
}

#[test]
fn reading_a_directory_or_a_regular_file_still_behaves() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.txt"), b"hello").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let host = fs_host(dir.path());
    assert_eq!(
        host.invoke(
            "filesystem.readFile",
            &json!({"path": "plain.txt", "encoding": "utf8"})
        )
        .unwrap(),
        json!("hello")
    );
    let error = host
        .invoke("filesystem.readFile", &json!({"path": "sub"}))
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::HostIoFailed, "{error}");
}

#[test]
fn read_file_of_a_fifo_through_a_guest_returns_an_error_envelope() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let host = fs_host(dir.path());
    let reply = within(
        Duration::from_secs(10),
        || release_fifo(&fifo),
        move || {
            let limits = Limits {
                timeout: Some(Duration::from_secs(2)),
                ..Limits::default()
            };
            let mut guest = Guest::with_limits(Some(host), limits);
            guest.call("filesystem.readFile", r#"{"path":"fifo"}"#)
        },
    );
    assert_eq!(reply.error()["sdmCode"], "host-io-failed");
}

#[test]
fn delay_longer_than_the_time_limit_ends_at_the_deadline() {
    let host = Arc::new(Host::new(HostPolicy::new().grant("timers")));
    let started = Instant::now();
    let outcome = within(
        Duration::from_secs(10),
        || {},
        move || {
            let limits = Limits {
                timeout: Some(Duration::from_millis(300)),
                ..Limits::default()
            };
            let mut guest = Guest::with_limits(Some(host), limits);
            guest
                .try_call("timers.delay", r#"{"ms":300000}"#)
                .map(|reply| reply.text())
        },
    );
    let error = outcome.expect_err("the invocation ran past its time limit");
    assert_eq!(error.code(), ErrorCode::RuntimeTimeout, "{error}");
    // Not a precision check: only that the sleep did not run on (the hang guard is 10 s).
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn delay_within_the_time_limit_still_sleeps_and_succeeds() {
    let host = Arc::new(Host::new(HostPolicy::new().grant("timers")));
    let limits = Limits {
        timeout: Some(Duration::from_secs(20)),
        ..Limits::default()
    };
    let mut guest = Guest::with_limits(Some(host), limits);
    let started = Instant::now();
    let reply = guest.call("timers.delay", r#"{"ms":50}"#);
    assert_eq!(reply.result(), serde_json::Value::Null);
    assert!(started.elapsed() >= Duration::from_millis(50));
}

/// A command guest that calls `path_symlink(target, 3, link)` on the first preopen and exits
/// with the errno (0 on success).
fn symlink_guest(target: &str, link: &str) -> Vec<u8> {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    wat::parse_str(format!(
        r#"(module
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "{target}")
  (data (i32.const 400) "{link}")
  (func (export "_start")
    (call $proc_exit (call $path_symlink (i32.const 100) (i32.const {target_len})
                                         (i32.const 3)
                                         (i32.const 400) (i32.const {link_len})))))"#,
        target = escape(target),
        link = escape(link),
        target_len = target.len(),
        link_len = link.len(),
    ))
    .unwrap()
}

/// WASI errno `perm` (what wasmtime-wasi answers for other escape attempts too).
const ERRNO_PERM: i32 = 63;

fn run_symlink(root: &Path, target: &str, link: &str) -> i32 {
    let runtime = Runtime::new(RuntimeConfig::default()).unwrap();
    let verified = space_data_module::publication::VerifiedModule::allow_unsigned(&symlink_guest(
        target, link,
    ))
    .unwrap();
    let module = runtime.load(&verified).unwrap();
    let grants = Grants {
        preopens: vec![Preopen {
            host_path: root.to_path_buf(),
            guest_path: "/data".into(),
            read_only: false,
        }],
        ..Grants::default()
    };
    let limits = Limits {
        timeout: Some(Duration::from_secs(20)),
        ..Limits::default()
    };
    runtime
        .run_command(&module, Vec::new(), &grants, &limits)
        .unwrap()
        .exit_code
}

#[test]
fn a_guest_cannot_create_symlinks_leaving_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("granted");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(dir.path().join("outside"), b"secret").unwrap();
    for (target, link) in [
        ("../outside", "escape"),
        ("/etc/passwd", "absolute"),
        ("sub/../../outside", "climb"),
        ("sub/../sub/../..", "climb-dir"),
        // `..` is refused even where it would stay lexically inside: a component before it may
        // be a symlink, which the kernel resolves before climbing.
        ("../inside.txt", "sub/up"),
        ("./sub/..", "cancel"),
    ] {
        assert_eq!(
            run_symlink(&root, target, link),
            ERRNO_PERM,
            "{target} as {link}"
        );
        assert!(
            std::fs::symlink_metadata(root.join(link)).is_err(),
            "{link} was created"
        );
    }
}

#[test]
fn a_guest_can_still_create_symlinks_inside_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/inside.txt"), b"data").unwrap();
    assert_eq!(run_symlink(root, "sub/inside.txt", "link"), 0);
    assert_eq!(
        std::fs::read_link(root.join("link")).unwrap(),
        Path::new("sub/inside.txt")
    );
    assert_eq!(std::fs::read(root.join("link")).unwrap(), b"data");
    assert_eq!(run_symlink(root, "./inside.txt", "sub/link"), 0);
    assert_eq!(std::fs::read(root.join("sub/link")).unwrap(), b"data");
}

/// Issue 13, item 10: the policy section of docs/host.md says plainly that an allow-listed
/// command is not sandboxed (host user's rights, files outside the root, only `cwd` checked).
#[test]
fn host_docs_warn_that_exec_is_not_sandboxed() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/host.md")).unwrap();
    let start = text.find("## Policy and grants").expect("policy section");
    let end = text[start..]
        .find("\n## ")
        .map_or(text.len(), |at| start + at);
    let policy = &text[start..end];
    for phrase in [
        "`exec` is not sandboxed",
        "host user's rights",
        "outside `filesystem_root`",
        "only filesystem check is on the\nguest's `cwd`",
    ] {
        assert!(
            policy.contains(phrase),
            "docs/host.md policy section lacks {phrase:?}"
        );
    }
}
