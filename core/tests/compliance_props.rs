//! Arbitrary JSON anywhere in a manifest gives a report, never a panic, and reports are
//! deterministic.

use proptest::prelude::*;
use serde_json::{Value, json};
use space_data_module::compliance::{
    ArtifactExports, ArtifactOptions, ManifestOptions, StandardsCatalog,
    validate_artifact_with_standards, validate_manifest,
};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| json!(x)),
        (-3i64..70_000).prop_map(|x| json!(x)),
        prop_oneof![
            Just("".to_owned()),
            Just(" ".to_owned()),
            Just("wasi".to_owned()),
            Just("browser".to_owned()),
            Just("direct".to_owned()),
            Just("command".to_owned()),
            Just("aligned-binary".to_owned()),
            Just("libp2p".to_owned()),
            Just("dial".to_owned()),
            Just("echo".to_owned()),
            Just("in".to_owned()),
            "[a-z_ .$-]{0,8}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("methodId"),
                        Just("inputPorts"),
                        Just("outputPorts"),
                        Just("portId"),
                        Just("acceptedTypeSets"),
                        Just("allowedTypes"),
                        Just("wireFormat"),
                        Just("schemaName"),
                        Just("schemaHash"),
                        Just("acceptsAnyFlatbuffer"),
                        Just("transportKind"),
                        Just("role"),
                        Just("capability"),
                        Just("inputPortId"),
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|pairs| Value::Object(
                pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn base() -> Value {
    json!({
        "pluginId": "p", "name": "n", "version": "1", "pluginFamily": "analysis",
        "capabilities": ["timers", "protocol_handle"], "externalInterfaces": [], "runtimeTargets": ["wasi"],
        "methods": [{"methodId": "echo", "inputPorts": [{"portId": "in", "acceptedTypeSets": [{"setId": "s",
            "allowedTypes": [{"schemaName": "OMM.fbs"}]}], "minStreams": 0, "maxStreams": 1, "required": true}],
            "outputPorts": [], "maxBatch": 1, "drainPolicy": "single-shot"}],
        "timers": [{"timerId": "t", "methodId": "echo", "inputPortId": "in"}],
        "protocols": [{"protocolId": "p", "methodId": "echo", "wireId": "w", "transportKind": "http", "role": "handle"}],
    })
}

const POINTERS: &[&str] = &[
    "",
    "/capabilities",
    "/runtimeTargets",
    "/invokeSurfaces",
    "/externalInterfaces",
    "/methods",
    "/methods/0",
    "/methods/0/inputPorts",
    "/methods/0/inputPorts/0",
    "/methods/0/inputPorts/0/acceptedTypeSets",
    "/methods/0/inputPorts/0/acceptedTypeSets/0/allowedTypes",
    "/methods/0/inputPorts/0/acceptedTypeSets/0/allowedTypes/0",
    "/timers",
    "/timers/0",
    "/protocols/0",
    "/schemasUsed",
];

proptest! {
    #[test]
    fn any_value_anywhere_gives_a_report(pointer in prop::sample::select(POINTERS), value in json_value()) {
        let mut manifest = base();
        if let Some(slot) = manifest.pointer_mut(pointer) {
            *slot = value.clone();
        } else if let Some((parent, key)) = pointer.rsplit_once('/') && let Some(Value::Object(map)) = manifest.pointer_mut(parent) {
            map.insert(key.to_owned(), value.clone());
        }
        let first = validate_manifest(&manifest, &ManifestOptions::default());
        prop_assert_eq!(&first, &validate_manifest(&manifest, &ManifestOptions::default()));
        prop_assert_eq!(first.ok(), first.issues.iter().all(|i| i.severity.as_str() == "warning"));
        let names = vec!["plugin_get_manifest_flatbuffer".to_owned()];
        let with_standards = validate_artifact_with_standards(
            &manifest, ArtifactExports::Names(&names), &ArtifactOptions::default(), StandardsCatalog::builtin(),
        ).unwrap();
        // The artifact report extends the manifest report.
        prop_assert_eq!(&with_standards.issues[..first.issues.len()], &first.issues[..]);
    }
}
