//! Publication and protection over the appended `REC` trailer: signatures, encryption,
//! transport envelopes, `protect`, and the fail-closed loader `open`.
//!
//! Contract: `shared/spec/publication-and-protection.md`. The trailer's bytes (records, codecs,
//! footer) are [`crate::trailer`]; keys and random sources are [`crate::keys`]; strict hex and
//! base64 are [`crate::encoding`]. Module map (one concern each):
//!
//! - [`cid`]: CIDv1 raw content identifiers.
//! - [`encryption`]: X25519 + HKDF-SHA-256 + AES-256-CTR.
//! - [`transport`]: version-2 (create/open) and version-1 (open) transport envelopes.
//! - [`open`](mod@open) and [`report`]: the loader and its report; [`open_stream`](mod@open_stream)
//!   the same loader over an artifact read from a file, in bounded memory.
//! - [`protect`](mod@protect): protect a module (bundle, encrypt, sign, append).
//! - [`verified`]: [`VerifiedModule`], the only input the runtime and registry accept.

pub mod cid;
pub mod encryption;
pub mod open;
mod open_bundle;
mod open_steps;
pub mod open_stream;
pub mod protect;
mod protect_bundle;
pub mod report;
pub mod timestamp;
pub mod transport;
pub mod verified;

pub use open::{OpenFailure, OpenPolicy, Opened, open};
pub use open_stream::{StreamOpened, open_stream};
pub use protect::{ProtectOptions, ProtectResult, Protected, protect};
pub use report::{OpenReport, OpenReportView};
pub use verified::{VerifiedModule, declared_capabilities, open_verified};
