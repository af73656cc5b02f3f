//! Deployment plans: the part the bundle needs (spec `bundle-and-manifest.md` 7.6). The bundle
//! builds the plan's entry ([`crate::bundle::deployment_entry`]); this module does not know bundles.
//!
//! A deployment plan travels inside a bundle as the `deployment-plan` entry, whose payload
//! is the canonical JSON of the plan after the reference's normalization
//! (`normalizeDeploymentPlan` in `src/deployment/index.js`). Validation of plans is not part
//! of this module.

mod entry;
mod normalize;

pub use entry::{
    DEPLOYMENT_DESCRIPTION, DEPLOYMENT_ENTRY_ID, DEPLOYMENT_MEDIA_TYPE, DEPLOYMENT_SECTION_NAME,
    plan_payload,
};
pub use normalize::{DEPLOYMENT_PLAN_FORMAT_VERSION, normalize_plan};
