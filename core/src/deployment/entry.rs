//! What identifies the `deployment-plan` bundle entry, and its payload bytes. The entry itself
//! (`createDeploymentPlanBundleEntry`) is built by the bundle ([`crate::bundle::deployment_entry`]),
//! so the bundle depends on deployment and not the other way round.

use serde_json::Value;

use super::normalize_plan;
use crate::Result;

/// Entry id of the deployment plan.
pub const DEPLOYMENT_ENTRY_ID: &str = "deployment-plan";
/// Logical section name of the deployment plan entry.
pub const DEPLOYMENT_SECTION_NAME: &str = "sds.deployment";
/// Media type of the deployment plan entry.
pub const DEPLOYMENT_MEDIA_TYPE: &str = "application/vnd.space-data.module.deployment+json";
/// Description the reference stores on the deployment plan entry.
pub const DEPLOYMENT_DESCRIPTION: &str = "Resolved deployment plan with protocol installations, bindings, schedules, services, auth policy, and publication policy.";

/// The exact payload bytes of the deployment entry: canonical JSON of the normalized plan.
pub fn plan_payload(plan: &Value) -> Result<Vec<u8>> {
    crate::canonical_json::canonical_bytes(&normalize_plan(plan)?)
}
