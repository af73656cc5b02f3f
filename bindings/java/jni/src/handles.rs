//! Native handles: every Java handle object (`Runtime`, `Module`, `VerifiedModule`, the keys,
//! `RuntimeHost`) holds the address of one boxed [`Handle`] as a `long`.
//!
//! Safety contract, kept by `org.spacedata.module.NativeHandle`: Java passes an address only
//! while it holds the handle's read lock and the handle is open; it frees an address once (the
//! `Cleaner` action runs at most once, under the write lock, after every call in flight).
//! So an address seen here is live for the whole call. The tag in [`Handle`] makes a handle of
//! the wrong kind an `invalid-argument`, never a type confusion.
//!
//! Every wrapped core type is `Send + Sync`, so one handle may be used by many threads.

use std::sync::Arc;

use jni::EnvUnowned;
use jni::objects::JClass;
use jni::sys::jlong;
use space_data_module::api::keys::{RecipientKey, SigningKey};
use space_data_module::api::wasmsig::WasmsigSecretKey;
use space_data_module::api::{LoadedModule, Runtime, RuntimeHost, VerifiedModule};

use crate::boundary::{Result, invalid, run};

/// A module loaded by a runtime: it keeps its runtime (engine, ticker) alive.
pub struct ModuleHandle {
    pub runtime: Arc<Runtime>,
    pub module: LoadedModule,
}

// Each handle is one boxed value for its whole life: a few hundred bytes of slack per handle
// cost nothing, an extra box per variant would cost an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Handle {
    Runtime(Arc<Runtime>),
    Module(ModuleHandle),
    Verified(VerifiedModule),
    SigningKey(SigningKey),
    RecipientKey(RecipientKey),
    WasmSigningKey(WasmsigSecretKey),
    RuntimeHost(RuntimeHost),
}

impl Handle {
    fn kind(&self) -> &'static str {
        match self {
            Handle::Runtime(_) => "Runtime",
            Handle::Module(_) => "Module",
            Handle::Verified(_) => "VerifiedModule",
            Handle::SigningKey(_) => "SigningKey",
            Handle::RecipientKey(_) => "RecipientKey",
            Handle::WasmSigningKey(_) => "WasmSigningKey",
            Handle::RuntimeHost(_) => "RuntimeHost",
        }
    }
}

/// Boxes a handle; the address goes to Java.
pub fn into_ptr(handle: Handle) -> jlong {
    Box::into_raw(Box::new(handle)) as jlong
}

fn borrow<'a>(ptr: jlong) -> Result<&'a Handle> {
    if ptr == 0 {
        return Err(invalid("the handle is closed"));
    }
    // SAFETY: a non-zero address comes from `into_ptr` and is live for this call (module docs).
    Ok(unsafe { &*(ptr as *const Handle) })
}

fn wrong(handle: &Handle, wanted: &str) -> crate::boundary::Failure {
    invalid(format!(
        "a {} handle where a {wanted} was expected",
        handle.kind()
    ))
}

macro_rules! accessor {
    ($name:ident, $variant:ident, $ty:ty, $wanted:literal) => {
        pub fn $name<'a>(ptr: jlong) -> Result<&'a $ty> {
            match borrow(ptr)? {
                Handle::$variant(value) => Ok(value),
                other => Err(wrong(other, $wanted)),
            }
        }
    };
}

accessor!(runtime, Runtime, Arc<Runtime>, "Runtime");
accessor!(module, Module, ModuleHandle, "Module");
accessor!(verified, Verified, VerifiedModule, "VerifiedModule");
accessor!(signing_key, SigningKey, SigningKey, "SigningKey");
accessor!(recipient_key, RecipientKey, RecipientKey, "RecipientKey");
accessor!(
    wasm_signing_key,
    WasmSigningKey,
    WasmsigSecretKey,
    "WasmSigningKey"
);
accessor!(runtime_host, RuntimeHost, RuntimeHost, "RuntimeHost");

/// `NativeLib.free(long)`: drops a handle (secrets are zeroized by their own `Drop`). Zero is
/// ignored.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn free<'local>(env: EnvUnowned<'local>, _class: JClass<'local>, ptr: jlong) {
    run(env, |_| {
        drop_ptr(ptr);
        Ok(())
    })
}

/// Drops the handle at `ptr` (zero is ignored). Only for an address from [`into_ptr`] that
/// nothing uses any more and that is never dropped again.
pub fn drop_ptr(ptr: jlong) {
    if ptr != 0 {
        // SAFETY: `ptr` came from `into_ptr`, and it is dropped exactly once after every call
        // that used it (module docs: Java's Cleaner action, or a result Java never received).
        drop(unsafe { Box::from_raw(ptr as *mut Handle) });
    }
}
