//! Guest exports the runtime calls (`plugin_*`, `_initialize`, `_start`), with their types
//! checked once per compiled module instead of once per instance.
//!
//! `Instance::get_typed_func` checks an export's type on every instantiation, and the
//! `TypedFunc` it returns loads the type once more: each time a read lock and reference counts
//! on the engine's shared type registry. With a fresh instance per call on several threads,
//! those shared cache lines were the top of the profile (10% of the CPU of 8 threads on
//! 2 cores, and the threads together were only 1.1x one thread). Here the signatures are read
//! when the module is compiled ([`Exports`]), and a call goes through
//! `Func::call_unchecked`, which touches nothing shared.

use wasmtime::{Func, Instance, Module, Store, ValRaw, ValType};

use crate::runtime::store::StoreState;
use crate::{Error, ErrorCode, Result};

/// Most parameters or results of an export called through [`GuestFn`].
const MAX_ARITY: usize = 4;

/// An export's arity when every parameter and result is an `i32` (true of every export the
/// runtime calls).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct I32Signature {
    params: usize,
    results: usize,
}

/// A module's exports, read once when it is compiled: every name, in module order, and the
/// arity of each function export whose parameters and results are all `i32`.
#[derive(Debug, Default)]
pub(crate) struct Exports(Vec<(String, Option<I32Signature>)>);

impl Exports {
    pub(crate) fn of(module: &Module) -> Self {
        let signature = |ty: &wasmtime::FuncType| {
            let only_i32 = ty.params().all(|t| matches!(t, ValType::I32))
                && ty.results().all(|t| matches!(t, ValType::I32));
            let (params, results) = (ty.params().len(), ty.results().len());
            (only_i32 && params <= MAX_ARITY && results <= MAX_ARITY)
                .then_some(I32Signature { params, results })
        };
        Exports(
            module
                .exports()
                .map(|export| {
                    let name = export.name().to_owned();
                    (name, export.ty().func().and_then(signature))
                })
                .collect(),
        )
    }

    /// True when the module exports `name` (any kind).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(export, _)| export == name)
    }

    /// The export names, in module order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(export, _)| export.as_str())
    }

    fn has_signature(&self, name: &str, signature: I32Signature) -> bool {
        self.0
            .iter()
            .any(|(export, found)| export == name && *found == Some(signature))
    }
}

/// A function export of one instance, known (from [`Exports`]) to take `P` and
/// return `R` values, all `i32`.
pub(crate) struct GuestFn<const P: usize, const R: usize> {
    func: Func,
}

impl<const P: usize, const R: usize> GuestFn<P, R> {
    /// The export `name` of `instance`, an instance of the module `exports` were read from.
    /// Errors: `runtime-missing-export` when it is missing or has another type.
    pub(crate) fn get(
        exports: &Exports,
        instance: &Instance,
        store: &mut Store<StoreState>,
        name: &str,
    ) -> Result<Self> {
        const { assert!(P <= MAX_ARITY && R <= MAX_ARITY) };
        let expected = I32Signature {
            params: P,
            results: R,
        };
        let func = exports
            .has_signature(name, expected)
            .then(|| instance.get_func(&mut *store, name))
            .flatten()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::RuntimeMissingExport,
                    format!(
                        "export `{name}` is missing or is not a function of {P} i32 to {R} i32"
                    ),
                )
            })?;
        Ok(GuestFn { func })
    }

    /// Calls the export. Errors are wasmtime's (traps, limits), for the caller to classify.
    pub(crate) fn call(
        &self,
        store: &mut Store<StoreState>,
        params: [i32; P],
    ) -> wasmtime::Result<[i32; R]> {
        let mut slots = [ValRaw::i32(0); MAX_ARITY];
        for (slot, param) in slots.iter_mut().zip(params) {
            *slot = ValRaw::i32(param);
        }
        let slots = &mut slots[..P.max(R)];
        // SAFETY: `get` found `func` in an instance of the module whose exports say it takes
        // P i32 parameters and returns R i32 results (no references, nothing for a GC to
        // trace); `slots` holds the P parameters and has room for the R results; `store` is
        // the store that owns the instance (wasmtime checks that and panics otherwise); the
        // runtime makes no async calls.
        unsafe {
            self.func
                .call_unchecked(&mut *store, slots as *mut [ValRaw])
        }?;
        Ok(std::array::from_fn(|i| slots[i].get_i32()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_recorded_and_signatures_only_for_small_all_i32_functions() {
        let engine = wasmtime::Engine::default();
        let wasm = wat::parse_str(
            r#"(module
                 (memory (export "memory") 1)
                 (global (export "g") i32 (i32.const 0))
                 (func (export "none"))
                 (func (export "three_to_one") (param i32 i32 i32) (result i32) (i32.const 0))
                 (func (export "four") (param i32 i32 i32 i32))
                 (func (export "five") (param i32 i32 i32 i32 i32))
                 (func (export "wide") (param i64) (result i32) (i32.const 0))
                 (func (export "float") (result f32) (f32.const 0)))"#,
        )
        .unwrap();
        let exports = Exports::of(&Module::new(&engine, wasm).unwrap());
        let sig = |params, results| I32Signature { params, results };
        assert!(exports.has_signature("none", sig(0, 0)));
        assert!(exports.has_signature("three_to_one", sig(3, 1)));
        assert!(!exports.has_signature("three_to_one", sig(3, 0)));
        assert!(!exports.has_signature("three_to_one", sig(2, 1)));
        assert!(exports.has_signature("four", sig(4, 0)));
        for name in ["five", "wide", "float", "g", "memory", "absent"] {
            assert!(
                !exports
                    .0
                    .iter()
                    .any(|(export, found)| export == name && found.is_some()),
                "{name} must not be callable through GuestFn"
            );
        }
        assert!(exports.has("memory") && exports.has("g") && !exports.has("absent"));
        assert_eq!(exports.names().count(), 8);
        assert_eq!(exports.names().next(), Some("memory"));
    }
}
