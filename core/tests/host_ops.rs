//! Host operations: every guest-reachable local operation through a wasm guest (granted →
//! real effect; undeclared or not granted → denied envelope and no effect), the filesystem
//! escapes, and the crypto operations through `Host::invoke`.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use space_data_module::host::{ExecPolicy, Host, HostPolicy};
use support::Guest;

fn bytes_of(value: &Value) -> Vec<u8> {
    assert_eq!(value["__type"], "bytes", "{value}");
    base64::engine::general_purpose::STANDARD
        .decode(value["base64"].as_str().unwrap())
        .unwrap()
}

fn byte_array(bytes: &[u8]) -> Value {
    Value::from(bytes.to_vec())
}

fn fs_policy(root: &Path) -> HostPolicy {
    HostPolicy::new().grant("filesystem").filesystem_root(root)
}

/// A guest whose manifest declares `declared`, on a host built from `policy`.
fn guest_for(policy: HostPolicy, declared: &[&str]) -> Guest {
    Guest::new(Some(Arc::new(Host::for_manifest(policy, declared))))
}

fn assert_denied(reply: &support::Reply, capability: &str, operation: &str) {
    assert_eq!(reply.status, 1, "{}", reply.text());
    let error = reply.error();
    assert_eq!(error["name"], "HostCapabilityError");
    assert_eq!(error["code"], "host-capability-denied");
    assert_eq!(error["capability"], capability);
    assert_eq!(error["operation"], operation);
}

#[test]
fn filesystem_operations_have_real_effects_and_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let root_text = root.to_string_lossy().into_owned();
    let mut guest = guest_for(fs_policy(root), &["filesystem"]);

    let written = guest.call_value(
        "filesystem.writeFile",
        &json!({"path": "sub/a.txt", "value": "hello"}),
    );
    assert_eq!(written.result(), json!({"path": "sub/a.txt"}));
    assert_eq!(std::fs::read(root.join("sub/a.txt")).unwrap(), b"hello");

    let appended = guest.call_value(
        "filesystem.appendFile",
        &json!({"path": "sub/a.txt", "value": [33, 10]}),
    );
    assert_eq!(appended.result(), json!({"path": "sub/a.txt"}));
    assert_eq!(std::fs::read(root.join("sub/a.txt")).unwrap(), b"hello!\n");

    let text = guest.call_value(
        "filesystem.readFile",
        &json!({"path": "sub/a.txt", "encoding": "utf8"}),
    );
    assert_eq!(text.result(), json!("hello!\n"));
    let raw = guest.call_value(
        "filesystem.readFile",
        &json!({"path": "./sub/../sub/a.txt"}),
    );
    assert_eq!(bytes_of(&raw.result()), b"hello!\n");

    let stat = guest
        .call_value("filesystem.stat", &json!({"path": "sub/a.txt"}))
        .result();
    assert_eq!(stat["path"], "sub/a.txt");
    assert_eq!(stat["size"], 7);
    assert_eq!(stat["isFile"], true);
    assert_eq!(stat["isDirectory"], false);
    assert!(stat["mtimeMs"].as_f64().unwrap() > 1.0e12);

    let made = guest.call_value("filesystem.mkdir", &json!({"path": "x/y"}));
    assert_eq!(made.result(), json!({"path": "x/y"}));
    assert!(root.join("x/y").is_dir());

    let listed = guest.call_value("filesystem.readdir", &json!({})).result();
    assert_eq!(
        listed,
        json!([
            {"name": "sub", "isFile": false, "isDirectory": true},
            {"name": "x", "isFile": false, "isDirectory": true}
        ])
    );

    let renamed = guest.call_value(
        "filesystem.rename",
        &json!({"fromPath": "sub/a.txt", "toPath": "moved/b.txt"}),
    );
    assert_eq!(
        renamed.result(),
        json!({"from": "sub/a.txt", "to": "moved/b.txt"})
    );
    assert!(root.join("moved/b.txt").is_file());
    assert!(!root.join("sub/a.txt").exists());

    let resolved = guest.call_value("filesystem.resolvePath", &json!({"path": "a/../moved"}));
    assert_eq!(resolved.result(), json!("moved"));
    let resolved = guest.call_value("filesystem.resolvePath", &json!({"path": "."}));
    assert_eq!(resolved.result(), json!("."));

    let deleted = guest.call_value("filesystem.deleteFile", &json!({"path": "moved/b.txt"}));
    assert_eq!(deleted.result(), json!({"path": "moved/b.txt"}));
    assert!(!root.join("moved/b.txt").exists());
    // Force semantics: deleting a missing file succeeds.
    assert_eq!(
        guest
            .call_value("filesystem.deleteFile", &json!({"path": "moved/b.txt"}))
            .status,
        0
    );
    // Errors do not leak host paths either.
    let missing = guest.call_value("filesystem.readFile", &json!({"path": "nope.txt"}));
    assert_eq!(missing.error()["sdmCode"], "host-io-failed");
    assert!(!missing.text().contains(&root_text));
}

