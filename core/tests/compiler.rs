//! Compiling C modules with Debian's clang (wasm32-wasi) and running them in both modes.
//! Needs the toolchain: `apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32`.

use std::path::PathBuf;

use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module::compiler::{self, CompileOptions, Toolchain};
use space_data_module::invoke::{
    self, FrameSet, FrameSpec, InvokeRequest, InvokeResponse, TypeRef, WireFormat,
};
use space_data_module::runtime::{
    Grants, InvokeMode, Limits, LoadedModule, Runtime, RuntimeConfig,
};

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn toolchain() -> Toolchain {
    Toolchain::detect().unwrap_or_else(|err| panic!("{err}"))
}

fn echo_manifest(surface: &str) -> (Value, Vec<u8>) {
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(root().join(format!("examples/invoke-echo/manifest.{surface}.json")))
            .unwrap(),
    )
    .unwrap();
    let bytes = std::fs::read(root().join(format!(
        "vectors/manifests/invoke-echo.manifest.{surface}.fb"
    )))
    .unwrap();
    (manifest, bytes)
}

fn compile_echo(surface: &str) -> compiler::CompiledModule {
    let (manifest, bytes) = echo_manifest(surface);
    let source = std::fs::read_to_string(root().join("examples/invoke-echo/module.c")).unwrap();
    compiler::compile(
        &toolchain(),
        &CompileOptions {
            manifest: &manifest,
            manifest_bytes: &bytes,
            source: &source,
            language: "c",
            allow_undefined_imports: false,
        },
    )
    .unwrap_or_else(|err| panic!("{err}"))
}

fn omm_frame(port: &str) -> FrameSpec {
    FrameSpec::new(
        port,
        Some(TypeRef {
            schema_name: Some("OMM.fbs".into()),
            file_identifier: Some("$OMM".into()),
            ..TypeRef::default()
        }),
    )
}

fn imports(wasm: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ImportSection(reader) = payload.unwrap() {
            for import in reader.into_imports() {
                out.push(import.unwrap().module.to_owned());
            }
        }
    }
    out
}

#[test]
fn invoke_echo_echoes_in_direct_and_command_mode_with_identical_responses() {
    let compiled = compile_echo("hybrid");
    assert_eq!(
        compiled.surfaces,
        vec![InvokeMode::Direct, InvokeMode::Command]
    );
    assert!(
        imports(&compiled.wasm)
            .iter()
            .all(|module| module == "wasi_snapshot_preview1")
    );
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let module = rt.load(&unsigned(&compiled.wasm)).unwrap();
    let limits = Limits::default();
    // The accessors return exactly the embedded manifest.
    assert_eq!(
        rt.read_manifest_bytes(&module, &limits).unwrap(),
        echo_manifest("hybrid").1
    );
    let mut session = rt.session(&module, limits.clone(), Grants::default());
    for size in [0usize, 1, 64 << 10, 8 << 20] {
        let payload: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
        let request =
            InvokeRequest::build("echo", [(omm_frame("echo"), payload.as_slice())]).unwrap();
        let direct = rt
            .invoke(
                &module,
                &request,
                InvokeMode::Direct,
                &Grants::default(),
                &limits,
            )
            .unwrap();
        let command = rt
            .invoke(
                &module,
                &request,
                InvokeMode::Command,
                &Grants::default(),
                &limits,
            )
            .unwrap();
        assert_eq!(direct, command, "size {size}");
        assert_eq!(
            session.invoke(&request).unwrap(),
            direct,
            "size {size} (session)"
        );
        assert_eq!(
            (direct.status_code, direct.error_code.as_deref()),
            (0, None)
        );
        assert_eq!(direct.output_frames.len(), 1);
        let frame = &direct.output_frames[0];
        assert_eq!(frame.port_id.as_deref(), Some("echo"));
        let type_ref = frame.type_ref.as_ref().unwrap();
        assert_eq!(type_ref.schema_name.as_deref(), Some("OMM.fbs"));
        assert_eq!(type_ref.file_identifier.as_deref(), Some("$OMM"));
        assert_eq!(type_ref.byte_length as usize, size);
        assert_eq!(
            direct.payload(0).unwrap(),
            payload.as_slice(),
            "size {size}"
        );
        // The raw shortcut echoes the bare payload.
        let raw = rt
            .run_raw(
                &module,
                "echo",
                payload.clone(),
                &Grants::default(),
                &limits,
            )
            .unwrap();
        assert_eq!((raw.exit_code, raw.stdout.len()), (0, size));
        assert!(raw.stdout == payload);
    }
}

