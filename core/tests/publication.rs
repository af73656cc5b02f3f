//! Publication and protection: vectors, round trips and negatives.

use std::path::Path;

use space_data_module::conformance;

fn vectors() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication"
    ))
}

#[test]
fn every_publication_vector_gives_its_expected_outcome() {
    let summary = conformance::run_dir(vectors()).expect("runs");
    let failures: Vec<String> = summary
        .failures()
        .map(|o| format!("{}: {}", o.case, o.failure.clone().unwrap_or_default()))
        .collect();
    assert_eq!(summary.outcomes.len(), 22, "index.json lists 22 cases");
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}