#[test]
fn filesystem_reads_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.bin"), vec![7u8; 2048]).unwrap();
    let mut policy = fs_policy(dir.path());
    policy.limits.max_read_bytes = 2047;
    let mut guest = guest_for(policy, &["filesystem"]);
    let reply = guest.call_value("filesystem.readFile", &json!({"path": "big.bin"}));
    assert_eq!(reply.error()["sdmCode"], "host-limit-exceeded");
}

#[test]
fn filesystem_escapes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), b"secret").unwrap();
    let root = dir.path();
    std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("file-link")).unwrap();
    std::os::unix::fs::symlink("../", root.join("up")).unwrap();
    let mut guest = guest_for(fs_policy(root), &["filesystem"]);

    let escapes = [
        ("filesystem.readFile", json!({"path": "../secret.txt"})),
        ("filesystem.readFile", json!({"path": "a/../../secret.txt"})),
        ("filesystem.readFile", json!({"path": "/etc/passwd"})),
        ("filesystem.readFile", json!({"path": "link/secret.txt"})),
        ("filesystem.readFile", json!({"path": "file-link"})),
        ("filesystem.readFile", json!({"path": "up/etc/passwd"})),
        ("filesystem.resolvePath", json!({"path": "link"})),
        ("filesystem.resolvePath", json!({"path": "/"})),
        ("filesystem.stat", json!({"path": "link/secret.txt"})),
        ("filesystem.readdir", json!({"path": "link"})),
        (
            "filesystem.writeFile",
            json!({"path": "link/planted.txt", "value": "x"}),
        ),
        (
            "filesystem.appendFile",
            json!({"path": "file-link", "value": "x"}),
        ),
        ("filesystem.mkdir", json!({"path": "link/newdir"})),
        ("filesystem.deleteFile", json!({"path": "link/secret.txt"})),
        (
            "filesystem.rename",
            json!({"fromPath": "link/secret.txt", "toPath": "stolen.txt"}),
        ),
    ];
    for (operation, params) in escapes {
        let reply = guest.call_value(operation, &params);
        assert_eq!(reply.status, 1, "{operation} {params}: {}", reply.text());
        let error = reply.error();
        assert_eq!(
            error["name"], "HostFilesystemScopeError",
            "{operation} {params}"
        );
        assert_eq!(
            error["code"], "filesystem-scope-violation",
            "{operation} {params}"
        );
        assert!(!reply.text().contains(&*outside.path().to_string_lossy()));
    }
    // Nothing changed outside.
    assert_eq!(
        std::fs::read(outside.path().join("secret.txt")).unwrap(),
        b"secret"
    );
    assert!(!outside.path().join("planted.txt").exists());
    assert!(!outside.path().join("newdir").exists());
    assert!(!root.join("stolen.txt").exists());
}

#[test]
fn filesystem_needs_the_declaration_and_the_grant() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Granted by the policy, not declared by the manifest.
    let mut undeclared = guest_for(fs_policy(root), &["clock"]);
    // Declared, not granted.
    let mut ungranted = guest_for(
        HostPolicy::new().grant("clock").filesystem_root(root),
        &["filesystem"],
    );
    for guest in [&mut undeclared, &mut ungranted] {
        let reply = guest.call_value(
            "filesystem.writeFile",
            &json!({"path": "planted.txt", "value": "x"}),
        );
        assert_denied(&reply, "filesystem", "filesystem.writeFile");
        let reply = guest.call_value("filesystem.mkdir", &json!({"path": "d"}));
        assert_denied(&reply, "filesystem", "filesystem.mkdir");
    }
    assert_eq!(
        std::fs::read_dir(root).unwrap().count(),
        0,
        "no side effect"
    );
}

fn exec_policy(root: &Path, commands: &[&str]) -> HostPolicy {
    HostPolicy::new()
        .grant("process_exec")
        .filesystem_root(root)
        .exec_policy(ExecPolicy {
            allowed_commands: commands.iter().map(|c| (*c).to_owned()).collect(),
            env: vec![("SDM_TEST".into(), "yes".into())],
            ..ExecPolicy::default()
        })
}