fn decode(bytes: &[u8]) -> InvokeResponse {
    invoke::decode_response(bytes).unwrap()
}

#[test]
fn dispatch_errors_follow_the_reference_rules_in_both_modes() {
    let compiled = compile_echo("hybrid");
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let module = rt.load(&unsigned(&compiled.wasm)).unwrap();
    let limits = Limits::default();
    let grants = Grants::default();
    let unknown = invoke::encode_request(&InvokeRequest::build("nope", []).unwrap()).unwrap();
    let no_input = invoke::encode_request(&InvokeRequest::build("echo", []).unwrap()).unwrap();
    let wrong_port = invoke::encode_request(
        &InvokeRequest::build("echo", [(omm_frame("other"), &b"x"[..])]).unwrap(),
    )
    .unwrap();
    let cases: [(&[u8], i32, &str, &str); 5] = [
        (&unknown, 404, "unknown-method", "Unknown method: nope"),
        (
            &no_input,
            400,
            "missing-required-input",
            "Missing required input port: echo",
        ),
        (
            &wrong_port,
            400,
            "missing-required-input",
            "Missing required input port: echo",
        ),
        (
            b"\x01\x02\x03\x04\x05\x06",
            400,
            "invalid-request",
            "Invoke request FlatBuffer verification failed.",
        ),
        (
            b"",
            400,
            "invalid-request",
            "Invoke request bytes are empty.",
        ),
    ];
    for (request, status, code, message) in cases {
        for mode in [InvokeMode::Direct, InvokeMode::Command] {
            let response = decode(
                &rt.invoke_bytes(&module, request, mode, &grants, &limits)
                    .unwrap(),
            );
            assert_eq!(response.status_code, status, "{code} {mode:?}");
            assert_eq!(response.error_code.as_deref(), Some(code));
            assert_eq!(response.error_message.as_deref(), Some(message));
            assert!(response.output_frames.is_empty());
        }
        // Command envelope mode exits 1 on a dispatch error, with the response on stdout.
        assert_eq!(
            rt.run_command(&module, request.to_vec(), &grants, &limits)
                .unwrap()
                .exit_code,
            1
        );
    }
    // A frame outside the arena (crafted by patching an encoded offset).
    let mut bad = invoke::encode_request(
        &InvokeRequest::build(
            "echo",
            [(
                FrameSpec {
                    alignment: Some(1),
                    ..omm_frame("echo")
                },
                &b"abcd"[..],
            )],
        )
        .unwrap(),
    )
    .unwrap();
    let arena_len_at = bad
        .windows(8)
        .position(|w| w == [4, 0, 0, 0, b'a', b'b', b'c', b'd'])
        .unwrap();
    bad[arena_len_at] = 2;
    let response = decode(
        &rt.invoke_bytes(&module, &bad, InvokeMode::Direct, &grants, &limits)
            .unwrap(),
    );
    assert_eq!(
        (response.status_code, response.error_code.as_deref()),
        (400, Some("invalid-request-frame"))
    );
    // Raw shortcut argument rules.
    assert_eq!(
        rt.run_raw(&module, "nope", Vec::new(), &grants, &limits)
            .unwrap()
            .exit_code,
        64
    );
    let extra = Grants {
        args: vec!["--bogus".into()],
        ..Grants::default()
    };
    assert_eq!(
        rt.run_command(&module, Vec::new(), &extra, &limits)
            .unwrap()
            .exit_code,
        64
    );
    let dangling = Grants {
        args: vec!["--method".into()],
        ..Grants::default()
    };
    let run = rt
        .run_command(&module, Vec::new(), &dangling, &limits)
        .unwrap();
    assert_eq!(run.exit_code, 64);
    assert_eq!(run.stderr_text(), "--method requires a method id argument.");
}

