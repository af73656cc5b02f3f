//! One test per issue code: a minimal manifest that triggers it, and the exact report.

use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module::compliance::{
    ArtifactExports, ArtifactOptions, Code, ManifestOptions, Report, Severity, StandardsCatalog,
    validate_artifact, validate_manifest, validate_manifest_with_standards,
};

/// The smallest manifest that passes with no issue at all.
fn base() -> Value {
    json!({
        "pluginId": "com.example.echo",
        "name": "echo",
        "version": "1.0.0",
        "pluginFamily": "analysis",
        "capabilities": [],
        "externalInterfaces": [],
        "methods": [{
            "methodId": "echo",
            "inputPorts": [{
                "portId": "in",
                "acceptedTypeSets": [{"setId": "omm", "allowedTypes": [{"schemaName": "OMM.fbs"}]}],
                "minStreams": 1,
                "maxStreams": 1,
                "required": true
            }],
            "outputPorts": [],
            "maxBatch": 1,
            "drainPolicy": "single-shot"
        }]
    })
}

fn with(mutate: impl FnOnce(&mut Value)) -> Value {
    let mut manifest = base();
    mutate(&mut manifest);
    manifest
}

fn allowed_types(manifest: &mut Value) -> &mut Value {
    &mut manifest["methods"][0]["inputPorts"][0]["acceptedTypeSets"][0]["allowedTypes"]
}

fn protocol() -> Value {
    json!({"protocolId": "p", "methodId": "echo", "wireId": "/p/1", "transportKind": "http", "role": "handle"})
}

fn manifest_report(manifest: Value) -> Report {
    validate_manifest(&manifest, &ManifestOptions::default())
}

fn artifact_report(manifest: Value, names: &[&str]) -> Report {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    validate_artifact(
        &manifest,
        ArtifactExports::Names(&names),
        &ArtifactOptions::default(),
    )
    .unwrap()
}

fn summary(report: &Report) -> Vec<(&'static str, &'static str, String)> {
    report
        .issues
        .iter()
        .map(|i| (i.severity.as_str(), i.code.as_str(), i.location.clone()))
        .collect()
}

fn assert_issues(report: Report, expected: &[(Code, &str)]) {
    let expected: Vec<_> = expected
        .iter()
        .map(|(code, loc)| (code.severity().as_str(), code.as_str(), loc.to_string()))
        .collect();
    assert_eq!(summary(&report), expected);
    assert_eq!(
        report.ok(),
        expected
            .iter()
            .all(|(severity, _, _)| *severity == "warning")
    );
    for issue in &report.issues {
        assert!(!issue.message.is_empty());
    }
}

const M0: &str = "manifest.methods[0]";
const IN0: &str = "manifest.methods[0].inputPorts[0]";
const SET0: &str = "manifest.methods[0].inputPorts[0].acceptedTypeSets[0]";
const T0: &str = "manifest.methods[0].inputPorts[0].acceptedTypeSets[0].allowedTypes[0]";

macro_rules! code_tests {
    ($( $name:ident: $code:ident => $report:expr, [$( ($c:ident, $loc:expr) ),* $(,)?]; )*) => {
        $(
            #[test]
            fn $name() {
                let report: Report = $report;
                assert!([$( Code::$c ),*].contains(&Code::$code), "the test must expect the code it is named after");
                assert_issues(report, &[$( (Code::$c, &$loc) ),*]);
            }
        )*

        /// Codes that have a test above.
        const TESTED: &[Code] = &[$( Code::$code, )*];
    };
}

