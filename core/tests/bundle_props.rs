//! Properties over generated inputs: create → parse round-trips every entry and verifies;
//! canonical JSON parses back to the same value; the walker never panics.

use proptest::prelude::*;
use serde_json::{Value, json};
use space_data_module::bundle::{self, CreateOptions, EntryInput, ParseOptions, Payload};

const ROLES: [&str; 6] = [
    "manifest",
    "authorization",
    "signature",
    "transport",
    "attestation",
    "auxiliary",
];
const ENCODINGS: [&str; 4] = ["raw-bytes", "flatbuffer", "json-utf8", "cbor"];

fn entry_strategy() -> impl Strategy<Value = (String, usize, usize, Vec<u8>, Option<String>)> {
    (
        "[a-z][a-z0-9-]{0,12}",
        0..6usize,
        0..4usize,
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::option::of("[ -~]{0,20}"),
    )
}

fn json_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(|x| json!(x)),
        "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("\\PC{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn create_then_parse_round_trips(entries in proptest::collection::vec(entry_strategy(), 0..5)) {
        let inputs: Vec<EntryInput> = entries
            .iter()
            .map(|(id, role, encoding, payload, description)| {
                let mut entry = EntryInput::new(id, ROLES[*role], ENCODINGS[*encoding], Payload::Bytes(payload.clone()));
                entry.description = description.clone().map(Value::from);
                entry
            })
            .collect();
        let options = CreateOptions { wasm: b"\0asm\x01\0\0\0".to_vec(), entries: inputs, ..CreateOptions::default() };
        let created = bundle::create(&options).unwrap();
        let parsed = bundle::parse(&created.wasm, &ParseOptions::default()).unwrap();
        prop_assert_eq!(&parsed.bundle, &created.bundle);
        prop_assert_eq!(bundle::decode(&created.bundle_bytes).unwrap(), created.bundle.clone());
        prop_assert_eq!(bundle::encode(&parsed.bundle), created.bundle_bytes.clone());
        bundle::verify(&parsed).unwrap();
        for (entry, (id, role, encoding, payload, _)) in parsed.bundle.entries.iter().zip(&entries) {
            prop_assert_eq!(&entry.entry_id, id);
            prop_assert_eq!(entry.role_name(), ROLES[*role]);
            prop_assert_eq!(entry.encoding_name(), ENCODINGS[*encoding]);
            prop_assert_eq!(&entry.payload, payload);
        }
    }

    #[test]
    fn canonical_json_parses_back_to_the_same_value(value in json_strategy()) {
        let text = space_data_module::canonical_json::canonical_string(&value).unwrap();
        let back = space_data_module::js::parse_json(&text).unwrap();
        prop_assert_eq!(space_data_module::conformance::json_diff(&value, &back), None);
        // Canonical form is a fixed point.
        prop_assert_eq!(space_data_module::canonical_json::canonical_string(&back).unwrap(), text);
    }

    #[test]
    fn walker_and_parse_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend(tail);
        let _ = space_data_module::wasm::sections::parse_sections(&module);
        let _ = bundle::parse(&module, &ParseOptions::default());
    }
}
