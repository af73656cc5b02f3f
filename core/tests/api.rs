//! The front-end API: fail-closed loading as a type, the capability ceiling read by core from
//! the verified module, and registry modules running under real grants.

mod support;

use std::sync::Arc;

use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module::api::format::{self, BundleOptions};
use space_data_module::api::invoke;
use space_data_module::api::keys::{RecipientKey, SigningKey};
use space_data_module::api::publication::{self, OpenRequest, ProtectRequest};
use space_data_module::host::HostPolicy;
use space_data_module::publication::VerifiedModule;
use space_data_module::runtime::{Runtime, RuntimeConfig};
use space_data_module::runtime_host::{ModuleRef, RuntimeHost};
use support::{Raw, Reply, guest_wasm, unsigned};

fn manifest_declaring(capabilities: &[&str]) -> String {
    let mut manifest: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../vectors/single-file-bundle/manifest.json"
        ))
        .unwrap(),
    )
    .unwrap();
    manifest["capabilities"] = json!(capabilities);
    manifest.to_string()
}

/// The hostcall guest with an `sds.bundle` whose manifest declares `capabilities`.
fn bundled_guest(capabilities: &[&str]) -> Vec<u8> {
    format::create_bundle(
        &guest_wasm(),
        &manifest_declaring(capabilities),
        &BundleOptions::default(),
    )
    .unwrap()
    .wasm
}

fn registry_call(host: &RuntimeHost, id: &str, wasm: &[u8], operation: &str) -> Reply {
    host.modules()
        .install(id, &unsigned(wasm), &Value::Null)
        .unwrap();
    host.modules().load(&ModuleRef::from(id)).unwrap();
    let bytes = host
        .modules()
        .invoke_bytes(&ModuleRef::from(id), &Raw::call(operation, "").encode())
        .unwrap();
    Reply::decode(&bytes)
}

#[test]
fn a_registry_modules_hostcall_runs_when_granted_and_declared() {
    let granted = RuntimeHost::in_memory()
        .unwrap()
        .with_host_policy(HostPolicy::new().grant("clock"));
    let reply = registry_call(&granted, "m", &bundled_guest(&["clock"]), "clock.now");
    assert!(reply.result().is_number(), "{}", reply.text());

    // Not granted by the policy: denied, although declared.
    let ungranted = RuntimeHost::in_memory().unwrap();
    let reply = registry_call(&ungranted, "m", &bundled_guest(&["clock"]), "clock.now");
    assert_eq!(
        reply.error()["sdmCode"],
        "host-capability-denied",
        "{}",
        reply.text()
    );

    // Granted but not declared by the verified manifest: denied.
    let reply = registry_call(&granted, "n", &bundled_guest(&["random"]), "clock.now");
    assert_eq!(
        reply.error()["sdmCode"],
        "host-capability-denied",
        "{}",
        reply.text()
    );

    // No manifest at all: nothing can be granted.
    let reply = registry_call(&granted, "plain", &guest_wasm(), "clock.now");
    assert_eq!(
        reply.error()["sdmCode"],
        "host-capability-denied",
        "{}",
        reply.text()
    );
}

#[test]
fn the_capability_ceiling_comes_from_the_bundle_not_the_guest() {
    let verified = unsigned(&bundled_guest(&["clock", "random"]));
    assert_eq!(verified.declared_capabilities(), ["clock", "random"]);
    let runtime = Runtime::new(RuntimeConfig::default()).unwrap();
    let loaded = runtime.load(&verified).unwrap();
    assert_eq!(loaded.declared_capabilities(), ["clock", "random"]);
    // The guest exports no manifest functions at all: core never ran it to learn this.
    assert!(!loaded.exports("plugin_get_manifest_flatbuffer"));
    let policy = HostPolicy::new().grant_all(["clock", "random", "filesystem.read"]);
    let host = invoke::narrowed_host(&policy, &loaded);
    let ops = host.list_operations();
    assert!(ops.iter().any(|op| op == "clock.now"), "{ops:?}");
    assert!(ops.iter().any(|op| op == "random.bytes"), "{ops:?}");
    assert!(
        !ops.iter().any(|op| op.starts_with("filesystem.")),
        "{ops:?}"
    );
}

#[test]
fn only_the_loader_makes_verified_modules() {
    let (signer, _) = SigningKey::generate().unwrap();
    let recipient = RecipientKey::generate().unwrap();
    let wasm = guest_wasm();
    let manifest = manifest_declaring(&["clock"]);
    let protected = publication::protect(
        &ProtectRequest {
            wasm: &wasm,
            manifest_json: &manifest,
            single_file_bundle: true,
            encrypt_for: Some(recipient.public_key()),
        },
        &signer,
    )
    .unwrap();
    let trusted = vec![signer.signer.public_key().as_slice()]
        .into_iter()
        .map(|k| space_data_module::keys::signing::PublicKey::from_sec1(k).unwrap())
        .collect::<Vec<_>>();

    // Trusted and decrypted: a verified module whose ceiling is the bundled manifest's.
    let opened = publication::open(
        protected.artifact(),
        &OpenRequest {
            trusted_signers: trusted.clone(),
            decrypt_with: Some(&recipient),
            allow_unsigned: false,
            wasm_signers: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(opened.outcome.outcome, "ok");
    assert!(opened.outcome.authentication.signed);
    assert!(opened.outcome.authentication.cid.is_some());
    let module = opened.into_result().unwrap();
    assert_eq!(module.declared_capabilities(), ["clock"]);

    // Without the recipient key: refused with the partial report, no module.
    let refused = publication::open(
        protected.artifact(),
        &OpenRequest {
            trusted_signers: trusted,
            decrypt_with: None,
            allow_unsigned: false,
            wasm_signers: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(refused.outcome.outcome, "error");
    assert_eq!(
        refused.outcome.code.as_deref(),
        Some("decryption-key-required")
    );
    assert!(refused.outcome.report.trailer.is_some());
    assert!(refused.module.is_none());
    assert_eq!(
        refused.into_result().unwrap_err().code(),
        ErrorCode::DecryptionKeyRequired
    );

    // The explicit allow-unsigned path still verifies a signature that is present.
    assert_eq!(
        VerifiedModule::allow_unsigned(protected.artifact())
            .unwrap_err()
            .code(),
        ErrorCode::SignatureInvalid
    );
}

#[test]
fn the_statically_embedded_manifest_of_a_compiled_guest_is_the_ceiling() {
    use space_data_module::compiler::{self, Toolchain};
    let toolchain = match Toolchain::detect() {
        Ok(toolchain) => toolchain,
        Err(err) => {
            eprintln!("skipped: no wasm32-wasi C toolchain ({err})");
            return;
        }
    };
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(format!("{root}/examples/host-proxy/manifest.json")).unwrap(),
    )
    .unwrap();
    let source = std::fs::read_to_string(format!("{root}/examples/host-proxy/module.c")).unwrap();
    let compiled =
        compiler::compile_with_manifest(&toolchain, &manifest, &source, "c", true).unwrap();
    let verified = unsigned(&compiled.wasm);
    let declared = space_data_module::publication::declared_capabilities(&manifest);
    assert!(!declared.is_empty());
    assert_eq!(verified.declared_capabilities(), declared.as_slice());
    let runtime = Arc::new(Runtime::new(RuntimeConfig::default()).unwrap());
    let loaded = runtime.load(&verified).unwrap();
    assert_eq!(loaded.manifest().unwrap()["pluginId"], manifest["pluginId"]);
}
