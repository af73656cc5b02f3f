//! JSON Schemas of every report shape, generated from the serde types. The checked-in copies
//! under `docs/schemas/` are compared with a fresh generation by a test
//! (`SDM_WRITE_SCHEMAS=1 cargo test -p space-data-module --lib schemas` rewrites them).

use schemars::{JsonSchema, schema_for};
use serde_json::Value;

use super::authorization::{AuthorizationOptions, VerifiedAuthorization, VerifyRequest};
use super::format::{BundleOptions, BundleSummary, InspectOptions, InspectReport};
#[cfg(feature = "host")]
use super::invoke::InvokeResult;
use super::keys::KeyFile;
#[cfg(feature = "host")]
use super::program::{Program, ProgramResult};
use super::publication::OpenOutcome;
use super::wasmsig::WasmsigReport;
use crate::bundle::report::ParsedBundleView;
use crate::compliance::CheckReport;
use crate::publication::ProtectResult;
use crate::publication::report::OpenReportView;
#[cfg(feature = "host")]
use crate::runtime_host::regions::RecordJson;
#[cfg(feature = "host")]
use crate::runtime_host::{ModuleRecordView, RegionDescriptor, Row};

fn schema<T: JsonSchema>() -> Value {
    serde_json::to_value(schema_for!(T)).unwrap_or(Value::Null)
}

/// `(file stem, schema)` for every report and request document of the layers built, in a
/// stable order.
pub fn all() -> Vec<(&'static str, Value)> {
    #[cfg_attr(not(feature = "host"), allow(unused_mut))]
    let mut all = vec![
        ("check-report", schema::<CheckReport>()),
        ("parsed-bundle", schema::<ParsedBundleView>()),
        ("inspect-report", schema::<InspectReport>()),
        ("bundle-summary", schema::<BundleSummary>()),
        ("bundle-options", schema::<BundleOptions>()),
        ("inspect-options", schema::<InspectOptions>()),
        ("open-report", schema::<OpenReportView>()),
        ("open-outcome", schema::<OpenOutcome>()),
        ("protect-result", schema::<ProtectResult>()),
        ("authorization-options", schema::<AuthorizationOptions>()),
        ("authorization-verify-options", schema::<VerifyRequest>()),
        ("verified-authorization", schema::<VerifiedAuthorization>()),
        ("key-file", schema::<KeyFile>()),
        ("wasmsig-report", schema::<WasmsigReport>()),
    ];
    // The runtime host's documents exist with the `host` layer only.
    #[cfg(feature = "host")]
    all.extend([
        ("invoke-result", schema::<InvokeResult>()),
        ("program", schema::<Program>()),
        ("program-result", schema::<ProgramResult>()),
        ("module-record", schema::<ModuleRecordView>()),
        ("row", schema::<Row>()),
        ("region-descriptor", schema::<RegionDescriptor>()),
        ("record", schema::<RecordJson<'static>>()),
    ]);
    all
}

/// The text of one schema file (2-space JSON and a final newline).
pub fn file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn checked_in_schemas_match_the_types() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/schemas");
        let write = std::env::var_os("SDM_WRITE_SCHEMAS").is_some();
        if write {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let mut stale = Vec::new();
        for (name, schema) in super::all() {
            let path = dir.join(format!("{name}.schema.json"));
            let text = super::file_text(&schema);
            if write {
                std::fs::write(&path, &text).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "docs/schemas is stale for {stale:?}: run `SDM_WRITE_SCHEMAS=1 cargo test -p space-data-module --lib schemas`"
        );
    }
}
