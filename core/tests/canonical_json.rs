//! Canonical JSON against every vector that pins its bytes.

use space_data_module::canonical_json::canonical_bytes;
use space_data_module::js::parse_json;

fn vector(path: &str) -> Vec<u8> {
    let full = format!("{}/../vectors/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|err| panic!("{full}: {err}"))
}

fn canonical_of_file(path: &str) -> Vec<u8> {
    let text = String::from_utf8(vector(path)).unwrap();
    canonical_bytes(&parse_json(&text).unwrap()).unwrap()
}

#[test]
fn collation_vector_is_byte_exact() {
    assert_eq!(
        String::from_utf8(canonical_of_file("canonical-json/collation.input.json")).unwrap(),
        String::from_utf8(vector("canonical-json/collation.canonical.json")).unwrap()
    );
}

#[test]
fn single_file_bundle_payloads_are_byte_exact() {
    for name in ["authorization", "signature", "transport"] {
        let expected = vector(&format!("single-file-bundle/{name}.canonical.json"));
        let expected = expected
            .strip_suffix(b"\n")
            .expect("vector ends in a newline");
        assert_eq!(
            canonical_of_file(&format!("single-file-bundle/{name}.json")),
            expected,
            "{name}"
        );
    }
}

#[test]
fn publication_canonical_json_cases() {
    let cases =
        parse_json(&String::from_utf8(vector("publication/canonical-json/cases.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for group in ["required", "informative"] {
        for case in cases[group].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let input = parse_json(case["input"].as_str().unwrap()).unwrap();
            let expected = case
                .get("canonical")
                .or_else(|| case.get("canonicalEnUS"))
                .and_then(|v| v.as_str())
                .unwrap();
            let actual = canonical_bytes(&input).unwrap();
            assert_eq!(
                String::from_utf8(actual.clone()).unwrap(),
                expected,
                "{group}/{name}"
            );
            if let Some(hash) = case.get("canonicalSha256").and_then(|v| v.as_str()) {
                use sha2::Digest;
                assert_eq!(
                    hex::encode(sha2::Sha256::digest(&actual)),
                    hash,
                    "{group}/{name} hash"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 5);
}