#[test]
fn exec_runs_allowed_programs_with_input_and_a_clean_environment() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut guest = guest_for(
        exec_policy(
            &root,
            &["/bin/cat", "/bin/echo", "/usr/bin/env", "/bin/pwd"],
        ),
        &["process_exec"],
    );
    let cat = guest
        .call_value(
            "exec.execFile",
            &json!({"file": "/bin/cat", "input": "from stdin"}),
        )
        .result();
    assert_eq!(
        cat,
        json!({"exitCode": 0, "signal": null, "stdout": "from stdin", "stderr": ""})
    );

    let echo = guest
        .call_value(
            "exec.execFile",
            &json!({"file": "/bin/echo", "args": ["a", 1], "encoding": "bytes"}),
        )
        .result();
    assert_eq!(bytes_of(&echo["stdout"]), b"a 1\n");

    let env = guest
        .call_value("exec.execFile", &json!({"file": "/usr/bin/env"}))
        .result();
    assert_eq!(
        env["stdout"], "SDM_TEST=yes\n",
        "only the policy's variables"
    );

    let pwd = guest
        .call_value("exec.execFile", &json!({"file": "/bin/pwd"}))
        .result();
    assert_eq!(pwd["stdout"], format!("{}\n", root.display()));

    // A guest env is refused by default.
    let reply = guest.call_value(
        "exec.execFile",
        &json!({"file": "/usr/bin/env", "env": {"LD_PRELOAD": "x.so"}}),
    );
    assert_eq!(reply.error()["sdmCode"], "host-command-denied");
}

#[test]
fn exec_refuses_unlisted_commands_and_ungranted_guests_without_running_anything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let marker = root.join("marker");
    let params = json!({"file": "/usr/bin/touch", "args": [marker.to_string_lossy()]});

    let mut not_listed = guest_for(exec_policy(root, &["/bin/cat"]), &["process_exec"]);
    let reply = not_listed.call_value("exec.execFile", &params);
    let error = reply.error();
    assert_eq!(error["sdmCode"], "host-command-denied");
    assert_eq!(error["code"], "host-command-denied");
    assert_eq!(error["operation"], "exec.execFile");

    let mut undeclared = guest_for(exec_policy(root, &["/usr/bin/touch"]), &["clock"]);
    assert_denied(
        &undeclared.call_value("exec.execFile", &params),
        "process_exec",
        "exec.execFile",
    );
    let mut ungranted = guest_for(
        HostPolicy::new()
            .filesystem_root(root)
            .allow_command("/usr/bin/touch"),
        &["process_exec"],
    );
    assert_denied(
        &ungranted.call_value("exec.execFile", &params),
        "process_exec",
        "exec.execFile",
    );
    assert!(!marker.exists(), "no process ran");

    // The control: the same call, allowed, creates the marker.
    let mut allowed = guest_for(exec_policy(root, &["/usr/bin/touch"]), &["process_exec"]);
    assert_eq!(allowed.call_value("exec.execFile", &params).status, 0);
    assert!(marker.exists());
}

#[test]
fn exec_timeouts_and_output_caps_kill_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let mut policy = exec_policy(dir.path(), &["/bin/sleep", "/bin/cat"]);
    policy.limits.max_read_bytes = 1000;
    let mut guest = guest_for(policy, &["process_exec"]);
    let started = Instant::now();
    let reply = guest.call_value(
        "exec.execFile",
        &json!({"file": "/bin/sleep", "args": ["5"], "timeoutMs": 100}),
    );
    assert_eq!(reply.error()["sdmCode"], "host-timeout");
    assert!(started.elapsed() < Duration::from_secs(3));

    let reply = guest.call_value(
        "exec.execFile",
        &json!({"file": "/bin/cat", "input": "y".repeat(5000)}),
    );
    assert_eq!(reply.error()["sdmCode"], "host-limit-exceeded");
}

