//! Where the layers meet. A lower layer defines an extension point; the layer above fills it;
//! this module, above both, hands the filling to the lower layer's constructor, so neither
//! module imports the other: `runtime` defines `HostImports`, `host` implements it with the
//! `sdn_host` bridge, and `Runtime::new` here links the bridge when the `host` layer is built.

use crate::Result;
use crate::runtime::host_imports::HostImports;
use crate::runtime::{Runtime, RuntimeConfig};

impl Runtime {
    /// Creates the engine (cranelift, fuel metering as configured, epoch interruption always on),
    /// the linker and the epoch ticker thread (stopped when the runtime is dropped).
    ///
    /// The linker has the WASI preview 1 imports and, with the `host` layer built, the five
    /// `sdn_host` imports (without it, a module importing `sdn_host` does not load:
    /// `runtime-instantiate-failed`).
    pub fn new(config: RuntimeConfig) -> Result<Self> {
        Runtime::with_host_imports(config, host_imports())
    }
}

/// The host imports of the layers built.
#[cfg(feature = "host")]
fn host_imports() -> Option<&'static dyn HostImports> {
    Some(&crate::host::bridge::SdnHostImports)
}

/// The host imports of the layers built: none without the `host` layer.
#[cfg(not(feature = "host"))]
fn host_imports() -> Option<&'static dyn HostImports> {
    None
}
