//! The nested report views and runtime-host values, under the `api` path, for bindings that
//! mirror every report as typed records (Kotlin and Swift via UniFFI) rather than JSON text.
//! The top-level reports are re-exported from [`super`]; these are the types inside them.

pub use crate::bundle::report::{CanonicalizationView, ParsedBundleView, ParsedEntryView};
pub use crate::publication::report::{
    BundleDetails, BundleView, CidView, DigestView, EncView, PnmView,
    RecordView as TrailerRecordView, SignatureView, TrailerDetails, TrailerView,
};
#[cfg(feature = "host")]
pub use crate::runtime_host::{Record, RecordIdentity};