code_tests! {
    invalid_manifest: InvalidManifest => manifest_report(json!(42)), [(InvalidManifest, "manifest")];
    missing_string: MissingString => manifest_report(with(|m| m["version"] = json!(" "))), [(MissingString, "manifest.version")];
    invalid_integer: InvalidInteger => manifest_report(with(|m| m["methods"][0]["maxBatch"] = json!(1.5))),
        [(InvalidInteger, format!("{M0}.maxBatch"))];
    integer_range: IntegerRange => manifest_report(with(|m| m["methods"][0]["maxBatch"] = json!(0))),
        [(IntegerRange, format!("{M0}.maxBatch"))];
    invalid_boolean: InvalidBoolean => manifest_report(with(|m| m["capabilities"] = json!([{"capability": "clock", "required": "yes"}]))),
        [(InvalidBoolean, "manifest.capabilities[0].required")];

    missing_capabilities_array: MissingCapabilitiesArray => manifest_report(with(|m| { m.as_object_mut().unwrap().remove("capabilities"); })),
        [(MissingCapabilitiesArray, "manifest.capabilities")];
    invalid_capability: InvalidCapability => manifest_report(with(|m| m["capabilities"] = json!([42]))),
        [(InvalidCapability, "manifest.capabilities[0]")];
    duplicate_capability: DuplicateCapability => manifest_report(with(|m| m["capabilities"] = json!(["clock", {"capability": "clock"}]))),
        [(DuplicateCapability, "manifest.capabilities")];
    noncanonical_capability: NoncanonicalCapability => manifest_report(with(|m| m["capabilities"] = json!(["Clock"]))),
        [(NoncanonicalCapability, "manifest.capabilities")];

    invalid_runtime_targets: InvalidRuntimeTargets => manifest_report(with(|m| m["runtimeTargets"] = json!("node"))),
        [(InvalidRuntimeTargets, "manifest.runtimeTargets")];
    invalid_runtime_target: InvalidRuntimeTarget => manifest_report(with(|m| m["runtimeTargets"] = json!(["node", ""]))),
        [(InvalidRuntimeTarget, "manifest.runtimeTargets")];
    duplicate_runtime_target: DuplicateRuntimeTarget => manifest_report(with(|m| m["runtimeTargets"] = json!(["node", "node"]))),
        [(DuplicateRuntimeTarget, "manifest.runtimeTargets")];
    noncanonical_runtime_target: NoncanonicalRuntimeTarget => manifest_report(with(|m| m["runtimeTargets"] = json!(["mainframe"]))),
        [(NoncanonicalRuntimeTarget, "manifest.runtimeTargets")];
    capability_runtime_conflict: CapabilityRuntimeConflict => manifest_report(with(|m| {
        m["runtimeTargets"] = json!(["browser"]);
        m["capabilities"] = json!(["clock", "tcp"]);
    })), [(CapabilityRuntimeConflict, "manifest.capabilities")];

    invalid_invoke_surfaces: InvalidInvokeSurfaces => manifest_report(with(|m| m["invokeSurfaces"] = json!("direct"))),
        [(InvalidInvokeSurfaces, "manifest.invokeSurfaces")];
    invalid_invoke_surface: InvalidInvokeSurface => manifest_report(with(|m| m["invokeSurfaces"] = json!([7]))),
        [(InvalidInvokeSurface, "manifest.invokeSurfaces")];
    unknown_invoke_surface: UnknownInvokeSurface => manifest_report(with(|m| m["invokeSurfaces"] = json!(["Direct"]))),
        [(UnknownInvokeSurface, "manifest.invokeSurfaces")];
    duplicate_invoke_surface: DuplicateInvokeSurface => manifest_report(with(|m| m["invokeSurfaces"] = json!(["direct", "direct"]))),
        [(DuplicateInvokeSurface, "manifest.invokeSurfaces")];

    missing_external_interfaces_array: MissingExternalInterfacesArray =>
        manifest_report(with(|m| m["externalInterfaces"] = json!({}))), [(MissingExternalInterfacesArray, "manifest.externalInterfaces")];
    invalid_external_interface: InvalidExternalInterface => manifest_report(with(|m| m["externalInterfaces"] = json!([null]))),
        [(InvalidExternalInterface, "manifest.externalInterfaces[0]")];
    missing_interface_kind: MissingInterfaceKind => manifest_report(with(|m| {
        m["capabilities"] = json!(["clock"]);
        m["externalInterfaces"] = json!([{"interfaceId": "i", "direction": "input", "capability": "clock"}]);
    })), [(MissingInterfaceKind, "manifest.externalInterfaces[0].kind")];
    unknown_interface_kind: UnknownInterfaceKind => manifest_report(with(|m| {
        m["capabilities"] = json!(["clock"]);
        m["externalInterfaces"] = json!([{"interfaceId": "i", "kind": "sundial", "direction": "input", "capability": "clock"}]);
    })), [(UnknownInterfaceKind, "manifest.externalInterfaces[0].kind")];
    missing_interface_direction: MissingInterfaceDirection => manifest_report(with(|m| {
        m["capabilities"] = json!(["clock"]);
        m["externalInterfaces"] = json!([{"interfaceId": "i", "kind": "clock", "capability": "clock"}]);
    })), [(MissingInterfaceDirection, "manifest.externalInterfaces[0].direction")];
    invalid_interface_direction: InvalidInterfaceDirection => manifest_report(with(|m| {
        m["capabilities"] = json!(["clock"]);
        m["externalInterfaces"] = json!([{"interfaceId": "i", "kind": "clock", "direction": "Input", "capability": "clock"}]);
    })), [(InvalidInterfaceDirection, "manifest.externalInterfaces[0].direction")];
    missing_interface_capability: MissingInterfaceCapability => manifest_report(with(|m| {
        m["externalInterfaces"] = json!([{"interfaceId": "i", "kind": "clock", "direction": "input"}]);
    })), [(MissingInterfaceCapability, "manifest.externalInterfaces[0].capability")];
    undeclared_interface_capability: UndeclaredInterfaceCapability => manifest_report(with(|m| {
        m["externalInterfaces"] = json!([{"interfaceId": "i", "kind": "http", "direction": "output", "capability": "http"}]);
    })), [(UndeclaredInterfaceCapability, "manifest.externalInterfaces[0].capability")];

    missing_methods: MissingMethods => manifest_report(with(|m| m["methods"] = json!([]))), [(MissingMethods, "manifest.methods")];
    invalid_method: InvalidMethod => manifest_report(with(|m| m["methods"].as_array_mut().unwrap().push(json!("echo2")))),
        [(InvalidMethod, "manifest.methods[1]")];
    duplicate_method_id: DuplicateMethodId => manifest_report(with(|m| {
        let first = m["methods"][0].clone();
        m["methods"].as_array_mut().unwrap().push(first);
    })), [(DuplicateMethodId, "manifest.methods[1].methodId")];
    missing_input_ports: MissingInputPorts => manifest_report(with(|m| m["methods"][0]["inputPorts"] = json!([]))),
        [(MissingInputPorts, format!("{M0}.inputPorts"))];
    missing_output_ports: MissingOutputPorts => manifest_report(with(|m| { m["methods"][0].as_object_mut().unwrap().remove("outputPorts"); })),
        [(MissingOutputPorts, format!("{M0}.outputPorts"))];
    missing_drain_policy: MissingDrainPolicy => manifest_report(with(|m| m["methods"][0]["drainPolicy"] = json!(""))),
        [(MissingDrainPolicy, format!("{M0}.drainPolicy"))];
    invalid_drain_policy: InvalidDrainPolicy => manifest_report(with(|m| m["methods"][0]["drainPolicy"] = json!("DRAIN_TO_EMPTY"))),
        [(InvalidDrainPolicy, format!("{M0}.drainPolicy"))];

    invalid_port: InvalidPort => manifest_report(with(|m| m["methods"][0]["outputPorts"] = json!(["out"]))),
        [(InvalidPort, format!("{M0}.outputPorts[0]"))];
    missing_accepted_type_sets: MissingAcceptedTypeSets => manifest_report(with(|m| m["methods"][0]["inputPorts"][0]["acceptedTypeSets"] = json!([]))),
        [(MissingAcceptedTypeSets, format!("{IN0}.acceptedTypeSets"))];
    stream_range: StreamRange => manifest_report(with(|m| m["methods"][0]["inputPorts"][0]["minStreams"] = json!(2))),
        [(StreamRange, IN0)];
    invalid_required_flag: InvalidRequiredFlag => manifest_report(with(|m| m["methods"][0]["inputPorts"][0]["required"] = json!("true"))),
        [(InvalidRequiredFlag, format!("{IN0}.required"))];

    invalid_type_set: InvalidTypeSet => manifest_report(with(|m| m["methods"][0]["inputPorts"][0]["acceptedTypeSets"] = json!([[]]))),
        [(InvalidTypeSet, SET0)];
    missing_allowed_types: MissingAllowedTypes => manifest_report(with(|m| *allowed_types(m) = json!([]))),
        [(MissingAllowedTypes, format!("{SET0}.allowedTypes"))];
    invalid_type_record: InvalidTypeRecord => manifest_report(with(|m| *allowed_types(m) = json!(["OMM.fbs"]))),
        [(InvalidTypeRecord, T0)];
    invalid_wire_format: InvalidWireFormat => manifest_report(with(|m| allowed_types(m)[0]["wireFormat"] = json!("protobuf"))),
        [(InvalidWireFormat, format!("{T0}.wireFormat"))];
    accepts_any_flatbuffer_format_conflict: AcceptsAnyFlatbufferFormatConflict => manifest_report(with(|m| {
        allowed_types(m).as_array_mut().unwrap().insert(0, json!({
            "wireFormat": "aligned-binary", "acceptsAnyFlatbuffer": true,
            "schemaName": "OMM.fbs", "rootTypeName": "OMM", "requiredAlignment": 8
        }));
    })), [(AcceptsAnyFlatbufferFormatConflict, format!("{T0}.acceptsAnyFlatbuffer"))];
    missing_aligned_schema_name: MissingAlignedSchemaName => manifest_report(with(|m| {
        *allowed_types(m) = json!([
            {"wireFormat": "aligned-binary", "fileIdentifier": "OMM", "rootTypeName": "OMM", "requiredAlignment": 8},
            {"fileIdentifier": "OMM"}
        ]);
    })), [(MissingAlignedSchemaName, format!("{T0}.schemaName"))];
    missing_aligned_root_type_name: MissingAlignedRootTypeName => manifest_report(with(|m| {
        allowed_types(m).as_array_mut().unwrap().insert(0, json!({"wireFormat": 1, "schemaName": "OMM.fbs", "requiredAlignment": 8}));
    })), [(MissingAlignedRootTypeName, format!("{T0}.rootTypeName"))];
    missing_type_identity: MissingTypeIdentity => manifest_report(with(|m| *allowed_types(m) = json!([{"schemaHash": []}]))),
        [(MissingTypeIdentity, T0)];
    missing_flatbuffer_fallback: MissingFlatbufferFallback => manifest_report(with(|m| {
        *allowed_types(m) = json!([{"wireFormat": "aligned_binary", "schemaName": "OMM.fbs", "rootTypeName": "OMM", "requiredAlignment": 8}]);
    })), [(MissingFlatbufferFallback, T0)];

    invalid_timers_array: InvalidTimersArray => manifest_report(with(|m| m["timers"] = json!({}))), [(InvalidTimersArray, "manifest.timers")];
    invalid_timer: InvalidTimer => manifest_report(with(|m| { m["capabilities"] = json!(["timers"]); m["timers"] = json!([1]); })),
        [(InvalidTimer, "manifest.timers[0]")];
    unknown_timer_method: UnknownTimerMethod => manifest_report(with(|m| {
        m["capabilities"] = json!(["timers"]);
        m["timers"] = json!([{"timerId": "t", "methodId": "nope"}]);
    })), [(UnknownTimerMethod, "manifest.timers[0].methodId")];
    invalid_timer_input_port: InvalidTimerInputPort => manifest_report(with(|m| {
        m["capabilities"] = json!(["timers"]);
        m["timers"] = json!([{"timerId": "t", "methodId": "echo", "inputPortId": 3}]);
    })), [(InvalidTimerInputPort, "manifest.timers[0].inputPortId")];
    unknown_timer_input_port: UnknownTimerInputPort => manifest_report(with(|m| {
        m["capabilities"] = json!(["timers"]);
        m["timers"] = json!([{"timerId": "t", "methodId": "echo", "inputPortId": "tick", "defaultIntervalMs": 1000}]);
    })), [(UnknownTimerInputPort, "manifest.timers[0].inputPortId")];
    undeclared_timer_capability: UndeclaredTimerCapability => manifest_report(with(|m| {
        m["timers"] = json!([{"timerId": "t", "methodId": "echo", "inputPortId": "in"}]);
    })), [(UndeclaredTimerCapability, "manifest.timers[0]")];

    invalid_protocols_array: InvalidProtocolsArray => manifest_report(with(|m| m["protocols"] = json!("http"))),
        [(InvalidProtocolsArray, "manifest.protocols")];
    invalid_protocol: InvalidProtocol => manifest_report(with(|m| m["protocols"] = json!([[]]))), [(InvalidProtocol, "manifest.protocols[0]")];
    unknown_protocol_method: UnknownProtocolMethod => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["methodId"] = json!("nope");
        m["protocols"] = json!([p]);
    })), [(UnknownProtocolMethod, "manifest.protocols[0].methodId")];
    invalid_protocol_input_port: InvalidProtocolInputPort => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["inputPortId"] = json!(" ");
        m["protocols"] = json!([p]);
    })), [(InvalidProtocolInputPort, "manifest.protocols[0].inputPortId")];
    unknown_protocol_input_port: UnknownProtocolInputPort => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["inputPortId"] = json!("In");
        m["protocols"] = json!([p]);
    })), [(UnknownProtocolInputPort, "manifest.protocols[0].inputPortId")];
    invalid_protocol_output_port: InvalidProtocolOutputPort => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["outputPortId"] = json!(false);
        m["protocols"] = json!([p]);
    })), [(InvalidProtocolOutputPort, "manifest.protocols[0].outputPortId")];
    unknown_protocol_output_port: UnknownProtocolOutputPort => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["outputPortId"] = json!("out");
        m["protocols"] = json!([p]);
    })), [(UnknownProtocolOutputPort, "manifest.protocols[0].outputPortId")];
    unknown_protocol_transport_kind: UnknownProtocolTransportKind => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["transportKind"] = json!("pigeon");
        m["protocols"] = json!([p]);
    })), [(UnknownProtocolTransportKind, "manifest.protocols[0].transportKind")];
    unknown_protocol_role: UnknownProtocolRole => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["role"] = json!("listen");
        m["protocols"] = json!([p]);
    })), [(UnknownProtocolRole, "manifest.protocols[0].role")];
    undeclared_protocol_capability: UndeclaredProtocolCapability => manifest_report(with(|m| m["protocols"] = json!([protocol()]))),
        [(UndeclaredProtocolCapability, "manifest.protocols[0]"), (MissingHandleProtocolCapability, "manifest.protocols[0]")];
    missing_handle_protocol_capability: MissingHandleProtocolCapability => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_dial"]);
        m["protocols"] = json!([protocol()]);
    })), [(MissingHandleProtocolCapability, "manifest.protocols[0]")];
    missing_dial_protocol_capability: MissingDialProtocolCapability => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["role"] = json!("DIAL");
        m["protocols"] = json!([p]);
    })), [(MissingDialProtocolCapability, "manifest.protocols[0]")];
    protocol_advertise_role_conflict: ProtocolAdvertiseRoleConflict => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_dial"]);
        let mut p = protocol();
        p["role"] = json!("dial");
        p["advertise"] = json!(true);
        m["protocols"] = json!([p]);
    })), [(ProtocolAdvertiseRoleConflict, "manifest.protocols[0].advertise")];
    missing_ipfs_capability: MissingIpfsCapability => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["transportKind"] = json!("LIBP2P");
        m["protocols"] = json!([p]);
    })), [(MissingIpfsCapability, "manifest.protocols[0]")];
    insecure_secure_port_hint: InsecureSecurePortHint => manifest_report(with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["transportKind"] = json!("websocket");
        p["defaultPort"] = json!(443);
        m["protocols"] = json!([p]);
    })), [(InsecureSecurePortHint, "manifest.protocols[0].defaultPort")];

    missing_wasi_command_surface: MissingWasiCommandSurface => manifest_report(with(|m| m["runtimeTargets"] = json!(["wasi"]))),
        [(MissingWasiCommandSurface, "manifest.invokeSurfaces")];
    capability_wasi_standalone_conflict: CapabilityWasiStandaloneConflict => manifest_report(with(|m| {
        m["runtimeTargets"] = json!(["wasi"]);
        m["invokeSurfaces"] = json!(["command"]);
        m["capabilities"] = json!(["clock", "http"]);
    })), [(CapabilityWasiStandaloneConflict, "manifest.capabilities")];
    protocol_wasi_standalone_conflict: ProtocolWasiStandaloneConflict => manifest_report(with(|m| {
        m["runtimeTargets"] = json!(["wasi"]);
        m["invokeSurfaces"] = json!(["command"]);
        m.as_object_mut().unwrap().remove("capabilities");
        m["protocols"] = json!([protocol()]);
    })), [(MissingCapabilitiesArray, "manifest.capabilities"), (ProtocolWasiStandaloneConflict, "manifest.protocols[0].transportKind")];

    invalid_schemas_used_array: InvalidSchemasUsedArray => manifest_report(with(|m| m["schemasUsed"] = json!({"schemaName": "OMM.fbs"}))),
        [(InvalidSchemasUsedArray, "manifest.schemasUsed")];

    missing_plugin_manifest_export: MissingPluginManifestExport => artifact_report(base(), &["plugin_get_manifest_flatbuffer", "memory"]),
        [(MissingPluginManifestExport, "manifest")];
    missing_plugin_invoke_export: MissingPluginInvokeExport => artifact_report(
        with(|m| m["invokeSurfaces"] = json!(["direct"])),
        &["plugin_get_manifest_flatbuffer", "plugin_get_manifest_flatbuffer_size", "plugin_alloc", "plugin_free"],
    ), [(MissingPluginInvokeExport, "manifest")];
    missing_plugin_command_export: MissingPluginCommandExport => artifact_report(
        with(|m| m["invokeSurfaces"] = json!(["command"])),
        &["plugin_get_manifest_flatbuffer", "plugin_get_manifest_flatbuffer_size"],
    ), [(MissingPluginCommandExport, "manifest")];
    artifact_abi_not_checked: ArtifactAbiNotChecked =>
        validate_artifact(&base(), ArtifactExports::NotChecked, &ArtifactOptions::default()).unwrap(),
        [(ArtifactAbiNotChecked, "manifest")];

    unresolved_standards_type: UnresolvedStandardsType => validate_manifest_with_standards(
        &with(|m| m["schemasUsed"] = json!([{"schemaName": "Made.Up.fbs"}, {"fileIdentifier": "$OMM"}, {"acceptsAnyFlatbuffer": true}])),
        &ManifestOptions::default(),
        StandardsCatalog::builtin(),
    ), [(UnresolvedStandardsType, "manifest.schemasUsed")];
}

