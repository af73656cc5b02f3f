//! The `sds.bundle` single-file bundle (spec `bundle-and-manifest.md` section 7): the
//! `ModuleBundle` (`SMDB`) FlatBuffer carried in one wasm custom section, and create / parse /
//! verify over whole modules.

mod input;

pub use input::{CreateOptions, EntryInput, ManifestInput, Payload};