#[test]
fn context_values_live_in_the_host() {
    let host = Arc::new(Host::for_manifest(
        HostPolicy::new().grant_all(["context_read", "context_write"]),
        &["context_read", "context_write"],
    ));
    let mut guest = Guest::new(Some(Arc::clone(&host)));
    assert_eq!(
        guest
            .call_value("context.set", &json!({"key": "k", "value": {"n": 1}}))
            .result(),
        Value::Null
    );
    guest.call_value(
        "context.set",
        &json!({"scope": "s2", "key": "z", "value": 2}),
    );
    assert_eq!(
        guest
            .call_value("context.get", &json!({"key": "k"}))
            .result(),
        json!({"n": 1})
    );
    assert_eq!(
        guest.call_value("context.listKeys", &json!({})).result(),
        json!(["k"])
    );
    assert_eq!(
        guest.call("context.listScopes", "").result(),
        json!(["global", "s2"])
    );
    // The same host seen from the embedder.
    assert_eq!(
        host.invoke("context.get", &json!({"scope": "s2", "key": "z"}))
            .unwrap(),
        json!(2)
    );
    assert_eq!(
        guest
            .call_value("context.delete", &json!({"key": "k"}))
            .result(),
        json!(true)
    );
    assert_eq!(
        guest
            .call_value("context.get", &json!({"key": "k"}))
            .result(),
        Value::Null
    );

    // Read-only: writes are denied and change nothing.
    let reader = Arc::new(Host::for_manifest(
        HostPolicy::new().grant_all(["context_read", "context_write"]),
        &["context_read"],
    ));
    let mut guest = Guest::new(Some(reader));
    assert_denied(
        &guest.call_value("context.set", &json!({"key": "k", "value": 1})),
        "context_write",
        "context.set",
    );
    assert_eq!(guest.call("context.listScopes", "").result(), json!([]));
}

#[test]
fn context_file_store_is_written_atomically_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("context.json");
    let policy = HostPolicy::new()
        .grant_all(["context_read", "context_write"])
        .context_file(&path);
    let mut guest = guest_for(policy.clone(), &["context_read", "context_write"]);
    guest.call_value("context.set", &json!({"key": "k", "value": [1, 2]}));
    let saved: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved, json!({"global": {"k": [1, 2]}}));
    // Only the target file remains (no temporary left behind).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let mut fresh = guest_for(policy, &["context_read"]);
    assert_eq!(
        fresh
            .call_value("context.get", &json!({"key": "k"}))
            .result(),
        json!([1, 2])
    );
}

#[test]
fn clock_random_timers_and_schedule_through_the_guest() {
    let mut guest = guest_for(
        HostPolicy::new().grant_all(["clock", "random", "timers", "schedule_cron"]),
        &["clock", "random", "timers", "schedule_cron"],
    );
    let before = chrono::Utc::now().timestamp_millis();
    let now = guest.call("clock.now", "").result().as_i64().unwrap();
    assert!((now - before).abs() < 5_000);
    let iso = guest.call("clock.nowIso", "").result();
    assert!(chrono::DateTime::parse_from_rfc3339(iso.as_str().unwrap()).is_ok());
    let a = guest
        .call("clock.monotonicNow", "")
        .result()
        .as_f64()
        .unwrap();
    let b = guest
        .call("clock.monotonicNow", "")
        .result()
        .as_f64()
        .unwrap();
    assert!(b >= a);

    let random = guest
        .call_value("random.bytes", &json!({"length": 32}))
        .result();
    assert_eq!(bytes_of(&random).len(), 32);

    let started = Instant::now();
    assert_eq!(
        guest
            .call_value("timers.delay", &json!({"ms": 30}))
            .result(),
        Value::Null
    );
    assert!(started.elapsed() >= Duration::from_millis(30));
    let too_long = guest.call_value("timers.delay", &json!({"delayMs": 3_600_000}));
    assert_eq!(too_long.error()["sdmCode"], "host-limit-exceeded");

    let next = guest.call_value(
        "schedule.next",
        &json!({"expression": "30 6 * * SUN", "from": "2026-03-16T09:15:00Z"}),
    );
    assert_eq!(next.result(), json!("2026-03-22T06:30:00.000Z"));
    let never = guest.call_value(
        "schedule.next",
        &json!({"expression": "0 0 30 2 *", "from": 0}),
    );
    assert_eq!(never.error()["sdmCode"], "host-schedule-no-occurrence");

    // Undeclared families are denied.
    let mut clock_only = guest_for(HostPolicy::new().grant_all(["clock", "random"]), &["clock"]);
    assert_denied(
        &clock_only.call_value("random.bytes", &json!({"length": 1})),
        "random",
        "random.bytes",
    );
    assert_denied(
        &clock_only.call_value("timers.delay", &json!({"ms": 1})),
        "timers",
        "timers.delay",
    );
}