#[test]
fn every_code_has_its_own_test() {
    for code in Code::ALL {
        assert!(TESTED.contains(code), "no test for {code}");
    }
    assert_eq!(TESTED.len(), Code::ALL.len());
}

#[test]
fn the_base_manifest_is_clean_under_every_validator() {
    assert_issues(manifest_report(base()), &[]);
    let exports = [
        "plugin_get_manifest_flatbuffer",
        "plugin_get_manifest_flatbuffer_size",
    ];
    assert_issues(artifact_report(base(), &exports), &[]);
    let report = validate_manifest_with_standards(
        &base(),
        &ManifestOptions::named("a/manifest.json"),
        StandardsCatalog::builtin(),
    );
    assert_issues(report, &[]);
}

// ---- where the reference throws a TypeError, we report ----

#[test]
fn timer_port_on_a_method_without_input_ports_is_reported_not_thrown() {
    let manifest = with(|m| {
        m["capabilities"] = json!(["timers"]);
        m["methods"][0]
            .as_object_mut()
            .unwrap()
            .remove("inputPorts");
        m["timers"] = json!([{"timerId": "t", "methodId": "echo", "inputPortId": "in"}]);
    });
    assert_issues(
        manifest_report(manifest),
        &[
            (Code::MissingInputPorts, "manifest.methods[0].inputPorts"),
            (
                Code::UnknownTimerInputPort,
                "manifest.timers[0].inputPortId",
            ),
        ],
    );
}

