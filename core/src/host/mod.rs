//! The host: the operations a guest (or an embedder) may call, behind capabilities and an
//! explicit policy, and the `sdn_host` hostcall bridge that carries them into wasm guests
//! (spec invoke-runtime-and-host.md section 5).
//!
//! Deny by default: an operation runs only when the module's manifest declares its capability
//! **and** the embedder's [`HostPolicy`] grants it. An empty policy grants nothing.

pub mod error;
pub mod limits;
pub mod net;

pub use error::HostError;
pub use limits::HostLimits;