#[test]
fn crypto_through_the_guest_needs_its_capability() {
    let mut guest = guest_for(
        HostPolicy::new().grant_all(["crypto_hash", "crypto_sign"]),
        &["crypto_hash"],
    );
    let digest = guest.call_value("crypto.sha256", &json!({"value": [97, 98, 99]}));
    assert_eq!(
        hex::encode(bytes_of(&digest.result())),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_denied(
        &guest.call_value(
            "crypto.ed25519.sign",
            &json!({"message": [], "seed": byte_array(&[0; 32])}),
        ),
        "crypto_sign",
        "crypto.ed25519.sign",
    );
}

fn crypto_host() -> Host {
    let all = [
        "crypto_hash",
        "crypto_sign",
        "crypto_verify",
        "crypto_encrypt",
        "crypto_decrypt",
        "crypto_key_agreement",
        "crypto_kdf",
    ];
    Host::new(HostPolicy::new().grant_all(all))
}

#[test]
fn hashes_and_hkdf_known_answers() {
    let host = crypto_host();
    let abc = json!({"bytes": byte_array(b"abc")});
    assert_eq!(
        hex::encode(bytes_of(&host.invoke("crypto.sha512", &abc).unwrap())),
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
         2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    );
    // RFC 5869 test case 1.
    let okm = host
        .invoke(
            "crypto.hkdf",
            &json!({
                "ikm": byte_array(&[0x0b; 22]),
                "salt": byte_array(&hex::decode("000102030405060708090a0b0c").unwrap()),
                "info": byte_array(&hex::decode("f0f1f2f3f4f5f6f7f8f9").unwrap()),
                "length": 42
            }),
        )
        .unwrap();
    assert_eq!(
        hex::encode(bytes_of(&okm)),
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    );
    let err = host
        .invoke(
            "crypto.hkdf",
            &json!({"ikm": [], "salt": [], "length": 9000}),
        )
        .unwrap_err();
    assert_eq!(err.code.as_str(), "host-invalid-params");
}

#[test]
fn aes_gcm_round_trip_and_tamper_detection() {
    let host = crypto_host();
    let key = byte_array(&[7; 32]);
    let iv = byte_array(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    let sealed = host
        .invoke(
            "crypto.aesGcmEncrypt",
            &json!({"key": key, "plaintext": byte_array(b"sealed"), "iv": iv, "aad": [1, 2]}),
        )
        .unwrap();
    let ciphertext = bytes_of(&sealed["ciphertext"]);
    let tag = bytes_of(&sealed["tag"]);
    assert_eq!(ciphertext.len(), 6);
    assert_eq!(tag.len(), 16);
    let open = |ciphertext: &[u8], aad: Value| {
        host.invoke(
            "crypto.aesGcmDecrypt",
            &json!({"key": key, "ciphertext": byte_array(ciphertext), "tag": byte_array(&tag),
                    "iv": iv, "aad": aad}),
        )
    };
    assert_eq!(
        bytes_of(&open(&ciphertext, json!([1, 2])).unwrap()),
        b"sealed"
    );
    // The result form is accepted back as input.
    let reopened = host
        .invoke(
            "crypto.aesGcmDecrypt",
            &json!({"key": key, "ciphertext": sealed["ciphertext"], "tag": sealed["tag"],
                    "iv": iv, "aad": [1, 2]}),
        )
        .unwrap();
    assert_eq!(bytes_of(&reopened), b"sealed");
    let mut tampered = ciphertext.clone();
    tampered[0] ^= 1;
    assert_eq!(
        open(&tampered, json!([1, 2])).unwrap_err().code.as_str(),
        "host-operation-failed"
    );
    assert!(open(&ciphertext, json!([9])).is_err());
    // AES-128 (16-byte key) works too; other key sizes do not.
    let short = host.invoke(
        "crypto.aesGcmEncrypt",
        &json!({"key": byte_array(&[1; 16]), "plaintext": [], "iv": iv}),
    );
    assert!(short.is_ok());
    let bad = host.invoke(
        "crypto.aesGcmEncrypt",
        &json!({"key": byte_array(&[1; 20]), "plaintext": [], "iv": iv}),
    );
    assert_eq!(bad.unwrap_err().code.as_str(), "host-invalid-params");
}

#[test]
fn x25519_and_the_sealed_box() {
    let host = crypto_host();
    let alice = host
        .invoke("crypto.x25519.generateKeypair", &Value::Null)
        .unwrap();
    let bob = host
        .invoke("crypto.x25519.generateKeypair", &Value::Null)
        .unwrap();
    let alice_public = host
        .invoke(
            "crypto.x25519.publicKey",
            &json!({"privateKey": alice["privateKey"]}),
        )
        .unwrap();
    assert_eq!(alice_public, alice["publicKey"]);
    let ab = host
        .invoke(
            "crypto.x25519.sharedSecret",
            &json!({"privateKey": alice["privateKey"], "publicKey": bob["publicKey"]}),
        )
        .unwrap();
    let ba = host
        .invoke(
            "crypto.x25519.sharedSecret",
            &json!({"privateKey": bob["privateKey"], "publicKey": alice["publicKey"]}),
        )
        .unwrap();
    assert_eq!(ab, ba);
    // RFC 7748: a low-order public key is refused.
    assert!(
        host.invoke(
            "crypto.x25519.sharedSecret",
            &json!({"privateKey": alice["privateKey"], "publicKey": byte_array(&[0; 32])}),
        )
        .is_err()
    );

    let envelope = host
        .invoke(
            "crypto.sealedBox.encryptForRecipient",
            &json!({"plaintext": byte_array(b"secret"), "recipientPublicKey": bob["publicKey"]}),
        )
        .unwrap();
    assert_eq!(envelope["version"], 2);
    let opened = host
        .invoke(
            "crypto.sealedBox.decryptFromEnvelope",
            &json!({"envelope": envelope, "recipientPrivateKey": bob["privateKey"]}),
        )
        .unwrap();
    assert_eq!(bytes_of(&opened), b"secret");
    let wrong = host.invoke(
        "crypto.sealedBox.decryptFromEnvelope",
        &json!({"envelope": envelope, "recipientPrivateKey": alice["privateKey"]}),
    );
    // AES-CTR has no tag: the wrong key yields different bytes, never the plaintext.
    if let Ok(value) = wrong {
        assert_ne!(bytes_of(&value), b"secret");
    }
}

#[test]
fn secp256k1_and_ed25519_signatures() {
    let host = crypto_host();
    let mut one = [0u8; 32];
    one[31] = 1;
    let public = host
        .invoke(
            "crypto.secp256k1.publicKeyFromPrivate",
            &json!({"privateKey": byte_array(&one)}),
        )
        .unwrap();
    // The generator point G, compressed.
    assert_eq!(
        hex::encode(bytes_of(&public)),
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
    );
    let digest = byte_array(&[5; 32]);
    let signature = host
        .invoke(
            "crypto.secp256k1.signDigest",
            &json!({"digest": digest, "privateKey": byte_array(&one)}),
        )
        .unwrap();
    assert_eq!(bytes_of(&signature).len(), 64);
    let verify = |digest: &Value| {
        host.invoke(
            "crypto.secp256k1.verifyDigest",
            &json!({"digest": digest, "signature": signature, "publicKey": public}),
        )
        .unwrap()
    };
    assert_eq!(verify(&digest), json!(true));
    assert_eq!(verify(&byte_array(&[6; 32])), json!(false));
    // Same scheme as the publication signer: sign(m) = signDigest(SHA-256(m)).
    let signer = space_data_module::keys::signing::Signer::from_private_key(&one).unwrap();
    let message = b"publication message";
    let via_host = host
        .invoke(
            "crypto.secp256k1.signDigest",
            &json!({"digest": byte_array(&sha2_256(message)), "privateKey": byte_array(&one)}),
        )
        .unwrap();
    assert_eq!(bytes_of(&via_host), signer.sign(message).unwrap());

    // RFC 8032, test 1.
    let seed =
        hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
    let public = host
        .invoke(
            "crypto.ed25519.publicKeyFromSeed",
            &json!({"seed": byte_array(&seed)}),
        )
        .unwrap();
    assert_eq!(
        hex::encode(bytes_of(&public)),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    );
    let signature = host
        .invoke(
            "crypto.ed25519.sign",
            &json!({"message": [], "seed": byte_array(&seed)}),
        )
        .unwrap();
    assert_eq!(
        hex::encode(bytes_of(&signature)),
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    );
    let verify = |message: Value| {
        host.invoke(
            "crypto.ed25519.verify",
            &json!({"message": message, "signature": signature, "publicKey": public}),
        )
        .unwrap()
    };
    assert_eq!(verify(json!([])), json!(true));
    assert_eq!(verify(json!([1])), json!(false));
}

fn sha2_256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
