//! The extension point through which a host plugs its imports into the runtime. The runtime
//! defines it and never names the host, so the `runtime` layer builds without the `host` layer.
//!
//! - `HostImports` (crate-internal): imports beyond WASI that a [`Runtime`](super::Runtime)
//!   links once, when it is created (`Runtime::new` links the `sdn_host` bridge of the `host`
//!   layer when that layer is built; without it, a module importing `sdn_host` fails to load
//!   with `runtime-instantiate-failed`).
//! - [`HostBinding`]: what a caller puts behind those imports for one call
//!   ([`Grants::host`](super::Grants::host)); `Arc<host::Host>` is one. Each store asks its
//!   binding for the per-store state the imports work on (`HostState`); when the grants bind
//!   nothing, the imports make their own default state on first use.

use std::any::Any;
use std::sync::Arc;

use wasmtime::Linker;

use super::store::StoreState;

/// Per-store state of the host imports (one per guest instance). The imports find their own
/// type again with [`StoreState::host_state`].
pub(crate) type HostState = Box<dyn Any + Send>;

/// Imports beyond WASI that a runtime links into every module (implemented by the `host`
/// layer's `sdn_host` bridge).
pub(crate) trait HostImports: Send + Sync {
    /// Defines the imports in the runtime's linker (once, when the runtime is created).
    fn add_to_linker(&self, linker: &mut Linker<StoreState>) -> wasmtime::Result<()>;
}

/// Something a caller can put behind a guest's host imports (`Grants::host`). With the `host`
/// layer, `Arc<host::Host>` coerces to `Arc<dyn HostBinding>`. Sealed: only this crate's types
/// implement it, so the imports always recognise the per-store state a binding makes.
pub trait HostBinding: Send + Sync + std::fmt::Debug + sealed::Binding {}

impl<T: Send + Sync + std::fmt::Debug + sealed::Binding> HostBinding for T {}

pub(crate) mod sealed {
    use super::{Any, Arc};

    /// The crate-private half of [`super::HostBinding`].
    pub trait Binding {
        /// The per-store state of the host imports for one guest instance.
        fn store_state(self: Arc<Self>) -> Box<dyn Any + Send>;
    }
}
