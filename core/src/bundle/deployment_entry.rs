//! The `deployment-plan` bundle entry (`createDeploymentPlanBundleEntry`). It lives in the bundle,
//! which uses `deployment` for the plan's normalization and the entry's identifiers; `deployment`
//! knows nothing of bundles.

use serde_json::Value;

use super::{EntryInput, Payload};
use crate::Result;
use crate::deployment::{
    DEPLOYMENT_DESCRIPTION, DEPLOYMENT_ENTRY_ID, DEPLOYMENT_MEDIA_TYPE, DEPLOYMENT_SECTION_NAME,
    normalize_plan,
};

/// The bundle entry carrying `plan`: role auxiliary, encoding `json-utf8`, payload the
/// normalized plan (canonicalized when the bundle is created).
pub fn deployment_entry(plan: &Value) -> Result<EntryInput> {
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
