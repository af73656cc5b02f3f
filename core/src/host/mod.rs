//! The host: the operations a guest (or an embedder) may call, behind capabilities and an
//! explicit policy, and the `sdn_host` hostcall bridge that carries them into wasm guests
//! (spec invoke-runtime-and-host.md section 5; docs/host.md).
//!
//! Deny by default: an operation runs only when the module's manifest declares its capability
//! **and** the embedder's [`HostPolicy`] grants it ([`Host::for_manifest`]). An empty policy
//! grants nothing.
//!
//! - [`policy`]: [`HostPolicy`], [`ExecPolicy`], [`ContextStoreChoice`].
//! - [`Host`]: grants, listing, [`Host::invoke`] (capability check, then the operation).
//! - `ops`: one module per operation family; [`net`] holds the network operations.
//! - [`sandbox`]: the filesystem confinement; [`cron`]: UTC cron expressions.
//! - [`bridge`]: the five `sdn_host` imports and their per-store state; it plugs into the
//!   runtime through `runtime::host_imports` (the runtime does not import the host).

pub mod bridge;
pub mod capabilities;
mod context_store;
pub mod cron;
pub mod error;
mod instance;
pub mod limits;
pub mod net;
mod ops;
pub mod params;
pub mod policy;
mod policy_json;
pub mod sandbox;

pub use bridge::HostcallState;
pub use error::HostError;
pub use instance::Host;
pub use limits::HostLimits;
pub use policy::{ContextStoreChoice, ExecPolicy, HostPolicy};