#[test]
fn surfaces_decide_start_and_initialize() {
    // Encoding the manifest JSON with the manifest codec embeds the vector's bytes.
    let (manifest, bytes) = echo_manifest("direct");
    let source = std::fs::read_to_string(root().join("examples/invoke-echo/module.c")).unwrap();
    let direct =
        compiler::compile_with_manifest(&toolchain(), &manifest, &source, "c", false).unwrap();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let loaded = rt.load(&unsigned(&direct.wasm)).unwrap();
    assert_eq!(
        rt.read_manifest_bytes(&loaded, &Limits::default()).unwrap(),
        bytes
    );
    let names = space_data_module::wasm::exports::export_names(&direct.wasm).unwrap();
    assert!(
        !names.iter().any(|n| n == "_start") && names.iter().any(|n| n == "_initialize"),
        "{names:?}"
    );
    let command = compile_echo("command");
    let names = space_data_module::wasm::exports::export_names(&command.wasm).unwrap();
    assert!(names.iter().any(|n| n == "_start"));
    let direct_module = rt.load(&unsigned(&direct.wasm)).unwrap();
    let err = rt
        .run_command(
            &direct_module,
            Vec::new(),
            &Grants::default(),
            &Limits::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeMissingExport);
    let request = InvokeRequest::build("echo", [(omm_frame("echo"), &b"hi"[..])]).unwrap();
    let a = rt
        .invoke(
            &direct_module,
            &request,
            InvokeMode::Direct,
            &Grants::default(),
            &Limits::default(),
        )
        .unwrap();
    let command_module: LoadedModule = rt.load(&unsigned(&command.wasm)).unwrap();
    let b = rt
        .invoke(
            &command_module,
            &request,
            InvokeMode::Command,
            &Grants::default(),
            &Limits::default(),
        )
        .unwrap();
    assert_eq!(a, b);
}

const TYPED_SOURCE: &str = r#"
#include <stdint.h>
#include "space_data_module_invoke.h"

int echo_typed(void) {
  for (uint32_t i = 0; i < plugin_get_input_count(); i++) {
    const plugin_input_frame_t *f = plugin_get_input_frame(i);
    if (f->required_alignment && ((uintptr_t)f->payload % f->required_alignment) != 0) return 9;
    if (plugin_push_output_typed("out", f->schema_name, f->file_identifier, f->wire_format, f->root_type_name,
                                 f->fixed_string_length, f->byte_length, f->required_alignment, f->payload,
                                 f->payload_length) < 0) return 8;
  }
  plugin_set_yielded(1);
  plugin_set_backlog_remaining(5);
  return 0;
}

int bad_port(void) {
  if (plugin_push_output("nope", 0, 0, (const uint8_t *)"x", 1) != -1) return 7;
  return 0;
}
"#;

#[test]
fn aligned_binary_metadata_survives_and_undeclared_ports_are_refused() {
    let manifest = json!({
        "pluginId": "test.typed",
        "invokeSurfaces": ["direct", "command"],
        "methods": [
            {"methodId": "echo_typed", "inputPorts": [{"portId": "in"}], "outputPorts": [{"portId": "out"}]},
            {"methodId": "bad_port", "inputPorts": [], "outputPorts": [{"portId": "out"}]}
        ]
    });
    let bytes = echo_manifest("hybrid").1;
    let compiled = compiler::compile(
        &toolchain(),
        &CompileOptions {
            manifest: &manifest,
            manifest_bytes: &bytes,
            source: TYPED_SOURCE,
            language: "c",
            allow_undefined_imports: false,
        },
    )
    .unwrap();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let module = rt.load(&unsigned(&compiled.wasm)).unwrap();
    let aligned = TypeRef {
        schema_name: Some("StateVector.fbs".into()),
        file_identifier: Some("STVC".into()),
        wire_format: WireFormat::AlignedBinary,
        root_type_name: Some("StateVector".into()),
        fixed_string_length: 32,
        byte_length: 48,
        required_alignment: 16,
        ..TypeRef::default()
    };
    let first = [1u8; 3];
    let second = [2u8; 48];
    let request = InvokeRequest::build(
        "echo_typed",
        [
            (
                FrameSpec {
                    alignment: Some(1),
                    ..FrameSpec::new("in", None)
                },
                &first[..],
            ),
            (FrameSpec::new("in", Some(aligned.clone())), &second[..]),
        ],
    )
    .unwrap();
    for mode in [InvokeMode::Direct, InvokeMode::Command] {
        let response = rt
            .invoke(
                &module,
                &request,
                mode,
                &Grants::default(),
                &Limits::default(),
            )
            .unwrap();
        assert_eq!(
            (
                response.status_code,
                response.yielded,
                response.backlog_remaining
            ),
            (0, true, 5),
            "{mode:?}"
        );
        assert_eq!(response.output_frames.len(), 2);
        let out = &response.output_frames[1];
        let type_ref = out.type_ref.as_ref().unwrap();
        assert_eq!(type_ref.wire_format, WireFormat::AlignedBinary);
        assert_eq!(type_ref.root_type_name.as_deref(), Some("StateVector"));
        assert_eq!(
            (
                type_ref.fixed_string_length,
                type_ref.byte_length,
                type_ref.required_alignment
            ),
            (32, 48, 16)
        );
        assert_eq!(out.alignment, 16);
        assert_eq!(out.offset % 16, 0);
        assert_eq!(response.payload(1).unwrap(), &second[..]);
        // The untyped input reads as flatbuffer with byte_length = size, and comes back with alignment 8.
        let plain = &response.output_frames[0];
        assert_eq!(plain.type_ref.as_ref().unwrap().byte_length, 3);
        assert_eq!(plain.alignment, 8);
        let bad = rt
            .invoke(
                &module,
                &InvokeRequest::build("bad_port", []).unwrap(),
                mode,
                &Grants::default(),
                &Limits::default(),
            )
            .unwrap();
        assert_eq!(bad.status_code, 0);
        assert_eq!(bad.error_code.as_deref(), Some("unknown-output-port"));
        assert_eq!(
            bad.error_message.as_deref(),
            Some("Output port is not declared on the active method: nope")
        );
    }
}