#[test]
fn protocol_ports_on_a_method_without_port_lists_are_reported_not_thrown() {
    let manifest = with(|m| {
        m["capabilities"] = json!(["protocol_handle"]);
        m["methods"][0]["inputPorts"] = json!("in");
        m["methods"][0]
            .as_object_mut()
            .unwrap()
            .remove("outputPorts");
        let mut p = protocol();
        p["inputPortId"] = json!("in");
        p["outputPortId"] = json!("out");
        m["protocols"] = json!([p]);
    });
    assert_issues(
        manifest_report(manifest),
        &[
            (Code::MissingInputPorts, "manifest.methods[0].inputPorts"),
            (Code::MissingOutputPorts, "manifest.methods[0].outputPorts"),
            (
                Code::UnknownProtocolInputPort,
                "manifest.protocols[0].inputPortId",
            ),
            (
                Code::UnknownProtocolOutputPort,
                "manifest.protocols[0].outputPortId",
            ),
        ],
    );
}

// ---- artifact inputs ----

fn vector_wasm(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../vectors/differential/compliance/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn export_names_come_from_the_wasm_and_issues_sit_at_the_wasm_path() {
    let wasm = vector_wasm("exports-partial.wasm");
    let manifest = with(|m| m["invokeSurfaces"] = json!(["direct", "command"]));
    let options = ArtifactOptions {
        wasm_path: Some("dist/echo.wasm".into()),
        ..Default::default()
    };
    let report = validate_artifact(&manifest, ArtifactExports::Wasm(&wasm), &options).unwrap();
    assert!(report.checked_artifact);
    assert_eq!(
        report.export_names,
        [
            "_start",
            "plugin_alloc",
            "plugin_get_manifest_flatbuffer_size"
        ]
    );
    let codes: Vec<_> = summary(&report)
        .into_iter()
        .map(|(_, code, loc)| format!("{code}@{loc}"))
        .collect();
    assert_eq!(
        codes,
        [
            "missing-plugin-manifest-export@dist/echo.wasm",
            "missing-plugin-invoke-export@dist/echo.wasm",
            "missing-plugin-invoke-export@dist/echo.wasm",
        ]
    );
}

#[test]
fn source_name_defaults_to_the_manifest_path() {
    let options = ArtifactOptions {
        manifest_path: Some("mods/echo/manifest.json".into()),
        ..Default::default()
    };
    let report = validate_artifact(&json!([]), ArtifactExports::NotChecked, &options).unwrap();
    assert_eq!(report.source_name, "mods/echo/manifest.json");
    assert_issues(
        report,
        &[
            (Code::InvalidManifest, "mods/echo/manifest.json"),
            (Code::ArtifactAbiNotChecked, "mods/echo/manifest.json"),
        ],
    );
}

#[test]
fn a_module_that_does_not_compile_is_an_error() {
    let err = validate_artifact(
        &base(),
        ArtifactExports::Wasm(b"\0asm\x01\0\0\0\x01\x04\x01\x60"),
        &ArtifactOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::WasmInvalid);
    assert!(
        validate_artifact(
            &base(),
            ArtifactExports::Wasm(b"not wasm"),
            &ArtifactOptions::default()
        )
        .is_err()
    );
}

#[test]
fn report_json_shapes() {
    let report = manifest_report(with(|m| m["version"] = json!(1)));
    assert_eq!(
        report.to_vector_json(),
        json!({"ok": false, "issues": [{"severity": "error", "code": "missing-string", "location": "manifest.version"}]})
    );
    let full = report.to_json();
    assert_eq!(
        full["issues"][0]["message"],
        "version must be a non-empty string."
    );
    assert!(report.fails(false));
    let warned = manifest_report(with(|m| m["capabilities"] = json!(["x"])));
    assert!(warned.ok() && !warned.fails(false) && warned.fails(true));
    assert_eq!(
        warned.warnings().next().map(|i| i.severity),
        Some(Severity::Warning)
    );
}

#[test]
fn hostile_shapes_never_panic() {
    let junk = [
        json!(null),
        json!("x"),
        json!(1),
        json!([]),
        json!({}),
        json!([null]),
        json!({"a": [1, {"b": null}]}),
    ];
    let keys = [
        "pluginId",
        "capabilities",
        "runtimeTargets",
        "invokeSurfaces",
        "externalInterfaces",
        "methods",
        "timers",
        "protocols",
        "schemasUsed",
    ];
    for key in keys {
        for value in &junk {
            let manifest = with(|m| m[key] = value.clone());
            let _ = validate_manifest_with_standards(
                &manifest,
                &ManifestOptions::default(),
                StandardsCatalog::builtin(),
            );
            let manifest = with(|m| {
                m["methods"][0]["inputPorts"][0]["acceptedTypeSets"][0][key] = value.clone();
                m["methods"][0]["inputPorts"][0][key] = value.clone();
                m["methods"][0][key] = value.clone();
                *allowed_types(m) = json!([value.clone(), {"wireFormat": 1, "schemaHash": [value.clone(), 1.5, -3]}]);
            });
            let _ = validate_manifest_with_standards(
                &manifest,
                &ManifestOptions::default(),
                StandardsCatalog::builtin(),
            );
        }
    }
}

#[test]
fn many_timers_capabilities_and_ports_stay_linear() {
    // Quadratic lookups would make this take minutes; the sets keep it well under a second.
    const N: usize = 30_000;
    let manifest = with(|m| {
        let mut capabilities: Vec<Value> = (0..N).map(|i| json!(format!("cap_{i}"))).collect();
        capabilities.push(json!("timers"));
        m["capabilities"] = Value::Array(capabilities);
        let ports: Vec<Value> = (0..N).map(|i| json!({"portId": format!("p{i}")})).collect();
        m["methods"][0]["inputPorts"] = Value::Array(ports);
        m["timers"] = Value::Array(
            (0..N).map(|i| json!({"timerId": format!("t{i}"), "methodId": "echo", "inputPortId": format!("p{}", N - 1 - i)})).collect(),
        );
        m["schemasUsed"] = Value::Array((0..N).map(|_| json!({"schemaName": "OMM.fbs"})).collect());
    });
    let report = validate_manifest_with_standards(
        &manifest,
        &ManifestOptions::default(),
        StandardsCatalog::builtin(),
    );
    assert!(!report.issues.iter().any(|i| matches!(
        i.code,
        Code::UnknownTimerInputPort | Code::UndeclaredTimerCapability
    )));
    assert!(
        report
            .issues
            .iter()
            .any(|i| i.code == Code::NoncanonicalCapability)
    );
}

#[test]
fn objects_javascript_cannot_stringify_get_ordinary_issues() {
    // The reference throws a TypeError on String({"toString": 1}); we report instead.
    let manifest = with(|m| {
        allowed_types(m)[0]["wireFormat"] = json!({"toString": 1});
        m["capabilities"] = json!(["protocol_handle"]);
        let mut p = protocol();
        p["transportKind"] = json!({"toString": 1});
        m["protocols"] = json!([p]);
    });
    assert_issues(
        manifest_report(manifest),
        &[
            (Code::InvalidWireFormat, &format!("{T0}.wireFormat")),
            (Code::MissingString, "manifest.protocols[0].transportKind"),
        ],
    );
}
