//! The `deployment-plan` bundle entry (`createDeploymentPlanBundleEntry`).

use serde_json::Value;

use super::normalize_plan;
use crate::Result;
use crate::bundle::{EntryInput, Payload};

/// Entry id of the deployment plan.
pub const DEPLOYMENT_ENTRY_ID: &str = "deployment-plan";
/// Logical section name of the deployment plan entry.
pub const DEPLOYMENT_SECTION_NAME: &str = "sds.deployment";
/// Media type of the deployment plan entry.
pub const DEPLOYMENT_MEDIA_TYPE: &str = "application/vnd.space-data.module.deployment+json";
/// Description the reference stores on the deployment plan entry.
pub const DEPLOYMENT_DESCRIPTION: &str = "Resolved deployment plan with protocol installations, bindings, schedules, services, auth policy, and publication policy.";

/// The bundle entry carrying `plan`: role auxiliary, encoding `json-utf8`, payload the
/// normalized plan (canonicalized when the bundle is created).
pub fn bundle_entry(plan: &Value) -> Result<EntryInput> {
    let normalized = normalize_plan(plan)?;
    Ok(EntryInput {
        entry_id: Some(Value::from(DEPLOYMENT_ENTRY_ID)),
        role: Some(Value::from("auxiliary")),
        section_name: Some(Value::from(DEPLOYMENT_SECTION_NAME)),
        payload_encoding: Some(Value::from("json-utf8")),
        media_type: Some(Value::from(DEPLOYMENT_MEDIA_TYPE)),
        payload: Some(Payload::Json(normalized)),
        description: Some(Value::from(DEPLOYMENT_DESCRIPTION)),
        ..EntryInput::default()
    })
}

/// The exact payload bytes of the deployment entry: canonical JSON of the normalized plan.
pub fn plan_payload(plan: &Value) -> Result<Vec<u8>> {
    crate::canonical_json::canonical_bytes(&normalize_plan(plan)?)
}