#[test]
fn compiler_input_errors_have_codes() {
    let (manifest, bytes) = echo_manifest("direct");
    let tc = toolchain();
    let opts = |source: &'static str, language: &'static str| CompileOptions {
        manifest: &manifest,
        manifest_bytes: &bytes,
        source,
        language,
        allow_undefined_imports: false,
    };
    assert_eq!(
        compiler::compile(&tc, &opts("  ", "c")).unwrap_err().code(),
        ErrorCode::CompilerEmptySource
    );
    assert_eq!(
        compiler::compile(&tc, &opts("int echo(void){return 0;}", "c++"))
            .unwrap_err()
            .code(),
        ErrorCode::CompilerUnsupportedLanguage
    );
    let err = compiler::compile(
        &tc,
        &opts("int echo(void){ return missing_symbol(); }", "c"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CompilerFailed, "{err}");
    let bad = json!({"methods": [{"methodId": "not-c"}]});
    let err = compiler::compile(
        &tc,
        &CompileOptions {
            manifest: &bad,
            ..opts("int x;", "c")
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CompilerInvalidMethodId);
    let missing = Toolchain {
        clang: "/nonexistent/clang".into(),
        sysroot: "/usr".into(),
    };
    assert_eq!(
        compiler::compile(&missing, &opts("int echo(void){return 0;}", "c"))
            .unwrap_err()
            .code(),
        ErrorCode::CompilerToolchainMissing
    );
}

#[test]
fn compiled_modules_come_with_their_compliance_report() {
    let echo = compile_echo("hybrid");
    assert!(echo.report.ok(), "{:?}", echo.report.issues);
    assert!(
        echo.report.checked_artifact,
        "the exports of the linked module were checked"
    );

    let bare = json!({"pluginId": "bare", "methods": [{"methodId": "echo", "inputPorts": [{"portId": "echo"}]}]});
    let source = std::fs::read_to_string(root().join("examples/invoke-echo/module.c")).unwrap();
    let compiled =
        compiler::compile_with_manifest(&toolchain(), &bare, &source, "c", false).unwrap();
    assert!(!compiled.report.ok());
    let codes: Vec<&str> = compiled
        .report
        .errors()
        .map(|issue| issue.code.as_str())
        .collect();
    assert!(codes.contains(&"missing-string"), "{codes:?}");
}

/// Plain wasm through the loader's explicit allow-unsigned path (the runtime takes only
/// verified modules).
fn unsigned(wasm: &[u8]) -> space_data_module::publication::VerifiedModule {
    space_data_module::publication::VerifiedModule::allow_unsigned(wasm).expect("valid wasm")
}
