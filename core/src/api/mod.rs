//! The front-end API: one function per operation every front end offers (CLI, C ABI, Go, C#,
//! Python, Java, Kotlin, Swift), with typed requests and results.
//!
//! Front ends convert arguments and format output; everything else lives here: one clock
//! ([`clock`]), one set of input caps ([`caps`]), one trusted-signer parser and the key files
//! ([`keys`]), atomic output files ([`files`]), host narrowing ([`invoke::narrowed_host`]).
//! Every report is a serde type with a JSON Schema in `docs/schemas/` ([`schemas`]).
//!
//! | operation | function |
//! |---|---|
//! | manifest encode / decode | [`format::encode_manifest`], [`format::decode_manifest`] |
//! | compliance check | [`format::check`] |
//! | bundle create / parse / verify / inspect | [`format::create_bundle`], [`format::parse_bundle`], [`format::verify_bundle`], [`format::inspect`] |
//! | keys and key files | [`keys::SigningKey`], [`keys::RecipientKey`], [`keys::trusted_signers`], [`keys::trusted_signers_hex`] |
//! | protect / open | [`publication::protect`], [`publication::open`] |
//! | module signatures (tool conventions, `wasmsign2`) sign / verify | [`wasmsig::sign`], [`wasmsig::verify`] |
//! | authorization create / verify | [`authorization::create`], [`authorization::verify`] |
//! | load / invoke (direct, command, hosted) | `Runtime::load(&VerifiedModule)`, [`invoke::invoke`] |
//! | repeated calls into one instance (direct) | [`invoke::session`], [`invoke::Session::invoke`] |
//! | run `_start` as a WASI program (stdin, args, env, preopens) | [`program::run_program`] |
//! | runtime host (rows, regions, registry) | [`crate::runtime_host::RuntimeHost`] |
//!
//! Fail-closed is a type: the runtime and the module registry take only a
//! [`crate::publication::VerifiedModule`], which only [`publication::open`] (or the explicit
//! `VerifiedModule::allow_unsigned`) creates.

pub mod authorization;
pub mod caps;
pub mod clock;
pub mod files;
pub mod format;
#[cfg(feature = "host")]
pub mod invoke;
pub mod keys;
#[cfg(feature = "host")]
pub mod program;
pub mod publication;
pub mod schemas;
pub mod views;
pub mod wasmsig;

pub use crate::publication::VerifiedModule;

// The types a front end needs besides the operations above, under one path: bindings import
// from `api` only, so reorganizing the core's modules never breaks them.
pub use crate::compliance::{CheckReport, IssueView};
pub use crate::error::{Error, ErrorClass, ErrorCode, Result};
#[cfg(feature = "host")]
pub use crate::host::HostPolicy;
pub use crate::invoke::{Frame, FrameSet, InvokeRequest, InvokeResponse, TypeRef};
pub use crate::keys::signing::PublicKey;
pub use crate::publication::ProtectResult;
pub use crate::publication::report::OpenReportView;
#[cfg(feature = "runtime")]
pub use crate::runtime::{
    Grants, InvokeMode, Limits, LoadedModule, Preopen, Runtime, RuntimeConfig,
};
#[cfg(feature = "host")]
pub use crate::runtime_host::{
    ModuleRecord, ModuleRecordView, ModuleRef, Record, RegionDescriptor, RegionSpec, Row,
    RowHandle, RowStore, RuntimeHost,
};

/// TEST SUPPORT for bindings: a panic raised inside the core, to show that it comes back as
/// the `panic` code rather than a crash.
#[doc(hidden)]
pub use crate::error::debug_force_panic;
