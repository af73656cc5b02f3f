//! All 84 compliance vectors give the reference's report (ok, codes, severities, locations, order).

use std::path::Path;

use space_data_module::conformance;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../vectors/differential/compliance"
);

#[test]
fn every_compliance_vector_matches_the_reference() {
    let summary = conformance::run_dir(Path::new(DIR)).unwrap();
    assert_eq!(summary.outcomes.len(), 84);
    let failures: Vec<String> = summary
        .failures()
        .map(|f| format!("{}: {}", f.case, f.failure.as_deref().unwrap_or("")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
